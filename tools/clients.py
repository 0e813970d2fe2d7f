"""Client management (spec section 2): find, read, change, merge, import and export clients.

Staff see and annotate only their own clients (the service enforces it); client-portal users
read and change only their own record (``clients_get``/``clients_update`` without a client).
Undo: create, update, delete, add_note and tag are reversible; merge, import and export are not.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from ..assistant.catalog import (
    Card,
    DataScope,
    InverseRunner,
    Operation,
    Risk,
    Tool,
    ToolResult,
    UndoPlan,
)
from ..assistant.context import ExecutionContext
from ..errors import Invalid
from ..workspace.models import LeadStatus, NoteKind
from ..workspace.services import Services
from ..workspace.services.clients import (
    ClientProfile,
    ClientSummary,
    EngagementLevel,
    HistoryKind,
    ImportReport,
    SortKey,
)
from ._common import ClientRef, Limit, ToolInput, local_label

__all__ = ["INVERSES", "MAX_IMPORT_CHARS", "MAX_IMPORT_FILE_BYTES", "TOOLS"]

DOMAIN = "clients"
MAX_IMPORT_CHARS = 1_000_000
"""Largest inline import (characters); bigger lists go through a file ``path``."""
MAX_IMPORT_FILE_BYTES = 5_000_000
"""Largest import file read from disk."""
_SHOWN = 5
"""How many items a summary names before saying "and N more"."""

StaffRef = Annotated[
    int | str,
    Field(description="A staff member: id or name (e.g. 'Emma')."),
]
TagName = Annotated[str, Field(min_length=1, max_length=60, description="A tag, e.g. 'vip'.")]
ClientList = Annotated[
    list[ClientRef],
    Field(min_length=1, max_length=100, description="The clients: ids, names, e-mails or phones."),
]
ExportFormat = Literal["csv", "json"]


# -- summary helpers -------------------------------------------------------------------------


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def _listed(items: Sequence[str]) -> str:
    """'A, B and C' for up to five items, then 'and N more'."""
    shown = list(items[:_SHOWN])
    more = len(items) - len(shown)
    if more > 0:
        return ", ".join(shown) + f" and {more} more"
    if len(shown) > 1:
        return ", ".join(shown[:-1]) + f" and {shown[-1]}"
    return shown[0] if shown else ""


def _day(moment: datetime, context: ExecutionContext) -> str:
    local = moment.astimezone(context.service_context().tz)
    return f"{local.day} {local:%b %Y}"


def _contact(client: ClientSummary | ClientProfile) -> str:
    return ", ".join(filter(None, (client.email, client.phone))) or "no contact details"


def _undo(operation: str, summary: str, **arguments: Any) -> UndoPlan:
    return UndoPlan(DOMAIN, operation, arguments, summary)


# -- clients_search --------------------------------------------------------------------------


class SearchClients(ToolInput):
    query: str = Field(
        default="",
        max_length=200,
        description="Name, e-mail, phone or company, whole or in part (fuzzy, typos allowed). "
        "Leave empty to use only the filters.",
    )
    tag: TagName | None = Field(default=None, description="Only clients with this tag.")
    lead_status: LeadStatus | None = Field(
        default=None, description="Only clients with this lead status."
    )
    engagement: EngagementLevel | None = Field(
        default=None, description="Only clients at this engagement level."
    )
    limit: Limit = 20


def search_clients(
    services: Services, args: SearchClients, context: ExecutionContext
) -> ToolResult:
    found = services.clients.search(
        args.query,
        tag=args.tag,
        lead_status=args.lead_status,
        engagement=args.engagement,
        limit=args.limit,
    )
    if not found:
        what = f" “{args.query}”" if args.query else " those filters"
        return ToolResult(f"No clients match{what}.", [], Card.CLIENTS)
    names = [f"{c.name} ({_contact(c)})" for c in found]
    return ToolResult(
        f"Found {_count(len(found), 'client')}: {_listed(names)}.", found, Card.CLIENTS
    )


# -- clients_get -----------------------------------------------------------------------------


class GetClient(ToolInput):
    client: ClientRef | None = Field(
        default=None,
        description="The client: id, name, e-mail or phone. Client-portal users leave it "
        "empty: they always get their own record.",
    )


def _profile_summary(profile: ClientProfile, context: ExecutionContext) -> str:
    tags = f", tagged {_listed(profile.tags)}" if profile.tags else ""
    first = f"{profile.name} ({_contact(profile)}), {profile.lead_status.value}{tags}."
    visits = []
    if profile.last_appointment:
        last = profile.last_appointment
        visits.append(f"last visit {local_label(last.starts_at, context)} ({last.service})")
    if profile.next_appointment:
        upcoming = profile.next_appointment
        visits.append(f"next {local_label(upcoming.starts_at, context)} ({upcoming.service})")
    if profile.balance is not None:
        visits.append(f"balance {profile.balance}")
    visits.append(_count(profile.notes_count, "note"))
    second = "; ".join(visits)
    return f"{first} {second[0].upper()}{second[1:]}."


def get_client(services: Services, args: GetClient, context: ExecutionContext) -> ToolResult:
    profile = services.clients.get(args.client)
    return ToolResult(_profile_summary(profile, context), profile, Card.CLIENT)


# -- clients_history -------------------------------------------------------------------------


class ClientHistory(ToolInput):
    client: ClientRef
    kinds: list[HistoryKind] | None = Field(
        default=None,
        min_length=1,
        max_length=5,
        description="Only these kinds of events (default: all of them).",
    )
    limit: Limit = 20


def client_history(
    services: Services, args: ClientHistory, context: ExecutionContext
) -> ToolResult:
    profile = services.clients.get(args.client)
    entries = services.clients.history(profile.id, limit=args.limit, kinds=args.kinds)
    if not entries:
        return ToolResult(f"{profile.name} has no history yet.", [], Card.TABLE)
    lines = [
        f"{local_label(e.at, context)} {e.title}" + (f" ({e.status})" if e.status else "")
        for e in entries
    ]
    return ToolResult(
        f"{profile.name}'s latest {_count(len(entries), 'event')}: {_listed(lines)}.",
        entries,
        Card.TABLE,
    )


# -- clients_list ----------------------------------------------------------------------------


class ListClients(ToolInput):
    tag: TagName | None = Field(default=None, description="Only clients with this tag.")
    lead_status: LeadStatus | None = Field(
        default=None, description="Only clients with this lead status."
    )
    owner_staff: StaffRef | None = Field(
        default=None, description="Only clients this staff member looks after."
    )
    mine: bool = Field(
        default=False,
        description="Only the user's own clients (looked after by them or booked with them); "
        "always on for staff.",
    )
    not_visited_days: int | None = Field(
        default=None,
        ge=1,
        le=3650,
        description="Only clients whose last visit is more than this many days ago, e.g. 90 "
        "(also those added that long ago who never came).",
    )
    include_deleted: bool = Field(default=False, description="Include deleted clients too.")
    sort: SortKey = Field(
        default="name", description="Sort by last name, date added or last visit."
    )
    descending: bool = Field(default=False, description="Newest/last first instead.")
    limit: Limit = 50
    offset: int = Field(
        default=0, ge=0, le=100_000, description="Skip this many (to get the next page)."
    )


def list_clients(services: Services, args: ListClients, context: ExecutionContext) -> ToolResult:
    page = services.clients.list_clients(
        tag=args.tag,
        lead_status=args.lead_status,
        owner_staff=args.owner_staff,
        own_only=args.mine or context.own_only,
        not_visited_days=args.not_visited_days,
        include_deleted=args.include_deleted,
        sort=args.sort,
        descending=args.descending,
        limit=args.limit,
        offset=args.offset,
    )
    if not page.items:
        return ToolResult(
            f"No clients to show ({_count(page.total, 'client')} match).", page, Card.CLIENTS
        )
    with_visits = args.not_visited_days is not None or args.sort == "last_visit"
    names = [
        f"{c.name} ({'last visit ' + _day(c.last_visit, context) if c.last_visit else 'no visits'})"
        if with_visits
        else c.name
        for c in page.items
    ]
    first, last = args.offset + 1, args.offset + len(page.items)
    return ToolResult(
        f"{_count(page.total, 'client')}; showing {first}-{last}: {_listed(names)}.",
        page,
        Card.CLIENTS,
    )


# -- clients_engagement ----------------------------------------------------------------------


class ClientEngagement(ToolInput):
    client: ClientRef


def client_engagement(
    services: Services, args: ClientEngagement, context: ExecutionContext
) -> ToolResult:
    result = services.clients.engagement(args.client)
    ranked = sorted(result.factors, key=lambda f: f.value)
    weakest, strongest = ranked[0], ranked[-1]
    return ToolResult(
        f"{result.name}: engagement {result.score}/100 ({result.level.value}). "
        f"Strongest: {strongest.name} ({strongest.detail}); weakest: {weakest.name} "
        f"({weakest.detail}).",
        result,
        Card.TABLE,
    )


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
        f"Added the client {profile.name} ({_contact(profile)}).",
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
        f"Updated {profile.name}: {_listed(changes)}.",
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
    return _listed([" ".join(t.split()).lower() for t in tags])


def tag_clients(services: Services, args: TagClients, context: ExecutionContext) -> ToolResult:
    result = services.clients.tag(args.clients, add=args.add, remove=args.remove)
    changed = [c for c in result.changes if c.before != c.after]
    if not changed:
        summary = "Nothing changed: the tags were already like that."
    elif len(result.changes) == 1:
        change = result.changes[0]
        tags = _listed(change.after) if change.after else "nothing"
        summary = f"{change.name} is now tagged {tags}."
    else:
        added, removed = _tag_words(args.add), _tag_words(args.remove)
        parts = [f"added {added}" if added else "", f"removed {removed}" if removed else ""]
        what = " and ".join(p for p in parts if p)
        summary = f"{what[0].upper()}{what[1:]} on {_listed([c.name for c in changed])}."
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
    moved_text = f", moving {_listed(moved)}" if moved else ""
    filled = [_FIELD_LABELS.get(f, f.replace("_", " ")) for f in result.filled]
    filled_text = f"; filled in {_listed(filled)}" if filled else ""
    return ToolResult(
        f"Merged {result.merged_name} (#{result.merged_id}) into {result.kept.name}"
        f"{moved_text}{filled_text}.",
        result,
        Card.CLIENT,
    )


# -- clients_import --------------------------------------------------------------------------


class ImportClients(ToolInput):
    content: str | None = Field(
        default=None,
        max_length=MAX_IMPORT_CHARS,
        description="The CSV or JSON text itself (up to about 1 MB). Give this or path.",
    )
    path: str | None = Field(
        default=None,
        min_length=1,
        max_length=1000,
        description="A CSV or JSON file on this computer to read. Give this or content.",
    )
    format: ExportFormat | None = Field(
        default=None,
        description="csv or json (default: from the file's extension, or from the content).",
    )
    dry_run: bool = Field(
        default=True,
        description="true (default): only preview what would be imported. false: import, "
        "after the user has seen the preview.",
    )
    skip_invalid: bool = Field(
        default=False,
        description="Import the good rows and leave out rows with errors or duplicates.",
    )
    allow_duplicates: bool = Field(
        default=False,
        description="Import rows that look like existing clients anyway.",
    )

    @model_validator(mode="after")
    def _one_source(self) -> ImportClients:
        if (self.content is None) == (self.path is None):
            raise ValueError("give the list either as content or as a path (exactly one)")
        return self


def _read_import_file(text: str) -> bytes:
    path = Path(text).expanduser()
    if not path.is_file():
        raise Invalid(f"There is no file at {path}; check the path.", field="path")
    size = path.stat().st_size
    if size > MAX_IMPORT_FILE_BYTES:
        raise Invalid(
            f"{path.name} is {size / 1_000_000:.1f} MB; import at most "
            f"{MAX_IMPORT_FILE_BYTES // 1_000_000} MB at a time.",
            field="path",
        )
    try:
        return path.read_bytes()
    except OSError as error:
        raise Invalid(f"I can't read {path}: {error.strerror}.", field="path") from None


def _import_format(args: ImportClients) -> ExportFormat:
    if args.format is not None:
        return args.format
    if args.path is not None:
        return "json" if Path(args.path).suffix.lower() == ".json" else "csv"
    return "json" if (args.content or "").lstrip()[:1] in ("[", "{") else "csv"


def _import_summary(report: ImportReport) -> str:
    problems = [
        f"row {e.row} {e.field.replace('_', ' ')}: {e.message.rstrip('.')}" for e in report.errors
    ]
    problems += [f"row {d.row}: {d.message.rstrip('.')}" for d in report.duplicates]
    more = f" and {len(problems) - 3} more" if len(problems) > 3 else ""
    issues = f" Problems: {'; '.join(problems[:3])}{more}." if problems else ""
    if report.dry_run:
        return (
            f"Preview of {_count(report.total_rows, 'row')}: {report.valid_rows} can be imported, "
            f"{_count(len(report.errors), 'error')}, "
            f"{_count(len(report.duplicates), 'duplicate')}. Nothing imported yet.{issues}"
        )
    skipped = f", skipped {_count(len(report.skipped_rows), 'row')}" if report.skipped_rows else ""
    return f"Imported {_count(report.created_count, 'client')}{skipped}.{issues}"


def import_clients(
    services: Services, args: ImportClients, context: ExecutionContext
) -> ToolResult:
    data: str | bytes = args.content if args.content is not None else b""
    if args.path is not None:
        data = _read_import_file(args.path)
    report = services.clients.import_clients(
        data,
        _import_format(args),
        dry_run=args.dry_run,
        skip_invalid=args.skip_invalid,
        allow_duplicates=args.allow_duplicates,
    )
    return ToolResult(_import_summary(report), report, Card.TABLE)


# -- clients_export --------------------------------------------------------------------------


class ExportClients(ToolInput):
    format: ExportFormat | None = Field(
        default=None, description="csv or json (default: from file_name, else csv)."
    )
    file_name: str | None = Field(
        default=None,
        max_length=80,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9 _-]*(\.(csv|json))?$",
        description="A name for the file, e.g. 'vip-clients' (default: clients-<date-time>). "
        "It is saved in Luma's exports folder.",
    )
    tag: TagName | None = Field(default=None, description="Only clients with this tag.")
    lead_status: LeadStatus | None = Field(
        default=None, description="Only clients with this lead status."
    )
    owner_staff: StaffRef | None = Field(
        default=None, description="Only clients this staff member looks after."
    )
    not_visited_days: int | None = Field(
        default=None,
        ge=1,
        le=3650,
        description="Only clients not seen for more than this many days.",
    )
    include_deleted: bool = Field(default=False, description="Include deleted clients too.")


def export_clients(
    services: Services, args: ExportClients, context: ExecutionContext
) -> ToolResult:
    folder = services.folder("exports")
    target: Path = folder
    fmt = args.format
    if args.file_name:
        name = Path(args.file_name)
        suffix = name.suffix.lstrip(".")
        if suffix and fmt and suffix != fmt:
            raise Invalid(
                f"The file name ends in .{suffix} but the format is {fmt}; choose one.",
                field="file_name",
            )
        fmt = fmt or ("json" if suffix == "json" else "csv")
        target = folder / (args.file_name if suffix else f"{args.file_name}.{fmt}")
    result = services.clients.export_clients(
        target,
        fmt,
        tag=args.tag,
        lead_status=args.lead_status,
        owner_staff=args.owner_staff,
        not_visited_days=args.not_visited_days,
        include_deleted=args.include_deleted,
    )
    return ToolResult(
        f"Exported {_count(result.count, 'client')} to {result.path.name} "
        f"({result.format.upper()}) in the exports folder.",
        result,
        Card.TEXT,
    )


# -- the catalog of this domain --------------------------------------------------------------

_W, _R = Operation.WRITE, Operation.READ
_ROLE = DataScope.ROLE_BASED

TOOLS: list[Tool[Any]] = [
    Tool(
        "clients_search",
        DOMAIN,
        "Find clients by name, e-mail, phone or company (fuzzy), optionally by tag, lead "
        "status or engagement level.\nUse it to find who someone is ('the Sarah with the "
        "design studio'). Returns matching clients, best first, with contact details and tags.",
        SearchClients,
        search_clients,
        _R,
        Risk.NONE,
        _ROLE,
        Card.CLIENTS,
        examples=("find Sarah", "who are my vip clients", "search clients for alpine"),
    ),
    Tool(
        "clients_get",
        DOMAIN,
        "A client's profile: contact details, tags, last and next appointment, balance owed "
        "and number of notes.\nUse it for 'tell me about Sarah Miller' or 'what's her phone "
        "number'. Client-portal users get their own record.",
        GetClient,
        get_client,
        _R,
        Risk.NONE,
        _ROLE,
        Card.CLIENT,
        examples=("show Sarah Miller", "what's Hans's email"),
    ),
    Tool(
        "clients_history",
        DOMAIN,
        "A client's activity timeline, newest first: appointments, invoices, payments, "
        "messages and notes.\nUse it for 'what has Sarah had done' or 'when did we last hear "
        "from her'. Returns dated events with their status.",
        ClientHistory,
        client_history,
        _R,
        Risk.NONE,
        _ROLE,
        Card.TABLE,
        examples=("Sarah Miller's history", "what did Olivia book before"),
    ),
    Tool(
        "clients_list",
        DOMAIN,
        "List clients with filters and sorting, a page at a time: tag, lead status, staff "
        "member, not visited in N days, the user's own clients.\nUse it for 'clients who "
        "haven't been in for 90 days' or 'all my leads'. Returns the page and the total count.",
        ListClients,
        list_clients,
        _R,
        Risk.NONE,
        _ROLE,
        Card.CLIENTS,
        examples=("clients not seen in 90 days", "list my clients", "all leads"),
    ),
    Tool(
        "clients_engagement",
        DOMAIN,
        "A client's engagement score (0-100) and level (cold, warm, hot, vip), with the six "
        "factors behind it: recency, frequency, spend, punctuality, responsiveness, tenure.\n"
        "Use it for 'how engaged is Sarah' or 'is she a VIP'.",
        ClientEngagement,
        client_engagement,
        _R,
        Risk.NONE,
        _ROLE,
        Card.TABLE,
        examples=("how engaged is Sarah Miller",),
    ),
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
    ),
    Tool(
        "clients_import",
        DOMAIN,
        "Import clients from CSV or JSON (inline content or a file path), with duplicate "
        "detection and per-row errors; nothing is ever half-imported.\nFirst run it as a "
        "preview (dry_run true, the default), show the counts and problems, then import with "
        "dry_run false. An import cannot be undone.",
        ImportClients,
        import_clients,
        _W,
        Risk.HIGH,
        DataScope.ALL,
        Card.TABLE,
        confirmation="Import clients from the given CSV/JSON list (dry run: {dry_run})?",
        examples=("import clients from ~/Downloads/clients.csv",),
    ),
    Tool(
        "clients_export",
        DOMAIN,
        "Export clients (all, or filtered by tag, lead status, staff member or last visit) to a "
        "CSV or JSON file in Luma's exports folder.\nReturns the file path and count. Writes a "
        "file, so there is nothing to undo.",
        ExportClients,
        export_clients,
        _W,
        Risk.LOW,
        DataScope.ALL,
        Card.TEXT,
        examples=("export all clients to csv", "export the vip clients"),
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
