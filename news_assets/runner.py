"""Run the jobs through a real, persistent Dagster instance from Python (`news-warehouse demo | load`).

A range of publish dates runs as one run (the single-run backfill policy), the same way a UI
backfill of that range does, and the DuckDB warehouse is rebuilt after it. The instance is the one
the UI shows: $DAGSTER_HOME when set, else the project-local home `./.dagster_home` configured by
the project's `dagster.yaml` (whose storage block `dagster dev` in the repo root uses too).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import dagster as dg
from dagster._core.instance.ref import InstanceRef

from .lake import Lake
from .records import TABLES
from .resources import SourcesResource, WarehouseResource
from .sources import default_sources, folder_dates

LOCAL_HOME = ".dagster_home"  # the same directory dagster.yaml's local storage block names
QUIET = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}
RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"


def instance() -> dg.DagsterInstance:
    """$DAGSTER_HOME's instance when set, else ./.dagster_home with ./dagster.yaml's settings (the
    project's, when run in the repo root), so `dagster dev` afterwards shows these runs."""
    from .sql_models import ensure_pool_limit

    if os.environ.get("DAGSTER_HOME"):
        inst = dg.DagsterInstance.get()
    else:
        cwd = Path.cwd()
        home = cwd / LOCAL_HOME
        home.mkdir(exist_ok=True)
        config_dir = cwd if (cwd / "dagster.yaml").exists() else home
        inst = dg.DagsterInstance.from_ref(InstanceRef.from_dir(str(home), config_dir=str(config_dir)))
    ensure_pool_limit(inst)  # one warehouse writer even without the project's dagster.yaml
    return inst


def instance_location(inst: dg.DagsterInstance) -> str:
    if not inst.is_persistent:
        return "(ephemeral)"
    return os.environ.get("DAGSTER_HOME") or str(Path.cwd() / LOCAL_HOME)


def sample_dates(lake: Lake) -> list[str]:
    return sorted({d for s in default_sources() for d in folder_dates(s, lake)})


@dataclass
class RunCounts:
    """What one lake run did, from its own materialisation metadata."""

    days: int = 0
    pages: int = 0
    articles: int = 0
    quarantined: int = 0

    def add(self, other: RunCounts) -> None:
        self.days += other.days
        self.pages += other.pages
        self.articles += other.articles
        self.quarantined += other.quarantined


def _counts(result, days: int) -> RunCounts:
    """Pages, articles and quarantined pages of the run, from the raw_html and articles metadata: a
    single day's materialisations, or the per-partition observations of a range. Pages quarantined
    before parsing (undated, empty or failed URLs: raw_html's quarantine) count as pages too."""
    out = RunCounts(days=days)
    events = [ev.event_specific_data.materialization for ev in result.get_asset_materialization_events()]
    events += [ev.event_specific_data.asset_observation for ev in result.get_asset_observation_events()]
    for e in events:
        md = e.metadata
        if "dagster/row_count" not in md:  # a range's materialisation: its days are in the observations
            continue
        if e.asset_key == dg.AssetKey(TABLES.articles):
            out.pages += int(md["pages"].value)
            out.quarantined += int(md["quarantined"].value)
            out.articles += int(md["dagster/row_count"].value)
        elif e.asset_key == dg.AssetKey(TABLES.raw_html):
            out.pages += int(md["quarantined"].value)
            out.quarantined += int(md["quarantined"].value)
    return out


def _resources(bundled_sample: bool, sources_path: str | None, workers: int | None = None) -> dict:
    return {"warehouse": WarehouseResource() if workers is None else WarehouseResource(workers=workers),
            "sources": SourcesResource(bundled_sample=bundled_sample, path=sources_path)}


def run_lake(start: str, end: str, *, inst: dg.DagsterInstance, bundled_sample: bool = False,
             sources_path: str | None = None, tags: dict | None = None, workers: int | None = None) -> RunCounts:
    from .definitions import defs

    result = defs.resolve_job_def("news_job").execute_in_process(
        instance=inst, resources=_resources(bundled_sample, sources_path, workers), run_config=QUIET,
        tags={RANGE_START_TAG: start, RANGE_END_TAG: end, **(tags or {})},
    )
    if not result.success:
        raise RuntimeError(f"news_job failed for {start}..{end} (see the run in the Dagster UI)")
    span = (date.fromisoformat(end) - date.fromisoformat(start)).days + 1
    return _counts(result, span)


def build_warehouse(*, inst: dg.DagsterInstance, bundled_sample: bool = False,
                    sources_path: str | None = None) -> None:
    from .definitions import defs

    result = defs.resolve_job_def("warehouse_job").execute_in_process(
        instance=inst, resources=_resources(bundled_sample, sources_path), run_config=QUIET)
    if not result.success:
        raise RuntimeError("warehouse_job failed (see the run in the Dagster UI)")


def materialize_range(start: str, end: str, *, bundled_sample: bool = True,
                      dagster_instance: dg.DagsterInstance | None = None) -> RunCounts:
    inst = dagster_instance or instance()
    counts = run_lake(start, end, inst=inst, bundled_sample=bundled_sample)
    build_warehouse(inst=inst, bundled_sample=bundled_sample)
    return counts


# ---- loading an archive: only the days that have pages, in few runs ---------------------------
# A run costs seconds of Dagster overhead; an empty day inside a range costs a fraction of a second
# (empty partition files, a few events). So page days up to two weeks apart share a run, and a run
# spans at most a quarter: Dagster plans and logs per partition, so no 7,000-day ranges.
MAX_GAP_DAYS = 14
MAX_RUN_DAYS = 92
POOL_MIN_PAGES = 200  # fewer pages in a run than this: starting worker processes costs more than it saves


def folder_pages(sources, lake: Lake) -> tuple[dict[str, list[str]], list[tuple[str, str]]]:
    """The sha256 of every page per publish date over the folder sources (each page dated once,
    cached in the lake), and the pages dated outside the partitions as (source/file, date)."""
    from .partitions import publish_date_partitions
    from .sources.folder import folder_index

    first = publish_date_partitions.get_first_partition_key()
    last = publish_date_partitions.get_last_partition_key()
    per_day: dict[str, list[str]] = {}
    outside: list[tuple[str, str]] = []
    for s in sources:
        if s.type != "folder":
            continue
        for rel, meta in folder_index(s, lake).items():
            day = meta.get("date")
            if day and first <= day <= last:
                per_day.setdefault(day, []).append(meta["sha256"])
            else:
                why = "no date in the page" if not day else day
                outside.append((f"{s.name}/{rel}", why))
    return per_day, outside


def chunk_days(days: list[str], max_gap: int = MAX_GAP_DAYS, max_span: int = MAX_RUN_DAYS) -> list[tuple[str, str]]:
    """Contiguous ranges covering every day in `days` (sorted ISO dates): a new range starts where
    the gap to the previous page day exceeds `max_gap` or the range would span more than `max_span`."""
    out: list[tuple[str, str]] = []
    start = prev = None
    for d in sorted(set(days)):
        cur = date.fromisoformat(d)
        if start is None:
            start = prev = cur
            continue
        if (cur - prev).days > max_gap + 1 or (cur - start).days + 1 > max_span:
            out.append((start.isoformat(), prev.isoformat()))
            start = cur
        prev = cur
    if start is not None:
        out.append((start.isoformat(), prev.isoformat()))
    return out


def load_days(pages_per_day: dict[str, int], *, sources_path: str, inst: dg.DagsterInstance,
              progress: Callable[[str], None] = print) -> RunCounts:
    """Materialise the lake for exactly the ranges covering the days with pages, then build the
    warehouse once."""
    chunks = chunk_days(list(pages_per_day))
    total, t0, done_days = RunCounts(), time.perf_counter(), 0
    page_days = set(pages_per_day)
    for i, (start, end) in enumerate(chunks, 1):
        pages = sum(n for d, n in pages_per_day.items() if start <= d <= end)
        c = run_lake(start, end, inst=inst, sources_path=sources_path,
                     tags={"news/trigger": "news-warehouse load"}, workers=1 if pages < POOL_MIN_PAGES else None)
        total.add(c)
        done_days += sum(1 for d in page_days if start <= d <= end)
        elapsed = time.perf_counter() - t0
        rate = total.pages / elapsed if elapsed else 0.0
        left = elapsed / done_days * (len(page_days) - done_days) if done_days else 0.0
        progress(f"run {i}/{len(chunks)} {start}..{end}: days {done_days}/{len(page_days)}, pages {total.pages}, "
                 f"articles {total.articles}, quarantined {total.quarantined}, {rate:.1f} pages/s, "
                 f"about {left:.0f}s left")
    build_warehouse(inst=inst, sources_path=sources_path)
    return total
