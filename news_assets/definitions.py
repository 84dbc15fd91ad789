"""The one Definitions object: lake assets, SQL models, checks, jobs, schedule and resources."""

from __future__ import annotations

import hashlib
import json
import os
from datetime import date, datetime, timedelta

import dagster as dg

from . import execution
from .assets.lake_assets import articles, extract_facts, raw_html
from .partitions import START_DATE, TIMEZONE, ZONE
from .records import LAKE_ASSETS
from .resources import SourcesResource, WarehouseResource
from .sql_models import POOL, build_sql_assets, ensure_pool_limit

LAKE_SELECTION = dg.AssetSelection.assets(raw_html, articles, extract_facts)
LOOKBACK_ENV = "NEWS_LOOKBACK_DAYS"
DEFAULT_LOOKBACK_DAYS = 3
RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"

duckdb_warehouse = build_sql_assets()

# Partitioned stages for one day or a range of days (a range runs as one run).
news_job = dg.define_asset_job(
    "news_job",
    selection=LAKE_SELECTION,
    description="Fetch, parse and extract one publish date (or a range) into the lake.",
)
# Rebuild every DuckDB model and run the schema tests.
warehouse_job = dg.define_asset_job(
    "warehouse_job",
    selection=dg.AssetSelection.assets(duckdb_warehouse),
    description=f"Build the DuckDB warehouse from the lake and run its tests (one at a time: pool {POOL!r}).",
)


def lookback_days() -> int:
    """How many days before the one that just ended the nightly run fetches again ($NEWS_LOOKBACK_DAYS)."""
    raw = os.environ.get(LOOKBACK_ENV, "")
    try:
        n = int(raw) if raw.strip() else DEFAULT_LOOKBACK_DAYS
    except ValueError as e:
        raise ValueError(f"{LOOKBACK_ENV} must be a whole number of days, not {raw!r}") from e
    if not 0 <= n <= 366:
        raise ValueError(f"{LOOKBACK_ENV} must be between 0 and 366, not {n}")
    return n


def nightly_range(scheduled: datetime, lookback: int) -> tuple[str, str]:
    """The publish dates a tick at `scheduled` (Asia/Shanghai) processes: the day that just ended and
    the `lookback` days before it, where late pages land in their own partition."""
    end = scheduled.astimezone(ZONE).date() - timedelta(days=1)
    start = max(end - timedelta(days=lookback), date.fromisoformat(START_DATE))
    return start.isoformat(), end.isoformat()


@dg.schedule(
    job=news_job,
    cron_schedule="30 1 * * *",
    execution_timezone=TIMEZONE,
    name="daily_news",
    description=(
        "Every night at 01:30 Asia/Shanghai, process the day that just ended and re-run the "
        f"${LOOKBACK_ENV} (default {DEFAULT_LOOKBACK_DAYS}) days before it, so pages that appear late land "
        "in their own publish date. The range runs as one run; re-runs replace partitions whole."
    ),
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
def daily_news(context: dg.ScheduleEvaluationContext):
    start, end = nightly_range(context.scheduled_execution_time, lookback_days())
    return dg.RunRequest(
        run_key=f"{start}...{end}",
        tags={RANGE_START_TAG: start, RANGE_END_TAG: end, "news/trigger": "daily_news"},
    )


LAKE_KEYS = {dg.AssetKey(k) for k in LAKE_ASSETS}


@dg.run_status_sensor(
    run_status=dg.DagsterRunStatus.SUCCESS,
    request_job=warehouse_job,
    default_status=dg.DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=15,
    description="After a run that changed the lake (news_job, a UI materialisation or a backfill) "
                "but did not also build the warehouse, rebuild the DuckDB warehouse.",
)
def rebuild_warehouse_after_news(context: dg.RunStatusSensorContext):
    # an instance started without the project's dagster.yaml still gets one writer at a time
    if ensure_pool_limit(context.instance):
        context.log.info(f"set the {POOL!r} concurrency pool to 1 slot")
    run = context.dagster_run
    selected = set(run.asset_selection or ())
    if run.job_name == warehouse_job.name or not (selected & LAKE_KEYS):
        return dg.SkipReason(f"run {run.run_id} did not change the lake")
    if any(k.path[0] == "duckdb" for k in selected):
        return dg.SkipReason(f"run {run.run_id} built the warehouse itself")
    return dg.RunRequest(run_key=run.run_id)


def _day_digest(shas: list[str]) -> str:
    return hashlib.sha256("\n".join(sorted(shas)).encode()).hexdigest()[:12]


@dg.sensor(
    job=news_job,
    minimum_interval_seconds=300,
    default_status=dg.DefaultSensorStatus.STOPPED,
    description="Load an archive from the UI: turn this on and it materialises exactly the publish dates "
                "the folder sources have pages for (each page dated once, the dates cached in the lake), "
                "in short ranges of nearby days; later ticks run only the days whose pages changed. The "
                "rebuild_warehouse_after_news sensor then builds the warehouse. Same as `news-warehouse load`.",
)
def load_folder_archive(context: dg.SensorEvaluationContext, warehouse: WarehouseResource,
                        sources: SourcesResource):
    from .runner import chunk_days, folder_pages

    seen = json.loads(context.cursor) if context.cursor else {}
    per_day, outside = folder_pages(sources.load(), warehouse.lake())
    if outside:
        context.log.warning(f"{len(outside)} pages are dated outside the partitions, e.g. {outside[0]}")
    digest = {d: _day_digest(shas) for d, shas in per_day.items()}
    changed = sorted(d for d, h in digest.items() if seen.get(d) != h)
    if not changed:
        return dg.SkipReason(f"no new or changed pages on the {len(digest)} publish dates the folders hold")
    context.update_cursor(json.dumps(digest, sort_keys=True))
    return [dg.RunRequest(run_key=f"{a}...{b}:{_day_digest([digest[d] for d in changed if a <= d <= b])}",
                          tags={RANGE_START_TAG: a, RANGE_END_TAG: b, "news/trigger": "load_folder_archive"})
            for a, b in chunk_days(changed)]


defs = dg.Definitions(
    assets=[raw_html, articles, extract_facts, duckdb_warehouse],
    jobs=[news_job, warehouse_job],
    schedules=[daily_news],
    sensors=[rebuild_warehouse_after_news, load_folder_archive],
    resources={"warehouse": WarehouseResource(), "sources": SourcesResource()},
    executor=execution.executor(),  # None: Dagster's default; Celery workers when NEWS_EXECUTOR=celery
)
