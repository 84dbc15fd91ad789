"""Polite, bounded HTTP fetching with httpx (async).

One ``Fetcher`` per run: a total concurrency bound, a per-host limit and delay between request
starts (raised to robots.txt's Crawl-delay), robots.txt honoured, redirects followed by hand with a
cap and loop detection, retries with exponential backoff on connect/read errors, 429 and 5xx
(Retry-After honoured up to a cap), an overall deadline per attempt (a server that drips bytes
cannot hold a slot forever), and a cap on the *decompressed* body: the raw stream is inflated
with ``max_length`` so a gzip bomb costs at most ``max_bytes`` of memory.
"""

from __future__ import annotations

import asyncio
import email.utils
import functools
import random
import ssl
import time
import urllib.request
import zlib
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urljoin, urlsplit

import aiohttp
import httpx
from httpx_aiohttp import AiohttpTransport
from protego import Protego

from . import guard
from .canonical import host_of

# Identifies the bot; deployments should add a contact via the `user_agent` setting,
# e.g. "news-warehouse/0.1 (+mailto:data-team@example.com)". robots.txt groups match "news-warehouse".
USER_AGENT = "news-warehouse/0.1 (news archiver; httpx)"
ROBOTS_AGENT = "news-warehouse"
HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True)
class FetchSettings:
    """How to fetch. Defaults are polite for real news sites; sources may override per source."""

    concurrency: int = 16  # requests in flight in total
    per_host: int = 2  # requests in flight per host
    delay: float = 0.5  # seconds between request starts to one host (robots Crawl-delay raises it)
    timeout: float = 20.0  # seconds for one attempt, connect to last byte
    connect_timeout: float = 10.0
    retries: int = 3  # extra attempts after the first on connect errors, timeouts, 429, 5xx
    backoff: float = 1.0  # first retry wait; doubles each time, with jitter
    max_backoff: float = 30.0
    max_retry_after: float = 120.0  # a longer Retry-After gives up (the next run retries)
    max_redirects: int = 5
    max_bytes: int = 10 * 1024 * 1024  # decompressed page size cap
    max_discovery_bytes: int = 64 * 1024 * 1024  # sitemaps and feeds may be larger than pages
    user_agent: str = USER_AGENT
    robots: bool = True  # honour robots.txt
    max_crawl_delay: float = 30.0
    revalidate: str = "conditional"  # conditional | always | never, for pages fetched before
    discovery_ttl: float = 300.0  # reuse a source's discovery within one process (a backfill) this long
    ca_bundle: str = ""  # a PEM file of extra CA certificates to trust (a corporate TLS proxy, a private site)
    allow_private: bool = False  # may reach loopback/private/link-local addresses anywhere (guard.py)

    def merged(self, options: dict[str, Any]) -> FetchSettings:
        known = {k: v for k, v in options.items() if k in SETTING_KEYS}
        return replace(self, **known) if known else self


SETTING_KEYS = {f for f in FetchSettings.__dataclass_fields__}


@dataclass
class Response:
    """The outcome of one URL: either a body (HTML) or a reason it has none."""

    url: str
    final_url: str | None = None
    status: int | None = None
    content_type: str | None = None
    body: bytes | None = None
    etag: str | None = None
    last_modified: str | None = None
    reason: str | None = None  # None when a body was kept; else a short machine reason
    error: str | None = None
    attempts: int = 0
    redirects: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.body is not None or self.status == 304


def robots_agent(user_agent: str) -> str:
    """The product token robots.txt groups are matched against: 'news-warehouse' for our default UA."""
    token = user_agent.split("/", 1)[0].split()[0] if user_agent.strip() else ROBOTS_AGENT
    return token or ROBOTS_AGENT


class FetchError(Exception):
    def __init__(self, reason: str, message: str, status: int | None = None):
        super().__init__(message)
        self.reason = reason
        self.status = status


class _Retry(Exception):
    def __init__(self, reason: str, message: str, status: int | None = None, wait: float | None = None):
        super().__init__(message)
        self.reason, self.status, self.wait = reason, status, wait


class _Host:
    def __init__(self, per_host: int, delay: float):
        self.sem = asyncio.Semaphore(max(1, per_host))
        self.delay = delay
        self.next_start = 0.0
        self.lock = asyncio.Lock()
        self.robots: Protego | None = None
        self.robots_error: str | None = None
        self.robots_loaded = False
        self.robots_lock = asyncio.Lock()

    async def wait_turn(self) -> None:
        if self.delay <= 0 and self.next_start <= time.monotonic():
            return
        async with self.lock:
            now = time.monotonic()
            start = max(now, self.next_start)
            self.next_start = start + self.delay
        if start > now:
            await asyncio.sleep(start - now)


def parse_retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        dt = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, dt.timestamp() - time.time())


class _Inflater:
    """Content-Encoding decoder that never produces more than the cap (gzip bomb safe)."""

    def __init__(self, encoding: str):
        enc = encoding.strip().lower()
        if enc in ("", "identity"):
            self.d = None
        elif enc in ("gzip", "x-gzip"):
            self.d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif enc == "deflate":
            self.d = zlib.decompressobj(32 + zlib.MAX_WBITS)  # zlib or gzip header auto-detected
            self._raw_fallback = True
        else:
            raise FetchError("unsupported_encoding", f"Content-Encoding {encoding!r} not supported")
        self.enc = enc

    def feed(self, chunk: bytes, room: int) -> bytes:
        """Inflate a chunk, returning at most room+1 bytes (one more than fits signals overflow)."""
        if self.d is None:
            return chunk[: room + 1]
        out = bytearray()
        data = chunk
        while data and len(out) <= room:
            try:
                piece = self.d.decompress(data, room + 1 - len(out))
            except zlib.error as e:
                if self.enc == "deflate" and not out and getattr(self, "_raw_fallback", False):
                    self.d = zlib.decompressobj(-zlib.MAX_WBITS)  # raw deflate, as some servers send
                    self._raw_fallback = False
                    continue
                raise FetchError("bad_encoding", f"corrupt {self.enc} body: {e}") from e
            self._raw_fallback = False
            out += piece
            if self.d.eof:
                rest = self.d.unused_data
                if rest and self.enc in ("gzip", "x-gzip"):  # concatenated gzip members
                    self.d = zlib.decompressobj(16 + zlib.MAX_WBITS)
                    data = rest
                    continue
                break
            data = self.d.unconsumed_tail
            if not piece and not data:
                break
        return bytes(out)


class Fetcher:
    """Fetch many URLs politely. Use as ``async with Fetcher(settings) as f: await f.get(url)``.

    Requests are httpx ``Request``/``Response`` objects sent through an httpx transport. The default
    transport is httpx-aiohttp's (aiohttp's pool and C HTTP parser under httpx's types): on loopback
    it costs about half the CPU per request of httpx's own httpcore transport, and
    ``httpx.AsyncClient`` on top adds cookies, auth and redirect machinery that the Fetcher does
    itself (redirects, per-source headers, deadlines) — so requests go to the transport directly
    (benchmarks/fetch_speed.py). Proxies come from the environment (HTTP(S)_PROXY, NO_PROXY).
    """

    def __init__(self, settings: FetchSettings | None = None, transport: httpx.AsyncBaseTransport | None = None,
                 ca_bundles: tuple[str, ...] = ()):
        """ca_bundles: extra CA files for the whole run (one TLS context serves every source);
        settings.ca_bundle is added to them."""
        self.settings = settings or FetchSettings()
        self._ca_bundles = tuple(sorted({*ca_bundles, self.settings.ca_bundle} - {""}))
        self._hosts: dict[str, _Host] = {}
        self._private_hosts: set[tuple[str, int]] = set()  # seen to resolve to non-public addresses
        self._proxies = urllib.request.getproxies()  # as the transport reads them, once
        self.transport = transport
        self._own_transport = transport is None
        self.stats = {"requests": 0, "retries": 0, "bytes": 0}

    async def __aenter__(self) -> Fetcher:
        s = self.settings
        conc = max(1, s.concurrency)
        if self.transport is None:
            self.transport = _aiohttp_transport(conc, self._ca_bundles)
        self._slots = asyncio.Semaphore(conc)  # the total concurrency bound
        self._headers = {
            "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
            "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5",
            "Accept-Encoding": "gzip, deflate",
        }
        return self

    async def __aexit__(self, *exc) -> None:
        if self._own_transport and self.transport is not None:
            await self.transport.aclose()
            self.transport = None

    def host(self, url: str, settings: FetchSettings | None = None) -> _Host:
        key = host_of(url)
        s = settings or self.settings
        h = self._hosts.get(key)
        if h is None:
            h = self._hosts[key] = _Host(s.per_host, s.delay)
        elif s.delay > h.delay:  # two sources on one host: the stricter one wins
            h.delay = s.delay
        return h

    # ---- robots.txt --------------------------------------------------------------------------
    async def _robots(self, url: str, s: FetchSettings, origin: str | None) -> _Host:
        h = self.host(url, s)
        if h.robots_loaded:
            return h
        async with h.robots_lock:
            if h.robots_loaded:
                return h
            r = await self._robots_response(host_of(url) + "/robots.txt", s, origin, h)
            rules = None
            if r is not None:
                if r.status is not None and 200 <= r.status < 300 and r.body is not None:
                    rules = Protego.parse(r.body.decode("utf-8", "replace"))
                elif r.status is not None and 400 <= r.status < 500:
                    rules = Protego.parse("")  # RFC 9309: no robots.txt means no rules
                else:
                    h.robots_error = f"robots.txt answered HTTP {r.status}"
            h.robots = rules
            if h.robots_error is None and rules is not None:
                crawl_delay = rules.crawl_delay(robots_agent(s.user_agent))
                if crawl_delay:
                    h.delay = max(h.delay, min(float(crawl_delay), s.max_crawl_delay))
            h.robots_loaded = True
        return h

    async def _robots_response(self, robots_url: str, s: FetchSettings, origin: str | None,
                               h: _Host) -> Response | None:
        """robots.txt after its redirects; None (with h.robots_error set) when it cannot be read.
        A hop the address guard refuses raises: the page is refused for that reason, not robots."""
        target = robots_url
        try:
            for _ in range(s.max_redirects + 1):
                r = await self._request(target, s, 512 * 1024, want_html=False,
                                        hop=self._hop(target, origin, s))
                if r.status not in (301, 302, 303, 307, 308) or not r.final_url:
                    return r
                target = r.final_url
            return r
        except FetchError as e:
            if e.reason in ("private_address", "not_http"):
                raise
            if e.status is not None and 400 <= e.status < 500:
                return Response(robots_url, status=e.status)
            h.robots_error = f"robots.txt unavailable ({e.reason}: {e})"
            return None

    async def allowed(self, url: str, s: FetchSettings, origin: str | None = None) -> None:
        """Raise FetchError unless robots.txt lets us fetch url."""
        if not s.robots:
            return
        h = await self._robots(url, s, origin or url)
        if h.robots_error:
            raise FetchError("robots_unavailable", h.robots_error)
        assert h.robots is not None
        if not h.robots.can_fetch(url, robots_agent(s.user_agent)):
            raise FetchError("robots_disallowed", f"robots.txt disallows {url}")

    def _hop(self, url: str, origin: str | None, s: FetchSettings) -> guard.Hop:
        try:
            return guard.check_hop(url, origin, s.allow_private, self._private_hosts, self._proxies)
        except guard.HopRefused as e:
            raise FetchError(e.reason, str(e)) from None

    # ---- one URL -----------------------------------------------------------------------------
    async def get(self, url: str, settings: FetchSettings | None = None, *, etag: str | None = None,
                  last_modified: str | None = None, want_html: bool = True,
                  max_bytes: int | None = None, origin: str | None = None) -> Response:
        """Fetch url following redirects; never raises for HTTP or network trouble: the Response
        carries a reason instead. Conditional when etag/last_modified are given (304 -> no body).
        origin: the source's own URL (default: url), whose host and port may be private (guard.py)."""
        s = settings or self.settings
        cap = max_bytes or s.max_bytes
        origin = origin or url
        current = url
        seen = {url}
        hops: list[str] = []
        resp = Response(url)
        try:
            while True:
                hop = self._hop(current, origin, s)
                await self.allowed(current, s, origin)
                headers = {}
                if etag:
                    headers["If-None-Match"] = etag
                if last_modified:
                    headers["If-Modified-Since"] = last_modified
                r = await self._request(current, s, cap, want_html=want_html, headers=headers, hop=hop)
                resp.attempts += r.attempts
                if r.status in (301, 302, 303, 307, 308) and r.final_url:
                    target = r.final_url
                    if urlsplit(target).scheme not in ("http", "https"):
                        raise FetchError("bad_redirect", f"redirect to non-HTTP URL {target}", r.status)
                    if target in seen:
                        raise FetchError("redirect_loop", f"redirect loop: {' -> '.join([*hops, current, target])}",
                                         r.status)
                    hops.append(current)
                    if len(hops) > s.max_redirects:
                        raise FetchError("too_many_redirects", f"more than {s.max_redirects} redirects from {url}",
                                         r.status)
                    seen.add(target)
                    current = target
                    continue
                r.url, r.redirects = url, hops
                r.attempts = resp.attempts
                return r
        except FetchError as e:
            resp.final_url, resp.redirects = current, hops
            resp.status, resp.reason, resp.error = e.status, e.reason, str(e)
            return resp

    async def _request(self, url: str, s: FetchSettings, cap: int, *, want_html: bool,
                       headers: dict[str, str] | None = None, hop: guard.Hop | None = None) -> Response:
        """One hop, with retries. Returns a Response (a redirect has final_url = its target);
        raises FetchError for a definite failure."""
        h = self.host(url, s)
        headers = {**(headers or {}), "User-Agent": s.user_agent}  # per source: sources may set their own
        attempt = 0
        while True:
            attempt += 1
            try:
                async with h.sem:  # host slot first: a busy host must not hog the global slots
                    await h.wait_turn()
                    async with self._slots:
                        self.stats["requests"] += 1
                        try:
                            async with asyncio.timeout(s.timeout):
                                r = await self._one(url, s, cap, want_html, headers,
                                                    hop or self._hop(url, url, s))
                        except TimeoutError:
                            raise _Retry("timeout", f"no complete response within {s.timeout:g}s") from None
                r.attempts = attempt
                return r
            except _Retry as e:
                if attempt > s.retries:
                    raise FetchError(e.reason, f"{e} (after {attempt} attempts)", e.status) from None
                wait = e.wait
                if wait is None:
                    wait = min(s.max_backoff, s.backoff * 2 ** (attempt - 1)) * (0.5 + random.random() / 2)
                elif wait > s.max_retry_after:
                    raise FetchError(e.reason, f"{e}; Retry-After {wait:g}s exceeds the {s.max_retry_after:g}s cap",
                                     e.status) from None
                else:  # the server asked for a pause: the whole host pauses, not just this URL
                    h.next_start = max(h.next_start, time.monotonic() + wait)
                self.stats["retries"] += 1
                await asyncio.sleep(wait)

    async def _one(self, url: str, s: FetchSettings, cap: int, want_html: bool,
                   headers: dict[str, str], hop: guard.Hop) -> Response:
        assert self.transport is not None, "use the Fetcher as an async context manager"
        token = guard.enter(hop)  # the connector's socket factory reads it at connect time
        try:
            req = httpx.Request("GET", url, headers={**self._headers, **headers},
                                extensions={"timeout": {"connect": min(s.connect_timeout, s.timeout),
                                                        "read": s.timeout, "write": s.timeout, "pool": s.timeout}})
            r = await self.transport.handle_async_request(req)
        except (httpx.HTTPError, httpx.InvalidURL, aiohttp.ClientError, OSError) as e:
            if hop.refused:
                raise FetchError("private_address", f"{hop.host}:{hop.port} resolves to non-public "
                                 f"{', '.join(sorted(set(hop.refused)))} (set allow_private on the source "
                                 "to fetch it)") from None
            raise _failure(e) from None
        finally:
            guard.leave(token)
        if hop.private:  # a pooled connection to it must not serve a hop that is not exempt
            self._private_hosts.add((hop.host, hop.port))
        try:
            status = r.status_code
            # one pass over the raw headers: httpx re-detects the header encoding on every .get()
            h = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in r.headers.raw}
            out = Response(url, final_url=url, status=status, content_type=h.get("content-type"),
                           etag=h.get("etag"), last_modified=h.get("last-modified"))
            if status in (301, 302, 303, 307, 308) or status == 304 or status >= 400:
                await _drain(r, h)  # a read-to-the-end response keeps its keep-alive connection
            if status in (301, 302, 303, 307, 308):
                loc = h.get("location")
                if not loc:
                    raise FetchError("bad_redirect", f"HTTP {status} without Location", status)
                out.final_url = guard.strip_userinfo(urljoin(url, loc))
                return out
            if status == 304:
                return out
            if status == 429 or status >= 500:
                raise _Retry(f"http_{status}", f"HTTP {status}", status, parse_retry_after(h.get("retry-after")))
            if status >= 400:
                raise FetchError(f"http_{status}", f"HTTP {status}", status)
            ctype = (out.content_type or "").split(";")[0].strip().lower()
            if want_html and ctype and ctype not in HTML_TYPES:
                raise FetchError("not_html", f"content type {ctype!r} is not HTML", status)
            length = h.get("content-length")
            if length and length.isdigit() and not h.get("content-encoding") and int(length) > cap:
                raise FetchError("too_large", f"Content-Length {length} exceeds the {cap} byte cap", status)
            inflater = _Inflater(h.get("content-encoding", ""))
            buf = bytearray()
            async for chunk in r.aiter_raw():
                buf += inflater.feed(chunk, cap - len(buf))
                if len(buf) > cap:
                    raise FetchError("too_large", f"body exceeds the {cap} byte cap (decompressed)", status)
            self.stats["bytes"] += len(buf)
            body = bytes(buf)
            if want_html and not ctype and not _sniff_html(body):
                raise FetchError("not_html", "no content type and the body does not look like HTML", status)
            out.body = body
            return out
        except (httpx.HTTPError, aiohttp.ClientError, OSError) as e:
            raise _failure(e) from None
        finally:
            await r.aclose()


@functools.cache
def _ssl_context(ca_bundles: tuple[str, ...] = ()) -> ssl.SSLContext:
    """httpx's verified context (certifi CAs, SSL_CERT_FILE honoured) plus extra CA files, loaded
    once per process."""
    ctx = httpx.create_ssl_context(trust_env=True)
    for path in ca_bundles:
        ctx.load_verify_locations(cafile=path)
    return ctx


def _aiohttp_transport(connections: int, ca_bundles: tuple[str, ...] = ()) -> httpx.AsyncBaseTransport:
    # Cookies are kept per run (some sites set one and redirect); the per-host limit is the
    # Fetcher's, the connector only bounds the total. Proxies from the environment when set.
    # Header limits at 64 KiB, not aiohttp's 8 KiB: some sites send huge Set-Cookie/CSP lines.
    ctx = _ssl_context(ca_bundles)
    session = aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=connections, limit_per_host=0, ttl_dns_cache=300, ssl=ctx,
                                       socket_factory=guard.socket_factory),  # the address guard
        trust_env=bool(urllib.request.getproxies()),
        auto_decompress=False,  # the Fetcher inflates under its own size cap
        max_line_size=65536,
        max_field_size=65536,
    )
    return AiohttpTransport(client=session, verify=ctx)


def _failure(e: BaseException) -> Exception:
    """Classify a transport error (httpx's own, or aiohttp's under httpx-aiohttp) as retryable or not."""
    # httpx-aiohttp re-raises aiohttp's errors as httpx ones (not always the closest kind): judge the
    # original; httpx's own transport chains httpcore errors, which the httpx class already names
    cause = e.__cause__
    root = cause if isinstance(e, httpx.HTTPError) and isinstance(cause, (aiohttp.ClientError, OSError)) else e
    msg = f"{type(root).__name__}: {root or 'no detail'}"
    if isinstance(root, aiohttp.ClientSSLError) or any(isinstance(x, ssl.SSLError) for x in _causes(e)):
        # an untrusted or broken certificate: trying again will not help (see the ca_bundle setting)
        return FetchError("tls_error", msg)
    if isinstance(root, (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout,
                         aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError)):
        return _Retry("connect_error", msg)
    if isinstance(root, (TimeoutError, httpx.TimeoutException)):
        return _Retry("timeout", msg)
    if isinstance(root, (httpx.InvalidURL, httpx.UnsupportedProtocol, aiohttp.InvalidURL)):
        return FetchError("bad_url", msg)
    if isinstance(root, (httpx.TransportError, aiohttp.ClientConnectionError, aiohttp.ClientPayloadError,
                         aiohttp.ClientResponseError, OSError)):
        # dropped connections, truncated or malformed responses: worth another attempt
        return _Retry("connection_lost", msg)
    return FetchError("http_error", msg)


def _causes(e: BaseException | None):
    """e and the exceptions it was raised from (bounded: chains can loop through __context__)."""
    for _ in range(8):
        if e is None:
            return
        yield e
        e = e.__cause__ or e.__context__


async def _drain(r: httpx.Response, h: dict[str, str], limit: int = 65536) -> None:
    """Read a small body we do not keep (redirect, 304, error page) so the connection can be reused;
    a big one is left unread and its connection closed instead."""
    length = h.get("content-length", "0")
    if length.isdigit() and int(length) > limit:
        return
    seen = 0
    async for chunk in r.aiter_raw():
        seen += len(chunk)
        if seen > limit:
            return


def _sniff_html(body: bytes) -> bool:
    head = body[:1024].lstrip().lower()
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:].lstrip()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<meta", b"<!--", b"<body", b"<title"))
