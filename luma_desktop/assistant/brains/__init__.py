"""Brains: Claude, OpenAI-compatible local servers, the offline parser, and a scripted fake."""

from .base import (
    Block,
    Brain,
    BrainEvent,
    BrainRequest,
    Finished,
    Message,
    StateNote,
    TextBlock,
    TextChunk,
    ToolCall,
    ToolCallBroken,
    ToolCallReady,
    ToolOutcome,
    UsageReport,
)
from .scripted import ScriptedBrain

__all__ = [
    "Block",
    "Brain",
    "BrainEvent",
    "BrainRequest",
    "Finished",
    "Message",
    "ScriptedBrain",
    "StateNote",
    "TextBlock",
    "TextChunk",
    "ToolCall",
    "ToolCallBroken",
    "ToolCallReady",
    "ToolOutcome",
    "UsageReport",
]
