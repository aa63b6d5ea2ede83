"""A fake Socket Mode server on 127.0.0.1: hands envelopes to the app, records acks, drops sockets."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import itertools
import json
import socket
import struct
import threading
import time
from typing import Any

from tests.support.fake_slack import FakeSlack
from tests.support.lifecycle import StartStop

_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
_TEXT, _CLOSE, _PING, _PONG = 0x1, 0x8, 0x9, 0xA


class _Connection:
    """One client socket: frames in and out, and whether it still answers pings."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.answering = True
        self.open = True
        self._send_lock = threading.Lock()

    def send(self, opcode: int, payload: bytes) -> None:
        header = bytes([0x80 | opcode])
        size = len(payload)
        if size < 126:
            header += bytes([size])
        elif size < 1 << 16:
            header += bytes([126]) + struct.pack("!H", size)
        else:
            header += bytes([127]) + struct.pack("!Q", size)
        with self._send_lock:
            self.sock.sendall(header + payload)

    def receive(self) -> tuple[int, bytes]:
        first, second = self._exactly(2)
        size = second & 0x7F
        if size == 126:
            size = struct.unpack("!H", self._exactly(2))[0]
        elif size == 127:
            size = struct.unpack("!Q", self._exactly(8))[0]
        mask = self._exactly(4) if second & 0x80 else b"\0\0\0\0"
        payload = bytes(b ^ mask[i % 4] for i, b in enumerate(self._exactly(size)))
        return first & 0x0F, payload

    def _exactly(self, size: int) -> bytes:
        data = b""
        while len(data) < size:
            chunk = self.sock.recv(size - len(data))
            if not chunk:
                raise ConnectionError("closed by the client")
            data += chunk
        return data


class FakeSocketMode(StartStop):
    """Slack's Socket Mode end: `with FakeSocketMode(fake) as socket_mode:` makes apps.connections.open
    on the fake Slack hand out this server's URL."""

    def __init__(self, fake: FakeSlack) -> None:
        self.fake = fake
        self.connections: list[_Connection] = []
        self.acks: dict[str, dict[str, Any]] = {}
        self._ids = itertools.count(1)
        self._changed = threading.Condition()
        self._server: socket.socket | None = None

    # ---- lifecycle ----

    def start(self) -> FakeSocketMode:
        """Listen on a free port and answer apps.connections.open with it."""
        self._server = socket.create_server(("127.0.0.1", 0))
        # FakeSlack has no Socket Mode of its own: this one method is added to it.
        self.fake.add_method("apps.connections.open", lambda _params: {"ok": True, "url": self.url})
        threading.Thread(target=self._accept, name="fake-socket-mode", daemon=True).start()
        return self

    def stop(self) -> None:
        """Close every socket and stop listening."""
        for connection in self.connections:
            self._close(connection)
        if self._server is not None:
            self._server.close()
            self._server = None

    @property
    def url(self) -> str:
        """The ws:// URL apps.connections.open hands out."""
        assert self._server is not None, "FakeSocketMode is not started"
        return f"ws://127.0.0.1:{self._server.getsockname()[1]}/link/?ticket=fake"

    # ---- what Slack does ----

    def send_command(self, fields: dict[str, str]) -> str:
        """A `slash_commands` envelope to the newest open connection; returns its envelope id."""
        envelope_id = f"envelope-{next(self._ids)}"
        envelope = {
            "envelope_id": envelope_id,
            "type": "slash_commands",
            "payload": fields,
            "accepts_response_payload": True,
        }
        self._newest().send(_TEXT, json.dumps(envelope).encode())
        return envelope_id

    def drop(self, *, silently: bool) -> None:
        """Lose the newest connection: closed (a close frame, then the socket) or, silently, no more pongs."""
        connection = self._newest()
        if silently:
            connection.answering = False
            return
        with contextlib.suppress(OSError):
            connection.send(_CLOSE, struct.pack("!H", 1001) + b"going away")
        self._close(connection)

    # ---- waiting ----

    def wait_for_connections(self, count: int, *, timeout: float) -> bool:
        """True once `count` connections have been opened in all."""
        with self._changed:
            return self._changed.wait_for(lambda: len(self.connections) >= count, timeout=timeout)

    def wait_for_acks(self, count: int, *, timeout: float) -> bool:
        """True once `count` envelopes have been acknowledged."""
        with self._changed:
            return self._changed.wait_for(lambda: len(self.acks) >= count, timeout=timeout)

    # ---- serving ----

    def _newest(self) -> _Connection:
        open_ones = [connection for connection in self.connections if connection.open]
        assert open_ones, "no Socket Mode connection is open"
        return open_ones[-1]

    def _accept(self) -> None:
        while self._server is not None:
            try:
                sock, _ = self._server.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(sock,), daemon=True).start()

    def _serve(self, sock: socket.socket) -> None:
        connection = _Connection(sock)
        try:
            self._handshake(sock)
            with self._changed:
                self.connections.append(connection)
                self._changed.notify_all()
            hello = {"type": "hello", "num_connections": 1, "connection_info": {"app_id": self.fake.app_id}}
            connection.send(_TEXT, json.dumps(hello).encode())
            while connection.open:
                opcode, payload = connection.receive()
                if not connection.answering:
                    continue
                if opcode == _PING:
                    connection.send(_PONG, payload)
                elif opcode == _CLOSE:
                    break
                elif opcode == _TEXT:
                    self._record_ack(json.loads(payload))
        except (OSError, ConnectionError, ValueError):
            pass
        finally:
            self._close(connection)

    def _handshake(self, sock: socket.socket) -> None:
        request = b""
        while b"\r\n\r\n" not in request:
            chunk = sock.recv(4096)
            if not chunk:
                raise ConnectionError("closed during the handshake")
            request += chunk
        headers = dict(line.split(": ", 1) for line in request.decode().split("\r\n")[1:] if ": " in line)
        digest = hashlib.sha1((headers["Sec-WebSocket-Key"] + _GUID).encode()).digest()
        accept = base64.b64encode(digest).decode()
        sock.sendall(
            (
                "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                f"Sec-WebSocket-Accept: {accept}\r\n\r\n"
            ).encode()
        )

    def _record_ack(self, message: dict[str, Any]) -> None:
        envelope_id = message.get("envelope_id")
        if isinstance(envelope_id, str):
            with self._changed:
                self.acks[envelope_id] = {"at": time.monotonic(), "payload": message.get("payload")}
                self._changed.notify_all()

    def _close(self, connection: _Connection) -> None:
        if connection.open:
            connection.open = False
            with contextlib.suppress(OSError):
                connection.sock.shutdown(socket.SHUT_RDWR)
            connection.sock.close()
