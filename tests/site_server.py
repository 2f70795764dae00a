"""A small web site on 127.0.0.1 for the fetch tests: each path answers as its Route says, and every request
is recorded (path and headers) so that a test can check what the client asked for. A route may also write
its answer as it pleases (`raw`): endless, trickling, a gzip bomb (see the functions at the end)."""

from __future__ import annotations

import gzip
import threading
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    """How a path answers: `answers` are (status, headers, body) in turn, the last one repeated; `etag` and
    `last_modified` make it answer 304 to a request that already has them; `pause` delays the answer; `raw`,
    given the site's stopping event, yields the whole answer (status line, headers, body), written as it comes."""

    answers: list[tuple[int, dict, bytes]]
    etag: str | None = None
    last_modified: str | None = None
    pause: float = 0.0
    served: int = 0
    raw: Callable[[threading.Event], Iterator[bytes]] | None = None


@dataclass
class Site:
    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[tuple[str, dict]] = field(default_factory=list)
    stopping: threading.Event = field(default_factory=threading.Event)

    def page(self, path: str, body: bytes, status: int = 200, headers: dict | None = None, **options) -> None:
        headers = {"Content-Type": "text/html; charset=utf-8", **(headers or {})}
        self.routes[path] = Route([(status, headers, body)], **options)

    def stream(self, path: str, raw: Callable[[threading.Event], Iterator[bytes]]) -> None:
        self.routes[path] = Route([], raw=raw)

    def asked(self, path: str) -> list[dict]:
        return [headers for asked, headers in self.requests if asked == path]


def gzipped(data: bytes) -> bytes:
    return gzip.compress(data)


def serve(site: Site) -> tuple[ThreadingHTTPServer, str]:
    """Start the site on a free port of 127.0.0.1; returns the server and its base address."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
            site.requests.append((self.path, {key.lower(): value for key, value in self.headers.items()}))
            route = site.routes.get(self.path)
            if route is None:
                return self._answer(404, {"Content-Type": "text/html"}, b"<html><body>Not found</body></html>")
            if route.pause and site.stopping.wait(route.pause):
                return None
            if route.raw is not None:
                return self._write_raw(route.raw(site.stopping))
            status, headers, body = route.answers[min(route.served, len(route.answers) - 1)]
            route.served += 1
            validators = {"ETag": route.etag, "Last-Modified": route.last_modified}
            validators = {key: value for key, value in validators.items() if value}
            if self._has_validators(route):
                return self._answer(304, validators, b"")
            return self._answer(status, {**headers, **validators}, body)

        def _has_validators(self, route: Route) -> bool:
            return bool(
                (route.etag and self.headers.get("If-None-Match") == route.etag)
                or (route.last_modified and self.headers.get("If-Modified-Since") == route.last_modified)
            )

        def _answer(self, status: int, headers: dict, body: bytes) -> None:
            try:
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a time-out test)

        def _write_raw(self, chunks: Iterator[bytes]) -> None:
            self.close_connection = True
            try:
                for chunk in chunks:
                    self.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client stopped reading: what the tests want of it

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def head(headers: dict, status: str = "200 OK") -> bytes:
    """A status line and headers, for a raw answer (no Content-Length: the body ends when the connection does)."""
    lines = [f"HTTP/1.1 {status}", *(f"{key}: {value}" for key, value in headers.items()), "Connection: close"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def endless(headers: dict, chunk: bytes, most: int = 64 * 1024**2) -> Callable[[threading.Event], Iterator[bytes]]:
    """A body of `chunk` again and again: `most` bytes (more than any limit in the tests), or until stopped."""

    def answer(stopping: threading.Event) -> Iterator[bytes]:
        yield head(headers)
        for _ in range(most // len(chunk)):
            if stopping.is_set():
                return
            yield chunk

    return answer


def gzip_bomb(headers: dict, most: int = 256 * 1024**2) -> Callable[[threading.Event], Iterator[bytes]]:
    """A gzip-encoded body of zeros made as it is sent: about 1 kB on the wire for each MB once inflated."""

    def answer(stopping: threading.Event) -> Iterator[bytes]:
        yield head({**headers, "Content-Encoding": "gzip"})
        packer, zeros = zlib.compressobj(9, zlib.DEFLATED, 31), bytes(1024**2)
        for _ in range(most // len(zeros)):
            if stopping.is_set():
                return
            yield packer.compress(zeros) + packer.flush(zlib.Z_SYNC_FLUSH)
        yield packer.flush()

    return answer


def trickle(start: bytes, every: float = 0.1) -> Callable[[threading.Event], Iterator[bytes]]:
    """`start`, then one byte each `every` seconds until stopped: a per-read time-out never fires."""

    def answer(stopping: threading.Event) -> Iterator[bytes]:
        yield start
        while not stopping.wait(every):
            yield b"x"

    return answer
