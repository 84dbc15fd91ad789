"""Page: one HTML page read once (tree, meta map, canonical URL, <title>, JSON-LD, the DOM scan), so that
every field step reads what it needs from it instead of querying the tree again."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser

from .extract import Scan, norm_ws, scan
from .profiles import Profile, profile_for

# elements never read: scripts and styles, and what only a script or a form shows
_STRIPPED = ["script", "style", "noscript", "iframe", "svg", "template", "textarea", "select"]
_HEAD_NODES = 'meta, link[rel], title, script[type="application/ld+json"]'
# display:none only: WeChat ships its article as visibility:hidden and reveals it by script
_HIDDEN = re.compile(r"display\s*:\s*none", re.I)


@dataclass
class Page:
    url: str | None
    raw_text: str  # the decoded page with its scripts (site profiles read values from them)
    tree: LexborHTMLParser  # scripts, styles and hidden elements removed
    meta: dict[str, str]  # <meta> key (property/name/itemprop/http-equiv, lower-cased) -> content, first wins
    canonical_url: str | None
    site: str | None
    title_tag: str
    ld_date: str | None
    ld_authors: list[str]
    scan: Scan | None  # None: the page has no <body>
    profile: Profile | None

    @property
    def base_url(self) -> str | None:
        return self.url or self.canonical_url


def read_page(text: str, url: str | None, utf8: bytes | None = None) -> Page:
    """utf8: the text's UTF-8 bytes when the caller has them (lexbor parses UTF-8: handed the text, it
    encodes it first)."""
    tree = LexborHTMLParser(text if utf8 is None else utf8)
    # one selector query for the four kinds of head element (one walk of the tree, not four), in document order
    found: dict[str, list] = defaultdict(list)
    for n in tree.css(_HEAD_NODES):
        found[n.tag].append(n)
    meta = _meta_map(found["meta"])
    canon = _canonical(found["link"], meta, url)
    site = _host(canon) or _host(url)
    title_tag = norm_ws(found["title"][0].text()) if found["title"] else ""
    ld_date, ld_authors = _jsonld_dates(found["script"])  # before the scripts go
    tree.strip_tags(_STRIPPED)
    body = tree.body
    sc = None
    if body is not None:
        _drop_hidden(tree)
        sc = scan(body)
    return Page(url, text, tree, meta, canon, site, title_tag, ld_date, ld_authors, sc, profile_for(site))


def _canonical(links: list, meta: dict[str, str], url: str | None) -> str | None:
    """<link rel=canonical>, else og:url, resolved against the page URL; only absolute http(s) URLs."""
    canon = None
    for ln in links:
        if (ln.attributes.get("rel") or "").lower() == "canonical" and ln.attributes.get("href"):
            canon = ln.attributes["href"].strip()
            break
    if not canon and meta.get("og:url", "").startswith("http"):
        canon = meta["og:url"]
    if canon and url:
        canon = urljoin(url, canon)
    return canon if canon and canon.startswith("http") else None


def _meta_map(metas: list) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in metas:
        a = m.attributes
        key = a.get("property") or a.get("name") or a.get("itemprop") or a.get("http-equiv")
        val = a.get("content")
        if key and val:
            key = key.strip().lower()
            if key not in out:
                out[key] = val.strip()
    return out


def _jsonld_dates(scripts: list) -> tuple[str | None, list[str]]:
    date_pub = None
    authors: list[str] = []
    for s in scripts:
        raw = s.text()
        if "datePublished" not in raw and "author" not in raw:
            continue
        try:
            data = json.loads(raw)
        except ValueError:
            m = re.search(r'"datePublished"\s*:\s*"([^"]+)"', raw)
            if m and not date_pub:
                date_pub = m.group(1)
            continue
        stack = [data]
        while stack:
            d = stack.pop()
            if isinstance(d, list):
                stack.extend(d)
            elif isinstance(d, dict):
                if not date_pub and isinstance(d.get("datePublished"), str):
                    date_pub = d["datePublished"]
                a = d.get("author")
                if a and not authors:
                    for x in a if isinstance(a, list) else [a]:
                        n = x.get("name") if isinstance(x, dict) else x
                        if isinstance(n, str) and n.strip():
                            authors.append(n.strip())
                stack.extend(v for v in d.values() if isinstance(v, dict | list))
    return date_pub, authors


def _host(u: str | None) -> str | None:
    if not u:
        return None
    try:
        h = urlsplit(u).hostname
    except ValueError:
        return None
    if not h:
        return None
    return h[4:] if h.startswith("www.") else h


def _drop_hidden(tree) -> None:
    """Elements styled invisible are not read (SEO blobs, keyword stuffing): they would outweigh a short
    article and credit the page body with text no reader sees."""
    for n in tree.css('[style*="none"]'):
        if _HIDDEN.search(n.attributes.get("style") or ""):
            n.decompose()
