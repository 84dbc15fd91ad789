"""Where raw HTML comes from: a folder, or the web (listing pages, sitemaps, RSS) via httpx."""

from __future__ import annotations

from ..lake import Lake
from .config import SourceConfig, SourceConfigError, default_sources, load_sources
from .folder import collect_folder, folder_dates
from .manifest import ManifestEntry

__all__ = [
    "ManifestEntry",
    "SourceConfig",
    "SourceConfigError",
    "collect_partition",
    "default_sources",
    "folder_dates",
    "load_sources",
]


def collect_partition(sources: list[SourceConfig], day: str, lake: Lake) -> list[ManifestEntry]:
    """Discover and fetch every page of `day` from every source, keeping bytes in the lake.

    Returns one manifest entry per discovered URL. A source that cannot be read at all raises,
    so the partition fails loudly instead of succeeding empty.
    """
    entries: list[ManifestEntry] = []
    for source in sources:
        if source.type == "folder":
            entries.extend(collect_folder(source, day, lake))
        else:
            raise NotImplementedError(f"source {source.name!r}: type {source.type!r} is not supported yet")
    return entries
