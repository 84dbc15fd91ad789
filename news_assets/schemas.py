"""Column schemas of the lake tables, derived from their records (news_assets/records.py).

Every partition file is written with its full schema, even when it has no rows, so that DuckDB and
polars read an empty day the same way as a full one.
"""

from __future__ import annotations

import polars as pl

from . import records as R

RELATED = R.RELATED
MANIFEST = R.schema(R.ManifestRow)
ARTICLES = R.schema(R.ArticleRow)
FACTS = R.schema(R.FactRow)
SENTENCES = R.schema(R.SentenceRow)
REGION_MENTIONS = R.schema(R.RegionMentionRow)
DATE_MENTIONS = R.schema(R.DateMentionRow)
QUARANTINE = R.schema(R.QuarantineRow)


def for_table(table: str) -> dict:
    """The schema of a lake table by its registry name (records.TABLES)."""
    return R.schema(R.RECORDS[table])


def frame(rows: list[dict], schema: dict) -> pl.DataFrame:
    """Rows as a DataFrame with exactly this schema (missing keys become null). Built by column:
    several times faster than by row for the facts and sentences tables."""
    return pl.DataFrame({k: [r.get(k) for r in rows] for k in schema}, schema=schema)
