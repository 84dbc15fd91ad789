"""Records produced by the parser."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime


@dataclass
class Dateline:
    agency: str | None = None
    place: str | None = None
    date: str | None = None  # ISO YYYY-MM-DD, resolved against the publish time when possible


@dataclass
class Related:
    title: str | None = None
    url: str | None = None
    date: str | None = None  # ISO date or datetime string as shown


@dataclass
class Article:
    url: str | None = None
    canonical_url: str | None = None
    site: str | None = None
    title: str | None = None
    publish_time: datetime | None = None
    category: str | None = None
    source_name: str | None = None
    origin_name: str | None = None
    dateline: Dateline | None = None
    authors: list[str] = field(default_factory=list)
    body: str = ""
    related: list[Related] = field(default_factory=list)
    language: str | None = None
    script: str | None = None
    is_article: bool = False
    reject_reason: str | None = None
    charset: str | None = None
    parser: str = ""
    parser_version: str = ""

    def to_cli_dict(self, file: str | None = None) -> dict:
        """The JSON object `news-warehouse parse` prints for one file (keys as DESIGN.md lists them)."""
        return {
            "file": file,
            "url": self.url,
            "is_article": self.is_article,
            "title": self.title,
            "publish_time": self.publish_time.isoformat() if self.publish_time else None,
            "category": self.category,
            "source_name": self.source_name,
            "origin_name": self.origin_name,
            "dateline": asdict(self.dateline) if self.dateline else None,
            "authors": list(self.authors),
            "body": self.body,
            "related": [asdict(r) for r in self.related],
            "language": self.language,
        }
