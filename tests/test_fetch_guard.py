"""The address guard against real servers on two loopback ports: a feed or a redirect that points at
another internal service is refused, the source's own host and port is not, credentials are never
stored, and non-HTTP links are skipped, not failed."""

from __future__ import annotations

import asyncio
import json

import pytest

from news_assets.lake import Lake
from news_assets.sources import FetchSettings, SourceUnavailable, collect_partition
from news_assets.sources.config import SourceConfig
from news_assets.sources.fetch import Fetcher
from news_assets.sources.guard import is_public, strip_userinfo
from news_assets.sources.testserver import LoopbackServer, Reply

DAY = "2024-05-25"
FAST = FetchSettings(timeout=2.0, connect_timeout=1.0, retries=1, backoff=0.02, max_backoff=0.1, delay=0.0,
                     per_host=8, discovery_ttl=0.0)


def page(title: str) -> bytes:
    return (f"<html><head><meta charset=\"utf-8\"><title>{title}</title></head><body><h1>{title}</h1>"
            f"<div>发布时间：{DAY} 10:00</div><p>新华社重庆5月25日电 重庆已累计设立港资企业超3500家。</p>"
            "</body></html>").encode()


def rss(links: list[str]) -> Reply:
    items = "".join(f"<item><title>t</title><link>{x}</link><pubDate>Sat, 25 May 2024 09:00:00 +0800</pubDate>"
                    "</item>" for x in links)
    return Reply(f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>{items}</channel></rss>'
                 .encode(), content_type="application/rss+xml")


@pytest.fixture
def two():
    """Server a is the source's site; server b is 'another internal service' on another port."""
    a, b = LoopbackServer().start(), LoopbackServer().start()
    try:
        for s in (a, b):
            s.routes["/robots.txt"] = Reply(b"", status=404)
        b.routes["/secret.html"] = Reply(page("内部服务"))
        yield a, b
    finally:
        a.stop()
        b.stop()


def _port(s: LoopbackServer) -> int:
    return s.server_address[1]


def test_hostile_links_and_redirects_are_refused_and_own_host_is_not(two, tmp_path):
    a, b = two
    pa, pb = _port(a), _port(b)
    a.routes.update({
        "/feed.xml": rss([
            f"{a.base}/ok.html",
            f"{a.base}/to-b.html",  # redirects to the other port
            f"//127.0.0.1:{pb}/secret.html",  # scheme-relative, resolved against the feed
            f"http://localhost:{pb}/secret.html",  # a name: refused at connect time, after DNS
            f"http://user:pw@127.0.0.1:{pa}/cred.html",  # same host and port: fetched, stored without pw
            "file:///etc/passwd", "ftp://127.0.0.1/x.html", "javascript:void(0)",
        ]),
        "/ok.html": Reply(page("同一站点")),
        "/cred.html": Reply(page("带口令的链接")),
        "/to-b.html": Reply(status=302, headers={"Location": f"http://admin:secret@127.0.0.1:{pb}/secret.html"}),
    })
    lake = Lake(tmp_path / "wh")
    entries = collect_partition([SourceConfig("feed", "rss", url=a.url("/feed.xml"))], DAY, lake,
                                previous=[], settings=FAST)
    got = {e.url: (e.outcome, e.reason) for e in entries}
    assert got == {
        f"{a.base}/ok.html": ("fetched", None),
        f"{a.base}/to-b.html": ("skipped", "private_address"),
        f"http://127.0.0.1:{pb}/secret.html": ("skipped", "private_address"),
        f"http://localhost:{pb}/secret.html": ("skipped", "private_address"),
        f"{a.base}/cred.html": ("fetched", None),
        "file:///etc/passwd": ("skipped", "not_http"),
        "ftp://127.0.0.1/x.html": ("skipped", "not_http"),
        "javascript:void(0)": ("skipped", "not_http"),
    }
    assert not b.hits  # nothing reached the other service
    by_url = {e.url: e for e in entries}
    assert by_url[f"{a.base}/to-b.html"].final_url == f"http://127.0.0.1:{pb}/secret.html"  # no admin:secret
    assert "resolves to non-public 127.0.0.1" in by_url[f"http://localhost:{pb}/secret.html"].error
    # no stored URL anywhere keeps credentials: manifest partition and fetch state
    state = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "wh").rglob("*.json"))
    assert "cred.html" in state and "pw@" not in state and "secret@" not in state
    assert all("@" not in (e.url + (e.final_url or "")) for e in entries)

    # a re-run gives the same skipped rows (not failures to retry); the good pages are kept
    again = collect_partition([SourceConfig("feed", "rss", url=a.url("/feed.xml"))], DAY, lake,
                              previous=entries, settings=FAST)
    assert {e.url: (e.outcome, e.reason if e.outcome != "fetched" else None) for e in again} == got
    assert not b.hits


def test_allow_private_lets_a_source_reach_other_internal_addresses(two, tmp_path):
    a, b = two
    a.routes.update({
        "/feed.xml": rss([f"{a.base}/to-b.html", f"http://localhost:{_port(b)}/secret.html"]),
        "/to-b.html": Reply(status=301, headers={"Location": f"{b.base}/secret.html"}),
    })
    source = SourceConfig("intranet", "rss", url=a.url("/feed.xml"), options={"allow_private": True})
    entries = collect_partition([source], DAY, Lake(tmp_path / "wh"), previous=[], settings=FAST)
    assert sorted((e.outcome, e.final_url) for e in entries) == [
        ("fetched", f"{b.base}/secret.html"), ("fetched", f"http://localhost:{_port(b)}/secret.html")]
    assert b.hits["/secret.html"] == 2


def test_a_robots_txt_redirect_to_another_port_is_refused(two, tmp_path):
    a, b = two
    a.routes.update({"/robots.txt": Reply(status=301, headers={"Location": f"{b.base}/robots.txt"}),
                     "/feed.xml": rss([f"{a.base}/ok.html"])})
    with pytest.raises(SourceUnavailable, match="private_address"):
        collect_partition([SourceConfig("feed", "rss", url=a.url("/feed.xml"))], DAY, Lake(tmp_path / "wh"),
                          previous=[], settings=FAST)
    assert not b.hits and "/feed.xml" not in a.hits


def test_a_sitemap_child_on_another_port_fails_the_source(two, tmp_path):
    a, b = two
    b.routes["/child.xml"] = Reply(b"<urlset/>", content_type="application/xml")
    a.routes["/index.xml"] = Reply(
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>{b.base}/child.xml'
        "</loc></sitemap></sitemapindex>".encode(), content_type="application/xml")
    with pytest.raises(SourceUnavailable, match="private_address"):
        collect_partition([SourceConfig("sm", "sitemap", url=a.url("/index.xml"))], DAY, Lake(tmp_path / "wh"),
                          previous=[], settings=FAST)
    assert not b.hits


def test_the_check_is_at_connect_time_and_survives_pooled_connections(two):
    """A name that passes the by-name check is refused when it connects; a connection opened for an
    exempt hop is not reused by a hop that is not exempt."""
    a, _ = two
    a.routes["/x.html"] = Reply(page("x"))
    local = f"http://localhost:{_port(a)}/x.html"

    async def go():
        async with Fetcher(FAST) as f:
            own = await f.get(local)  # origin = itself: exempt, connects to 127.0.0.1 and pools it
            other = await f.get(local, origin="http://news.example.com/feed.xml")  # not exempt
            return own, other

    own, other = asyncio.run(go())
    assert own.status == 200 and own.body == page("x")
    assert (other.body, other.reason) == (None, "private_address")
    assert a.hits["/x.html"] == 1


def test_address_classes():
    for ip in ("127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1",
               "0.0.0.0", "224.0.0.1", "239.255.255.250", "240.0.0.1", "192.0.2.1", "::1", "fe80::1",
               "fc00::1", "ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1"):
        assert not is_public(ip), ip
    for ip in ("8.8.8.8", "1.1.1.1", "2001:4860:4860::8888", "::ffff:8.8.8.8"):
        assert is_public(ip), ip
    assert strip_userinfo("http://u:p@news.example.com:8080/a?b=1#c") == "http://news.example.com:8080/a?b=1#c"
    assert strip_userinfo("http://news.example.com/@user") == "http://news.example.com/@user"


def test_a_link_local_metadata_address_is_refused_before_any_connect():
    async def go():
        async with Fetcher(FAST) as f:
            return await f.get("http://169.254.169.254/latest/meta-data/", origin="http://news.example.com/")

    r = asyncio.run(go())
    assert (r.body, r.reason, r.attempts) == (None, "private_address", 0)


def test_allow_private_is_a_known_source_setting(tmp_path):
    from news_assets.sources import load_sources

    cfg = tmp_path / "sources.yaml"
    cfg.write_text("- name: intranet\n  type: rss\n  url: http://10.0.0.5/feed.xml\n  allow_private: true\n",
                   encoding="utf-8")
    assert load_sources(cfg)[0].options == {"allow_private": True}
    assert json.dumps(FetchSettings().allow_private) == "false"


def test_listing_links_to_files_are_skipped_and_controls_ignored(two, tmp_path):
    a, b = two
    a.routes.update({
        "/list/": Reply((f"<html><head><meta charset='utf-8'></head><body><ul>"
                         f"<li><a href='/news/20240525/a.html'>同站新闻</a> 2024-05-25</li>"
                         f"<li><a href='file:///srv/news/b.html'>本地文件</a> 2024-05-25</li>"
                         f"<li><a href='ftp://files.example.com/c.html'>FTP</a></li>"
                         f"<li><a href='javascript:share()'>分享</a><a href='mailto:x@example.com'>来信</a></li>"
                         f"<li><a href='http://127.0.0.1:{_port(b)}/news/20240525/secret.html'>内部</a></li>"
                         "</ul></body></html>").encode()),
        "/news/20240525/a.html": Reply(page("同站新闻")),
    })
    source = SourceConfig("col", "listing", url=a.url("/list/"), options={"include": r"news|srv|c\.html"})
    entries = collect_partition([source], DAY, Lake(tmp_path / "wh"), previous=[], settings=FAST)
    assert sorted((e.url.replace(a.base, ""), e.outcome, e.reason) for e in entries) == [
        ("/news/20240525/a.html", "fetched", None),
        ("file:///srv/news/b.html", "skipped", "not_http"),
        ("ftp://files.example.com/c.html", "skipped", "not_http"),
        (f"http://127.0.0.1:{_port(b)}/news/20240525/secret.html", "skipped", "private_address"),
    ]
    assert not b.hits


def test_through_a_proxy_private_literals_are_still_refused(two, monkeypatch):
    """The proxy connects on our behalf, so the by-name check is what stands: an internal IP literal
    is refused before anything is sent to the proxy."""
    a, b = two
    monkeypatch.setenv("HTTP_PROXY", a.base)
    for var in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(var, raising=False)

    async def go():
        async with Fetcher(FAST) as f:
            return await f.get(f"{b.base}/secret.html", origin="http://news.example.invalid/feed.xml")

    r = asyncio.run(go())
    assert (r.body, r.reason) == (None, "private_address")
    assert not a.hits and not b.hits
