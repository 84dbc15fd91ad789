"""How long the DuckDB warehouse takes to refresh after one new day lands, as history grows.

Writes a synthetic lake (news_assets.lake.Lake + news_assets.schemas, the same files the Dagster assets
write) of N pages of history spread over 365 publish dates, cloned from the bundled sample's parsed
articles, facts and mentions with fresh ids (one page in ten is a reprint of an earlier story), builds
the warehouse once, then lands one more day of pages and times the refresh.

    python benchmarks/warehouse_refresh.py                 # 1k and 100k pages of history
    python benchmarks/warehouse_refresh.py --pages 1000 --tmp /tmp/bench
    python benchmarks/warehouse_refresh.py --pages 1000 --dbt   # also time dbt build (pip install -e '.[dbt]')

The template lake comes from `news-warehouse demo` over the bundled sample, run here in a temporary
directory (about 6 s) unless --template names an existing warehouse directory.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import duckdb
import polars as pl

from news_assets import schemas
from news_assets.lake import Lake
from news_assets.sqlproject import SqlProject, table_checksums

TABLES = {"articles": schemas.ARTICLES, "facts": schemas.FACTS, "region_mentions": schemas.REGION_MENTIONS,
          "date_mentions": schemas.DATE_MENTIONS}
FIRST_DAY = date(2023, 1, 1)
DAYS = 365


def template(path: Path | None) -> Lake:
    if path is None:
        path = Path(tempfile.mkdtemp(prefix="bench-template-"))
        subprocess.run([sys.executable, "-m", "news_assets.cli", "demo", "--warehouse", str(path)],
                       check=True, stdout=subprocess.DEVNULL)
    return Lake(path)


def load_template(lake: Lake) -> dict[str, pl.DataFrame]:
    out = {}
    for t in [*TABLES, "raw_html"]:
        files = lake.partition_files(t)
        out[t] = pl.concat([pl.read_parquet(f) for f in files], how="vertical_relaxed")
    return out


def _hid(*parts) -> str:
    return hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:16]


def write_day(lake: Lake, tpl: dict[str, pl.DataFrame], day: str, n: int, rng: random.Random,
              earlier: list[dict]) -> list[dict]:
    """n synthetic pages for one publish date; returns the new articles' (id, body_sha256, simhash)."""
    arts = tpl["articles"]
    picks = [rng.randrange(arts.height) for _ in range(n)]
    new_ids = [_hid(day, i) for i in range(n)]
    base = arts[picks].with_columns(
        pl.Series("article_id", new_ids),
        pl.Series("template_id", arts["article_id"].gather(picks)),
        pl.lit(day).alias("publish_date"),
        pl.Series("url", [f"https://site{rng.randrange(40)}.example.cn/{i}.html" for i in new_ids]),
        pl.Series("raw_sha256", [hashlib.sha256(i.encode()).hexdigest() for i in new_ids]),
    )
    sha, sim = [], []
    for i in range(n):  # one in ten pages reprints an earlier story: same body hash, simhash 1 bit off
        if earlier and rng.random() < 0.1:
            src = earlier[rng.randrange(max(0, len(earlier) - 3000), len(earlier))]
            sha.append(src["body_sha256"])
            sim.append(src["simhash"] ^ (1 << rng.randrange(64)))
        else:
            sha.append(hashlib.sha256(new_ids[i].encode()).hexdigest())
            sim.append(rng.getrandbits(64))
    base = base.with_columns(pl.Series("body_sha256", sha), pl.Series("simhash", sim, dtype=pl.UInt64))
    pt = base["publish_time"]
    base = base.with_columns(
        (pl.lit(day).str.to_datetime("%Y-%m-%d", time_zone="UTC") + (pt.dt.hour().cast(pl.Int64) * 3_600_000_000).cast(pl.Duration("us"))).alias("publish_time"))
    lake.write_partition("articles", day, base.select(list(schemas.ARTICLES)).cast(schemas.ARTICLES))
    link = base.select("article_id", "template_id")
    for t in ("facts", "region_mentions", "date_mentions"):
        df = link.join(tpl[t].drop("publish_date").rename({"article_id": "template_id"}), on="template_id")
        df = df.drop("template_id").with_columns(pl.lit(day).alias("publish_date"))
        if t == "facts":
            df = df.with_columns(pl.concat_str("article_id", pl.lit("-"), pl.col("start").cast(pl.String),
                                               pl.lit("-"), "kind", pl.lit("-"), pl.col("end").cast(pl.String))
                                 .alias("fact_id"))
        lake.write_partition(t, day, df.select(list(TABLES[t])).cast(TABLES[t]))
    manifest = base.select(pl.lit(day).alias("publish_date"), pl.lit("bench").alias("source"), "url",
                           pl.col("url").alias("final_url"), pl.lit(200, pl.Int32).alias("status"),
                           pl.lit("fetched").alias("outcome"), pl.col("raw_sha256").alias("sha256"))
    lake.write_partition("raw_html", day, schemas.frame(manifest.to_dicts(), schemas.MANIFEST))
    for stage in ("raw_html", "articles", "facts"):
        lake.write_partition(f"quarantine_{stage}", day, schemas.frame([], schemas.QUARANTINE))
    return base.select("article_id", "body_sha256", "simhash").to_dicts()


def write_history(lake: Lake, tpl, pages: int, seed: int = 7) -> tuple[str, list[dict]]:
    rng = random.Random(seed)
    earlier: list[dict] = []
    per_day, extra = divmod(pages, DAYS)
    for k in range(DAYS):
        day = (FIRST_DAY + timedelta(days=k)).isoformat()
        earlier += write_day(lake, tpl, day, per_day + (1 if k < extra else 0), rng, earlier)
    return (FIRST_DAY + timedelta(days=DAYS)).isoformat(), earlier


def checksum(path: Path) -> tuple[int, int]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return (con.execute("select count(*) from articles").fetchone()[0],
                con.execute("select count(*) from facts").fetchone()[0])
    finally:
        con.close()


def dbt_build(lake: Lake, tmp: Path, *extra: str) -> float:
    """Seconds of `dbt build` of dbt_like_sql/ over this lake (into <lake>/dbt.duckdb), as a user runs it."""
    project_dir = Path(__file__).resolve().parent.parent / "dbt_like_sql"
    env = {**os.environ, "NEWS_WAREHOUSE_DIR": str(lake.root.path), "DO_NOT_TRACK": "1"}
    t0 = time.perf_counter()
    subprocess.run([str(Path(sys.executable).with_name("dbt")), "build", *extra, "--project-dir", str(project_dir),
                    "--profiles-dir", str(project_dir), "--target-path", str(tmp / "dbt-target"),
                    "--log-path", str(tmp / "dbt-logs")], check=True, env=env, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def bench(pages: int, tmp: Path, tpl, project: SqlProject, with_dbt: bool = False) -> dict:
    root = tmp / f"lake-{pages}"
    shutil.rmtree(root, ignore_errors=True)
    lake = Lake(root)
    t0 = time.perf_counter()
    new_day, earlier = write_history(lake, tpl, pages)
    t_write = time.perf_counter() - t0
    first = project.build(lake)
    refresh_nothing = project.build(lake)  # nothing changed since the last build
    dbt_first = dbt_build(lake, tmp) if with_dbt else None
    write_day(lake, tpl, new_day, max(1, pages // DAYS), random.Random(99), earlier)
    refresh = project.build(lake)
    dbt_refresh = dbt_build(lake, tmp, "--vars", f"{{changed_dates: ['{new_day}']}}") if with_dbt else None
    arts, facts = checksum(refresh.path)
    incremental = table_checksums(refresh.path, project.order)
    full = project.build(lake, tmp / f"full-{pages}.duckdb", full_refresh=True)
    same = incremental == table_checksums(full.path, project.order)
    full.path.unlink()
    return {"pages": pages, "write_lake_s": t_write, "first_build_s": first.seconds,
            "refresh_unchanged_s": refresh_nothing.seconds, "refresh_new_day_s": refresh.seconds,
            "mode": getattr(refresh, "mode", "full"), "articles": arts, "facts": facts,
            "db_mb": refresh.path.stat().st_size / 1e6, "full_rebuild_s": full.seconds,
            "same": "yes" if same else "NO", "dbt_first_s": dbt_first, "dbt_refresh_s": dbt_refresh}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, nargs="*", default=[1000, 100000])
    ap.add_argument("--tmp", type=Path, default=None, help="scratch directory (default: a temporary one)")
    ap.add_argument("--template", type=Path, default=None, help="a warehouse directory to clone pages from")
    ap.add_argument("--keep", action="store_true", help="keep the synthetic lakes")
    ap.add_argument("--dbt", action="store_true", help="also time dbt build, full and over the new day")
    args = ap.parse_args(argv)
    tmp = args.tmp or Path(tempfile.mkdtemp(prefix="bench-refresh-"))
    tmp.mkdir(parents=True, exist_ok=True)
    tpl = load_template(template(args.template))
    project = SqlProject()
    rows = []
    for n in args.pages:
        r = bench(n, tmp, tpl, project, args.dbt)
        rows.append(r)
        print(f"  {n} pages done", file=sys.stderr)
        if not args.keep:
            shutil.rmtree(tmp / f"lake-{n}", ignore_errors=True)
    print(f"cores: {os.cpu_count()}  duckdb {duckdb.__version__}  models: {len(project.order)}")
    hdr = ["history pages", "write lake s", "first build s", "refresh, nothing new s", "refresh after new day s",
           "mode", "same tables as a full rebuild", "full rebuild s", "articles", "facts", "db MB"]
    if args.dbt:
        hdr += ["dbt build s", "dbt build --vars changed_dates s"]
    print(" | ".join(hdr))
    for r in rows:
        print(" | ".join([f"{r['pages']:,}", f"{r['write_lake_s']:.1f}", f"{r['first_build_s']:.2f}",
                          f"{r['refresh_unchanged_s']:.2f}", f"{r['refresh_new_day_s']:.2f}", r["mode"],
                          r["same"], f"{r['full_rebuild_s']:.2f}",
                          f"{r['articles']:,}", f"{r['facts']:,}", f"{r['db_mb']:.0f}",
                          *([f"{r['dbt_first_s']:.2f}", f"{r['dbt_refresh_s']:.2f}"] if args.dbt else [])]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
