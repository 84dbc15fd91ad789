"""The folder source: partition by parsed date, cache, parallel indexing, sidecar fallbacks."""

from __future__ import annotations

import json

from news_assets.lake import Lake
from news_assets.sources import RunCache
from news_assets.sources.config import SourceConfig
from news_assets.sources.folder import PARALLEL_INDEX_MIN, collect_folder, folder_dates, folder_index

PAGE = """<html><head><meta charset="utf-8"><title>第{i}号新闻_测试网</title></head><body>
<h1>第{i}号新闻</h1><div class="info">发布时间：2024-03-{d:02d} 08:00 来源：测试日报</div>
<div class="article"><p>本报讯 今年一季度,某市新设企业{i}家,同比增长{d}%,实际利用外资3.7亿元。</p>
<p>这是第{i}号新闻的第二段正文,内容足够长以便被识别为正文,并且包含逗号、句号等标点符号。</p></div>
</body></html>"""


def make_pages(folder, n):
    folder.mkdir()
    for i in range(n):
        (folder / f"p{i:04d}.html").write_text(PAGE.format(i=i, d=i % 28 + 1), encoding="utf-8")


def test_large_folders_are_indexed_in_worker_processes_with_the_same_result(tmp_path):
    folder = tmp_path / "pages"
    make_pages(folder, PARALLEL_INDEX_MIN + 10)
    src = SourceConfig(name="big", type="folder", path=str(folder))
    parallel = folder_index(src, Lake(tmp_path / "a"), workers=2)
    serial = folder_index(src, Lake(tmp_path / "b"), workers=1)
    assert parallel == serial
    assert parallel["p0000.html"]["date"] == "2024-03-01" and parallel["p0000.html"]["date_source"] == "parsed"
    assert parallel["p0027.html"]["date"] == "2024-03-28"
    assert folder_dates(src, Lake(tmp_path / "a")) == [f"2024-03-{d:02d}" for d in range(1, 29)]


def test_pages_land_in_their_day_once_and_the_cache_follows_changes(tmp_path):
    folder = tmp_path / "pages"
    make_pages(folder, 3)
    (folder / "undated.html").write_text("<html><body><p>没有日期。</p></body></html>", encoding="utf-8")
    (folder / "index.json").write_text(json.dumps({
        "p0001.html": {"url": "https://test.cn/1.html"},
        "undated.html": {"url": "https://test.cn/u.html", "publish_date": "2024-03-05"},
    }), encoding="utf-8")
    lake = Lake(tmp_path / "wh")
    src = SourceConfig(name="f", type="folder", path=str(folder))
    day2 = collect_folder(src, "2024-03-02", lake)
    assert [(e.url, e.outcome, e.date_source) for e in day2] == [("https://test.cn/1.html", "fetched", "parsed")]
    assert lake.get_raw(day2[0].sha256) == (folder / "p0001.html").read_bytes()
    undated = collect_folder(src, "2024-03-05", lake)
    assert [(e.url, e.date_source) for e in undated] == [("https://test.cn/u.html", "index")]
    assert [e.url for e in collect_folder(src, "2024-03-01", lake)] == ["folder://f/p0000.html"]
    # a changed file is re-dated; the others come from the cache
    (folder / "p0001.html").write_text(PAGE.format(i=1, d=9), encoding="utf-8")
    assert collect_folder(src, "2024-03-02", lake) == []
    assert [e.url for e in collect_folder(src, "2024-03-09", lake)] == ["https://test.cn/1.html"]


def test_a_run_over_many_days_indexes_the_folder_once(tmp_path):
    folder = tmp_path / "pages"
    make_pages(folder, 3)
    lake = Lake(tmp_path / "wh")
    src = SourceConfig(name="f", type="folder", path=str(folder))
    cache = RunCache()
    assert [e.url for e in collect_folder(src, "2024-03-01", lake, cache)] == ["folder://f/p0000.html"]
    assert set(cache.folders["f"].pages) == {"p0000.html", "p0001.html", "p0002.html"}
    cache_files = list((tmp_path / "wh" / "_state" / "folder_index").iterdir())
    for p in cache_files:
        p.unlink()
    # the next day of the same run reuses the index: no walk, so no cache file is written again
    assert [e.url for e in collect_folder(src, "2024-03-02", lake, cache)] == ["folder://f/p0001.html"]
    assert not list((tmp_path / "wh" / "_state" / "folder_index").iterdir())
