"""The web fetch path against a real HTTP server on 127.0.0.1, with faults.

Pages: two real Chinese news pages (tests/fixtures/fetch/, see ATTRIBUTION.md) and small inline ones.
"""

from __future__ import annotations

import gzip
import json
import time
from pathlib import Path

import pytest
from support import GBK_PAGE, UTF8_PAGE, sitemap

from news_assets import schemas
from news_assets.lake import Lake
from news_assets.sources import FetchSettings, SourceUnavailable, collect_partition, load_sources
from news_assets.sources.config import SourceConfig
from news_assets.sources.testserver import LoopbackServer, Reply

DAY = "2024-05-25"

FAST = FetchSettings(timeout=1.0, connect_timeout=0.5, retries=2, backoff=0.02, max_backoff=0.1,
                     max_retry_after=2.0, delay=0.0, per_host=8, concurrency=16, max_bytes=1_000_000,
                     discovery_ttl=0.0)


def article(title: str, day: str = DAY, body: str = "新华社重庆5月25日电 重庆已累计设立港资企业超3500家。") -> bytes:
    return (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{title}</title>"
            f"<meta name=\"publishdate\" content=\"{day}\"></head><body><h1>{title}</h1>"
            f"<div class=\"info\">发布时间：{day} 10:00 来源：新华网</div>"
            f"<div class=\"content\"><p>{body}</p><p>{body}</p></div></body></html>").encode()


def xml(body: bytes) -> Reply:
    return Reply(body, content_type="application/xml")


def src(name: str, typ: str, url: str, **options) -> SourceConfig:
    return SourceConfig(name=name, type=typ, url=url, options=options)


def by_url(entries, server: LoopbackServer) -> dict[str, object]:
    return {e.url.replace(server.base, ""): e for e in entries}


@pytest.fixture
def server():
    with LoopbackServer() as s:
        yield s


@pytest.fixture
def lake(tmp_path):
    return Lake(tmp_path / "wh")


def test_sitemap_with_every_fault(server, lake):
    """One news sitemap, one URL per fault; each URL ends with its asserted outcome."""
    bomb = gzip.compress(b" " * 30_000_000, compresslevel=9)  # 30 MB of spaces in ~30 KB
    gbk_lying = GBK_PAGE.replace(b"charset=gbk", b"charset=utf-8")  # header AND meta say UTF-8
    no_charset = GBK_PAGE.replace(b"charset=gbk", b"")
    server.routes.update({
        "/robots.txt": Reply(b"User-agent: *\nDisallow: /private/\n", content_type="text/plain"),
        "/ok.html": Reply(article("重庆港资企业超3500家"), headers={"ETag": '"v1"'}),
        "/slow.html": Reply(article("slow"), delay=3.0),
        "/drip.html": Reply(article("drip") * 20, drip=0.05),
        "/flaky.html": [Reply(b"oops", status=500), Reply(article("flaky ok"))],
        "/busy.html": [Reply(b"", status=429, headers={"Retry-After": "1"}), Reply(article("busy ok"))],
        "/r1.html": Reply(status=301, headers={"Location": "/r2.html"}),
        "/r2.html": Reply(status=302, headers={"Location": "/r3.html"}),
        "/r3.html": Reply(article("redirected")),
        "/loop-a.html": Reply(status=302, headers={"Location": "/loop-b.html"}),
        "/loop-b.html": Reply(status=302, headers={"Location": "/loop-a.html"}),
        "/gbk.html": Reply(gbk_lying, content_type="text/html; charset=UTF-8"),
        "/nocharset.html": Reply(no_charset, content_type="text/html"),
        "/bomb.html": Reply(bomb, headers={"Content-Encoding": "gzip"}),
        "/gz.html": Reply(gzip.compress(UTF8_PAGE), headers={"Content-Encoding": "gzip"}),
        "/file.pdf": Reply(b"%PDF-1.4 ...", content_type="application/pdf"),
        "/private/secret.html": Reply(article("secret")),
        "/dup.html": Reply(article("dup")),
        "/always500.html": Reply(b"down", status=500),
        "/noctype.html": Reply(article("no content type"), content_type=None),
        "/noctype.bin": Reply(b"\x00\x01binary\x00" * 50, content_type=None),
        "/to-private.html": Reply(status=302, headers={"Location": "/private/secret.html"}),
        **{f"/chain{i}.html": Reply(status=301, headers={"Location": f"/chain{i + 1}.html"}) for i in range(8)},
    })
    pages = ["/ok.html", "/slow.html", "/drip.html", "/flaky.html", "/busy.html", "/r1.html", "/loop-a.html",
             "/gbk.html", "/nocharset.html", "/bomb.html", "/gz.html", "/file.pdf", "/missing.html",
             "/private/secret.html", "/dup.html", "/dup.html?utm_source=x#top", "/always500.html",
             "/noctype.html", "/noctype.bin", "/to-private.html", "/chain0.html"]
    items = [(p, DAY) for p in pages] + [("/other-day.html", "2024-05-24")]
    server.routes["/sitemap.xml"] = xml(sitemap(server.base, items))
    t0 = time.monotonic()
    settings = FetchSettings(**{**FAST.__dict__, "timeout": 0.6})
    entries = collect_partition([src("site", "sitemap", server.url("/sitemap.xml"))], DAY, lake, previous=[],
                                settings=settings)
    elapsed = time.monotonic() - t0
    got = by_url(entries, server)
    # the manifest accounts for every URL of the day, once each, and nothing else
    assert sorted(got) == sorted(pages)
    assert len(entries) == len(pages)

    def outcome(p):
        e = got[p]
        return e.outcome, e.reason

    ok = got["/ok.html"]
    assert (ok.outcome, ok.status, ok.final_url) == ("fetched", 200, server.url("/ok.html"))
    assert lake.get_raw(ok.sha256) == article("重庆港资企业超3500家")
    assert ok.date_source == "sitemap_news" and ok.publish_date == DAY
    assert outcome("/slow.html") == ("failed", "timeout")
    assert outcome("/drip.html") == ("failed", "timeout")  # a body dripping past the deadline
    assert outcome("/flaky.html") == ("fetched", None) and got["/flaky.html"].status == 200
    assert server.hits["/flaky.html"] == 2
    assert outcome("/busy.html") == ("fetched", None)
    assert server.hits["/busy.html"] == 2
    t429, t_ok = server.times["/busy.html"]
    assert t_ok - t429 >= 0.95  # Retry-After: 1 honoured
    r = got["/r1.html"]
    assert (r.outcome, r.final_url) == ("fetched", server.url("/r3.html"))
    assert lake.get_raw(r.sha256) == article("redirected")
    assert outcome("/loop-a.html") == ("failed", "redirect_loop")
    g = got["/gbk.html"]
    assert g.outcome == "fetched" and g.declared_charset == "utf-8" and g.detected_charset == "gb18030"
    assert "脂溢性脱发" in lake.get_raw(g.sha256).decode(g.detected_charset)
    n = got["/nocharset.html"]
    assert n.outcome == "fetched" and n.declared_charset is None and n.detected_charset == "gb18030"
    assert outcome("/bomb.html") == ("failed", "too_large")
    gz = got["/gz.html"]
    assert gz.outcome == "fetched" and lake.get_raw(gz.sha256) == UTF8_PAGE and gz.size == len(UTF8_PAGE)
    assert outcome("/file.pdf") == ("skipped", "not_html")
    assert outcome("/missing.html") == ("failed", "http_404") and got["/missing.html"].status == 404
    assert outcome("/private/secret.html") == ("skipped", "robots_disallowed")
    assert "/private/secret.html" not in server.hits  # never requested
    d1, d2 = got["/dup.html"], got["/dup.html?utm_source=x#top"]
    assert d1.outcome == "fetched" and (d2.outcome, d2.reason, d2.sha256) == ("skipped", "duplicate", d1.sha256)
    assert server.hits["/dup.html"] == 1
    a5 = got["/always500.html"]
    assert (a5.outcome, a5.reason, a5.status) == ("failed", "http_500", 500)
    assert server.hits["/always500.html"] == FAST.retries + 1
    assert outcome("/chain0.html") == ("failed", "too_many_redirects")  # the cap is 5
    assert server.hits["/chain5.html"] == 1 and "/chain6.html" not in server.hits
    tp = got["/to-private.html"]  # robots.txt is checked at every hop
    assert (tp.outcome, tp.reason, tp.final_url) == ("skipped", "robots_disallowed", server.url("/private/secret.html"))
    assert outcome("/noctype.html") == ("fetched", None)  # no Content-Type, but the body is HTML
    assert outcome("/noctype.bin") == ("skipped", "not_html")
    assert "/other-day.html" not in server.hits
    # a clear User-Agent on every request
    assert all(h["user-agent"].startswith("news-warehouse/") for _, h in server.log)
    assert elapsed < 10
    # rows fit the manifest schema
    assert schemas.frame([e.as_row() for e in entries], schemas.MANIFEST).height == len(pages)


LISTING_DAY = "2022-02-13"  # the UTF-8 fixture's publish date


def listing_page(entries: list[tuple[str, str, str | None]], next_href: str | None = None) -> bytes:
    """A listing like a news site's column page (or the seed page's related-articles list)."""
    lis = []
    for href, title, day in entries:
        when = f"<span class=\"date\">{day}</span>" if day else ""
        lis.append(f"<li><a href=\"{href}\" target=\"_blank\">{title}</a>{when}</li>")
    nav = f"<div class=\"page\"><a href=\"{next_href}\">下一页</a></div>" if next_href else ""
    return (
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>国内新闻</title></head><body>"
        "<div class=\"nav\"><a href=\"/\">首页</a><a href=\"/index.html\">国内</a><a href=\"/about/\">关于我们</a></div>"
        f"<ul class=\"list\">{''.join(lis)}</ul>{nav}</body></html>"
    ).encode()


def test_listing_source_dates_pagination_and_undated_pages(server, lake):
    server.routes.update({
        "/robots.txt": Reply(b"", status=404),
        "/china/": Reply(listing_page([
            ("/news/a1.html", "重庆港资企业超3500家", "2022-02-13 09:30"),
            ("/news/a2.html", "前一天的新闻", "2022-02-12"),
            ("../news/yz.html", "著名戏曲导演沈斌去世", None),  # relative link, no date: parsed
            ("/news/gbk.html", "脂溢性脱发", None),  # no date; parses to 2021-01-29
        ], next_href="/china/index_2.html")),
        "/china/index_2.html": Reply(listing_page([("/news/2022-02/13/c_1.htm", "第二页", None)])),
        "/news/a1.html": Reply(article("重庆港资企业超3500家", LISTING_DAY)),
        "/news/yz.html": Reply(UTF8_PAGE),
        "/news/gbk.html": Reply(GBK_PAGE, content_type="text/html"),
        "/news/2022-02/13/c_1.htm": Reply(article("第二页", LISTING_DAY)),
    })
    source = src("column", "listing", server.url("/china/"), max_pages=3)
    entries = collect_partition([source], LISTING_DAY, lake, previous=[], settings=FAST)
    got = by_url(entries, server)
    assert set(got) == {"/news/a1.html", "/news/yz.html", "/news/gbk.html", "/news/2022-02/13/c_1.htm"}
    assert (got["/news/a1.html"].outcome, got["/news/a1.html"].date_source) == ("fetched", "listing")
    assert (got["/news/2022-02/13/c_1.htm"].outcome, got["/news/2022-02/13/c_1.htm"].date_source) == ("fetched", "url")
    yz = got["/news/yz.html"]
    assert (yz.outcome, yz.date_source, yz.publish_date) == ("fetched", "parsed", LISTING_DAY)
    g = got["/news/gbk.html"]  # fetched to learn its date, which is another day
    assert (g.outcome, g.reason, g.detected_charset) == ("skipped", "dated_elsewhere", "gb18030")
    assert "2021-01-29" in g.error
    assert "/news/a2.html" not in server.hits and "/about/" not in server.hits

    # The GBK page lands in its own day, from the state, without being fetched again...
    other = collect_partition([source], "2021-01-29", lake, previous=[], settings=FAST)
    assert [(e.url.replace(server.base, ""), e.outcome, e.date_source, e.sha256) for e in other] == [
        ("/news/gbk.html", "fetched", "parsed", g.sha256)]
    assert server.hits["/news/gbk.html"] == 1
    # ...and re-running the first day does not claim it again: exactly one partition, same rows.
    again = collect_partition([source], LISTING_DAY, lake, previous=entries, settings=FAST)
    assert sorted((e.url, e.outcome, e.sha256) for e in again) == sorted((e.url, e.outcome, e.sha256) for e in entries)
    assert [e.reason for e in again if e.url.endswith("/news/gbk.html")] == ["dated_elsewhere"]
    assert server.hits["/news/gbk.html"] == 1


def test_rss_and_atom_feeds(server, lake):
    rss = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>滚动新闻</title>
<item><title>a</title><link>{server.base}/rss/a.html</link><pubDate>Sat, 25 May 2024 09:00:00 +0800</pubDate></item>
<item><title>b</title><link>{server.base}/rss/b.html</link><pubDate>Fri, 24 May 2024 17:30:00 GMT</pubDate></item>
<item><title>c</title><link>{server.base}/rss/c.html</link><pubDate>Fri, 24 May 2024 12:00:00 GMT</pubDate></item>
<item><title>d</title><guid isPermaLink="true">{server.base}/rss/d.html</guid><pubDate>Sat, 25 May 2024 20:00:00 +0800</pubDate></item>
</channel></rss>""".encode()
    atom = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
<entry><title>e</title><link rel="alternate" href="{server.base}/atom/e.html"/><published>2024-05-25T08:00:00+08:00</published></entry>
<entry><title>f</title><link href="/atom/f.html"/><updated>2024-05-26T08:00:00+08:00</updated></entry>
</feed>""".encode()
    server.routes.update({"/feed.xml": Reply(rss, content_type="application/rss+xml"),
                          "/atom.xml": Reply(atom, content_type="application/atom+xml")})
    for p in ("/rss/a.html", "/rss/b.html", "/rss/c.html", "/rss/d.html", "/atom/e.html", "/atom/f.html"):
        server.routes[p] = Reply(article(p))
    entries = collect_partition([src("feed", "rss", server.url("/feed.xml")), src("atom", "rss", server.url("/atom.xml"))],
                                DAY, lake, previous=[], settings=FAST)
    got = by_url(entries, server)
    # 17:30 GMT on the 24th is 01:30 on the 25th in Shanghai
    assert sorted(got) == ["/atom/e.html", "/rss/a.html", "/rss/b.html", "/rss/d.html"]
    assert all(e.outcome == "fetched" and e.date_source == "rss" for e in entries)
    assert {e.source for e in entries} == {"feed", "atom"}


def test_sitemap_index_prunes_old_children_and_reads_gzip(server, lake):
    index = f"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>{server.base}/sm-2023.xml</loc><lastmod>2023-12-31</lastmod></sitemap>
<sitemap><loc>{server.base}/sm-2024.xml.gz</loc><lastmod>2024-05-26T01:00:00+08:00</lastmod></sitemap>
</sitemapindex>""".encode()
    server.routes.update({
        "/sitemap_index.xml": xml(index),
        "/sm-2024.xml.gz": Reply(gzip.compress(sitemap(server.base, [("/p1.html", DAY), ("/p2.html", "2024-05-26"),
                                                                        ("/updated.html", DAY)],
                                                       news=False)), content_type="application/x-gzip"),
        "/p1.html": Reply(article("p1")),
        "/updated.html": Reply(UTF8_PAGE),  # published 2022-02-13, but its lastmod says the day
    })
    entries = collect_partition([src("idx", "sitemap", server.url("/sitemap_index.xml"))], DAY, lake,
                                previous=[], settings=FAST)
    assert [(e.url.replace(server.base, ""), e.outcome, e.date_source) for e in entries] == [
        ("/p1.html", "fetched", "sitemap_lastmod"), ("/updated.html", "skipped", "parsed")]
    assert entries[1].reason == "dated_elsewhere" and "2022-02-13" in entries[1].error
    assert "/sm-2023.xml" not in server.hits  # last changed before the day: cannot hold its pages


def test_rerun_uses_conditional_requests_and_retries_failures(server, lake):
    lm = "Sat, 25 May 2024 02:00:00 GMT"

    def etag_page(headers):
        if headers.get("if-none-match") == '"v1"':
            return Reply(status=304, headers={"ETag": '"v1"'}, content_type=None)
        return Reply(article("etag"), headers={"ETag": '"v1"'})

    def lm_page(headers):
        if headers.get("if-modified-since") == lm:
            return Reply(status=304, content_type=None)
        return Reply(article("lm"), headers={"Last-Modified": lm})

    server.routes.update({
        "/etag.html": etag_page, "/lm.html": lm_page, "/plain.html": Reply(article("plain")),
        "/later.html": Reply(b"", status=503),
    })
    server.routes["/sitemap.xml"] = xml(sitemap(server.base, [(p, DAY) for p in
                                                              ("/etag.html", "/lm.html", "/plain.html", "/later.html")]))
    source = src("site", "sitemap", server.url("/sitemap.xml"))
    first = collect_partition([source], DAY, lake, previous=[], settings=FAST)
    lake.write_partition("raw_html", DAY, schemas.frame([e.as_row() for e in first], schemas.MANIFEST))
    f = by_url(first, server)
    assert (f["/later.html"].outcome, f["/later.html"].reason) == ("failed", "http_503")

    # the site recovers, and the failed page drops off the sitemap: the re-run still retries it
    server.routes["/later.html"] = Reply(article("later"))
    server.routes["/sitemap.xml"] = xml(sitemap(server.base, [(p, DAY) for p in ("/etag.html", "/lm.html", "/plain.html")]))
    before = dict(server.hits)
    second = collect_partition([source], DAY, lake, settings=FAST)  # previous read from the lake
    s = by_url(second, server)
    assert sorted(s) == sorted(f)
    assert (s["/etag.html"].status, s["/etag.html"].reason, s["/etag.html"].sha256) == (304, "not_modified",
                                                                                        f["/etag.html"].sha256)
    assert server.requests_for("/etag.html")[-1]["if-none-match"] == '"v1"'
    assert (s["/lm.html"].status, s["/lm.html"].reason) == (304, "not_modified")
    assert server.requests_for("/lm.html")[-1]["if-modified-since"] == lm
    assert (s["/plain.html"].outcome, s["/plain.html"].reason) == ("fetched", "kept")  # no validators: not refetched
    assert server.hits["/plain.html"] == before["/plain.html"]
    assert (s["/later.html"].outcome, s["/later.html"].status) == ("fetched", 200)
    assert all(e.outcome == "fetched" for e in second)


def test_unreachable_sources_fail_the_partition(server, lake, tmp_path):
    server.routes.update({
        "/robots.txt": Reply(b"User-agent: *\nDisallow: /closed/\n", content_type="text/plain"),
        "/bad.xml": xml(b"<html>this is not a sitemap"),
        "/closed/feed.xml": xml(b"<rss/>"),
        "/down.xml": xml(sitemap(server.base, [("/d1.html", DAY), ("/d2.html", DAY)])),
        "/d1.html": Reply(article("d1"), delay=2.0),
        "/d2.html": Reply(article("d2"), delay=2.0),
    })
    fast = FetchSettings(**{**FAST.__dict__, "retries": 0})
    cases = {
        "missing": (src("missing", "sitemap", server.url("/nope.xml")), "http_404"),
        "bad": (src("bad", "sitemap", server.url("/bad.xml")), "malformed XML"),
        "closed": (src("closed", "rss", server.url("/closed/feed.xml")), "robots_disallowed"),
        "refused": (src("refused", "rss", "http://127.0.0.1:9/feed.xml"), "connect_error"),
        "down": (src("down", "sitemap", server.url("/down.xml")), "all 2 pages failed on the network"),
    }
    for name, (source, why) in cases.items():
        with pytest.raises(SourceUnavailable) as exc:
            collect_partition([source], DAY, lake, previous=[], settings=fast)
        assert f"'{name}'" in str(exc.value) and why in str(exc.value), str(exc.value)


def test_politeness_per_host_limit_delay_and_crawl_delay(server, lake):
    server.routes["/robots.txt"] = Reply(b"User-agent: news-warehouse\nCrawl-delay: 0.2\n", content_type="text/plain")
    paths = [f"/n/{i}.html" for i in range(4)]
    for p in paths:
        server.routes[p] = Reply(article(p), delay=0.1)
    server.routes["/sitemap.xml"] = xml(sitemap(server.base, [(p, DAY) for p in paths]))
    settings = FetchSettings(**{**FAST.__dict__, "per_host": 2, "delay": 0.0})
    entries = collect_partition([src("s", "sitemap", server.url("/sitemap.xml"))], DAY, lake, previous=[],
                                settings=settings)
    assert [e.outcome for e in entries] == ["fetched"] * 4
    starts = sorted(t for p in paths for t in server.times[p])
    gaps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
    assert min(gaps) >= 0.18  # robots.txt Crawl-delay spaces request starts
    assert server.max_in_flight <= 2


def test_per_host_limit_bounds_concurrency(server, lake):
    paths = [f"/c/{i}.html" for i in range(12)]
    for p in paths:
        server.routes[p] = Reply(article(p), delay=0.05)
    server.routes["/sitemap.xml"] = xml(sitemap(server.base, [(p, DAY) for p in paths]))
    settings = FetchSettings(**{**FAST.__dict__, "per_host": 3})
    entries = collect_partition([src("s", "sitemap", server.url("/sitemap.xml"))], DAY, lake, previous=[],
                                settings=settings)
    assert len(entries) == 12 and all(e.outcome == "fetched" for e in entries)
    assert server.max_in_flight == 3


def test_long_retry_after_gives_up_and_is_retried_next_run(server, lake):
    server.routes["/busy.html"] = Reply(b"", status=429, headers={"Retry-After": "3600"})
    server.routes["/sitemap.xml"] = xml(sitemap(server.base, [("/busy.html", DAY), ("/ok.html", DAY)]))
    server.routes["/ok.html"] = Reply(article("ok"))
    entries = collect_partition([src("s", "sitemap", server.url("/sitemap.xml"))], DAY, lake, previous=[],
                                settings=FAST)
    got = by_url(entries, server)
    assert (got["/busy.html"].outcome, got["/busy.html"].reason, got["/busy.html"].status) == ("failed", "http_429", 429)
    assert "Retry-After" in got["/busy.html"].error and server.hits["/busy.html"] == 1


def test_sources_file_and_folder_source_together(server, lake, tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "yz.html").write_bytes(UTF8_PAGE)
    server.routes["/sitemap.xml"] = xml(sitemap(server.base, [("/a.html", LISTING_DAY)]))
    server.routes["/a.html"] = Reply(article("a", LISTING_DAY))
    cfg = tmp_path / "sources.yaml"
    cfg.write_text(f"""
- name: saved
  type: folder
  path: pages
- name: site
  type: sitemap
  url: {server.url('/sitemap.xml')}
  delay: 0
  per_host: 4
  timeout: 2
""", encoding="utf-8")
    entries = collect_partition(load_sources(cfg), LISTING_DAY, lake, previous=[], settings=FAST)
    assert sorted((e.source, e.outcome, e.date_source) for e in entries) == [
        ("saved", "fetched", "parsed"), ("site", "fetched", "sitemap_news")]


def test_cli_prints_manifest_lines_and_writes_the_partition(server, tmp_path, capsys):
    from news_assets.sources.fetch_cli import main

    server.routes["/sitemap.xml"] = xml(sitemap(server.base, [("/a.html", DAY), ("/a.html?spm=1", DAY),
                                                              ("/gone.html", DAY)]))
    server.routes["/a.html"] = Reply(article("a"))
    cfg = tmp_path / "sources.yaml"
    cfg.write_text(f"- name: site\n  type: sitemap\n  url: {server.url('/sitemap.xml')}\n"
                   f"  delay: 0\n  timeout: 2\n  retries: 0\n", encoding="utf-8")
    wh = tmp_path / "wh"
    assert main(["--sources", str(cfg), "--date", DAY, "--warehouse", str(wh)]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [(x["url"].replace(server.base, ""), x["outcome"], x["reason"]) for x in lines] == [
        ("/a.html", "fetched", None), ("/a.html?spm=1", "skipped", "duplicate"), ("/gone.html", "failed", "http_404")]
    for x in lines:
        assert {"url", "final_url", "status", "outcome", "reason", "sha256", "charset"} <= set(x)
    assert lines[0]["charset"] == "utf-8" and len(lines[0]["sha256"]) == 64
    df = Lake(wh).read_partition("raw_html", DAY)
    assert df is not None and df.height == 3
    # bad input: exit 2; unreachable source: exit 1 with the source named
    assert main(["--sources", str(cfg), "--date", "2024-13-01", "--warehouse", str(wh)]) == 2
    cfg.write_text("- name: dead\n  type: rss\n  url: http://127.0.0.1:9/feed\n  retries: 0\n  timeout: 1\n",
                   encoding="utf-8")
    assert main(["--sources", str(cfg), "--date", DAY, "--warehouse", str(wh)]) == 1
    assert "'dead'" in capsys.readouterr().err


def test_raw_html_then_articles_end_to_end(server, lake):
    """Through the pipeline functions the assets call: a GBK page served as UTF-8 comes out right."""
    from news_assets import pipeline

    gbk_lying = GBK_PAGE.replace(b"charset=gbk", b"charset=utf-8")
    server.routes.update({"/gbk.html": Reply(gbk_lying, content_type="text/html; charset=UTF-8"),
                          "/gone.html": Reply(b"", status=410)})
    server.routes["/sitemap.xml"] = xml(sitemap(server.base, [("/gbk.html", None), ("/gone.html", "2021-01-29")]))
    source = src("site", "sitemap", server.url("/sitemap.xml"), delay=0.0, timeout=2.0, retries=0)
    day = "2021-01-29"
    res = pipeline.run_raw_html(lake, day, [source])
    assert res.counts == {"fetched": 1, "failed": 1}
    manifest = lake.read_partition("raw_html", day)
    assert manifest.height == 2
    assert lake.read_partition("quarantine_raw_html", day).to_dicts()[0]["error_kind"] == "http_410"
    pipeline.run_articles(lake, day)
    arts = lake.read_partition("articles", day)
    assert arts.height == 1
    assert arts["title"][0].startswith("脂溢性脱发")
    assert "头皮" in arts["body"][0]


def test_robots_txt_server_error_means_no_fetching(lake):
    """RFC 9309: a robots.txt that answers 5xx means 'assume complete disallow' — the source fails."""
    with LoopbackServer({"/robots.txt": Reply(b"", status=503), "/feed.xml": xml(b"<rss/>")}) as s:
        fast = FetchSettings(**{**FAST.__dict__, "retries": 1})
        with pytest.raises(SourceUnavailable, match="robots_unavailable"):
            collect_partition([src("blocked", "rss", s.url("/feed.xml"))], DAY, lake, previous=[], settings=fast)
        assert "/feed.xml" not in s.hits and s.hits["/robots.txt"] == 2


def test_retry_after_pauses_the_whole_host(server, lake):
    server.routes.update({
        "/busy.html": [Reply(b"", status=429, headers={"Retry-After": "1"}), Reply(article("busy"))],
        "/b.html": Reply(article("b")), "/c.html": Reply(article("c")),
    })
    server.routes["/sitemap.xml"] = xml(sitemap(server.base, [(p, DAY) for p in ("/busy.html", "/b.html", "/c.html")]))
    settings = FetchSettings(**{**FAST.__dict__, "per_host": 1})
    entries = collect_partition([src("s", "sitemap", server.url("/sitemap.xml"))], DAY, lake, previous=[],
                                settings=settings)
    assert [e.outcome for e in entries] == ["fetched"] * 3
    t429 = server.times["/busy.html"][0]
    assert min(server.times["/b.html"][0], server.times["/c.html"][0]) - t429 >= 0.95


def test_optional_source_down_is_a_row_not_a_failed_partition(server, lake):
    server.routes["/sitemap.xml"] = xml(sitemap(server.base, [("/a.html", DAY)]))
    server.routes["/a.html"] = Reply(article("a"))
    fast = FetchSettings(**{**FAST.__dict__, "retries": 0})
    up = src("up", "sitemap", server.url("/sitemap.xml"))
    dead = SourceConfig(name="dead", type="rss", url="http://127.0.0.1:9/feed.xml", options={"required": False})
    entries = collect_partition([up, dead], DAY, lake, previous=[], settings=fast)
    assert sorted((e.source, e.outcome, e.reason) for e in entries) == [
        ("dead", "failed", "source_unreachable"), ("up", "fetched", None)]
    # the next run does not mistake the source's row for a page, and still reports the source
    again = collect_partition([up, dead], DAY, lake, previous=entries, settings=fast)
    assert sorted((e.source, e.outcome, e.reason) for e in again) == [
        ("dead", "failed", "source_unreachable"), ("up", "fetched", "kept")]
    with pytest.raises(SourceUnavailable, match="'dead'"):
        collect_partition([up, SourceConfig(name="dead", type="rss", url="http://127.0.0.1:9/feed.xml")], DAY, lake,
                          previous=[], settings=fast)


def test_user_agent_setting_is_sent_and_matched_in_robots_txt(server, lake):
    server.routes["/robots.txt"] = Reply(b"User-agent: MyArchiver\nDisallow: /\n\nUser-agent: *\nAllow: /\n",
                                         content_type="text/plain")
    server.routes["/sitemap.xml"] = xml(sitemap(server.base, [("/a.html", DAY)]))
    server.routes["/a.html"] = Reply(article("a"))
    entries = collect_partition([src("s", "sitemap", server.url("/sitemap.xml"))], DAY, lake, previous=[],
                                settings=FAST)
    assert [e.outcome for e in entries] == ["fetched"]
    mine = src("s2", "sitemap", server.url("/sitemap.xml"), user_agent="MyArchiver/1.0 (+mailto:me@example.com)")
    with pytest.raises(SourceUnavailable, match="robots_disallowed"):
        collect_partition([mine], DAY, lake, previous=[], settings=FAST)
    assert server.requests_for("/robots.txt")[-1]["user-agent"].startswith("MyArchiver/1.0")


def test_backfill_reads_each_sitemap_once_per_run(server, lake):
    from news_assets.sources import RunCache

    days = ["2024-05-24", "2024-05-25", "2024-05-26"]
    server.routes["/sitemap.xml"] = xml(sitemap(server.base, [(f"/{d}.html", d) for d in days]))
    server.routes["/feed.xml"] = Reply(b"<rss version='2.0'><channel></channel></rss>",
                                       content_type="application/rss+xml")
    for d in days:
        server.routes[f"/{d}.html"] = Reply(article(d, d))
    cached = FetchSettings(**{**FAST.__dict__, "discovery_ttl": 60.0})
    sources = [src("s", "sitemap", server.url("/sitemap.xml")), src("f", "rss", server.url("/feed.xml"))]
    cache = RunCache()  # one run over three days
    per_day = {d: collect_partition(sources, d, lake, previous=[], settings=cached, cache=cache) for d in days}
    assert {d: [e.url.replace(server.base, "") for e in es] for d, es in per_day.items()} == {
        d: [f"/{d}.html"] for d in days}
    assert (server.hits["/sitemap.xml"], server.hits["/feed.xml"]) == (1, 1)
    # another run starts with nothing cached: no module-level state carries over
    collect_partition(sources, days[0], lake, previous=[], settings=cached, cache=RunCache())
    collect_partition(sources, days[0], lake, previous=[], settings=cached)
    assert (server.hits["/sitemap.xml"], server.hits["/feed.xml"]) == (3, 3)


def _fetch(url: str, settings: FetchSettings = FAST, transport=None):
    import asyncio

    from news_assets.sources.fetch import Fetcher

    async def go():
        async with Fetcher(settings, transport=transport() if transport else None) as f:
            return await f.get(url)

    return asyncio.run(go())


@pytest.mark.parametrize("transport", [None, "httpcore"], ids=["default (aiohttp)", "httpx's own"])
def test_transport_faults_are_classified_and_retried(server, transport):
    """Faults below HTTP (dropped connections, garbage, refused ports) become retried, named failures,
    whichever httpx transport carries the requests."""
    import httpx

    transport = httpx.AsyncHTTPTransport if transport else None
    page = article("完整的页面")
    truncated = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5000\r\n\r\n<html><body>half"
    server.routes.update({
        "/robots.txt": Reply(b"", status=404),
        "/cut-once.html": [Reply(raw=truncated), Reply(page)],
        "/cut.html": Reply(raw=truncated),
        "/garbage.html": Reply(raw=b"this is not HTTP at all\r\n\r\n"),
        "/empty.html": Reply(raw=b""),
    })
    r = _fetch(server.url("/cut-once.html"), transport=transport)
    assert (r.status, r.body, r.attempts, r.reason) == (200, page, 2, None)
    for path in ("/cut.html", "/garbage.html", "/empty.html"):
        r = _fetch(server.url(path), transport=transport)
        assert r.body is None and r.reason == "connection_lost", (path, r.reason, r.error)
        assert f"after {FAST.retries + 1} attempts" in (r.error or ""), (path, r.error)
        # every attempt reached the server (aiohttp itself tries once more when a server closes
        # the connection without sending a byte, as a stale keep-alive connection would)
        assert FAST.retries + 1 <= server.hits[path] <= 2 * (FAST.retries + 1), (path, server.hits[path])
    # nothing listens on a port that was just closed
    with LoopbackServer() as gone:
        closed = gone.url("/x.html")
    r = _fetch(closed, transport=transport)
    assert r.body is None and r.reason == "robots_unavailable" and "connect_error" in (r.error or "")
    r = _fetch(closed, FetchSettings(**{**FAST.__dict__, "robots": False}), transport=transport)
    assert (r.body, r.reason) == (None, "connect_error") and "after 3 attempts" in (r.error or "")


def test_chinese_urls_and_long_headers(server):
    """Non-ASCII paths go out percent-encoded; a 20 KB header line (big cookies) is not an error."""
    page = article("中文网址")
    server.routes.update({
        "/robots.txt": Reply(b"", status=404),
        "/%E6%96%B0%E9%97%BB/2024/%E9%87%8D%E5%BA%86.html": Reply(page),
        "/cookie.html": Reply(page, headers={"Set-Cookie": "sid=" + "x" * 20_000}),
    })
    r = _fetch(server.url("/新闻/2024/重庆.html"))
    assert (r.status, r.body) == (200, page)
    r = _fetch(server.url("/cookie.html"))
    assert (r.status, r.body, r.reason) == (200, page, None)


TLS = Path(__file__).parent / "fixtures" / "tls"  # a self-signed certificate for 127.0.0.1, valid to 2126


@pytest.fixture
def tls_server():
    import ssl

    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(TLS / "cert.pem", TLS / "key.pem")
    with LoopbackServer(tls=ctx) as s:
        yield s


def test_https_with_a_private_ca_bundle_and_without(tls_server, lake, tmp_path):
    """HTTPS end to end: trusted through `ca_bundle` it is fetched; untrusted, the source fails loudly."""
    srv = tls_server
    assert srv.base.startswith("https://127.0.0.1:")
    srv.routes.update({
        "/robots.txt": Reply(b"User-agent: *\nAllow: /\n", content_type="text/plain"),
        "/a.html": Reply(article("加密连接的页面")),
    })
    srv.routes["/sitemap.xml"] = xml(sitemap(srv.base, [("/a.html", DAY)]))
    cfg = tmp_path / "sources.yaml"
    cfg.write_text(f"- name: private\n  type: sitemap\n  url: {srv.url('/sitemap.xml')}\n"
                   f"  ca_bundle: {TLS / 'cert.pem'}\n", encoding="utf-8")
    (source,) = load_sources(cfg)
    entries = collect_partition([source], DAY, lake, previous=[], settings=FAST)
    (e,) = entries
    assert (e.outcome, e.status, e.final_url) == ("fetched", 200, srv.url("/a.html"))
    assert lake.get_raw(e.sha256) == article("加密连接的页面")
    # without the bundle the certificate does not verify: no retries, and the partition fails
    hits = dict(srv.hits)
    with pytest.raises(SourceUnavailable, match="tls_error"):
        collect_partition([src("private", "sitemap", srv.url("/sitemap.xml"))], DAY, Lake(tmp_path / "wh2"),
                          previous=[], settings=FAST)
    assert srv.hits == hits  # no request got past the handshake
    # a bundle that is not a certificate file is a configuration error, by name and line
    cfg.write_text(f"- name: private\n  type: sitemap\n  url: {srv.url('/sitemap.xml')}\n"
                   f"  ca_bundle: {TLS / 'missing.pem'}\n", encoding="utf-8")
    from news_assets.sources.config import SourceConfigError

    with pytest.raises(SourceConfigError, match=r"sources.yaml:1 \(source 'private'\): 'ca_bundle'"):
        load_sources(cfg)


def test_http_proxy_from_the_environment(server, lake, monkeypatch):
    """HTTP_PROXY routes requests through a forward proxy (here a second loopback server that sees
    absolute URLs); NO_PROXY exempts a host."""
    page = article("经代理抓取")
    origin = "http://news.example.invalid"  # .invalid never resolves (RFC 2606)
    server.routes.update({
        f"{origin}/robots.txt": Reply(b"", status=404),
        f"{origin}/a.html": Reply(page),
    })
    monkeypatch.setenv("HTTP_PROXY", server.base)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    r = _fetch(f"{origin}/a.html")
    assert (r.status, r.body) == (200, page)
    assert server.hits[f"{origin}/a.html"] == 1  # the proxy saw the absolute URL
    monkeypatch.setenv("NO_PROXY", "news.example.invalid")
    r = _fetch(f"{origin}/a.html")
    assert r.body is None and r.reason == "robots_unavailable" and "connect_error" in (r.error or "")
    assert server.hits[f"{origin}/a.html"] == 1  # went direct (and there is no such host)


def test_an_untrusted_certificate_is_a_tls_error_on_either_transport(tls_server):
    import httpx

    tls_server.routes["/robots.txt"] = Reply(b"", status=404)
    no_robots = FetchSettings(**{**FAST.__dict__, "robots": False})
    for transport in (None, httpx.AsyncHTTPTransport):
        r = _fetch(tls_server.url("/a.html"), no_robots, transport=transport)
        assert (r.body, r.reason) == (None, "tls_error"), (transport, r.error)
        assert "CERTIFICATE_VERIFY_FAILED" in (r.error or "")
    assert not tls_server.hits  # not retried, and no request got past the handshake
