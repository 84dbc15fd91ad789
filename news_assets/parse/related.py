"""Related-article lists: repeated items after the body, each with a date (and usually a link)."""

from __future__ import annotations

import re

from .extract import norm_ws
from .model import Related

_DT = re.compile(
    r"((?:19|20)\d{2})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?"
)
_TITLE_ATTR = re.compile(r"title|tit\b|hd|headline|name", re.I)


def iso_shown(text: str) -> str | None:
    """'2024-11-03 11:01:00' -> '2024-11-03T11:01:00'; '2024年5月6日' -> '2024-05-06'."""
    m = _DT.search(text)
    if not m:
        return None
    y, mo, d, H, M, S = m.groups()
    out = f"{int(y):04d}-{int(mo):02d}-{int(d):02d}"
    if H is not None:
        out += f"T{int(H):02d}:{M}"
        if S is not None:
            out += f":{S}"
    return out


def _ancestor(node, k: int):
    for _ in range(k):
        node = node.parent
        if node is None:
            return None
    return node


# QR-code / mobile prompts that sites put beside a headline
_PROMPT_TAIL = re.compile(r"\s*(?:扫码阅读手机版|扫码阅读|扫码查看|扫一扫|手机阅读|手机版)$")


def _item_title(item, date_text: str) -> tuple[str | None, str | None]:
    """(title, url) of one list item."""
    title, url = _item_title_raw(item, date_text)
    if title:
        title = _PROMPT_TAIL.sub("", title) or None
    return title, url


def _item_title_raw(item, date_text: str) -> tuple[str | None, str | None]:
    url = None
    anchors = item.css("a[href]")
    for a in anchors:
        href = (a.attributes.get("href") or "").strip()
        if href and not href.startswith(("javascript:", "#")):
            url = href
            break
    # an explicit heading or title-classed element
    for sel in ("h1, h2, h3, h4, h5, h6", "[class*=title], [class*=tit]"):
        for n in item.css(sel):
            t = norm_ws(n.text())
            if t and t != date_text and not t.startswith(("...", "…")):
                return t, url
        if item.css_first(sel) is not None:
            # the item has a title slot but it is empty or a snippet: no title
            return None, url
    for a in anchors:
        t = norm_ws(a.text())
        if 4 <= len(t) <= 80 and not t.startswith(("...", "…")) and date_text not in t:
            return t, url
    return None, url


def find_related(date_nodes, after_order: int, base_url: str | None = None) -> list[Related]:
    """Group date-only text nodes that sit in sibling items (>= 3) after the body; one Related each."""
    nodes = [d for d in date_nodes if d.order > after_order]
    if len(nodes) < 3:
        return []
    for k in (1, 2, 3, 4):
        groups: dict[int, list] = {}
        items: dict[int, object] = {}
        for dn in nodes:
            item = _ancestor(dn.node, k)
            if item is None or item.parent is None:
                continue
            items.setdefault(item.mem_id, item)
            groups.setdefault(item.parent.mem_id, []).append((item.mem_id, dn))
        best = None
        for _pid, members in groups.items():
            ids = [m[0] for m in members]
            if len(ids) >= 3 and len(set(ids)) == len(ids):
                if best is None or len(members) > len(best):
                    best = members
        if best is None:
            continue
        # items must carry more than the date (a title, a snippet or a link)
        out: list[Related] = []
        ok = 0
        for item_id, dn in best:
            item = items[item_id]
            full = norm_ws(item.text())
            if len(full) > len(dn.text) + 3:
                ok += 1
            title, url = _item_title(item, dn.text)
            if url and base_url:
                from urllib.parse import urljoin

                url = urljoin(base_url, url)
            out.append(Related(title=title, url=url, date=iso_shown(dn.text)))
        linked = sum(1 for r in out if r.url)
        if ok >= max(3, len(best) // 2) and linked * 2 >= len(out):
            return out
    return []
