"""One Luma per user: a second ``luma`` asks the running one to show its window, then exits.

The first instance listens on a local socket (``QLocalServer``) whose name is derived from the
user and the config folder (so a separate ``LUMA_HOME`` is a separate instance); later ones
connect, send one line (``show``) and leave. A socket left behind by a crash is removed.
"""

from __future__ import annotations

import getpass
import hashlib
import logging
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

__all__ = ["SingleInstance", "instance_name"]

log = logging.getLogger(__name__)

_CONNECT_MS = 300
_WRITE_MS = 1000
_MAX_LINE = 200


def instance_name(config_dir: Path) -> str:
    """The socket name for this user and config folder (short: it becomes a file name)."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "user"
    digest = hashlib.sha256(f"{user}\0{config_dir.resolve()}".encode()).hexdigest()[:16]
    return f"luma-desktop-{digest}"


class SingleInstance(QObject):
    """Claims the instance name, or hands a message to whoever holds it."""

    messageReceived = Signal(str)
    """A line another ``luma`` sent ("show")."""

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._server: QLocalServer | None = None
        self._buffers: dict[QLocalSocket, bytes] = {}

    def claim(self) -> bool:
        """Become the running instance; ``False`` when another one already is."""
        if self._server is not None:
            return True
        probe = QLocalSocket()
        probe.connectToServer(self.name)
        if probe.waitForConnected(_CONNECT_MS):
            probe.disconnectFromServer()
            return False
        QLocalServer.removeServer(self.name)  # a socket file left by a crashed instance
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.name):
            log.warning(
                "could not listen as the single instance %s: %s", self.name, server.errorString()
            )
            return True
        server.newConnection.connect(self._accept)
        self._server = server
        return True

    def notify(self, message: str = "show") -> bool:
        """Send ``message`` to the running instance; whether it was delivered."""
        socket = QLocalSocket()
        socket.connectToServer(self.name)
        if not socket.waitForConnected(_CONNECT_MS):
            return False
        socket.write(message.strip().encode()[:_MAX_LINE] + b"\n")
        delivered = socket.waitForBytesWritten(_WRITE_MS)
        socket.disconnectFromServer()
        if socket.state() != QLocalSocket.LocalSocketState.UnconnectedState:
            socket.waitForDisconnected(_WRITE_MS)
        return delivered

    def close(self) -> None:
        """Stop listening and drop open connections (at shutdown)."""
        for socket in list(self._buffers):
            socket.abort()
            socket.deleteLater()
        self._buffers.clear()
        if self._server is not None:
            self._server.close()
            self._server.deleteLater()
            self._server = None

    def _accept(self) -> None:
        server = self._server
        while server is not None and server.hasPendingConnections():
            socket = server.nextPendingConnection()
            if socket is None:
                return
            self._buffers[socket] = b""
            socket.readyRead.connect(self._ready_read)
            socket.disconnected.connect(self._disconnected)
            self._read(socket)

    def _sending_socket(self) -> QLocalSocket | None:
        sender = self.sender()
        return sender if isinstance(sender, QLocalSocket) and sender in self._buffers else None

    def _ready_read(self) -> None:
        socket = self._sending_socket()
        if socket is not None:
            self._read(socket)

    def _disconnected(self) -> None:
        socket = self._sending_socket()
        if socket is not None:
            self._read(socket)
            del self._buffers[socket]
            socket.deleteLater()

    def _read(self, socket: QLocalSocket) -> None:
        if not socket.bytesAvailable():
            return
        data = self._buffers.get(socket, b"") + bytes(socket.readAll().data())
        *lines, rest = data.split(b"\n")
        self._buffers[socket] = rest[: _MAX_LINE * 2]
        for line in lines:
            text = line.decode("utf-8", "replace").strip()
            if text:
                self.messageReceived.emit(text)
