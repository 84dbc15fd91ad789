"""Web sources (listing pages, sitemaps, RSS/Atom) for one publish date: discover, fetch, record.

Which partition a page lands in — exactly one:

1. The *assignment index* (assignments.py: JSON state per source under ``_state/fetch/``) remembers, for every
   page ever fetched, the publish date it was assigned to, its sha256 and its HTTP validators. The
   first assignment wins for good: a later run for another day never claims the page again.
2. A page not yet assigned takes the date its source gave at discovery (news:publication_date,
   RSS pubDate, the date beside a listing link, a date in the URL). A sitemap ``lastmod`` is only the
   last change: such a page is fetched on that day's run and parsed, and its parsed publish date
   wins (rule 3 then applies when that is another day).
3. A page with no date at discovery is fetched by whichever day's run meets it first, parsed
   (``news_assets.parse.parse_html``) and assigned to its parsed publish date. When that is another
   day it is recorded here as ``skipped``/``dated_elsewhere`` and lands in its own partition the next
   time that day runs (from the index, without fetching it again). A page with no findable date
   stays in the day that first fetched it (date_source ``first_seen``); the articles stage then
   quarantines it as undated.

Every URL of this day ends in the manifest: fetched (status, final URL, sha256, charsets), failed
(reason; retried on the next run of the day) or skipped (robots.txt, not HTML, not an http(s) link,
a non-public address refused by guard.py, duplicate, dated elsewhere). A source whose discovery document cannot be fetched or read raises SourceUnavailable.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import json
import logging
import time
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from ..faults import ParseCache, parse_page
from ..lake import Lake
from ..parse import charset as cs
from .assignments import AssignmentIndex
from .canonical import canonical_url, url_key
from .config import SourceConfig
from .discover import Discovered, DiscoveryError, to_day
from .fetch import Fetcher, FetchSettings
from .kinds import KINDS, SourceUnavailable, _fail
from .manifest import ManifestEntry
from .runcache import RunCache

log = logging.getLogger(__name__)

# definite answers, not worth retrying: what robots.txt forbids, what is not a web page, and what
# the address guard refuses (guard.py)
SKIP_REASONS = {"robots_disallowed", "not_html", "not_http", "private_address"}
STORE_THREADS = 8
WEAK_DATE_SOURCES = {"sitemap_lastmod"}  # hints checked against the parsed page on first fetch
NETWORK_REASONS = {"connect_error", "timeout", "connection_lost", "robots_unavailable", "tls_error"}


# ---- discovery -------------------------------------------------------------------------------
async def discover(f: Fetcher, source: SourceConfig, s: FetchSettings, day: str, ttl: float = 0.0,
                   cache: RunCache | None = None) -> list[Discovered]:
    """Every (url, date) the source lists right now (its kind's discovery). Raises SourceUnavailable."""
    assert source.url
    try:
        return await KINDS[source.type].discover(f, source, s, day, ttl, cache)
    except DiscoveryError as e:
        raise _fail(source, source.url, None, f"discovery document unreadable: {e}") from e


async def _discover_cached(f: Fetcher, source: SourceConfig, s: FetchSettings, day: str, ttl: float,
                           cache: RunCache):
    if source.type == "sitemap":  # cached per sitemap document inside (pruning depends on the day)
        return await discover(f, source, s, day, ttl, cache)
    key = (source.name, source.type, source.url, json.dumps(source.options, sort_keys=True, default=str))
    hit = cache.discovery.get(key)
    if ttl > 0 and hit and time.monotonic() - hit[0] < ttl:
        return hit[1]
    found = await discover(f, source, s, day)
    if ttl > 0:
        cache.discovery[key] = (time.monotonic(), found)
    return found


# ---- one run ---------------------------------------------------------------------------------
@dataclass
class _Candidate:
    url: str  # as discovered (first spelling)
    key: str
    source: SourceConfig
    date: str | None
    date_source: str | None
    dups: list[str] = field(default_factory=list)
    retry: bool = False


def _parsed_day(data: bytes, url: str, charset: str | None, cache: ParseCache, sha256: str):
    """The page's publish date (Asia/Shanghai) by parsing it, or None; and the parse's fault, if any
    (faults.parse_page: recorded on the page's manifest row). The parse is kept in `cache`, where
    `articles` reads it instead of parsing the page again."""
    art, fault = parse_page(data, url, cache=cache, sha256=sha256, charset=charset)
    pt = getattr(art, "publish_time", None)
    return (to_day(pt) if pt is not None else None), fault


def settings_for(source: SourceConfig, base: FetchSettings) -> FetchSettings:
    return base.merged(source.options)


def _entry_from_record(day: str, source: str, url: str, rec: dict, reason: str, status: int | None = None,
                       fetched_at: datetime | None = None) -> ManifestEntry:
    return ManifestEntry(
        publish_date=day, source=source, url=url, outcome="fetched", final_url=rec.get("final_url") or url,
        status=status if status is not None else rec.get("status"), reason=reason,
        fetched_at=fetched_at or (datetime.fromisoformat(rec["fetched_at"]) if rec.get("fetched_at") else None),
        content_type=rec.get("content_type"), declared_charset=rec.get("declared_charset"),
        detected_charset=rec.get("detected_charset"), size=rec.get("size"), sha256=rec.get("sha256"),
        date_source=rec.get("date_source"),
    )


async def _discover_all(f: Fetcher, sources: list[SourceConfig], settings: FetchSettings, day: str,
                        cache: RunCache) -> tuple[list[SourceConfig], list[list[Discovered]], list[ManifestEntry]]:
    """Phase 1: discovery, all sources at once. A required source that is down fails the partition;
    an optional one (required: false) becomes one failed row and the rest goes on."""
    found = await asyncio.gather(
        *(_discover_cached(f, s, settings_for(s, settings), day, settings.discovery_ttl, cache) for s in sources),
        return_exceptions=True,
    )
    for r in found:
        if isinstance(r, BaseException) and not isinstance(r, SourceUnavailable):
            raise r
    errors = [(s, r) for s, r in zip(sources, found, strict=True) if isinstance(r, SourceUnavailable)]
    if any(KINDS[s.type].config(s).required for s, _ in errors):
        raise SourceUnavailable("; ".join(str(r) for _, r in errors))
    down = [ManifestEntry(day, s.name, s.url or "", "failed", reason="source_unreachable", error=str(r),
                          fetched_at=datetime.now(UTC)) for s, r in errors]
    if down:
        log.warning("optional sources unreachable: %s", "; ".join(e.error or "" for e in down))
    up = [(s, r) for s, r in zip(sources, found, strict=True) if not isinstance(r, BaseException)]
    return [s for s, _ in up], [r for _, r in up], down


def _candidates(sources: list[SourceConfig], found: list[list[Discovered]], day: str,
                held: set[str]) -> dict[str, _Candidate]:
    """Phase 2: one candidate per page key; first spelling and first source win, dated hints win.

    Only pages this day can concern: a key listed undated or dated this day, or one the day already
    holds (its previous manifest, the assignment index). Discovery lists every page of every sitemap
    not older than the day, so a year's backfill would otherwise weigh every page on every day."""
    mine = held.union(d.key for items in found for d in items if d.date is None or d.date == day)
    cands: dict[str, _Candidate] = {}
    for source, items in zip(sources, found, strict=True):
        for d in items:
            if d.key not in mine:
                continue
            c = cands.get(d.key)
            if c is None:
                cands[d.key] = _Candidate(d.page_url, d.key, source, d.date, d.date_source)
            else:
                c.dups.append(d.page_url)  # a second spelling, or the same URL listed twice
                if c.date is None and d.date:
                    c.date, c.date_source = d.date, d.date_source
    return cands


def _carry_previous(prev: list[ManifestEntry], cands: dict[str, _Candidate], down: list[ManifestEntry],
                    indexes: dict[str, AssignmentIndex], by_name: dict[str, SourceConfig],
                    day: str) -> list[ManifestEntry]:
    """Phase 3: this day's pages from earlier runs that discovery no longer lists (failed ones are
    retried, the rest carried), and pages the assignment index gives this day."""
    carried: list[ManifestEntry] = []
    down_names = {e.source for e in down}
    for e in prev:
        key = url_key(e.url)
        if e.reason == "source_unreachable":
            continue
        if e.source in down_names:  # its source is down today: keep yesterday's word for it
            carried.append(e)
            continue
        if key in cands or e.outcome == "skipped" and e.reason in ("duplicate", "dated_elsewhere"):
            continue
        if e.outcome == "failed":
            cands[key] = _Candidate(e.url, key, by_name[e.source], day if e.date_source else None,
                                    e.date_source, retry=True)
        else:
            carried.append(e)
    carried_keys = {url_key(e.url) for e in carried}
    for name, idx in indexes.items():
        for key in idx.keys_on(day):
            rec = idx.data[key]
            if key not in cands and key not in carried_keys:
                cands[key] = _Candidate(rec.get("url") or rec.get("final_url"), key, by_name[name], day,
                                        rec.get("date_source"))
    return carried


def _this_days(cands: dict[str, _Candidate], indexes: dict[str, AssignmentIndex], day: str,
               prev_keys: set[str], carried: list[ManifestEntry]) -> list[_Candidate]:
    """Phase 4: the pages to fetch for this day: recorded assignment, else discovery date, else
    undated (fetch to see). A page of this day's manifest assigned elsewhere is carried as skipped."""
    todo: list[_Candidate] = []
    for c in cands.values():
        rec = indexes[c.source.name].get(c.key)
        if rec and rec.get("date"):
            if rec["date"] == day:
                c.date, c.date_source = day, rec.get("date_source") or c.date_source
                todo.append(c)
            elif c.retry or c.key in prev_keys:  # was in this day's manifest: say where it went
                gone = _entry_from_record(day, c.source.name, c.url, rec, reason="dated_elsewhere")
                gone.outcome = "skipped"
                gone.error = f"publish date {rec['date']} ({rec.get('date_source')}): belongs to that partition"
                carried.append(gone)
        elif c.date is None or c.date == day:
            todo.append(c)
    return todo


async def _fetch_all(f: Fetcher, todo: list[_Candidate], day: str, lake: Lake,
                     indexes: dict[str, AssignmentIndex], settings: FetchSettings) -> list[ManifestEntry]:
    """Phase 5: fetch; two URLs redirecting to one page: the first in discovery order keeps it."""
    # Local raw-store writes run inline (~40 us a page; worker threads only fight the event loop
    # for the GIL); writes to object storage are network round trips and go to threads.
    with contextlib.ExitStack() as stack:
        store = None if lake.is_local else stack.enter_context(
            concurrent.futures.ThreadPoolExecutor(STORE_THREADS, thread_name_prefix="raw-store"))
        results = await asyncio.gather(*(_fetch_page(f, c, day, lake, indexes[c.source.name],
                                                      settings_for(c.source, settings), store) for c in todo))
    final_seen: dict[str, str] = {}  # stable across runs
    for c, entry in zip(todo, results, strict=True):
        if entry.outcome != "fetched":
            continue
        first = final_seen.setdefault(url_key(entry.final_url or c.url), c.url)
        if first != c.url:
            entry.outcome, entry.reason = "skipped", "duplicate"
            entry.error = f"redirects to the same page as {first}"
    return list(results)


def _with_duplicates(todo: list[_Candidate], results: list[ManifestEntry], day: str) -> list[ManifestEntry]:
    """Phase 6: each fetched entry, followed by a skipped/duplicate row per other spelling of it."""
    entries: list[ManifestEntry] = []
    for c, entry in zip(todo, results, strict=True):
        entries.append(entry)
        if entry.publish_date == day and not (entry.outcome == "skipped" and entry.reason == "dated_elsewhere"):
            for dup in c.dups:
                entries.append(ManifestEntry(day, c.source.name, dup, "skipped", final_url=entry.final_url,
                                             status=entry.status, reason="duplicate", sha256=entry.sha256,
                                             error=f"same page as {c.url}", date_source=entry.date_source))
    return entries


async def _collect(sources: list[SourceConfig], day: str, lake: Lake, previous: list[ManifestEntry],
                   settings: FetchSettings, transport=None, cache: RunCache | None = None) -> list[ManifestEntry]:
    """The day's manifest from web sources, in named phases (see each)."""
    cache = cache if cache is not None else RunCache()
    names = {s.name for s in sources}
    prev = [e for e in previous if e.source in names]
    conc = max([settings.concurrency] + [int(s.options["concurrency"]) for s in sources if "concurrency" in s.options])
    cas = tuple(settings_for(s, settings).ca_bundle for s in sources)
    async with Fetcher(replace(settings, concurrency=conc), transport=transport, ca_bundles=cas) as f:
        sources, found, down = await _discover_all(f, sources, settings, day, cache)
        indexes = {s.name: AssignmentIndex(lake, s.name, cache) for s in sources}
        prev_keys = {url_key(e.url) for e in prev}
        held = prev_keys.union(*(idx.keys_on(day) for idx in indexes.values()))
        cands = _candidates(sources, found, day, held)
        carried = _carry_previous(prev, cands, down, indexes, {s.name: s for s in sources}, day)
        todo = _this_days(cands, indexes, day, prev_keys, carried)
        results = await _fetch_all(f, todo, day, lake, indexes, settings)
        for idx in indexes.values():
            idx.save()
    entries = down + carried + _with_duplicates(todo, results, day)
    _check_reachable(sources, todo, results)
    return entries


def _check_reachable(sources: list[SourceConfig], todo: list[_Candidate], results: list[ManifestEntry]) -> None:
    """Every page of a source failing on the network means the source is down: fail loudly."""
    for s in sources:
        if not KINDS[s.type].config(s).required:
            continue  # its failed rows say enough
        mine = [e for c, e in zip(todo, results, strict=True) if c.source.name == s.name]
        if len(mine) >= 2 and all(e.outcome == "failed" and e.reason in NETWORK_REASONS for e in mine):
            raise SourceUnavailable(
                f"source {s.name!r} ({s.type} {s.url}): all {len(mine)} pages failed on the network "
                f"({mine[0].reason}: {mine[0].error}); the site looks unreachable")


async def _fetch_page(f: Fetcher, c: _Candidate, day: str, lake: Lake, idx: AssignmentIndex,
                      s: FetchSettings, store: concurrent.futures.Executor | None = None) -> ManifestEntry:
    src = c.source.name
    rec = idx.get(c.key)
    have = bool(rec and rec.get("sha256") and lake.has_raw(rec["sha256"]))
    etag = last_mod = None
    if have and s.revalidate != "always":
        assert rec is not None
        etag, last_mod = rec.get("etag"), rec.get("last_modified")
        if s.revalidate == "never" or not (etag or last_mod):
            return _entry_from_record(day, src, c.url, rec, reason="kept")
    now = datetime.now(UTC)
    r = await f.get(canonical_url(c.url), s, etag=etag, last_modified=last_mod, origin=c.source.url)
    if r.status == 304 and have:
        assert rec is not None
        return _entry_from_record(day, src, c.url, rec, reason="not_modified", status=304, fetched_at=now)
    if r.status == 304 and r.reason is None:  # 304 to an unconditional request: nothing to keep
        r.reason, r.error = "unexpected_304", "HTTP 304 without a cached copy to revalidate"
    if r.body is None:
        outcome = "skipped" if r.reason in SKIP_REASONS else "failed"
        return ManifestEntry(day, src, c.url, outcome, final_url=r.final_url, status=r.status, reason=r.reason,
                             fetched_at=now, content_type=r.content_type, error=r.error, date_source=c.date_source)
    body = r.body
    r.body = None
    size = len(body)
    declared, detected = cs.detect(body, r.content_type)  # the parser's own decision, recorded
    if store is None:
        sha = lake.put_raw(body)
    else:
        sha = await asyncio.get_running_loop().run_in_executor(store, lake.put_raw, body)
    date, date_source, fault = c.date, c.date_source, None
    if date is None:
        date, fault = await asyncio.to_thread(_parsed_day, body, r.final_url or c.url, detected, ParseCache(lake), sha)
        date_source = "parsed" if date else "first_seen"
        date = date or day
    elif date_source in WEAK_DATE_SOURCES and not rec:
        # lastmod is the last change, not the publish date: the page itself says when it was published
        parsed, fault = await asyncio.to_thread(_parsed_day, body, r.final_url or c.url, detected, ParseCache(lake),
                                                sha)
        if parsed and parsed != date:
            date, date_source = parsed, "parsed"
    del body
    rec_new = {
        "url": c.url, "date": date, "date_source": date_source, "final_url": r.final_url, "status": r.status,
        "content_type": r.content_type, "declared_charset": declared, "detected_charset": detected,
        "size": size, "sha256": sha, "etag": r.etag, "last_modified": r.last_modified,
        "fetched_at": now.isoformat(),
    }
    idx.put(c.key, rec_new)
    entry = ManifestEntry(day, src, c.url, "fetched", final_url=r.final_url, status=r.status, fetched_at=now,
                          content_type=r.content_type, declared_charset=declared, detected_charset=detected,
                          size=rec_new["size"], sha256=sha, date_source=date_source,
                          error=f"{fault.kind}: {fault.message}" if fault else None)
    if date != day:
        entry.outcome, entry.reason = "skipped", "dated_elsewhere"
        entry.error = f"publish date {date} ({date_source}): belongs to that partition"
    return entry


def run(coro):
    """Run a coroutine to completion from sync code, even when an event loop is already running."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        pass  # the usual case; run outside the except block, so errors do not chain to this one
    else:
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            return pool.submit(asyncio.run, coro).result()
    return asyncio.run(coro)


def collect_web(sources: list[SourceConfig], day: str, lake: Lake, *, previous: list[ManifestEntry] | None = None,
                settings: FetchSettings | None = None, transport=None,
                cache: RunCache | None = None) -> list[ManifestEntry]:
    return run(_collect(sources, day, lake, previous or [], settings or FetchSettings(), transport, cache))


