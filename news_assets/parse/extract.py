"""Generic main-text extraction: one pass over the DOM, text and punctuation density per block.

In the spirit of GNE / readability: every run of text belongs to its nearest block element; a block
with enough non-link text and sentence punctuation credits its container ancestors (full, half,
quarter); the best-scoring container, penalised by link density and boilerplate class names, is the
article body. Its text is then read back as lines (one per block / ``<br>``) and cleaned line by line.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

BLOCK_TAGS = frozenset(
    "p div br li ul ol dl dt dd h1 h2 h3 h4 h5 h6 tr td th table tbody thead tfoot section article main "
    "aside header footer nav blockquote pre figure figcaption hr center form fieldset address details "
    "summary body html caption".split()
)
# Elements that may hold the article: credited by the paragraphs below them.
CONTAINER_TAGS = frozenset("div td section article main body blockquote center form tbody table font span".split())
SKIP_TAGS = frozenset(
    "script style noscript iframe svg canvas template select option button textarea input object embed "
    "video audio map head title meta link -comment".split()
)
HEADING_TAGS = frozenset("h1 h2 h3 h4 h5 h6".split())

PUNCT = "，。！？；：、“”…,.!?;（）《》「」『』"
_PUNCT_RE = re.compile("[，。！？；：、“”…！？（）《》「」『』]")
_WS_RE = re.compile(r"[\s\u3000\xa0\u200b\ufeff]+")
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")

_JUNK_ATTR = re.compile(
    r"comment|share|footer|breadcrumb|crumb|sidebar|side-bar|recommend|related|relate|copyright|login|"
    r"toolbar|tool-bar|pagination|pager|advert|banner|hotnews|hot-news|rank|guess|interest|statement|"
    r"disclaimer|subscribe|qrcode|qr-code|download|(^|[\s_-])(nav|menu|ad|ads|footer|foot|side|hot|tags?|"
    r"more|top|bottom|header|head|logo|search|keyword)([\s_-]|$)",
    re.I,
)
_BOILER = re.compile(
    r"版权所有|版權所有|Copyright|copyright|©|ICP备|ICP證|ICP证|举报电话|举报邮箱|违法和不良信息|书面授权|未经授权|"
    r"不得转载|禁止转载|公网安备|网安备|互联网新闻信息服务许可|联系我们|关于我们|广告服务|免责声明|增值电信"
)
_GOOD_ATTR = re.compile(r"article|content|main|text|body|detail|post|entry|story|news|zw|正文", re.I)


def norm_ws(s: str) -> str:
    if "\u200b" in s or "\ufeff" in s:  # not whitespace to str.split
        return _WS_RE.sub(" ", s).strip()
    return " ".join(s.split())  # C-speed; splits on \u3000 and \xa0 too


def cjk_count(s: str) -> int:
    return len(_CJK_RE.findall(s))


@dataclass
class DateNode:
    text: str
    order: int
    node: object


@dataclass
class Scan:
    candidates: list = field(default_factory=list)
    date_nodes: list = field(default_factory=list)
    total_text: int = 0
    total_link: int = 0
    orders: dict = field(default_factory=dict)
    ends: dict = field(default_factory=dict)
    leads: list = field(default_factory=list)
    page_lines: list = field(default_factory=list)  # the whole page as lines, as read_lines(body, False)


_DATE_ONLY = re.compile(
    r"^[\s(（\[【]*((?:19|20)\d{2}[-/.年]\d{1,2}[-/.月]\d{1,2}日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?)[\s)）\]】]*$"
)


def scan(body) -> Scan:
    """One pass: credit containers, record date-only text nodes and document order, and read the page
    as lines (one per block / <br>) so the header zone needs no second walk."""
    blocks: dict[int, list] = {}  # mem_id -> [node, text_len, link_len, punct, order, parent_chain]
    container_score: dict[int, float] = {}
    container_nodes: dict[int, object] = {}
    container_order: dict[int, int] = {}
    container_text: dict[int, int] = {}
    date_nodes: list[DateNode] = []
    orders: dict[int, int] = {}
    ends: dict[int, int] = {}
    page_lines: list[str] = []
    buf: list[str] = []

    def flush():
        t = norm_ws("".join(buf))
        if t:
            page_lines.append(t)
        buf.clear()

    root_key = body.mem_id
    blocks[root_key] = [body, 0, 0, 0, 0, (root_key,), 0]
    container_nodes[root_key] = body
    container_order[root_key] = 0
    # explicit stack (deeply nested pages must not hit Python's recursion limit)
    # frame: (children iterator, block_key, chain (container ancestors, nearest first), in_link, end_key);
    # a frame's iterator is resumed after each child frame finishes (the for loop over it is re-entered)
    count = 0
    punct_findall, boiler_search, date_match = _PUNCT_RE.findall, _BOILER.search, _DATE_ONLY.match
    stack = [(body.iter(include_text=True), root_key, (root_key,), False, None)]
    push = stack.append
    while stack:
        it, block_key, chain, in_link, end_key = stack[-1]
        for ch in it:
            tag = ch.tag
            if tag == "-text":
                s = ch.text_content
                if not s:
                    continue
                buf.append(s)
                st = s.strip()
                if not st:
                    continue
                n = len(st)
                b = blocks[block_key]
                b[1] += n
                if in_link:
                    b[2] += n
                if n > 8 and boiler_search(st):
                    b[2] += n
                b[3] += len(punct_findall(st))
                b[6] += st.count("：")  # label colons: a byline row (来源：… 作者：…) is not a lead
                if n <= 40 and st[0] in "0123456789(（[【 " and date_match(st):
                    count += 1
                    date_nodes.append(DateNode(st, count, ch))
                continue
            if tag in SKIP_TAGS:
                continue
            count += 1
            if tag in BLOCK_TAGS:
                if buf:
                    flush()
                key = ch.mem_id
                orders[key] = count
                new_chain = chain
                if tag in CONTAINER_TAGS:
                    container_nodes[key] = ch
                    container_order[key] = count
                    new_chain = (key,) + chain[:3]
                blocks[key] = [ch, 0, 0, 0, count, new_chain, 0]
                push((ch.iter(include_text=True), key, new_chain, in_link, key))
            else:
                push((ch.iter(include_text=True), block_key, chain, in_link or tag == "a", None))
            break
        else:
            stack.pop()
            if end_key is not None:
                ends[end_key] = count
                if buf:
                    flush()

    total_text = 0
    total_link = 0
    container_link: dict[int, int] = {}
    nblocks: dict[int, int] = {}
    nlinkblocks: dict[int, int] = {}
    leads: list[int] = []
    for _key, (_node, tlen, llen, punct, _order, chain, colons) in blocks.items():
        total_text += tlen
        total_link += llen
        if tlen == 0:
            continue
        linky = llen > 0.5 * tlen
        for c in chain[:4]:
            container_text[c] = container_text.get(c, 0) + tlen
            container_link[c] = container_link.get(c, 0) + llen
            nblocks[c] = nblocks.get(c, 0) + 1
            if linky:
                nlinkblocks[c] = nlinkblocks.get(c, 0) + 1
        own = tlen - llen
        if own < 8 or llen > 0.5 * tlen:
            continue
        if own >= 30 and punct - colons >= 2:
            leads.append(_order)
        w = own * (1.0 if punct else 0.3) * (1.0 + min(punct, 10) / 10.0)
        if own < 25 and punct == 0:
            w *= 0.2
        factor = 1.0
        for c in chain[:4]:
            container_score[c] = container_score.get(c, 0.0) + w * factor
            factor *= 0.5

    cands = sorted(((score, key) for key, score in container_score.items()), reverse=True)
    scored = []
    for score, key in cands[:15]:
        node = container_nodes[key]
        attrs = node.attributes
        cls = " ".join(v for k, v in attrs.items() if k in ("class", "id") and v)
        s = score
        ld = container_link.get(key, 0) / max(1, container_text.get(key, 0))
        lbr = nlinkblocks.get(key, 0) / max(1, nblocks.get(key, 0))
        s *= (1.0 - ld) * (1.0 - lbr)
        if cls:
            if _JUNK_ATTR.search(cls) and not _GOOD_ATTR.search(cls):
                s *= 0.3
            elif _GOOD_ATTR.search(cls):
                s *= 1.15
        scored.append(Cand(s, node, container_order[key], ends.get(key, 10**9)))
    scored.sort(key=lambda c: -c.score)
    leads.sort()
    if buf:
        flush()
    return Scan(scored, date_nodes, total_text, total_link, orders, ends, leads, page_lines)


@dataclass
class Cand:
    score: float
    node: object
    start: int
    end: int


LEAD_NEAR_TITLE = 40  # document-order steps (elements) from the headline to a lead that starts the article


def choose(cands: list[Cand], title_order: int | None, leads: list[int] | None = None):
    """Best candidate, preferring containers that hold the title or follow it closely, and that hold
    the first real paragraph after the title (the lead)."""
    lead = None
    if title_order is not None and leads:
        i = bisect.bisect_right(leads, title_order)
        if i < len(leads):
            lead = leads[i]
    # a lead right under the headline and byline is where the article starts, however short it is: a
    # bigger block elsewhere (comments, a recommendation feed) must not win over it
    near = lead is not None and title_order is not None and lead - title_order <= LEAD_NEAR_TITLE
    scored = []
    for c in cands:
        s = c.score
        if lead is not None and not (c.start <= lead <= c.end):
            s *= 0.15 if near else 0.5
        if title_order is not None:
            if c.start <= title_order <= c.end:
                pass
            elif c.end < title_order:
                s *= 0.3
            else:
                d = c.start - title_order
                if d > 120:
                    s *= max(0.3, 120 / d)
        scored.append((s, c))
    if not scored:
        return None
    best_s, best = max(scored, key=lambda x: x[0])
    if near and best.start <= lead <= best.end:
        # of the blocks holding the lead, the innermost that scores at least half the best: the page
        # body holds the lead too, but also every comment and feed item around a short article
        holding = [(c.end - c.start, c) for s, c in scored if c.start <= lead <= c.end and s >= 0.5 * best_s]
        best = min(holding, key=lambda x: x[0])[1]
    return best


# ----------------------------------------------------------------------------------------- lines


@dataclass
class Line:
    text: str
    link: int
    heading: bool = False


def read_lines(container, skip_junk: bool = True) -> list[Line]:
    """Text of ``container`` as lines: one per block element or ``<br>``; link chars counted."""
    lines: list[Line] = []
    buf: list[str] = []
    link = [0]
    heading = [False]

    def flush():
        if buf:
            t = norm_ws("".join(buf))
            if t:
                lines.append(Line(t, link[0], heading[0]))
            buf.clear()
        link[0] = 0

    # explicit stack; frame: (children iterator, in_link, is_block, is_heading), resumed like scan's
    stack = [(container.iter(include_text=True), False, False, False)]
    push = stack.append
    while stack:
        it, in_link, is_block, is_h = stack[-1]
        for ch in it:
            tag = ch.tag
            if tag == "-text":
                s = ch.text_content
                if s:
                    buf.append(s)
                    if in_link:
                        link[0] += len(s.strip())
                continue
            if tag in SKIP_TAGS:
                continue
            if tag == "br" or tag == "hr":
                flush()
                continue
            if tag in BLOCK_TAGS:
                flush()
                if skip_junk:
                    attrs = ch.attributes
                    cls = attrs.get("class") or ""
                    ident = attrs.get("id") or ""
                    style = attrs.get("style")
                    if style and "display:none" in style.replace(" ", "").lower():
                        continue
                    if (cls or ident) and _JUNK_ATTR.search(f"{cls} {ident}") and not _GOOD_ATTR.search(f"{cls} {ident}"):
                        continue
                h = tag in HEADING_TAGS
                if h:
                    heading[0] = True
                push((ch.iter(include_text=True), in_link, True, h))
            else:
                push((ch.iter(include_text=True), in_link or tag == "a", False, False))
            break
        else:
            stack.pop()
            if is_block:
                flush()
                if is_h:
                    heading[0] = False
    flush()
    return lines
