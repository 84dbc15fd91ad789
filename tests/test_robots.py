"""robots.txt as RFC 9309 reads it (protego), against a real server: wildcards, end anchors,
Allow precedence and the longest match decide what is fetched."""

from __future__ import annotations

from support import sitemap

from news_assets.lake import Lake
from news_assets.sources import FetchSettings, collect_partition
from news_assets.sources.config import SourceConfig
from news_assets.sources.testserver import LoopbackServer, Reply

DAY = "2024-05-25"
FAST = FetchSettings(timeout=2.0, connect_timeout=1.0, retries=1, backoff=0.02, delay=0.0, per_host=8,
                     discovery_ttl=0.0)
ROBOTS = b"""# a news site's rules
User-agent: *
Disallow: /*?*
Disallow: /*.pdf$
Disallow: /news/
Allow: /news/public/
Disallow: /tie/
Allow: /tie/
Disallow: /a

User-agent: news-warehouse
Disallow: /*?*
Disallow: /*.pdf$
Disallow: /news/
Allow: /news/public/
Allow: /tie/
Disallow: /tie/
Disallow: /arch*/old
Allow: /archive/old/keep.html
"""


def page(title: str) -> bytes:
    return (f"<html><head><meta charset='utf-8'><title>{title}</title></head><body>"
            f"<div>发布时间：{DAY} 10:00</div><p>新华社北京5月25日电 {title}。</p></body></html>").encode()


def test_wildcards_anchors_allow_precedence_and_longest_match(tmp_path):
    paths = {
        "/story/a.html?id=7": "robots_disallowed",  # Disallow: /*?*
        "/story/a.html": None,
        "/doc/a.pdf": "robots_disallowed",  # Disallow: /*.pdf$ ...
        "/doc/a.pdf.html": None,  # ... anchored at the end: not this one
        "/news/a.html": "robots_disallowed",  # Disallow: /news/
        "/news/public/b.html": None,  # the longer Allow wins
        "/tie/c.html": None,  # Allow and Disallow of equal length: Allow wins
        "/archive/old/d.html": "robots_disallowed",  # Disallow: /arch*/old
        "/archive/old/keep.html": None,  # longest match
        "/about.html": None,  # our group, not '*' (whose Disallow: /a would apply)
    }
    with LoopbackServer() as s:
        s.routes["/robots.txt"] = Reply(ROBOTS, content_type="text/plain")
        s.routes["/sitemap.xml"] = Reply(sitemap(s.base, [(p, DAY) for p in paths]),
                                         content_type="application/xml")
        for p in paths:
            s.routes[p] = Reply(page(p))
        entries = collect_partition([SourceConfig("site", "sitemap", url=s.url("/sitemap.xml"))], DAY,
                                    Lake(tmp_path / "wh"), previous=[], settings=FAST)
        got = {e.url.replace(s.base, ""): e.reason if e.outcome != "fetched" else None for e in entries}
        assert got == paths
        fetched = {p for p, why in paths.items() if why is None}
        assert {p for p in s.hits if p not in ("/robots.txt", "/sitemap.xml")} == fetched
