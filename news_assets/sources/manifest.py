"""One manifest row per discovered URL: how it ended (fetched, failed, skipped) and why."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .guard import strip_userinfo


@dataclass
class ManifestEntry:
    publish_date: str
    source: str
    url: str
    outcome: str  # fetched | failed | skipped
    final_url: str | None = None
    status: int | None = None
    reason: str | None = None
    fetched_at: datetime | None = None
    content_type: str | None = None
    declared_charset: str | None = None
    detected_charset: str | None = None
    size: int | None = None
    sha256: str | None = None
    error: str | None = None
    date_source: str | None = None

    def __post_init__(self) -> None:
        # no stored URL keeps user:password@ (a feed's or a redirect's credentials)
        self.url = strip_userinfo(self.url)
        if self.final_url:
            self.final_url = strip_userinfo(self.final_url)

    def as_row(self) -> dict:
        return dict(self.__dict__)  # the dataclass fields, in order (no slots, no extra attributes)


def previous_manifest(lake, table: str, day: str) -> list[ManifestEntry]:
    """The manifest a previous run wrote for this day (empty when there is none or it is unreadable)."""
    try:
        df = lake.read_partition(table, day)
    except Exception:  # a damaged partition file is replaced by this run
        return []
    if df is None:
        return []
    fields = set(ManifestEntry.__dataclass_fields__)
    return [ManifestEntry(**{k: v for k, v in row.items() if k in fields}) for row in df.iter_rows(named=True)]
