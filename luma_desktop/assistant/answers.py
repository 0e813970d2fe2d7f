"""How people answer Luma's questions, typed or spoken, whichever brain asked.

- :func:`parse_confirmation`: "yes", "yeah go ahead", "ok book it" → True; "no", "cancel",
  "don't", "never mind" → False; anything else (an edit, a new request) → None.
- :func:`pick_candidate`: "the first one", "number 2", "the last one", "Sarah Miller",
  "miller", "the one with the design email" → that candidate; None when unclear or when the
  words fit several.
- :func:`phrase_matches`: the typed phrase of a critical action, ignoring case and spacing only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rapidfuzz import fuzz

from ..language.numbers import parse_number, parse_ordinal
from .brains.offline import fold, normalise_speech
from .events import Candidate

__all__ = ["parse_confirmation", "phrase_matches", "pick_candidate"]

# fmt: off
_YES = {
    "yes", "yeah", "yea", "yep", "yup", "ya", "yah", "aye", "sure", "ok", "okay", "k",
    "alright", "all right", "right", "confirm", "confirmed", "go ahead", "go on", "go for it",
    "do it", "do that", "proceed", "absolutely", "definitely", "of course", "correct",
    "that's right", "thats right", "that's correct", "sounds good", "looks good", "perfect",
    "fine", "that's fine", "affirmative", "please do", "make it so", "let's do it",
    "lets do it", "why not", "certainly", "sure thing", "by all means", "approved", "approve",
    "carry on", "yes please", "go", "please",
}
_NO = {
    "no", "nope", "nah", "na", "no way", "cancel", "cancel it", "cancel that", "stop", "stop it",
    "don't", "dont", "do not", "don't do it", "don't do that", "do not do it", "never mind",
    "nevermind", "forget it", "forget about it", "abort", "not now", "not yet", "no thanks",
    "no thank you", "hold on", "hang on", "wait", "leave it", "scrap that", "negative", "deny",
    "denied", "reject", "i changed my mind", "changed my mind", "not really", "don't bother",
    "skip", "skip it", "not that", "wrong",
}
# fmt: on
_NEUTRAL = {
    "luma",
    "thanks",
    "thank you",
    "cheers",
    "oh",
    "well",
    "just",
    "then",
    "now",
    "actually",
    "hey",
}  # fmt: skip
_STRONG_YES = {"yes", "yeah", "yea", "yep", "yup", "sure", "ok", "okay", "alright", "confirm"}
_NEGATIONS = {"no", "not", "don't", "dont", "never", "stop", "cancel"}
_OBJECTS = {"it", "that", "them", "her", "him", "this"}
_PHRASES = sorted(
    ((tuple(p.split()), kind) for kind, group in (("yes", _YES), ("no", _NO), ("", _NEUTRAL))
     for p in group),
    key=lambda item: -len(item[0]),
)  # fmt: skip


def _segments(words: list[str]) -> list[str] | None:
    """The polarity of each known phrase in ``words`` ("yes"/"no"/"" neutral), or None."""
    found: list[str] = []
    i = 0
    while i < len(words):
        for phrase, kind in _PHRASES:
            if tuple(words[i : i + len(phrase)]) == phrase:
                found.append(kind)
                i += len(phrase)
                break
        else:
            echo = words[i + 1 : i + 2]
            if found and found[0] == "yes" and echo and echo[0] in _OBJECTS:
                found.append("yes")  # "yes, book it": the action repeated
                i += 2
                continue
            return None
    return found


def parse_confirmation(text: str) -> bool | None:
    """True for a yes, False for a no, None for anything else (say it again, or an edit)."""
    words = normalise_speech(text, requests=False).split()
    kinds = _segments(words)
    if not kinds:
        return None
    polar = [k for k in kinds if k]
    if not polar:
        return None
    if set(polar) == {"yes"}:
        return True
    if set(polar) == {"no"}:
        return False
    if words[0] in _STRONG_YES and not _NEGATIONS & set(words[1:]):
        return True  # "yes cancel it" answers "Cancel the booking?"
    return None


def phrase_matches(typed: str, phrase: str) -> bool:
    """Whether ``typed`` is the confirmation ``phrase``: case and spacing aside, exactly."""
    return " ".join(typed.split()).casefold() == " ".join(phrase.split()).casefold()


# -- choosing among candidates -------------------------------------------------------------------

_LAST = {"last", "final", "bottom", "very last", "last one", "bottom one"}
_BEFORE_LAST = {"second to last", "penultimate", "one before last", "second last"}
_NUMBERED = re.compile(r"^(?:number|no|option|choice|#) ?")
_DETAIL_LEAD = re.compile(
    r"^(?:the )?(?:one|client|person|booking|entry)? ?(?:who|that|which)? ?"
    r"(?:with|at|from|in|on|about|for|has|had|is|was|named|called)? ?(?:the|a|an)? ?"
)
_STOP = {"the", "a", "an", "one", "with", "of", "and", "at", "in", "on", "for", "who", "that"}
_NAME_MIN = 85.0
_TIE = 5.0


def _position(said: str, count: int) -> int | None:
    """The 0-based index "the second one", "number 2", "the last" names, or None."""
    s = said.removeprefix("the ")
    if s in _LAST:
        return count - 1
    if s in _BEFORE_LAST:
        return count - 2 if count >= 2 else None
    for suffix in (" one", " option", " choice"):
        if s.endswith(suffix) and parse_ordinal(s.removesuffix(suffix)) is not None:
            s = s.removesuffix(suffix)
    s = _NUMBERED.sub("", s)
    number = parse_ordinal(s) or parse_number(s)
    if number is None or not 1 <= number <= count:
        return None
    return number - 1


def _unique_best(scores: list[float], floor: float) -> int | None:
    best = max(scores, default=0.0)
    if best < floor:
        return None
    winners = [i for i, s in enumerate(scores) if s >= best - _TIE]
    return winners[0] if len(winners) == 1 else None


def _name_score(said: str, label: str) -> float:
    name = fold(label)
    if said == name:
        return 101.0
    words, name_words = said.split(), name.split()
    if all(max((fuzz.ratio(w, n) for n in name_words), default=0) >= _NAME_MIN for w in words):
        return 95.0  # every word is part of the name: "miller", "sara miler"
    return float(fuzz.ratio(said, name))


def _detail_score(said: str, detail: str) -> float:
    words = [w for w in fold(_DETAIL_LEAD.sub("", said)).split() if w not in _STOP]
    detail_words = fold(re.sub(r"[@.]", " ", detail)).split()
    if not words or not detail_words:
        return 0.0
    hits = sum(max(fuzz.ratio(w, d) for d in detail_words) >= _NAME_MIN for w in words)
    return 100.0 * hits / len(words) if hits else 0.0


def pick_candidate(text: str, candidates: Sequence[Candidate]) -> Candidate | None:
    """The candidate ``text`` chooses, or None when it is unclear or fits several."""
    said = fold(normalise_speech(text, requests=False))
    if not said or not candidates:
        return None
    index = _position(said, len(candidates))
    if index is not None:
        return candidates[index]
    names = [_name_score(said, c.label) for c in candidates]
    if max(names) >= _NAME_MIN:  # a name was said: it decides, even when it fits several
        chosen = _unique_best(names, _NAME_MIN)
    else:
        chosen = _unique_best([_detail_score(said, c.detail) for c in candidates], 50.0)
    return candidates[chosen] if chosen is not None else None
