"""A folder of saved HTML pages as a source (the bundled sample is one).

A page's partition is its publish date, which for a saved file is only known by parsing it; the
dates are cached per folder (keyed by size, mtime and content hash) so a backfill over many days
reads and parses each file once, not once per day. A page with no findable date goes to the day the
sidecar index gives for it (date_source 'index', e.g. the day it was saved), else to the day of its
file's modification time ('file_mtime'); the articles stage then quarantines it as undated, so it
is neither lost nor counted twice.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from ..lake import Lake
from .config import SourceConfig
from .manifest import ManifestEntry

SHANGHAI = ZoneInfo("Asia/Shanghai")
HTML_SUFFIXES = (".html", ".htm", ".shtml", ".html.gz", ".htm.gz")
INDEX_FILE = "index.json"  # optional sidecar: {"file.html": {"url": "...", ...}}


def _read(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.name.endswith(".gz") else data


def page_url(source: SourceConfig, rel: str, index: dict) -> str:
    meta = index.get(rel) or {}
    return meta.get("url") or f"folder://{source.name}/{rel}"


def _page_date(data: bytes, url: str, mtime: float, fallback: str | None) -> tuple[str, str]:
    from ..parse import ParseError, parse_html

    try:
        art = parse_html(data, url)
    except ParseError:
        art = None
    if art is not None and art.publish_time is not None:
        return art.publish_time.astimezone(SHANGHAI).date().isoformat(), "parsed"
    if fallback:
        return fallback, "index"
    return datetime.fromtimestamp(mtime, SHANGHAI).date().isoformat(), "file_mtime"


def _index_file(path: str, url: str, mtime: float, fallback: str | None) -> tuple[str, str, str]:
    """(date, date_source, sha256) of one file; top-level so worker processes can run it."""
    data = _read(Path(path))
    day, date_source = _page_date(data, url, mtime, fallback)
    return day, date_source, hashlib.sha256(data).hexdigest()


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
    cache_path = lake.state_path("folder_index", f"{source.name}-{key}.json")
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
    args = [[str(root / rel) for rel, *_ in todo], [u for *_, u, _ in todo],
            [st.st_mtime for _, st, _, _ in todo], [f for *_, f in todo]]
    workers = workers or min(4, os.cpu_count() or 1)
    if len(todo) >= PARALLEL_INDEX_MIN and workers > 1:
        ctx = multiprocessing.get_context("spawn")  # no fork: callers may run threads (Dagster does)
        with ProcessPoolExecutor(workers, mp_context=ctx) as pool:
            results = list(pool.map(_index_file, *args, chunksize=32))
    else:
        results = list(map(_index_file, *args))
    for (rel, st, url, _), (day, date_source, sha) in zip(todo, results, strict=True):
        out[rel] = {"url": url, "date": day, "date_source": date_source, "sha256": sha,
                    "size": st.st_size, "mtime_ns": st.st_mtime_ns}
    if todo or set(cache) != set(out):
        lake.write_bytes(cache_path, json.dumps(out, ensure_ascii=False, sort_keys=True).encode())
    return out


def collect_folder(source: SourceConfig, day: str, lake: Lake,
                   indexes: dict[str, dict] | None = None) -> list[ManifestEntry]:
    """The day's pages of a folder. `indexes` (source name -> folder index) lets a run over many
    days walk and date the folder once instead of once per day."""
    root = Path(source.path or "")
    if indexes is None:
        index = folder_index(source, lake)
    else:
        if source.name not in indexes:
            indexes[source.name] = folder_index(source, lake)
        index = indexes[source.name]
    entries = []
    for rel, meta in index.items():
        if meta["date"] != day:
            continue
        now = datetime.now(UTC)
        try:
            data = _read(root / rel)
        except OSError as e:  # vanished or unreadable since indexing: recorded, not lost
            entries.append(ManifestEntry(day, source.name, meta["url"], "failed", reason="unreadable",
                                         error=str(e), fetched_at=now, date_source=meta["date_source"]))
            continue
        sha = lake.put_raw(data)
        entries.append(ManifestEntry(
            publish_date=day, source=source.name, url=meta["url"], outcome="fetched",
            final_url=meta["url"], fetched_at=now, content_type="text/html", size=len(data),
            sha256=sha, date_source=meta["date_source"],
        ))
    return entries


def folder_dates(source: SourceConfig, lake: Lake) -> list[str]:
    """The publish dates a folder has pages for (used to pick the sample's partitions)."""
    return sorted({m["date"] for m in folder_index(source, lake).values()})
