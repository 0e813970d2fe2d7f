"""A fake ElevenLabs text-to-speech API on 127.0.0.1, streaming raw PCM like the real one.

Drive it with the real ``elevenlabs`` SDK (``ElevenLabs(api_key=..., base_url=base_url)``)::

    server = FakeElevenLabsServer(api_key="test-key")
    server.add(audio_reply(chunk_bytes=4096), http_error(500))
    with server as base_url:
        ...
    server.requests[0].query["output_format"]    # "pcm_22050"
    server.requests[0].body["text"]              # what was to be said

``POST /v1/text-to-speech/{voice_id}/stream`` checks the ``xi-api-key`` header (none → 401
``needs_authorization``, another key → 401 ``invalid_api_key``, as the real API answers), the
voice (when ``voice_ids`` is given: 404 ``voice_not_found``), the JSON body (no text → 422 with
FastAPI-style ``detail``) and ``output_format`` (only ``pcm_<rate>``: this fake does not encode
MP3). It then plays the next scripted reply, or a tone as long as the text when none is left.
Errors carry the real body shape ``{"detail": {"status": ..., "message": ...}}``.

Replies:

* :func:`audio_reply` — 200 with chunked PCM: given ``pcm`` or a tone for the text, sent in
  ``chunk_bytes`` pieces; ``first_byte_delay`` before the headers, ``chunk_delay`` between
  pieces; ``hold_after=n`` sends ``n`` pieces then waits for :meth:`FakeElevenLabsServer.release`
  (to see audio arrive while the server is still sending); ``drop_after=n`` sends ``n`` pieces
  then drops the connection without ending the body.
* :func:`http_error` — an error status with the API's JSON body (``retry-after`` for 429).

``server.requests`` records every request (method, path, query, lower-case headers, parsed
body); ``server.completed`` counts streams sent to their end, ``server.hung_up`` streams the
client closed before their end.
"""

from __future__ import annotations

import itertools
import json
import math
import re
import socket
import threading
import time
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

import numpy as np

from ._loopback import LoopbackServer

__all__ = [
    "AudioReply",
    "FakeElevenLabsServer",
    "HttpError",
    "RecordedRequest",
    "Reply",
    "audio_reply",
    "http_error",
    "tone",
    "unreachable_base_url",
]

_PATH = re.compile(r"^/v1/text-to-speech/([^/]+)/stream$")
_PCM_FORMAT = re.compile(r"^pcm_(8000|16000|22050|24000|32000|44100|48000)$")
_MESSAGES = {
    401: ("invalid_api_key", "Invalid API key"),
    403: ("missing_permissions", "The API key you used is missing the permission to do this."),
    404: ("voice_not_found", "A voice with the voice_id you provided was not found."),
    429: ("too_many_concurrent_requests", "Too many concurrent requests for your plan."),
    500: ("internal_server_error", "An internal server error occurred."),
    503: ("service_unavailable", "The service is temporarily unavailable."),
}
_ids = itertools.count(1)


@dataclass(frozen=True)
class HttpError:
    """An error reply: status, the API's JSON body, extra headers."""

    status: int
    body: Any
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class AudioReply:
    """A 200 stream of raw PCM (``pcm=None``: a tone as long as the text)."""

    pcm: bytes | None = None
    chunk_bytes: int = 2048
    first_byte_delay: float = 0.0
    chunk_delay: float = 0.0
    hold_after: int | None = None
    drop_after: int | None = None


Reply = HttpError | AudioReply


@dataclass(frozen=True)
class RecordedRequest:
    """One request the server received."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    """Header names in lower case."""
    body: Any
    """The parsed JSON body (``None`` when it was not JSON)."""


def http_error(status: int, *, code: str | None = None, message: str | None = None) -> HttpError:
    """An error with the real body shape; 429 also says when to retry."""
    known_code, known_message = _MESSAGES.get(status, ("error", "Something went wrong."))
    body = {"detail": {"status": code or known_code, "message": message or known_message}}
    headers = {"retry-after": "1"} if status == 429 else {}
    return HttpError(status, body, headers)


def audio_reply(pcm: bytes | None = None, **options: Any) -> AudioReply:
    """A streamed PCM reply (see :class:`AudioReply` for the options)."""
    return AudioReply(pcm, **options)


def tone(text: str, sample_rate: int, *, seconds_per_char: float = 0.05) -> bytes:
    """A 220 Hz tone about as long as ``text`` would take to say (0.3-10 s), as int16 PCM."""
    seconds = min(max(len(text) * seconds_per_char, 0.3), 10.0)
    times = np.arange(int(seconds * sample_rate)) / sample_rate
    fade = np.minimum(1.0, np.minimum(times, seconds - times) / 0.01)
    wave = 0.3 * np.sin(2 * math.pi * 220 * times) * fade
    return (wave * 32767).astype("<i2").tobytes()


def unreachable_base_url() -> str:
    """An address on 127.0.0.1 where nothing listens (connections are refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


class FakeElevenLabsServer:
    """The server; ``with server as base_url`` runs it in a background thread."""

    def __init__(
        self,
        replies: Iterable[Reply] = (),
        *,
        api_key: str = "test-key",
        voice_ids: Iterable[str] | None = None,
    ) -> None:
        self.replies: deque[Reply] = deque(replies)
        self.api_key = api_key
        self.voice_ids = set(voice_ids) if voice_ids is not None else None
        self.requests: list[RecordedRequest] = []
        self.completed = 0
        self.hung_up = 0
        self._gate = threading.Event()
        self._lock = threading.Lock()
        self._server = LoopbackServer(_Handler, self)

    def add(self, *replies: Reply) -> None:
        """Queue replies for the next accepted requests, in order."""
        with self._lock:
            self.replies.extend(replies)

    def release(self) -> None:
        """Let streams held by ``hold_after`` go on."""
        self._gate.set()

    @property
    def base_url(self) -> str:
        return self._server.url

    def __enter__(self) -> str:
        return self._server.start()

    def __exit__(self, *exc_info: object) -> None:
        self.release()
        self._server.stop()

    def _take(self, request: RecordedRequest, refusal: HttpError | None) -> Reply:
        with self._lock:
            self.requests.append(request)
            if refusal is None and self.replies:
                return self.replies.popleft()
        return refusal or AudioReply()

    def _refusal(self, voice_id: str, request: RecordedRequest) -> HttpError | None:
        """The error the real API gives this request, if any."""
        key = request.headers.get("xi-api-key")
        if key is None:
            return http_error(
                401,
                code="needs_authorization",
                message="Neither authorization header nor xi-api-key received, please provide one.",
            )
        if key != self.api_key:
            return http_error(401)
        if self.voice_ids is not None and voice_id not in self.voice_ids:
            return http_error(404, message=f"A voice with voice_id {voice_id} was not found.")
        body = request.body
        if not isinstance(body, dict) or not isinstance(body.get("text"), str):
            detail = [{"loc": ["body", "text"], "msg": "Field required", "type": "missing"}]
            return HttpError(422, {"detail": detail})
        output_format = request.query.get("output_format", "mp3_44100_128")
        if not _PCM_FORMAT.match(output_format):
            return http_error(
                400, code="invalid_output_format", message="This fake streams raw PCM only."
            )
        return None


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    fake: FakeElevenLabsServer

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        return

    def do_POST(self) -> None:
        raw = self.rfile.read(int(self.headers.get("content-length") or 0))
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
        url = urlsplit(self.path)
        query = {name: values[0] for name, values in parse_qs(url.query).items()}
        headers = {name.lower(): value for name, value in self.headers.items()}
        request = RecordedRequest("POST", url.path, query, headers, body)
        matched = _PATH.match(url.path)
        if matched is None:
            refusal: HttpError | None = HttpError(404, {"detail": "Not Found"})
        else:
            refusal = self.fake._refusal(matched[1], request)
        reply = self.fake._take(request, refusal)
        if isinstance(reply, HttpError):
            self._send_error(reply)
        else:
            rate = int(query["output_format"].split("_")[1])
            self._send_audio(reply, reply.pcm or tone(body["text"], rate), len(body["text"]))

    def _send_error(self, reply: HttpError) -> None:
        payload = json.dumps(reply.body).encode()
        self.send_response(reply.status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(payload)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def _send_audio(self, reply: AudioReply, pcm: bytes, characters: int) -> None:
        try:
            self._stream(reply, pcm, characters)
        except (BrokenPipeError, ConnectionResetError):  # the client hung up
            self.close_connection = True
            with self.fake._lock:
                self.fake.hung_up += 1

    def _stream(self, reply: AudioReply, pcm: bytes, characters: int) -> None:
        time.sleep(reply.first_byte_delay)
        self.send_response(200)
        self.send_header("content-type", "audio/pcm")
        self.send_header("transfer-encoding", "chunked")
        self.send_header("request-id", f"req_fake{next(_ids):04d}")
        self.send_header("x-character-count", str(characters))
        self.end_headers()
        size = max(2, reply.chunk_bytes)
        for index, start in enumerate(range(0, len(pcm), size)):
            if index and index == reply.hold_after:
                self.fake._gate.wait(timeout=30)
            if index and index == reply.drop_after:
                self.close_connection = True
                return
            if index:
                time.sleep(reply.chunk_delay)
            piece = pcm[start : start + size]
            self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            self.wfile.flush()
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()
        with self.fake._lock:
            self.fake.completed += 1
