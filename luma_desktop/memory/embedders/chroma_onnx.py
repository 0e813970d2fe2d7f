"""Chroma's own all-MiniLM-L6-v2 (ONNX, run by onnxruntime) — only when already on disk.

Chroma downloads ``onnx.tar.gz`` into ``~/.cache/chroma/onnx_models/all-MiniLM-L6-v2`` the
first time its default embedding function runs. Luma never triggers that download: this
embedder loads the model only if the extracted files are there, and otherwise says how to
use the ``minilm`` embedder, which needs no download at all.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from luma_desktop.errors import ConfigurationError

from .base import Embedder, Vectors

__all__ = ["ChromaOnnxEmbedder", "chroma_onnx_dir"]

# What Chroma's ONNXMiniLM_L6_V2 checks before deciding to download.
_FILES = (
    "config.json",
    "model.onnx",
    "special_tokens_map.json",
    "tokenizer_config.json",
    "tokenizer.json",
    "vocab.txt",
)


def _function_class() -> Any:
    from chromadb.utils.embedding_functions.onnx_mini_lm_l6_v2 import ONNXMiniLM_L6_V2

    return ONNXMiniLM_L6_V2


def chroma_onnx_dir(cache_dir: Path | None = None) -> Path:
    """The folder with Chroma's extracted ONNX model, or :class:`ConfigurationError`."""
    function = _function_class()
    root = Path(cache_dir) if cache_dir is not None else Path(function.DOWNLOAD_PATH)
    folder = root / function.EXTRACTED_FOLDER_NAME
    missing = [name for name in _FILES if not (folder / name).is_file()]
    if missing:
        raise ConfigurationError(
            f"memory_embedder is 'chroma-onnx', but Chroma's ONNX model is not cached in "
            f"{folder} (missing {', '.join(missing)}), and Luma does not download models. "
            "Set memory_embedder to 'minilm': the same all-MiniLM-L6-v2 model, shipped with "
            "Luma, no download needed.",
            setting="memory_embedder",
        )
    checked: Path = folder
    return checked


class ChromaOnnxEmbedder(Embedder):
    """Chroma's ONNXMiniLM_L6_V2 default embedding function, from its cache only."""

    id = "all-MiniLM-L6-v2/chroma-onnx"
    dimension = 384

    def __init__(self, cache_dir: Path | None = None) -> None:
        """``cache_dir`` replaces Chroma's ``DOWNLOAD_PATH`` (the folder holding ``onnx/``)."""
        super().__init__()
        self._cache_dir = cache_dir
        self._function: Any = None

    def _load(self) -> None:
        folder = chroma_onnx_dir(self._cache_dir)
        function = _function_class()(preferred_providers=["CPUExecutionProvider"])
        function.DOWNLOAD_PATH = folder.parent
        try:
            function.tokenizer  # noqa: B018 - cached properties: load both now
            function.model  # noqa: B018
        except Exception as error:  # onnxruntime raises its own, untyped errors
            raise ConfigurationError(
                f"Chroma's cached ONNX model in {folder} cannot be loaded ({error}). Delete that "
                "folder, or set memory_embedder to 'minilm' (shipped with Luma).",
                setting="memory_embedder",
            ) from error
        self._function = function

    def _embed(self, texts: list[str]) -> Vectors:
        # _forward, not __call__: calling the function would download a missing model.
        vectors = np.asarray(self._function._forward(texts), dtype=np.float32)
        if vectors.shape != (len(texts), self.dimension):
            raise ConfigurationError(
                f"Chroma's cached ONNX model gives vectors of shape {vectors.shape[1:]}, not "
                f"({self.dimension},); it is not all-MiniLM-L6-v2. Delete "
                f"{chroma_onnx_dir(self._cache_dir)} or set memory_embedder to 'minilm'.",
                setting="memory_embedder",
            )
        return vectors
