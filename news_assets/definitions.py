"""The one Definitions object: lake assets, SQL models, checks, jobs, schedule and resources."""

from __future__ import annotations

import dagster as dg

from .assets.lake_assets import articles, extract_facts, raw_html
from .partitions import publish_date_partitions
from .resources import SourcesResource, WarehouseResource
from .sql_models import build_sql_assets

LAKE_SELECTION = dg.AssetSelection.assets(raw_html, articles, extract_facts)

duckdb_warehouse = build_sql_assets()

# Partitioned stages for one day or a range of days (a range runs as one run).
news_job = dg.define_asset_job(
    "news_job",
    selection=LAKE_SELECTION,
    partitions_def=publish_date_partitions,
    description="Fetch, parse and extract one publish date (or a range) into the lake.",
)
# Rebuild every DuckDB model and run the schema tests.
warehouse_job = dg.define_asset_job(
    "warehouse_job",
    selection=dg.AssetSelection.assets(duckdb_warehouse),
    description="Build the DuckDB warehouse from the lake and run its tests.",
)

daily_schedule = dg.build_schedule_from_partitioned_job(
    news_job,
    hour_of_day=1,
    minute_of_hour=30,
    name="daily_news",
    description="Every night at 01:30 Asia/Shanghai, process the day that just ended.",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)


@dg.run_status_sensor(
    run_status=dg.DagsterRunStatus.SUCCESS,
    monitored_jobs=[news_job],
    request_job=warehouse_job,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="After the lake changes, rebuild the DuckDB warehouse.",
)
def rebuild_warehouse_after_news(context: dg.RunStatusSensorContext):
    return dg.RunRequest(run_key=context.dagster_run.run_id)


defs = dg.Definitions(
    assets=[raw_html, articles, extract_facts, duckdb_warehouse],
    jobs=[news_job, warehouse_job],
    schedules=[daily_schedule],
    sensors=[rebuild_warehouse_after_news],
    resources={"warehouse": WarehouseResource(), "sources": SourcesResource()},
)
