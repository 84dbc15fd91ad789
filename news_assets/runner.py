"""Run the jobs through a real Dagster instance from Python (used by `news-warehouse demo`).

A range of publish dates runs as one run (the single-run backfill policy), the same way a UI
backfill of that range does, and the DuckDB warehouse is rebuilt after it.
"""

from __future__ import annotations

import os

import dagster as dg

from .lake import Lake
from .resources import SourcesResource, WarehouseResource
from .sources import default_sources, folder_dates


def instance() -> dg.DagsterInstance:
    """$DAGSTER_HOME's instance when set (runs then show in `dagster dev`), else a temporary one."""
    if os.environ.get("DAGSTER_HOME"):
        return dg.DagsterInstance.get()
    return dg.DagsterInstance.ephemeral()


def sample_dates(lake: Lake) -> list[str]:
    return sorted({d for s in default_sources() for d in folder_dates(s, lake)})


def materialize_range(start: str, end: str, *, bundled_sample: bool = True,
                      dagster_instance: dg.DagsterInstance | None = None) -> None:
    from .definitions import defs

    inst = dagster_instance or instance()
    quiet = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}
    resources = {"warehouse": WarehouseResource(), "sources": SourcesResource(bundled_sample=bundled_sample)}
    news_job = defs.resolve_job_def("news_job")
    result = news_job.execute_in_process(
        instance=inst,
        resources=resources,
        run_config=quiet,
        tags={"dagster/asset_partition_range_start": start, "dagster/asset_partition_range_end": end},
    )
    if not result.success:
        raise RuntimeError(f"news_job failed for {start}..{end}")
    result = defs.resolve_job_def("warehouse_job").execute_in_process(instance=inst, resources=resources, run_config=quiet)
    if not result.success:
        raise RuntimeError("warehouse_job failed")
