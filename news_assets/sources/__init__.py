"""Where raw HTML comes from: a folder, or the web (listing pages, sitemaps, RSS) via httpx."""

from __future__ import annotations

from ..lake import Lake
from ..records import TABLES
from .config import SourceConfig, SourceConfigError, default_sources, load_sources
from .fetch import FetchSettings
from .folder import collect_folder, folder_dates
from .kinds import KINDS
from .manifest import ManifestEntry, previous_manifest
from .runcache import RunCache
from .web import SourceUnavailable, collect_web

__all__ = [
    "FetchSettings",
    "ManifestEntry",
    "RunCache",
    "SourceConfig",
    "SourceConfigError",
    "SourceUnavailable",
    "collect_partition",
    "default_sources",
    "folder_dates",
    "load_sources",
]

MANIFEST_TABLE = TABLES.raw_html


def collect_partition(sources: list[SourceConfig], day: str, lake: Lake, *,
                      previous: list[ManifestEntry] | None = None,
                      settings: FetchSettings | None = None,
                      transport=None,
                      cache: RunCache | None = None) -> list[ManifestEntry]:
    """Discover and fetch every page of `day` from every source, keeping bytes in the lake.

    Returns one manifest entry per discovered URL. A source that cannot be read at all raises
    (SourceUnavailable, FileNotFoundError), so the partition fails loudly instead of succeeding empty.

    previous: the day's manifest from the last run (its failed URLs are retried, its pages kept even
    when discovery no longer lists them); None reads it from the lake's ``raw_html`` partition.
    settings: fetch settings (FetchSettings); sources override them per source in the sources file.
    transport: an httpx transport, for tests only.
    cache: one RunCache shared by the days of one run (folders indexed once, discovery documents read
    once within discovery_ttl, fetch state re-read only when changed); None starts afresh.
    """
    if previous is None:
        previous = previous_manifest(lake, MANIFEST_TABLE, day)
    entries: list[ManifestEntry] = []
    web = []
    for source in sources:
        if not KINDS[source.type].web:
            entries.extend(collect_folder(source, day, lake, cache))
        else:
            web.append(source)
    if web:
        entries.extend(collect_web(web, day, lake, previous=previous, settings=settings, transport=transport,
                                   cache=cache))
    return entries
