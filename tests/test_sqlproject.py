"""The dbt-like runner: refs, sources, YAML tests that really fail, and the atomic file swap."""

from __future__ import annotations

import threading
from pathlib import Path

import duckdb
import polars as pl
import pytest

from news_assets import schemas
from news_assets.lake import Lake
from news_assets.sqlproject import SqlProject


def write_project(root: Path, models: dict[str, str], schema_yml: str) -> Path:
    """A small dbt project: the shipped generic tests and lake source, these models and this YAML."""
    real = SqlProject()
    for sub in ("tests/generic", "models/staging"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    for p in (real.root / "tests" / "generic").glob("*.sql"):
        (root / "tests" / "generic" / p.name).write_text(p.read_text(encoding="utf-8"), encoding="utf-8")
    sources = real.root / "models" / "staging" / "_sources.yml"
    (root / "models" / "staging" / "_sources.yml").write_text(sources.read_text(encoding="utf-8"), encoding="utf-8")
    (root / "dbt_project.yml").write_text("name: t\nprofile: t\nconfig-version: 2\n", encoding="utf-8")
    for name, sql in models.items():
        path = root / "models" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(sql, encoding="utf-8")
    (root / "models" / "schema.yml").write_text(schema_yml, encoding="utf-8")
    return root


def lake_with_facts(tmp_path: Path, kinds: list[str]) -> Lake:
    lake = Lake(tmp_path / "wh")
    rows = [{"fact_id": f"f{i}", "article_id": "a1", "publish_date": "2024-05-26", "kind": k, "value": 1}
            for i, k in enumerate(kinds)]
    lake.write_partition("facts", "2024-05-26", schemas.frame(rows, schemas.FACTS))
    return lake


SCHEMA = """
models:
  - name: f
    columns:
      - name: fact_id
        data_tests: [not_null, unique]
      - name: kind
        data_tests:
          - accepted_values:
              arguments: {values: [money, count]}
  - name: g
    columns:
      - name: fact_id
        data_tests:
          - relationships:
              arguments: {to: "ref('f')", field: fact_id}
              config: {severity: warn}
"""
MODELS = {
    "staging/f.sql": "select fact_id, kind from {{ source('lake', 'facts') }}",
    "marts/g.sql": "select fact_id from {{ ref('f') }} union all select 'orphan'",
}


def test_models_build_in_dependency_order_and_failing_tests_are_reported(tmp_path):
    project = SqlProject(write_project(tmp_path / "sql", MODELS, SCHEMA))
    assert project.order == ["f", "g"]
    lake = lake_with_facts(tmp_path, ["money", "percent", "money"])
    result = project.build(lake)
    assert result.row_counts == {"f": 3, "g": 4}
    by_name = {(t.model, t.test.name): t for t in result.tests}
    assert by_name[("f", "not_null_fact_id")].passed
    assert by_name[("f", "unique_fact_id")].passed
    assert by_name[("f", "accepted_values_kind")].failures == 1  # 'percent' is not accepted
    assert by_name[("g", "relationships_fact_id")].failures == 1  # 'orphan'
    assert by_name[("g", "relationships_fact_id")].test.severity == "warn"


def test_a_value_list_is_bound_as_a_parameter_not_formatted_into_sql(tmp_path):
    project = SqlProject(write_project(tmp_path / "sql", MODELS, SCHEMA))
    test = next(t for t in project.models["f"].tests if t.kind == "accepted_values")
    sql, params = project.test_sql(project.models["f"], test)
    assert "money" not in sql and params == {"values": ["money", "count"]}


def test_unknown_ref_and_cycles_are_clear_errors(tmp_path):
    with pytest.raises(ValueError, match="names no model"):
        SqlProject(write_project(tmp_path / "a", {"m/x.sql": "select * from {{ ref('nope') }}"}, "models: []"))
    with pytest.raises(ValueError, match="unknown test"):
        SqlProject(write_project(tmp_path / "c", {"m/x.sql": "select 1 as a"},
                                 "models: [{name: x, columns: [{name: a, data_tests: [is_even]}]}]"))
    with pytest.raises(ValueError, match="cycle"):
        SqlProject(write_project(tmp_path / "b", {"m/x.sql": "select * from {{ ref('y') }}",
                                                  "m/y.sql": "select * from {{ ref('x') }}"}, "models: []"))


def test_empty_lake_builds_empty_typed_tables(tmp_path):
    project = SqlProject()
    result = project.build(Lake(tmp_path / "wh"))
    assert result.row_counts["facts"] == 0 and result.row_counts["articles"] == 0
    assert all(t.passed for t in result.tests)
    con = duckdb.connect(str(result.path), read_only=True)
    try:
        cols = {r[0]: r[1] for r in con.execute("describe facts").fetchall()}
        assert cols["value"].startswith("DECIMAL") and cols["period_start"] == "DATE"
    finally:
        con.close()


def test_readers_are_never_locked_out_by_a_build(tmp_path):
    """A read-only reader opens the file while builds run back to back: it always succeeds."""
    project = SqlProject()
    lake = lake_with_facts(tmp_path, ["money"])
    path = project.build(lake).path
    errors: list[Exception] = []
    done = threading.Event()

    def read_loop():
        while not done.is_set():
            try:
                con = duckdb.connect(str(path), read_only=True)
                con.execute("select count(*) from facts").fetchone()
                con.close()
            except Exception as e:  # the lock error a shared-file writer would cause
                errors.append(e)

    t = threading.Thread(target=read_loop)
    t.start()
    try:
        for _ in range(5):
            project.build(lake)
    finally:
        done.set()
        t.join()
    assert errors == []
    assert not list(path.parent.glob(".*.building*"))  # no temporary files left behind
    assert pl.read_database("select count(*) as n from facts",
                            duckdb.connect(str(path), read_only=True))["n"].item() == 0  # no article -> no staged fact


def test_build_plumbing_stays_out_of_the_warehouse_file(tmp_path):
    """lake__ views name this build's partition files by absolute path: analysts must not see them."""
    project = SqlProject()
    lake = lake_with_facts(tmp_path, ["money"])
    for _ in range(2):  # a full build, then an incremental one on a copy
        path = project.build(lake).path
        lake.write_partition("facts", "2024-05-27", lake.read_partition("facts", "2024-05-26"))
    con = duckdb.connect(str(path), read_only=True)
    try:
        names = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
    finally:
        con.close()
    assert "facts" in names and "articles" in names
    assert not [n for n in names if n.startswith("lake__")]


CRASHING_BUILD = """
import sys, time
from news_assets.lake import Lake
from news_assets.sqlproject import SqlProject

def hang(self, con):  # the tables are written into the .building file: now die there
    print("building", flush=True)
    time.sleep(600)

SqlProject.run_tests = hang
SqlProject().build(Lake(sys.argv[1]), full_refresh=True)
"""


def test_a_crashed_build_leaves_copies_that_the_next_build_removes(tmp_path):
    """A build killed mid-way leaves its .building file (a full copy of the warehouse) and .wal; the
    next build deletes them, but not the file of a build whose process still lives."""
    import subprocess
    import sys
    import uuid

    project = SqlProject()
    lake = lake_with_facts(tmp_path, ["money"])
    target = project.build(lake).path
    crash = subprocess.Popen([sys.executable, "-c", CRASHING_BUILD, str(lake.root)], stdout=subprocess.PIPE, text=True)
    alive = subprocess.Popen(["sleep", "120"])
    try:
        assert crash.stdout.readline().strip() == "building"
        crash.kill()
        crash.wait(timeout=30)
        left = sorted(p.name for p in target.parent.glob(".news.duckdb.*.building*"))
        assert left and all(f".{crash.pid}." in n for n in left)
        theirs = target.with_name(f".news.duckdb.{alive.pid}.{uuid.uuid4().hex}.building")
        theirs.write_bytes(b"a build of a live process")
        assert project.build(lake).mode == "unchanged"
        assert sorted(p.name for p in target.parent.glob(".news.duckdb.*.building*")) == [theirs.name]
    finally:
        for proc in (crash, alive):
            if proc.poll() is None:
                proc.kill()
                proc.wait()


def test_seeds_are_the_packaged_reference_tables():
    """facts/ reads news_assets/data/reference; the SQL reads seeds/: the two say the same."""
    from news_assets.sqlproject import write_seeds

    assert write_seeds(check=True) == [], "run: python -m news_assets.sqlproject write-seeds"
    project = SqlProject()
    assert set(project.seeds) == {"divisions", "countries", "macro_regions"}
    assert project.seeds["divisions"].column_types["valid_from"] == "integer"


def test_the_lake_tables_come_from_the_sources_yaml(tmp_path):
    project = SqlProject()
    assert project.sources[("lake", "quarantine_facts")].asset_key == ["facts"]
    assert set(project.lake_tables()) == {t for (_, t) in project.sources}
    root = write_project(tmp_path / "sql", MODELS, SCHEMA)
    src = root / "models" / "staging" / "_sources.yml"
    src.write_text(src.read_text(encoding="utf-8").replace("publish_date=*/part.parquet", "*.parquet"), encoding="utf-8")
    with pytest.raises(ValueError, match="external_location"):
        SqlProject(root)


def test_a_build_runs_under_its_memory_cap(tmp_path, monkeypatch):
    from news_assets.sqlproject import MEMORY_ENV, build_connection

    def cap(path) -> int:
        con = build_connection(path)
        try:  # DuckDB reports the cap in bytes
            return con.execute("SELECT value FROM duckdb_settings() WHERE name = 'memory_limit'").fetchone()[0]
        finally:
            con.close()

    monkeypatch.delenv(MEMORY_ENV, raising=False)
    assert cap(tmp_path / "a.duckdb") == "953.6 MiB"  # the default, 1GB (10^9 bytes), in MiB
    monkeypatch.setenv(MEMORY_ENV, "300MB")
    assert cap(tmp_path / "b.duckdb") == "286.1 MiB"
