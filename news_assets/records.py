"""One record per lake table, declared once: its columns, their order and their polars dtypes.

``schemas`` derives each table's schema from these dataclasses; the staging SQL selects ``*`` from the
lake, so a new column is its field here, the code that fills it and its line in the YAML docs.
``TABLES`` is the registry of lake table names used by the pipeline, the assets, the definitions and
the SQL runner instead of string literals.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

import polars as pl

RELATED = pl.List(pl.Struct({"title": pl.String, "url": pl.String, "date": pl.String}))


def col(dtype: pl.DataType | type[pl.DataType], doc: str = "") -> Any:
    """A record field: its polars dtype and, briefly, what it holds (null when not filled)."""
    return field(default=None, metadata={"dtype": dtype, "doc": doc})


@dataclass(frozen=True)
class ManifestRow:
    publish_date: str = col(pl.String)
    source: str = col(pl.String)
    url: str = col(pl.String)
    final_url: str = col(pl.String)
    status: int = col(pl.Int32)
    outcome: str = col(pl.String, "fetched | failed | skipped")
    reason: str = col(pl.String)
    fetched_at: Any = col(pl.Datetime("us", "UTC"))
    content_type: str = col(pl.String)
    declared_charset: str = col(pl.String)
    detected_charset: str = col(pl.String)
    size: int = col(pl.Int64)
    sha256: str = col(pl.String)
    error: str = col(pl.String)
    date_source: str = col(pl.String, "listing, sitemap, parsed, index (a folder's index.json), first_seen")


@dataclass(frozen=True)
class ArticleRow:
    article_id: str = col(pl.String, "from the normalised canonical URL key (sources.canonical.url_key)")
    publish_date: str = col(pl.String)
    url: str = col(pl.String)
    canonical_url: str = col(pl.String)
    site: str = col(pl.String)
    title: str = col(pl.String)
    publish_time: Any = col(pl.Datetime("us", "UTC"))
    publish_time_local: str = col(pl.String, "ISO 8601 with the page's offset, as the page gave it")
    category: str = col(pl.String)
    source_name: str = col(pl.String)
    origin_name: str = col(pl.String)
    dateline_agency: str = col(pl.String)
    dateline_place: str = col(pl.String)
    dateline_date: str = col(pl.String)
    authors: list = col(pl.List(pl.String))
    body: str = col(pl.String)
    related: list = col(RELATED)
    language: str = col(pl.String)
    script: str = col(pl.String)
    body_sha256: str = col(pl.String)
    simhash: int = col(pl.UInt64)
    parser: str = col(pl.String)
    parser_version: str = col(pl.String)
    raw_sha256: str = col(pl.String)
    charset: str = col(pl.String)


@dataclass(frozen=True)
class FactRow:
    fact_id: str = col(pl.String)
    article_id: str = col(pl.String)
    publish_date: str = col(pl.String)
    kind: str = col(pl.String, "money | count | percent")
    text: str = col(pl.String)
    start: int = col(pl.Int32)
    end: int = col(pl.Int32)
    value: Any = col(pl.Decimal(38, 6))
    value_high: Any = col(pl.Decimal(38, 6))
    currency: str = col(pl.String)
    unit: str = col(pl.String)
    qualifier: str = col(pl.String)
    change: str = col(pl.String)
    change_basis: str = col(pl.String)
    metric: str = col(pl.String)
    region_code: str = col(pl.String)
    region_source: str = col(pl.String)
    period_start: Any = col(pl.Date)
    period_end: Any = col(pl.Date)
    period_source: str = col(pl.String)
    cumulative: bool = col(pl.Boolean)
    sentence: str = col(pl.String)
    sentence_start: int = col(pl.Int32)
    sentence_end: int = col(pl.Int32)
    sentence_id: int = col(pl.Int32, "the sentences row the fact stands in (article_id, sentence_id)")
    extractor_version: str = col(pl.String)


@dataclass(frozen=True)
class SentenceRow:
    article_id: str = col(pl.String)
    publish_date: str = col(pl.String)
    sentence_id: int = col(pl.Int32, "1-based number of the sentence in the body")
    start: int = col(pl.Int32)
    end: int = col(pl.Int32)
    text: str = col(pl.String)


@dataclass(frozen=True)
class MentionRow:
    """The columns every mention table starts with: where in which article, and the text."""

    article_id: str = col(pl.String)
    publish_date: str = col(pl.String)
    start: int = col(pl.Int32)
    end: int = col(pl.Int32)
    text: str = col(pl.String)


@dataclass(frozen=True)
class RegionMentionRow(MentionRow):
    region_code: str = col(pl.String)
    name: str = col(pl.String)
    level: str = col(pl.String)
    province_code: str = col(pl.String)


@dataclass(frozen=True)
class DateMentionRow(MentionRow):
    start_date: Any = col(pl.Date)
    end_date: Any = col(pl.Date)
    granularity: str = col(pl.String)


@dataclass(frozen=True)
class QuarantineRow:
    publish_date: str = col(pl.String)
    stage: str = col(pl.String, "raw_html | articles | facts")
    url: str = col(pl.String)
    raw_sha256: str = col(pl.String)
    error_kind: str = col(pl.String)
    message: str = col(pl.String)


def schema(record: type) -> dict[str, pl.DataType]:
    """The record's columns and dtypes, in field order."""
    return {f.name: f.metadata["dtype"] for f in fields(record)}


@dataclass(frozen=True)
class Tables:
    """Names of the lake tables (each is also its writer's Dagster asset key, quarantine aside)."""

    raw_html: str = "raw_html"
    articles: str = "articles"
    facts: str = "facts"
    region_mentions: str = "region_mentions"
    date_mentions: str = "date_mentions"
    sentences: str = "sentences"  # written by the facts stage (no asset of its own)

    @staticmethod
    def quarantine(stage: str) -> str:
        return f"quarantine_{stage}"


TABLES = Tables()
STAGES = (TABLES.raw_html, TABLES.articles, TABLES.facts)  # the stages that write a quarantine table
# the stage assets, in pipeline order (the facts stage also writes its mention and sentence tables)
LAKE_ASSETS = (TABLES.raw_html, TABLES.articles, TABLES.facts, TABLES.region_mentions, TABLES.date_mentions)
RECORDS: dict[str, type] = {
    TABLES.raw_html: ManifestRow,
    TABLES.articles: ArticleRow,
    TABLES.facts: FactRow,
    TABLES.sentences: SentenceRow,
    TABLES.region_mentions: RegionMentionRow,
    TABLES.date_mentions: DateMentionRow,
    **{Tables.quarantine(s): QuarantineRow for s in STAGES},
}
