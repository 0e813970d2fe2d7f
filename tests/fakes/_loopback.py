"""An HTTP server on a free 127.0.0.1 port, served from a daemon thread (the fakes' transport)."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = ["LoopbackServer"]


class LoopbackServer:
    """Serves ``handler`` on loopback between :meth:`start` and :meth:`stop`; the handler
    reaches its scripted ``fake`` as ``self.fake``."""

    def __init__(self, handler: type[BaseHTTPRequestHandler], fake: Any) -> None:
        self._handler = type("Handler", (handler,), {"fake": fake})
        self._fake = fake
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """``http://127.0.0.1:<port>`` while running."""
        if self._httpd is None:
            raise RuntimeError(f"The {type(self._fake).__name__} is not running.")
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> str:
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler)
        self._httpd.daemon_threads = True
        self._httpd.block_on_close = False
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()
        return self.url

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = None
