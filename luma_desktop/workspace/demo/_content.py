"""Messages and templates, the website, documents with signatures, and the business's KYC."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from ..models import (
    Channel,
    Client,
    Direction,
    Document,
    DocumentStatus,
    DocumentTemplate,
    KycDocument,
    KycEvent,
    KycStatus,
    KycSubject,
    KycVerification,
    Message,
    MessageTemplate,
    OutboxItem,
    OutboxStatus,
    SectionKind,
    SignatureRequest,
    SignatureStatus,
    SiteStatus,
    WebPage,
    WebSection,
    Website,
)
from ._builder import Seeder, load

__all__ = ["seed_content"]


def seed_content(s: Seeder) -> None:
    """Templates and message threads, a published website, documents and a verified KYC."""
    content = load("content")
    _messages(s, content)
    _website(s, content["website"])
    _documents(s, content)
    _kyc(s)


def _messages(s: Seeder, content: dict[str, Any]) -> None:
    s.add(
        *(
            MessageTemplate(
                name=t["name"], channel=Channel(t["channel"]), subject=t["subject"], body=t["body"]
            )
            for t in content["message_templates"]
        )
    )
    sent: list[tuple[Message, OutboxItem]] = []
    for spec in content["messages"]:
        client = s.clients[spec["client"]]
        when = s.now + timedelta(minutes=spec["minutes"])
        message = Message(
            client_id=client.id,
            channel=Channel(spec["channel"]),
            direction=Direction(spec["direction"]),
            subject=spec.get("subject"),
            body=spec["body"],
            read=spec["read"],
            sent_by_user_id=s.users[spec["user"]].id if spec.get("user") else None,
        )
        s.add(message, created=when)
        if message.direction is Direction.OUTBOUND:
            recipient = client.email if message.channel is Channel.EMAIL else client.phone
            sent.append(
                (
                    message,
                    OutboxItem(
                        channel=message.channel,
                        recipient=recipient or "",
                        subject=message.subject,
                        body=message.body,
                        attachments=[],
                        status=OutboxStatus.SENT,
                        attempts=1,
                        sent_at=when + timedelta(seconds=20),
                        created_at=when,
                    ),
                )
            )
    s.flush()
    for message, item in sent:
        item.message_id = message.id
        s.add(item)


def _website(s: Seeder, spec: dict[str, Any]) -> None:
    published = s.now - timedelta(days=18)
    site = Website(
        title=spec["title"],
        theme=dict(spec["theme"]),
        status=SiteStatus.PUBLISHED,
        publish_target=None,
        published_at=published,
        edited_at=published - timedelta(hours=2),
    )
    s.add(site, created=s.now - timedelta(days=300))
    s.flush()
    pages = []
    for position, page in enumerate(spec["pages"]):
        row = WebPage(
            website_id=site.id,
            title=page["title"],
            slug=page["slug"],
            template=page["template"],
            visible=True,
            position=position,
            seo_title=page["seo_title"],
            seo_description=page["seo_description"],
            seo_keywords=list(page["keywords"]),
            updated_at=published,
        )
        pages.append((row, page["sections"]))
    s.add(*(row for row, _ in pages), created=s.now - timedelta(days=300))
    s.flush()
    for row, sections in pages:
        s.add(
            *(
                WebSection(
                    page_id=row.id,
                    kind=SectionKind(section["kind"]),
                    position=index,
                    content=dict(section["content"]),
                )
                for index, section in enumerate(sections)
            )
        )


def _documents(s: Seeder, content: dict[str, Any]) -> None:
    templates = {
        t["name"]: DocumentTemplate(name=t["name"], kind=t["kind"], body=t["body"])
        for t in content["document_templates"]
    }
    s.add(*templates.values())
    s.flush()
    documents: list[tuple[Document, dict[str, Any]]] = []
    for spec in content["documents"]:
        client = s.clients[spec["client"]] if spec["client"] else None
        template = templates[spec["template"]] if spec["template"] else None
        status = DocumentStatus(spec["status"])
        when = s.now + timedelta(days=spec["days"])
        text = spec.get("text") or _fill(template.body if template else "", client, when)
        document = Document(
            title=spec["title"],
            kind=spec["kind"],
            client_id=client.id if client else None,
            status=status,
            mime_type="text/plain",
            size_bytes=len(text.encode()),
            text_content=text,
            template_id=template.id if template else None,
            shared_with_client=spec["shared"],
            owner_staff_id=s.staff[spec["owner"]].id,
            archived_at=when + timedelta(days=30) if status is DocumentStatus.ARCHIVED else None,
        )
        s.add(document, created=when)
        documents.append((document, spec))
    s.flush()
    for document, spec in documents:
        if not spec.get("signer") or document.client_id is None:
            continue
        client = next(c for c in s.client_list if c.id == document.client_id)
        signed = document.status is DocumentStatus.SIGNED
        sent_at = document.created_at + timedelta(hours=1)
        s.add(
            SignatureRequest(
                document_id=document.id,
                signer_name=client.full_name,
                signer_email=client.email,
                status=SignatureStatus.SIGNED if signed else SignatureStatus.PENDING,
                sent_at=sent_at,
                signed_at=sent_at + timedelta(days=1) if signed else None,
            ),
            created=sent_at,
        )


def _fill(body: str, client: Client | None, when: datetime) -> str:
    test = when - timedelta(days=3)
    values = {
        "client_name": client.full_name if client else "",
        "company": (client.company or "") if client else "",
        "address": (client.address or "") if client else "",
        "date": f"{when.day} {when:%B %Y}",
        "patch_test_date": f"{test.day} {test:%B %Y}",
        "service": "Full head colour",
        "services": "hair styling as agreed",
        "total": "as quoted",
        "deposit": "25%",
    }
    return body.format(**values)


def _kyc(s: Seeder) -> None:
    submitted = s.now - timedelta(days=120)
    decided = submitted + timedelta(days=2)
    verification = KycVerification(
        subject_type=KycSubject.BUSINESS,
        subject_id=s.business.id,
        status=KycStatus.VERIFIED,
        submitted_at=submitted,
        decided_at=decided,
        notes="Company registration and director identity checked.",
    )
    s.add(verification, created=submitted - timedelta(hours=3))
    s.flush()
    owner = s.users["emma"]
    s.add(
        KycDocument(
            verification_id=verification.id,
            kind="registration",
            file_path="kyc/certificate-of-incorporation.pdf",
        ),
        KycDocument(
            verification_id=verification.id, kind="identity", file_path="kyc/director-passport.pdf"
        ),
        created=submitted - timedelta(hours=1),
    )
    s.add(
        KycEvent(actor_user_id=owner.id, event="documents_uploaded", details={"documents": 2}),
        created=submitted - timedelta(hours=1),
    )
    s.add(
        KycEvent(actor_user_id=owner.id, event="submitted", details={"subject": "business"}),
        created=submitted,
    )
    s.add(
        KycEvent(
            actor_user_id=None,
            event="verified",
            details={"subject": "business", "checked": ["registration", "identity"]},
        ),
        created=decided,
    )
