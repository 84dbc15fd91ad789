"""Web sources through Dagster: a real instance materialises raw_html → articles → facts from a
sitemap served on 127.0.0.1, and a partition whose source is down fails instead of succeeding empty."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pytest
from support import GBK_PAGE, UTF8_PAGE, sitemap

from news_assets.assets.lake_assets import articles, extract_facts, raw_html
from news_assets.lake import Lake
from news_assets.resources import SourcesResource, WarehouseResource
from news_assets.sources.testserver import LoopbackServer, Reply

DAY = "2021-01-29"


@pytest.fixture
def site():
    with LoopbackServer() as srv:
        srv.routes.update({
            "/robots.txt": Reply(b"User-agent: *\nDisallow: /private/\n", content_type="text/plain"),
            "/gbk.html": Reply(GBK_PAGE, content_type="text/html; charset=utf-8"),  # declared wrong
            "/utf8.html": Reply(UTF8_PAGE),  # undated in the sitemap: its parsed date says 2022-02-13
            "/private/p.html": Reply(GBK_PAGE),
        })
        srv.routes["/sitemap.xml"] = Reply(
            sitemap(srv.base, [("/gbk.html", DAY), ("/utf8.html", None), ("/private/p.html", DAY)], news=False),
            content_type="application/xml")
        yield srv


def _materialize(instance, root: Path, sources_file: Path, day: str):
    resources = {"warehouse": WarehouseResource(root=str(root), workers=1),
                 "sources": SourcesResource(path=str(sources_file))}
    return dg.materialize([raw_html, articles, extract_facts], partition_key=day, instance=instance,
                          resources=resources, raise_on_error=False)


def test_a_sitemap_source_through_dagster(tmp_path, instance, site):
    cfg = tmp_path / "sources.yaml"
    cfg.write_text(f"- name: site\n  type: sitemap\n  url: {site.url('/sitemap.xml')}\n  delay: 0\n",
                   encoding="utf-8")
    root = tmp_path / "wh"
    result = _materialize(instance, root, cfg, DAY)
    assert result.success
    lake = Lake(root)
    manifest = {r["url"].removeprefix(site.base): r for r in lake.read_partition("raw_html", DAY).to_dicts()}
    assert set(manifest) == {"/gbk.html", "/utf8.html", "/private/p.html"}
    assert (manifest["/gbk.html"]["outcome"], manifest["/gbk.html"]["detected_charset"]) == ("fetched", "gb18030")
    assert (manifest["/utf8.html"]["outcome"], manifest["/utf8.html"]["reason"]) == ("skipped", "dated_elsewhere")
    assert (manifest["/private/p.html"]["outcome"], manifest["/private/p.html"]["reason"]) == (
        "skipped", "robots_disallowed")
    assert site.hits.get("/private/p.html") is None
    (art,) = lake.read_partition("articles", DAY).to_dicts()
    assert art["title"].startswith("脂溢性脱发") and "头皮" in art["body"]
    assert art["publish_time_local"] == "2021-01-29T13:18:00+08:00"
    mats = {e.asset_key.to_user_string(): e.step_materialization_data.materialization.metadata
            for e in result.get_asset_materialization_events()}
    assert (mats["raw_html"]["fetched"].value, mats["raw_html"]["skipped"].value) == (1, 2)
    assert mats["articles"]["dagster/row_count"].value == 1
    checks = {c.check_name: c for c in result.get_asset_check_evaluations()}
    assert checks["fetch_failure_share"].passed and checks["fetch_failure_share"].metadata["tried"].value == 1

    # the page dated elsewhere lands in its own partition without a second download
    hits = site.hits["/utf8.html"]
    assert _materialize(instance, root, cfg, "2022-02-13").success
    (other,) = lake.read_partition("articles", "2022-02-13").to_dicts()
    assert other["title"] == "著名戏曲导演沈斌去世 享年74岁"
    assert site.hits["/utf8.html"] == hits


def test_a_partition_whose_source_is_down_fails_with_the_reason(tmp_path, instance, site):
    with LoopbackServer() as gone:
        dead = gone.url("/sitemap.xml")  # the port is closed once the block ends
    cfg = tmp_path / "sources.yaml"
    cfg.write_text(f"- name: site\n  type: sitemap\n  url: {site.url('/sitemap.xml')}\n  delay: 0\n"
                   f"- name: dead\n  type: sitemap\n  url: {dead}\n  retries: 0\n", encoding="utf-8")
    root = tmp_path / "wh"
    result = _materialize(instance, root, cfg, DAY)
    assert not result.success
    (failure,) = [e for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
    message = str(failure.event_specific_data.error.message)
    assert "source 'dead'" in message and "unreachable" in message
    assert Lake(root).read_partition("raw_html", DAY) is None  # failed, not an empty success

    # marked optional, the same source down is one failed manifest row and the run goes on
    cfg.write_text(cfg.read_text(encoding="utf-8") + "  required: false\n", encoding="utf-8")
    result = _materialize(instance, root, cfg, DAY)
    assert result.success
    rows = {r["source"]: r for r in Lake(root).read_partition("raw_html", DAY).to_dicts() if r["source"] == "dead"}
    assert (rows["dead"]["outcome"], rows["dead"]["reason"]) == ("failed", "source_unreachable")
    # ... which the fetch_failure_share check flags: 1 failed of 2 tried (the GBK page fetched)
    (check,) = [c for c in result.get_asset_check_evaluations() if c.check_name == "fetch_failure_share"]
    assert not check.passed and check.severity == dg.AssetCheckSeverity.WARN
    assert (check.metadata["failed"].value, check.metadata["tried"].value) == (1, 2)
    assert check.metadata["reasons"].value == {"source_unreachable": 1}
