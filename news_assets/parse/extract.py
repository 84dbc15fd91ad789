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
_NON_PUNCT_RE = re.compile("[^，。！？；：、“”…！？（）《》「」『』]+")  # deleting the rest counts faster than findall
_PUNCT_CHARS = tuple(frozenset("，。！？；：、“”…！？（）《》「」『』"))  # the same marks, each once
_WS_RE = re.compile(r"[\s\u3000\xa0\u200b\ufeff]+")
_NON_CJK_RE = re.compile(r"[^\u4e00-\u9fff]+")

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
# the same patterns (written in lower case) without re.I, for lower-cased ASCII names: see _names_match
_JUNK_ATTR_LOWER = re.compile(_JUNK_ATTR.pattern)
_GOOD_ATTR_LOWER = re.compile(_GOOD_ATTR.pattern)


def _names_match(names: str, good: bool = False) -> bool:
    """Whether class/id ``names`` match _JUNK_ATTR (good=True: _GOOD_ATTR). ASCII names (nearly all) are
    lower-cased and searched without re.I: the same answer, since re.I's extra case pairs (ſ/s, K/k)
    need non-ASCII text, at about a quarter of the cost (re.I compares every letter through a charset)."""
    if names.isascii():
        return (_GOOD_ATTR_LOWER if good else _JUNK_ATTR_LOWER).search(names.lower()) is not None
    return (_GOOD_ATTR if good else _JUNK_ATTR).search(names) is not None


def norm_ws(s: str) -> str:
    if "\u200b" in s or "\ufeff" in s:  # not whitespace to str.split
        return _WS_RE.sub(" ", s).strip()
    return " ".join(s.split())  # C-speed; splits on \u3000 and \xa0 too


def cjk_count(s: str) -> int:
    if _EXT_A_RE.search(s):
        # deleting the runs of other characters is about twice as fast as listing the CJK ones
        return len(_NON_CJK_RE.sub("", s))
    # U+4000..U+9FFF are the characters whose UTF-8 lead byte is E4..E9 (a lead byte is never a
    # continuation byte); without U+4000..U+4DFF in the text, counting those bytes counts U+4E00..U+9FFF,
    # at C speed (about four times faster on a long body)
    return len(s.encode("utf-8", "surrogatepass").translate(None, _NOT_E4_E9))


_EXT_A_RE = re.compile(r"[\u4000-\u4dff]")
_NOT_E4_E9 = bytes(b for b in range(256) if not 0xE4 <= b <= 0xE9)


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
    """One pass over the DOM (``_walk``), then per-container credit (``_credit``) and the boilerplate
    penalties of the best containers (``_rank``)."""
    w = _walk(body)
    credit = _credit(w.blocks)
    return Scan(_rank(credit, w), w.date_nodes, credit.total_text, credit.total_link, w.orders, w.ends,
                credit.leads, w.page_lines)


@dataclass
class _Walked:
    blocks: list  # [pieces (stripped text nodes), link chars, order, chain] per block, in document order
    containers: dict  # mem_id -> (node, order)
    date_nodes: list
    orders: dict
    ends: dict
    page_lines: list


def _walk(body) -> _Walked:
    root_key = body.mem_id
    root = [[], 0, 0, (root_key,)]
    w = _Walked([root], {root_key: (body, 0)}, [], {}, {}, [])
    _visit(body, root, w)
    return w


def _visit(body, root: list, w: _Walked) -> None:
    """Text to blocks, date-only text nodes, document order, and the page as lines (one per block / <br>,
    so the header zone needs no second walk). Punctuation and boilerplate are measured in ``_credit``."""
    blocks, containers, date_nodes = w.blocks, w.containers, w.date_nodes
    orders, ends, page_lines = w.orders, w.ends, w.page_lines
    buf: list[str] = []  # the current line; starts with a non-blank text node (blank ones alone are no line)
    count = 0
    date_match = _DATE_ONLY.match
    # explicit stack (deep pages must not hit the recursion limit); frame: (children iterator, block record,
    # container ancestors nearest first, in_link, end_key), its iterator resumed after each child frame ends
    stack = [(body.iter(include_text=True), root, root[3], False, None)]
    push = stack.append
    kinds: dict[int, int] = {}  # tag_id -> _TEXT.. (an int read instead of the tag name per node)
    while stack:
        it, rec, chain, in_link, end_key = stack[-1]
        for ch in it:
            kind = kinds.get(ch.tag_id)
            if kind is None:
                kind = kinds[ch.tag_id] = _kind(ch.tag)
            if kind == 0:  # _TEXT (int literals: the loop runs once per node)
                s = ch.text_content
                st = s.strip() if s else None
                if st or buf and s:
                    buf.append(s)
                if not st:
                    continue
                rec[0].append(st)
                if in_link:
                    rec[1] += len(st)
                if st[0] in _DATE_FIRST and len(st) <= 40 and date_match(st):
                    count += 1
                    date_nodes.append(DateNode(st, count, ch))
                continue
            if kind == 1:  # _SKIP
                continue
            count += 1
            if kind >= 4:  # _VOID, _BLOCK, _CONTAINER
                if buf:
                    _flush(buf, page_lines)
                key = ch.mem_id
                orders[key] = count
                if kind == 4:
                    continue  # br, hr: no text, no container, nothing to close
                if kind == 6:
                    containers[key] = (ch, count)
                    chain = (key,) + chain[:3]
                new = [[], 0, count, chain]
                blocks.append(new)
                push((ch.iter(include_text=True), new, chain, in_link, key))
            else:
                push((ch.iter(include_text=True), rec, chain, in_link or kind == 3, None))
            break
        else:
            stack.pop()
            if end_key is not None:
                ends[end_key] = count
                if buf:
                    _flush(buf, page_lines)
    if buf:
        _flush(buf, page_lines)


_DATE_FIRST = frozenset("0123456789(（[【 ")
# node kinds; _visit compares them as int literals, in this order
_TEXT, _SKIP, _INLINE, _LINK, _VOID, _BLOCK, _CONTAINER = range(7)
_HEADING = 7  # read_lines only: a _BLOCK that is h1-h6


def _kind(tag: str) -> int:
    if tag == "-text":
        return _TEXT
    if tag in SKIP_TAGS:
        return _SKIP
    if tag in BLOCK_TAGS:
        if tag == "br" or tag == "hr":
            return _VOID
        return _CONTAINER if tag in CONTAINER_TAGS else _BLOCK
    return _LINK if tag == "a" else _INLINE


def _flush(buf: list[str], lines: list[str]) -> None:
    t = "".join(buf)
    buf.clear()
    # norm_ws, inlined: this runs once per line of the page
    t = _WS_RE.sub(" ", t).strip() if "\u200b" in t or "\ufeff" in t else " ".join(t.split())
    if t:
        lines.append(t)


@dataclass
class _Credit:
    groups: dict  # nearest container mem_id -> [text chars, link chars, blocks, link-only blocks, chain]
    scores: dict  # container mem_id -> credit from the paragraphs under it
    leads: list
    total_text: int
    total_link: int


def _credit(blocks: list) -> _Credit:
    """Each block with enough own (non-link) text credits its container ancestors (1, 1/2, 1/4, 1/8),
    weighted by its sentence punctuation; blocks that read as paragraphs are leads."""
    # text sums go first to the block's nearest container (its chain follows from it), then up the chain
    groups: dict[int, list] = {}  # nearest container -> [text, link, blocks, link-only blocks, chain]
    scores: dict[int, float] = {}
    leads: list[int] = []
    total_text = total_link = 0
    punct_only, boiler_search = _NON_PUNCT_RE.sub, _BOILER.search
    for pieces, llen, order, chain in blocks:
        if not pieces:
            continue
        text = pieces[0] if len(pieces) == 1 else "".join(pieces)
        tlen = len(text)
        # boilerplate text (copyright, ICP) counts as link text; a word split across nodes does not count
        if tlen > 8 and boiler_search(text):
            llen += sum(len(p) for p in pieces if len(p) > 8 and boiler_search(p))
        total_text += tlen
        total_link += llen
        linky = llen > 0.5 * tlen
        g = groups.get(chain[0])
        if g is None:
            g = groups[chain[0]] = [0, 0, 0, 0, chain]
        g[0] += tlen
        g[1] += llen
        g[2] += 1
        if linky:
            g[3] += 1
        own = tlen - llen
        if own < 8 or linky:
            continue
        # short text: delete the rest; longer: count each mark at C speed (faster past ~40 chars)
        punct = len(punct_only("", text)) if tlen <= 40 else sum(map(text.count, _PUNCT_CHARS))
        if own >= 30 and punct - text.count("：") >= 2:  # label colons: a byline row is not a lead
            leads.append(order)
        w = own * (1.0 if punct else 0.3) * (1.0 + min(punct, 10) / 10.0)
        if own < 25 and punct == 0:
            w *= 0.2
        factor = 1.0
        for c in chain:  # block by block in document order (float sums are order-sensitive)
            scores[c] = scores.get(c, 0.0) + w * factor
            factor *= 0.5
    leads.sort()
    return _Credit(groups, scores, leads, total_text, total_link)


def _chain_sums(groups: dict[int, list], keys) -> dict[int, list]:
    """[text chars, link chars, blocks, link-only blocks] under each container of ``keys``: only the
    ranked candidates' sums are ever read, so no other container's are kept."""
    stats: dict[int, list] = {k: [0, 0, 0, 0] for k in keys}
    for tlen, llen, n, nlinky, chain in groups.values():
        for c in chain:
            s = stats.get(c)
            if s is None:
                continue
            s[0] += tlen
            s[1] += llen
            s[2] += n
            s[3] += nlinky
    return stats


def _rank(credit: _Credit, w: _Walked) -> list:
    """The 15 best-credited containers, penalised for link density, link-only blocks and boilerplate
    class names, best first."""
    cands = sorted(((score, key) for key, score in credit.scores.items()), reverse=True)
    scored = []
    stats = _chain_sums(credit.groups, [key for _, key in cands[:15]])
    for score, key in cands[:15]:
        node, start = w.containers[key]
        tlen, llen, nblocks, nlinky = stats[key]
        cls = " ".join(v for k, v in node.attributes.items() if k in ("class", "id") and v)
        s = score * ((1.0 - llen / max(1, tlen)) * (1.0 - nlinky / max(1, nblocks)))
        if cls:
            if _names_match(cls) and not _names_match(cls, good=True):
                s *= 0.3
            elif _names_match(cls, good=True):
                s *= 1.15
        scored.append(Cand(s, node, start, w.ends.get(key, 10**9)))
    scored.sort(key=lambda c: -c.score)
    return scored


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
    junk_names: dict[str, bool] = {}  # "class id" -> verdict: a page repeats its class names

    def flush():  # called only when buf holds text: link chars are only counted for text in buf
        t = "".join(buf)
        t = _WS_RE.sub(" ", t).strip() if "\u200b" in t or "\ufeff" in t else " ".join(t.split())  # norm_ws
        if t:
            lines.append(Line(t, link[0], heading[0]))
        buf.clear()
        link[0] = 0

    # explicit stack; frame: (children iterator, in_link, is_block, is_heading), resumed like _walk's
    stack = [(container.iter(include_text=True), False, False, False)]
    push = stack.append
    kinds: dict[int, int] = {}  # tag_id -> kind, _HEADING for h1-h6 (no tag name read per block)
    while stack:
        it, in_link, is_block, is_h = stack[-1]
        for ch in it:
            kind = kinds.get(ch.tag_id)
            if kind is None:
                kind = kinds[ch.tag_id] = _HEADING if ch.tag in HEADING_TAGS else _kind(ch.tag)
            if kind == 0:  # _TEXT (int literals, as in _visit)
                s = ch.text_content
                if s:
                    buf.append(s)
                    if in_link:
                        link[0] += len(s.strip())
                continue
            if kind == 1:  # _SKIP
                continue
            if kind == 4:  # _VOID
                if buf:
                    flush()
                continue
            if kind >= 5:  # _BLOCK, _CONTAINER, _HEADING
                if buf:
                    flush()
                if skip_junk and _hidden_or_junk(ch, junk_names):
                    continue
                h = kind == 7  # _HEADING
                if h:
                    heading[0] = True
                push((ch.iter(include_text=True), in_link, True, h))
            else:
                push((ch.iter(include_text=True), in_link or kind == 3, False, False))  # 3: _LINK
            break
        else:
            stack.pop()
            if is_block:
                if buf:
                    flush()
                if is_h:
                    heading[0] = False
    if buf:
        flush()
    return lines


def _hidden_or_junk(node, seen: dict[str, bool]) -> bool:
    """A block styled display:none, or one whose class/id names boilerplate (and not content)."""
    attrs = node.attributes
    if not attrs:
        return False
    cls = attrs.get("class") or ""
    ident = attrs.get("id") or ""
    style = attrs.get("style")
    if style and "display:none" in style.replace(" ", "").lower():
        return True
    if not (cls or ident):
        return False
    names = f"{cls} {ident}"
    junk = seen.get(names)
    if junk is None:
        junk = seen[names] = _names_match(names) and not _names_match(names, good=True)
    return junk
