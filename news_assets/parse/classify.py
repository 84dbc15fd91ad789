"""Is this page a news article? Non-articles get a short machine reason."""

from __future__ import annotations

import re

from .extract import _DATE_ONLY, cjk_count

_FORUM_URL = re.compile(r"bbs\.|/bbs/|forum|thread|tieba\.|viewtopic|showtopic|club\.|/t/\d|dispbbs|topic", re.I)
_ENCYC_URL = re.compile(r"baike\.|wiki|/item/|zhidao\.|/lemma/", re.I)
_NOVEL_TITLE = re.compile(r"第[0-9零一二三四五六七八九十百千]+[章回]")
# breadcrumb arrows, and the fiction sections a breadcrumb names (compiled once: searched per line)
_CRUMB_ARROW = re.compile(r">|›|»|→")
_FICTION_CRUMB = re.compile(r"小说|小說|连载|連載|书摘|書摘|章节|章節")
_FORUM_LINE = re.compile(r"^(?:楼主|樓主|沙发|沙發|板凳|地板|\d+\s*[楼樓#]|#\d+|只看该作者|只看楼主|发表于|發表於)")


_FORUM_MARKERS = [
    re.compile(p, re.M)  # searched over the page's short lines joined by newlines
    for p in (
        r"版主",
        r"论坛首页|論壇首頁|论坛帮助|论坛会员|社区首页|社區首頁|进入社区",
        r"楼主|樓主",
        r"精华区|精華區|精华帖",
        r"回复此帖|收藏此帖|引用此帖|发帖|發帖|热帖|转帖|帖子|主题帖|回帖",
        r"^主题\s*[:：]|^主題\s*[:：]",
        r"积分\s*[:：]|積分\s*[:：]|经验值|威望",
        r"回复线索|快速回复|只看该作者|只看楼主|电梯直达",
        r"贴吧|貼吧",
    )
]
# site-name suffixes in <title> (and host names) that say what kind of site this is
_KIND_WORDS = [
    ("forum", re.compile(r"论坛|論壇|社区|社區|贴吧|貼吧|bbs|BBS|forum", re.I)),
    ("blog", re.compile(r"博客|部落格|blog|Blog|BLOG|博文")),
    ("encyclopedia", re.compile(r"百科|维基|維基|wiki|Wiki|知道|问答|問答|知乎")),
    ("poetry", re.compile(r"诗词|詩詞|诗歌|詩歌|诗文|詩文|古诗|古詩|诗集|shici|shige|gushi|poem|poetry", re.I)),
    ("novel", re.compile(r"小说|小說|书院|書院|文学网|文學網|起点|novel|qidian|/chapter/", re.I)),
    ("history", re.compile(r"历史网|歷史網|历史故事")),
]


MIN_BODY = 50  # Chinese characters a body needs to make a page an article
SHORT_WITH_STAMP = 20  # ... when the page also shows a headline and a publish time


def _site_kind(title_tag: str, url: str | None) -> str | None:
    parts = [p.strip() for p in re.split(r"\s*(?:_|\||｜|-|–|—|»|›)\s*", title_tag.strip())]
    # only the site-name part: the last segment, and the one before it in three-part titles
    suffix = parts[-1] if len(parts) > 1 and len(parts[-1]) <= 30 else ""
    if len(parts) >= 3:
        suffix += " " + (parts[-2] if len(parts[-2]) <= 20 else "")
    host = ""
    path = ""
    if url:
        m = re.match(r"[a-z]+://([^/?#]+)([^?#]*)", url)
        if m:
            host, path = m.group(1), m.group(2)
    for kind, rx in _KIND_WORDS:
        if (suffix and rx.search(suffix)) or (host and rx.search(host)) or (kind == "novel" and rx.search(path)):
            return kind
    return None


def classify(art, *, url, title_tag, meta, scan, page_lines, stamp) -> tuple[bool, str | None]:
    body = art.body or ""
    n = cjk_count(body)
    # a photo or video brief is a caption of a sentence or two: short text is enough with a dated headline
    if n < (SHORT_WITH_STAMP if stamp is not None and art.title else MIN_BODY):
        return False, "no_body"
    title = title_tag or ""
    if url and _ENCYC_URL.search(url) or re.search(r"百科|维基|維基|wiki", title, re.I):
        return False, "encyclopedia"
    gen = (meta.get("generator") or "").lower()
    forum_lines = sum(1 for ln in page_lines if len(ln) < 40 and _FORUM_LINE.match(ln))
    short = "\n".join(ln for ln in page_lines if len(ln) < 80)
    markers = sum(1 for rx in _FORUM_MARKERS if rx.search(short))
    if "discuz" in gen or "phpwind" in gen:
        markers += 1  # Discuz also runs news portals: a hint, not proof
    if (url and _FORUM_URL.search(url)) or forum_lines >= 4 or markers >= 2:
        return False, "forum"
    kind = _site_kind(title, url)
    if kind:
        return False, kind
    if n > 15000 and re.search(r"目\s*录|目\s*錄", body[:3000]):
        return False, "book"
    joined = "".join(page_lines)
    if (_NOVEL_TITLE.search(title) or _NOVEL_TITLE.search(art.title or "")) and (
        "上一章" in joined or "下一章" in joined or "目录" in joined or stamp is None
    ) or ("上一章" in joined and "下一章" in joined):
        return False, "novel"
    # "您现在的位置：读书 -> 连载 -> 畅销小说 -> 正文": serialized fiction and book excerpts
    for ln in page_lines[:60]:
        if len(ln) < 100 and _CRUMB_ARROW.search(ln) and _FICTION_CRUMB.search(ln):
            return False, "novel"
    lines = body.split("\n")
    if len(lines) >= 6:
        short = sum(1 for ln in lines if len(ln) <= 20)
        if short / len(lines) > 0.6 and body.count("。") < len(lines) / 2:
            return False, "poetry"
    # a body made of dated entries (title, snippet, date, title, snippet, date ...) is a listing
    dated = sum(1 for ln in lines if len(ln) <= 40 and _DATE_ONLY.match(ln))
    if dated >= 5 and dated >= 0.15 * len(lines):
        return False, "listing"
    # a page whose text is mostly links, with a short body, is a listing
    if scan.total_text and scan.total_link > 0.6 * scan.total_text and n < 300 and stamp is None:
        return False, "listing"
    return True, None
