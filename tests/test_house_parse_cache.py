"""Fetch-time dating keeps its parse: `articles` reads it from the lake's ParseCache (keyed by raw
sha256, parser version, URL and limits) instead of parsing the page a second time."""

from __future__ import annotations

from test_house_faults import PAGE, fetch_undated_page

from news_assets import faults, parse, pipeline
from news_assets.lake import Lake
from news_assets.sources import RunCache
from news_assets.sources.config import SourceConfig

DAY = "2024-03-02"


def _no_second_parse(*_a, **_k):
    raise AssertionError("parsed a second time")


def test_articles_reads_the_folder_dating_parse(tmp_path, monkeypatch):
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "a.html").write_text(PAGE, encoding="utf-8")
    lake = Lake(tmp_path / "wh")
    pipeline.run_raw_html(lake, DAY, [SourceConfig(name="f", type="folder", path=str(tmp_path / "pages"))],
                          RunCache())
    monkeypatch.setattr(parse, "parse_html", _no_second_parse)
    monkeypatch.setattr(Lake, "get_raw", _no_second_parse)  # a kept parse needs no raw bytes either
    res = pipeline.run_articles(lake, DAY)
    assert (res.rows, res.quarantined) == (1, 0)
    assert lake.read_partition("articles", DAY)["title"].to_list() == ["某市新设企业"]


def test_articles_reads_the_web_fetch_time_parse(tmp_path, monkeypatch):
    lake = Lake(tmp_path / "wh")
    entries = fetch_undated_page(lake)
    assert [(e.outcome, e.date_source) for e in entries] == [("fetched", "parsed")]
    pipeline.record_raw_partition(lake, DAY, entries)
    monkeypatch.setattr(parse, "parse_html", _no_second_parse)
    assert pipeline.run_articles(lake, DAY).rows == 1


def test_cache_is_keyed_by_parser_version_and_keeps_no_crash(tmp_path, monkeypatch):
    cache = faults.ParseCache(Lake(tmp_path / "wh"))
    art, fault = faults.parse_page(PAGE.encode(), "http://x/a.html", cache=cache)
    assert fault is None and cache.get(faults.hashlib.sha256(PAGE.encode()).hexdigest(), "http://x/a.html")
    sha = faults.hashlib.sha256(PAGE.encode()).hexdigest()
    assert cache.get(sha, "http://x/other.html") is None  # the URL is part of the parse's input
    assert cache.get(sha, "http://x/a.html", charset="big5") is None  # a parse under another charset
    monkeypatch.setattr(parse, "PARSER_VERSION", "other")
    assert cache.get(sha, "http://x/a.html") is None
    monkeypatch.setattr(parse, "parse_html", lambda *a, **k: (_ for _ in ()).throw(KeyError("bug")))
    assert faults.parse_page(b"<p>x</p>", None, cache=cache)[1].kind == "parser_crash"
    assert cache.get(faults.hashlib.sha256(b"<p>x</p>").hexdigest(), None) is None
