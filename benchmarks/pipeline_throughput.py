"""End-to-end throughput of the partitioned stages through Dagster: raw HTML -> articles -> facts.

Spreads N real pages (the corpus news pages, repeated) over D publish dates as already-fetched raw
HTML with manifests, then materialises `articles` and the facts step over the whole range as ONE
run (single-run backfill, days fanned out to worker processes), the way a year's backfill runs.

    python benchmarks/pipeline_throughput.py --pages 20000 --days 365
    python benchmarks/pipeline_throughput.py --corpus ../shared/corpus --workers 2
    python benchmarks/pipeline_throughput.py --fixed-cost --pages 60 --days 30

--fixed-cost runs the same pages over 2 dates and over --days dates and prints the difference per extra
partition: the fixed cost of a partition in a range run (issue 11). The baseline has two dates, not one:
a one-date run executes in the step's own process, a longer one starts the worker pool once per run,
and that start (about 3 s here) is a cost of the run, not of each partition. A first untimed run of
the baseline takes the process's one-off costs (the fork server and its imports), which would
otherwise fall on whichever run comes first.

Prints pages/s, articles and facts written, and peak memory of the parent and of one worker.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import resource
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import dagster as dg  # noqa: E402

from news_assets import dagster_storage, schemas  # noqa: E402
from news_assets.assets.lake_assets import articles, extract_facts, raw_html  # noqa: E402
from news_assets.lake import Lake  # noqa: E402
from news_assets.resources import SourcesResource, WarehouseResource  # noqa: E402
from news_assets.sources.config import bundled_sample_dir  # noqa: E402

# A page's rel=canonical / og:url names the article it is: copies of one template would all be one
# article (and de-duplicated), so the benchmark's copies drop it and each counts under its own URL.
_CANONICAL = re.compile(rb"<link[^>]*rel=[\"']?canonical[^>]*>|<meta[^>]*og:url[^>]*>", re.I)


def corpus_pages(corpus: Path) -> list[tuple[str, bytes]]:
    """(url, raw bytes without canonical links) of the bundled sample and the corpus news pages."""
    return [(url, _CANONICAL.sub(b"", data)) for url, data in _corpus_pages(corpus)]


def _corpus_pages(corpus: Path) -> list[tuple[str, bytes]]:
    pages = [(f"sample/{p.name}", p.read_bytes()) for p in sorted(bundled_sample_dir().glob("*.html"))]
    mh = corpus / "magic-html"
    if (mh / "ground_truth.json").exists():
        gt = json.loads((mh / "ground_truth.json").read_text(encoding="utf-8"))
        for key, v in sorted(gt.items()):
            if v.get("kind") == "news":
                pages.append((v["url"], (mh / "htmls" / f"{key}.html").read_bytes()))
    cw = corpus / "cwced"
    if (cw / "kinds.json").exists():
        kinds = json.loads((cw / "kinds.json").read_text(encoding="utf-8"))
        for key, kind in sorted(kinds.items()):
            if kind == "news":
                pages.append((f"cwced/{key}", (cw / "original" / f"{key}.html").read_bytes()))
    return pages


def seed_lake(lake: Lake, pages: list[tuple[str, bytes]], n: int, days: list[str]) -> None:
    shas = [lake.put_raw(data) for _, data in pages]
    per_day: dict[str, list[dict]] = {d: [] for d in days}
    now = dt.datetime.now(dt.UTC)
    for i in range(n):
        url, _ = pages[i % len(pages)]
        url += f"{'&' if '?' in url else '?'}copy={i}"  # a query, not a fragment: fragments are not identity
        day = days[i % len(days)]
        per_day[day].append({
            "publish_date": day, "source": "bench", "url": url, "final_url": url,
            "status": 200, "outcome": "fetched", "fetched_at": now, "content_type": "text/html",
            "size": len(pages[i % len(pages)][1]), "sha256": shas[i % len(pages)], "date_source": "listing",
        })
    for day, rows in per_day.items():
        lake.write_partition("raw_html", day, schemas.frame(rows, schemas.MANIFEST))


def run_range(pages, n: int, days: list[str], workers: int, warehouse: str | None = None) -> dict:
    """Seed the lake, run articles + facts over `days` as one run; seconds and rows."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(warehouse or tmp)
        lake = Lake(root)
        t0 = time.perf_counter()
        seed_lake(lake, pages, n, days)
        seed_s = time.perf_counter() - t0
        job = dg.define_asset_job("bench", selection=dg.AssetSelection.assets(articles, extract_facts))
        defs = dg.Definitions(
            assets=[raw_html, articles, extract_facts], jobs=[job],
            resources={"warehouse": WarehouseResource(root=str(root), workers=workers),
                       "sources": SourcesResource(bundled_sample=True)},
        )
        t0 = time.perf_counter()
        with tempfile.TemporaryDirectory() as home, dg.instance_for_test(
                temp_dir=home, overrides=dagster_storage.overrides(home)) as instance:  # dagster.yaml's storage
            result = defs.resolve_job_def("bench").execute_in_process(
                instance=instance,
                run_config={"loggers": {"console": {"config": {"log_level": "ERROR"}}}},
                tags={"dagster/asset_partition_range_start": days[0],
                      "dagster/asset_partition_range_end": days[-1]},
            )
        run_s = time.perf_counter() - t0
        assert result.success
        counts = {t: sum(lake.read_partition(t, d).height for d in days)
                  for t in ("articles", "quarantine_articles", "facts", "region_mentions")}
    return {"seed_s": seed_s, "run_s": run_s, **counts}


class EventWrites:
    """Time and count of Dagster's event-log writes (DagsterInstance.handle_new_event), to tell
    Dagster's per-partition bookkeeping apart from the project's own per-partition work."""

    def __init__(self):
        self.n, self.s = 0, 0.0
        self._orig = dg.DagsterInstance.handle_new_event

    def __enter__(self):
        orig, me = self._orig, self

        def timed(inst, *a, **kw):
            t = time.perf_counter()
            try:
                return orig(inst, *a, **kw)
            finally:
                me.n, me.s = me.n + 1, me.s + time.perf_counter() - t

        dg.DagsterInstance.handle_new_event = timed
        return self

    def __exit__(self, *exc):
        dg.DagsterInstance.handle_new_event = self._orig


def fixed_cost(pages, args, days: list[str]) -> int:
    if len(days) < 3:
        raise SystemExit("--fixed-cost needs --days 3 or more (the baseline run has 2)")
    # untimed first: the process's one-off costs (the fork server and its imports) belong to no run
    run_range(pages, args.pages, days[:2], args.workers)
    with EventWrites() as ev1:
        two = run_range(pages, args.pages, days[:2], args.workers)
    with EventWrites() as evn:
        many = run_range(pages, args.pages, days, args.workers)
    extra = len(days) - 2
    per = (many["run_s"] - two["run_s"]) / extra * 1000
    ev_per = (evn.s - ev1.s) / extra * 1000
    print(f"{args.pages} pages: 2 publish dates {two['run_s']:.1f} s, {len(days)} publish dates {many['run_s']:.1f} s")
    print(f"fixed cost per extra partition (articles + facts, one range run): {per:.0f} ms")
    print(f"  of which Dagster event-log writes: {ev_per:.0f} ms ({(evn.n - ev1.n) / extra:.1f} events per partition, "
          f"{evn.s / evn.n * 1000:.1f} ms per event); everything else: {per - ev_per:.0f} ms")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    ap.add_argument("--pages", type=int, default=20000)
    ap.add_argument("--days", type=int, default=365)
    ap.add_argument("--start", default="2024-01-01")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--warehouse", help="keep the lake here (default: a temporary directory)")
    ap.add_argument("--fixed-cost", action="store_true", help="2 dates vs --days dates: cost per partition")
    args = ap.parse_args()
    warnings.filterwarnings("ignore")

    pages = corpus_pages(Path(args.corpus))
    start = dt.date.fromisoformat(args.start)
    days = [(start + dt.timedelta(days=i)).isoformat() for i in range(args.days)]
    if args.fixed_cost:
        return fixed_cost(pages, args, days)
    r = run_range(pages, args.pages, days, args.workers, args.warehouse)
    seed_s, run_s = r["seed_s"], r["run_s"]
    n_articles, n_quar, n_facts, n_regions = (r["articles"], r["quarantine_articles"], r["facts"],
                                              r["region_mentions"])

    self_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"templates: {len(pages)} distinct real pages; {args.pages} pages over {len(days)} publish dates; "
          f"{args.workers} worker processes")
    print(f"{'stage':<28}{'seconds':>9}{'pages/s':>10}")
    print(f"{'seed raw store + manifests':<28}{seed_s:>9.1f}{args.pages / seed_s:>10.0f}")
    print(f"{'articles + facts (1 run)':<28}{run_s:>9.1f}{args.pages / run_s:>10.0f}")
    print(f"articles {n_articles}, quarantined {n_quar}, "
          f"facts {n_facts}, region mentions {n_regions}")
    print(f"peak RSS: parent {self_mb:.0f} MB, largest worker {child_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
