"""dbt_like_sql/ is a dbt project: `dbt build` with dbt-duckdb gives the same warehouse as our runner,
table for table and test for test, and `dbt docs generate` shows the column docs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from news_assets import pipeline, schemas
from news_assets.lake import Lake
from news_assets.runner import sample_dates
from news_assets.sources import RunCache, default_sources
from news_assets.sqlproject import SqlProject, table_checksums

pytest.importorskip("dbt.adapters.duckdb", reason="dbt-duckdb is not installed: pip install -e '.[dbt]' (CI does)")

REPO = Path(__file__).resolve().parent.parent
PROJECT = REPO / "dbt_like_sql"


def dbt(*args: str, warehouse: Path, scratch: Path) -> dict:
    """Runs dbt as a user would, from the repo root, with target/ and logs/ kept out of the checkout;
    returns run_results.json."""
    exe = Path(sys.executable).with_name("dbt")
    env = {**os.environ, "NEWS_WAREHOUSE_DIR": str(warehouse), "DO_NOT_TRACK": "1"}
    cmd = [str(exe), *args, "--project-dir", str(PROJECT), "--profiles-dir", str(PROJECT),
           "--target-path", str(scratch / "target"), "--log-path", str(scratch / "logs")]
    done = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=900)
    results = scratch / "target" / "run_results.json"
    assert results.exists(), done.stdout[-3000:] + done.stderr[-3000:]
    return {"rc": done.returncode, "log": done.stdout, **json.loads(results.read_text(encoding="utf-8"))}


def sample_lake(root: Path) -> Lake:
    """The bundled sample through the same stages the Dagster assets run."""
    lake, srcs, cache = Lake(root), default_sources(), RunCache()
    for day in sample_dates(lake):
        pipeline.run_raw_html(lake, day, srcs, cache)
        pipeline.run_articles(lake, day)
        pipeline.run_facts(lake, day)
    return lake


def complete_lake(lake: Lake, day: str) -> None:
    """An empty partition for each lake table a hand-made lake left out, as the pipeline writes one:
    dbt reads a source through a file pattern, and a pattern matching no file is an error."""
    for (_, table), src in SqlProject().sources.items():
        if not lake.partition_files(table):
            lake.write_partition(table, day, schemas.frame([], src.record))


def dbt_test_failures(scratch: Path, *runs: dict) -> Counter:
    """(model, test kind, column, severity, failing rows) of every test dbt ran."""
    nodes = json.loads((scratch / "target" / "manifest.json").read_text(encoding="utf-8"))["nodes"]
    out: Counter = Counter()
    for run in runs:
        for r in run["results"]:
            node = nodes[r["unique_id"]]
            if node["resource_type"] != "test":
                continue
            if node.get("test_metadata"):
                model = node["attached_node"].split(".")[-1]
                kind, column = node["test_metadata"]["name"], node.get("column_name")
            else:  # a singular test: ours attaches it to the first model it refs
                model, kind, column = node["refs"][0]["name"], f"singular:{node['name']}", None
            out[(model, kind, column, node["config"]["severity"].lower(), r["failures"])] += 1
    return out


def runner_test_failures(result) -> Counter:
    return Counter((t.model, t.test.kind if t.test.kind != "singular" else f"singular:{t.test.name}",
                    t.test.column, t.test.severity, t.failures) for t in result.tests)


def column_types(path: Path, tables: list[str]) -> dict:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {t: con.execute(f'describe "{t}"').fetchall() for t in tables}
    finally:
        con.close()


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    scratch = tmp_path_factory.mktemp("dbt")
    lake = sample_lake(scratch / "warehouse")
    ours = SqlProject().build(lake)
    run = dbt("build", warehouse=scratch / "warehouse", scratch=scratch)
    return scratch, ours, run


def test_dbt_build_gives_the_runners_tables_and_test_results(sample):
    scratch, ours, run = sample
    assert run["rc"] == 0, run["log"][-3000:]
    project = SqlProject()
    names = [*project.order, *project.seeds]
    theirs = scratch / "warehouse" / "dbt.duckdb"
    assert ours.path.name == "news.duckdb" and theirs.exists()
    mine, dbts = table_checksums(ours.path, names), table_checksums(theirs, names)
    assert {n: mine[n] for n in names} == {n: dbts[n] for n in names}
    assert mine["stg_articles"][0] == 14 and mine["facts"][0] > 50  # the sample, not an empty lake
    assert column_types(ours.path, names) == column_types(theirs, names)
    assert dbt_test_failures(scratch, run) == runner_test_failures(ours)
    assert len(ours.tests) == sum(1 for r in run["results"] if r["unique_id"].startswith("test."))


def test_dbt_docs_generate_shows_the_column_docs(sample):
    scratch, _, _ = sample
    run = dbt("docs", "generate", "--no-compile", warehouse=scratch / "warehouse", scratch=scratch)
    assert run["rc"] == 0, run["log"][-3000:]
    manifest = json.loads((scratch / "target" / "manifest.json").read_text(encoding="utf-8"))
    catalog = json.loads((scratch / "target" / "catalog.json").read_text(encoding="utf-8"))
    for name, m in SqlProject().models.items():
        node = manifest["nodes"][f"model.news_warehouse.{name}"]
        assert node["description"] == m.description
        assert {c: d["description"] for c, d in node["columns"].items()} == m.columns
        assert set(catalog["nodes"][f"model.news_warehouse.{name}"]["columns"]) == set(m.columns)


def test_checks_that_fail_fail_alike_in_both_engines(tmp_path):
    """A lake with an empty body, a duplicate fact, a zero amount, an unknown region and mostly
    quarantined pages: dbt counts the same failing rows for the same tests as the runner."""
    from test_warehouse import article, money, write_day

    lake, day = Lake(tmp_path / "warehouse"), "2024-05-26"
    write_day(lake, day, arts=[article("a", day, "x.cn"), article("e", day, "x.cn", body="")],
              facts=[money("a", day, 0), money("a", day, 7, region="ZZ", start=30), money("a", day, 7, start=30)],
              quarantined=[f"https://x.cn/{i}" for i in range(5)])
    complete_lake(lake, day)
    ours = SqlProject().build(lake)
    # dbt build would skip the models below a failing test: build everything first, then test
    built = dbt("build", "--exclude", "resource_type:test", warehouse=lake.root, scratch=tmp_path)
    assert built["rc"] == 0, built["log"][-3000:]
    tested = dbt("test", warehouse=lake.root, scratch=tmp_path)
    failing = {k: n for k, n in dbt_test_failures(tmp_path, tested).items() if k[4]}
    assert failing == {k: n for k, n in runner_test_failures(ours).items() if k[4]}
    assert ("stg_facts", "unique", "fact_id", "error", 1) in failing
    assert ("quarantine", "singular:quarantine_share", None, "warn", 1) in failing


def test_an_incremental_dbt_run_over_the_changed_dates_equals_the_runners_refresh(tmp_path):
    """`dbt build --vars '{changed_dates: [...]}'` rebuilds those dates (delete+insert on publish_date),
    as the runner does with the dates whose partition files changed."""
    from test_warehouse import article, mention, money, reprint_lake, write_day

    lake = reprint_lake(tmp_path / "warehouse")
    complete_lake(lake, "2024-05-25")
    project = SqlProject()
    assert project.build(lake).mode == "full"
    assert dbt("build", warehouse=lake.root, scratch=tmp_path)["rc"] == 0
    d3 = "2024-05-27"  # a new day, and a late page for an old one
    write_day(lake, d3, arts=[article("f", d3, "copy.cn")], facts=[money("f", d3, 10_000_000_000)],
              mentions=[mention("f", d3, 0, 2, "500000", "重庆市"), mention("f", d3, 3, 5, "810000", "香港特别行政区")])
    write_day(lake, "2024-05-25", arts=[article("a", "2024-05-25", "news.cn"),
                                         article("g", "2024-05-25", "late.cn", body="迟到的稿件。" * 20, simhash=7)])
    ours = project.build(lake)
    assert ours.mode == "incremental"
    run = dbt("build", "--vars", "{changed_dates: ['2024-05-25', '2024-05-27']}", warehouse=lake.root, scratch=tmp_path)
    assert run["rc"] == 0, run["log"][-3000:]
    incremental = [r for r in run["results"] if r["unique_id"] == "model.news_warehouse.stg_articles"]
    assert "delete" in (tmp_path / "target" / "run" / "news_warehouse" / "models" / "staging"
                        / "stg_articles.sql").read_text(encoding="utf-8").lower() and incremental
    names = [*project.order, *project.seeds]
    assert table_checksums(ours.path, names) == table_checksums(Path(lake.root.path) / "dbt.duckdb", names)
