"""Every asset materialised through Dagster (a real on-disk instance) into a real lake and DuckDB file."""

from __future__ import annotations

import dagster as dg
import duckdb
import polars as pl
import pytest
from support import SEED, make_folder, write_sources

from news_assets.assets.lake_assets import articles, extract_facts, raw_html
from news_assets.lake import Lake
from news_assets.resources import SourcesResource, WarehouseResource
from news_assets.runner import materialize_range
from news_assets.sql_models import build_sql_assets

LAKE_ASSETS = [raw_html, articles, extract_facts]
SQL_ASSETS = build_sql_assets()
DAY = "2024-05-26"


def run(instance, root, sources_file, partition_key=None):
    resources = {"warehouse": WarehouseResource(root=str(root), workers=1),
                 "sources": SourcesResource(path=str(sources_file))}
    r1 = dg.materialize(LAKE_ASSETS, partition_key=partition_key, instance=instance, resources=resources)
    assert r1.success
    r2 = dg.materialize([SQL_ASSETS], instance=instance, resources=resources,
                        selection=dg.AssetSelection.all())
    assert r2.success
    return r1, r2


def counts(lake: Lake, day: str) -> dict[str, int]:
    out = {}
    for table in ["raw_html", "articles", "facts", "region_mentions", "date_mentions", "quarantine_articles"]:
        df = lake.read_partition(table, day)
        out[table] = None if df is None else df.height
    return out


@pytest.fixture
def seed_source(tmp_path):
    folder = make_folder(tmp_path / "pages", [SEED, "magic-html_6558a82cd7.html"])
    return write_sources(tmp_path / "sources.yaml", folder)


def test_every_asset_materialises_a_partition_and_duckdb_has_the_seed_fact(tmp_path, instance, seed_source):
    root = tmp_path / "wh"
    r1, r2 = run(instance, root, seed_source, DAY)
    mats = {e.asset_key.to_user_string() for e in r1.get_asset_materialization_events()}
    assert mats == {"raw_html", "articles", "facts", "region_mentions", "date_mentions"}
    lake = Lake(root)
    c = counts(lake, DAY)
    assert c["raw_html"] == 1 and c["articles"] == 1  # only the seed is dated 2024-05-26
    assert c["facts"] >= 4 and c["region_mentions"] > 10

    # metadata a user reads in the UI
    art_mat = next(e for e in r1.get_asset_materialization_events() if e.asset_key == dg.AssetKey("articles"))
    md = art_mat.step_materialization_data.materialization.metadata
    assert md["dagster/row_count"].value == 1 and md["quarantined"].value == 0
    assert "共赴" in md["preview"].value

    # every SQL test passed as an asset check
    evals = r2.get_asset_check_evaluations()
    assert evals and all(e.passed for e in evals), [e.check_name for e in evals if not e.passed]

    con = duckdb.connect(str(lake.duckdb_path), read_only=True)
    try:
        title = con.execute("select title from articles where publish_date = ?", [DAY]).fetchall()
        assert title == [("共赴“山海之约”——渝港合作书写开放新篇章",)]
        row = con.execute(
            "select value, currency, region_code, kind from facts where publish_date = ? and text = ?",
            [DAY, "721亿美元"],
        ).fetchall()
        assert [(int(v), c, r, k) for v, c, r, k in row] == [(72100000000, "USD", "500000", "money")]
        money = con.execute(
            "select total_value from money_by_region_day where publish_date = ? and region_code = '500000' "
            "and currency = 'USD'", [DAY]).fetchall()
        assert int(money[0][0]) >= 72100000000
    finally:
        con.close()


def test_rematerialising_a_partition_gives_the_same_rows(tmp_path, instance, seed_source):
    root = tmp_path / "wh"
    run(instance, root, seed_source, DAY)
    lake = Lake(root)
    first = counts(lake, DAY)
    facts1 = lake.read_partition("facts", DAY).sort("fact_id")
    raw1 = sorted(p.name for p in (root / "raw").rglob("*") if p.is_file())
    run(instance, root, seed_source, DAY)
    assert counts(lake, DAY) == first
    assert lake.read_partition("facts", DAY).sort("fact_id").equals(facts1)
    assert sorted(p.name for p in (root / "raw").rglob("*") if p.is_file()) == raw1
    con = duckdb.connect(str(lake.duckdb_path), read_only=True)
    try:
        assert con.execute("select count(*) from articles").fetchone()[0] == 1
        assert con.execute("select count(*) from facts").fetchone()[0] == first["facts"]
    finally:
        con.close()


def test_a_partition_with_no_pages_succeeds_with_zero_rows(tmp_path, instance, seed_source):
    root = tmp_path / "wh"
    run(instance, root, seed_source, "2024-01-01")
    lake = Lake(root)
    assert counts(lake, "2024-01-01") == {"raw_html": 0, "articles": 0, "facts": 0, "region_mentions": 0,
                                          "date_mentions": 0, "quarantine_articles": 0}
    # empty partitions still carry their full schema
    assert "publish_time" in lake.read_partition("articles", "2024-01-01").columns
    con = duckdb.connect(str(lake.duckdb_path), read_only=True)
    try:
        assert con.execute("select count(*) from facts").fetchone()[0] == 0
    finally:
        con.close()


def test_broken_pages_land_in_quarantine_and_the_partition_succeeds(tmp_path, instance):
    day = {"publish_date": DAY}
    folder = make_folder(tmp_path / "pages", [SEED], extra={
        "empty.html": (b"", {"url": "https://example.cn/empty.html", **day}),
        "binary.html": (bytes(range(256)) * 40, {"url": "https://example.cn/binary.html", **day}),
        "undated.html": ("<html><body><h1>没有日期的页面</h1><p>这一页没有发布时间。</p></body></html>".encode(),
                         {"url": "https://example.cn/undated.html", **day}),
    })
    sources = write_sources(tmp_path / "sources.yaml", folder)
    root = tmp_path / "wh"
    r1, r2 = run(instance, root, sources, DAY)
    lake = Lake(root)
    assert lake.read_partition("articles", DAY)["title"].to_list() == ["共赴“山海之约”——渝港合作书写开放新篇章"]
    q = lake.read_partition("quarantine_articles", DAY).sort("url")
    assert q["url"].to_list() == ["https://example.cn/binary.html", "https://example.cn/empty.html",
                                  "https://example.cn/undated.html"]
    assert q.filter(pl.col("url").str.ends_with("empty.html"))["error_kind"].item() == "empty"
    assert all(q["error_kind"].is_not_null()) and all(q["stage"] == "articles")
    # nothing lost: every fetched page is an article or a quarantine row
    assert lake.read_partition("raw_html", DAY).height == 4
    check = next(e for e in r1.get_asset_check_evaluations() if e.check_name == "bad_page_share")
    assert not check.passed  # 3 of 4 pages are bad: the check says so (as a warning)
    con = duckdb.connect(str(lake.duckdb_path), read_only=True)
    try:
        assert con.execute("select count(*) from quarantine where stage = 'articles'").fetchone()[0] == 3
    finally:
        con.close()


def test_a_range_runs_as_one_run_over_every_partition(tmp_path, instance, monkeypatch):
    """The demo path: the whole bundled sample as one single-run backfill, in two worker processes."""
    root = tmp_path / "wh"
    monkeypatch.setenv("NEWS_WAREHOUSE_DIR", str(root))
    materialize_range("2024-05-19", "2024-05-26", dagster_instance=instance)
    runs = instance.get_runs()
    assert len(runs) == 2  # news_job over the range, then warehouse_job
    news_run = next(r for r in runs if r.job_name == "news_job")
    assert news_run.tags["dagster/asset_partition_range_start"] == "2024-05-19"
    lake = Lake(root)
    days = sorted(p.parent.name.split("=")[1] for p in (root / "articles").glob("*/part.parquet"))
    assert days == [f"2024-05-{d}" for d in range(19, 27)]
    assert lake.read_partition("articles", "2024-05-26").height == 1
    assert lake.read_partition("articles", "2024-05-20").height >= 4  # several sample pages that day
    # each partition of the range reports its own row count (as an observation), the run its totals
    obs = instance.fetch_observations(dg.AssetKey("articles"), limit=100).records
    by_day = {r.partition_key: r.asset_observation.metadata["dagster/row_count"].value for r in obs}
    assert len(by_day) == 8 and by_day["2024-05-26"] == 1
    assert by_day["2024-05-20"] == lake.read_partition("articles", "2024-05-20").height
    secs = {r.partition_key: r.asset_observation.metadata["seconds"].value for r in obs}
    assert all(0 < v < 60 for v in secs.values())  # each day's own time in the stage code, from its process
    mat = instance.fetch_materializations(dg.AssetKey("articles"), limit=1).records[0]
    md = mat.asset_materialization.metadata
    # the range's materialisation carries nothing another day could be mistaken for: no counts, no preview
    assert "dagster/row_count" not in md and "preview" not in md
    assert md["partition_range"].value == "2024-05-19..2024-05-26"
    previews = {r.partition_key: r.asset_observation.metadata["preview"].value for r in obs}
    assert "共赴" in previews["2024-05-26"] and "共赴" not in previews["2024-05-20"]
