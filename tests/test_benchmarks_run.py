"""The benchmarks stay runnable: each runs in quick mode and prints its figures."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("module", "expected"),
    [
        pytest.param(
            "tests.benchmarks.workspace",
            ["demo seed:", "all typical queries", "database size:"],
            id="workspace",
        ),
        pytest.param(
            "tests.benchmarks.tools", ["registry: ", "client ", "all handlers"], id="tools"
        ),
        pytest.param("tests.benchmarks.cli_startup", ["luma --version"], id="cli-startup"),
        pytest.param(
            "tests.benchmarks.orchestrator",
            ["turn with one tool call", "delta latency"],
            id="orchestrator",
        ),
        pytest.param("tests.benchmarks.tool_selection", ["recall", "payload"], id="tool-selection"),
        pytest.param(
            "tests.benchmarks.brain_stream",
            ["brain stream:", "StreamAssembler.feed"],
            id="brain-stream",
        ),
        pytest.param(
            "tests.benchmarks.value_parsing", ["value parsing:", "all kinds"], id="value-parsing"
        ),
        pytest.param("tests.benchmarks.offline_parse", ["p95"], id="offline-parse"),
        pytest.param("tests.benchmarks.embedding", ["load", "fidelity"], id="embedding"),
        pytest.param("tests.benchmarks.memory_recall", ["recall@5"], id="memory-recall"),
        pytest.param(
            "tests.benchmarks.memory_retrieval",
            ["retrieval at", "filtered path"],
            id="memory-retrieval",
        ),
        pytest.param(
            "tests.benchmarks.tts", ["OS voice via pyttsx3", "protocol overhead only"], id="tts"
        ),
        pytest.param("tests.benchmarks.ui_launch", ["launch to window shown"], id="ui-launch"),
        pytest.param("tests.benchmarks.ui_scroll", ["frame time"], id="ui-scroll"),
        pytest.param("tests.benchmarks.ui_memory", ["resident memory at idle"], id="ui-memory"),
        pytest.param("tests.benchmarks.stt", ["p95"], id="stt"),
        pytest.param("tests.benchmarks.voice_latency", ["p95"], id="voice-latency"),
    ],
)
def test_benchmark_prints_its_figures(module, expected):
    result = subprocess.run(
        [sys.executable, "-m", module, "--quick"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    for text in expected:
        assert text in result.stdout
    assert "p95" in result.stdout
