"""``news-warehouse fetch --sources FILE --date YYYY-MM-DD [--warehouse DIR]``

Runs discovery and fetching for one publish date outside Dagster, into the same raw store (and the
same ``raw_html`` manifest partition, so ``articles`` picks the pages up and a re-run retries the
failures), and prints the manifest: one JSON object per line per discovered URL with
``url, final_url, status, outcome, reason, sha256, charset`` (plus source, publish_date,
date_source, size, content_type, declared_charset, detected_charset, error).

Exit status: 0 done (even with failed pages: they are in the manifest); 1 a source is unreachable
(nothing written for the day); 2 bad arguments or sources file.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date

from ..lake import Lake, default_warehouse_dir
from . import collect_partition
from .config import SourceConfigError, load_sources
from .fetch import FetchSettings
from .web import SourceUnavailable


def _day(value: str) -> str:
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def build_parser(prog: str = "news-warehouse fetch") -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=prog, description="Discover and fetch one publish date's pages.")
    p.add_argument("--sources", metavar="FILE", default=None,
                   help="sources YAML file (default: $NEWS_SOURCES, else ./sources.yaml, else the bundled sample)")
    p.add_argument("--date", required=True, type=_day, metavar="YYYY-MM-DD", help="publish date (Asia/Shanghai)")
    p.add_argument("--warehouse", metavar="DIR", default=None,
                   help="warehouse directory (default: $NEWS_WAREHOUSE_DIR or ./warehouse)")
    p.add_argument("--concurrency", type=int, default=None, help="requests in flight in total (default 16)")
    p.add_argument("--no-write", action="store_true",
                   help="keep the bytes but do not write the day's manifest partition")
    return p


def _row(e) -> dict:
    out = {
        "url": e.url, "final_url": e.final_url, "status": e.status, "outcome": e.outcome, "reason": e.reason,
        "sha256": e.sha256, "charset": e.detected_charset,  # what the parser decodes with; null: undecodable
        "source": e.source, "publish_date": e.publish_date, "date_source": e.date_source, "size": e.size,
        "content_type": e.content_type, "declared_charset": e.declared_charset,
        "detected_charset": e.detected_charset, "error": e.error,
    }
    return out


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:
        return int(e.code or 0)
    try:
        sources = load_sources(args.sources)
    except (SourceConfigError, OSError) as e:
        print(f"news-warehouse fetch: {e}", file=sys.stderr)
        return 2
    lake = Lake(args.warehouse or default_warehouse_dir())
    settings = FetchSettings()
    if args.concurrency:
        settings = FetchSettings(concurrency=args.concurrency)
    try:
        entries = collect_partition(sources, args.date, lake, settings=settings)
    except (SourceUnavailable, FileNotFoundError) as e:
        print(f"news-warehouse fetch: {e}", file=sys.stderr)
        return 1
    if not args.no_write:
        from ..pipeline import record_raw_partition

        record_raw_partition(lake, args.date, entries)
    out = sys.stdout
    for e in entries:
        out.write(json.dumps(_row(e), ensure_ascii=False) + "\n")
    out.flush()
    counts: dict[str, int] = {}
    for e in entries:
        counts[e.outcome] = counts.get(e.outcome, 0) + 1
    summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "no pages"
    print(f"news-warehouse fetch {args.date}: {summary}", file=sys.stderr)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
