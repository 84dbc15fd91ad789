"""One fault policy (news_assets.faults): every call site that parses turns hopeless input into a row
with its reason and a parser bug into a ``parser_crash`` row with "<Type>: <message>"."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from support import sitemap

import news_assets
from news_assets import faults, parse, pipeline
from news_assets.lake import Lake
from news_assets.sources import FetchSettings, RunCache, collect_partition
from news_assets.sources.config import SourceConfig
from news_assets.sources.testserver import LoopbackServer, Reply

SAMPLE = Path(news_assets.__file__).parent / "data" / "sample" / "pages"
DAY = "2024-03-02"
PAGE = """<html><head><meta charset="utf-8"><title>某市新设企业_测试网</title>
<meta name="publishdate" content="2024-03-02"></head><body>
<h1>某市新设企业</h1><div class="info">发布时间：2024-03-02 08:00 来源：测试日报</div>
<div class="article"><p>本报讯 今年一季度,某市新设企业25家,同比增长56%,实际利用外资3.7亿元。</p>
<p>这是正文的第二段,内容足够长以便被识别为正文,并且包含逗号、句号等标点符号。</p></div></body></html>"""
FAST = FetchSettings(timeout=1.0, connect_timeout=0.5, retries=0, backoff=0.01, max_backoff=0.05,
                     max_retry_after=1.0, delay=0.0, per_host=4, concurrency=4, max_bytes=1_000_000,
                     discovery_ttl=0.0)


def _bug(*_a, **_k):
    raise KeyError("injected")


def quarantine(lake: Lake, stage: str, day: str = DAY) -> list[tuple[str, str]]:
    df = lake.read_partition(f"quarantine_{stage}", day)
    return [(r["error_kind"], r["message"]) for r in df.iter_rows(named=True)] if df is not None else []


@pytest.mark.parametrize("name", sorted(p.name for p in SAMPLE.glob("*.html")))
def test_no_bundled_sample_page_is_a_parser_crash(name):
    index = json.loads((SAMPLE / "index.json").read_text(encoding="utf-8"))
    art, fault = faults.parse_page((SAMPLE / name).read_bytes(), (index.get(name) or {}).get("url"))
    assert fault is None or fault.kind != faults.PARSER_CRASH, fault
    assert (art is None) == (fault is not None)


def test_policy_maps_parse_error_and_bug(monkeypatch):
    _, f = faults.parse_page(b"", "http://x/a.html")
    assert f is not None and f.kind != faults.PARSER_CRASH and f.kind  # hopeless input keeps its reason
    monkeypatch.setattr(parse, "parse_html", _bug)
    assert faults.parse_page(PAGE.encode(), None) == (None, faults.Fault("parser_crash", "KeyError: 'injected'"))



def test_a_bug_inside_the_parser_propagates_and_the_policy_names_it(monkeypatch):
    from news_assets.parse import core

    monkeypatch.setattr(core, "read_page", _bug)  # a bug deep in the parser, not at its entry point
    with pytest.raises(KeyError):
        parse.parse_html(PAGE.encode(), "http://x/a.html")  # the parser swallows nothing
    assert faults.parse_page(PAGE.encode(), None) == (None, faults.Fault("parser_crash", "KeyError: 'injected'"))


def test_injected_bug_is_a_parser_crash_row_in_articles(tmp_path, monkeypatch):
    lake = Lake(tmp_path / "wh")
    src = SourceConfig(name="f", type="folder", path=str(tmp_path / "pages"))
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "a.html").write_text(PAGE, encoding="utf-8")
    pipeline.run_raw_html(lake, DAY, [src], RunCache())
    shutil.rmtree(lake.state_path("parse").path)  # no fetch-time parse kept: articles parses itself
    monkeypatch.setattr(parse, "parse_html", _bug)
    res = pipeline.run_articles(lake, DAY)
    assert (res.rows, res.quarantined) == (0, 1)
    assert quarantine(lake, "articles") == [("parser_crash", "KeyError: 'injected'")]


def test_injected_bug_is_a_parser_crash_row_in_a_folder_source(tmp_path, monkeypatch):
    lake = Lake(tmp_path / "wh")
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "a.html").write_text(PAGE, encoding="utf-8")
    monkeypatch.setattr(parse, "parse_html", _bug)
    src = SourceConfig(name="f", type="folder", path=str(tmp_path / "pages"))
    res = pipeline.run_raw_html(lake, DAY, [src], RunCache())  # the partition goes on
    assert res.counts == {"skipped": 1}
    assert quarantine(lake, "raw_html") == [("parser_crash", "KeyError: 'injected'")]


def fetch_undated_page(lake: Lake) -> list:
    """PAGE from a loopback sitemap that gives no date, so the fetch parses it to date it."""
    with LoopbackServer() as server:
        server.routes.update({"/a.html": Reply(PAGE.encode()),
                              "/sitemap.xml": Reply(sitemap(server.base, [("/a.html", None)]),
                                                    content_type="application/xml")})
        src = SourceConfig(name="w", type="sitemap", url=server.url("/sitemap.xml"))
        return collect_partition([src], DAY, lake, previous=[], settings=FAST)


def test_injected_bug_is_recorded_at_fetch_time_and_quarantined_by_articles(tmp_path, monkeypatch):
    lake = Lake(tmp_path / "wh")
    monkeypatch.setattr(parse, "parse_html", _bug)
    entries = fetch_undated_page(lake)
    (e,) = entries
    # undated at discovery, no date from a crashing parser: kept on the day that met it, fault on its row
    assert (e.outcome, e.date_source, e.error) == ("fetched", "first_seen", "parser_crash: KeyError: 'injected'")
    pipeline.record_raw_partition(lake, DAY, entries)
    pipeline.run_articles(lake, DAY)
    assert quarantine(lake, "articles") == [("parser_crash", "KeyError: 'injected'")]
