"""Folder pages that give no date, or no text at all, are quarantined once, in the first day of the
run that finds them — never filed under their file's modification time."""

from __future__ import annotations

import os
import random
import time

from news_assets import pipeline
from news_assets.lake import Lake
from news_assets.sources import RunCache
from news_assets.sources.config import SourceConfig

DATED = """<html><head><meta charset="utf-8"><title>某市新设企业_测试网</title></head><body>
<h1>某市新设企业</h1><div class="info">发布时间：2024-03-02 08:00 来源：测试日报</div>
<div class="article"><p>本报讯 今年一季度,某市新设企业25家,同比增长56%,实际利用外资3.7亿元。</p>
<p>这是正文的第二段,内容足够长以便被识别为正文,并且包含逗号、句号等标点符号。</p></div></body></html>"""
UNDATED = """<html><head><meta charset="gbk"><title>没有日期的页面</title></head><body><h1>没有日期的页面</h1>
<div class="article"><p>本报讯 某市新设企业25家,同比增长56%,这一页没有任何发布时间。</p></div></body></html>"""
DAYS = ["2024-03-01", "2024-03-02", "2024-03-03"]


def quarantined(lake: Lake, day: str) -> list[tuple[str, str]]:
    df = lake.read_partition("quarantine_raw_html", day)
    return sorted((r["url"].rsplit("/", 1)[-1], r["error_kind"]) for r in df.iter_rows(named=True)) if df is not None else []


def run(lake: Lake, source: SourceConfig, days: list[str]) -> None:
    cache = RunCache()  # one run over these days, as the raw_html asset does
    for d in days:
        pipeline.run_raw_html(lake, d, [source], cache)


def test_undated_empty_and_binary_pages_are_quarantined_once_in_the_runs_first_day(tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "dated.html").write_text(DATED, encoding="utf-8")
    (folder / "undated.html").write_bytes(UNDATED.encode("gbk"))
    (folder / "empty.html").write_bytes(b"")
    (folder / "noise.html").write_bytes(random.Random(5).randbytes(200_000))
    (folder / "blank.htm").write_bytes(b"  \n\t ")
    old = time.mktime((2024, 3, 3, 12, 0, 0, 0, 0, -1))  # an mtime that is one of the run's days
    os.utime(folder / "undated.html", (old, old))
    source = SourceConfig("f", "folder", path=str(folder))
    lake = Lake(tmp_path / "wh")

    run(lake, source, DAYS[1:])  # a run whose first day is 03-02
    want = [("blank.htm", "empty"), ("empty.html", "empty"), ("noise.html", "undecodable"),
            ("undated.html", "no_publish_date")]
    assert quarantined(lake, "2024-03-02") == want
    assert quarantined(lake, "2024-03-03") == []  # not under its mtime
    manifest = {r["url"].rsplit("/", 1)[-1]: r for r in lake.read_partition("raw_html", "2024-03-02").iter_rows(named=True)}
    assert (manifest["dated.html"]["outcome"], manifest["dated.html"]["date_source"]) == ("fetched", "parsed")
    assert (manifest["undated.html"]["outcome"], manifest["undated.html"]["date_source"]) == ("skipped", "first_seen")
    assert manifest["undated.html"]["sha256"]  # its bytes are kept for a better parser
    assert manifest["undated.html"]["detected_charset"] == "gb18030"

    # another run over a range that includes 03-01: the pages stay where they were first found
    run(lake, source, DAYS)
    assert quarantined(lake, "2024-03-01") == []
    assert quarantined(lake, "2024-03-02") == want  # re-run: the same rows, not twice the rows
    assert quarantined(lake, "2024-03-03") == []
    pipeline.run_articles(lake, "2024-03-02")
    arts = lake.read_partition("articles", "2024-03-02")
    assert [u.rsplit("/", 1)[-1] for u in arts["url"]] == ["dated.html"]
    assert lake.read_partition("quarantine_articles", "2024-03-02").height == 0  # quarantined once, in raw_html


def test_a_page_that_gains_a_date_moves_to_its_day(tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "later.html").write_bytes(UNDATED.encode("gbk"))
    source = SourceConfig("f", "folder", path=str(folder))
    lake = Lake(tmp_path / "wh")
    run(lake, source, ["2024-03-01"])
    assert quarantined(lake, "2024-03-01") == [("later.html", "no_publish_date")]
    (folder / "later.html").write_text(DATED, encoding="utf-8")  # fixed at the source
    run(lake, source, ["2024-03-02"])
    assert [r["outcome"] for r in lake.read_partition("raw_html", "2024-03-02").iter_rows(named=True)] == ["fetched"]
