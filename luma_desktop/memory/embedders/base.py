"""The embedder interface: text in, unit-length float32 vectors out.

Engines are a final entry method plus abstract hooks (see DESIGN.md): :meth:`Embedder.embed`
loads the model on first use (in whatever thread calls it, never the event loop's: callers use
``asyncio.to_thread``), batches, and checks the shape; subclasses implement :meth:`_load` and
:meth:`_embed`.
"""

from __future__ import annotations

import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import final

import numpy as np
import numpy.typing as npt

__all__ = ["Embedder", "Vectors"]

Vectors = npt.NDArray[np.float32]
"""Shape ``(n, dimension)``, each row of unit length."""


class Embedder(ABC):
    """Turns texts into vectors; thread-safe; loads lazily."""

    id: str
    """Stable identity of model + implementation, stored with every memory
    (``"all-MiniLM-L6-v2/numpy"``); a different id means vectors are not comparable."""
    dimension: int
    batch_size: int = 32

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loaded = False
        self.load_seconds: float | None = None
        """How long :meth:`load` took (``None`` before)."""

    @property
    def loaded(self) -> bool:
        return self._loaded

    @final
    def load(self) -> None:
        """Load the model once (blocking; call it from a worker thread).

        Raises :class:`~luma_desktop.errors.ConfigurationError` naming the setting when the
        model is missing or cannot load.
        """
        with self._lock:
            if self._loaded:
                return
            started = time.perf_counter()
            self._load()
            self.load_seconds = time.perf_counter() - started
            self._loaded = True

    @final
    def embed(self, texts: Sequence[str]) -> Vectors:
        """Unit vectors for ``texts`` (loading the model first if needed)."""
        if isinstance(texts, str):
            raise TypeError("embed() takes a list of texts; use embed_one() for a single text")
        self.load()
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        parts = [
            self._embed(list(texts[start : start + self.batch_size]))
            for start in range(0, len(texts), self.batch_size)
        ]
        vectors = np.concatenate(parts).astype(np.float32, copy=False)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        unit: Vectors = vectors / np.maximum(norms, 1e-12)
        return unit

    @final
    def embed_one(self, text: str) -> Vectors:
        """The vector of one text, shape ``(dimension,)``."""
        vector: Vectors = self.embed([text])[0]
        return vector

    @abstractmethod
    def _load(self) -> None:
        """Load weights and tokenizer (called once, under the lock)."""

    @abstractmethod
    def _embed(self, texts: list[str]) -> Vectors:
        """Vectors for one batch (need not be normalised)."""
