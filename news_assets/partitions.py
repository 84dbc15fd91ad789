"""The one partitioning scheme: the article's publish date, a calendar day in Asia/Shanghai.

The start is 1995-01-01: the oldest dated page in the evaluation corpus is from 1996, and Chinese
news sites put their archives online from the late 1990s on. Every partitioned asset shares this
object, so a backfill over any range lines up across stages.
"""

from __future__ import annotations

import dagster as dg

TIMEZONE = "Asia/Shanghai"
START_DATE = "1995-01-01"

publish_date_partitions = dg.DailyPartitionsDefinition(start_date=START_DATE, timezone=TIMEZONE)
