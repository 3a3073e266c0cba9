"""A polite, defensive HTTP GET for untrusted URLs (feeds and the pages they link to).

``HttpClient(policy).get(url)`` never raises: every failure comes back as a
:class:`~sources.models.FetchResult` with a readable ``error`` and a short
``error_kind`` tag (see ``ERROR_KINDS``). It is thread-safe; use one client per
process and call it from as many threads as you like.

How it defends itself
---------------------
* **Address checks at every hop, pinned connections (no DNS rebinding).** Redirects
  are followed by hand (``follow_redirects=False``). Each connection goes through
  ``_PinnedBackend.connect_tcp``: it resolves the host once with
  ``socket.getaddrinfo``, checks *all* the resolved addresses with
  :class:`~sources.netpolicy.AddressPolicy`, then opens the TCP socket to one of
  those checked IPs itself. The URL keeps its hostname, so the Host header, TLS SNI
  and certificate verification are the normal ones; nothing re-resolves the name
  between the check and the connect. Environment proxies are ignored
  (``trust_env=False``): a proxy would connect on our behalf, unchecked.
* **Only http and https**, at the start and for every ``Location``.
* **Time:** connect and read timeouts per socket operation, plus a total deadline per
  attempt enforced inside the socket wrapper (every read/write gets
  ``min(read_timeout, time left)``), so a server dripping headers or body one byte a
  second is cut at ``total_timeout_s``. Time spent waiting for a per-host slot does
  not count toward the deadline (capped by ``slot_wait_s``). DNS resolution runs on a
  small worker pool so a hanging resolver is cut at the connect timeout / deadline too.
* **Size:** ``Content-Length`` above ``max_body_bytes`` is refused before reading;
  the raw body is counted while streaming; the body is decoded by us (gzip, deflate
  zlib or raw, brotli, chained) with a bounded output buffer per step, so a bomb is
  stopped once ``max_decompressed_bytes`` is passed, without inflating it in memory.
* **Politeness:** a User-Agent with a contact URL, at most ``per_host_concurrency``
  requests in flight per host in this process (threading semaphores), conditional GET
  (ETag / Last-Modified -> ``not_modified`` on 304), ``Retry-After`` honoured and
  reported (never retried in-process when a server asks us to wait), retries only
  for transient failures (connect errors, resets, timeouts, 5xx other than 501) with
  exponential backoff and jitter. Running into the *total* deadline is not retried
  (the server answers, only too slowly: trying again would just double the wait).
"""
from __future__ import annotations

import email.utils
import random
import socket
import ssl
import threading
import time
import zlib
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from typing import Callable, Iterator
from urllib.parse import urljoin, urlsplit

import brotli
import httpcore
import httpx

from .models import FetchResult
from .netpolicy import AddressPolicy

DEFAULT_USER_AGENT = (
    "storywatch/0.1 (+https://github.com/storywatch/storywatch; follows news stories via their feeds)"
)
FEED_ACCEPT = (
    "application/atom+xml, application/rss+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5"
)
HTML_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"

ERROR_KINDS = (
    "timeout",  # connect/read timeout or the total deadline
    "connect",  # could not open a connection (refused, unreachable)
    "dns",  # the host name did not resolve
    "reset",  # connection dropped/reset before the response was complete
    "truncated",  # body or compressed stream shorter than announced
    "tls",  # certificate / handshake failure
    "protocol",  # not valid HTTP
    "refused_address",  # the address policy refused a resolved IP
    "refused_scheme",  # not http/https (start URL or redirect)
    "bad_url",  # unparseable URL
    "too_large",  # body above max_body_bytes
    "decompression_bomb",  # decoded body above max_decompressed_bytes
    "bad_encoding",  # corrupt or unsupported Content-Encoding
    "too_many_redirects",
    "redirect_loop",
    "bad_redirect",  # 3xx without a usable Location
    "http_4xx",  # as http_404, http_410, http_429, http_403, ...: the real code
    "http_5xx",  # any 5xx
    "unexpected_status",  # 1xx/3xx we do not follow (300, 305, ...)
    "internal",  # a bug in here; still reported, never raised
)
TRANSIENT_KINDS = frozenset({"timeout", "connect", "reset", "http_5xx"})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_CHUNK = 64 * 1024
LOCATION_ALIAS = b"x-storywatch-location"
_TOTAL_TIMEOUT = "total timeout"


@dataclass
class FetchPolicy:
    user_agent: str = DEFAULT_USER_AGENT
    connect_timeout_s: float = 10.0
    read_timeout_s: float = 20.0
    total_timeout_s: float = 60.0  # per attempt, whole redirect chain included
    max_body_bytes: int = 10 * 1024 * 1024  # raw bytes on the wire
    max_decompressed_bytes: int = 40 * 1024 * 1024  # after gzip/deflate/brotli
    max_redirects: int = 5
    per_host_concurrency: int = 2
    slot_wait_s: float = 600.0  # longest wait for a per-host slot
    retries: int = 2  # extra attempts after the first, for transient failures
    backoff_base_s: float = 1.0
    backoff_max_s: float = 30.0
    max_retry_after_s: float = 6 * 3600.0  # cap on what a server may ask
    max_fresh_s: float = 86400.0  # cap on Cache-Control/Expires freshness
    address_policy: AddressPolicy = field(default_factory=AddressPolicy)
    ca_bundle: str | None = None  # PEM file of trusted CAs; None -> certifi's bundle


Resolver = Callable[[str, int], list[str]]


def system_resolver(host: str, port: int) -> list[str]:
    """All addresses ``host`` resolves to (order kept, duplicates dropped)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    seen: list[str] = []
    for info in infos:
        ip = str(info[4][0])
        if ip not in seen:
            seen.append(ip)
    return seen


class _Fail(Exception):
    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


class _Attempt:
    """State shared by one attempt's socket wrappers: the deadline and what happened."""

    def __init__(self, total_s: float) -> None:
        self.deadline = time.monotonic() + total_s
        self.total_expired = False
        self.connected_ip: str | None = None

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def bounded(self, timeout: float | None) -> float:
        left = self.remaining()
        if left <= 0:
            self.total_expired = True
            raise httpcore.ReadTimeout("total timeout exceeded")
        return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """Wraps a socket stream so that no read or write can outlive the attempt's deadline."""

    def __init__(self, inner: httpcore.NetworkStream, attempt: _Attempt) -> None:
        self._inner = inner
        self._attempt = attempt

    def _guard(self, fn, *args, timeout):
        t = self._attempt.bounded(timeout)
        try:
            return fn(*args, timeout=t)
        except (httpcore.ReadTimeout, httpcore.WriteTimeout, httpcore.ConnectTimeout):
            if self._attempt.remaining() <= 0:
                self._attempt.total_expired = True
            raise

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._guard(self._inner.read, max_bytes, timeout=timeout)

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        return self._guard(self._inner.write, buffer, timeout=timeout)

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None):
        t = self._attempt.bounded(timeout)
        inner = self._inner.start_tls(ssl_context, server_hostname=server_hostname, timeout=t)
        return _DeadlineStream(inner, self._attempt)

    def get_extra_info(self, info: str):
        return self._inner.get_extra_info(info)


class _PinnedBackend(httpcore.SyncBackend):
    """Resolve once, check every address, connect to a checked IP (never re-resolve)."""

    def __init__(self, policy: AddressPolicy, resolver: Resolver, attempt: _Attempt, pool: ThreadPoolExecutor) -> None:
        self._policy = policy
        self._resolver = resolver
        self._attempt = attempt
        self._pool = pool

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        # getaddrinfo cannot be interrupted; run it on a worker so the deadline holds.
        limit = self._attempt.bounded(timeout)
        future = self._pool.submit(self._resolver, host, port)
        try:
            ips = future.result(timeout=limit)
        except FutureTimeout:
            if self._attempt.remaining() <= 0:
                self._attempt.total_expired = True
            raise _Fail("timeout", f"DNS lookup of {host!r} took longer than {limit:.1f}s") from None
        except (OSError, UnicodeError) as exc:
            raise _Fail("dns", f"could not resolve host {host!r}: {exc}") from None
        refusal = self._policy.check(host, list(ips), port)
        if refusal:
            raise _Fail("refused_address", refusal)
        last: Exception | None = None
        for ip in ips:
            t = self._attempt.bounded(timeout)
            try:
                stream = super().connect_tcp(
                    ip, port, timeout=t, local_address=local_address, socket_options=socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
                continue
            self._attempt.connected_ip = ip
            return _DeadlineStream(stream, self._attempt)
        assert last is not None
        raise last


class _ByteStream(httpx.SyncByteStream):
    def __init__(self, resp: httpcore.Response) -> None:
        self._resp = resp

    def __iter__(self) -> Iterator[bytes]:
        yield from self._resp.stream  # type: ignore[misc]

    def close(self) -> None:
        self._resp.close()


class _Transport(httpx.BaseTransport):
    """httpx transport over an httpcore pool that uses our pinned, deadline-aware backend."""

    def __init__(self, pool: httpcore.ConnectionPool) -> None:
        self._pool = pool

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        req = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=request.url.raw_scheme,
                host=request.url.raw_host,
                port=request.url.port,
                target=request.url.raw_path,
            ),
            headers=request.headers.raw,
            content=request.stream,  # type: ignore[arg-type]
            extensions=request.extensions,
        )
        resp = self._pool.handle_request(req)
        # httpx builds a redirect request from Location even with follow_redirects=False
        # (and raises on odd ones, e.g. "javascript:..."); we follow redirects ourselves,
        # so hide the header from httpx under another name.
        headers = [(LOCATION_ALIAS if k.lower() == b"location" else k, v) for k, v in resp.headers]
        return httpx.Response(
            status_code=resp.status,
            headers=headers,
            stream=_ByteStream(resp),
            extensions=resp.extensions,
        )

    def close(self) -> None:
        self._pool.close()


# --- content decoding with output limits ------------------------------------------


class _Limit:
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.total = 0

    def add(self, n: int, name: str) -> None:
        self.total += n
        if self.total > self.limit:
            raise _Fail(
                "decompression_bomb",
                f"{name}-decoded body exceeds {self.limit} bytes: refusing it (decompression bomb?)",
            )


_PASSTHROUGH = object()


class _ZlibDecoder:
    def __init__(self, name: str, limit: _Limit) -> None:
        self.name = name  # "gzip" or "deflate"
        self._limit = limit
        self._d = None
        self._pending = b""
        self._done = False

    def _new(self, first: bytes):
        if self.name == "gzip":
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        # "deflate" is meant to be zlib-wrapped; many servers send raw deflate.
        if len(first) >= 2 and first[0] & 0x0F == 8 and ((first[0] << 8) | first[1]) % 31 == 0:
            return zlib.decompressobj(zlib.MAX_WBITS)
        return zlib.decompressobj(-zlib.MAX_WBITS)

    def feed(self, data: bytes) -> bytes:
        if self._done or not data:
            return b""
        if self._d is None:
            self._pending += data
            if len(self._pending) < 2:
                return b""
            data, self._pending = self._pending, b""
            if self.name == "gzip" and data[:2] != b"\x1f\x8b" and data.lstrip()[:1] == b"<":
                # Real-world quirk: "Content-Encoding: gzip" on a plain XML/HTML body.
                self.name = "identity"
                self._d = _PASSTHROUGH
            else:
                self._d = self._new(data)
        if self._d is _PASSTHROUGH:
            self._limit.add(len(data), "identity")
            return data
        out: list[bytes] = []
        try:
            while True:
                chunk = self._d.decompress(data, _CHUNK)
                if chunk:
                    self._limit.add(len(chunk), self.name)
                    out.append(chunk)
                if self._d.eof:
                    rest = self._d.unused_data
                    if self.name == "gzip" and rest[:2] == b"\x1f\x8b":
                        self._d = self._new(rest)  # another gzip member
                        data = rest
                        continue
                    self._done = True  # trailing garbage after the stream: ignored
                    break
                data = self._d.unconsumed_tail
                if not data:
                    break
        except zlib.error as exc:
            raise _Fail("bad_encoding", f"body is not valid {self.name} data: {exc}") from None
        return b"".join(out)

    def finish(self) -> bytes:
        if self._done:
            return b""
        if self._d is None:
            if self._pending:
                raise _Fail("truncated", f"{self.name} stream is truncated ({len(self._pending)} byte)")
            return b""  # empty body
        if self._d is _PASSTHROUGH:
            return b""
        try:
            tail = self._d.flush()
        except zlib.error as exc:
            raise _Fail("bad_encoding", f"body is not valid {self.name} data: {exc}") from None
        self._limit.add(len(tail), self.name)
        if not self._d.eof:
            raise _Fail("truncated", f"{self.name} stream ends early: the response was truncated")
        return tail


class _BrotliDecoder:
    name = "br"

    def __init__(self, limit: _Limit) -> None:
        self._limit = limit
        self._d = brotli.Decompressor()
        self._fed = False

    def feed(self, data: bytes) -> bytes:
        if not data:
            return b""
        self._fed = True
        out: list[bytes] = []
        try:
            chunk = self._d.process(data, output_buffer_limit=_CHUNK)
            while True:
                if chunk:
                    self._limit.add(len(chunk), "brotli")
                    out.append(chunk)
                if self._d.can_accept_more_data():
                    break
                chunk = self._d.process(b"", output_buffer_limit=_CHUNK)
        except brotli.error as exc:
            raise _Fail("bad_encoding", f"body is not valid brotli data: {exc}") from None
        return b"".join(out)

    def finish(self) -> bytes:
        if self._fed and not self._d.is_finished():
            raise _Fail("truncated", "brotli stream ends early: the response was truncated")
        return b""


class _Identity:
    def __init__(self, limit: _Limit) -> None:
        self._limit = limit

    def feed(self, data: bytes) -> bytes:
        return data

    def finish(self) -> bytes:
        return b""


def _decoder_chain(content_encoding: str, limit_bytes: int) -> list:
    names = [e.strip().lower() for e in content_encoding.split(",") if e.strip()]
    chain = []
    for name in reversed(names):  # the last encoding applied is undone first
        limit = _Limit(limit_bytes)
        if name in ("gzip", "x-gzip"):
            chain.append(_ZlibDecoder("gzip", limit))
        elif name == "deflate":
            chain.append(_ZlibDecoder("deflate", limit))
        elif name == "br":
            chain.append(_BrotliDecoder(limit))
        elif name == "identity":
            continue
        else:
            raise _Fail("bad_encoding", f"unsupported Content-Encoding {name!r}")
    if len(chain) > 3:
        raise _Fail("bad_encoding", f"too many content encodings: {content_encoding!r}")
    return chain


def _run_chain(chain: list, data: bytes, final: bool) -> bytes:
    for dec in chain:
        data = dec.feed(data)
        if final:
            data += dec.finish()
    return data


# --- header parsing -----------------------------------------------------------------


def _parse_http_date(value: str) -> datetime | None:
    try:
        dt = email.utils.parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if dt is None:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(timezone.utc)


def parse_retry_after(value: str | None, now: datetime, cap_s: float) -> datetime | None:
    """``Retry-After`` (delta-seconds or HTTP-date) as an aware UTC time, capped at now+cap_s."""
    if not value:
        return None
    value = value.strip()
    when: datetime | None
    if value.isdigit():
        when = now + timedelta(seconds=min(int(value[:12]), cap_s))
    else:
        when = _parse_http_date(value)
        if when is None:
            return None
    return max(now, min(when, now + timedelta(seconds=cap_s)))


def parse_freshness(headers: dict[str, str], now: datetime, cap_s: float) -> datetime | None:
    """Until when a response may be reused: Cache-Control max-age (minus Age) or Expires.

    ``no-store``/``no-cache`` -> None (revalidate every time). A bad or past ``Expires``
    -> ``now`` (already stale, per RFC 9111). Capped at ``now + cap_s``.
    """
    cc = headers.get("cache-control", "")
    directives: dict[str, str] = {}
    for part in cc.split(","):
        name, _, val = part.strip().partition("=")
        if name:
            directives[name.strip().lower()] = val.strip().strip('"')
    if "no-store" in directives or "no-cache" in directives:
        return None
    cap = now + timedelta(seconds=cap_s)
    if "max-age" in directives:
        try:
            max_age = int(directives["max-age"])
        except ValueError:
            max_age = 0
        try:
            age = int(headers.get("age", "0").strip() or 0)
        except ValueError:
            age = 0
        return min(cap, now + timedelta(seconds=max(0, min(max_age - age, int(cap_s) + 1))))
    if "expires" in headers:
        when = _parse_http_date(headers["expires"])
        if when is None or when < now:
            return now
        return min(cap, when)
    return None


def _headers_dict(resp: httpx.Response) -> dict[str, str]:
    out: dict[str, str] = {}
    alias = LOCATION_ALIAS.decode()
    for k, v in resp.headers.multi_items():
        k = k.lower()
        if k == alias:
            k = "location"
        out[k] = f"{out[k]}, {v}" if k in out else v
    return out


# --- the client ---------------------------------------------------------------------


class HttpClient:
    def __init__(self, policy: FetchPolicy | None = None, *, resolver: Resolver | None = None) -> None:
        self.policy = policy or FetchPolicy()
        self._resolver = resolver or system_resolver
        self._lock = threading.Lock()
        self._slots: dict[str, threading.BoundedSemaphore] = {}
        self._ssl: ssl.SSLContext | None = None
        self._rng = random.Random()
        self._dns = ThreadPoolExecutor(max_workers=8, thread_name_prefix="storywatch-dns")

    def close(self) -> None:
        """Release the DNS worker threads (connections are never kept between calls)."""
        self._dns.shutdown(wait=False, cancel_futures=True)

    def __enter__(self) -> "HttpClient":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- helpers

    def _ssl_context(self) -> ssl.SSLContext:
        with self._lock:
            if self._ssl is None and self.policy.ca_bundle:
                self._ssl = ssl.create_default_context(cafile=self.policy.ca_bundle)
            if self._ssl is None:
                try:
                    import certifi

                    self._ssl = ssl.create_default_context(cafile=certifi.where())
                except ImportError:  # pragma: no cover
                    self._ssl = ssl.create_default_context()
            return self._ssl

    def _slot(self, host: str) -> threading.BoundedSemaphore:
        with self._lock:
            sem = self._slots.get(host)
            if sem is None:
                sem = threading.BoundedSemaphore(max(1, self.policy.per_host_concurrency))
                self._slots[host] = sem
            return sem

    def _backoff(self, attempt: int) -> float:
        p = self.policy
        raw = min(p.backoff_max_s, p.backoff_base_s * (2 ** min(attempt - 1, 30)))
        with self._lock:
            return raw * (0.5 + 0.5 * self._rng.random())  # jitter: 50-100 %

    @staticmethod
    def _now() -> datetime:
        return datetime.now(timezone.utc)

    # -- public

    def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str | None = None,
    ) -> FetchResult:
        """GET ``url``; never raises. See the module doc for what is checked."""
        start = time.monotonic()
        attempt = 0
        try:
            while True:
                attempt += 1
                result = self._attempt(url, etag, last_modified, accept)
                if (
                    result.error_kind not in TRANSIENT_KINDS
                    or (result.error or "").startswith(_TOTAL_TIMEOUT)  # responsive but too slow: retrying won't help
                    or result.status == 501
                    or result.retry_after is not None
                    or attempt > self.policy.retries
                ):
                    break
                time.sleep(self._backoff(attempt))
            return replace(result, attempts=attempt, elapsed_s=time.monotonic() - start)
        except Exception as exc:  # never raise to the caller
            return FetchResult(
                url=url,
                final_url=url,
                status=None,
                error=f"internal error while fetching {url!r}: {type(exc).__name__}: {exc}",
                error_kind="internal",
                attempts=max(attempt, 1),
                elapsed_s=time.monotonic() - start,
            )

    # -- one attempt, following redirects

    def _attempt(self, url: str, etag, last_modified, accept) -> FetchResult:
        p = self.policy
        state = _Attempt(p.total_timeout_s)
        current = url
        status: int | None = None
        permanent = True
        redirects = 0
        seen = {url}

        def fail(kind: str, message: str, **kw) -> FetchResult:
            return FetchResult(url=url, final_url=current, status=kw.pop("status", status), error=message, error_kind=kind, **kw)

        refusal = p.address_policy.check_scheme(url)
        if refusal:
            return fail("refused_scheme", refusal)

        headers = {
            "User-Agent": p.user_agent,
            "Accept": accept or "*/*",
            "Accept-Encoding": "gzip, deflate, br",
        }
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified

        pool = httpcore.ConnectionPool(
            ssl_context=self._ssl_context(),
            max_connections=2,
            retries=0,
            network_backend=_PinnedBackend(p.address_policy, self._resolver, state, self._dns),
        )
        timeout = httpx.Timeout(
            connect=p.connect_timeout_s, read=p.read_timeout_s, write=p.read_timeout_s, pool=p.connect_timeout_s
        )
        try:
            with httpx.Client(
                transport=_Transport(pool),
                timeout=timeout,
                follow_redirects=False,
                trust_env=False,
                headers=headers,
            ) as client:
                while True:
                    host = (urlsplit(current).hostname or "").lower()
                    slot = self._slot(host)
                    waited = time.monotonic()
                    if not slot.acquire(timeout=p.slot_wait_s):
                        return fail("timeout", f"waited {p.slot_wait_s:.0f}s for a free connection slot to {host}")
                    state.deadline += time.monotonic() - waited  # queueing is not the server's fault
                    try:
                        outcome = self._one_hop(client, current, state)
                    finally:
                        slot.release()
                    if isinstance(outcome, FetchResult):
                        return replace(outcome, url=url, permanent_redirect=permanent and redirects > 0)
                    status, location = outcome
                    if status not in (301, 308):
                        permanent = False
                    try:
                        nxt = urljoin(current, location.strip())
                    except ValueError:
                        return fail("bad_redirect", f"HTTP {status} redirect to an unparseable Location {location[:200]!r}")
                    refusal = p.address_policy.check_scheme(nxt)
                    if refusal:
                        return fail("refused_scheme", f"redirect from {current} refused: {refusal}")
                    if nxt in seen:
                        return fail("redirect_loop", f"redirect loop: {current} -> {nxt} was already visited")
                    redirects += 1
                    if redirects > p.max_redirects:
                        return fail("too_many_redirects", f"more than {p.max_redirects} redirects (last: {current} -> {nxt})")
                    seen.add(nxt)
                    current = nxt
                    status = None  # the new hop has not answered yet
        except _Fail as exc:
            return fail(exc.kind, exc.message)
        except Exception as exc:
            kind, message = self._classify(exc, state, current)
            return fail(kind, message)

    def _one_hop(self, client: httpx.Client, url: str, state: _Attempt):
        """One request. Returns a FetchResult, or (status, location) for a redirect."""
        p = self.policy
        now = self._now()
        with client.stream("GET", url) as resp:
            status = resp.status_code
            headers = _headers_dict(resp)
            base = dict(url=url, final_url=url, status=status, headers=headers)
            if status in REDIRECT_STATUSES:
                location = headers.get("location", "")
                if not location.strip():
                    return FetchResult(**base, error=f"HTTP {status} redirect without a Location header", error_kind="bad_redirect")
                return status, location
            fresh = parse_freshness(headers, now, p.max_fresh_s)
            if status == 304:
                return FetchResult(**base, not_modified=True, fresh_until=fresh)
            if status >= 400 or status < 200 or 300 <= status < 400:
                retry_after = None
                if status in (429, 503):
                    retry_after = parse_retry_after(headers.get("retry-after"), now, p.max_retry_after_s)
                if status >= 500:
                    kind = "http_5xx"
                elif status >= 400:
                    kind = f"http_{status}"
                else:
                    kind = "unexpected_status"
                reason = resp.reason_phrase or ""
                message = f"HTTP {status} {reason}".rstrip() + f" from {url}"
                if retry_after is not None:
                    message += f" (server asks to retry after {retry_after.isoformat()})"
                return FetchResult(**base, error=message, error_kind=kind, retry_after=retry_after)
            body = self._read_body(resp, headers, state)
            return FetchResult(**base, body=body, fresh_until=fresh)

    def _read_body(self, resp: httpx.Response, headers: dict[str, str], state: _Attempt) -> bytes:
        p = self.policy
        declared = headers.get("content-length", "").split(",")[0].strip()
        if declared.isdigit() and int(declared) > p.max_body_bytes:
            raise _Fail("too_large", f"body of {int(declared)} bytes announced; the limit is {p.max_body_bytes}")
        chain = _decoder_chain(headers.get("content-encoding", ""), p.max_decompressed_bytes)
        raw = 0
        out: list[bytes] = []
        for chunk in resp.iter_raw(_CHUNK):
            raw += len(chunk)
            if raw > p.max_body_bytes:
                raise _Fail("too_large", f"body exceeds {p.max_body_bytes} bytes; stopped reading")
            if state.remaining() <= 0:
                state.total_expired = True
                raise httpcore.ReadTimeout("total timeout exceeded")
            out.append(_run_chain(chain, chunk, final=False))
        out.append(_run_chain(chain, b"", final=True))
        return b"".join(out)

    def _classify(self, exc: Exception, state: _Attempt, url: str) -> tuple[str, str]:
        p = self.policy
        text = str(exc) or type(exc).__name__
        host = urlsplit(url).hostname or url
        if isinstance(exc, (httpcore.TimeoutException, httpx.TimeoutException)):
            if state.total_expired or state.remaining() <= 0:
                return "timeout", f"{_TOTAL_TIMEOUT} of {p.total_timeout_s:g}s exceeded fetching {url}"
            if isinstance(exc, (httpcore.ConnectTimeout, httpx.ConnectTimeout)):
                return "timeout", f"timed out connecting to {host} after {p.connect_timeout_s:g}s"
            return "timeout", f"no data from {host} for {p.read_timeout_s:g}s (read timeout)"
        if isinstance(exc, (httpcore.ConnectError, httpx.ConnectError)):
            if "CERTIFICATE" in text.upper() or "SSL" in text.upper():
                return "tls", f"TLS failure with {host}: {text}"
            return "connect", f"could not connect to {host}: {text}"
        if isinstance(exc, (httpcore.ReadError, httpx.ReadError, httpcore.WriteError, httpx.WriteError)):
            return "reset", f"connection to {host} broken mid-response: {text}"
        if isinstance(exc, (httpcore.RemoteProtocolError, httpx.RemoteProtocolError)):
            low = text.lower()
            if "incomplete" in low or "peer closed" in low:
                return "truncated", f"body from {host} truncated: {text}"
            if "disconnected" in low or "without sending" in low:
                return "reset", f"{host} closed the connection without a response: {text}"
            return "protocol", f"invalid HTTP from {host}: {text}"
        if isinstance(exc, (httpx.InvalidURL, httpx.UnsupportedProtocol, httpcore.UnsupportedProtocol, UnicodeError)):
            return "bad_url", f"bad URL {url[:200]!r}: {text}"
        if isinstance(exc, ssl.SSLError):
            return "tls", f"TLS failure with {host}: {text}"
        if isinstance(exc, OSError):
            return "connect", f"network error with {host}: {text}"
        return "internal", f"internal error fetching {url}: {type(exc).__name__}: {text}"
