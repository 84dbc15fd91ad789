"""One manifest row per discovered URL: how it ended (fetched, failed, skipped) and why."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime


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

    def as_row(self) -> dict:
        return asdict(self)
