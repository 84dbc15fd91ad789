"""Is this page a news article? Non-articles get a short machine reason."""

from __future__ import annotations

import re

from .extract import cjk_count

_FORUM_URL = re.compile(r"bbs\.|/bbs/|forum|thread|tieba\.|viewtopic|showtopic|club\.|/t/\d|dispbbs|topic", re.I)
_ENCYC_URL = re.compile(r"baike\.|wiki|/item/|zhidao\.|/lemma/", re.I)
_NOVEL_TITLE = re.compile(r"第[0-9零一二三四五六七八九十百千]+[章回]")
_FORUM_LINE = re.compile(r"^(?:楼主|樓主|沙发|沙發|板凳|地板|\d+\s*[楼樓#]|#\d+|只看该作者|只看楼主|发表于|發表於)")


def classify(art, *, url, title_tag, meta, scan, page_lines, stamp) -> tuple[bool, str | None]:
    body = art.body or ""
    n = cjk_count(body)
    if n < 50:
        return False, "no_body"
    title = title_tag or ""
    if url and _ENCYC_URL.search(url) or re.search(r"百科|维基|維基|wiki", title, re.I):
        return False, "encyclopedia"
    gen = (meta.get("generator") or "").lower()
    forum_lines = sum(1 for ln in page_lines if len(ln) < 40 and _FORUM_LINE.match(ln))
    if "discuz" in gen or "phpwind" in gen or (url and _FORUM_URL.search(url)) or forum_lines >= 4:
        return False, "forum"
    joined = "".join(page_lines)
    if (_NOVEL_TITLE.search(title) or _NOVEL_TITLE.search(art.title or "")) and (
        "上一章" in joined or "下一章" in joined or "目录" in joined or stamp is None
    ) or ("上一章" in joined and "下一章" in joined):
        return False, "novel"
    lines = body.split("\n")
    if len(lines) >= 6:
        short = sum(1 for ln in lines if len(ln) <= 20)
        if short / len(lines) > 0.6 and body.count("。") < len(lines) / 2:
            return False, "poetry"
    # a page whose text is mostly links, with a short body, is a listing
    if scan.total_text and scan.total_link > 0.6 * scan.total_text and n < 300 and stamp is None:
        return False, "listing"
    return True, None
