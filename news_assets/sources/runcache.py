"""What the days of one run share, passed explicitly instead of kept in module globals.

A range run (a backfill) collects day after day in one process: it walks and dates each folder
once, reads each discovery document once within ``discovery_ttl`` (a sitemap index serves every
day it is pruned for), and reads each segment of a source's fetch state once. One
``RunCache`` per run holds all of that; a call without one starts empty, so two runs in one process
never see each other's answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .assignments import MergedState
    from .discover import Discovered
    from .folder import FolderRun


@dataclass
class RunCache:
    folders: dict[str, FolderRun] = field(default_factory=dict)  # source name -> its index for the run
    discovery: dict[tuple, tuple[float, list[Discovered]]] = field(default_factory=dict)  # (source...) -> (t, found)
    sitemaps: dict[str, tuple[float, list[Discovered], list[tuple[str, str | None]]]] = field(
        default_factory=dict)  # sitemap URL -> (t, pages, children)
    state_files: dict[str, dict[str, Any]] = field(default_factory=dict)  # fetch-state segment -> its records
    state_merged: dict[str, MergedState] = field(default_factory=dict)  # fetch-state folder -> its merge
