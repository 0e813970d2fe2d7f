"""Only the sentences that can match: an index of templates by the words they require.

hassil checks every sentence template of every intent against a request (a quick test of the
literal words each needs, then the matcher). With every domain's templates that is well over a
thousand sentences per request. :class:`SentenceIndex` files each sentence under the literal
fragments of one of its required clauses (hassil's own ``get_required_clauses``: a sentence can
only match text that contains one fragment of each clause), so a request is matched against the
sentences whose fragments it contains, plus the few that require no words at all. It never drops
a sentence that could match: the chosen clause is a necessary condition.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict

from hassil import IntentData, Intents, Sentence
from hassil.intents import Intent
from hassil.util import normalize_for_matching

__all__ = ["SentenceIndex"]


def _alone(data: IntentData, sentence: Sentence) -> IntentData:
    """A copy of ``data`` holding just ``sentence`` (the same parsed object)."""
    block = dataclasses.replace(data, sentence_texts=[sentence.text or ""])
    block.__dict__["sentences"] = [sentence]  # the cached_property, filled without re-parsing
    return block


class SentenceIndex:
    """The sentences of ``intents`` by the fragments they require."""

    def __init__(self, intents: Intents) -> None:
        self._intents = intents
        self._always: list[tuple[str, IntentData]] = []
        self._by_fragment: defaultdict[str, list[tuple[str, IntentData]]] = defaultdict(list)
        for name, intent in intents.intents.items():
            for data in intent.data:
                rules = {**intents.expansion_rules, **data.expansion_rules}
                for sentence in data.sentences:
                    entry = (name, _alone(data, sentence))
                    clauses = sentence.get_required_clauses(rules)
                    if not clauses:
                        self._always.append(entry)
                        continue
                    # the clause whose shortest fragment is longest: the rarest in requests
                    chosen = max(clauses, key=lambda clause: (min(map(len, clause)), -len(clause)))
                    for fragment in chosen:
                        self._by_fragment[fragment].append(entry)

    def __len__(self) -> int:
        return len(self._always) + sum(len(e) for e in self._by_fragment.values())

    def candidates(self, text: str) -> Intents:
        """The intents holding only the sentences that may match ``text``."""
        haystack = normalize_for_matching(text).text.casefold()
        chosen: dict[int, tuple[str, IntentData]] = {}
        for fragment, entries in self._by_fragment.items():
            if fragment in haystack:
                chosen.update((id(block), (name, block)) for name, block in entries)
        chosen.update((id(block), (name, block)) for name, block in self._always)
        by_intent: dict[str, list[IntentData]] = {}
        for name, block in chosen.values():
            by_intent.setdefault(name, []).append(block)
        return Intents(
            language=self._intents.language,
            intents={name: Intent(name, blocks) for name, blocks in by_intent.items()},
            slot_lists=self._intents.slot_lists,
            expansion_rules=self._intents.expansion_rules,
            skip_words=self._intents.skip_words,
            settings=self._intents.settings,
        )
