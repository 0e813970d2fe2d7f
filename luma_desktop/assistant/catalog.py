"""The capability catalog: what a tool is, and the registry that holds them.

A tool is metadata (name, domain, description for a model, operation, risk, data scope, card,
confirmation template) plus a pydantic input model and a handler over the workspace services.
Domain modules in ``luma_desktop.tools`` build tools and add them with one
:meth:`ToolRegistry.register` call, which refuses duplicate names.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Annotated, Any, Generic, TypeVar, get_args, get_origin

from pydantic import BaseModel

if TYPE_CHECKING:
    from ..workspace.services import Services
    from .context import ExecutionContext

__all__ = [
    "Card",
    "DataScope",
    "Operation",
    "Refers",
    "Risk",
    "Tool",
    "ToolRegistry",
    "ToolResult",
    "UndoPlan",
]


class Operation(enum.StrEnum):
    READ = "read"
    WRITE = "write"


class Risk(enum.StrEnum):
    """How careful Luma must be before running a tool (see the spec's risk table)."""

    NONE = "none"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def level(self) -> int:
        return list(Risk).index(self)

    def raised(self) -> Risk:
        """One level up (critical stays critical)."""
        members = list(Risk)
        return members[min(self.level + 1, len(members) - 1)]

    def needs_confirmation(self) -> bool:
        return self.level >= Risk.MEDIUM.level


class DataScope(enum.StrEnum):
    """Which rows a tool may touch for a user; the executor enforces it, never the model."""

    ALL = "all"
    """Every row of the business."""
    ROLE_BASED = "role_based"
    """Owner/admin/manager see all; staff see their own; clients see their own."""
    OWN = "own"
    """Only the user's own rows (their reminders, their memories)."""
    DEPARTMENT = "department"
    """Managers see their departments."""
    ADMIN_ONLY = "admin_only"
    """Only owners and admins."""


class Card(enum.StrEnum):
    """How a result renders in the window (the CLI renders the same data as tables)."""

    TEXT = "text"
    APPOINTMENT = "appointment"
    APPOINTMENTS = "appointments"
    AVAILABILITY = "availability"
    CLIENT = "client"
    CLIENTS = "clients"
    INVOICE = "invoice"
    INVOICES = "invoices"
    QUOTE = "quote"
    BALANCE = "balance"
    TRANSACTIONS = "transactions"
    TASKS = "tasks"
    REMINDERS = "reminders"
    SEARCH = "search"
    TABLE = "table"


@dataclass(frozen=True, slots=True)
class Refers:
    """Marks an argument that names a record (``Annotated[int | str, Refers("client")]``).

    The gatekeeper resolves such names before asking for a confirmation, so an ambiguous or
    unknown name is settled first and the question names the real record.
    """

    kind: str


@dataclass(frozen=True, slots=True)
class UndoPlan:
    """How to revert a write: an inverse operation the tool's domain knows how to run."""

    domain: str
    operation: str
    arguments: dict[str, Any]
    summary: str
    """What undoing will do, in words ("cancel the booking for Sarah Miller on 3 May")."""


@dataclass(frozen=True, slots=True)
class ToolResult:
    """What a tool returns: data for cards and a short sentence for models, CLI and speech."""

    summary: str
    data: Any = None
    card: Card = Card.TEXT
    undo: UndoPlan | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"summary": self.summary, "card": self.card.value, "data": _jsonable(self.data)}


def _jsonable(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    return value


InputT = TypeVar("InputT", bound=BaseModel)
Handler = Callable[["Services", InputT, "ExecutionContext"], ToolResult]
RiskRule = Callable[[InputT, "Services"], Risk]


@dataclass(frozen=True)
class Tool(Generic[InputT]):
    """One capability."""

    name: str
    domain: str
    description: str
    """For a model: what it does, when to use it, what it returns."""
    input_model: type[InputT]
    handler: Handler[InputT]
    operation: Operation
    risk: Risk
    scope: DataScope = DataScope.ALL
    card: Card = Card.TEXT
    confirmation: str = ""
    """What the human sees before a medium+ action; ``{field}`` placeholders from the input."""
    reversible: bool = False
    examples: tuple[str, ...] = field(default_factory=tuple)
    """Things people say that mean this tool (for retrieval and the offline parser)."""
    risk_rule: RiskRule[InputT] | None = None
    """The risk for particular arguments when it depends on them (a large payment is critical);
    never below :attr:`risk`."""

    def risk_for(self, arguments: InputT, services: Services) -> Risk:
        """The risk of running this tool with these (validated) arguments."""
        if self.risk_rule is None:
            return self.risk
        return max(self.risk, self.risk_rule(arguments, services), key=lambda r: r.level)

    @cached_property
    def input_schema(self) -> dict[str, Any]:
        """The JSON Schema of the input, as sent to a model."""
        schema = self.input_model.model_json_schema()
        schema.pop("title", None)
        return schema

    @cached_property
    def references(self) -> dict[str, str]:
        """Arguments that name records: argument name → record kind (see :class:`Refers`)."""
        found = {}
        for name, info in self.input_model.model_fields.items():
            markers = [*info.metadata, *_markers_in(info.annotation)]
            kinds = [m.kind for m in markers if isinstance(m, Refers)]
            if kinds:
                found[name] = kinds[0]
        return found

    def definition(self) -> dict[str, Any]:
        """The tool as a model sees it (Anthropic/OpenAI-neutral shape)."""
        return {
            "name": self.name,
            "description": self.description,
            "input_schema": self.input_schema,
        }

    @property
    def summary_line(self) -> str:
        """The description's first sentence."""
        first = self.description.strip().splitlines()[0]
        return first.split(". ")[0].rstrip(".") + "."


def _markers_in(annotation: Any) -> list[Any]:
    """Metadata of ``Annotated`` types inside an optional or union annotation."""
    found: list[Any] = []
    for arg in get_args(annotation):
        if get_origin(arg) is Annotated:
            found.extend(arg.__metadata__)
    return found


RESERVED_FIELDS = frozenset({"business_id", "user_id", "role", "conversation_id", "tenant"})
"""Scope is injected by the executor: no tool input may carry these."""

InverseRunner = Callable[["Services", dict[str, Any]], object]


class ToolRegistry:
    """All tools by name; :meth:`register` refuses duplicates."""

    def __init__(self) -> None:
        self._tools: dict[str, Tool[Any]] = {}
        self._inverses: dict[tuple[str, str], InverseRunner] = {}

    def register(
        self,
        tools: Iterable[Tool[Any]],
        inverses: Mapping[tuple[str, str], InverseRunner] | None = None,
    ) -> None:
        """Add a domain's tools and the inverse operations its undo plans name (all or none).

        Refuses a name that is already taken and an input model with a scope field.
        """
        batch = list(tools)
        names = [tool.name for tool in batch]
        clashes = {n for n in names if n in self._tools or names.count(n) > 1}
        clashes |= {key[1] for key in (inverses or {}) if key in self._inverses}
        if clashes:
            raise ValueError(f"already registered: {', '.join(sorted(clashes))}")
        for tool in batch:
            reserved = RESERVED_FIELDS & set(tool.input_model.model_fields)
            if reserved:
                raise ValueError(f"{tool.name} takes scope fields {sorted(reserved)}")
        for tool in batch:
            self._tools[tool.name] = tool
        self._inverses.update(inverses or {})

    def inverse(self, domain: str, operation: str) -> InverseRunner | None:
        """The runner of a registered inverse operation (undo plans name only these)."""
        return self._inverses.get((domain, operation))

    def get(self, name: str) -> Tool[Any] | None:
        return self._tools.get(name)

    def __contains__(self, name: object) -> bool:
        return name in self._tools

    def __iter__(self) -> Iterator[Tool[Any]]:
        return iter(sorted(self._tools.values(), key=lambda t: t.name))

    def __len__(self) -> int:
        return len(self._tools)

    def definitions_json(self, tools: Iterable[Tool[Any]]) -> str:
        """Byte-stable JSON of tool definitions (sorted by name, sorted keys)."""
        ordered = sorted(tools, key=lambda t: t.name)
        return json.dumps(
            [t.definition() for t in ordered],
            sort_keys=True,
            separators=(",", ":"),
            ensure_ascii=False,
        )
