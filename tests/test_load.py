"""`news-warehouse load` and the persistent instance the CLI shares with `dagster dev` (issue 15).

Real Dagster instances on disk, a real DuckDB file, and for the UI test a real `dagster dev`
(webserver + daemon) queried through GraphQL after the demo ran in the same folder.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from datetime import datetime
from pathlib import Path

import dagster as dg
import duckdb
from dagster._core.instance.ref import InstanceRef

from news_assets.cli import main
from news_assets.runner import chunk_days

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title} - 新华网</title>
<meta property="article:published_time" content="{when}"></head>
<body><h1>{title}</h1><div class="info">{when} 来源:新华网</div><div class="article">
<p>新华社{place}电 {lead}</p>
<p>当地有关负责人表示,将继续优化营商环境,推动更多项目尽快落地见效。</p>
<p>据介绍,这些项目主要集中在先进制造业和现代服务业领域,带动就业明显。</p></div></body></html>"""
# (file, publish time, title, place, lead): three years apart, two on one day, one in the next week
PAGES = [
    ("2004/a.html", "2004-12-11T09:30:00+08:00", "重庆前三季度外资增长", "重庆12月10日",
     "今年前三季度,重庆新设外资企业120家,同比增长15%,实际利用外资3.2亿美元。"),
    ("2004/b.html", "2004-12-11T17:05:00+08:00", "成都新开工项目过百", "成都12月11日",
     "截至11月底,成都今年新开工重大项目108个,完成投资460亿元。"),
    ("2004/c.html", "2004-12-16T08:00:00+08:00", "西安发放助学贷款", "西安12月15日",
     "西安今年已向2300名学生发放助学贷款1500万元。"),
    ("2013/d.html", "2013-03-02T10:00:00+08:00", "武汉一月份外贸回升", "武汉3月1日",
     "1月份武汉外贸进出口总额18.6亿美元,同比增长9.4%。"),
]


def write_archive(root: Path) -> None:
    for rel, when, title, place, lead in PAGES:
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(PAGE.format(when=when, title=title, place=place, lead=lead), encoding="utf-8")
    undated = root / "misc" / "notice.html"  # no date anywhere: quarantined in the first run, not lost
    undated.parent.mkdir(parents=True)
    undated.write_text("<html><head><meta charset='utf-8'><title>网站公告</title></head><body><div>"
                       + "<p>本站将于近期进行系统维护,届时部分栏目暂停访问,敬请谅解。</p>" * 3
                       + "</div></body></html>", encoding="utf-8")
    t = datetime(2013, 3, 5, 12).timestamp()  # an old mtime, which must not date it
    os.utime(undated, (t, t))


def test_chunk_days_covers_every_day_in_few_short_ranges():
    days = ["2004-12-11", "2004-12-16", "2004-12-17", "2013-03-02", "2013-03-03"]
    assert chunk_days(days, max_gap=3) == [("2004-12-11", "2004-12-11"), ("2004-12-16", "2004-12-17"),
                                           ("2013-03-02", "2013-03-03")]
    assert chunk_days(days, max_gap=5) == [("2004-12-11", "2004-12-17"), ("2013-03-02", "2013-03-03")]
    # a long run of consecutive days is cut into ranges of at most max_span partitions
    year = [f"2020-{m:02d}-{d:02d}" for m in range(1, 13) for d in range(1, 29)]
    ranges = chunk_days(year, max_gap=3, max_span=92)
    assert all((datetime.fromisoformat(b) - datetime.fromisoformat(a)).days < 92 for a, b in ranges)
    assert ranges[0][0] == "2020-01-01" and ranges[-1][1] == "2020-12-28" and len(ranges) == 4
    covered = {d for a, b in ranges for d in year if a <= d <= b}
    assert covered == set(year)
    assert chunk_days([]) == []


def test_load_materialises_exactly_the_days_with_pages_and_builds_the_warehouse(tmp_path, monkeypatch, capsys):
    archive = tmp_path / "pages"
    write_archive(archive)
    monkeypatch.chdir(tmp_path)  # no DAGSTER_HOME: the project-local home ./.dagster_home
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    monkeypatch.setenv("NEWS_WAREHOUSE_DIR", str(tmp_path / "warehouse"))
    shutil.copy(REPO / "dagster.yaml", tmp_path / "dagster.yaml")

    assert main(["load", str(archive)]) == 0
    captured = capsys.readouterr()
    out = captured.out
    assert "dated 4 pages" in out and "2 runs" in out and "1 pages give no date" in captured.err
    assert "days 3/3, pages 5, articles 4, quarantined 1" in out
    assert "no_publish_date" in out and "from quarantine" in out

    con = duckdb.connect(str(tmp_path / "warehouse" / "news.duckdb"), read_only=True)
    try:
        got = con.execute("select publish_date::varchar, title from articles order by publish_date, title").fetchall()
        assert got == [("2004-12-11", "成都新开工项目过百"), ("2004-12-11", "重庆前三季度外资增长"),
                       ("2004-12-16", "西安发放助学贷款"), ("2013-03-02", "武汉一月份外贸回升")]
        q = con.execute("select stage, error_kind, url from quarantine").fetchall()
        assert q == [("raw_html", "no_publish_date", "folder://pages/misc/notice.html")]  # in the first day
        value = con.execute("select value from facts where text = '3.2亿美元'").fetchall()
        assert [int(v) for (v,) in value] == [320000000]
    finally:
        con.close()

    # the runs live in ./.dagster_home, as ranges over the page days only
    with dg.DagsterInstance.from_ref(InstanceRef.from_dir(str(tmp_path / ".dagster_home"),
                                                          config_dir=str(tmp_path))) as inst:
        runs = inst.get_runs(dg.RunsFilter(job_name="news_job"))
        ranges = sorted((r.tags["dagster/asset_partition_range_start"], r.tags["dagster/asset_partition_range_end"])
                        for r in runs)
        assert ranges == [("2004-12-11", "2004-12-16"), ("2013-03-02", "2013-03-02")]  # nearby days share a run
        assert len(inst.get_runs(dg.RunsFilter(job_name="warehouse_job"))) == 1
        mats = inst.fetch_materializations(dg.AssetKey("articles"), limit=100).records
        assert {m.partition_key for m in mats} >= {"2004-12-11", "2004-12-16", "2013-03-02"}
        # the DuckDB model page previews its first rows as a table
        [model] = inst.fetch_materializations(dg.AssetKey(["duckdb", "articles"]), limit=1).records
        preview = model.asset_materialization.metadata["preview"]
        assert isinstance(preview, dg.TableMetadataValue) and len(preview.records) == 4
        assert {r.data["title"] for r in preview.records} == {p[2] for p in PAGES}
    # nothing outside the partitions of the days that have pages
    days = sorted(p.name.split("=")[1] for p in (tmp_path / "warehouse" / "articles").iterdir())
    assert days == [f"2004-12-{d}" for d in range(11, 17)] + ["2013-03-02"]

    # a second load finds the dates cached and gives the same tables (no duplicates)
    assert main(["load", str(archive)]) == 0
    con = duckdb.connect(str(tmp_path / "warehouse" / "news.duckdb"), read_only=True)
    try:
        assert con.execute("select count(*) from articles").fetchall() == [(4,)]
    finally:
        con.close()


def test_load_refuses_a_missing_path(tmp_path, capsys):
    assert main(["load", str(tmp_path / "nothing-here"), "--warehouse", str(tmp_path / "w")]) == 1
    assert "no such folder or sources file" in capsys.readouterr().err


ASSETS = """{ assetNodes { assetKey { path } partitionStats { numMaterialized }
  assetMaterializations(limit: 1) { runId } } }"""


def _gql(port: int, query: str) -> dict:
    req = urllib.request.Request(f"http://127.0.0.1:{port}/graphql", data=json.dumps({"query": query}).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        body = json.loads(resp.read())
    assert not body.get("errors"), body["errors"]
    return body["data"]


def test_the_demo_then_dagster_dev_shows_the_demos_materialisations(tmp_path):
    """A fresh clone: the Quick start's demo, then `dagster dev` in the same folder."""
    for f in ("dagster.yaml", "workspace.yaml"):
        shutil.copy(REPO / f, tmp_path / f)
    env = {k: v for k, v in os.environ.items() if k not in ("DAGSTER_HOME", "NEWS_SOURCES")}
    env["NEWS_WAREHOUSE_DIR"] = str(tmp_path / "warehouse")
    demo = subprocess.run([str(BIN / "news-warehouse"), "demo"], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=300)
    assert demo.returncode == 0, demo.stderr[-3000:]
    assert "2 pages quarantined" in demo.stdout and "not_article" in demo.stdout
    assert "Warning" not in demo.stderr, demo.stderr[-3000:]  # quiet runs

    from test_e2e_dagster import free_port

    port = free_port()
    log = (tmp_path / "dev.log").open("wb")
    dev = subprocess.Popen([str(BIN / "dagster"), "dev", "-w", "workspace.yaml", "-h", "127.0.0.1", "-p", str(port)],
                           cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline, nodes = time.time() + 150, None
        while time.time() < deadline and nodes is None:
            try:
                nodes = _gql(port, ASSETS)["assetNodes"]
            except (OSError, AssertionError):
                time.sleep(2)
        assert nodes, (tmp_path / "dev.log").read_text(errors="replace")[-3000:]
        by_key = {"/".join(n["assetKey"]["path"]): n for n in nodes}
        # every one of the demo's 22 publish dates is materialised in the UI, and so is the warehouse
        assert by_key["articles"]["partitionStats"]["numMaterialized"] == 22
        assert by_key["facts"]["partitionStats"]["numMaterialized"] == 22
        assert by_key["duckdb/facts"]["assetMaterializations"], by_key["duckdb/facts"]
    finally:
        os.killpg(dev.pid, signal.SIGTERM)
        try:
            dev.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(dev.pid, signal.SIGKILL)
            dev.wait(timeout=10)
        log.close()
    assert not list(tmp_path.glob(".tmp_dagster_home_*/history"))  # dagster dev used ./.dagster_home


def test_the_ui_sensor_requests_only_the_days_with_new_or_changed_pages(tmp_path):
    from news_assets.definitions import load_folder_archive
    from news_assets.resources import SourcesResource, WarehouseResource

    archive = tmp_path / "pages"
    write_archive(archive)
    sources = tmp_path / "sources.yaml"
    sources.write_text(f"- name: pages\n  type: folder\n  path: {archive}\n", encoding="utf-8")
    res = {"warehouse": WarehouseResource(root=str(tmp_path / "wh"), workers=1),
           "sources": SourcesResource(path=str(sources))}

    def tick(cursor=None):
        ctx = dg.build_sensor_context(cursor=cursor, resources=res)
        out = load_folder_archive(ctx)
        ranges = None if isinstance(out, dg.SkipReason) else [
            (r.tags["dagster/asset_partition_range_start"], r.tags["dagster/asset_partition_range_end"]) for r in out]
        return ranges, ctx.cursor

    ranges, cursor = tick()
    assert ranges == [("2004-12-11", "2004-12-16"), ("2013-03-02", "2013-03-02")]
    assert tick(cursor)[0] is None  # nothing new: skipped
    (archive / "2013" / "e.html").write_text(PAGE.format(when="2013-03-20T09:00:00+08:00", title="武汉新开通公交线路",
                                                         place="武汉3月19日", lead="武汉新开通公交线路12条。"),
                                             encoding="utf-8")
    ranges, cursor = tick(cursor)
    assert ranges == [("2013-03-20", "2013-03-20")]  # only the day whose pages changed
