"""The source types, one class each: its settings (a dataclass: the keys a sources-file entry may
set beyond name/type/url/path, with their types and defaults) and its discovery.

``KINDS`` is the registry the config loader, the collector and the web runner look types up in;
a new source type is one class here.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, ClassVar

from .discover import Discovered, DiscoveryError, parse_feed, parse_listing, parse_sitemap, parse_text_sitemap

if TYPE_CHECKING:
    from .config import SourceConfig
    from .fetch import Fetcher, FetchSettings, Response
    from .runcache import RunCache


class SourceUnavailable(RuntimeError):
    """A source could not be read at all: the partition fails instead of succeeding empty."""


# ---- settings --------------------------------------------------------------------------------
@dataclass(frozen=True)
class FolderSettings:
    """A folder takes name, type and path only."""


@dataclass(frozen=True)
class FeedSettings:
    include: str = ""  # a regular expression a page URL must match
    exclude: str = ""  # ... and must not
    required: bool = True  # false: a day without this source is still a day (one failed row)


@dataclass(frozen=True)
class ListingSettings(FeedSettings):
    max_pages: int = 1  # follow rel=next / 下一页 this many pages deep


@dataclass(frozen=True)
class SitemapSettings(FeedSettings):
    max_sitemaps: int = 200  # sitemap index children read at most
    prune_by_lastmod: bool = True  # skip child sitemaps last changed before the day


def setting_types(cls: type) -> dict[str, type]:
    """Key -> Python type of a settings dataclass (for validating a sources file)."""
    return {f.name: type(f.default) for f in fields(cls)}


# ---- helpers for discovery -------------------------------------------------------------------
def _fail(source: SourceConfig, url: str, r: Response | None, err: str | None = None) -> SourceUnavailable:
    why = err or (f"{r.reason}: {r.error}" if r is not None else "unknown error")
    return SourceUnavailable(f"source {source.name!r} ({source.type} {url}) is unreachable or unreadable: {why}")


async def _get_doc(f: Fetcher, source: SourceConfig, s: FetchSettings, url: str, html: bool) -> Response:
    r = await f.get(url, s, want_html=html, max_bytes=None if html else s.max_discovery_bytes, origin=source.url)
    if r.body is None:
        raise _fail(source, url, r)
    return r


def _gunzip_capped(data: bytes, cap: int) -> bytes:
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = d.decompress(data, cap + 1)
    if len(out) > cap:
        raise DiscoveryError(f"decompressed sitemap exceeds {cap} bytes")
    return out


def _filtered(pages: list[Discovered], cfg: FeedSettings) -> list[Discovered]:
    if not (cfg.include or cfg.exclude):
        return pages
    inc = re.compile(cfg.include) if cfg.include else None
    exc = re.compile(cfg.exclude) if cfg.exclude else None
    return [p for p in pages if (inc is None or inc.search(p.url)) and not (exc is not None and exc.search(p.url))]


# ---- the kinds -------------------------------------------------------------------------------
class SourceKind:
    type: ClassVar[str]
    settings: ClassVar[type] = FolderSettings
    web: ClassVar[bool] = True  # fetched over HTTP (else read from disk)

    def config(self, source: SourceConfig) -> Any:
        """The source's settings: its options for this kind, defaults for the rest."""
        names = {f.name for f in fields(self.settings)}
        return self.settings(**{k: v for k, v in source.options.items() if k in names})

    async def discover(self, f: Fetcher, source: SourceConfig, s: FetchSettings, day: str, ttl: float,
                       cache: RunCache | None) -> list[Discovered]:
        raise NotImplementedError


class Folder(SourceKind):
    type = "folder"
    web = False


class Listing(SourceKind):
    type = "listing"
    settings = ListingSettings

    async def discover(self, f, source, s, day, ttl, cache):
        cfg: ListingSettings = self.config(source)
        inc = re.compile(cfg.include) if cfg.include else None
        exc = re.compile(cfg.exclude) if cfg.exclude else None
        out: list[Discovered] = []
        url: str | None = source.url
        seen: set[str] = set()
        for _ in range(cfg.max_pages):
            if not url or url in seen:
                break
            seen.add(url)
            r = await _get_doc(f, source, s, url, html=True)
            links, url = parse_listing(r.body or b"", r.final_url or r.url, r.content_type, inc, exc)
            out.extend(links)
        return out


class Sitemap(SourceKind):
    type = "sitemap"
    settings = SitemapSettings

    async def discover(self, f, source, s, day, ttl, cache):
        """Breadth-first over a sitemap index, each document read once per run within ttl."""
        import time

        cfg: SitemapSettings = self.config(source)
        docs = cache.sitemaps if cache is not None else {}
        todo: list[tuple[str, int]] = [(source.url, 0)]
        done: set[str] = set()
        out: list[Discovered] = []
        while todo:
            url, depth = todo.pop(0)
            if url in done:
                continue
            if len(done) >= cfg.max_sitemaps:
                raise DiscoveryError(f"more than {cfg.max_sitemaps} sitemaps (raise max_sitemaps)")
            done.add(url)
            hit = docs.get(url)
            if ttl > 0 and hit and time.monotonic() - hit[0] < ttl:
                pages, children = hit[1], hit[2]
            else:
                pages, children = await self._read(f, source, s, url)
                if ttl > 0:  # a backfill reads each sitemap once, whatever days it prunes for
                    docs[url] = (time.monotonic(), pages, children)
            out.extend(_filtered(pages, cfg))
            for child, lastmod in children:
                # a sitemap last changed before the day cannot list a page published that day
                if cfg.prune_by_lastmod and lastmod and lastmod < day:
                    continue
                if depth < 3:
                    todo.append((child, depth + 1))
        return out

    @staticmethod
    async def _read(f, source, s, url):
        r = await _get_doc(f, source, s, url, html=False)
        body = r.body or b""
        if body[:2] == b"\x1f\x8b":
            body = _gunzip_capped(body, s.max_discovery_bytes)
        if body.lstrip()[:4] == b"http":  # a plain-text sitemap
            return parse_text_sitemap(body), []
        return parse_sitemap(body, r.final_url or url)


class Rss(SourceKind):
    type = "rss"
    settings = FeedSettings

    async def discover(self, f, source, s, day, ttl, cache):
        r = await _get_doc(f, source, s, source.url, html=False)
        return _filtered(parse_feed(r.body or b"", r.final_url or source.url), self.config(source))


KINDS: dict[str, SourceKind] = {k.type: k for k in (Folder(), Listing(), Sitemap(), Rss())}
