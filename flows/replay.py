"""A small HTTP server that replays recorded coverage of a story, one "tick" at a time.

Layout: ROOT/tick1/..., ROOT/tick2/...; path P is served from the highest tick <= the current
one that has it, so later ticks add items and replace pages. `{{BASE}}` in a file becomes the
server's own base URL. Answers conditional GETs (ETag, Last-Modified) like a real site, and
gzips for clients that ask. Used by the demo, the tests and the benchmarks; binds to 127.0.0.1.
"""
from __future__ import annotations

import gzip
import hashlib
import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

CONTENT_TYPES = {
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".xml": "application/xml",
    ".html": "text/html",  # no charset: the page's own <meta> decides, as on many real sites
    ".htm": "text/html",
    ".json": "application/json",
    ".txt": "text/plain; charset=utf-8",
}


class ReplayServer:
    def __init__(self, root: str | Path, host: str = "127.0.0.1", port: int = 0, tick: int = 1):
        self.root = Path(root)
        self.tick = tick
        self.requests: list[tuple[str, int]] = []  # (path, status) for tests and the demo's accounting
        self.page_delay_s = 0.0  # tests slow pages down to interrupt a run mid-fetch
        self.fail_paths: set[str] = set()  # tests make these answer 500
        self.redirects: dict[str, str] = {}  # path -> target path (like a feed's tracking links)
        self.redirect_status = 302
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):
                server._serve(self)

            def do_HEAD(self):
                server._serve(self, head=True)

        self._httpd = ThreadingHTTPServer((host, port), Handler)
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return f"{self.base_url}/{path.lstrip('/')}"

    def start(self) -> "ReplayServer":
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="replay-server", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> "ReplayServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def find(self, path: str) -> tuple[Path, int] | None:
        rel = path.split("?", 1)[0].lstrip("/")
        if not rel or ".." in Path(rel).parts:
            return None
        for tick in range(self.tick, 0, -1):
            candidate = self.root / f"tick{tick}" / rel
            if candidate.is_file():
                return candidate, tick
        return None

    def _reply(self, handler: BaseHTTPRequestHandler, status: int, headers: dict[str, str], body: bytes = b"",
               head: bool = False) -> None:
        self.requests.append((handler.path, status))
        handler.send_response(status)
        for name, value in {**headers, "Content-Length": str(len(body))}.items():
            handler.send_header(name, value)
        handler.end_headers()
        if body and not head:
            handler.wfile.write(body)

    def _serve(self, handler: BaseHTTPRequestHandler, head: bool = False) -> None:
        route = handler.path.split("?", 1)[0]
        if route in self.redirects:
            return self._reply(handler, self.redirect_status, {"Location": self.redirects[route]})
        if route in self.fail_paths:
            return self._reply(handler, 500, {"Content-Type": "text/plain"}, b"server error", head)
        found = self.find(handler.path)
        if found is None:
            return self._reply(handler, 404, {"Content-Type": "text/plain"}, b"not found", head)
        path, tick = found
        if self.page_delay_s and path.suffix in (".html", ".htm"):
            time.sleep(self.page_delay_s)
        body = path.read_bytes().replace(b"{{BASE}}", self.base_url.encode("ascii"))
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        if handler.headers.get("If-None-Match") == etag:
            return self._reply(handler, 304, {"ETag": etag})
        headers = {
            "Content-Type": CONTENT_TYPES.get(path.suffix, "application/octet-stream"),
            "ETag": etag,
            # One fixed modification time per tick: a file unchanged across ticks keeps its validators.
            "Last-Modified": formatdate(1_750_000_000 + 86_400 * tick, usegmt=True),
            "Cache-Control": "max-age=60",
        }
        if "gzip" in (handler.headers.get("Accept-Encoding") or ""):
            headers["Content-Encoding"] = "gzip"
            body = gzip.compress(body)
        self._reply(handler, 200, headers, body, head)


def main(argv: list[str] | None = None) -> int:
    """Serve a replay by hand: python -m flows.replay [--root DIR] [--port N] [--tick N]."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m flows.replay", description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=str(Path(__file__).resolve().parents[1] / "demo" / "london-talks"))
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--tick", type=int, default=3)
    args = parser.parse_args(argv)
    server = ReplayServer(args.root, port=args.port, tick=args.tick)
    print(f"serving {args.root} (tick {args.tick}) at {server.base_url}; feeds under {server.base_url}/feeds/", flush=True)
    try:
        server._httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
