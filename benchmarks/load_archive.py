"""`news-warehouse load` on real pages spread over their real publish dates (issue 15).

Copies the CWCED and magic-html pages (each stays on the date its own HTML gives, 1990s..2020s) into
one folder, optionally `--copies` times each (copies land on the same days, as reprints do), then
runs `news-warehouse load` on it with a fresh warehouse and a fresh Dagster home, and checks that
every page the loader dated became an article on that very day or a quarantine row with its reason.

    python benchmarks/load_archive.py                       # corpus at ../shared/corpus
    python benchmarks/load_archive.py --corpus PATH --copies 20

Prints the pages, the span of years, the number of publish dates and of runs, the time, and the
outcome table.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402

from news_assets.cli import main  # noqa: E402
from news_assets.lake import Lake  # noqa: E402
from news_assets.sources import SourceConfig  # noqa: E402
from news_assets.sources.folder import folder_index  # noqa: E402


def corpus_files(corpus: Path) -> list[Path]:
    files = sorted((corpus / "cwced" / "original").glob("*.html"))
    files += sorted((corpus / "magic-html" / "htmls").glob("*.html"))
    if not files:
        raise SystemExit(f"no CWCED or magic-html pages under {corpus}")
    return files


def build_archive(files: list[Path], target: Path, copies: int) -> None:
    for c in range(copies):
        d = target / f"copy{c:03d}"
        d.mkdir(parents=True)
        for f in files:
            shutil.copyfile(f, d / f"{f.parent.parent.name}-{f.name}")


def main_bench(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--copies", type=int, default=1, help="copies of each page (same publish dates)")
    args = ap.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="load_archive_") as tmp:
        tmp = Path(tmp)
        archive = tmp / "pages"
        build_archive(corpus_files(args.corpus), archive, args.copies)
        os.environ["NEWS_WAREHOUSE_DIR"] = str(tmp / "warehouse")
        os.environ.pop("DAGSTER_HOME", None)
        os.environ.pop("NEWS_SOURCES", None)
        cwd = os.getcwd()
        os.chdir(tmp)  # the project-local Dagster home lands in the temp dir
        out = io.StringIO()
        try:
            t0 = time.perf_counter()
            with contextlib.redirect_stdout(out):
                status = main(["load", str(archive)])
            seconds = time.perf_counter() - t0
        finally:
            os.chdir(cwd)
        log = out.getvalue()
        print(log)
        if status != 0:
            print(f"load exited {status}")
            return status
        lake = Lake(tmp / "warehouse")
        index = folder_index(SourceConfig(name="pages", type="folder", path=str(archive)), lake)
        report(index, lake.duckdb_path, seconds, log)
    return 0


def report(index: dict, db: Path, seconds: float, log: str) -> None:
    """Every dated page is an article on its own day, or quarantined with a reason; none is lost."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        arts = {u: str(d) for u, d in con.execute("select url, publish_date from stg_articles").fetchall()}
        quar = dict(con.execute("select url, error_kind from quarantine").fetchall())
    finally:
        con.close()
    days = sorted({m["date"] for m in index.values() if m["date_source"] == "parsed"})
    runs = sum(1 for line in log.splitlines() if line.startswith("run "))
    on_its_day = sum(1 for m in index.values() if m["url"] in arts and arts[m["url"]] == m["date"])
    elsewhere = sum(1 for m in index.values() if m["url"] in arts and arts[m["url"]] != m["date"])
    quarantined = sum(1 for m in index.values() if m["url"] in quar and m["url"] not in arts)
    lost = [m["url"] for m in index.values() if m["url"] not in arts and m["url"] not in quar]
    undated = sum(1 for m in index.values() if m["date_source"] != "parsed")
    print("| pages | dated by their HTML | their publish dates | years | runs | load time | pages/s |")
    print("|---:|---:|---:|---|---:|---:|---:|")
    print(f"| {len(index)} | {len(index) - undated} | {len(days)} | {days[0][:4]}..{days[-1][:4]} | {runs} "
          f"| {seconds:.1f} s | {len(index) / seconds:.1f} |")
    print()
    print("| outcome | pages |")
    print("|---|---:|")
    print(f"| article on its own publish date | {on_its_day} |")
    print(f"| article on another date (a duplicate URL's first copy) | {elsewhere} |")
    print(f"| quarantined with a reason | {quarantined} |")
    print(f"| not loaded (no date in the page, file date not a partition; reported by load) | {len(lost)} |")
    if lost:
        print("not loaded:", ", ".join(lost[:5]))


if __name__ == "__main__":
    raise SystemExit(main_bench())
