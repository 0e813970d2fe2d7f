"""A fast, deterministic, dependency-free embedder — the fake for tests.

Not a language model: it hashes lower-cased words and word pairs into signed buckets
(feature hashing), so texts sharing words are close and texts sharing none are nearly
orthogonal. It has no notion of paraphrase. Tests that need thousands of vectors quickly
(isolation property tests, store plumbing) use it; anything about meaning uses
:class:`~luma_desktop.memory.embedders.minilm.MiniLMEmbedder`. Its vectors are the same in
every process and on every machine (BLAKE2b, not Python's salted ``hash``).
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import re

import numpy as np

from .base import Embedder, Vectors

__all__ = ["HashingEmbedder"]

_WORD = re.compile(r"\w+")
_EMPTY = "\x00empty"
"""The feature of a text without words, so every vector has unit length."""


def _features(text: str) -> list[str]:
    words = _WORD.findall(text.lower())
    if not words:
        return [_EMPTY]
    return words + [f"{first} {second}" for first, second in itertools.pairwise(words)]


@functools.lru_cache(maxsize=1 << 16)
def _bucket(feature: str, dimension: int) -> tuple[int, float]:
    """The column and sign of ``feature`` (cached: words repeat a lot)."""
    data = feature.encode("utf-8", "surrogatepass")
    value = int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little")
    return (value >> 1) % dimension, 1.0 if value & 1 else -1.0


class HashingEmbedder(Embedder):
    """Feature-hashed unigrams and bigrams, signed, L2-normalised (id ``hashing-<dim>``)."""

    batch_size = 256

    def __init__(self, dimension: int = 384) -> None:
        if dimension < 8:
            raise ValueError(f"HashingEmbedder needs at least 8 dimensions, not {dimension}")
        super().__init__()
        self.dimension = dimension
        self.id = f"hashing-{dimension}"

    def _load(self) -> None:
        """Nothing to load: the embedder is pure arithmetic."""

    def _embed(self, texts: list[str]) -> Vectors:
        rows: list[int] = []
        columns: list[int] = []
        signs: list[float] = []
        for row, text in enumerate(texts):
            for feature in _features(text):
                column, sign = _bucket(feature, self.dimension)
                rows.append(row)
                columns.append(column)
                signs.append(sign)
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        np.add.at(vectors, (rows, columns), np.asarray(signs, dtype=np.float32))
        return vectors
