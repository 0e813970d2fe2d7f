"""The salon's clients: named ones, generated regulars, tags, notes and the portal users."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from ..models import Client, ClientNote, ClientTag, LeadStatus, NoteKind, Role, User
from ..values import normalise_phone
from ._builder import Seeder, load

__all__ = ["CLIENT_COUNT", "seed_clients"]

CLIENT_COUNT = 60
_GENERATED_NOTES = 12
_FREE_PHONES = range(200, 1000)
_OWNER_WEIGHTS = {"emma": 35, "daniel": 35, "chloe": 20, "priya": 10}


def seed_clients(s: Seeder) -> None:
    """About 60 clients with tags and notes, and the two client-portal users."""
    people = load("people")
    used_phones = {spec["phone"] for spec in people["fixed_clients"]}
    for spec in people["fixed_clients"]:
        client = _fixed_client(s, spec)
        s.clients[spec["key"]] = client
        s.client_list.append(client)
    generated = CLIENT_COUNT - len(s.client_list)
    free_phones = [_phone(n) for n in _FREE_PHONES if _phone(n) not in used_phones]
    phones = s.rng.sample(free_phones, generated)
    firsts = s.rng.sample(people["first_names"], generated)
    for first, phone in zip(firsts, phones, strict=True):
        s.client_list.append(_generated_client(s, people, first, phone))
    s.add(*s.client_list)
    s.flush()
    _tags(s, people)
    _notes(s, people)
    for spec in people["fixed_clients"]:
        if spec.get("portal"):
            client = s.clients[spec["key"]]
            user = User(
                name=client.full_name,
                email=client.email or "",
                role=Role.CLIENT,
                client_id=client.id,
                active=True,
            )
            s.users[spec["key"]] = user
            s.add(user, created=client.created_at + timedelta(days=3))


def _phone(number: int) -> str:
    """A number in Ofcom's drama range for London (020 7946 0000-0999): valid, never real."""
    return f"+442079460{number:03d}"


def _fixed_client(s: Seeder, spec: dict[str, Any]) -> Client:
    birthday = spec.get("birthday")
    return Client(
        first_name=spec["first"],
        last_name=spec["last"],
        company=spec.get("company"),
        email=spec["email"],
        phone=normalise_phone(spec["phone"]),
        address=spec.get("address"),
        birthday=date.fromisoformat(birthday) if birthday else None,
        lead_status=LeadStatus(spec["status"]),
        source=spec["source"],
        owner_staff_id=s.staff[spec["owner"]].id,
        created_at=s.now - timedelta(days=s.rng.randint(200, 680)),
    )


def _generated_client(s: Seeder, people: dict[str, Any], first: str, phone: str) -> Client:
    rng = s.rng
    last = rng.choice(people["last_names"])
    status = LeadStatus(rng.choice(people["lead_statuses"]))
    is_lead = status in (LeadStatus.LEAD, LeadStatus.PROSPECT)
    age_days = rng.randint(3, 45) if is_lead else rng.randint(60, 680)
    owners = list(_OWNER_WEIGHTS)
    owner = rng.choices(owners, weights=[_OWNER_WEIGHTS[k] for k in owners])[0]
    email = None
    if rng.random() < 0.88:
        local = re.sub(r"[^a-z]", "", first.lower()) + rng.choice([".", "", "_"])
        local += re.sub(r"[^a-z]", "", last.lower())
        email = f"{local}@{rng.choice(people['email_domains'])}"
    address = None
    if rng.random() < 0.7:
        street = rng.choice(people["streets"])
        address = f"{rng.randint(1, 180)} {street}, London {rng.choice(people['postcodes'])}"
    birthday = None
    if rng.random() < 0.5:
        birthday = date(rng.randint(1958, 2005), rng.randint(1, 12), rng.randint(1, 28))
    return Client(
        first_name=first,
        last_name=last,
        email=email,
        phone=normalise_phone(phone) if rng.random() < 0.93 else None,
        address=address,
        birthday=birthday,
        lead_status=status,
        source=rng.choice(people["sources"]),
        owner_staff_id=s.staff[owner].id,
        created_at=s.now - timedelta(days=age_days, minutes=rng.randint(0, 600)),
    )


def _tags(s: Seeder, people: dict[str, Any]) -> None:
    fixed = {s.clients[spec["key"]].id: spec["tags"] for spec in people["fixed_clients"]}
    for client in s.client_list:
        tags = fixed.get(client.id)
        if tags is None:
            tags = s.rng.sample(people["tags"], s.rng.choice([0, 0, 1, 1, 2]))
        s.add(*(ClientTag(client_id=client.id, tag=tag) for tag in sorted(tags)))


def _notes(s: Seeder, people: dict[str, Any]) -> None:
    authors = [s.users[key] for key in ("emma", "daniel", "chloe", "priya")]
    for spec in people["fixed_notes"]:
        client = s.clients[spec["client"]]
        s.add(
            ClientNote(
                client_id=client.id,
                kind=NoteKind(spec["kind"]),
                body=spec["body"],
                author_user_id=s.users["emma"].id,
            ),
            created=s.now - timedelta(days=s.rng.randint(2, 60), hours=s.rng.randint(0, 8)),
        )
    named = set(s.clients.values())
    regulars = [c for c in s.client_list if c not in named]
    for client in s.rng.sample(regulars, _GENERATED_NOTES):
        kind, body = s.rng.choice(people["note_templates"])
        s.add(
            ClientNote(
                client_id=client.id,
                kind=NoteKind(kind),
                body=body,
                author_user_id=s.rng.choice(authors).id,
            ),
            created=s.now - timedelta(days=s.rng.randint(1, 80), hours=s.rng.randint(0, 8)),
        )
