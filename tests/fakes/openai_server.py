"""A fake OpenAI-compatible chat-completions server on 127.0.0.1, for the real ``openai`` SDK.

It speaks the wire protocol of Ollama, llama.cpp server, LM Studio and vLLM: ``POST
/v1/chat/completions`` with ``"stream": true`` answers ``text/event-stream`` in chunked
transfer encoding, one ``data: {chat.completion.chunk}`` event per chunk, a usage chunk with
empty ``choices`` when the request asked for ``stream_options.include_usage``, then
``data: [DONE]``. ``GET /v1/models`` lists the models. Every request body is recorded.

Usage::

    server = FakeOpenAIServer([http_error(429, headers={"retry-after": "2"}),
                               tool_reply([FakeCall("find_client", {"query": "Sarah"})],
                                          split_points=(3, 9))])
    with server as base_url:                      # "http://127.0.0.1:<port>/v1"
        brain = OpenAICompatibleBrain(base_url=base_url, model="llama3.1")
        ...
    server.requests[-1]["messages"]               # what the client sent (parsed JSON)
    server.request_headers[-1]["authorization"]   # its headers (names in lower case)
    server.remaining                              # scripted replies not used yet

Replies are served in order, one per chat request (``push`` adds more while running); when
none is left the server answers 500 saying so. ``models=("llama3.1",)`` makes requests for
any other model answer 404 "model not found" (as Ollama does) without using a reply.

Builders (each returns a :class:`StreamReply` or :class:`HttpError`):

- ``text_reply(text, chunks=1)``: text in ``chunks`` pieces (or the pieces given), ``stop``.
- ``tool_reply(calls, split_points=(), *, text="", whole=False, ids=True)``: optional text,
  then each call in turn: a first fragment with index, id, type and name, then its arguments
  split at ``split_points`` (character offsets); ``whole`` sends each call as one fragment,
  ``ids=False`` leaves ids out, ``repeat=True`` repeats id and name in every fragment.
- ``parallel_tool_reply(calls, split_points=())``: all first fragments, then the argument
  fragments of every call interleaved round-robin by index.
- ``cut_at_length(call, at, *, complete=(), text="", split_points=())``: the ``complete``
  calls, then ``call`` with its arguments cut after ``at`` characters, ``finish_reason:
  "length"`` (calls go whole, or in fragments at ``split_points``).
- ``no_finish(reply, *, done=False, drop=False)``: the same chunks without any
  ``finish_reason`` or usage; ``done`` still sends ``[DONE]``; ``drop`` cuts the connection
  before the chunked body is complete (the client sees a broken transfer).
- ``mid_stream_error(reply, message)``: the reply's chunks without a finish, then a
  ``data: {"error": {...}}`` event, as servers report failures once streaming has begun.
- ``http_error(status, message=None, *, headers=None, body=None)``: an error response with an
  OpenAI-style JSON body (or ``body`` verbatim: a dict as JSON, a str as plain text).

``StreamReply.split_events=True`` writes every event in two transfer chunks, cut mid-line
(and mid-character for non-ASCII text), to exercise the client's SSE decoder.
"""

from __future__ import annotations

import itertools
import json
import threading
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler
from types import MappingProxyType
from typing import Any

from ._loopback import LoopbackServer

__all__ = [
    "DEFAULT_USAGE",
    "FakeCall",
    "FakeOpenAIServer",
    "HttpError",
    "StreamReply",
    "cut_at_length",
    "http_error",
    "mid_stream_error",
    "no_finish",
    "parallel_tool_reply",
    "text_reply",
    "tool_reply",
]

DEFAULT_USAGE: Mapping[str, Any] = MappingProxyType({"prompt_tokens": 120, "completion_tokens": 18})
_completion_numbers = itertools.count(1)


@dataclass(frozen=True)
class FakeCall:
    """A tool call to stream: ``arguments`` as a dict (sent as JSON) or a raw string."""

    name: str
    arguments: Mapping[str, Any] | str = field(default_factory=dict)
    id: str | None = None
    """Sent as the call id; ``None``: ``call_fake_<index>``."""

    @property
    def raw(self) -> str:
        if isinstance(self.arguments, str):
            return self.arguments
        return json.dumps(self.arguments, ensure_ascii=False)


@dataclass(frozen=True)
class StreamReply:
    """A streamed answer: chunk payloads, then usage (if asked for) and ``[DONE]``."""

    chunks: tuple[Mapping[str, Any], ...]
    usage: Mapping[str, Any] | None = field(default_factory=lambda: dict(DEFAULT_USAGE))
    done: bool = True
    drop: bool = False
    split_events: bool = False


@dataclass(frozen=True)
class HttpError:
    """An error response: status, body (dict → JSON, str → text/plain) and headers."""

    status: int
    body: Mapping[str, Any] | str
    headers: Mapping[str, str] = field(default_factory=dict)


Reply = StreamReply | HttpError


# --- builders ------------------------------------------------------------------------------


def _chunk(delta: Mapping[str, Any], finish: str | None = None) -> dict[str, Any]:
    choice = {"index": 0, "delta": dict(delta), "logprobs": None, "finish_reason": finish}
    return {"object": "chat.completion.chunk", "choices": [choice]}


def _pieces(text: str, count: int) -> list[str]:
    size = max(1, -(-len(text) // max(1, count)))
    return [text[i : i + size] for i in range(0, len(text), size)] or [""]


def _split(raw: str, points: Iterable[int]) -> list[str]:
    cuts = sorted({p for p in points if 0 < p < len(raw)})
    return [raw[a:b] for a, b in itertools.pairwise([0, *cuts, len(raw)])]


def _text_chunks(text: str | Sequence[str], count: int = 1) -> list[dict[str, Any]]:
    pieces = _pieces(text, count) if isinstance(text, str) else list(text)
    chunks = [_chunk({"role": "assistant", "content": ""})]
    return chunks + [_chunk({"content": piece}) for piece in pieces if piece]


def text_reply(
    text: str | Sequence[str],
    chunks: int = 1,
    *,
    finish: str = "stop",
    usage: Mapping[str, Any] | None = DEFAULT_USAGE,
) -> StreamReply:
    """``text`` (or the given pieces) streamed in ``chunks`` content deltas."""
    body = _text_chunks(text, chunks)
    return StreamReply((*body, _chunk({}, finish)), usage=usage)


def _call_id(call: FakeCall, index: int, ids: bool) -> dict[str, Any]:
    return {"id": call.id or f"call_fake_{index}"} if ids else {}


def _header(call: FakeCall, index: int, ids: bool) -> dict[str, Any]:
    function = {"name": call.name, "arguments": ""}
    return {"index": index, **_call_id(call, index, ids), "type": "function", "function": function}


def _fragment(
    call: FakeCall, index: int, arguments: str, *, ids: bool, repeat: bool
) -> dict[str, Any]:
    if repeat:
        header = _header(call, index, ids)
        return {**header, "function": {"name": call.name, "arguments": arguments}}
    return {"index": index, "function": {"arguments": arguments}}


def _call_chunks(
    call: FakeCall, index: int, points: Iterable[int], *, whole: bool, ids: bool, repeat: bool
) -> list[dict[str, Any]]:
    if whole:
        function = {"name": call.name, "arguments": call.raw}
        fragment = {**_header(call, index, ids), "function": function}
        return [_chunk({"tool_calls": [fragment]})]
    fragments = [_header(call, index, ids)]
    fragments += [
        _fragment(call, index, part, ids=ids, repeat=repeat) for part in _split(call.raw, points)
    ]
    return [_chunk({"tool_calls": [fragment]}) for fragment in fragments]


def tool_reply(
    calls: Sequence[FakeCall],
    split_points: Iterable[int] = (),
    *,
    text: str = "",
    whole: bool = False,
    ids: bool = True,
    repeat: bool = False,
    finish: str = "tool_calls",
    usage: Mapping[str, Any] | None = DEFAULT_USAGE,
) -> StreamReply:
    """Optional text, then ``calls`` one after another with arguments split at the points."""
    points = tuple(split_points)
    chunks = _text_chunks(text) if text else [_chunk({"role": "assistant", "content": None})]
    for index, call in enumerate(calls):
        chunks += _call_chunks(call, index, points, whole=whole, ids=ids, repeat=repeat)
    return StreamReply((*chunks, _chunk({}, finish)), usage=usage)


def parallel_tool_reply(
    calls: Sequence[FakeCall],
    split_points: Iterable[int] = (),
    *,
    ids: bool = True,
    usage: Mapping[str, Any] | None = DEFAULT_USAGE,
) -> StreamReply:
    """Every call's first fragment, then their argument fragments interleaved by index."""
    points = tuple(split_points)
    chunks = [_chunk({"role": "assistant", "content": None})]
    chunks += [_chunk({"tool_calls": [_header(c, i, ids)]}) for i, c in enumerate(calls)]
    parts = [_split(call.raw, points) for call in calls]
    for round_ in itertools.zip_longest(*parts):
        for index, part in enumerate(round_):
            if part is not None:
                fragment = {"index": index, "function": {"arguments": part}}
                chunks.append(_chunk({"tool_calls": [fragment]}))
    return StreamReply((*chunks, _chunk({}, "tool_calls")), usage=usage)


def cut_at_length(
    call: FakeCall,
    at: int,
    *,
    complete: Sequence[FakeCall] = (),
    text: str = "",
    split_points: Iterable[int] = (),
    usage: Mapping[str, Any] | None = DEFAULT_USAGE,
) -> StreamReply:
    """``complete`` calls, then ``call`` cut after ``at`` characters; finish "length".

    Calls go whole, or in fragments when ``split_points`` are given."""
    cut = replace(call, arguments=call.raw[:at])
    points = tuple(split_points)
    reply = tool_reply([*complete, cut], points, whole=not points, text=text, usage=usage)
    return replace(reply, chunks=(*reply.chunks[:-1], _chunk({}, "length")))


def _without_finish(chunks: Iterable[Mapping[str, Any]]) -> tuple[dict[str, Any], ...]:
    kept = []
    for chunk in chunks:
        choices = [{**choice, "finish_reason": None} for choice in chunk.get("choices", [])]
        if any(choice["delta"] for choice in choices):
            kept.append({**chunk, "choices": choices})
    return tuple(kept)


def no_finish(reply: StreamReply, *, done: bool = False, drop: bool = False) -> StreamReply:
    """``reply`` without any finish_reason or usage (and, unless ``done``, without [DONE])."""
    return replace(reply, chunks=_without_finish(reply.chunks), usage=None, done=done, drop=drop)


def mid_stream_error(reply: StreamReply, message: str = "model runner crashed") -> StreamReply:
    """``reply``'s chunks without a finish, then an ``error`` event; no usage, no [DONE]."""
    error = {"error": {"message": message, "type": "server_error", "param": None, "code": None}}
    return replace(reply, chunks=(*_without_finish(reply.chunks), error), usage=None, done=False)


def http_error(
    status: int,
    message: str | None = None,
    *,
    headers: Mapping[str, str] | None = None,
    body: Mapping[str, Any] | str | None = None,
) -> HttpError:
    """An HTTP error with an OpenAI-style JSON body (or ``body`` as given)."""
    if body is None:
        kind = "invalid_request_error" if status < 500 else "server_error"
        text = message or f"fake error {status}"
        body = {"error": {"message": text, "type": kind, "param": None, "code": None}}
    return HttpError(status, body, dict(headers or {}))


# --- server --------------------------------------------------------------------------------


class FakeOpenAIServer:
    """The scripted server; ``with server as base_url`` runs it on a free loopback port."""

    def __init__(self, replies: Iterable[Reply] = (), *, models: Sequence[str] = ()) -> None:
        self.models = tuple(models)
        self.requests: list[dict[str, Any]] = []
        self.request_headers: list[dict[str, str]] = []
        self.base_url = ""
        self._replies: deque[Reply] = deque(replies)
        self._lock = threading.Lock()
        self._server = LoopbackServer(_Handler, self)

    def push(self, *replies: Reply) -> None:
        with self._lock:
            self._replies.extend(replies)

    @property
    def remaining(self) -> int:
        with self._lock:
            return len(self._replies)

    def __enter__(self) -> str:
        self.base_url = f"{self._server.start()}/v1"
        return self.base_url

    def __exit__(self, *exc_info: object) -> None:
        self._server.stop()

    def _take(self, body: Mapping[str, Any], headers: Mapping[str, str]) -> Reply | None:
        with self._lock:
            self.requests.append(dict(body))
            self.request_headers.append(dict(headers))
            return self._replies.popleft() if self._replies else None


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    fake: FakeOpenAIServer
    timeout = 10

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_GET(self) -> None:
        if self.path.rstrip("/") != "/v1/models":
            self._send(HttpError(404, "404 page not found"))
            return
        names = self.fake.models or ("fake-model",)
        data = [{"id": n, "object": "model", "created": 0, "owned_by": "fake"} for n in names]
        self._send(HttpError(200, {"object": "list", "data": data}))

    def do_POST(self) -> None:
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path.rstrip("/") != "/v1/chat/completions":
            self._send(HttpError(404, "404 page not found"))
            return
        try:
            body = json.loads(raw)
        except ValueError:
            self._send(http_error(400, "the request body is not JSON"))
            return
        self._answer(body)

    def _answer(self, body: dict[str, Any]) -> None:
        fake = self.fake
        model = body.get("model")
        if fake.models and model not in fake.models:
            self._send(http_error(404, f'model "{model}" not found, try pulling it first'))
            return
        reply = fake._take(body, {k.lower(): v for k, v in self.headers.items()})
        if reply is None:
            self._send(http_error(500, "the fake server has no scripted reply left"))
        elif isinstance(reply, HttpError):
            self._send(reply)
        elif not body.get("stream"):
            self._send(http_error(400, "this fake server only answers streaming requests"))
        else:
            self._stream(reply, body)

    def _send(self, reply: HttpError) -> None:
        is_text = isinstance(reply.body, str)
        text = reply.body if isinstance(reply.body, str) else json.dumps(reply.body)
        payload = text.encode()
        self.send_response(reply.status)
        self.send_header("Content-Type", "text/plain" if is_text else "application/json")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def _stream(self, reply: StreamReply, body: Mapping[str, Any]) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        try:
            for event in _events(reply, body):
                self._write_event(event.encode(), split=reply.split_events)
            if reply.drop:
                self.close_connection = True  # no terminating chunk: a broken transfer
                return
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):  # the client went away: fine
            self.close_connection = True

    def _write_event(self, data: bytes, *, split: bool) -> None:
        # Cut inside the first multi-byte character if there is one, else in the middle.
        cut = next((i + 1 for i, byte in enumerate(data) if byte >= 0x80), len(data) // 2)
        parts = [data[:cut], data[cut:]] if split else [data]
        for part in parts:
            self.wfile.write(f"{len(part):x}\r\n".encode() + part + b"\r\n")
            self.wfile.flush()


def _events(reply: StreamReply, body: Mapping[str, Any]) -> Iterator[str]:
    """The SSE events of ``reply`` as the request asked for them."""
    number = next(_completion_numbers)
    include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
    envelope = {"id": f"chatcmpl-fake{number}", "created": 1_763_476_200}
    envelope["model"] = body.get("model") or "fake-model"
    extra = {"usage": None} if include_usage else {}
    for chunk in reply.chunks:
        payload = chunk if "error" in chunk else {**envelope, **chunk, **extra}
        yield f"data: {json.dumps(payload, ensure_ascii=False)}\n\n"
    if include_usage and reply.usage is not None:
        usage = dict(reply.usage)
        usage.setdefault("total_tokens", usage["prompt_tokens"] + usage["completion_tokens"])
        final = {**envelope, "object": "chat.completion.chunk", "choices": [], "usage": usage}
        yield f"data: {json.dumps(final)}\n\n"
    if reply.done:
        yield "data: [DONE]\n\n"
