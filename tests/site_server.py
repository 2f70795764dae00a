"""A small web site on 127.0.0.1 for the fetch tests: each path answers as its Route says, and every request
is recorded (path and headers) so that a test can check what the client asked for."""

from __future__ import annotations

import gzip
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    """How a path answers: `answers` are (status, headers, body) in turn, the last one repeated; `etag` and
    `last_modified` make it answer 304 to a request that already has them; `pause` delays the answer."""

    answers: list[tuple[int, dict, bytes]]
    etag: str | None = None
    last_modified: str | None = None
    pause: float = 0.0
    served: int = 0


@dataclass
class Site:
    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[tuple[str, dict]] = field(default_factory=list)
    stopping: threading.Event = field(default_factory=threading.Event)

    def page(self, path: str, body: bytes, status: int = 200, headers: dict | None = None, **options) -> None:
        headers = {"Content-Type": "text/html; charset=utf-8", **(headers or {})}
        self.routes[path] = Route([(status, headers, body)], **options)

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

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"
