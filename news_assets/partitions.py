"""The one partitioning scheme: the article's publish date, a calendar day in Asia/Shanghai.

The first partition is a setting, $NEWS_PARTITION_START (YYYY-MM-DD), so the UI's partition bar and
its "missing" counts cover the years an archive holds rather than decades of empty days. The
default, 1995-01-01, is from before the oldest dated page in the evaluation corpus (1996): Chinese
news sites put their archives online from the late 1990s on. Every partitioned asset shares this
object, so a backfill over any range lines up across stages. Set the variable the same for every
process (`dagster dev`, the daemon, `news-warehouse`), as you would $NEWS_WAREHOUSE_DIR.
"""

from __future__ import annotations

import os
from datetime import date
from functools import cache
from zoneinfo import ZoneInfo

TIMEZONE = "Asia/Shanghai"
ZONE = ZoneInfo(TIMEZONE)  # the one ZoneInfo of the partition time zone (sources/ date pages with it)
START_ENV = "NEWS_PARTITION_START"
DEFAULT_START_DATE = "1995-01-01"


def start_date() -> str:
    raw = os.environ.get(START_ENV, "").strip() or DEFAULT_START_DATE
    try:
        return date.fromisoformat(raw).isoformat()
    except ValueError as e:
        raise ValueError(f"{START_ENV} must be a date like 2004-01-01, not {raw!r}") from e


START_DATE = start_date()

@cache
def _partitions():
    import dagster as dg  # here, not at import: sources/ (and its worker processes) need only ZONE

    return dg.DailyPartitionsDefinition(start_date=START_DATE, timezone=TIMEZONE)


def __getattr__(name: str):
    if name == "publish_date_partitions":
        return _partitions()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
