"""Changing clients: create, update, delete, notes, tags and merging duplicates.

Create, update, delete, add_note and tag return undo plans whose operations
:data:`INVERSES` runs back; a merge cannot be undone.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from pydantic import Field

from ...assistant.catalog import (
    Card,
    DataScope,
    InverseRunner,
    Operation,
    Risk,
    Tool,
    ToolResult,
    UndoPlan,
)
from ...assistant.context import ExecutionContext
from ...workspace.models import LeadStatus, NoteKind
from ...workspace.services import Services
from ...workspace.services.clients import ClientProfile
from .._common import ClientRef, ToolInput
from ._shared import DOMAIN, StaffRef, TagName, contact, listed

__all__ = ["INVERSES", "TOOLS"]

ClientList = Annotated[
    list[ClientRef],
    Field(min_length=1, max_length=100, description="The clients: ids, names, e-mails or phones."),
]


def _undo(operation: str, summary: str, **arguments: Any) -> UndoPlan:
    return UndoPlan(DOMAIN, operation, arguments, summary)


# -- clients_create --------------------------------------------------------------------------


class CreateClient(ToolInput):
    first_name: str = Field(min_length=1, max_length=100, description="First name (required).")
    last_name: str = Field(default="", max_length=100, description="Last name.")
    email: str | None = Field(default=None, max_length=200, description="E-mail address.")
    phone: str | None = Field(
        default=None,
        max_length=40,
        description="Phone number in any common form; stored in international (E.164) form.",
    )
    company: str | None = Field(default=None, max_length=200, description="Company name.")
    address: str | None = Field(default=None, max_length=2000, description="Postal address.")
    birthday: str | None = Field(
        default=None, max_length=20, description="Birthday: '1990-04-23' or '23/04/1990'."
    )
    source: str | None = Field(
        default=None, max_length=60, description="Where they came from, e.g. 'referral'."
    )
    lead_status: LeadStatus | None = Field(
        default=None, description="Lead status (default: the business's default for new clients)."
    )
    owner_staff: StaffRef | None = Field(
        default=None, description="The staff member who looks after this client."
    )
    tags: list[TagName] = Field(default_factory=list, max_length=20, description="Tags to add.")
    allow_duplicate: bool = Field(
        default=False,
        description="Create it even though a client with the same e-mail, phone or a very "
        "similar name exists. Only after the user said it really is someone else.",
    )


def create_client(services: Services, args: CreateClient, context: ExecutionContext) -> ToolResult:
    profile = services.clients.create(
        args.first_name,
        args.last_name,
        email=args.email,
        phone=args.phone,
        company=args.company,
        source=args.source,
        lead_status=args.lead_status,
        address=args.address,
        birthday=args.birthday,
        owner_staff=args.owner_staff,
        tags=args.tags,
        allow_duplicate=args.allow_duplicate,
    )
    return ToolResult(
        f"Added the client {profile.name} ({contact(profile)}).",
        profile,
        Card.CLIENT,
        _undo("remove_created", f"remove the new client {profile.name}", reference=profile.id),
    )


# -- clients_update --------------------------------------------------------------------------

_CLEARABLE = "An empty string removes it."
_FIELD_LABELS = {
    "first_name": "first name",
    "last_name": "last name",
    "lead_status": "lead status",
    "owner_staff_id": "looked after by",
}


class UpdateClient(ToolInput):
    client: ClientRef | None = Field(
        default=None,
        description="The client to change. Client-portal users leave it empty: they can change "
        "only their own e-mail, phone and address.",
    )
    first_name: str | None = Field(
        default=None, min_length=1, max_length=100, description="New first name."
    )
    last_name: str | None = Field(
        default=None, max_length=100, description=f"New last name. {_CLEARABLE}"
    )
    email: str | None = Field(
        default=None, max_length=200, description=f"New e-mail address. {_CLEARABLE}"
    )
    phone: str | None = Field(
        default=None, max_length=40, description=f"New phone number. {_CLEARABLE}"
    )
    company: str | None = Field(
        default=None, max_length=200, description=f"New company name. {_CLEARABLE}"
    )
    address: str | None = Field(
        default=None, max_length=2000, description=f"New postal address. {_CLEARABLE}"
    )
    birthday: str | None = Field(
        default=None,
        max_length=20,
        description=f"Birthday: '1990-04-23' or '23/04/1990'. {_CLEARABLE}",
    )
    source: str | None = Field(
        default=None, max_length=60, description=f"Where they came from. {_CLEARABLE}"
    )
    lead_status: LeadStatus | None = Field(default=None, description="New lead status.")
    owner_staff: StaffRef | None = Field(
        default=None, description=f"The staff member who looks after them. {_CLEARABLE}"
    )
    allow_duplicate: bool = Field(
        default=False,
        description="Save even though another client has that e-mail, phone or name. Only "
        "after the user said it really is someone else.",
    )


def _shown_value(profile: ClientProfile, field: str) -> str:
    if field == "owner_staff_id":
        return profile.owner_staff or "nobody"
    value = getattr(profile, field)
    if value in (None, ""):
        return "empty"
    return str(value.value if isinstance(value, LeadStatus) else value)


def update_client(services: Services, args: UpdateClient, context: ExecutionContext) -> ToolResult:
    fields = args.model_dump(mode="json", exclude={"client", "allow_duplicate"}, exclude_none=True)
    result = services.clients.update(args.client, fields, allow_duplicate=args.allow_duplicate)
    profile = result.client
    if not result.changed:
        return ToolResult(
            f"{profile.name} already has those details; nothing changed.", profile, Card.CLIENT
        )
    changes = [
        f"{_FIELD_LABELS.get(name, name)} now {_shown_value(profile, name)}"
        for name in result.changed
    ]
    return ToolResult(
        f"Updated {profile.name}: {listed(changes)}.",
        profile,
        Card.CLIENT,
        _undo(
            "restore_fields",
            f"put back the previous details of {profile.name}",
            reference=profile.id,
            fields=result.previous,
        ),
    )


# -- clients_delete --------------------------------------------------------------------------


class DeleteClient(ToolInput):
    client: ClientRef


def delete_client(services: Services, args: DeleteClient, context: ExecutionContext) -> ToolResult:
    deleted = services.clients.delete(args.client, export_dir=services.folder("exports"))
    return ToolResult(
        f"Deleted the client {deleted.name}; their full record was saved to "
        f"{deleted.export_path.name} first.",
        deleted,
        Card.CLIENT,
        _undo("restore", f"bring back the client {deleted.name}", reference=deleted.client_id),
    )


# -- clients_add_note ------------------------------------------------------------------------


class AddClientNote(ToolInput):
    client: ClientRef
    body: str = Field(min_length=1, max_length=10_000, description="What to note.")
    kind: NoteKind = Field(
        default=NoteKind.INTERNAL,
        description="call: a phone call; visit: how a visit went; preference: what they like; "
        "internal: anything else.",
    )


def add_client_note(
    services: Services, args: AddClientNote, context: ExecutionContext
) -> ToolResult:
    note = services.clients.add_note(args.client, args.body, args.kind)
    name = services.clients.get(note.client_id).name
    return ToolResult(
        f"Added {'an' if note.kind is NoteKind.INTERNAL else 'a'} {note.kind.value} note "
        f"to {name}.",
        note,
        Card.TEXT,
        _undo("delete_note", f"remove the {note.kind.value} note on {name}", reference=note.id),
    )


# -- clients_tag -----------------------------------------------------------------------------


class TagClients(ToolInput):
    clients: ClientList
    add: list[TagName] = Field(default_factory=list, max_length=20, description="Tags to add.")
    remove: list[TagName] = Field(
        default_factory=list, max_length=20, description="Tags to remove."
    )


def _tag_words(tags: Sequence[str]) -> str:
    return listed([" ".join(t.split()).lower() for t in tags])


def tag_clients(services: Services, args: TagClients, context: ExecutionContext) -> ToolResult:
    result = services.clients.tag(args.clients, add=args.add, remove=args.remove)
    changed = [c for c in result.changes if c.before != c.after]
    if not changed:
        summary = "Nothing changed: the tags were already like that."
    elif len(result.changes) == 1:
        change = result.changes[0]
        tags = listed(change.after) if change.after else "nothing"
        summary = f"{change.name} is now tagged {tags}."
    else:
        added, removed = _tag_words(args.add), _tag_words(args.remove)
        parts = [f"added {added}" if added else "", f"removed {removed}" if removed else ""]
        what = " and ".join(p for p in parts if p)
        summary = f"{what[0].upper()}{what[1:]} on {listed([c.name for c in changed])}."
    previous = [[c.client_id, list(c.before)] for c in result.changes]
    return ToolResult(
        summary,
        result,
        Card.CLIENTS,
        _undo("set_tags", "put the tags back as they were", previous=previous),
    )


# -- clients_merge ---------------------------------------------------------------------------


_MOVED_NOUNS = {
    "client_notes": ("client note", "client notes"),
    "waitlist": ("waitlist entry", "waitlist entries"),
    "portal_users": ("portal login", "portal logins"),
    "verifications": ("ID verification", "ID verifications"),
}


def _moved(kind: str, number: int) -> str:
    one, many = _MOVED_NOUNS.get(kind, (kind.removesuffix("s"), kind))
    return f"{number} {one if number == 1 else many}"


class MergeClients(ToolInput):
    keep: ClientRef = Field(description="The client to keep (gets all the history).")
    duplicate: ClientRef = Field(description="The duplicate to merge in and remove.")


def merge_clients(services: Services, args: MergeClients, context: ExecutionContext) -> ToolResult:
    result = services.clients.merge(args.keep, args.duplicate)
    moved = [_moved(kind, n) for kind, n in result.moved.items() if n]
    moved_text = f", moving {listed(moved)}" if moved else ""
    filled = [_FIELD_LABELS.get(f, f.replace("_", " ")) for f in result.filled]
    filled_text = f"; filled in {listed(filled)}" if filled else ""
    return ToolResult(
        f"Merged {result.merged_name} (#{result.merged_id}) into {result.kept.name}"
        f"{moved_text}{filled_text}.",
        result,
        Card.CLIENT,
    )


# -- the tools -------------------------------------------------------------------------------

_W, _ROLE = Operation.WRITE, DataScope.ROLE_BASED

TOOLS: list[Tool[Any]] = [
    Tool(
        "clients_create",
        DOMAIN,
        "Add a new client; the phone is stored in international form, and a client with the "
        "same e-mail, phone or a very similar name is refused as a likely duplicate.\nReturns "
        "the new profile. Can be undone.",
        CreateClient,
        create_client,
        _W,
        Risk.MEDIUM,
        DataScope.ALL,
        Card.CLIENT,
        confirmation="Add {first_name} {last_name} as a new client?",
        reversible=True,
        examples=("add a new client Jane Doe, 07700 900123",),
    ),
    Tool(
        "clients_update",
        DOMAIN,
        "Change a client's details: name, e-mail, phone, company, address, birthday, source, "
        "lead status or the staff member who looks after them.\nOnly the fields given change. "
        "Client-portal users change only their own e-mail, phone and address. Can be undone.",
        UpdateClient,
        update_client,
        _W,
        Risk.MEDIUM,
        _ROLE,
        Card.CLIENT,
        confirmation="Change these details of {client}?",
        reversible=True,
        examples=("change Sarah Miller's phone to 07700 900123", "mark Hans as a customer"),
    ),
    Tool(
        "clients_delete",
        DOMAIN,
        "Delete a client: their full record is exported to a JSON file first, then they are "
        "hidden (soft delete).\nRefused while they have upcoming appointments. Can be undone.",
        DeleteClient,
        delete_client,
        _W,
        Risk.CRITICAL,
        DataScope.ALL,
        Card.CLIENT,
        confirmation="Delete the client {client}? Their record is exported first.",
        reversible=True,
        examples=(
            "delete Jane Doe's client record",
            "get rid of the client called Test Person",
        ),
    ),
    Tool(
        "clients_add_note",
        DOMAIN,
        "Add a typed note to a client: call, visit, preference or internal.\nUse it for "
        "'note that Sarah prefers mornings'. Can be undone.",
        AddClientNote,
        add_client_note,
        _W,
        Risk.LOW,
        _ROLE,
        Card.TEXT,
        reversible=True,
        examples=("note that Sarah likes the window seat",),
    ),
    Tool(
        "clients_tag",
        DOMAIN,
        "Add and/or remove tags on one or many clients (tags are lower case).\nReturns each "
        "client's tags after the change. Can be undone.",
        TagClients,
        tag_clients,
        _W,
        Risk.LOW,
        DataScope.ALL,
        Card.CLIENTS,
        reversible=True,
        examples=("tag Sarah Miller as vip", "remove the newsletter tag from Hans"),
    ),
    Tool(
        "clients_merge",
        DOMAIN,
        "Merge a duplicate client into the one to keep: appointments, invoices, quotes, "
        "messages, notes, tags and documents move over and empty fields are filled in; the "
        "duplicate is removed.\nThis cannot be undone.",
        MergeClients,
        merge_clients,
        _W,
        Risk.HIGH,
        DataScope.ALL,
        Card.CLIENT,
        confirmation="Merge {duplicate} into {keep}? Everything of {duplicate} moves to "
        "{keep}; this cannot be undone.",
        examples=(
            "merge the two Sarah Miller records",
            "Hans Mueller is in twice, combine them",
        ),
    ),
]


def _set_tags(services: Services, arguments: dict[str, Any]) -> object:
    previous = {int(client_id): tags for client_id, tags in arguments["previous"]}
    return services.clients.set_tags(previous)


INVERSES: dict[tuple[str, str], InverseRunner] = {
    (DOMAIN, "remove_created"): lambda s, a: s.clients.remove_created(a["reference"]),
    (DOMAIN, "restore_fields"): lambda s, a: s.clients.update(
        a["reference"], a["fields"], allow_duplicate=True
    ),
    (DOMAIN, "restore"): lambda s, a: s.clients.restore(a["reference"]),
    (DOMAIN, "delete_note"): lambda s, a: s.clients.delete_note(a["reference"]),
    (DOMAIN, "set_tags"): _set_tags,
}
