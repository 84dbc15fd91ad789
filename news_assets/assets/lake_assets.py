"""The partitioned stages: raw_html -> articles -> facts (+ region and date mentions).

Thin glue: pick the run's publish dates, call news_assets.pipeline for each, report metadata.
A run over a range (single-run backfill) loops over context.partition_keys.
"""

import warnings
from collections.abc import Callable
from dataclasses import dataclass

import dagster as dg

from .. import execution, pipeline, schemas
from ..facts import EXTRACTOR_VERSION
from ..parse import PARSER_VERSION
from ..partitions import publish_date_partitions
from ..records import TABLES
from ..resources import SourcesResource, WarehouseResource
from ..sources import RunCache, SourceUnavailable
from ..stage_pool import prestart
from ._common import GROUP, column_schema, partition_keys, preview_md, run_days

FETCH_FAILURE_SHARE_LIMIT = 0.2  # failed URLs are retried next run; this many means throttling or an outage
BAD_PAGE_SHARE_LIMIT = 0.5  # above this share of quarantined pages something is broken, not just a bad page
SINGLE_RUN = execution.backfill_policy()  # one run per range locally; runs of N days on Celery
# Dagster 1.13 still marks `backfill_policy=` on @asset as beta, though the single-run policy is how
# a range becomes one run (DESIGN.md). Silence exactly that notice, for our decorators only; drop this
# filter once a Dagster release marks the parameter stable.
warnings.filterwarnings("ignore", category=dg.BetaWarning,
                        message=r"Parameter `backfill_policy` of function `(multi_)?asset` is currently in beta")


def _totals(results: list[pipeline.StageResult], what: str = "counts") -> dict[str, int]:
    """The days' counts (or failure reasons) added up."""
    out: dict[str, int] = {}
    for r in results:
        for k, v in getattr(r, what).items():
            out[k] = out.get(k, 0) + v
    return out


@dataclass(frozen=True)
class Reported:
    """How a step reports one of its tables: the asset, a day's row count, the preview's columns."""

    key: str
    rows: Callable[[pipeline.StageResult], int]
    columns: tuple[str, ...]


def _day_metadata(lake, t: Reported, r: pipeline.StageResult) -> dict:
    """A day's own numbers and first rows (as the stage wrote them, else read back)."""
    head = r.heads.get(t.key)
    if head is None:
        head = lake.read_partition(t.key, r.publish_date, columns=list(t.columns), n_rows=pipeline.PREVIEW_ROWS)
    return {"dagster/row_count": t.rows(r), "pages": r.inputs, "quarantined": r.quarantined,
            "seconds": round(r.seconds, 3),  # in the stage's own code, for this day
            "preview": preview_md(head, t.columns)}


def _observer(context, lake, days: list[str], tables: list[Reported]) -> Callable | None:
    """For a range: each day's numbers go out as an observation of that partition, written as the
    day's result arrives (while the workers go on). Dagster stamps a range's one materialisation on
    every partition of it, so that cannot carry them (_report)."""
    if len(days) <= 1:
        return None

    def observe(r: pipeline.StageResult) -> None:
        for t in tables:
            context.log_event(dg.AssetObservation(asset_key=t.key, partition=r.publish_date,
                                                  metadata=_day_metadata(lake, t, r)))
    return observe


def _report(context, lake, t: Reported, results: list[pipeline.StageResult], metadata: dict,
            check_results: list[dg.AssetCheckResult] | None = None) -> dg.MaterializeResult:
    """One partition: its own numbers and preview. A range: only what is true of each of its
    partitions (the range and where to look: the days' observations), the run's totals to its log."""
    if len(results) == 1:
        return dg.MaterializeResult(asset_key=t.key, metadata={
            **_day_metadata(lake, t, results[0]), **metadata}, check_results=check_results)
    totals = {"row_count": sum(t.rows(r) for r in results),
              **{k: getattr(v, "data", v) for k, v in metadata.items()}}  # JSON values as plain dicts
    context.log.info(f"{t.key}: {len(results)} partitions, run totals {totals}")
    first, last = results[0].publish_date, results[-1].publish_date
    return dg.MaterializeResult(asset_key=t.key, metadata={
        "partition_range": f"{first}..{last}",
        "per_partition": "this partition's own row count and preview are in its observation (Events)",
    }, check_results=check_results)


RAW = Reported(TABLES.raw_html, lambda r: r.rows, ("url", "outcome", "status", "size", "sha256"))
ARTICLES = Reported(TABLES.articles, lambda r: r.rows, ("publish_time_local", "title", "source_name", "site"))
FACT_TABLES = [
    Reported(TABLES.facts, lambda r: r.counts.get("facts", 0),
             ("kind", "text", "value", "currency", "unit", "region_code", "metric")),
    Reported(TABLES.region_mentions, lambda r: r.counts.get("region_mentions", 0),
             ("text", "region_code", "name", "level")),
    Reported(TABLES.date_mentions, lambda r: r.counts.get("date_mentions", 0),
             ("text", "start_date", "end_date", "granularity")),
]


@dg.asset(
    partitions_def=publish_date_partitions,
    backfill_policy=SINGLE_RUN,
    group_name=GROUP,
    kinds={"python", "parquet"},
    description=(
        "Raw HTML of every page published on the day, discovered from the configured sources and "
        "kept byte for byte under raw/sha256/, plus a manifest row per discovered URL (status, "
        "final URL, charset, size, sha256, and the reason for any failure)."
    ),
    metadata={"dagster/column_schema": column_schema(schemas.MANIFEST)},
    check_specs=[dg.AssetCheckSpec(
        "fetch_failure_share", asset=TABLES.raw_html,
        description=f"Failed URLs (retried on the next run) stay under {FETCH_FAILURE_SHARE_LIMIT:.0%} of the "
                    "URLs the run fetched or tried; more means a site is throttling us or down.")],
)
def raw_html(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource, sources: SourcesResource
) -> dg.MaterializeResult:
    lake, days = warehouse.lake(), partition_keys(context)
    srcs = sources.load()
    # Fetching is I/O-bound and polite per host; days run one after another.
    cache = RunCache()  # what the days of this run share: folder indexes, discovery, fetch state
    # the later steps' pools fork from this process's server: its imports use the core fetching leaves
    # idle (only when those steps run in this process: execute_in_process, the benchmarks)
    prestart(days, warehouse.workers)
    observe = _observer(context, lake, days, [RAW])
    results = []
    for d in days:
        try:
            results.append(pipeline.run_raw_html(lake, d, srcs, cache))
            if observe:
                observe(results[-1])
        except SourceUnavailable as e:
            # the run fails with the reason up front; days already done keep their files
            raise dg.Failure(description=f"publish date {d}: {e}",
                             metadata={"publish_date": d, "days_done": len(results)}) from e
    totals = _totals(results)
    tried = totals.get("fetched", 0) + totals.get("failed", 0)
    share = totals.get("failed", 0) / tried if tried else 0.0
    check = dg.AssetCheckResult(
        check_name="fetch_failure_share", passed=share <= FETCH_FAILURE_SHARE_LIMIT,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={"share": share, "failed": totals.get("failed", 0), "tried": tried,
                  "reasons": dg.MetadataValue.json(_totals(results, "reasons"))},
    )
    return _report(context, lake, RAW, results, {
        "fetched": totals.get("fetched", 0),
        "failed": totals.get("failed", 0),
        "skipped": totals.get("skipped", 0),
        "quarantined": sum(r.quarantined for r in results),
        "sources": ", ".join(s.name for s in srcs),
    }, check_results=[check])


@dg.asset(
    partitions_def=publish_date_partitions,
    backfill_policy=SINGLE_RUN,
    group_name=GROUP,
    kinds={"python", "parquet"},
    deps=[raw_html],
    code_version=f"parser-{PARSER_VERSION}-rows-{pipeline.ARTICLES_ROWS_VERSION}",
    description=(
        "Parsed articles of the day: title, publish time, category, 来源 source, 本文转自 origin, "
        "dateline, authors, main body text, related links. Non-article, undated, empty and "
        "unparseable pages go to quarantine_articles with their reason."
    ),
    metadata={"dagster/column_schema": column_schema(schemas.ARTICLES)},
    check_specs=[dg.AssetCheckSpec("bad_page_share", asset=TABLES.articles,
                                   description=f"Quarantined pages stay under {BAD_PAGE_SHARE_LIMIT:.0%} of the run's pages.")],
)
def articles(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    lake, days = warehouse.lake(), partition_keys(context)
    results = run_days(pipeline.run_articles, lake, days, warehouse.workers,
                       each=_observer(context, lake, days, [ARTICLES]))
    pages = sum(r.inputs for r in results)
    bad = sum(r.quarantined for r in results)
    share = bad / pages if pages else 0.0
    yield _report(context, lake, ARTICLES, results, {
        "pages": pages,
        "quarantined": bad,
        "quarantine_reasons": dg.MetadataValue.json(_totals(results)),
    })
    yield dg.AssetCheckResult(
        check_name="bad_page_share",
        passed=share <= BAD_PAGE_SHARE_LIMIT,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={"share": share, "quarantined": bad, "pages": pages},
    )


FACT_SPECS = [
    dg.AssetSpec(
        TABLES.facts, deps=[TABLES.articles], group_name=GROUP, kinds={"python", "parquet"},
        description="Money, count and percent facts with exact values, linked to region, period and metric, "
                    "each with its sentence and character offsets.",
        metadata={"dagster/column_schema": column_schema(schemas.FACTS)},
    ),
    dg.AssetSpec(
        TABLES.region_mentions, deps=[TABLES.articles], group_name=GROUP, kinds={"python", "parquet"},
        description="Every mention of a Chinese division (GB/T 2260 code valid at the publish date), "
                    "country or macro region in an article body, with offsets.",
        metadata={"dagster/column_schema": column_schema(schemas.REGION_MENTIONS)},
    ),
    dg.AssetSpec(
        TABLES.date_mentions, deps=[TABLES.articles], group_name=GROUP, kinds={"python", "parquet"},
        description="Every date or period expression resolved against the publish date to an interval.",
        metadata={"dagster/column_schema": column_schema(schemas.DATE_MENTIONS)},
    ),
]


@dg.multi_asset(
    specs=FACT_SPECS,
    partitions_def=publish_date_partitions,
    backfill_policy=SINGLE_RUN,
    code_version=f"extractor-{EXTRACTOR_VERSION}-rows-{pipeline.FACTS_ROWS_VERSION}",
    name="extract_facts",
)
def extract_facts(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    lake, days = warehouse.lake(), partition_keys(context)
    results = run_days(pipeline.run_facts, lake, days, warehouse.workers,
                       each=_observer(context, lake, days, FACT_TABLES))
    bad = sum(r.quarantined for r in results)
    yield _report(context, lake, FACT_TABLES[0], results, {
        "articles": sum(r.inputs for r in results),
        "quarantined": bad,
        "truncated_for_facts": sum(r.counts.get("truncated_for_facts", 0) for r in results),
    })
    for t in FACT_TABLES[1:]:
        yield _report(context, lake, t, results, {})
