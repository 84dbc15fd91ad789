"""parse_html: bytes -> Article."""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import fields as F
from .charset import decode_html_utf8
from .classify import classify
from .errors import ParseError
from .extract import Line, choose, cjk_count, norm_ws, read_lines
from .limits import ParseLimits, flatten_deep, may_be_deeper
from .model import Article, Dateline
from .names import SiteNames, has_surname, is_person
from .page import Page, read_page
from .related import find_related
from .script import detect_language

PARSER_NAME = "generic"
PARSER_VERSION = "0.4.0"

_TAG_RE = re.compile(r"<\s*(?:!doctype|html|head|body|div|p|meta|title|table|span|a|br|script)\b", re.I)
_META_TIME_KEYS = (
    "article:published_time",
    "og:article:published_time",
    "og:release_date",
    "publishdate",
    "publish_date",
    "pubdate",
    "pubtime",
    "publishtime",
    "publish-time",
    "publication_date",
    "datepublished",
    "article:published",
    "dc.date.issued",
    "dc.date",
    "dcterms.created",
    "sailthru.date",
    "weibo: article:create_at",
    "firstpublishedtime",
    "ptime",
    "created",
    "date",
    "article:modified_time",
    "lastmodified",
)
_TITLE_SPLIT = re.compile(r"\s*(?:_|\||｜|\s-\s|\s–\s|\s—\s|-{2,}|——\s)\s*")

_EDITOR_LINE = re.compile(
    r"^[（(【\[]?\s*(?:责任编辑|責任編輯|责编|責編|编辑|編輯|值班编辑|网络编辑|审核|審核|校对|校對|监制|監製|编审|"
    r"审校|主编|出品人|策划|美编|终审|初审|复审|[一二三]审|编校|编导|统筹|文字编辑|图片编辑|视频编辑|实习编辑|"
    r"翻译|排版|设计|海报|视觉|新媒体编辑|本期编辑)\s*[:：丨|]"
)
_EDITOR_TAIL = re.compile(r"[（(【\[]\s*(?:责任编辑|責任編輯|责编|编辑|編輯)\s*[:：][^）)】\]]{0,30}[）)】\]]\s*$")
_STOP_LINE = re.compile(
    r"^(?:[【\[]?\s*(?:相关新闻|相關新聞|相关阅读|相關閱讀|相关报道|相關報導|相关链接|延伸阅读|推荐阅读|热门推荐|"
    r"更多关于|猜你喜欢|热点推荐|为你推荐|往期回顾|精彩推荐|热门文章|热门新闻|今日推荐|最新新闻|"
    r"以上内容为资讯信息快照|免责声明|版权声明|特别声明|网友评论|我要评论|发表评论|文章评论|热门评论|"
    r"分享到|分享至|扫一扫|打开微信|微信扫一扫|关注我们|点击进入|返回搜狐|返回顶部|上一篇|下一篇|"
    r"【纠错】|纠错|Copyright|copyright|版权所有))"
)
_JUNK_LINE = re.compile(
    r"^(?:打印|关闭|关闭窗口|收藏|举报|字号|字体|分享|评论|点赞|赞|返回|查看原文|阅读原文|阅读全文|展开全文|"
    r"\d+\s*(?:条评论|人参与|阅读)|【字号\s*大\s*中\s*小】|字号\s*[:：]?\s*大\s*中\s*小|"
    r"[【\[]?(?:打印|关闭|收藏)[】\]]?|(?:本文|文章|稿件|信息|新闻|内容)?(?:来源|來源)[:：].{0,30}|\s*|[>›»]+.*|原标题[:：].{0,80}|"
    r"(?:本文)?(?:转自|转载自|本文转自)[:：].{0,30}|第\s*\d+\s*页.{0,30}|.{0,20}(?:上一页|下一页|上一篇|下一篇).{0,30}|(?:关键字|关键词|關鍵字|標籤|标签|Tags?)\s*[:：].{0,50}|.{0,20}(?:声明|提示)[:：].{0,6})$"
)
_AUTHOR_LINE = re.compile(r"^[\[【(（]?\s*(?:作者|作\s+者|文\s*[/丨|｜]|撰文|记者)\s*[:：/丨|｜]?\s*[\u4e00-\u9fff·]{2,4}(?:[\s、，,][\u4e00-\u9fff·]{2,4})*(?:\s+(?:责任编辑|编辑|责编)\s*[:：].*)?\s*[\]】)）]?$")
_BYLINE_HINT = re.compile(
    r"来源|來源|发布时间|發布時間|作者|编辑|浏览|瀏覽|字号|阅读|點擊|点击|时间[:：]|日期[:：]|类别[:：]|本文转自|"
    r"(?:19|20)\d\d[-/年.]\d{1,2}"
)


_SITE_SUFFIX = re.compile(
    r"(?:网|網|报|報|频道|頻道|新闻|新聞|中心|在线|在線|客户端|首页|官网|门户|日报|晚报|时报|社|台|站|\.com|\.cn|\.net)$"
)


def _title_parts(t: str) -> list[str]:
    parts = [p for p in _TITLE_SPLIT.split(t) if p]
    # "标题-中国科普网": a bare hyphen before a short site name
    if len(parts) == 1 and "-" in t:
        head, _, tail = t.rpartition("-")
        if head and len(tail) <= 12 and _SITE_SUFFIX.search(tail):
            parts = [head, tail]
    return parts or [t]


def _strip_title(t: str) -> str:
    parts = _title_parts(t)
    while len(parts) > 1 and (len(parts[-1]) <= 12 or _SITE_SUFFIX.search(parts[-1])):
        parts.pop()
    if len(parts) > 1:
        return max(parts, key=len)
    return parts[0]


def _pick_title(tree, meta, orders, title_tag: str) -> tuple[str | None, int | None]:
    og = norm_ws(meta.get("og:title", "")) or norm_ws(meta.get("twitter:title", ""))
    ref = title_tag + " " + og
    heads = [p for p in _title_parts(title_tag) + _title_parts(og) if len(p) >= 6]
    best = None
    best_score = 0.0
    best_order = None
    # lexbor lists a node once per selector it matches (the index i, a tie-break, counts the repeats):
    # its text is read once
    cands = tree.css("h1, h2, h3, [class*=title], [id*=title], [class*=Title], [class*=headline], [class*=tit]")
    texts: dict[int, str] = {}
    for i, n in enumerate(cands):
        if n.tag in ("title", "meta", "head", "html", "body", "a", "img", "input", "script", "style"):
            continue
        t = texts.get(n.mem_id)
        if t is None:
            t = texts[n.mem_id] = norm_ws(n.text())
        if not (4 <= len(t) <= 120):
            continue
        score = 0.0
        if t not in ref:
            # "<h1>标题<span>播报文章</span></h1>": keep the part the <title> confirms
            for h in heads:
                if t.startswith(h) and len(t) > len(h):
                    t = h
                    break
        if t in ref:
            score = len(t) * 3.0
        elif len(t) >= 8 and t[: len(t) // 2] in ref:
            score = len(t) * 1.5
        else:
            continue
        if n.tag == "h1":
            score *= 1.5
        elif n.tag in ("h2", "h3"):
            score *= 1.1
        score -= i * 0.01
        if score > best_score:
            best, best_score = t, score
            best_order = orders.get(n.mem_id)
    if best:
        parts = _title_parts(best)
        if len(parts) > 1 and _SITE_SUFFIX.search(parts[-1]) and len(parts[-1]) <= 12:
            best = _strip_title(best)
        return best, best_order, True
    if og:
        return _strip_title(og), None, True
    h1 = tree.css_first("h1")
    if h1 is not None:
        t = norm_ws(h1.text())
        if 6 <= len(t) <= 100:
            return t, orders.get(h1.mem_id), True
    if title_tag:
        return _strip_title(title_tag), None, False
    return None, None, False


def _title_above_byline(page_lines: list[str], body_lines: list[str]) -> str | None:
    """The line right above the byline (来源/时间) that precedes the body: the headline on pages whose
    <title> is generic."""
    if not body_lines:
        return None
    first = body_lines[0][:12]
    bstart = next((j for j, t in enumerate(page_lines) if t.startswith(first)), None)
    if bstart is None:
        return None
    j = bstart - 1
    seen_byline = False
    while j >= max(0, bstart - 10):
        t = page_lines[j]
        if len(t) < 120 and _BYLINE_HINT.search(t):
            seen_byline = True
        elif seen_byline:
            if (6 <= len(t) <= 80 and not t.endswith("。") and cjk_count(t) >= 4
                    and not _JUNK_LINE.match(t) and not re.search(r"www\.|https?:|上一页|下一页", t)):
                return t
            return None
        j -= 1
    return None


def _clean_body(lines: list[Line], title: str | None) -> tuple[list[str], list[str], list[str]]:
    """Body paragraphs, the header-ish lines dropped from the top and short lines dropped below it."""
    out: list[str] = []
    header: list[str] = []
    tail: list[str] = []
    seen_long = False
    for ln in lines:
        t = ln.text
        if not t:
            continue
        if title and (t == title or (len(t) < len(title) + 10 and title in t and not seen_long)):
            header.append(t)
            continue
        n = len(t)
        ts = F.to_simplified(t)  # line patterns are written once, in simplified characters
        if ln.link and ln.link > 0.5 * n and n < 200:
            if not seen_long:
                header.append(t)
            continue
        if _STOP_LINE.match(ts) and (seen_long or len(out) >= 2):
            break
        if _EDITOR_LINE.match(ts) and n < 80:
            tail.append(t)
            continue
        if n < 60 and _AUTHOR_LINE.match(ts):
            (tail if seen_long else header).append(t)
            continue
        if "以上内容为资讯信息快照" in t or "快照生成时间" in t:
            break
        if not seen_long and n < 120 and _BYLINE_HINT.search(ts) and not re.search(r"电\s*[（(]|电\s|。", ts):
            # everything above the byline is header too (account names, "播报文章" buttons)
            header.extend(out)
            out.clear()
            header.append(t)
            continue
        if n < 60 and _JUNK_LINE.match(ts):
            (tail if seen_long else header).append(t)
            continue
        t = _EDITOR_TAIL.sub("", t).strip()
        if not t:
            continue
        out.append(t)
        if n >= 30 or "。" in t:
            seen_long = True
    # trailing junk: short link-ish/labels after the last sentence
    while out and len(out[-1]) < 40 and (_JUNK_LINE.match(out[-1]) or _EDITOR_LINE.match(out[-1])):
        tail.append(out.pop())
    return out, header, tail


_AUTHOR_NODES = "[id*=author],[class*=author],[class*=byline],[id*=writer],[class*=writer],[class*=reporter]"
# editors, comment threads and self-media profile cards (author-info: the account, which is the source)
_NOT_AUTHOR_NODE = re.compile(r"editor|comment|reply|avatar|img|pic|photo|list|follow|info|card|profile", re.I)
_META_ROW = re.compile(r"来源|來源|\d{4}[-/年.]\d{1,2}")
_OUTLET = re.compile(r"[社网網报報台]$")  # 法新社, 新华网: an agency or outlet, not a person


def _author_element(tree) -> list[str]:
    """A bare name in an author element of the article's meta row (<span id="author_baidu">王帆</span>
    beside the time and 来源): the row's text must show a date or 来源, so comment and profile boxes
    with user names do not count."""
    for node in tree.css(_AUTHOR_NODES)[:20]:
        attrs = f"{node.attributes.get('id') or ''} {node.attributes.get('class') or ''}"
        if _NOT_AUTHOR_NODE.search(attrs):
            continue
        text = re.sub(r"^(?:作者|记者|記者|文)\s*[:：/|]?\s*", "", node.text(strip=True))
        if not 2 <= len(text) <= 20:
            continue
        names = F.split_names(text)
        if not names or sum(len(n) for n in names) + len(names) < len(text) - 2:
            continue  # more than names in it
        if any(_OUTLET.search(n) for n in names):
            continue
        row = node.parent
        for _ in range(2):
            if row is None:
                break
            row_text = row.text(strip=True)
            if len(row_text) <= 300 and _META_ROW.search(row_text):
                return names
            row = row.parent
    return []


_SOURCE_NODES = ("[class*=source],[id*=source],[class*=media_name],[data-sudaclick=media_name],"
                 "[itemprop=publisher],[id*=media]")
_SOURCE_LABEL = re.compile(r"^(?:来源|來源|稿源|出处|出處)?\s*[:：]?\s*")


def _source_element(tree) -> str | None:
    """An outlet named by an element of the meta row without a 来源 label (<span class="source"><a>新京报
    </a></span> beside the time): short, no date in it, and a date or time in its row."""
    for node in tree.css(_SOURCE_NODES)[:20]:
        attrs = f"{node.attributes.get('id') or ''} {node.attributes.get('class') or ''}"
        if _NOT_AUTHOR_NODE.search(attrs) or re.search(r"resource|sourcecode", attrs, re.I):
            continue
        text = _SOURCE_LABEL.sub("", norm_ws(node.text()))
        if not 2 <= len(text) <= 20 or re.search(r"\d{1,2}[:：]\d\d|(?:19|20)\d\d|[\s、;；，,。|/]", text):
            continue
        row = node.parent
        for _ in range(2):
            if row is None:
                break
            if len(row.text(strip=True)) <= 300 and F.DATETIME_RE.search(row.text()):
                return F.clean_source(text)
            row = row.parent
    return None


def parse_html(data: bytes, url: str | None = None, *, declared_charset: str | None = None,
               charset: str | None = None, limits: ParseLimits | None = None) -> Article:
    """Parse one HTML page. Raises ParseError only for hopeless input (empty, not HTML, undecodable,
    larger than ``limits.max_bytes``); markup nested deeper than ``limits.max_depth`` is flattened.

    charset: the charset parse.charset already chose for these bytes (the manifest's), used as is.

    Any other exception is a bug and propagates: callers in the pipeline go through
    ``news_assets.faults.parse_page``, which turns it into a ``parser_crash`` quarantine row.
    """
    limits = limits or ParseLimits.from_env()
    if len(data) > limits.max_bytes:
        raise ParseError("too_large", f"page is {len(data):,} bytes, over the parse limit of {limits.max_bytes:,} "
                                      f"(raise ParseLimits.max_bytes / NEWS_PARSE_MAX_BYTES to parse it)")
    text, charset, utf8 = decode_html_utf8(data, declared_charset, charset=charset)
    if not _TAG_RE.search(text[:20000]):
        raise ParseError("not_html", "no HTML markup found")
    if may_be_deeper(data, limits.max_depth):
        text, removed = flatten_deep(text, limits.max_depth)
        if removed:
            utf8 = None  # no longer the text's bytes
    return _parse(text, charset, url, utf8)


def _parse(text: str, charset: str, url: str | None, utf8: bytes | None = None) -> Article:
    page = read_page(text, url, utf8)
    art = Article(url=url, canonical_url=page.canonical_url, site=page.site, charset=charset, parser=PARSER_NAME,
                  parser_version=PARSER_VERSION)
    if page.scan is None:
        art.reject_reason = "no_body"
        return art
    title, title_order, title_ok = _title(page)
    picked = choose(page.scan.candidates, title_order, page.scan.leads)
    z = _zones(page, picked.node if picked else None, title, title_ok)
    art.title = z.title
    art.body = "\n".join(z.body_lines)
    st = _publish_stamp(page, z)
    art.publish_time = st.dt if st else None
    art.category = _category(page, z)
    art.source_name, art.origin_name = _source_and_origin(page, z)
    art.dateline, dl_line = _dateline(z.body_lines, art.publish_time)
    site_names = SiteNames.of(art.site, page.meta.get("og:site_name"), _title_parts(page.title_tag)[1:])
    ctx = _AuthorContext(z.zone_text, z.head_body, z.body_lines, z.dropped_tail, z.after, dl_line, page.tree,
                         page.ld_authors, page.meta, z.page_lines, page.title_tag)
    art.authors = _authors(ctx, lambda n: is_person(n, site_names) and n != (art.source_name or ""))
    art.related = find_related(page.scan.date_nodes, picked.start if picked else 0, page.base_url)
    art.language, art.script = detect_language(art.body or page.title_tag)
    art.is_article, art.reject_reason = classify(art, url=page.base_url, title_tag=page.title_tag, meta=page.meta,
                                                 scan=page.scan, page_lines=z.page_lines, stamp=st)
    return art


def _first(steps, *args):
    """The first value a fallback ladder's steps give that is not None."""
    for step in steps:
        v = step(*args)
        if v is not None:
            return v
    return None


# ---------------------------------------------------------------------------------- title, zones


def _title(page: Page) -> tuple[str | None, int | None, bool]:
    """(headline, its document order, whether the page confirms it); a site profile may override it."""
    title, order, ok = _pick_title(page.tree, page.meta, page.scan.orders, page.title_tag)
    if page.profile and page.profile.title:
        title = page.profile.title(page.tree) or title
    return title, order, ok


@dataclass
class _Zones:
    """The page read as lines around the article body: where the header fields are looked for."""
    title: str | None  # the headline, settled once the body is known
    body_lines: list[str]
    header_lines: list[str]  # dropped from the body's top (headline, byline rows)
    dropped_tail: list[str]  # dropped below the body's start (editor lines, short junk)
    page_lines: list[str]
    zone: list[str]  # between the headline and the first body paragraph
    before: list[str]  # the lines before the headline
    after: list[str]  # the few short lines right after the body
    zone_text: str  # header_lines + zone, the text most header fields are read from
    head_body: str  # the first two body lines


def _zones(page: Page, container, title: str | None, title_ok: bool) -> _Zones:
    if page.profile and page.profile.body_selector:
        n = page.tree.css_first(page.profile.body_selector)
        if n is not None:
            container = n
    lines = read_lines(container) if container is not None else []
    body_lines, header_lines, dropped_tail = _clean_body(lines, title)
    page_lines = page.scan.page_lines
    if not title_ok:
        # the <title> minus its site suffix, if the page shows it as a line; else the line above the byline
        shown = bool(title) and any(ln == title or (ln.startswith(title) and len(ln) < len(title) + 8)
                                    for ln in page_lines)
        if not shown:
            title = _title_above_byline(page_lines, body_lines) or title
    zone, before = _header_zone(page_lines, title, body_lines)
    return _Zones(title, body_lines, header_lines, dropped_tail, page_lines, zone, before,
                  _after_zone(page_lines, body_lines), "\n".join(header_lines + zone), "\n".join(body_lines[:2]))


# ---------------------------------------------------------------------------------- publish time


def _meta_tag_time(page: Page, z: _Zones):
    for k in _META_TIME_KEYS:
        if k in page.meta:
            st = F.parse_machine_time(page.meta[k], "meta")
            if st:
                return st
    return None


def _time_element(page: Page, z: _Zones):
    for tn in page.tree.css("time[datetime]"):
        st = F.parse_machine_time(tn.attributes.get("datetime") or "", "meta")
        if st:
            return st
    return None


# machine-readable times, in order of trust
_MACHINE_TIME_STEPS = (
    _meta_tag_time,
    lambda p, z: F.parse_machine_time(p.ld_date, "meta") if p.ld_date else None,
    _time_element,
)


def _profile_time(page: Page, z: _Zones):
    if page.profile and page.profile.publish_time_raw:
        v = page.profile.publish_time_raw(page.raw_text)
        return F.parse_machine_time(v, "meta") if v else None
    return None


def _url_time(page: Page, z: _Zones):
    """A date in the URL; its year completes a month-day time shown in the header zone."""
    yr = F.url_date(page.base_url)
    st = F.find_noyear_time(z.zone_text, yr.dt.year) if yr and yr.dt.year else None
    return st if st is not None else yr


def _labelled_time_anywhere(page: Page, z: _Zones):
    m = F.LABELED_RE.search("\n".join(z.page_lines))
    return F.match_to_stamp(m, "visible") if m else None


# when neither the header zone nor the machine-readable times give one
_FALLBACK_TIME_STEPS = (
    _profile_time,
    _url_time,
    lambda p, z: F.find_visible_time("\n".join(z.before[-5:])),
    _labelled_time_anywhere,
)


def _publish_stamp(page: Page, z: _Zones):
    """The time the header zone shows (publish labels first), sharpened by a machine-readable time of
    the same day; the machine time when the zone shows none; then the fallbacks."""
    zone_text = z.zone_text
    st = F.find_visible_time(zone_text)
    meta_st = _first(_MACHINE_TIME_STEPS, page, z)
    if st is None:
        st = F.find_dmy_time(zone_text, meta_st.dt if meta_st else None)
    if st is None and meta_st is not None:
        st = meta_st
    elif st is not None and meta_st is not None and st.precision == "day" and meta_st.dt.date() == st.dt.date():
        st = meta_st
    return st if st is not None else _first(_FALLBACK_TIME_STEPS, page, z)


# ---------------------------------------------------------------------------------- category, source


def _category(page: Page, z: _Zones) -> str | None:
    cat = F.find_category(z.zone_text) or F.find_category("\n".join(z.before[-3:]))
    if cat is None:
        cat = page.meta.get("article:section") or F.breadcrumb_category(z.before[-6:] + z.header_lines[:3], z.title)
    return cat


def _meta_source(page: Page, z: _Zones) -> str | None:
    for key in ("source", "mediaid", "media", "author_name"):
        if page.meta.get(key):
            src = F.clean_source(re.sub(r"^(?:来源|來源)\s*[:：]\s*", "", page.meta[key]))
            if src is not None:
                return src
    return None


# Where the source (来源) is looked for, in order: labels near the headline and the body's ends, media
# accounts beside the time, a meta-row element, meta tags, an outlet a byline credits.
_SOURCE_STEPS = (
    lambda p, z: F.find_source(z.zone_text),
    lambda p, z: F.find_source("\n".join(z.before[-4:])),
    lambda p, z: F.find_source("\n".join(z.after)),
    lambda p, z: F.find_source("\n".join(z.body_lines[-3:])),
    lambda p, z: F.find_account_line(z.header_lines + z.zone),
    lambda p, z: F.find_outlet_after_time(z.zone_text),
    lambda p, z: F.find_account_after_time(z.zone_text),
    lambda p, z: F.find_account_line(z.before[-6:]),
    lambda p, z: _source_element(p.tree),
    _meta_source,
    lambda p, z: F.find_outlet_credit(z.header_lines + z.zone + z.body_lines[:2]),
)
# after the origin (本文转自) has had its turn as the source: what a site profile reads
_PROFILE_SOURCE_STEPS = (
    lambda p, z: p.profile.source(p.tree) if p.profile and p.profile.source else None,
    lambda p, z: F.clean_source(p.profile.source_raw(p.raw_text)) if p.profile and p.profile.source_raw else None,
)


def _source_and_origin(page: Page, z: _Zones) -> tuple[str | None, str | None]:
    src = _first(_SOURCE_STEPS, page, z)
    origin = F.find_origin(z.zone_text) or F.find_origin(z.head_body)
    if src is None and origin:
        src, origin = origin, None  # a page that only says where it was copied from: that is its source
    if src is None:
        src = _first(_PROFILE_SOURCE_STEPS, page, z)
    return src, origin


def _dateline(body_lines: list[str], publish_time) -> tuple[Dateline | None, str]:
    """The 新华社X月X日电 dateline of the first body lines, and the line it is on."""
    for ln in body_lines[:5]:
        dl = F.find_dateline(ln, publish_time)
        if dl:
            return Dateline(agency=dl[0], place=dl[1], date=dl[2]), ln
    return None, ""


@dataclass
class _AuthorContext:
    zone: str
    head_body: str
    body_lines: list[str]
    dropped_tail: list[str]
    after: list[str]
    dateline_line: str
    tree: object
    ld_authors: list[str]
    meta: dict[str, str]
    page_lines: list[str]
    title_tag: str


_END_BYLINE = re.compile(
    r"[（(]\s*(?:(?:本报)?记者|記者|作者|文\s*/\s*图|图\s*/\s*文|文图|图文|文|撰文|撰稿|执笔)?\s*[:：/丨|｜]?\s*"
    r"([\u4e00-\u9fff·、，, ]{2,30})\s*[)）]\s*$"
)


def _by_tail_lines(c: _AuthorContext, ok) -> list[str]:
    # the last six lines: a teaser the extractor kept after the text can follow the closing byline
    for ln in c.body_lines[-6:] + c.dropped_tail + c.after:
        if len(ln) <= 40:
            names = F.authors_from_text(ln, ok)
            if names:
                return names
    return []


def _by_end_bracket(c: _AuthorContext, ok) -> list[str]:
    """'……（记者 张明）', '（作者：X）', '(文/图 X Y)' closing the last paragraph."""
    m = _END_BYLINE.search(F.to_simplified(c.body_lines[-1])) if c.body_lines else None
    return F.split_names(c.body_lines[-1][m.start(1) : m.end(1)]) if m else []


def _by_dateline(c: _AuthorContext, ok) -> list[str]:
    if not c.dateline_line:
        return []
    names = F.dateline_reporter(c.dateline_line)
    if not names:
        m = F.PAREN_AUTHORS_RE.search(c.dateline_line[:80])
        names = F.split_names(m.group("v")) if m else []
    return names


_BARE_LABEL = re.compile(r"^(?:作者|作\s*者|记者|記者|撰文|文)\s*[:：]$")
_SPACED_NAME = re.compile(r"^([\u4e00-\u9fff])[\s\u3000]+([\u4e00-\u9fff])$")


def _by_label_line(c: _AuthorContext, ok) -> list[str]:
    """'作者:' alone in its cell, the name in the next one (table layouts; '赵  培' spaced out to align)."""
    for i, ln in enumerate(c.page_lines[:-1]):
        if len(ln) <= 6 and _BARE_LABEL.match(ln):
            nxt = _SPACED_NAME.sub(r"\1\2", c.page_lines[i + 1])
            if len(nxt) <= 20:
                names = F.split_names(nxt)
                if names and sum(map(len, names)) + len(names) - 1 >= len(nxt) - 1:  # nothing but names
                    return names
    return []


def _by_meta(c: _AuthorContext, ok) -> list[str]:
    """meta/JSON-LD "author" is often the editor or the portal: trust it only when the page shows the
    name, and not as 编辑."""
    shown = "\n".join([c.zone, c.head_body, *c.body_lines[-3:], *c.after, *c.dropped_tail])
    for a in list(c.ld_authors) + [c.meta.get("author") or "", c.meta.get("article:author") or ""]:
        a = a.strip()
        if not (2 <= len(a) <= 4 and cjk_count(a) == len(a)) or _OUTLET.search(a):
            continue
        if a in shown and not re.search(r"(?:编辑|編輯|责编|責編|审核|校对)\s*[:：]?\s*" + re.escape(a), shown):
            return [a]
    return []


_BLOG_OWNER = re.compile(r"^[\[【]?(.{2,12}?)[\]】]?(?:的|之)(?:博客|部落格|部落|专栏|專欄|个人空间|個人空間|博文)$")


_BLOGGISH = re.compile(r"blog|博客|部落格", re.I)


def _by_blog_owner(c: _AuthorContext, ok) -> list[str]:
    """A blog post's author is the blog's owner: 'X的博客' in the <title> or as a short line of the page,
    or the one name beside the blog's own name in the <title> ('海风 | blog.example.com')."""
    parts = _title_parts(c.title_tag)
    if len(parts) > 1 and any(_BLOGGISH.search(p) for p in parts):
        names = [p for p in parts if len(p) <= 6 and not _BLOGGISH.search(p) and is_person(p)]
        if len(names) == 1:
            return names
    og = c.meta.get("og:site_name") or ""
    # on a blog, the link to the owner's home is titled '[X]的博客'
    linked = [a.attributes.get("title") or "" for a in c.tree.css("a[title]")] if _BLOGGISH.search(c.title_tag) else []
    for part in [*_title_parts(c.title_tag)[1:], og, *(ln for ln in c.page_lines[:40] if len(ln) <= 16), *linked]:
        m = _BLOG_OWNER.match(part.strip())
        if m and is_person(m.group(1)):  # the owner's name is part of the site's name here: no site check
            return [m.group(1)]
    return []


_NAMES_ONLY = re.compile(r"^[\u4e00-\u9fff·]{2,5}(?:[、，,\s\u3000]+[\u4e00-\u9fff·]{2,5}){0,3}$")
_NAME_SEP = re.compile(r"[、，,\s\u3000]+")
_CLAUSE_END = re.compile(r"[。，,；;！!？?…：:]$")


_MENU_ROW = re.compile(r"^(?:\S{1,4}\s+)+\S{1,4}$")


def _headline_like(line: str) -> bool:
    """A headline's size and shape: not a clause, a time row, a menu row or a menu column's item."""
    return (4 <= len(line) <= 60 and cjk_count(line) >= 3 and not _CLAUSE_END.search(line)
            and not F.DATETIME_RE.search(line) and not _MENU_ROW.match(line) and not _NAMES_ONLY.match(line))


def _by_name_under_headline(c: _AuthorContext, ok) -> list[str]:
    """An unlabelled byline: a line of nothing but names between a headline-sized line and a paragraph,
    at the body's start (commentary sites and reposts: '犬儒病(上)' / '胡平' / the text)."""
    first = c.body_lines[0][:12] if c.body_lines else None
    lines = c.page_lines
    bstart = next((j for j, t in enumerate(lines) if first and t.startswith(first)), None)
    if bstart is None:
        return []
    for i in range(max(1, bstart - 4), min(len(lines) - 1, bstart + 3)):
        prev, mid = lines[i - 1], lines[i]
        if not _NAMES_ONLY.match(mid) or not _headline_like(prev) or all(len(x) < 30 for x in lines[i + 1 : i + 4]):
            continue
        names = _NAME_SEP.split(mid)
        # "张明 李华" reads as names only when each has a surname; "技术 租房" is a menu row
        spaced = len(names) > 1 and not re.search(r"[、，,]", mid)
        if all(ok(n) and (has_surname(n) or not spaced) for n in names):
            return names
    return []


_HANDLE = re.compile(r"[A-Za-z][A-Za-z0-9_.\-]{2,19}")
# a forum or blog post's signature: who posted it, beside when
_POSTER = (
    re.compile(r"(?:本贴由|本帖由|本貼由)\s*(?P<v>[^\s于於]{2,20}?)\s*[于於]\s*(?:19|20)\d\d"),
    re.compile(r"是(?P<v>[^\s是]{2,12}?)在(?:19|20)\d\d年[^。，]{0,30}?(?:发表|發表)$"),
    re.compile(r"(?:19|20)\d\d[-/]\d\d?[-/]\d\d?\s+\d\d?:\d\d(?::\d\d)?\s+by\s+(?P<v>\S{2,20})"),
)


def _by_poster(c: _AuthorContext, ok) -> list[str]:
    """'本贴由X于2005年…', '…是X在2005年8月12日16:10:13发表', '发布时间 2005/03/15 22:36:13 by X': the poster
    of a forum or blog post (a handle in Latin letters counts: the signature says it is the poster)."""
    for ln in c.body_lines[-3:] + c.dropped_tail + c.after:
        for rx in _POSTER:
            m = rx.search(F.to_simplified(ln))
            if m:
                name = ln[m.start("v") : m.end("v")]
                if ok(name) or _HANDLE.fullmatch(name):
                    return [name]
    return []


# a journal portal's "cite this article" line (GB/T 7714): "赵培, 李明. <title>[J]. <journal>, 2018"
_CITATION = re.compile(
    r"^(?:文章引用|引用本文|引用格式|引文格式|本文引用格式)\s*[:：]\s*(?P<v>[^.．\[\]]{2,60}?)\s*[.．]\s*"
    r"(?P<t>[^\[\]]{4,160}?)\s*\[[JMCDN]\]"
)


def _by_citation(c: _AuthorContext, ok) -> list[str]:
    """The authors a page's citation line gives for the page's own title."""
    title = norm_ws(_title_parts(c.title_tag)[0]) if c.title_tag else ""
    for ln in c.page_lines:
        m = _CITATION.match(ln) if len(ln) < 400 else None
        if m and title and (m.group("t") in title or title in m.group("t")):
            return [n.strip() for n in re.split(r"[,，、;；]", m.group("v")) if n.strip()]
    return []


# Where authors are looked for, in order; the first step that yields a name that passes wins.
_AUTHOR_STEPS = (
    lambda c, ok: F.authors_from_text(c.zone, ok),
    lambda c, ok: F.authors_from_text(c.head_body, ok),
    lambda c, ok: F.bracket_author(c.zone),
    _by_dateline,
    _by_end_bracket,
    _by_tail_lines,
    _by_label_line,
    _by_name_under_headline,
    _by_citation,
    lambda c, ok: _author_element(c.tree),
    _by_meta,
    _by_blog_owner,
    _by_poster,
)


def _authors(c: _AuthorContext, ok) -> list[str]:
    for step in _AUTHOR_STEPS:
        names = step(c, ok)
        if step not in (_by_blog_owner, _by_poster):
            names = [n for n in names if ok(n)]
        if names:
            return list(dict.fromkeys(names))
    return []


def _after_zone(page_lines: list[str], body_lines: list[str], n: int = 8) -> list[str]:
    """The few short lines right after the body's last line (编辑/来源/作者 footers)."""
    if not body_lines:
        return []
    last = body_lines[-1][:12]
    for j in range(len(page_lines) - 1, -1, -1):
        if page_lines[j].startswith(last):
            return [ln for ln in page_lines[j + 1 : j + 1 + n] if len(ln) < 80]
    return []


def _header_zone(page_lines: list[str], title: str | None, body_lines: list[str]):
    """(lines after the title up to the first body paragraph, lines before the title)."""
    first = body_lines[0][:12] if body_lines else None
    bstart = None
    if first:
        for j, t in enumerate(page_lines):
            if t.startswith(first) or (len(first) >= 8 and first in t):
                bstart = j
                break
    start = None
    if title:
        hits = [i for i, t in enumerate(page_lines) if t == title]
        if not hits:
            hits = [i for i, t in enumerate(page_lines) if title in t and len(t) < len(title) + 20]
        if hits:
            before_body = [i for i in hits if bstart is None or i < bstart]
            start = (before_body[-1] if before_body else hits[0]) + 1
    if start is None:
        start = max(0, bstart - 10) if bstart is not None else 0
    end = min(len(page_lines), start + 25)
    if bstart is not None and start <= bstart:
        end = min(bstart, start + 40)
    zone = [z for z in page_lines[start:end] if len(z) < 200][:30]
    before = page_lines[max(0, start - 12) : max(0, start - 1)]
    return zone, before
