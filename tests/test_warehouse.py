"""The DuckDB warehouse on small hand-made lakes: marts give the right numbers, checks catch real
problems, and an incremental refresh gives the same tables as a build from scratch."""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

import dagster as dg
import duckdb
import pytest
import yaml

from news_assets import schemas
from news_assets.lake import Lake
from news_assets.sql_models import POOL, ensure_pool_limit
from news_assets.sqlproject import SqlProject, table_checksums

REPO = Path(__file__).resolve().parent.parent
BODY = "重庆与香港合作成果丰硕，合同金额达100亿美元。北京也参与其中。" + "两地企业继续深化交流与合作，共同开拓国际市场。" * 4


def sha(s: str) -> str:
    return hashlib.sha256(s.encode()).hexdigest()


def article(aid: str, day: str, site: str, body: str = BODY, simhash: int = 0xF0F0F0F0F0F0F0F0, **kw) -> dict:
    return {"article_id": aid, "publish_date": day, "url": f"https://{site}/{aid}.html", "site": site,
            "title": f"title {aid}", "publish_time": _ts(day, kw.pop("hour", 8)), "source_name": kw.pop("source", site),
            "body": body, "body_sha256": kw.pop("body_sha256", sha(body)), "simhash": simhash,
            "raw_sha256": sha(aid), "parser_version": "t", **kw}


def _ts(day: str, hour: int):
    from datetime import UTC, datetime

    return datetime.fromisoformat(f"{day}T{hour:02d}:00:00").replace(tzinfo=UTC)


def money(aid: str, day: str, value: int, region: str | None = "500000", start: int = 20, **kw) -> dict:
    return {"fact_id": f"{aid}-{start}", "article_id": aid, "publish_date": day, "kind": "money",
            "text": f"{value}美元", "start": start, "end": start + 6, "value": value, "currency": "USD",
            "region_code": region, "metric": "合同金额", "sentence": BODY[:24], "sentence_id": 1, **kw}


def mention(aid: str, day: str, start: int, end: int, code: str, name: str, level="province", prov=None) -> dict:
    return {"article_id": aid, "publish_date": day, "start": start, "end": end, "text": BODY[start:end],
            "region_code": code, "name": name, "level": level, "province_code": prov or code}


def sentences(arts) -> list[dict]:
    """The sentences rows the facts step writes for these articles (its own splitter's spans)."""
    from datetime import date

    from news_assets.facts import extract
    from news_assets.pipeline import sentence_rows

    return [r for a in arts for r in sentence_rows({"article_id": a["article_id"], "publish_date": a["publish_date"]},
                                                   a["body"], extract(a["body"], date(2024, 5, 26)).sentences)]


def write_day(lake: Lake, day: str, arts=(), facts=(), mentions=(), quarantined=()) -> None:
    lake.write_partition("articles", day, schemas.frame(list(arts), schemas.ARTICLES))
    lake.write_partition("facts", day, schemas.frame(list(facts), schemas.FACTS))
    lake.write_partition("region_mentions", day, schemas.frame(list(mentions), schemas.REGION_MENTIONS))
    lake.write_partition("sentences", day, schemas.frame(sentences(arts), schemas.SENTENCES))
    lake.write_partition("date_mentions", day, schemas.frame([], schemas.DATE_MENTIONS))
    q = [{"publish_date": day, "stage": "articles", "url": u, "error_kind": "not_article"} for u in quarantined]
    lake.write_partition("quarantine_articles", day, schemas.frame(q, schemas.QUARANTINE))


def reprint_lake(root: Path) -> Lake:
    """One story on three sites (an original, an exact copy under 本文转自, a near copy), plus another story."""
    lake = Lake(root)
    d1, d2 = "2024-05-25", "2024-05-26"
    write_day(lake, d1, arts=[article("a", d1, "news.cn")], facts=[money("a", d1, 10_000_000_000)],
              mentions=[mention("a", d1, 0, 2, "500000", "重庆市"), mention("a", d1, 3, 5, "810000", "香港特别行政区"),
                        mention("a", d1, 24, 26, "110000", "北京市"), mention("a", d1, 0, 2, "CN", "中国", "country")])
    write_day(lake, d2, arts=[
        article("b", d2, "copy.cn", origin_name="新华网"),                      # exact copy
        article("c", d2, "near.cn", body=BODY + "（责任编辑：王五）", simhash=0xF0F0F0F0F0F0F0F1),  # 1 bit off
        article("d", d2, "other.cn", body="另一篇完全不同的报道。" * 12, simhash=0x0123456789ABCDEF),
    ], facts=[money("b", d2, 10_000_000_000), money("c", d2, 10_000_000_000), money("d", d2, 5, region="110000")])
    return lake


@pytest.fixture
def built(tmp_path):
    lake = reprint_lake(tmp_path / "wh")
    result = SqlProject().build(lake)
    con = duckdb.connect(str(result.path), read_only=True)
    yield result, con
    con.close()


def q(con, sql, *params):
    return con.execute(sql, list(params)).fetchall()


def test_reprints_collapse_into_one_story_counted_once(built):
    result, con = built
    assert q(con, "select article_id, story_id, is_first_copy, match_kind, n_copies from article_stories order by 1") == [
        ("a", "a", True, "exact", 3), ("b", "a", False, "exact", 3), ("c", "a", False, "near", 3),
        ("d", "d", True, "unique", 1)]
    assert q(con, "select story_id, n_copies, n_sites, sites, first_publish_date::varchar, origin_name from stories "
                  "order by 1") == [("a", 3, 3, ["copy.cn", "near.cn", "news.cn"], "2024-05-25", "新华网"),
                                    ("d", 1, 1, ["other.cn"], "2024-05-26", None)]
    # 100亿美元 reported by three sites is one amount of money, not three
    [(total, n_facts, n_stories, n_articles, name)] = q(
        con, "select total_value, n_facts, n_stories, n_articles, region_name from money_by_region_month "
             "where region_code = '500000' and currency = 'USD'")
    assert (int(total), n_facts, n_stories, n_articles, name) == (10_000_000_000, 1, 1, 3, "重庆市")
    assert q(con, "select site, n_articles, n_stories, n_reprints, n_declared_reprints, n_money_facts "
                  "from articles_by_source_day where publish_date = '2024-05-26' order by site") == [
        ("copy.cn", 1, 1, 1, 1, 1), ("near.cn", 1, 1, 1, 0, 1), ("other.cn", 1, 1, 0, 0, 1)]
    assert q(con, "select n_reprints from dim_sources where site = 'news.cn'") == [(0,)]
    assert all(t.passed for t in result.tests), [(t.model, t.test.name) for t in result.tests if not t.passed]


def test_region_pairs_by_sentence_and_article_without_containment(built):
    _, con = built
    # 重庆 and 香港 share the first sentence; 北京 is in the second; 中国 contains them all (no pair)
    assert q(con, "select region_a, region_b, n_articles_same_sentence, n_sentences, n_articles "
                  "from region_comentions order by 1, 2") == [
        ("110000", "500000", 0, 0, 1), ("110000", "810000", 0, 0, 1), ("500000", "810000", 1, 1, 1)]
    assert q(con, "select sentence_id from stg_region_mentions where region_code = '110000'") == [(2,)]


def test_dimensions(built):
    _, con = built
    assert q(con, "select name, kind, level, province_code, province_name, valid_from, in_use from dim_regions "
                  "where region_code = '500101'") == [("万州区", "division", "county", "500000", "重庆市", 1997, True)]
    assert q(con, "select name, kind from dim_regions where region_code in ('CN', 'macro:粤港澳大湾区') order by 1") == [
        ("中国", "country"), ("粤港澳大湾区", "macro")]
    assert q(con, "select count(*) from dim_regions where region_code = '810000'") == [(1,)]
    assert q(con, "select name, valid_from, valid_to from dim_region_versions where region_code = '500101' "
                  "order by valid_from") == [("万县区", 1997, 1998), ("万州区", 1998, None)]
    assert q(con, "select date_day::varchar, weekday_zh, is_weekend from dim_dates order by 1") == [
        ("2024-05-25", "周六", True), ("2024-05-26", "周日", True)]


def test_every_column_of_every_model_is_documented(built):
    result, con = built
    project = SqlProject()
    for name in project.order:
        cols = [r[0] for r in q(con, f'describe "{name}"')]
        assert cols == [c for c in project.models[name].columns if c in cols], name
        assert set(cols) == set(project.models[name].columns), name
        assert all(project.models[name].columns.values()), f"{name}: a column has no description"
        assert project.models[name].description, name
    # the stable interface of DESIGN.md
    assert {"article_id", "url", "site", "title", "publish_time", "publish_date", "category", "source_name",
            "origin_name", "authors", "body"} <= set(result.column_types and dict(result.column_types["articles"]))
    assert {"article_id", "publish_date", "kind", "text", "value", "currency", "unit", "qualifier", "change",
            "metric", "region_code", "period_start", "period_end", "sentence", "start", "end"} <= set(
        dict(result.column_types["facts"]))


def test_checks_catch_real_problems(tmp_path):
    lake = Lake(tmp_path / "wh")
    day = "2024-05-26"
    write_day(lake, day,
              arts=[article("a", day, "x.cn"), article("e", day, "x.cn", body="")],
              facts=[money("a", day, 0), money("a", day, 7, region="ZZ", start=30), money("a", day, 7, start=30),
                     money("a", day, -120000000, start=40),  # a loss (净利润为-1.2亿元) is an amount
                     money("a", day, 0, start=50, kind="percent", currency=None)],  # 增长0% is a percentage
              quarantined=[f"https://x.cn/{i}" for i in range(5)])
    project = SqlProject()
    failed = {(t.model, t.test.name): (t.failures, t.test.severity) for t in project.build(lake).tests
              if not t.passed}
    again = project.build(lake)  # nothing changed: the recorded results, not a fresh pass
    assert again.mode == "unchanged"
    assert {(t.model, t.test.name): (t.failures, t.test.severity) for t in again.tests if not t.passed} == failed
    assert len(again.tests) == sum(len(m.tests) for m in project.models.values())
    assert failed == {
        ("stg_articles", "body_not_empty"): (1, "error"),              # an article without a body
        ("stg_facts", "unique_fact_id"): (1, "error"),                 # a duplicate key
        ("facts", "unique_fact_id"): (1, "error"),
        ("facts", "value_finite_nonzero"): (1, "error"),              # 0 is no amount
        ("facts", "relationships_region_code"): (1, "error"),          # ZZ is in no region dimension
        ("quarantine", "quarantine_share"): (1, "warn"),               # 5 of 7 pages quarantined
    }


def _snapshot(path, project):
    return table_checksums(path, project.order)


def test_incremental_refresh_equals_a_full_build(tmp_path):
    project = SqlProject()
    lake = reprint_lake(tmp_path / "wh")
    assert project.build(lake).mode == "full"
    assert project.build(lake).mode == "unchanged"
    # a new day lands, and a late page arrives for an old one
    d3 = "2024-05-27"
    write_day(lake, d3, arts=[article("f", d3, "copy.cn")], facts=[money("f", d3, 10_000_000_000)],
              mentions=[mention("f", d3, 0, 2, "500000", "重庆市"), mention("f", d3, 3, 5, "810000", "香港特别行政区")])
    write_day(lake, "2024-05-25", arts=[article("a", "2024-05-25", "news.cn"),
                                         article("g", "2024-05-25", "late.cn", body="迟到的稿件。" * 20, simhash=7)])
    inc = project.build(lake)
    assert inc.mode == "incremental"
    full = project.build(lake, tmp_path / "full.duckdb", full_refresh=True)
    assert _snapshot(inc.path, project) == _snapshot(full.path, project)
    con = duckdb.connect(str(inc.path), read_only=True)
    try:
        assert q(con, "select count(*) from articles") == [(6,)]
        assert q(con, "select n_copies from stories where story_id = 'a'") == [(4,)]  # f reprints a
        # the rewrite of 05-25 dropped a's facts and mentions; f brings the 重庆/香港 pair
        assert q(con, "select count(*) from facts where article_id = 'a'") == [(0,)]
        assert q(con, "select n_articles, first_publish_date::varchar from region_comentions "
                      "where region_a = '500000' and region_b = '810000'") == [(1, "2024-05-27")]
    finally:
        con.close()
    # a page that moves to an earlier publish date cannot be patched per day: a full build, same result
    write_day(lake, "2024-05-24", arts=[article("d", "2024-05-24", "other.cn", body="另一篇完全不同的报道。" * 12)])
    moved = project.build(lake)
    assert moved.mode == "full" and all(t.passed for t in moved.tests)
    assert _snapshot(moved.path, project) == _snapshot(project.build(lake, tmp_path / "f2.duckdb", full_refresh=True).path, project)


def test_changed_sql_means_a_full_build(tmp_path):
    import shutil

    lake = reprint_lake(tmp_path / "wh")
    SqlProject().build(lake)
    sql = tmp_path / "sql"
    shutil.copytree(SqlProject().root, sql)
    p = sql / "models" / "marts" / "dim_dates.sql"
    p.write_text(p.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert SqlProject(sql).build(lake).mode == "full"


def test_two_builds_at_once_both_succeed_one_after_the_other(tmp_path):
    project = SqlProject()
    lake = reprint_lake(tmp_path / "wh")
    results, errors = [], []

    def go():
        try:
            results.append(project.build(lake, full_refresh=True))
        except Exception as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=go) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(results) == 2
    assert not list((tmp_path / "wh").glob(".*.building*"))


def test_the_project_sets_the_duckdb_writer_pool_limit():
    settings = yaml.safe_load((REPO / "dagster.yaml").read_text(encoding="utf-8"))
    assert settings["concurrency"]["pools"]["default_limit"] == 1
    with dg.instance_for_test(overrides={"concurrency": settings["concurrency"]}) as inst:
        assert inst.get_concurrency_config().pool_config.default_pool_limit == 1
    from news_assets.definitions import defs

    node = defs.resolve_asset_graph().assets_def_for_key(dg.AssetKey(["duckdb", "facts"]))
    assert POOL == "duckdb_writer"
    assert {op.pool for op in node.node_def.iterate_op_defs()} == {POOL}


def test_an_instance_without_the_projects_dagster_yaml_still_gets_one_writer():
    with dg.instance_for_test() as inst:  # no concurrency settings at all: pools would be unlimited
        assert inst.event_log_storage.get_concurrency_info(POOL).limit is None
        assert ensure_pool_limit(inst) is True
        assert inst.event_log_storage.get_concurrency_info(POOL).slot_count == 1
        assert ensure_pool_limit(inst) is False  # set once
        inst.event_log_storage.set_concurrency_slots(POOL, 2)  # a limit someone chose is kept
        assert ensure_pool_limit(inst) is False
        assert inst.event_log_storage.get_concurrency_info(POOL).slot_count == 2
    with dg.instance_for_test(overrides={"concurrency": {"pools": {"default_limit": 1}}}) as inst:
        assert ensure_pool_limit(inst) is False


def test_a_long_chain_of_near_copies_is_one_story(tmp_path):
    """e1 ~ e2 ~ … ~ e6, each 3 bits from the next and more from the rest: one story, however long."""
    lake = Lake(tmp_path / "wh")
    day = "2024-05-26"
    chain = [article(f"e{i}", day, f"s{i}.cn", body=f"第{i}版：" + BODY, simhash=(1 << (3 * i)) - 1)
             for i in range(6)]
    write_day(lake, day, arts=[*chain, article("z", day, "z.cn", body="无关的报道。" * 30, simhash=0x5555_0000_0000_0000)])
    result = SqlProject().build(lake)
    con = duckdb.connect(str(result.path), read_only=True)
    try:
        rows = q(con, "select article_id, story_id, match_kind, n_copies from article_stories order by 1")
    finally:
        con.close()
    assert rows == [*((f"e{i}", "e0", "near", 6) for i in range(6)), ("z", "z", "unique", 1)]
