"""Column schemas of the lake tables.

Every partition file is written with its full schema, even when it has no rows, so that DuckDB and
polars read an empty day the same way as a full one.
"""

from __future__ import annotations

import polars as pl

RELATED = pl.List(pl.Struct({"title": pl.String, "url": pl.String, "date": pl.String}))

MANIFEST = {
    "publish_date": pl.String,
    "source": pl.String,
    "url": pl.String,
    "final_url": pl.String,
    "status": pl.Int32,
    "outcome": pl.String,  # fetched | failed | skipped
    "reason": pl.String,
    "fetched_at": pl.Datetime("us", "UTC"),
    "content_type": pl.String,
    "declared_charset": pl.String,
    "detected_charset": pl.String,
    "size": pl.Int64,
    "sha256": pl.String,
    "error": pl.String,
    "date_source": pl.String,  # where the partition date came from: listing, sitemap, parsed, index (a folder's index.json)
}

ARTICLES = {
    "article_id": pl.String,
    "publish_date": pl.String,
    "url": pl.String,
    "canonical_url": pl.String,
    "site": pl.String,
    "title": pl.String,
    "publish_time": pl.Datetime("us", "UTC"),
    "publish_time_local": pl.String,  # ISO 8601 with the page's offset, as the page gave it
    "category": pl.String,
    "source_name": pl.String,
    "origin_name": pl.String,
    "dateline_agency": pl.String,
    "dateline_place": pl.String,
    "dateline_date": pl.String,
    "authors": pl.List(pl.String),
    "body": pl.String,
    "related": RELATED,
    "language": pl.String,
    "script": pl.String,
    "body_sha256": pl.String,
    "simhash": pl.UInt64,
    "parser": pl.String,
    "parser_version": pl.String,
    "raw_sha256": pl.String,
    "charset": pl.String,
}

FACTS = {
    "fact_id": pl.String,
    "article_id": pl.String,
    "publish_date": pl.String,
    "kind": pl.String,  # money | count | percent
    "text": pl.String,
    "start": pl.Int32,
    "end": pl.Int32,
    "value": pl.Decimal(38, 6),
    "value_high": pl.Decimal(38, 6),
    "currency": pl.String,
    "unit": pl.String,
    "qualifier": pl.String,
    "change": pl.String,
    "change_basis": pl.String,
    "metric": pl.String,
    "region_code": pl.String,
    "region_source": pl.String,
    "period_start": pl.Date,
    "period_end": pl.Date,
    "period_source": pl.String,
    "cumulative": pl.Boolean,
    "sentence": pl.String,
    "sentence_start": pl.Int32,
    "sentence_end": pl.Int32,
    "extractor_version": pl.String,
}

REGION_MENTIONS = {
    "article_id": pl.String,
    "publish_date": pl.String,
    "start": pl.Int32,
    "end": pl.Int32,
    "text": pl.String,
    "region_code": pl.String,
    "name": pl.String,
    "level": pl.String,
    "province_code": pl.String,
}

DATE_MENTIONS = {
    "article_id": pl.String,
    "publish_date": pl.String,
    "start": pl.Int32,
    "end": pl.Int32,
    "text": pl.String,
    "start_date": pl.Date,
    "end_date": pl.Date,
    "granularity": pl.String,
}

QUARANTINE = {
    "publish_date": pl.String,
    "stage": pl.String,  # raw_html | articles | facts
    "url": pl.String,
    "raw_sha256": pl.String,
    "error_kind": pl.String,
    "message": pl.String,
}


def frame(rows: list[dict], schema: dict) -> pl.DataFrame:
    """Rows as a DataFrame with exactly this schema (missing keys become null)."""
    return pl.DataFrame([{k: r.get(k) for k in schema} for r in rows], schema=schema, orient="row")
