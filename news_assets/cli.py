"""news-warehouse: parse | facts | sql | fetch | demo | load.

parse, facts and sql are the stable scripting interfaces (see DESIGN.md); demo runs the main job
over the bundled sample through Dagster and shows a query result; load does the same for an archive.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import unicodedata
from datetime import date
from decimal import Decimal
from pathlib import Path


def _json_default(o):
    if isinstance(o, Decimal):
        return int(o) if o == o.to_integral_value() else float(o)
    if isinstance(o, date):
        return o.isoformat()
    raise TypeError(f"not JSON serialisable: {type(o).__name__}")


def _print_json(obj) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, default=_json_default) + "\n")


# ---- parse ---------------------------------------------------------------------------------
def cmd_parse(args) -> int:
    from .parse import ParseError, parse_html

    if args.url and len(args.files) != 1:
        print("--url applies to one file only", file=sys.stderr)
        return 2
    status = 0
    for f in args.files:
        try:
            art = parse_html(Path(f).read_bytes(), args.url)
            _print_json(art.to_cli_dict(file=f))
        except (OSError, ParseError) as e:
            status = 1
            _print_json({"file": f, "url": args.url, "is_article": False, "error": str(e)})
    return status


# ---- facts ---------------------------------------------------------------------------------
def cmd_facts(args) -> int:
    from .facts import extract, to_records

    if args.file in (None, "-"):
        text = sys.stdin.read()
    else:
        text = Path(args.file).read_text(encoding="utf-8")
    for rec in to_records(extract(text, args.publish_date, dateline_place=args.dateline_place)):
        _print_json(rec)
    return 0


# ---- sql -----------------------------------------------------------------------------------
def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _cell(v, limit: int) -> str:
    if v is None:
        return "NULL"
    if isinstance(v, Decimal):  # 72100000000.000000 -> 72100000000
        v = format(v.normalize(), "f") if v == v else v
    s = str(v).replace("\n", " ")
    if _width(s) <= limit:
        return s
    out, w = "", 0
    for c in s:
        w += _width(c)
        if w > limit - 1:
            break
        out += c
    return out + "…"


def format_table(columns: list[str], rows: list[tuple], limit: int = 48) -> str:
    cells = [[_cell(v, limit) for v in r] for r in rows]
    widths = [max([_width(c)] + [_width(r[i]) for r in cells]) for i, c in enumerate(columns)]

    def line(vals):
        return "│ " + " │ ".join(v + " " * (w - _width(v)) for v, w in zip(vals, widths, strict=True)) + " │"

    bar = lambda a, b, c: a + b.join("─" * (w + 2) for w in widths) + c  # noqa: E731
    out = [bar("┌", "┬", "┐"), line(columns), bar("├", "┼", "┤")]
    out += [line(r) for r in cells]
    out.append(bar("└", "┴", "┘"))
    out.append(f"{len(rows)} row{'s' if len(rows) != 1 else ''}")
    return "\n".join(out)


# What `sql` runs: queries. Anything else is refused up front with one clear message, rather than
# DuckDB's varied ones ("Can only delete from base table" for a view, "attached in read-only mode" ...).
QUERY_STATEMENTS = {"SELECT", "EXPLAIN", "PRAGMA"}  # SELECT covers WITH, DESCRIBE, SHOW, SUMMARIZE


class ReadOnlyError(Exception):
    """A statement that would change something, or reach outside the warehouse file."""


def connect_sandboxed(db: Path):
    """The warehouse file, read-only, and nothing else: no files, URLs, attachments or extensions
    (enable_external_access = false), and a locked configuration so a query cannot switch it back."""
    import duckdb

    if not Path(db).exists():
        raise FileNotFoundError(f"no warehouse database at {db}: materialise the warehouse first")
    return duckdb.connect(str(db), read_only=True,
                          config={"enable_external_access": False, "lock_configuration": True})


def run_query(db: Path, query: str, params: list | None = None) -> tuple[list[str], list[tuple]]:
    import duckdb

    con = connect_sandboxed(db)
    try:
        for st in con.extract_statements(query):
            kind = st.type.name
            if kind not in QUERY_STATEMENTS:
                raise ReadOnlyError(f"news-warehouse sql is read-only: {kind} statements are refused (it runs "
                                    "SELECT, WITH, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN; the warehouse is "
                                    "rebuilt from the lake by its Dagster assets)")
        try:
            cur = con.execute(query, params or [])
        except duckdb.PermissionException as e:
            raise ReadOnlyError(f"news-warehouse sql reads the warehouse database only; files, URLs and "
                                f"extensions are off limits ({e})") from e
        cols = [d[0] for d in cur.description] if cur.description else []
        return cols, cur.fetchall() if cols else []
    finally:
        con.close()


def cmd_sql(args) -> int:
    from .lake import Lake, default_warehouse_dir

    db = Path(args.database) if args.database else Lake(args.warehouse or default_warehouse_dir()).duckdb_path
    try:
        cols, rows = run_query(db, args.query)
    except Exception as e:  # missing file, refused statement, duckdb errors: the message, not a traceback
        print(f"error: {e}", file=sys.stderr)
        return 1
    if args.format == "json":
        for r in rows:
            _print_json(dict(zip(cols, r, strict=True)))
    elif args.format == "csv":
        import csv

        w = csv.writer(sys.stdout)
        w.writerow(cols)
        w.writerows(rows)
    else:
        print(format_table(cols, rows, args.max_width))
    return 0


# ---- fetch ---------------------------------------------------------------------------------
def cmd_fetch(argv: list[str]) -> int:
    from .sources.fetch_cli import main as fetch_main

    return fetch_main(argv)


# ---- demo ----------------------------------------------------------------------------------
DEMO_QUERY = """
select publish_date, article_title, text, value, currency, region_code, region_name, metric
from facts
where kind = 'money'
order by publish_date desc, article_id, start
limit 8
"""


QUARANTINE_QUERY = "select publish_date, stage, error_kind, url, message from quarantine order by publish_date, url"


def _print_summary(db: Path) -> None:
    cols, rows = run_query(db, "select count(*) as articles, min(publish_date) as first_day, "
                               "max(publish_date) as last_day from articles")
    print(format_table(cols, rows))
    cols, rows = run_query(db, "select stage, error_kind as reason, count(*) as pages from quarantine "
                               "group by all order by pages desc, stage, reason")
    n = sum(r[2] for r in rows)
    if n:
        print(f"\n{n} page{'s' if n != 1 else ''} quarantined (kept, not lost), by reason:")
        print(format_table(cols, rows))
        print(f'list them: news-warehouse sql "{QUARANTINE_QUERY}"')
    else:
        print("\nno page quarantined")


def _print_instance(inst) -> None:
    from .runner import instance_location

    print(f"\nthe runs are in the Dagster instance at {instance_location(inst)}: `dagster dev` here shows them "
          "(Assets -> raw_html, articles, duckdb/facts ...)")


def cmd_demo(args) -> int:
    import os

    from .lake import WAREHOUSE_ENV, Lake, default_warehouse_dir
    from .runner import instance, materialize_range, sample_dates

    if args.warehouse:
        os.environ[WAREHOUSE_ENV] = args.warehouse
    lake = Lake(default_warehouse_dir())
    days = sample_dates(lake)
    span = (date.fromisoformat(days[-1]) - date.fromisoformat(days[0])).days + 1
    print(f"materialising publish dates {days[0]} .. {days[-1]} as one run ({span} partitions, {len(days)} "
          f"with bundled sample pages) into {lake.root} ...", flush=True)
    inst = instance()
    counts = materialize_range(days[0], days[-1], dagster_instance=inst)
    print(f"{counts.pages} pages -> {counts.articles} articles, {counts.quarantined} quarantined")
    _print_summary(lake.duckdb_path)
    cols, rows = run_query(lake.duckdb_path, DEMO_QUERY)
    print("\nthe latest money facts (from the facts table):")
    print(format_table(cols, rows, limit=24))
    print(f"\nquery it yourself: news-warehouse sql \"select * from facts limit 5\"   (database: {lake.duckdb_path})")
    _print_instance(inst)
    return 0


# ---- load ----------------------------------------------------------------------------------
def _load_sources(path: Path, lake) -> tuple[list, str]:
    """(sources, sources file path): a folder becomes a one-source file kept in the warehouse state."""
    from .sources import SourceConfig, load_sources

    if path.is_dir():
        name = path.resolve().name or "archive"
        src = SourceConfig(name=name, type="folder", path=str(path.resolve()))
        target = lake.state_path("load", f"{name}.sources.yaml")
        lake.write_bytes(target, f"- name: {json.dumps(name)}\n  type: folder\n  path: {json.dumps(src.path)}\n"
                         .encode())
        return [src], str(target)
    if path.is_file():
        return load_sources(path), str(path)
    raise FileNotFoundError(f"{path}: no such folder or sources file")


def cmd_load(args) -> int:
    import os

    from .lake import WAREHOUSE_ENV, Lake, default_warehouse_dir
    from .partitions import START_ENV
    from .runner import chunk_days, folder_pages, instance, load_days

    if args.warehouse:
        os.environ[WAREHOUSE_ENV] = args.warehouse
    lake = Lake(default_warehouse_dir())
    try:
        sources, sources_path = _load_sources(Path(args.path), lake)
    except Exception as e:  # a missing path or a bad sources file: the message, not a traceback
        print(f"error: {e}", file=sys.stderr)
        return 1
    if not any(s.type == "folder" for s in sources):
        print("error: load dates the pages of folder sources; web sources are fetched per day by the "
              "daily_news schedule or a backfill", file=sys.stderr)
        return 1
    t0 = time.perf_counter()
    per_day, outside = folder_pages(sources, lake)
    days = sorted(per_day)
    print(f"dated {sum(map(len, per_day.values()))} pages in {time.perf_counter() - t0:.1f}s: {len(days)} publish dates "
          + (f"{days[0]} .. {days[-1]}, " if days else "") + f"{len(chunk_days(days))} runs", flush=True)
    undated = [f for f, why in outside if why == "no date in the page"]
    if undated:
        print(f"warning: {len(undated)} pages give no date: the first run quarantines them (no_publish_date) "
              f"in its first day; give each a publish_date in the folder's index.json to load it, e.g. "
              f"{undated[0]}", file=sys.stderr)
    if len(outside) > len(undated):
        early = [(f, why) for f, why in outside if why != "no date in the page"]
        print(f"warning: {len(early)} pages are dated outside the partitions and are not loaded "
              f"(set {START_ENV} to an earlier start), e.g. {early[0][0]} ({early[0][1]})", file=sys.stderr)
    if not days:
        return 1 if outside else 0
    inst = instance()
    total = load_days({d: len(v) for d, v in per_day.items()}, sources_path=sources_path, inst=inst,
                      progress=lambda line: print(line, flush=True))
    print(f"loaded {total.pages} pages -> {total.articles} articles, {total.quarantined} quarantined, "
          f"in {time.perf_counter() - t0:.1f}s; warehouse built at {lake.duckdb_path}")
    _print_summary(lake.duckdb_path)
    _print_instance(inst)
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "fetch":
        return cmd_fetch(argv[1:])
    p = argparse.ArgumentParser(prog="news-warehouse", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)

    sp = sub.add_parser("parse", help="HTML files -> one article JSON object per line")
    sp.add_argument("files", nargs="+")
    sp.add_argument("--url", help="the page's URL (one file only)")
    sp.set_defaults(fn=cmd_parse)

    sp = sub.add_parser("facts", help="plain text -> one JSON object per mention or fact")
    sp.add_argument("file", nargs="?", default="-")
    sp.add_argument("--publish-date", required=True, type=date.fromisoformat)
    sp.add_argument("--dateline-place", help="place of the article's dateline, used when a sentence names none")
    sp.set_defaults(fn=cmd_facts)

    sp = sub.add_parser("sql", help="run one read-only query against the warehouse DuckDB file")
    sp.add_argument("query")
    sp.add_argument("--warehouse", help="warehouse directory (default $NEWS_WAREHOUSE_DIR or ./warehouse)")
    sp.add_argument("--database", help="a DuckDB file to query instead")
    sp.add_argument("--format", choices=["table", "csv", "json"], default="table")
    sp.add_argument("--max-width", type=int, default=48, help="truncate table cells to this width")
    sp.set_defaults(fn=cmd_sql)

    sub.add_parser("fetch", help="discover and fetch one publish date (see news-warehouse fetch --help)")

    sp = sub.add_parser("load", help="load an archive: materialise exactly the publish dates its pages have")
    sp.add_argument("path", help="a folder of saved pages, or a sources YAML file (its folder sources are dated)")
    sp.add_argument("--warehouse", help="warehouse directory (default $NEWS_WAREHOUSE_DIR or ./warehouse)")
    sp.set_defaults(fn=cmd_load)

    sp = sub.add_parser("demo", help="run the main job over the bundled sample through Dagster, then query it")
    sp.add_argument("--warehouse", help="warehouse directory (default $NEWS_WAREHOUSE_DIR or ./warehouse)")
    sp.set_defaults(fn=cmd_demo)

    args = p.parse_args(argv)
    return args.fn(args)


if __name__ == "__main__":
    raise SystemExit(main())
