"""One owner for the charset: the manifest records what parse.charset decided, and the parser
decodes with exactly that, for pages that lie about their charset, over a real HTTP server."""

from __future__ import annotations

import random

from support import GBK_PAGE

from news_assets import pipeline
from news_assets.lake import Lake
from news_assets.parse import ParseError, parse_html
from news_assets.parse.charset import decode_html, detect
from news_assets.sources import FetchSettings, collect_partition
from news_assets.sources.config import SourceConfig
from news_assets.sources.testserver import LoopbackServer, Reply

DAY = "2024-05-25"
FAST = FetchSettings(timeout=2.0, connect_timeout=1.0, retries=1, backoff=0.02, delay=0.0, per_host=8,
                     discovery_ttl=0.0)
TRAD = "香港特區政府統計處發佈數據，本港對外貿易總額按年增長百分之十二點三，創歷史新高。"
SIMP = "重庆已累计设立港资企业超3500家，合同金额721亿美元，实际利用外资同比增长145.8%。"


def page(title: str, body: str, meta: str) -> str:
    return (f"<!DOCTYPE html><html><head>{meta}<title>{title}</title>"
            f"<meta name=\"publishdate\" content=\"{DAY}\"></head><body><h1>{title}</h1>"
            f"<div class=\"info\">{DAY} 10:00</div><div class=\"content\"><p>{body}</p><p>{body}</p>"
            "</div></body></html>")


# path -> (bytes, Content-Type header, the title a reader sees)
CASES = {
    "/big5-says-gbk.html": (page("香港外貿創新高", TRAD, '<meta charset="gbk">').encode("big5"),
                            "text/html; charset=gbk", "香港外貿創新高"),
    "/gbk-says-utf8.html": (page("重庆港资企业", SIMP, '<meta charset="utf-8">').encode("gbk"),
                            "text/html; charset=UTF-8", "重庆港资企业"),
    "/utf8-says-gbk.html": (page("重庆港资企业超3500家", SIMP, '<meta charset="gb2312">').encode("utf-8"),
                            "text/html; charset=gbk", "重庆港资企业超3500家"),
    "/gbk-silent.html": (page("重庆实际利用外资", SIMP, "").encode("gbk"), "text/html", "重庆实际利用外资"),
    "/big5-silent.html": (page("香港外貿統計", TRAD, "").encode("big5"), "text/html", "香港外貿統計"),
}


def test_detect_and_the_parser_agree_on_lying_pages():
    for path, (data, ctype, title) in CASES.items():
        declared, used = detect(data, ctype)
        alone = parse_html(data, "https://e.com" + path, declared_charset=declared)  # deciding by itself
        handed = parse_html(data, "https://e.com" + path, declared_charset=declared, charset=used)
        assert alone.charset == handed.charset == used, path
        assert handed.title == title, (path, handed.title)
    assert detect(CASES["/big5-says-gbk.html"][0], "text/html; charset=gbk") == ("gbk", "big5hkscs")


def test_random_bytes_are_undecodable_not_mojibake():
    noise = random.Random(14).randbytes(200_000)
    assert detect(noise, "text/html")[1] is None
    try:
        decode_html(noise)
    except ParseError as e:
        assert e.kind == "undecodable"
    else:
        raise AssertionError("random bytes decoded")
    # text with a few stray control bytes (a bad paste) is still text
    gbk = GBK_PAGE.replace(b"</title>", b"\x01\x02</title>", 1)
    assert detect(gbk, None)[1] == "gb18030"


def test_manifest_charset_is_the_one_the_articles_stage_decodes_with(tmp_path):
    noise = random.Random(4).randbytes(200_000)
    with LoopbackServer() as s:
        s.routes["/robots.txt"] = Reply(b"", status=404)
        items = "".join(f"<item><link>{s.base}{p}</link><pubDate>Sat, 25 May 2024 09:00:00 +0800</pubDate></item>"
                        for p in [*CASES, "/noise.html"])
        s.routes["/feed.xml"] = Reply(f"<rss version='2.0'><channel>{items}</channel></rss>".encode(),
                                      content_type="application/rss+xml")
        for path, (data, ctype, _) in CASES.items():
            s.routes[path] = Reply(data, content_type=ctype)
        s.routes["/noise.html"] = Reply(noise, content_type="text/html")
        lake = Lake(tmp_path / "wh")
        entries = collect_partition([SourceConfig("feed", "rss", url=s.url("/feed.xml"))], DAY, lake,
                                    previous=[], settings=FAST)
        pipeline.record_raw_partition(lake, DAY, entries)
    res = pipeline.run_articles(lake, DAY)
    manifest = {r["url"].replace(s.base, ""): r for r in lake.read_partition("raw_html", DAY).iter_rows(named=True)}
    arts = {r["url"].replace(s.base, ""): r for r in lake.read_partition("articles", DAY).iter_rows(named=True)}
    assert set(arts) == set(CASES)
    for path, (_, _, title) in CASES.items():
        assert arts[path]["charset"] == manifest[path]["detected_charset"], path
        assert arts[path]["title"] == title
    assert manifest["/big5-says-gbk.html"]["declared_charset"] == "gbk"
    assert manifest["/big5-says-gbk.html"]["detected_charset"] == "big5hkscs"
    assert manifest["/noise.html"]["detected_charset"] is None
    bad = lake.read_partition("quarantine_articles", DAY)
    assert [(r["url"].replace(s.base, ""), r["error_kind"]) for r in bad.iter_rows(named=True)] == [
        ("/noise.html", "undecodable")]
    assert res.counts == {"undecodable": 1}
