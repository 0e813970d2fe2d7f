"""Orchestrator figures (issue 4): overhead per turn without model time, text-delta latency.

    python -m tests.benchmarks.orchestrator [--quick]

Overhead: a turn through the assistant with an instant scripted brain, until its
:class:`TurnComplete` arrives, minus the time the tool handler itself ran: what Luma adds (tool
selection, prompt, gatekeeper, audit, persistence, events). Target p95 < 10 ms.
Latency: from a text chunk leaving the brain to the :class:`TextDelta` reaching the consumer.
Target p95 < 2 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from luma_desktop.assistant.brains import (
    Brain,
    BrainEvent,
    BrainRequest,
    Finished,
    ScriptedBrain,
    TextChunk,
    ToolCall,
)
from luma_desktop.assistant.context import execution_context_for
from luma_desktop.assistant.events import TextDelta, TurnComplete
from luma_desktop.assistant.executor import Executor
from luma_desktop.assistant.orchestrator import Assistant, AssistantOptions
from luma_desktop.assistant.usage import RateLimiter
from luma_desktop.clock import SystemClock
from luma_desktop.tools import build_registry
from luma_desktop.workspace.database import Workspace, sqlite_url
from luma_desktop.workspace.demo import seed_demo

from ._stats import print_row


class _StampedBrain(Brain):
    """Streams ``chunks`` text pieces, noting when each left."""

    name = "stamped"

    def __init__(self, chunks: int) -> None:
        self.chunks = chunks
        self.sent: list[float] = []

    async def _respond(self, request: BrainRequest) -> AsyncIterator[BrainEvent]:
        for index in range(self.chunks):
            self.sent.append(time.perf_counter())
            yield TextChunk(f"word{index} ")
        yield Finished("end_turn")


def _script(request: BrainRequest) -> list[Any]:
    last = request.messages[-1]
    if last.role == "user" and last.outcomes:
        return ["Here it is."]
    return [ToolCall(f"c{time.perf_counter_ns()}", "banking_get_balance", {})]


class _TimedExecutor(Executor):
    """Adds up the time handlers run, to subtract it from the turn."""

    handler_ms = 0.0

    def execute(self, context: Any, name: str, arguments: Any) -> Any:
        started = time.perf_counter()
        try:
            return super().execute(context, name, arguments)
        finally:
            _TimedExecutor.handler_ms += (time.perf_counter() - started) * 1000


def _assistant(workspace: Workspace, brain: Brain) -> Assistant:
    context = execution_context_for(workspace, clock=SystemClock())
    assistant = Assistant(
        workspace=workspace,
        registry=build_registry(),
        context=context,
        brain=brain,
        rate_limiter=RateLimiter(1_000_000),
        options=AssistantOptions(business_name="Luma Hair"),
    )
    timed = _TimedExecutor(workspace, assistant.registry)
    assistant.gatekeeper.executor = timed
    return assistant


async def _until_complete(assistant: Assistant, text: str, started: float) -> float:
    """Milliseconds until the turn's answer is complete (what the user waits for)."""
    done = 0.0
    async for event in assistant.send(text):
        if isinstance(event, TurnComplete):
            done = (time.perf_counter() - started) * 1000
    return done


async def _overhead(workspace: Workspace, turns: int) -> tuple[list[float], list[float]]:
    tool_turns, text_turns = [], []
    async with _assistant(workspace, ScriptedBrain(_script)) as assistant:
        for _ in range(turns):
            _TimedExecutor.handler_ms = 0.0
            started = time.perf_counter()
            total = await _until_complete(assistant, "what's my balance", started)
            tool_turns.append(total - _TimedExecutor.handler_ms)
    async with _assistant(workspace, ScriptedBrain(lambda r: ["Hello!"])) as assistant:
        for _ in range(turns):
            started = time.perf_counter()
            text_turns.append(await _until_complete(assistant, "hello", started))
    return tool_turns, text_turns


async def _latency(workspace: Workspace, chunks: int) -> list[float]:
    brain = _StampedBrain(chunks)
    arrived: list[float] = []
    async with _assistant(workspace, brain) as assistant:
        async for event in assistant.send("tell me a long story"):
            if isinstance(event, TextDelta):
                arrived.append(time.perf_counter())
    return [(a - s) * 1000 for s, a in zip(brain.sent, arrived, strict=True)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    args = parser.parse_args()
    turns, chunks = (15, 300) if args.quick else (150, 3000)
    with tempfile.TemporaryDirectory() as folder:
        workspace = Workspace(sqlite_url(Path(folder)))
        workspace.upgrade()
        seed_demo(workspace, clock=SystemClock())
        tool_turns, text_turns = asyncio.run(_overhead(workspace, turns))
        latency = asyncio.run(_latency(workspace, chunks))
        workspace.dispose()
    print("orchestration overhead per turn (model and handler time excluded):")
    print_row("  turn with one tool call", tool_turns[3:], target="p95 < 10 ms")
    print_row("  turn with text only", text_turns[3:], target="p95 < 10 ms")
    print("text delta, brain → consumer:")
    print_row("  delta latency", latency, target="p95 < 2 ms")


if __name__ == "__main__":
    main()
