"""How fast ``luma --version`` answers (target < 0.3 s): python -m tests.benchmarks.cli_startup."""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys

from ._stats import print_row, time_calls


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="few runs (smoke test)")
    args = parser.parse_args(argv)
    repeat = 3 if args.quick else 20
    script = shutil.which("luma")
    command = [script] if script else [sys.executable, "-m", "luma_desktop"]
    samples = time_calls(
        lambda: subprocess.run([*command, "--version"], check=True, capture_output=True),
        repeat,
        warmup=1,
    )
    print_row("luma --version (wall clock)", samples, target="< 300 ms")


if __name__ == "__main__":
    main()
