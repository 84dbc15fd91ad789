"""A folder of saved HTML pages as a source (the bundled sample is one).

A page's partition is its publish date, which for a saved file is only known by parsing it; the
dates are cached per folder (keyed by size, mtime and content hash) so a backfill over many days
reads and parses each file once, not once per day. A page with no findable date goes to the day the
sidecar index gives for it (date_source 'index', e.g. the day it was saved). Otherwise — no date,
empty, binary, not HTML — it is never filed under a guessed day (a file's mtime is when it was
copied, not published): the first run that finds it claims it for that run's first day (first
claim wins, kept in the fetch state like a web page's assignment) and records it there as
``skipped`` with the reason (no_publish_date, empty, undecodable, not_html, parser_crash), which
puts it in that day's quarantine once, and never in another day's.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ..faults import ParseCache
from ..lake import Lake
from ..partitions import ZONE
from .assignments import AssignmentIndex
from .config import SourceConfig
from .manifest import ManifestEntry
from .runcache import RunCache

HTML_SUFFIXES = (".html", ".htm", ".shtml", ".html.gz", ".htm.gz")
INDEX_FILE = "index.json"  # optional sidecar: {"file.html": {"url": "...", ...}}
CACHE_VERSION = 2  # bump when what the cache records changes (2: no mtime dates, charsets, reasons)


def _read(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.name.endswith(".gz") else data


def page_url(source: SourceConfig, rel: str, index: dict) -> str:
    meta = index.get(rel) or {}
    return meta.get("url") or f"folder://{source.name}/{rel}"


def _page_date(data: bytes, url: str, fallback: str | None) -> tuple[dict, tuple]:
    """The page's date and how it was found, its charsets, or why it has no date; and the parse
    itself (faults.parse_page's answer), which `articles` reads back instead of parsing again."""
    from ..faults import parse_page
    from ..parse import charset

    out: dict = {"date": None, "date_source": None, "declared_charset": _declared(charset, data),
                 "charset": None, "reason": None, "error": None}
    art, fault = parsed = parse_page(data, url)
    if fault is not None:
        out["reason"], out["error"] = fault.kind, fault.message
    if art is not None:
        out["charset"] = art.charset
        if art.publish_time is not None:
            out["date"], out["date_source"] = art.publish_time.astimezone(ZONE).date().isoformat(), "parsed"
            return out, parsed
        out["reason"], out["error"] = "no_publish_date", "no publish time found on the page"
    if fallback:  # a date the folder's own index gives
        out.update(date=fallback, date_source="index", reason=None, error=None)
    return out, parsed


def _declared(charset_module, data: bytes) -> str | None:
    label = charset_module.sniff_meta_charset(data)
    return label.strip().lower() if label else None


def _index_file(path: str, url: str, fallback: str | None) -> dict:
    """Date (or reason), charsets and sha256 of one file, and its parse (under "_parse", for the lake's
    ParseCache); top-level so worker processes can run it."""
    data = _read(Path(path))
    found, parsed = _page_date(data, url, fallback)
    return {**found, "sha256": hashlib.sha256(data).hexdigest(), "_parse": parsed}


PARALLEL_INDEX_MIN = 200  # below this many new files a process pool costs more than it saves


def folder_index(source: SourceConfig, lake: Lake, workers: int | None = None) -> dict[str, dict]:
    """rel path -> {url, date, date_source, sha256, size, mtime_ns}, refreshed for changed files.

    New or changed files are parsed for their date, in worker processes when there are many
    (a first run over a large folder), so indexing uses every core.
    """
    root = Path(source.path or "")
    if not root.is_dir():
        raise FileNotFoundError(f"source {source.name!r}: folder {root} does not exist")
    sidecar = root / INDEX_FILE
    index = json.loads(sidecar.read_text(encoding="utf-8")) if sidecar.exists() else {}
    key = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
    cache_path = lake.state_path("folder_index", f"{source.name}-{key}-v{CACHE_VERSION}.json")
    cache = json.loads(cache_path.read_text(encoding="utf-8")) if cache_path.exists() else {}
    out: dict[str, dict] = {}
    todo: list[tuple[str, os.stat_result, str, str | None]] = []
    for path in sorted(root.rglob("*")):
        if not path.is_file() or not path.name.lower().endswith(HTML_SUFFIXES):
            continue
        rel = path.relative_to(root).as_posix()
        st = path.stat()
        hit = cache.get(rel)
        if hit and hit["size"] == st.st_size and hit["mtime_ns"] == st.st_mtime_ns:
            out[rel] = hit
        else:
            todo.append((rel, st, page_url(source, rel, index), (index.get(rel) or {}).get("publish_date")))
    args = [[str(root / rel) for rel, *_ in todo], [u for *_, u, _ in todo], [f for *_, f in todo]]
    workers = workers or min(4, os.cpu_count() or 1)
    if len(todo) >= PARALLEL_INDEX_MIN and workers > 1:
        ctx = multiprocessing.get_context("spawn")  # no fork: callers may run threads (Dagster does)
        with ProcessPoolExecutor(workers, mp_context=ctx) as pool:
            results = list(pool.map(_index_file, *args, chunksize=32))
    else:
        results = list(map(_index_file, *args))
    parses = ParseCache(lake)
    for (rel, st, url, _), found in zip(todo, results, strict=True):
        parses.put(found["sha256"], url, found.pop("_parse"))
        out[rel] = {"url": url, **found, "size": st.st_size, "mtime_ns": st.st_mtime_ns}
    if todo or set(cache) != set(out):
        lake.write_bytes(cache_path, json.dumps(out, ensure_ascii=False, sort_keys=True).encode())
    return out


@dataclass
class FolderRun:
    """One folder source within one run: its index, walked once, and the run's first day, where
    its undated pages are claimed (rel path -> claimed day)."""

    pages: dict[str, dict]
    first_day: str
    claims: dict[str, str] = field(default_factory=dict)


def _claim_undated(source: SourceConfig, lake: Lake, run: FolderRun) -> None:
    """Claim every undated page for the run's first day unless an earlier run claimed it."""
    undated = {rel: m for rel, m in run.pages.items() if m["date"] is None}
    if not undated:
        return
    claims = AssignmentIndex(lake, source.name)
    for m in undated.values():
        rec = claims.get(m["url"])
        if not (rec and rec.get("date")):
            claims.put(m["url"], {"url": m["url"], "date": run.first_day, "date_source": "first_seen",
                                  "reason": m["reason"], "sha256": m["sha256"]})
    claims.save()  # first claim wins across parallel runs: read back what stands
    run.claims = {rel: (claims.get(m["url"]) or {}).get("date") or run.first_day for rel, m in undated.items()}


def folder_run(source: SourceConfig, lake: Lake, day: str, cache: RunCache | None) -> FolderRun:
    """The source's FolderRun, built on the run's first day and kept in the run's cache."""
    run = cache.folders.get(source.name) if cache is not None else None
    if run is None:
        run = FolderRun(folder_index(source, lake), first_day=day)
        _claim_undated(source, lake, run)
        if cache is not None:
            cache.folders[source.name] = run
    return run


def collect_folder(source: SourceConfig, day: str, lake: Lake, cache: RunCache | None = None) -> list[ManifestEntry]:
    """The day's pages of a folder, and the undated ones claimed for this day. `cache` (one per
    run) lets a run over many days walk and date the folder once instead of once per day."""
    root = Path(source.path or "")
    run = folder_run(source, lake, day, cache)
    entries = []
    for rel, meta in run.pages.items():
        undated = meta["date"] is None
        if (run.claims.get(rel) if undated else meta["date"]) != day:
            continue
        now = datetime.now(UTC)
        try:
            data = _read(root / rel)
        except OSError as e:  # vanished or unreadable since indexing: recorded, not lost
            entries.append(ManifestEntry(day, source.name, meta["url"], "failed", reason="unreadable",
                                         error=str(e), fetched_at=now, date_source=meta["date_source"]))
            continue
        sha = lake.put_raw(data)  # kept even when undated: a better parser may date it later
        entry = ManifestEntry(
            publish_date=day, source=source.name, url=meta["url"], outcome="fetched",
            final_url=meta["url"], fetched_at=now, content_type="text/html", size=len(data),
            sha256=sha, date_source=meta["date_source"], declared_charset=meta.get("declared_charset"),
            detected_charset=meta.get("charset"),
        )
        if undated:
            entry.outcome, entry.reason, entry.error = "skipped", meta["reason"], meta["error"]
            entry.date_source = "first_seen"
        entries.append(entry)
    return entries


def folder_dates(source: SourceConfig, lake: Lake) -> list[str]:
    """The publish dates a folder has pages for (used to pick the sample's partitions)."""
    return sorted({m["date"] for m in folder_index(source, lake).values() if m["date"]})
