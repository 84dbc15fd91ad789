"""Discovery: turn a listing page, a sitemap (or news sitemap, or sitemap index) or an RSS/Atom feed
into (url, publish date if known) pairs. Pure functions over bytes; fetching happens elsewhere.

Dates are calendar days in Asia/Shanghai (the partition time zone): a timestamp with an offset is
converted, a naive one is taken as Shanghai local time.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from functools import cached_property
from urllib.parse import urljoin, urlsplit

from ..parse import charset as cs
from ..parse.errors import ParseError
from ..parse.fields import url_date
from ..partitions import ZONE
from .canonical import url_key
from .guard import strip_userinfo


@dataclass(frozen=True)
class Discovered:
    url: str
    date: str | None  # YYYY-MM-DD in Asia/Shanghai, or None when only parsing the page can tell
    date_source: str | None = None  # listing | url | sitemap_news | sitemap_lastmod | rss

    @cached_property  # a run's days meet the same cached sitemap entries again and again
    def page_url(self) -> str:
        """The URL without credentials: those found in a feed are neither sent nor stored."""
        return strip_userinfo(self.url)

    @cached_property
    def key(self) -> str:
        """The page's identity (canonical.url_key)."""
        return url_key(self.page_url)


class DiscoveryError(ValueError):
    """A discovery document that cannot be read at all (not XML, not a feed)."""


# ---- dates -----------------------------------------------------------------------------------
_YMD = re.compile(
    r"(?<!\d)((?:19|20)\d{2})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})(?:\s*日)?(?!\d)"
    r"(?:[\sT]*(\d{1,2}):(\d{2})(?::(\d{2}))?)?"
)
def _valid(y: int, m: int, d: int) -> str | None:
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def date_in_text(text: str) -> str | None:
    """First Y-M-D date in a text (2024-05-25, 2024/5/25, 2024年5月25日, with an optional time)."""
    for m in _YMD.finditer(text):
        d = _valid(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if d:
            return d
    return None


def date_in_url(url: str) -> str | None:
    """The day a URL's path gives (/2024-05/25/, /20240525/, t20240525_): the parser's own rule."""
    stamp = url_date(url)
    return stamp.dt.date().isoformat() if stamp else None


def to_day(dt: datetime) -> str:
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=ZONE)
    return dt.astimezone(ZONE).date().isoformat()


def parse_w3c_date(value: str | None) -> str | None:
    """W3C datetime (sitemaps, Atom): 2024-05-25, 2024-05-25T10:00:00+08:00, ...Z."""
    if not value:
        return None
    v = value.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
        return _valid(int(v[:4]), int(v[5:7]), int(v[8:10]))
    try:
        return to_day(datetime.fromisoformat(v.replace("Z", "+00:00")))
    except ValueError:
        return date_in_text(v)


def parse_rfc822_date(value: str | None) -> str | None:
    """RSS pubDate (RFC 822), falling back to W3C / free text."""
    if not value:
        return None
    try:
        return to_day(parsedate_to_datetime(value.strip()))
    except (TypeError, ValueError, IndexError):
        return parse_w3c_date(value)


# ---- listing pages ---------------------------------------------------------------------------
_BLOCKS = ("li", "tr", "dd", "dt", "p", "div", "article", "section", "td", "h2", "h3", "h4")
_NEXT_TEXT = ("下一页", "下页", "next", "›", "»", ">")
_DOCUMENT_SCHEMES = ("file", "ftp", "ftps", "sftp", "smb")  # links to documents, not UI controls


def parse_listing(data: bytes, base_url: str, content_type: str | None = None,
                  include: re.Pattern | None = None, exclude: re.Pattern | None = None,
                  ) -> tuple[list[Discovered], str | None]:
    """Article links on a listing page, each with the date shown beside it (or in its URL).

    A link's date is searched in its own text, then in its enclosing blocks (li, tr, dd, p, div ...)
    going up as long as a block holds only this one link, then in the URL. Links without any date
    are still returned (date None) when they look like article pages (same site, a path with a file
    name or digits). Returns (links, next page URL or None).
    """
    from selectolax.lexbor import LexborHTMLParser

    try:
        text, _ = cs.decode_html(data, cs.header_charset(content_type))
    except ParseError:  # an empty or binary listing lists nothing
        text = ""
    tree = LexborHTMLParser(text)
    base = base_url
    base_tag = tree.css_first("base[href]")
    if base_tag is not None:
        base = urljoin(base_url, base_tag.attributes.get("href") or "")
    site = urlsplit(base_url).hostname or ""
    site_root = ".".join(site.split(".")[-2:])
    out: list[Discovered] = []
    next_url = None
    for a in tree.css("a[href]"):
        href = (a.attributes.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        url = urljoin(base, href)
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            if parts.scheme in _DOCUMENT_SCHEMES:  # a page elsewhere we will not fetch: skipped as not_http
                out.append(Discovered(url.split("#")[0], None))
            continue  # other schemes (app deep links, sms:) are controls, not pages
        label = a.text(strip=True)
        rel = (a.attributes.get("rel") or "").lower()
        if next_url is None and (rel == "next" or label.lower() in _NEXT_TEXT):
            next_url = url.split("#")[0]
            continue
        if include is not None and not include.search(url):
            continue
        if exclude is not None and exclude.search(url):
            continue
        if include is None and not _looks_like_article(parts, site_root):
            continue
        day, how = date_in_text(label), "listing"
        if day is None:  # climb blocks (td -> tr, span -> li) while they hold this link alone
            node, levels = a.parent, 0
            while node is not None and node.tag not in ("body", "html") and levels < 6:
                if node.tag in _BLOCKS:
                    if len(node.css("a[href]")) > 1:
                        break
                    day = date_in_text(node.text(separator=" "))
                    if day:
                        break
                node, levels = node.parent, levels + 1
        if day is None:
            day, how = date_in_url(url), "url"
        out.append(Discovered(url.split("#")[0], day, how if day else None))
    return out, next_url


def _looks_like_article(parts, site_root: str) -> bool:
    host = parts.hostname or ""
    if site_root and not (host == site_root or host.endswith("." + site_root)):
        return False
    path = parts.path
    last = path.rsplit("/", 1)[-1]
    if re.search(r"\.(s?html?|php|aspx?|jsp)$", last, re.I):
        return not re.fullmatch(r"(index|default|list|list_\d+|index_\d+)\.\w+", last, re.I)
    return bool(re.search(r"\d{4,}", path))


# ---- sitemaps and feeds ----------------------------------------------------------------------
_EXPAT_ENCODINGS = {"utf-8", "utf8", "utf-16", "utf16", "us-ascii", "ascii", "iso-8859-1", "latin-1", "latin1"}
_XML_DECL = re.compile(rb"^\s*<\?xml[^>]*\?>")
_XML_ENC = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""")


def _xml_root(data: bytes) -> ET.Element:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    start = data.lstrip()[:1]
    if start != b"<":
        raise DiscoveryError("not an XML document")
    if b"<!ENTITY" in data[:4096]:  # entity expansion is never needed in a sitemap or feed
        raise DiscoveryError("XML with entity declarations refused")
    m = _XML_ENC.match(data)
    if m and m.group(1).decode("ascii").lower() not in _EXPAT_ENCODINGS:
        # GB2312/GBK feeds are common and expat cannot read them: decode here, parse as text
        codec = cs.normalize_charset(m.group(1).decode("ascii")) or "gb18030"
        try:
            text = _XML_DECL.sub(b"", data, count=1).decode(codec, "replace")
        except LookupError as e:
            raise DiscoveryError(f"unknown XML encoding {m.group(1)!r}") from e
        try:
            return ET.fromstring(text)
        except ET.ParseError as e:
            raise DiscoveryError(f"malformed XML: {e}") from e
    try:
        return ET.fromstring(data)
    except ET.ParseError as e:
        raise DiscoveryError(f"malformed XML: {e}") from e


def parse_text_sitemap(data: bytes) -> list[Discovered]:
    """A plain-text sitemap: one absolute URL per line (sitemaps.org allows it)."""
    out = []
    for line in data.decode("utf-8", "replace").splitlines():
        u = line.strip()
        if u.startswith(("http://", "https://")) and " " not in u:
            d = date_in_url(u)
            out.append(Discovered(u, d, "url" if d else None))
    return out


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _child(el: ET.Element, name: str) -> ET.Element | None:
    for c in el:
        if _local(c.tag) == name:
            return c
    return None


def _child_text(el: ET.Element, name: str) -> str | None:
    c = _child(el, name)
    return c.text.strip() if c is not None and c.text else None


def parse_sitemap(data: bytes, base_url: str = "") -> tuple[list[Discovered], list[tuple[str, str | None]]]:
    """(page URLs with dates, child sitemaps with their lastmod) of a sitemap or sitemap index.

    A page's date is its news:publication_date when given (a publish time), else its lastmod
    (the last change, a good-enough hint for news pages), else the date in its URL, else None.
    """
    root = _xml_root(data)
    kind = _local(root.tag)
    pages: list[Discovered] = []
    children: list[tuple[str, str | None]] = []
    if kind == "sitemapindex":
        for sm in root:
            if _local(sm.tag) == "sitemap":
                loc = _child_text(sm, "loc")
                if loc:
                    children.append((urljoin(base_url, loc), parse_w3c_date(_child_text(sm, "lastmod"))))
        return pages, children
    if kind != "urlset":
        raise DiscoveryError(f"not a sitemap (root element <{kind}>)")
    for u in root:
        if _local(u.tag) != "url":
            continue
        loc = _child_text(u, "loc")
        if not loc:
            continue
        loc = urljoin(base_url, loc)
        day, how = None, None
        news = _child(u, "news")
        if news is not None:
            day = parse_w3c_date(_child_text(news, "publication_date"))
            how = "sitemap_news" if day else None
        if day is None:
            day = parse_w3c_date(_child_text(u, "lastmod"))
            how = "sitemap_lastmod" if day else None
        if day is None:
            day = date_in_url(loc)
            how = "url" if day else None
        pages.append(Discovered(loc, day, how))
    return pages, children


def parse_feed(data: bytes, base_url: str = "") -> list[Discovered]:
    """Items of an RSS 2.0 / RSS 1.0 (RDF) / Atom feed with their publish dates."""
    root = _xml_root(data)
    kind = _local(root.tag)
    out: list[Discovered] = []
    if kind == "feed":  # Atom
        for e in root:
            if _local(e.tag) != "entry":
                continue
            href = None
            for link in e:
                if _local(link.tag) == "link" and link.get("rel", "alternate") == "alternate" and link.get("href"):
                    href = link.get("href")
                    break
            if not href:
                continue
            day = parse_w3c_date(_child_text(e, "published")) or parse_w3c_date(_child_text(e, "updated"))
            out.append(_item(urljoin(base_url, href), day))
        return out
    if kind not in ("rss", "rdf"):
        raise DiscoveryError(f"not an RSS or Atom feed (root element <{kind}>)")
    for it in root.iter():
        if _local(it.tag) != "item":
            continue
        link = _child_text(it, "link")
        if not link:
            guid = _child(it, "guid")
            if guid is not None and guid.text and guid.get("isPermaLink", "true") != "false":
                link = guid.text.strip()
        if not link:
            continue
        day = parse_rfc822_date(_child_text(it, "pubdate")) or parse_w3c_date(_child_text(it, "date"))
        out.append(_item(urljoin(base_url, link), day))
    return out


def _item(url: str, day: str | None) -> Discovered:
    if day:
        return Discovered(url, day, "rss")
    d = date_in_url(url)
    return Discovered(url, d, "url" if d else None)
