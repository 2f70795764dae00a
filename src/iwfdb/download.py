"""One HTTP GET for iwfdb.fetch, with every byte of the answer bounded in size and in time.

A server chooses how much it sends and how slowly, so an answer is streamed and counted against the
caller's limit twice: the bytes as they arrive, and the bytes once inflated (the inflating is done here,
in steps no larger than what the limit still allows, so that a small gzip body cannot grow to a gigabyte
in memory; only gzip and deflate are asked for). Each request also has one deadline, its time-out, over
the whole of it: connecting, the headers, the body. A per-read time-out alone never stops a server that
trickles a byte a second, headers included; at the deadline a watchdog shuts the request's connection, so
the request ends then, whatever the server does. httpx is imported when a client is made.
"""

from __future__ import annotations

import socket
import threading
import weakref
import zlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from urllib.parse import urlsplit

from iwfdb.errors import IwfdbError

ACCEPTED_ENCODINGS = "gzip, deflate"
REDIRECTS = frozenset({301, 302, 303, 307, 308})
# httpcore's trace events that hand over a new connection (plain, then TLS-wrapped).
NEW_CONNECTION_EVENTS = frozenset({"connection.connect_tcp.complete", "connection.start_tls.complete"})


class FetchError(IwfdbError):
    """A download that failed (a retry may mend it): the address and why."""


class Unreachable(FetchError):
    """The site cannot be reached at all: the connection is refused, its name does not resolve, no answer."""


class BadAnswer(FetchError):
    """An answer no retry mends: larger than the limit, or in a content encoding that was not asked for."""


class TooLarge(BadAnswer):
    def __init__(self, limit: int):
        super().__init__(f"larger than {limit} bytes")
        self.limit = limit


@dataclass(frozen=True, slots=True)
class Answer:
    """An HTTP answer with its whole body (inflated), `charset` as the Content-Type header gives it."""

    status: int
    reason: str
    headers: Mapping[str, str]
    body: bytes
    charset: str | None = None

    @property
    def status_text(self) -> str:
        return f"HTTP {self.status} {self.reason}".rstrip()


class HttpClient:
    """GETs one at a time, each bounded: `timeout` seconds in all, at most `limit` bytes of body."""

    def __init__(self, timeout: float, user_agent: str):
        import httpx

        self.timeout = timeout
        self.watchdog = _Watchdog()
        headers = {"User-Agent": user_agent, "Accept-Encoding": ACCEPTED_ENCODINGS}
        self.client = httpx.Client(timeout=timeout, follow_redirects=False, headers=headers)

    def close(self) -> None:
        self.client.close()

    def get(self, address: str, headers: dict, limit: int, *, truncate: bool = False) -> Answer:
        """The answer; a body larger than `limit` is TooLarge (or, with `truncate`, cut at `limit`). A body
        that ends when the connection does is whole only if the watchdog did not end it."""
        import httpx

        with self.watchdog.cutting_at(self.timeout) as late:
            try:
                answer = self._get(address, headers, limit, truncate)
            except (httpx.ConnectError, httpx.ConnectTimeout) as error:
                raise Unreachable(f"cannot reach {_host(address)}: {_why_unreachable(error, self.timeout)}") from None
            except (httpx.HTTPError, httpx.InvalidURL) as error:
                if not (late() or isinstance(error, httpx.TimeoutException)):
                    raise FetchError(f"a broken answer ({error.__class__.__name__}: {error})") from None
                answer = None
            if answer is None or late():
                raise FetchError(f"no complete answer within {self.timeout:g} s")
        return answer

    def _get(self, address: str, headers: dict, limit: int, truncate: bool) -> Answer:
        with self.client.stream("GET", address, headers=headers, extensions={"trace": self.watchdog.trace}) as response:
            body = read_body(response, limit, truncate)
            charset = response.charset_encoding
            return Answer(response.status_code, response.reason_phrase, response.headers, body, charset)


def read_body(response, limit: int, truncate: bool = False) -> bytes:
    """The body of a streamed httpx response, inflated, counted as it comes against `limit`."""
    declared = response.headers.get("content-length", "")
    if not truncate and declared.isdigit() and int(declared) > limit:
        raise TooLarge(limit)
    inflater = _Inflater(response.headers.get("content-encoding", ""))
    body, raw = bytearray(), 0
    for chunk in response.iter_raw():
        raw += len(chunk)
        body += inflater.inflate(chunk, limit + 1 - len(body))
        if len(body) > limit or raw > limit:
            if truncate:
                return bytes(body[:limit])
            raise TooLarge(limit)
    inflater.check_ended()
    return bytes(body)


class _Inflater:
    """A content encoding undone a chunk at a time, never giving more bytes than asked for."""

    def __init__(self, encoding: str):
        encoding = encoding.strip().lower()
        if encoding not in ("", "identity", "gzip", "x-gzip", "deflate"):
            raise BadAnswer(f"its body is encoded as {encoding!r}, which was not asked for (only {ACCEPTED_ENCODINGS})")
        self.encoding = encoding
        # gzip or zlib wrapping, told apart by their headers; "deflate" is sometimes sent raw, without one.
        self.stream = zlib.decompressobj(zlib.MAX_WBITS | 32) if encoding not in ("", "identity") else None
        self.started = False

    def inflate(self, chunk: bytes, at_most: int) -> bytes:
        if self.stream is None:
            return chunk
        try:
            return self._inflate(chunk, at_most)
        except zlib.error as error:
            raise BadAnswer(f"its {self.encoding} body cannot be inflated ({error})") from None

    def check_ended(self) -> None:
        """A compressed body whose end never came was cut short (a retry may have it whole)."""
        if self.stream is not None and not self.stream.eof:
            raise FetchError(f"its {self.encoding} body was cut short")

    def _inflate(self, chunk: bytes, at_most: int) -> bytes:
        if self.stream is None:  # called only for an encoded body, which has its stream
            raise FetchError(f"no decoder for {self.encoding}")
        first, self.started = not self.started, True
        try:
            return self.stream.decompress(chunk, at_most)
        except zlib.error:
            if not (first and self.encoding == "deflate"):
                raise
            self.stream = zlib.decompressobj(-zlib.MAX_WBITS)  # "deflate" sent raw, without its zlib header
            return self.stream.decompress(chunk, at_most)


class _Watchdog:
    """Shuts the client's connections when a request runs past its deadline (their sockets are learnt from
    httpcore's trace of each new connection; an idle kept-alive one shut as well is simply opened again)."""

    def __init__(self):
        self.sockets: weakref.WeakSet[socket.socket] = weakref.WeakSet()

    def trace(self, event: str, info: dict) -> None:
        if event in NEW_CONNECTION_EVENTS and info.get("return_value") is not None:
            connection = info["return_value"].get_extra_info("socket")
            if connection is not None:
                self.sockets.add(connection)

    @contextmanager
    def cutting_at(self, seconds: float) -> Iterator:
        """Within: the connections are shut after `seconds`; yields a function saying whether they were."""
        fired = threading.Event()
        timer = threading.Timer(seconds, self._cut, args=(fired,))
        timer.daemon = True
        timer.start()
        try:
            yield fired.is_set
        finally:
            timer.cancel()

    def _cut(self, fired: threading.Event) -> None:
        fired.set()
        for connection in list(self.sockets):
            with suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


def _host(address: str) -> str:
    return urlsplit(address).netloc.rpartition("@")[2] or address


def _why_unreachable(error: Exception, timeout: float) -> str:
    """The reason as a person says it: refused, no such host, no answer."""
    import httpx

    text = str(error)
    if isinstance(error, httpx.ConnectTimeout):
        return f"no connection within {timeout:g} s"
    if "refused" in text.lower():
        return "connection refused"
    if any(words in text for words in ("Name or service not known", "name resolution", "nodename nor servname")):
        return "no such host (its name does not resolve)"
    return text or error.__class__.__name__
