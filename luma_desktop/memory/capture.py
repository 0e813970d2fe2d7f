"""Capture: which parts of an exchange are worth remembering, as short third-person sentences.

:func:`select` looks at one exchange (the user's words, Luma's reply, the tools used) and returns
the :class:`Candidate` memories in it; :func:`summary_candidate` turns a conversation summary into
one. Pure logic: no I/O, no model, microseconds per exchange.

What is kept, one function per kind:

- **Resolutions** (:func:`_resolutions`): a write tool failed and a later write in the same
  exchange succeeded ("sending invoice 42 failed (no e-mail); fixed by: updated Alpine Tech ...").
- **Decisions and tool facts** (:func:`_decisions`): successful writes listed in
  :data:`_DECISION_TOOLS` whose effect matters later (working hours, recurring bookings and
  payments, client contact details, payees, client preference notes). Other writes (a one-off
  booking, sending an invoice) live in the business data already; reads are never kept.
- **Preferences** (:func:`_preference`): the user's words with a preference cue (:data:`_CUES`):
  "I prefer", "I like", "always/never", "from now on", "every Monday", "don't ... before 10".
- **Facts** (:func:`_fact`): statements about a named client, supplier or the business
  ("Alpine Tech pays in 30 days", "the contact at Alpine Tech is Hans Mueller ...").

Trade-offs. Precision matters more than recall: a wrong memory is recalled into later turns and
misleads, while a missed one is only a missed chance (and the user can say "remember that ...",
which is always kept). So questions, one-off requests ("tomorrow", "next Friday"), passing states
("at the moment"), greetings, thanks, confirmations and unlisted writes are dropped.

- Known misses: preferences without a cue word ("Mondays suit me for reminders"), sentences whose
  subject is a pronoun ("she always wants Emma") or a name in lower case, and facts stated only in
  Luma's reply. The reply is not mined on purpose: it restates tool results (covered already) or
  the user's words, and mining it would store Luma's own guesses.
- Known false positives: a capitalised word that is not a name ("Cash is tight") is taken for a
  subject.
- A weak cue ("every Monday") in a request whose tool was already kept as a decision is not kept
  again as a preference (it describes the command); the same goes for a sentence about a record
  a tool's memory already names.

Scope: the user's own preferences are personal; facts about clients, suppliers and the business,
and decisions, are company memories; anything from a client-portal user is personal.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from ..workspace.models import Role
from .records import Kind, Scope

__all__ = [
    "MAX_CHARS",
    "SUMMARY_MAX_CHARS",
    "Candidate",
    "Exchange",
    "UsedTool",
    "select",
    "summary_candidate",
]

MAX_CHARS = 300
"""Longest memory sentence kept from an exchange (longer ones are cut at a word)."""
SUMMARY_MAX_CHARS = 600
"""Longest conversation summary kept."""


@dataclass(frozen=True, slots=True)
class UsedTool:
    """One tool call of the exchange, as the gatekeeper reported it."""

    name: str
    domain: str
    operation: str
    """``"read"`` or ``"write"``."""
    arguments: Mapping[str, Any] = field(default_factory=dict)
    summary: str = ""
    """The tool's result sentence (empty when it failed)."""
    ok: bool = True
    error: str | None = None
    """The error message shown to the user when it failed."""
    records: tuple[str, ...] = ()
    """Records the result referred to, as ``kind:id``, when known."""


@dataclass(frozen=True, slots=True)
class Exchange:
    """One request and what came of it."""

    request: str
    reply: str
    tools: tuple[UsedTool, ...]
    role: Role
    user_id: int
    business_id: int
    conversation_id: int | None = None


@dataclass(frozen=True, slots=True)
class Candidate:
    """A memory worth keeping (the service stores it with ``Memory.remember``)."""

    text: str
    kind: Kind
    scope: Scope
    topic: str = ""
    entities: tuple[str, ...] = ()
    """``kind:id`` where the tools carried ids, otherwise the names mentioned."""
    tool_names: tuple[str, ...] = ()
    """The tools it came from (decides which roles may recall a company memory)."""
    source_conversation: int | None = None
    author_role: Role = Role.OWNER


# -- entry points ----------------------------------------------------------------------------


def select(exchange: Exchange) -> list[Candidate]:
    """The memories worth keeping from ``exchange`` (often none)."""
    found, consumed = _resolutions(exchange.tools)
    decisions = _decisions(tool for tool in exchange.tools if id(tool) not in consumed)
    found += decisions
    covered = {word for c in found for e in c.entities for word in e.lower().split()}
    topic = _tools_topic(exchange.tools)
    for sentence, explicit in _sentences(exchange.request):
        candidate = _preference(sentence, weak_allowed=not decisions) or _fact(sentence)
        if candidate is None and explicit:
            candidate = _note(sentence)
        if candidate is not None and not _covered(candidate, covered):
            found.append(replace(candidate, topic=_keyword_topic(candidate.text) or topic))
    return _finish(found, exchange)


def _covered(candidate: Candidate, covered: set[str]) -> bool:
    """Whether a tool's memory already names what the user's sentence is about."""
    return any(set(entity.lower().split()[:1]) & covered for entity in candidate.entities)


def summary_candidate(
    summary_text: str, conversation_id: int | None, role: Role
) -> Candidate | None:
    """The memory of a conversation summary, or ``None`` when it says nothing worth keeping."""
    text = " ".join(summary_text.split())
    content = [w for w in _WORD.findall(text.lower()) if w not in _FILLER and len(w) > 2]
    if len(content) < 4 or (_TRIVIAL_SUMMARY.search(text) and len(content) < 10):
        return None
    return Candidate(
        _clip(_sentence_case(text), SUMMARY_MAX_CHARS),
        Kind.SUMMARY,
        Scope.PERSONAL,
        _keyword_topic(text),
        source_conversation=conversation_id,
        author_role=role,
    )


def _finish(found: list[Candidate], exchange: Exchange) -> list[Candidate]:
    portal = exchange.role not in (Role.OWNER, Role.ADMIN, Role.MANAGER, Role.STAFF)
    kept: dict[str, Candidate] = {}
    for candidate in found:
        text = _clip(candidate.text, MAX_CHARS)
        kept.setdefault(
            text.lower(),
            replace(
                candidate,
                text=text,
                entities=_entities(candidate.entities),
                scope=Scope.PERSONAL if portal else candidate.scope,
                source_conversation=exchange.conversation_id,
                author_role=exchange.role,
            ),
        )
    return list(kept.values())


def _entities(found: Iterable[str]) -> tuple[str, ...]:
    """Distinct references, as the store takes them (no commas, at most 60 characters)."""
    cleaned = (" ".join(e.replace(",", " ").split())[:60] for e in found)
    return tuple(dict.fromkeys(e for e in cleaned if e))[:12]


# -- resolutions -----------------------------------------------------------------------------


def _resolutions(tools: tuple[UsedTool, ...]) -> tuple[list[Candidate], set[int]]:
    """Failed writes followed by successful writes, and the tools those candidates used."""
    found: list[Candidate] = []
    consumed: set[int] = set()
    for index, failed in enumerate(tools):
        if failed.ok or failed.operation != "write" or id(failed) in consumed:
            continue
        later = [t for t in tools[index + 1 :] if t.ok and t.operation == "write"]
        if not later:
            continue
        fixes = [t for t in later if t.name != failed.name]
        retried = [t for t in later if t.name == failed.name]
        steps = [_lower_verb(_clean_summary(t.summary)) for t in fixes]
        if retried:
            steps.append(
                "the retry succeeded" if fixes else _lower_verb(_clean_summary(retried[0].summary))
            )
        error = (failed.error or "an error").rstrip(".")
        text = f"{_describe(failed)} failed ({error}); fixed by: {'; '.join(steps)}"
        used = [failed, *later]
        consumed.update(id(t) for t in used)
        found.append(
            Candidate(
                _end(text),
                Kind.RESOLUTION,
                Scope.COMPANY,
                failed.domain,
                _tool_entities(used),
                tuple(dict.fromkeys(t.name for t in used)),
            )
        )
    return found, consumed


_GERUNDS = {"set": "setting", "pay": "paying", "add": "adding", "transfer": "transferring"}
_GERUNDS |= {"cancel": "cancelling", "get": "getting", "tag": "tagging", "run": "running"}


def _describe(tool: UsedTool) -> str:
    """ "Sending invoice 42", "Creating appointment for Sarah Miller"."""
    verb, *rest = tool.name.split("_")[1:] or [tool.name]
    gerund = _GERUNDS.get(verb) or (verb[:-1] if verb.endswith("e") else verb) + "ing"
    thing = " ".join(rest)
    references = _references(tool.arguments)
    if not references:
        return f"{gerund.title()} {thing}".strip()
    kind, value = references[0]
    if thing and thing != kind:
        return f"{gerund.title()} {thing} for {value}"
    return f"{gerund.title()} {kind} {value}"


# -- decisions and facts from tools ----------------------------------------------------------

_Rule = tuple[Kind, Callable[[UsedTool], bool]]


def _always(tool: UsedTool) -> bool:
    return True


def _repeats(tool: UsedTool) -> bool:
    return bool(tool.arguments.get("repeat_every_weeks") or tool.arguments.get("repeat_times"))


def _not_once(tool: UsedTool) -> bool:
    return str(tool.arguments.get("frequency", "once")).lower() != "once"


def _has_contact(tool: UsedTool) -> bool:
    keys = {"email", "phone", "company", "address", "birthday", "owner_staff"}
    return bool(keys & {k for k, v in tool.arguments.items() if v not in (None, "")})


_DECISION_TOOLS: dict[str, _Rule] = {
    "scheduling_set_working_hours": (Kind.DECISION, _always),
    "scheduling_create_appointment": (Kind.DECISION, _repeats),
    "scheduling_create_resource": (Kind.DECISION, _always),
    "scheduling_update_resource": (Kind.DECISION, _always),
    "banking_schedule_payment": (Kind.DECISION, _not_once),
    "banking_freeze_card": (Kind.DECISION, _always),
    "banking_add_payee": (Kind.FACT, _always),
    "clients_create": (Kind.FACT, _has_contact),
    "clients_update": (Kind.FACT, _always),
    "clients_merge": (Kind.FACT, _always),
    "clients_tag": (Kind.FACT, _always),
    "clients_add_note": (Kind.FACT, lambda t: str(t.arguments.get("kind", "")) != "call"),
}
"""Successful writes worth remembering, and when (one-off actions are in the data already)."""


def _decisions(tools: Iterable[UsedTool]) -> list[Candidate]:
    found = []
    for tool in tools:
        rule = _DECISION_TOOLS.get(tool.name)
        if not tool.ok or rule is None or not rule[1](tool) or not tool.summary.strip():
            continue
        kind, text = rule[0], _clean_summary(tool.summary)
        if tool.name == "clients_add_note":
            client = tool.arguments.get("client", "The client")
            text = f"Note on {client}: {_third_person(str(tool.arguments.get('body', '')))}"
            kind = Kind.PREFERENCE if tool.arguments.get("kind") == "preference" else Kind.FACT
        elif tool.name == "scheduling_create_appointment":
            weeks = tool.arguments.get("repeat_every_weeks") or 1
            every = "weekly" if str(weeks) == "1" else f"every {weeks} weeks"
            text = f"Recurring booking ({every}): {_lower_verb(text)}"
        found.append(
            Candidate(
                _end(text), kind, Scope.COMPANY, tool.domain, _tool_entities([tool]), (tool.name,)
            )
        )
    return found


_CLEANUP = re.compile(r"\s*(?:Confirmation code|Reference|Undo with)\b[^.]*\.", re.IGNORECASE)


def _clean_summary(summary: str) -> str:
    return _CLEANUP.sub("", summary).strip().rstrip(".")


_REFERENCE_KEYS = {"client": "client", "clients": "client", "invoice": "invoice"}
_REFERENCE_KEYS |= {"quote": "quote", "payee": "payee", "staff": "staff", "keep": "client"}
_REFERENCE_KEYS |= {"resource": "resource", "appointment": "appointment", "task": "task"}


def _references(arguments: Mapping[str, Any]) -> list[tuple[str, str]]:
    """``(kind, value)`` of the record references in ``arguments``, in order."""
    found = []
    for key, value in arguments.items():
        kind = _REFERENCE_KEYS.get(key)
        values = value if isinstance(value, list | tuple) else [value]
        found += [(kind, str(v)) for v in values if kind and v not in (None, "")]
    return found


def _tool_entities(tools: Iterable[UsedTool]) -> tuple[str, ...]:
    found: list[str] = []
    for tool in tools:
        for kind, value in _references(tool.arguments):
            found.append(f"{kind}:{value}" if value.isdigit() else value)
        if tool.name in ("clients_create", "banking_add_payee"):
            args = tool.arguments
            name = args.get("name") or " ".join(
                str(args[k]) for k in ("first_name", "last_name") if args.get(k)
            )
            found += [str(v) for v in (name, args.get("company")) if v]
        found += tool.records
    return tuple(dict.fromkeys(found))


def _tools_topic(tools: tuple[UsedTool, ...]) -> str:
    writes = [t.domain for t in tools if t.operation == "write" and t.ok]
    return (writes or [t.domain for t in tools] or [""])[0]


# -- the user's words: preferences -----------------------------------------------------------

_DAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
_STRONG_CUES = [
    r"\bI(?:'d| would)? (?:really |much )?prefer\b",
    r"\bI(?:'d| would) rather\b",
    r"\bI (?:really )?(?:like|love|hate|dislike|enjoy)\b",
    r"\bI (?:do not|don't) (?:like|want)\b",
    r"\bI (?:usually|normally|tend to|only)\b",
    r"^(?:please )?(?:always|never)\b",
    r"\b(?:I|we) (?:always|never) (?!\w+ed\b|got\b|had\b|was\b|did\b|saw\b|heard\b)",
    r"\bfrom now on\b|\bgoing forward\b|\bin (?:the )?future\b|\bby default\b|\bas a rule\b",
    r"\b(?:don't|do not|never|no)\b.{0,40}\b(?:before|after) \d",
    r"\bmy (?:preferred|favourite|favorite|usual)\b",
    r"\bwe (?:prefer|like|want|only)\b",
]
_WEAK_CUES = [rf"\bevery (?:{_DAY}|day|week|weekday|morning|evening|month|fortnight|\d+ weeks)\b"]
_CUES = [(re.compile(p, re.IGNORECASE), True) for p in _STRONG_CUES]
_CUES += [(re.compile(p, re.IGNORECASE), False) for p in _WEAK_CUES]
"""Preference cues, and whether each is strong (kept even when a tool did the same thing)."""

_ONE_OFF = re.compile(
    rf"\b(?:today|tonight|tomorrow|this (?:morning|afternoon|evening|week|month)|next {_DAY}|"
    r"next week|right now|at the moment|currently|lately|these days|in \d+ (?:minutes|hours))\b",
    re.IGNORECASE,
)
_ENDURING = re.compile(r"\b(?:always|never|every|from now on|going forward|usually)\b", re.I)
_EMPTY_LIKE = re.compile(r"^I (?:really )?(?:like|love|hate) (?:it|that|this|them)\b", re.I)

_PREFIXES: list[tuple[str, str]] = [
    (r"^I(?:'d| would)? (?:really |much )?prefer (?:it if |that )?", "Prefers "),
    (r"^I(?:'d| would) rather ", "Would rather "),
    (r"^I(?:'d| would) (?:really )?like ", "Would like "),
    (r"^I (?:do not|don't) (\w+) ", r"Does not \1 "),
    (r"^we (always|never|only|usually) ", r"Business rule: \1 "),
    (r"^we (prefer|like|want) ", r"The business \1s "),
    (r"^(?:please )?(?:don't|do not) ", "Does not want Luma to "),
    (r"^no ", "Wants no "),
    (r"^my (preferred|favourite|favorite|usual) ", r"Their \1 "),
]
"""Rewrites of a preference's opening into the third person, first match wins."""

_I_VERB = re.compile(
    r"^I (?:(really|usually|normally|always|never|only|mostly|generally) )?([a-z]+)\b", re.I
)
_IRREGULAR = {"have": "has", "do": "does", "go": "goes", "am": "is", "can": "can", "will": "will"}


def _preference(sentence: str, *, weak_allowed: bool) -> Candidate | None:
    cues = [strong for pattern, strong in _CUES if pattern.search(sentence)]
    if not cues or not (any(cues) or weak_allowed) or _EMPTY_LIKE.search(sentence):
        return None
    if _ONE_OFF.search(sentence) and not _ENDURING.search(sentence):
        return None
    body = re.sub(_TIMELESS, "", sentence, flags=re.IGNORECASE).strip(" ,")
    if re.match(r"^(?:I|we|my|our|no|please don't|don't|do not)\b", body, re.IGNORECASE):
        company = re.match(r"^(?:we|our)\b", body, re.IGNORECASE) is not None
        text = _rewrite(body)
    elif _subject(body):
        return Candidate(
            _end(_third_person(body)), Kind.PREFERENCE, Scope.COMPANY, entities=(_subject(body),)
        )
    else:
        company, text = False, "Wants Luma to " + _third_person(_lower_first(body))
    scope = Scope.COMPANY if company else Scope.PERSONAL
    return Candidate(_end(text), Kind.PREFERENCE, scope)


_TIMELESS = r"\b(?:from now on|going forward|in (?:the )?future|as a rule)\b,?"


def _rewrite(body: str) -> str:
    for pattern, replacement in _PREFIXES:
        if re.match(pattern, body, re.IGNORECASE):
            head = re.sub(pattern, replacement, body, count=1, flags=re.IGNORECASE)
            return head[0].upper() + _third_person(head[1:])
    if match := _I_VERB.match(body):
        adverb = f"{match[1].lower()} " if match[1] else ""
        head = f"{adverb}{_third_singular(match[2].lower())}"
        return _sentence_case(head) + _third_person(body[match.end() :])
    return _third_person(body)


def _third_singular(verb: str) -> str:
    """ "prefer" -> "prefers", "go" -> "goes", "carry" -> "carries"."""
    if verb in _IRREGULAR:
        return _IRREGULAR[verb]
    if re.search(r"(?:s|sh|ch|x|z|o)$", verb):
        return verb + "es"
    return verb[:-1] + "ies" if re.search(r"[^aeiou]y$", verb) else verb + "s"


# -- the user's words: facts -----------------------------------------------------------------

_NAME = r"(?:[A-Z][\w&.'-]*)(?:\s+(?:[A-Z][\w&.'-]*|&|of|de|van|von))*"
_NOT_NAMES = {"I", "We", "You", "It", "This", "That", "They", "He", "She", "There", "Luma"}
_NOT_NAMES |= {"Please", "Also", "And", "But", "So", "Then", "What", "Who", "Can", "Could"}
_NOT_NAMES |= {"Ok", "Okay", "Thanks", "Yes", "No", "My", "Our", "Your", "Their", "Send"}
_FACT_VERBS = (
    r"is|are|was|has|have|works|moved|lives|owns|runs|pays|only|always|never|usually|"
    r"can't|cannot|doesn't|does not|won't|speaks|uses|supplies|delivers|charges|bills|"
    r"comes|needs|prefers|likes|loves|hates|dislikes|wants"
)
_LIKING = re.compile(r"\b(?:prefers|likes|loves|hates|dislikes|wants)\b")
_CONTACT_AT = re.compile(
    rf"^(?:the |our )?(?:main )?contact(?: person)? (?:at|for|from) (?P<org>{_NAME}) is "
    r"(?P<who>.+)$",
    re.IGNORECASE,
)
_POSSESSIVE = re.compile(rf"^(?P<org>{_NAME})'s (?P<attr>[\w -]{{2,30}}?) (?:is|are) (?P<val>.+)$")
_OWN = re.compile(r"^(?P<who>my|our) (?P<attr>[\w -]{2,30}?) (?:is|are) (?P<val>.+)$", re.I)
_BUSINESS_PARTIES = re.compile(
    r"accountant|bookkeeper|supplier|landlord|lawyer|bank|insurer|wholesaler|cleaner|vat|iban"
)


def _fact(sentence: str) -> Candidate | None:
    if _ONE_OFF.search(sentence) and not _ENDURING.search(sentence):
        return None
    if match := _CONTACT_AT.match(sentence):
        org, who = match["org"], _contact(match["who"])
        return _company_fact(f"{org}'s contact is {who}", org, _lead_name(who))
    if (match := _POSSESSIVE.match(sentence)) and match["org"].split()[0] not in _NOT_NAMES:
        text = f"{match['org']}'s {match['attr']} is {_contact(match['val'])}"
        return _company_fact(text, match["org"])
    if match := _OWN.match(sentence):
        attr, value = match["attr"], _third_person(_contact(match["val"]))
        if match["who"].lower() == "our" or _BUSINESS_PARTIES.search(attr.lower()):
            return _company_fact(f"The business's {attr} is {value}", _lead_name(value))
        return Candidate(_end(f"The user's {attr} is {value}"), Kind.FACT, Scope.PERSONAL)
    name = _subject(sentence)
    if not name:
        return None
    kind = Kind.PREFERENCE if _LIKING.search(sentence) else Kind.FACT
    return replace(_company_fact(_third_person(sentence), name), kind=kind)


def _note(sentence: str) -> Candidate:
    """What the user explicitly asked to keep ("remember that ..."), matched by no rule."""
    personal = re.search(r"\b(?:I|me|my|mine|I'm)\b", sentence) is not None
    name = "" if personal else _lead_name(sentence)
    scope = (
        Scope.COMPANY if name or re.search(r"\b(?:we|our|us)\b", sentence, re.I) else Scope.PERSONAL
    )
    entities = (name,) if name else ()
    return Candidate(_end(_third_person(sentence)), Kind.NOTE, scope, entities=entities)


def _company_fact(text: str, *names: str) -> Candidate:
    entities = tuple(dict.fromkeys(n for n in names if n))
    return Candidate(_end(text), Kind.FACT, Scope.COMPANY, entities=entities)


def _subject(sentence: str) -> str:
    """The name a sentence is about ("Alpine Tech pays in 30 days" -> "Alpine Tech"), or ""."""
    match = re.match(rf"^(?P<name>{_NAME}) (?:{_FACT_VERBS})\b", sentence)
    if match is None or match["name"].split()[0] in _NOT_NAMES:
        return ""
    return match["name"]


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"\+?\d[\d ()-]{6,}\d")


def _contact(value: str) -> str:
    """ "Hans Mueller, hans@alpine.example" -> "Hans Mueller (hans@alpine.example)"."""
    details = _EMAIL.findall(value) + [p.strip() for p in _PHONE.findall(value)]
    rest = value
    for detail in details:
        rest = rest.replace(detail, "")
    rest = re.sub(r"\s*(?:,|\band\b|\bat\b|\bon\b|\bemail\b|\bphone\b|[()])\s*", " ", rest)
    rest = " ".join(rest.split()).strip(" ,.-")
    if not details:
        return value.strip(" ,.")
    return f"{rest} ({', '.join(details)})" if rest else ", ".join(details)


def _lead_name(text: str) -> str:
    match = re.match(_NAME, text)
    return match.group(0) if match and match.group(0).split()[0] not in _NOT_NAMES else ""


# -- text helpers ----------------------------------------------------------------------------

_WORD = re.compile(r"[a-z0-9']+")
_FILLER = {"the", "and", "you", "for", "with", "that", "this", "was", "are", "user", "luma"}
_FILLER |= {"said", "asked", "thanks", "thank", "hello", "hi", "greeted", "ok", "okay"}
_TRIVIAL_SUMMARY = re.compile(
    r"\b(?:small talk|greet\w*|said (?:hello|hi|thanks)|nothing (?:much|of note|was done)|"
    r"no actions?|thanked)\b",
    re.IGNORECASE,
)
_POLITE = re.compile(
    r"^(?:(?:hey|hi|hello|ok|okay|thanks|thank you|great|cool|perfect|yes|sure|also|and|so|"
    r"luma|oh|by the way|btw|fyi|just so you know|for the record|"
    r"(?:keep in mind|don't forget|(?:please )?(?:remember|note))(?: that)?|"
    r"can you|could you|would you|will you|you should|please)\b[,!:]?\s*)+",
    re.IGNORECASE,
)
_QUESTION = re.compile(
    r"^(?:what|when|where|who|whom|which|why|how|is|are|do(?! not\b)|does|did|have|has|shall|may|"
    r"should|was|were)\b",
    re.IGNORECASE,
)
_TRIVIAL = re.compile(
    r"^(?:hi|hello|hey|thanks|thank you|cheers|ok|okay|yes|yep|no|nope|sure|great|cool|"
    r"perfect|fine|good|nice|bye|goodbye|good (?:morning|afternoon|evening|night)|"
    r"sounds good|got it|lol|haha|how are you|you're welcome|never mind)\b[\s\w!.,]{0,12}$",
    re.IGNORECASE,
)


_EXPLICIT = re.compile(
    r"\b(?:remember|note|keep in mind|don't forget|for the record|just so you know|fyi)\b", re.I
)


def _sentences(text: str) -> list[tuple[str, bool]]:
    """The statements in ``text`` (questions and pleasantries dropped), polite prefixes cut,
    and whether the user asked explicitly to remember each."""
    text = text.replace("’", "'").replace("‘", "'")
    found = []
    for part in re.split(r"(?<=[.!?;])\s+|\n+", text.strip()):
        if part.rstrip().endswith("?") and not re.match(
            r"^(?:can|could|would|will) you\b", part, re.IGNORECASE
        ):
            continue
        cue = _EXPLICIT.search(part)
        explicit = cue is not None and cue.start() < 25
        statement = _POLITE.sub("", part.strip()).strip().rstrip(".!?;").strip()
        statement = re.sub(r",?\s+please$", "", statement, flags=re.IGNORECASE)
        if _is_statement(statement):
            found.append((statement, explicit))
    return found


def _is_statement(text: str) -> bool:
    return len(text.split()) >= 3 and not _TRIVIAL.match(text) and not _QUESTION.match(text)


_PRONOUNS = [
    (r"\bI'm\b", "they are"),
    (r"\bI am\b", "they are"),
    (r"\bI've\b", "they have"),
    (r"\bmyself\b", "themselves"),
    (r"\bmy\b", "their"),
    (r"\bmine\b", "theirs"),
    (r"\bme\b", "them"),
    (r"\bI\b", "they"),
    (r"\bour\b", "the business's"),
    (r"\bus\b", "the business"),
    (r"\bwe\b", "the business"),
]


def _third_person(text: str) -> str:
    for pattern, replacement in _PRONOUNS:
        text = re.sub(pattern, replacement, text)
    return text


_TOPICS = {
    "invoicing": r"invoice|payment|pays?\b|paid|quote|\bbills?\b|vat|tax|overdue|accountant",
    "scheduling": r"appointment|agenda|day summary|cancel|\bbook(?:ing|ed)?\b|slot|diary|"
    r"calendar|working hours|shift|chair|room|colour|haircut|cut\b|session|"
    rf"{_DAY}|morning|afternoon",
    "clients": r"client|customer|contact|e-?mail|phone|birthday|allerg|address",
    "banking": r"bank|transfer|payee|card|iban|balance|supplier|standing order|statement",
    "tasks": r"task|to-?do|remind|note",
}


def _keyword_topic(text: str) -> str:
    lowered = text.lower()
    scores = {topic: len(re.findall(words, lowered)) for topic, words in _TOPICS.items()}
    best = max(scores, key=lambda topic: scores[topic])
    return best if scores[best] else ""


def _lower_first(text: str) -> str:
    """Lower-case the first letter of an imperative ("Send ..."), not of "I" or acronyms."""
    keep = re.match(r"^(?:[A-Z]{2}|[A-Z][a-z]*[A-Z]|I\b)", text) or not text
    return text if keep else text[0].lower() + text[1:]


_VERB_FIRST = re.compile(r"^(?:[A-Z][a-z]+ed|Sent|Paid|Set|Put|Made|Froze|Gave|Took)\b")


def _lower_verb(text: str) -> str:
    """Lower-case a tool summary's leading verb ("Updated ..."), never a leading name."""
    return text[0].lower() + text[1:] if _VERB_FIRST.match(text) else text


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


def _end(text: str) -> str:
    text = _sentence_case(" ".join(text.split()).rstrip(" ,;:"))
    return text if text.endswith((".", "!", "…")) else text + "."


def _clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"
