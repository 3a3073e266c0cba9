"""Helpers for the fetch-layer tests: a fault-injection HTTP server on 127.0.0.1 (and
a second one on 127.0.0.2, the "internal" host that must never be reached).

Routes are registered per test (``server.add(path, handler)`` / ``server.static``);
every request is counted per path. The servers are bounded: handlers sleep on a stop
event, every write loop has a byte cap, and a watchdog shuts the servers down after
``MAX_LIFETIME_S`` even if a test hangs. Nothing here talks outside 127.0.0.0/8.
"""
from __future__ import annotations

import collections
import socket
import struct
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable

from sources.http import FetchPolicy
from sources.netpolicy import AddressPolicy

MAX_LIFETIME_S = 120.0


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"
    server: "_Server"

    def log_message(self, *args) -> None:  # keep pytest output clean
        pass

    def do_GET(self) -> None:
        owner = self.server.owner
        path = self.path.split("?", 1)[0]
        with owner.lock:
            owner.hits[path] += 1
            owner.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
            owner.inflight[path] += 1
            owner.max_inflight[path] = max(owner.max_inflight[path], owner.inflight[path])
        try:
            route = owner.routes.get(path)
            if route is None:
                self.reply(404, b"no such route\n")
            else:
                route(self)
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, OSError):
            pass  # the client hung up on purpose (limits); fine
        finally:
            with owner.lock:
                owner.inflight[path] -= 1

    # helpers for routes
    def reply(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None, length: bool = True) -> None:
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        if length and not any(k.lower() == "content-length" for k in (headers or {})):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)

    def sleep(self, seconds: float) -> bool:
        """Sleep unless the server is stopping; False when it is."""
        return not self.server.owner.stop.wait(seconds)

    def reset(self) -> None:
        """Abort the connection with a TCP RST."""
        self.wfile.flush()
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    owner: "FaultServer"


class FaultServer:
    def __init__(self, host: str) -> None:
        self.host = host
        self.routes: dict[str, Callable[[Handler], None]] = {}
        self.hits: collections.Counter[str] = collections.Counter()
        self.inflight: collections.Counter[str] = collections.Counter()
        self.max_inflight: collections.Counter[str] = collections.Counter()
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self._httpd = _Server((host, 0), Handler)
        self._httpd.owner = self
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._watchdog = threading.Timer(MAX_LIFETIME_S, self.close)
        self._watchdog.daemon = True

    def start(self) -> "FaultServer":
        self._thread.start()
        self._watchdog.start()
        return self

    def close(self) -> None:
        if self.stop.is_set():
            return
        self.stop.set()
        self._watchdog.cancel()
        self._httpd.shutdown()
        self._httpd.server_close()

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    def add(self, path: str, fn: Callable[[Handler], None]) -> str:
        self.routes[path] = fn
        return self.url(path)

    def static(self, path: str, body: bytes, status: int = 200, headers: dict[str, str] | None = None) -> str:
        return self.add(path, lambda h: h.reply(status, body, headers))


def make_policy(**overrides) -> FetchPolicy:
    """Short timeouts and tiny backoffs so the whole suite stays fast."""
    values = dict(
        connect_timeout_s=1.0,
        read_timeout_s=0.6,
        total_timeout_s=1.2,
        retries=2,
        backoff_base_s=0.01,
        backoff_max_s=0.05,
        max_decompressed_bytes=5 * 1024 * 1024,
        address_policy=AddressPolicy(allowed=("127.0.0.1",)),
    )
    values.update(overrides)
    return FetchPolicy(**values)
