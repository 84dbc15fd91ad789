"""Unit tests of the web sources' pure parts: URL canonicalisation, discovery parsers, charsets,
robots/Retry-After parsing, the bounded inflater, and sources-file validation."""

from __future__ import annotations

import gzip
import zlib

import pytest

from news_assets.parse.charset import detect, normalize_charset
from news_assets.sources import SourceConfigError, load_sources
from news_assets.sources.canonical import canonical_url, url_key
from news_assets.sources.config import SourceConfig
from news_assets.sources.discover import (
    DiscoveryError,
    date_in_text,
    date_in_url,
    parse_feed,
    parse_listing,
    parse_rfc822_date,
    parse_sitemap,
    parse_text_sitemap,
    parse_w3c_date,
)
from news_assets.sources.fetch import FetchError, _Inflater, parse_retry_after


@pytest.mark.parametrize("a,b", [
    ("http://News.Example.com:80/a/b.html#frag", "https://news.example.com/a/b.html"),
    ("https://example.com/a/b/?utm_source=wx&utm_medium=x&id=3&spm=1.2", "http://example.com/a/b?id=3"),
    ("https://example.com/list?b=2&a=1", "https://example.com/list?a=1&b=2"),
    ("https://example.com/a%7Eb", "https://example.com/a~b"),
    ("https://example.com/新闻/1.html", "https://example.com/%E6%96%B0%E9%97%BB/1.html"),
    ("https://example.com", "https://example.com/"),
    ("https://example.com/a?from=timeline&isappinstalled=0", "https://example.com/a"),
])
def test_same_page_same_key(a, b):
    assert url_key(a) == url_key(b)


@pytest.mark.parametrize("a,b", [
    ("https://example.com/a.html?id=1", "https://example.com/a.html?id=2"),
    ("https://example.com/a.html", "https://www.example.com/a.html"),
    ("https://example.com:8443/a", "https://example.com/a"),
])
def test_different_pages_different_keys(a, b):
    assert url_key(a) != url_key(b)


def test_canonical_url_keeps_scheme_and_meaningful_params():
    assert canonical_url("HTTPS://Example.COM:443/x/?b=2&utm_campaign=y&a=1#top") == "https://example.com/x?a=1&b=2"


def test_dates_in_text_and_urls():
    assert date_in_text("发布时间：2024年5月25日 10:30") == "2024-05-25"
    assert date_in_text("(2024-05-25 10:30:00)") == "2024-05-25"
    assert date_in_text("2024/5/7") == "2024-05-07"
    assert date_in_text("2024-13-40") is None and date_in_text("电话 12024-05-25") is None
    assert date_in_url("http://www.news.cn/politics/2024-05/25/c_1130151234.htm") == "2024-05-25"
    assert date_in_url("http://www.gov.cn/xinwen/20240525/abc.html") == "2024-05-25"
    assert date_in_url("https://example.com/a/t20240525_123.html") == "2024-05-25"
    assert date_in_url("https://example.com/a/1234567.html") is None


def test_timestamps_become_shanghai_days():
    assert parse_w3c_date("2024-05-24T17:30:00Z") == "2024-05-25"
    assert parse_w3c_date("2024-05-25T23:30:00+08:00") == "2024-05-25"
    assert parse_w3c_date("2024-05-25") == "2024-05-25"
    assert parse_w3c_date("2024-05-25T10:00:00") == "2024-05-25"  # naive: Shanghai local
    assert parse_rfc822_date("Fri, 24 May 2024 16:00:00 GMT") == "2024-05-25"
    assert parse_rfc822_date("Fri, 24 May 2024 15:59:59 GMT") == "2024-05-24"
    assert parse_rfc822_date("garbage") is None


def test_listing_links_with_dates_like_a_related_articles_list():
    html = """<html><head><meta charset="gbk"><base href="http://www.example.com/news/"></head><body>
    <div class="nav"><a href="/">首页</a> <a href="/china/index.html">国内</a> <a href="mailto:x@y">信箱</a></div>
    <h3>相关新闻</h3>
    <ul>
      <li><a href="a1.html">重庆港资企业超3500家</a> 2024-05-25</li>
      <li><a href="/news/a2.html">前一天</a><span>(2024年05月24日)</span></li>
      <li><a href="http://other.org/x/123456.html">外站</a> 2024-05-25</li>
      <li><a href="a3.shtml#comments">无日期</a></li>
    </ul>
    <table><tr><td><a href="a4.html">表格里</a></td><td>2024/5/25</td></tr></table>
    <p><a href="list_2.html">下一页</a></p></body></html>""".encode("gbk")
    links, nxt = parse_listing(html, "http://www.example.com/news/index.html")
    assert [(x.url, x.date, x.date_source) for x in links] == [
        ("http://www.example.com/news/a1.html", "2024-05-25", "listing"),
        ("http://www.example.com/news/a2.html", "2024-05-24", "listing"),
        ("http://www.example.com/news/a3.shtml", None, None),
        ("http://www.example.com/news/a4.html", "2024-05-25", "listing"),
    ]
    assert nxt == "http://www.example.com/news/list_2.html"


def test_sitemap_news_lastmod_and_index():
    sm = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
 <url><loc>https://e.com/a.html</loc><lastmod>2024-05-27</lastmod>
  <news:news><news:publication_date>2024-05-24T20:00:00Z</news:publication_date></news:news></url>
 <url><loc>https://e.com/b.html</loc><lastmod>2024-05-25T08:00:00+08:00</lastmod></url>
 <url><loc>https://e.com/2024-05/25/c.htm</loc></url>
 <url><loc>https://e.com/d.html</loc></url>
</urlset>"""
    pages, children = parse_sitemap(sm)
    assert [(p.url, p.date, p.date_source) for p in pages] == [
        ("https://e.com/a.html", "2024-05-25", "sitemap_news"),
        ("https://e.com/b.html", "2024-05-25", "sitemap_lastmod"),
        ("https://e.com/2024-05/25/c.htm", "2024-05-25", "url"),
        ("https://e.com/d.html", None, None),
    ]
    assert children == []
    idx = b"""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <sitemap><loc>https://e.com/s1.xml</loc><lastmod>2024-05-25</lastmod></sitemap>
      <sitemap><loc>https://e.com/s2.xml</loc></sitemap></sitemapindex>"""
    assert parse_sitemap(idx) == ([], [("https://e.com/s1.xml", "2024-05-25"), ("https://e.com/s2.xml", None)])


@pytest.mark.parametrize("data", [
    b"",
    b"not xml at all",
    b"<html><body>a page</body></html",
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><urlset>&lol2;</urlset>',
    b"<rss><channel><item><link>x</link></item></channel>",  # truncated
])
def test_unreadable_discovery_documents_raise(data):
    with pytest.raises(DiscoveryError):
        parse_sitemap(data)
    with pytest.raises(DiscoveryError):
        parse_feed(data)


def test_rss1_rdf_feed():
    rdf = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
  xmlns:dc="http://purl.org/dc/elements/1.1/">
 <item rdf:about="https://e.com/a.html"><link>https://e.com/a.html</link><dc:date>2024-05-25T09:00+08:00</dc:date></item>
</rdf:RDF>"""
    assert [(x.url, x.date) for x in parse_feed(rdf)] == [("https://e.com/a.html", "2024-05-25")]


def test_charset_header_meta_bom_detection():
    text = "<html><head><title>重庆已累计设立港资企业超3500家</title></head><body>合同金额721亿美元。锟斤拷</body></html>"
    gbk = text.encode("gbk")
    assert detect(gbk, "text/html; charset=UTF-8") == ("utf-8", "gb18030")  # the lie is recorded, the truth used
    assert detect(gbk, None) == (None, "gb18030")
    assert detect(gbk.replace(b"<head>", b'<head><meta charset="gb2312">'), "text/html") == ("gb2312", "gb18030")
    assert detect(text.encode("utf-8"), "text/html; charset=gbk") == ("gbk", "utf-8")
    assert detect(b"\xef\xbb\xbf" + text.encode("utf-8"), None)[1] == "utf-8"
    assert detect(text.encode("utf-16-le").join([b"\xff\xfe", b""]), None)[1] == "utf-16-le"
    assert detect(b"", "text/html; charset=gbk") == ("gbk", None)  # nothing to decode
    assert normalize_charset("GB2312") == "gb18030" and normalize_charset("x-gbk") == "gb18030"
    assert normalize_charset("nonsense") is None


def test_retry_after_and_crawl_delay_parsing():
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past
    assert parse_retry_after("soon") is None
    from protego import Protego

    robots = "\n".join(["User-agent: *", "Crawl-delay: 5", "", "User-agent: news-warehouse", "User-agent: other",
                        "Crawl-delay: 0.5", "Disallow: /x"])
    assert Protego.parse(robots).crawl_delay("news-warehouse") == 0.5
    assert Protego.parse(robots).crawl_delay("someone-else") == 5.0
    assert Protego.parse("User-agent: *\nDisallow: /").crawl_delay("news-warehouse") is None


def test_inflater_is_bounded_and_handles_real_world_encodings():
    bomb = gzip.compress(b"\0" * 50_000_000)
    inf = _Inflater("gzip")
    out = inf.feed(bomb, 1000)
    assert len(out) == 1001  # never more than the room left plus one byte
    assert _Inflater("gzip").feed(gzip.compress(b"ab") + gzip.compress(b"cd"), 100) == b"abcd"  # two members
    assert _Inflater("deflate").feed(zlib.compress(b"hello"), 100) == b"hello"  # zlib-wrapped
    raw = zlib.compressobj(wbits=-15)
    assert _Inflater("deflate").feed(raw.compress(b"hello") + raw.flush(), 100) == b"hello"  # raw deflate
    assert _Inflater("identity").feed(b"x" * 10, 3) == b"xxxx"
    with pytest.raises(FetchError) as e:
        _Inflater("br")
    assert e.value.reason == "unsupported_encoding"
    with pytest.raises(FetchError):
        _Inflater("gzip").feed(b"\x1f\x8bthis is not gzip", 100)


def test_sources_file_web_settings_are_validated_with_line_numbers(tmp_path):
    good = tmp_path / "sources.yaml"
    good.write_text("""sources:
  - name: xinhua
    type: sitemap
    url: https://www.news.cn/sitemap.xml
    delay: 1.5
    per_host: 2
    include: "/20\\\\d\\\\d-\\\\d\\\\d/"
  - name: gov
    type: rss
    url: https://www.gov.cn/rss.xml
  - name: column
    type: listing
    url: https://news.example.com/china/
    max_pages: 3
""", encoding="utf-8")
    srcs = load_sources(good)
    assert [(s.name, s.type, s.line) for s in srcs] == [("xinhua", "sitemap", 2), ("gov", "rss", 8),
                                                        ("column", "listing", 11)]
    assert srcs[0].options == {"delay": 1.5, "per_host": 2, "include": "/20\\d\\d-\\d\\d/"}
    cases = {
        "  delai: 1\n": "unknown setting 'delai'",
        "  per_host: two\n": "'per_host' must be int",
        "  delay: -1\n": "must not be negative",
        "  include: '(('\n": "not a valid regular expression",
        "  revalidate: sometimes\n": "'revalidate' must be",
        "  max_pages: 2\n": "unknown setting 'max_pages' for a rss source",
    }
    for extra, message in cases.items():
        bad = tmp_path / "bad.yaml"
        bad.write_text("- name: ok\n  type: folder\n  path: .\n- name: feed\n  type: rss\n  url: https://e.com/f\n"
                       + extra, encoding="utf-8")
        with pytest.raises(SourceConfigError) as exc:
            load_sources(bad)
        assert f"{bad}:7 (source 'feed')" in str(exc.value) and message in str(exc.value), str(exc.value)
    bad.write_text("- name: s\n  type: sitemap\n  url: ftp://e.com/s.xml\n", encoding="utf-8")
    with pytest.raises(SourceConfigError, match="needs an http"):
        load_sources(bad)


def test_folder_keys_are_checked_and_web_sources_refuse_path(tmp_path):
    bad = tmp_path / "sources.yaml"
    cases = {
        "- name: local\n  type: folder\n  path: pages\n  incldue: '2024'\n":
            ":4 (source 'local'): unknown setting 'incldue' for a folder source",
        "- name: ok\n  type: folder\n  path: .\n- name: local\n  type: folder\n  url: https://e.com/\n  path: .\n":
            ":6 (source 'local'): unknown setting 'url' for a folder source; a folder source reads 'path'",
        "- name: feed\n  type: rss\n  url: https://e.com/f.xml\n  path: ./pages\n":
            ":4 (source 'feed'): 'path' is for folder sources",
    }
    for text, message in cases.items():
        bad.write_text(text, encoding="utf-8")
        with pytest.raises(SourceConfigError) as exc:
            load_sources(bad)
        assert f"{bad}{message}" in str(exc.value), str(exc.value)


def test_a_sources_file_that_is_not_utf8_names_the_line_and_source(tmp_path):
    bad = tmp_path / "sources.yaml"
    bad.write_bytes("- name: sample\n  type: folder\n  path: .\n- name: 新华网\n  type: rss\n"
                    "  url: https://e.com/f.xml\n  include: 新闻\n".encode("gbk"))
    with pytest.raises(SourceConfigError) as exc:
        load_sources(bad)
    msg = str(exc.value)
    assert msg.startswith(f"{bad}:4: ") and "not UTF-8 text" in msg and "save the sources file as UTF-8" in msg, msg
    bad.write_bytes("- name: feed\n  type: rss\n  url: https://e.com/f.xml\n  include: 新闻\n".encode("gbk"))
    with pytest.raises(SourceConfigError, match=r"sources.yaml:4 \(source 'feed'\): not UTF-8 text"):
        load_sources(bad)
    bad.write_bytes(b"\xef\xbb\xbf- name: bom\n  type: folder\n  path: .\n")  # a BOM is fine
    assert [s.name for s in load_sources(bad)] == ["bom"]


def test_example_sources_file_loads():
    from pathlib import Path

    import news_assets.sources as s

    example = Path(s.__file__).with_name("sources.example.yaml")
    srcs = load_sources(example)
    assert [x.type for x in srcs] == ["folder", "sitemap", "rss", "listing"]
    assert srcs[3].options == {"max_pages": 2, "include": r"/t20\d{6}_\d+\.html$"}


def test_gb2312_feed_and_text_sitemap():
    rss = """<?xml version="1.0" encoding="gb2312"?>
<rss version="2.0"><channel><title>新闻中心</title>
<item><title>重庆港资企业超3500家</title><link>http://news.example.com/a.shtml</link>
<pubDate>Sat, 25 May 2024 09:00:00 +0800</pubDate></item></channel></rss>""".encode("gb2312")
    assert [(x.url, x.date) for x in parse_feed(rss)] == [("http://news.example.com/a.shtml", "2024-05-25")]
    txt = b"https://e.com/2024-05/25/a.htm\nhttps://e.com/b.html\n\nnot a url\n"
    assert [(x.url, x.date) for x in parse_text_sitemap(txt)] == [("https://e.com/2024-05/25/a.htm", "2024-05-25"),
                                                                  ("https://e.com/b.html", None)]


def test_every_kind_is_a_source_type_and_its_settings_are_the_accepted_keys(tmp_path):
    from dataclasses import fields

    from news_assets.sources.config import SOURCE_TYPES
    from news_assets.sources.kinds import KINDS

    assert set(SOURCE_TYPES) == set(KINDS) == {"folder", "listing", "sitemap", "rss"}
    cfg = tmp_path / "sources.yaml"
    for typ, kind in KINDS.items():
        if not kind.web:
            continue
        keys = {f.name: f.default for f in fields(kind.settings)}
        body = "".join(f"  {k}: {str(v).lower() if isinstance(v, bool) else repr(v)}\n" for k, v in keys.items())
        cfg.write_text(f"- name: s\n  type: {typ}\n  url: https://e.com/x\n{body}", encoding="utf-8")
        (src,) = load_sources(cfg)
        assert kind.config(src) == kind.settings(), typ  # the defaults, spelled out, read back
    listing = SourceConfig("l", "listing", url="https://e.com/", options={"max_pages": 3, "delay": 1.0})
    assert KINDS["listing"].config(listing).max_pages == 3  # fetch settings are not the kind's


def test_a_day_weighs_only_the_pages_it_can_concern():
    from news_assets.sources.discover import Discovered
    from news_assets.sources.web import _candidates

    src = SourceConfig(name="s", type="sitemap", url="http://example.com/sitemap.xml")
    day, other = "2024-06-02", "2024-06-03"
    found = [[
        Discovered("http://example.com/a.html", day, "sitemap_news"),
        Discovered("http://example.com/b.html", other, "sitemap_news"),  # another day's page: not weighed
        Discovered("http://example.com/c.html", None),  # undated: fetched to see
        Discovered("http://u:p@example.com/d.html", other, "sitemap_news"),  # another day's, but held
        Discovered("http://example.com/e.html", None),
        Discovered("https://example.com/e.html", other, "sitemap_news"),  # a second spelling dates e
    ]]
    cands = _candidates([src], found, day, {url_key("http://example.com/d.html")})
    got = {c.url: (c.date, c.dups) for c in cands.values()}
    assert got == {"http://example.com/a.html": (day, []), "http://example.com/c.html": (None, []),
                   "http://example.com/d.html": (other, []),
                   "http://example.com/e.html": (other, ["https://example.com/e.html"])}
    assert list(_candidates([src], found, other, set())) == [url_key(u) for u in (
        "http://example.com/b.html", "http://example.com/c.html", "http://example.com/d.html",
        "http://example.com/e.html")]
