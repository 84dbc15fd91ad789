"""Shared glue for the partitioned assets: partition fan-out and UI metadata."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import dagster as dg
import polars as pl

from ..lake import Lake
from ..stage_pool import map_days

GROUP = "lake"


def run_days(fn: Callable, lake: Lake, days: list[str], workers: int, *args, each: Callable | None = None) -> list:
    """Run one partition function per day; several days go to a process pool (both cores busy,
    memory bounded by one partition per worker; workers forked warm, see stage_pool). `each` sees
    every day's result as it arrives (its events are written while the workers go on)."""
    return map_days(fn, lake, days, workers, *args, each=each)


def column_schema(schema: dict) -> dg.TableSchema:
    return dg.TableSchema(columns=[dg.TableColumn(name, str(dtype)) for name, dtype in schema.items()])


def preview_md(df: pl.DataFrame | None, columns: Iterable[str], n: int = 5, width: int = 60) -> dg.MetadataValue:
    cols = [c for c in columns if df is not None and c in df.columns]
    if df is None or df.height == 0 or not cols:
        return dg.MetadataValue.md("_no rows_")

    def cell(v) -> str:
        s = "" if v is None else str(v)
        s = s.replace("\n", " ").replace("|", "\\|")
        return s if len(s) <= width else s[: width - 1] + "…"

    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    # column by column: a select() goes through polars' query engine and thread pool, ~0.6 ms a
    # preview in the process that writes a range's events while both cores run workers
    for row in zip(*(df.get_column(c).head(n).to_list() for c in cols), strict=True):
        lines.append("| " + " | ".join(cell(v) for v in row) + " |")
    return dg.MetadataValue.md("\n".join(lines))


def partition_keys(context) -> list[str]:
    """The run's publish dates: one key, or every key of a single-run range backfill."""
    return list(context.partition_keys) if context.has_partition_key_range or context.has_partition_key else []
