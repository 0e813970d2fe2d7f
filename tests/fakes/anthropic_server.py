"""A fake Anthropic Messages API on 127.0.0.1 that speaks the real SSE protocol.

Drive it with the real ``anthropic`` SDK. Script the replies, then assert on what was sent::

    server = FakeAnthropicServer()
    server.add(http_error(529), text_reply("Hello there!", chunks=3))
    with server as base_url:
        client = AsyncAnthropic(api_key="test-key", base_url=base_url, max_retries=0)
        ...
    server.requests[0].body["system"]        # what the first request sent (parsed JSON)

``server.requests`` lists every request as a :class:`RecordedRequest` (method, path, lower-case
headers, parsed body), refused ones included; ``server.replies`` is the queue still to play.

Each ``POST /v1/messages`` takes the next scripted reply (a 400 saying so when none is left).
A request with neither ``x-api-key`` nor ``authorization`` gets a 401, like the real API.

Replies:

* :func:`text_reply` — one text block streamed in ``chunks`` deltas.
* :func:`tool_reply` — optional text, then one tool_use block per :class:`ToolUse`, the JSON of
  each split into ``input_json_delta`` fragments at ``split_points`` (character offsets).
* :func:`interleaved_tool_reply` — parallel tool blocks whose deltas and stops interleave.
* :func:`cut_at_max_tokens` — text, then a tool block cut mid-JSON; ``stop_reason`` max_tokens.
* :func:`error_midstream` — an SSE ``error`` event after some text (overloaded by default).
* :func:`no_message_stop` — like ``cut_at_max_tokens`` but the stream just ends (or the
  connection drops with ``abort=True``) without ``message_delta``/``message_stop``.
* :func:`http_error` — an HTTP error with the real JSON body and headers (``retry-after``...).

Every stream opens with ``message_start`` and a ``ping``; tool JSON starts with an empty
fragment, as the real API's does. ``usage={...}`` on text/tool replies sets ``input_tokens``,
``cache_creation_input_tokens``, ``cache_read_input_tokens`` (in ``message_start``) and
``output_tokens`` (in ``message_delta``).

A :class:`SseReply` is a plain list of ``(event name, data)`` pairs, so tests can build odd
streams by hand; ``write_size`` splits the bytes on the wire at arbitrary places.
"""

from __future__ import annotations

import itertools
import json
import threading
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from ._loopback import LoopbackServer

__all__ = [
    "FakeAnthropicServer",
    "HttpError",
    "RecordedRequest",
    "Reply",
    "SseReply",
    "ToolUse",
    "cut_at_max_tokens",
    "error_midstream",
    "http_error",
    "interleaved_tool_reply",
    "no_message_stop",
    "text_reply",
    "tool_reply",
]

SseEvent = tuple[str, dict[str, Any]]

_ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    402: "billing_error",
    403: "permission_error",
    404: "not_found_error",
    413: "request_too_large",
    429: "rate_limit_error",
    504: "timeout_error",
    529: "overloaded_error",
}
_ids = itertools.count(1)


@dataclass(frozen=True)
class HttpError:
    """An HTTP error reply: status, the API's JSON error body, extra headers."""

    status: int
    body: dict[str, Any]
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SseReply:
    """A 200 ``text/event-stream`` reply: the events in order.

    ``abort`` drops the connection after the last event instead of ending the body cleanly;
    ``write_size`` sends the body in pieces of that many bytes (splitting events anywhere).
    """

    events: list[SseEvent]
    abort: bool = False
    write_size: int | None = None


Reply = HttpError | SseReply


@dataclass(frozen=True)
class ToolUse:
    """A tool call the fake model makes; ``arguments`` may be raw JSON text (even broken)."""

    name: str
    arguments: Mapping[str, Any] | str
    id: str = field(default_factory=lambda: f"toolu_fake{next(_ids):04d}")

    @property
    def arguments_json(self) -> str:
        if isinstance(self.arguments, str):
            return self.arguments
        return json.dumps(dict(self.arguments))


@dataclass(frozen=True)
class RecordedRequest:
    """One request the server received."""

    method: str
    path: str
    headers: dict[str, str]
    """Header names in lower case."""
    body: Any
    """The parsed JSON body (``None`` when it was not JSON)."""


class FakeAnthropicServer:
    """The server; ``with server as base_url`` runs it in a background thread."""

    def __init__(self, replies: Iterable[Reply] = ()) -> None:
        self.replies: deque[Reply] = deque(replies)
        self.requests: list[RecordedRequest] = []
        self._server = LoopbackServer(_Handler, self)
        self._lock = threading.Lock()

    def add(self, *replies: Reply) -> None:
        """Queue replies for the next requests, in order."""
        with self._lock:
            self.replies.extend(replies)

    @property
    def base_url(self) -> str:
        return self._server.url

    def __enter__(self) -> str:
        return self._server.start()

    def __exit__(self, *exc_info: object) -> None:
        self._server.stop()

    def _take(self, request: RecordedRequest, refusal: HttpError | None) -> Reply:
        """Record ``request``; its reply is ``refusal`` if given, else the next scripted one."""
        with self._lock:
            self.requests.append(request)
            if refusal is None and self.replies:
                return self.replies.popleft()
        return refusal or http_error(400, message="The fake server has no scripted reply left.")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    fake: FakeAnthropicServer

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        return

    def do_POST(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(length)
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
        headers = {name.lower(): value for name, value in self.headers.items()}
        refusal = None
        if "x-api-key" not in headers and "authorization" not in headers:
            refusal = http_error(401, message="x-api-key header is required")
        elif self.path.split("?")[0] != "/v1/messages":
            refusal = http_error(404, message=f"Not found: {self.path}")
        reply = self.fake._take(RecordedRequest("POST", self.path, headers, body), refusal)
        if isinstance(reply, HttpError):
            self._send_error(reply)
        else:
            self._send_stream(reply)

    def _send_error(self, reply: HttpError) -> None:
        payload = json.dumps(reply.body).encode()
        self.send_response(reply.status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(payload)))
        self.send_header("request-id", reply.body.get("request_id", "req_fake"))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def _send_stream(self, reply: SseReply) -> None:
        self.send_response(200)
        self.send_header("content-type", "text/event-stream; charset=utf-8")
        self.send_header("cache-control", "no-cache")
        self.send_header("transfer-encoding", "chunked")
        self.send_header("request-id", "req_fake_stream")
        self.end_headers()
        pieces = [_encode(name, data) for name, data in reply.events]
        if reply.write_size:
            wire, size = b"".join(pieces), reply.write_size
            pieces = [wire[i : i + size] for i in range(0, len(wire), size)]
        for piece in pieces:
            self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            self.wfile.flush()
        if reply.abort:
            self.close_connection = True
            return
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()


def _encode(name: str, data: Mapping[str, Any]) -> bytes:
    return f"event: {name}\ndata: {json.dumps(data)}\n\n".encode()


# -- builders ------------------------------------------------------------------------------


def http_error(
    status: int,
    *,
    message: str | None = None,
    error_type: str | None = None,
    error_code: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> HttpError:
    """An error reply with the real body shape; ``error_code`` goes in ``error.details``."""
    kind = error_type or _ERROR_TYPES.get(status, "api_error")
    error: dict[str, Any] = {"type": kind, "message": message or kind.replace("_", " ")}
    if error_code:
        error["details"] = {"error_code": error_code}
    body = {"type": "error", "error": error, "request_id": f"req_fake{next(_ids):04d}"}
    return HttpError(status, body, dict(headers or {}))


def text_reply(
    text: str,
    *,
    chunks: int = 1,
    usage: Mapping[str, int] | None = None,
    stop_reason: str = "end_turn",
) -> SseReply:
    """One text block in ``chunks`` deltas of (nearly) equal size."""
    events = [*_start(usage), *_text_block(0, _pieces(text, chunks))]
    return SseReply([*events, *_finish(stop_reason, usage)])


def tool_reply(
    calls: Sequence[ToolUse],
    *,
    text: str = "",
    split_points: Sequence[int] = (),
    usage: Mapping[str, int] | None = None,
) -> SseReply:
    """Optional text, then each call as a tool_use block split at ``split_points``."""
    events = _start(usage)
    index = 0
    if text:
        events += _text_block(0, [text])
        index = 1
    for offset, call in enumerate(calls, start=index):
        events += [
            _block_start(offset, call),
            *_json_deltas(offset, call.arguments_json, split_points),
        ]
        events.append(_block_stop(offset))
    return SseReply([*events, *_finish("tool_use", usage)])


def interleaved_tool_reply(calls: Sequence[ToolUse], *, fragments: int = 3) -> SseReply:
    """Parallel tool blocks: all start, deltas alternate between them, stops in reverse order."""
    events = _start(None)
    events += [_block_start(index, call) for index, call in enumerate(calls)]
    parts = [_pieces(call.arguments_json, fragments) for call in calls]
    for step in range(max(len(p) for p in parts)):
        for index, pieces in enumerate(parts):
            if step < len(pieces):
                events.append(_json_delta(index, pieces[step]))
    events += [_block_stop(index) for index in reversed(range(len(calls)))]
    return SseReply([*events, *_finish("tool_use", None)])


def cut_at_max_tokens(
    call: ToolUse, *, keep: int, text: str = "", close_block: bool = False
) -> SseReply:
    """Text, then ``call`` cut after ``keep`` characters of its JSON; stop_reason max_tokens.

    ``close_block`` sends a ``content_block_stop`` for the cut block anyway.
    """
    events = [*_start(None), *_cut_tool(call, keep, text)]
    if close_block:
        events.append(_block_stop(1 if text else 0))
    return SseReply([*events, *_finish("max_tokens", None)])


def error_midstream(
    text: str = "", *, error_type: str = "overloaded_error", message: str = "Overloaded"
) -> SseReply:
    """Message start, optional text deltas (block left open), then an SSE ``error`` event."""
    events = _start(None)
    if text:
        events += _text_block(0, [text])[:-1]
    error = {"type": "error", "error": {"type": error_type, "message": message}}
    return SseReply([*events, ("error", error)])


def no_message_stop(
    text: str = "", call: ToolUse | None = None, *, keep: int = 0, abort: bool = False
) -> SseReply:
    """Text and optionally a tool block cut after ``keep`` JSON characters, then the end."""
    events = _start(None)
    if call is not None:
        events += _cut_tool(call, keep, text)
    elif text:
        events += _text_block(0, [text])
    return SseReply(events, abort=abort)


# -- event pieces --------------------------------------------------------------------------


def _pieces(text: str, count: int) -> list[str]:
    count = max(1, min(count, len(text) or 1))
    size, extra = divmod(len(text), count)
    pieces, start = [], 0
    for number in range(count):
        end = start + size + (1 if number < extra else 0)
        pieces.append(text[start:end])
        start = end
    return pieces


def _start(usage: Mapping[str, int] | None) -> list[SseEvent]:
    """``message_start`` (input and cache tokens, 1 output token so far) and a ``ping``."""
    counts = {"input_tokens": 25, **(usage or {}), "output_tokens": 1}
    message = {
        "id": f"msg_fake{next(_ids):04d}",
        "type": "message",
        "role": "assistant",
        "content": [],
        "model": "claude-fake",
        "stop_reason": None,
        "stop_sequence": None,
        "usage": counts,
    }
    return [("message_start", {"type": "message_start", "message": message}), _ping()]


def _finish(stop_reason: str, usage: Mapping[str, int] | None) -> list[SseEvent]:
    """``message_delta`` with the stop reason and cumulative output tokens, ``message_stop``."""
    delta = {
        "type": "message_delta",
        "delta": {"stop_reason": stop_reason, "stop_sequence": None},
        "usage": {"output_tokens": (usage or {}).get("output_tokens", 42)},
    }
    return [("message_delta", delta), ("message_stop", {"type": "message_stop"})]


def _ping() -> SseEvent:
    return ("ping", {"type": "ping"})


def _text_block(index: int, pieces: Iterable[str]) -> list[SseEvent]:
    block = {"type": "text", "text": ""}
    start = {"type": "content_block_start", "index": index, "content_block": block}
    deltas = [_delta(index, {"type": "text_delta", "text": piece}) for piece in pieces]
    return [("content_block_start", start), *deltas, _block_stop(index)]


def _block_start(index: int, call: ToolUse) -> SseEvent:
    block = {"type": "tool_use", "id": call.id, "name": call.name, "input": {}}
    return (
        "content_block_start",
        {"type": "content_block_start", "index": index, "content_block": block},
    )


def _delta(index: int, delta: dict[str, str]) -> SseEvent:
    return ("content_block_delta", {"type": "content_block_delta", "index": index, "delta": delta})


def _json_delta(index: int, fragment: str) -> SseEvent:
    return _delta(index, {"type": "input_json_delta", "partial_json": fragment})


def _json_deltas(index: int, raw: str, split_points: Sequence[int]) -> Iterator[SseEvent]:
    """An empty first fragment (the real API sends one), then ``raw`` cut at the points."""
    yield _json_delta(index, "")
    cuts = [0, *sorted(p for p in set(split_points) if 0 < p < len(raw)), len(raw)]
    for start, end in itertools.pairwise(cuts):
        yield _json_delta(index, raw[start:end])


def _block_stop(index: int) -> SseEvent:
    return ("content_block_stop", {"type": "content_block_stop", "index": index})


def _cut_tool(call: ToolUse, keep: int, text: str) -> list[SseEvent]:
    events = _text_block(0, [text]) if text else []
    index = 1 if text else 0
    raw = call.arguments_json[:keep]
    return [*events, _block_start(index, call), *_json_deltas(index, raw, [len(raw) // 2])]
