"""A backfill end to end: N pages over D publish dates, from a loopback web site to the DuckDB warehouse.

A loopback HTTP server, in a process of its own, serves a generated site kept on disk: a sitemap index with one news sitemap per publish
date, and N pages built from the real corpus pages (benchmarks/pipeline_throughput.corpus_pages) with
their publish date moved to the target day and their numbers and region names varied per copy, so no
two pages are the same bytes and nothing is cached away. Then, as one Dagster run over the range
(the local default) or, with --celery, as a GraphQL backfill on the deploy/celery/ deployment
(started here with its own ports and stopped by PID at the end):

    python benchmarks/backfill.py --pages 10000 --days 365
    python benchmarks/backfill.py --pages 2000 --days 30 --celery
    python benchmarks/backfill.py --corpus ../shared/corpus --pages 100000 --days 365

Prints wall time per stage (fetch = raw_html, articles, facts, warehouse build), pages/s, the peak RSS
of every process (this one, its largest child; with --celery every worker process), and the share of
the lake steps' wall time spent outside the project's own stage functions (Dagster, process start-up,
event writes, idle cores): 1 - (seconds inside pipeline.run_*, as each day's process measured them and
its observation carries, summed over days / processes) / step wall time.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import multiprocessing
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from pipeline_throughput import corpus_pages  # noqa: E402

from news_assets.sources.testserver import LoopbackServer, Reply  # noqa: E402

PROVINCES = ["北京", "天津", "河北", "山西", "辽宁", "吉林", "上海", "江苏", "浙江", "安徽", "福建", "江西",
             "山东", "河南", "湖北", "湖南", "广东", "广西", "海南", "重庆", "四川", "贵州", "云南", "陕西",
             "甘肃", "青海", "宁夏", "新疆"]
_AMOUNT = re.compile(r"(\d+(?:\.\d+)?)(?=\s*(?:亿|万|家|%|个|名|元|美元|吨))")


def _date_forms(d: dt.date) -> list[str]:
    return [d.isoformat(), f"{d.year}年{d.month:02d}月{d.day:02d}日", f"{d.year}年{d.month}月{d.day}日",
            f"{d.year}/{d.month:02d}/{d.day:02d}", f"{d.year}.{d.month:02d}.{d.day:02d}", d.strftime("%Y%m%d")]


def templates(corpus: Path) -> list[tuple[str, dt.date]]:
    """(decoded html, publish date) of every corpus page the parser dates: the pages to vary."""
    from news_assets.parse import parse_html

    out = []
    for url, data in corpus_pages(corpus):
        art = parse_html(data, url if url.startswith("http") else f"http://example.com/{url}")
        if art.is_article and art.publish_time is not None and (art.body or "").strip():
            out.append((data.decode(art.charset or "utf-8", errors="replace"), art.publish_time.date()))
    return out


class Template:
    """A corpus page cut once into literal text and slots (its publish date's forms, its amounts),
    so a varied copy is one join: regex passes over every copy made a 100k-page site take minutes."""

    def __init__(self, html: str, old: dt.date):
        html = re.sub(r"<meta[^>]+charset=[^>]+>", '<meta charset="utf-8">', html, count=1, flags=re.I)
        forms = _date_forms(old)
        alts = sorted(set(forms), key=len, reverse=True)
        cut = re.compile("|".join(map(re.escape, alts)) + "|" + _AMOUNT.pattern)
        self.parts: list[str | int | float] = []  # str literal, int date form index, float amount
        pos = 0
        for m in cut.finditer(html):
            self.parts.append(html[pos:m.start()])
            self.parts.append(forms.index(m.group(0)) if m.group(1) is None else float(m.group(1)))
            pos = m.end()
        self.parts.append(html[pos:])
        self.provinces = [p for p in PROVINCES if p in html]

    def vary(self, new: dt.date, rng: random.Random) -> bytes:
        """The page moved to `new`, its amounts scaled and one province swapped for another."""
        forms, factor = _date_forms(new), 1 + rng.randint(1, 90) / 100
        html = "".join(p if isinstance(p, str) else forms[p] if isinstance(p, int)
                       else f"{p * factor:.1f}".rstrip("0").rstrip(".") for p in self.parts)
        if self.provinces:
            html = html.replace(rng.choice(self.provinces), rng.choice(PROVINCES))
        return html.encode("utf-8")


ORIGIN = "http://site.invalid"  # written into the sitemaps; the server puts its own address there
TYPES = {".xml": "application/xml", ".txt": "text/plain"}  # the documents that name the site; else a page


def build_site(pages: int, days: list[str], corpus: Path, folder: Path) -> None:
    """The site as files (pages, one news sitemap per day, the index, robots.txt): a 100k-page site
    does not fit in memory, and its server runs in a process of its own (serve_site)."""
    tpl = [Template(html, old) for html, old in templates(corpus)]
    rng = random.Random(11)
    per_day: dict[str, list[str]] = {d: [] for d in days}
    for i in range(pages):
        day = days[i % len(days)]
        path = f"news/{day.replace('-', '')}/{i}.html"
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_bytes(tpl[i % len(tpl)].vary(dt.date.fromisoformat(day), rng))
        per_day[day].append(path)
    ns = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"'
    for day, paths in per_day.items():
        urls = "".join(f"<url><loc>{ORIGIN}/{p}</loc><news:news><news:publication><news:name>Bench</news:name>"
                       f"<news:language>zh</news:language></news:publication><news:publication_date>{day}T10:00:00+08:00"
                       f"</news:publication_date><news:title>t</news:title></news:news></url>" for p in paths)
        (folder / f"sitemap-{day}.xml").write_text(
            f'<?xml version="1.0" encoding="UTF-8"?><urlset {ns}>{urls}</urlset>', encoding="utf-8")
    index = "".join(f"<sitemap><loc>{ORIGIN}/sitemap-{d}.xml</loc><lastmod>{d}</lastmod></sitemap>" for d in days)
    (folder / "sitemap.xml").write_text(
        f'<?xml version="1.0" encoding="UTF-8"?><sitemapindex {ns}>{index}</sitemapindex>', encoding="utf-8")
    (folder / "robots.txt").write_text("User-agent: *\nAllow: /\n", encoding="utf-8")


def serve_site(folder: str, conn) -> None:
    """Serve `folder` on 127.0.0.1 until told to stop. A process of its own: a remote site does not
    share the fetcher's interpreter (in-process, its threads took the step's GIL)."""
    def route(file: Path):
        ctype = TYPES.get(file.suffix)
        if ctype is None:  # a page: its bytes as written
            return lambda _headers: Reply(file.read_bytes())
        return lambda _headers: Reply(file.read_bytes().replace(ORIGIN.encode(), base), content_type=ctype)

    srv = LoopbackServer()
    base = srv.base.encode()
    for f in Path(folder).rglob("*"):
        if f.is_file():
            srv.routes["/" + f.relative_to(folder).as_posix()] = route(f)
    with srv:
        conn.send(srv.base)
        conn.recv()  # "stop", or EOF when the parent is gone
        srv.log.clear()


def step_seconds(instance, run_id: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for s in instance.get_run_step_stats(run_id):
        if s.end_time and s.start_time:
            out[s.step_key] = out.get(s.step_key, 0.0) + s.end_time - s.start_time
    return out




def own_seconds(instance, run_id: str) -> dict[str, float]:
    """Per step, the seconds its days spent in the stage functions (each day's observation carries
    the time its own process measured: pipeline._timed)."""
    import dagster as dg

    from news_assets.assets.lake_assets import ARTICLES, FACT_TABLES, RAW

    by_asset: dict[str, float] = {}
    for rec in instance.all_logs(run_id, of_type=dg.DagsterEventType.ASSET_OBSERVATION):
        obs = rec.dagster_event.event_specific_data.asset_observation
        secs = obs.metadata.get("seconds")
        if secs is not None:
            name = obs.asset_key.to_user_string()
            by_asset[name] = by_asset.get(name, 0.0) + secs.value
    steps = {"raw_html": RAW, "articles": ARTICLES, "extract_facts": FACT_TABLES[0]}  # the table each step's seconds ride on
    return {step: by_asset.get(t.key, 0.0) for step, t in steps.items()}


def run_local(root: Path, days: list[str], workers: int) -> tuple[dict[str, float], float, dict[str, float]]:
    import dagster as dg

    from news_assets import dagster_storage
    from news_assets.definitions import defs
    from news_assets.lake import Lake
    from news_assets.resources import SourcesResource, WarehouseResource
    from news_assets.sqlproject import SqlProject

    resources = {"warehouse": WarehouseResource(root=str(root), workers=workers), "sources": SourcesResource()}
    with tempfile.TemporaryDirectory() as home, dg.instance_for_test(
            temp_dir=home, overrides=dagster_storage.overrides(home)) as instance:  # dagster.yaml's storage
        t0 = time.perf_counter()
        result = defs.resolve_job_def("news_job").execute_in_process(
            instance=instance, resources=resources,
            run_config={"loggers": {"console": {"config": {"log_level": "ERROR"}}}},
            tags={"dagster/asset_partition_range_start": days[0], "dagster/asset_partition_range_end": days[-1]})
        wall = time.perf_counter() - t0
        assert result.success, "news_job failed"
        stages = step_seconds(instance, result.run_id)
        own = own_seconds(instance, result.run_id)
    print(f"peak RSS: this process after the lake steps {peak_mb():.0f} MB")
    t0 = time.perf_counter()
    SqlProject().build(Lake(root))
    stages["warehouse build"] = time.perf_counter() - t0
    print(f"peak RSS: this process after the warehouse build {peak_mb():.0f} MB")
    return stages, wall, own


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def lake_counts(root: Path, days: list[str]) -> dict[str, int]:
    """Rows the run wrote, so a figure is never quoted for a run that quarantined everything."""
    from news_assets.lake import Lake

    lake = Lake(root)
    out = {}
    for table in ("raw_html", "articles", "quarantine_articles", "facts"):
        out[table] = sum(df.height for d in days if (df := lake.read_partition(table, d)) is not None)
    return out


def vm_hwm_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def run_celery(tmp: Path, days: list[str], sources: Path) -> tuple[dict[str, float], float, dict[str, float]]:
    """Start deploy/celery (own ports), backfill, read every worker's peak RSS, stop by PID."""
    sys.path.insert(0, str(ROOT / "tests"))
    import importlib.util

    from scale_support import free_port

    spec = importlib.util.spec_from_file_location("deploy_backfill", ROOT / "deploy" / "celery" / "backfill.py")
    bf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bf)
    run_dir, web = tmp / "run", free_port()
    env = {**os.environ, "NEWS_SCALE_RUN": str(run_dir), "NEWS_REDIS_PORT": str(free_port()),
           "NEWS_S3_PORT": str(free_port()), "NEWS_WEB_PORT": str(web), "NEWS_SOURCES": str(sources),
           "NEWS_WAREHOUSE_DB": str(tmp / "celery.duckdb"), "DAGSTER_HOME": str(run_dir / "dagster_home")}
    env.pop("NEWS_WAREHOUSE_DIR", None)
    rss: dict[str, float] = {}
    try:
        subprocess.run([str(ROOT / "deploy" / "celery" / "start.sh")], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        client = bf.Client(f"http://127.0.0.1:{web}")
        t0 = time.perf_counter()
        state, builds = client.wait(client.launch(days, "bench"), 6 * 3600)
        wall = time.perf_counter() - t0
        for pidfile in run_dir.glob("*.pid"):
            pgid = int(pidfile.read_text())
            for p in Path("/proc").iterdir():
                if p.name.isdigit():
                    try:
                        if os.getpgid(int(p.name)) == pgid:
                            rss[f"{pidfile.stem}:{p.name}"] = vm_hwm_mb(int(p.name))
                    except (ProcessLookupError, FileNotFoundError, PermissionError):
                        pass
        print(f"backfill {state['status']}, {len(state['runs'])} runs; builds {[b['status'] for b in builds]}")
    finally:
        subprocess.run([str(ROOT / "deploy" / "celery" / "stop.sh")], env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    return {}, wall, rss


@contextlib.contextmanager
def site_server(folder: Path):
    """serve_site in a spawned process; yields its base URL; stopped (by PID if need be) at exit."""
    ctx = multiprocessing.get_context("spawn")
    mine, theirs = ctx.Pipe()
    proc = ctx.Process(target=serve_site, args=(str(folder), theirs), daemon=True)
    proc.start()
    try:
        if not mine.poll(120):
            raise RuntimeError("the site server did not start")
        yield mine.recv()
        print(f"peak RSS: site server {vm_hwm_mb(proc.pid):.0f} MB")
    finally:
        with contextlib.suppress(OSError):
            mine.send("stop")
        proc.join(10)
        if proc.is_alive():
            proc.kill()
            proc.join(5)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    ap.add_argument("--pages", type=int, default=10000)
    ap.add_argument("--days", type=int, default=365)
    ap.add_argument("--start", default="2024-01-01")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--celery", action="store_true", help="run on the deploy/celery/ deployment")
    ap.add_argument("--keep", metavar="DIR", help="build the lake (and DuckDB file) here and keep it, to compare runs")
    args = ap.parse_args()
    warnings.filterwarnings("ignore")
    start = dt.date.fromisoformat(args.start)
    days = [(start + dt.timedelta(days=i)).isoformat() for i in range(args.days)]
    with tempfile.TemporaryDirectory() as tmp_s:
        tmp = Path(tmp_s)
        t0 = time.perf_counter()
        build_site(args.pages, days, Path(args.corpus), tmp / "site")
        os.sync()  # the site's gigabytes flushed now, not during the timed run's own writes
        print(f"site: {args.pages} pages over {len(days)} publish dates ({time.perf_counter() - t0:.1f} s to build)")
        with site_server(tmp / "site") as base:
            return run(args, days, tmp, base)


def run(args, days: list[str], tmp: Path, base: str) -> int:
    """Everything after the site is up: the pipeline, locally or on Celery, and the figures."""
    sources = tmp / "sources.yaml"
    sources.write_text(f"- name: bench\n  type: sitemap\n  url: {base}/sitemap.xml\n"
                       f"  delay: 0\n  per_host: 16\n  concurrency: 16\n"
                       f"  max_sitemaps: {len(days) + 10}\n",  # one sitemap per day, as news sites keep them
                       encoding="utf-8")
    os.environ["NEWS_SOURCES"] = str(sources)
    if args.celery:
        _, wall, rss = run_celery(tmp, days, sources)
        print(f"{'end to end (celery)':<24}{wall:>9.1f} s{args.pages / wall:>9.0f} pages/s")
        for k, v in sorted(rss.items()):
            print(f"peak RSS {k:<28}{v:>8.0f} MB")
        return 0
    root = Path(args.keep) if args.keep else tmp / "lake"
    stages, wall, own = run_local(root, days, args.workers)
    counts = lake_counts(root, days)
    print("rows: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    total = wall + stages["warehouse build"]
    print(f"{'stage':<24}{'seconds':>9}{'pages/s':>10}")
    for k, v in stages.items():
        print(f"{k:<24}{v:>9.1f}{args.pages / v if v else 0:>10.0f}")
    print(f"{'end to end':<24}{total:>9.1f}{args.pages / total:>10.0f}")
    procs = {"raw_html": 1, "articles": args.workers, "extract_facts": args.workers}  # days run sequentially in raw_html
    step_wall = sum(stages.get(k, 0.0) for k in procs)
    inside = sum(own[k] / n for k, n in procs.items())
    for k, n in procs.items():
        if stages.get(k):
            print(f"  {k}: own code {own[k]:.1f} s over {n} process(es), {1 - own[k] / n / stages[k]:.0%} of its wall time outside it")
    print(f"outside own code (the three lake steps): {1 - inside / step_wall:.0%}  ({inside:.1f} s of "
          f"{step_wall:.1f} s step wall time in the stage functions; the rest is Dagster, the process pool, idle cores)")
    print(f"peak RSS: this process {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB, "
          f"largest child {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
