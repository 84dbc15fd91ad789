"""Is this a person? Is this an outlet? The checks every author and source candidate passes.

An author must look like a person's name: Chinese characters (2-4, or a ·-joined transliteration), not a
UI string or reporting verb (not_names.txt), not an outlet (网/报/社/台... endings), not a portal or the
site's own name (og:site_name, the <title> suffix, the host via portals.tsv). A source drops a trailing
bracketed place (南方日报(广州) -> 南方日报) and is never a placeholder (转载, 互联网).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import vocab

# 2-4 characters, a ·-joined transliteration, or an &-joined nickname (放飞&心情)
_CJK_NAME = re.compile(
    r"^[\u4e00-\u9fff]{2,4}$|^[\u4e00-\u9fff]{1,8}(?:[·•][\u4e00-\u9fff]{1,8}){1,3}$|^[\u4e00-\u9fff]{1,4}[&＆][\u4e00-\u9fff]{1,4}$"
)
# endings of outlets, organisations, places and section kinds (精彩图集), not of people
_ORG_END = re.compile(
    r"(?:网|網|报|報|社|台|刊|频道|新闻|新聞|日报|晚报|时报|周刊|杂志|在线|客户端|传媒|媒体|集团|公司|中心|"
    r"工作室|编辑部|委员会|协会|研究院|研究所|大学|学院|医院|政府|办公室|支部|党委|财经|科技|视频|图集|组图|专题|直播)$"
)
# characters that occur in phrases and almost never in given names
_PHRASE_CHARS = frozenset("的了是这那们么着过吗呢吧或被把些每该")
_COMPILED_BY = re.compile(r"(?:综合|綜合|整理|综合整理|综合报道|綜合報導|编译|編譯)$")
_ALIAS = re.compile(r"\s*[（(][A-Za-z.'\- ]+[)）]$")  # 周思博 (Joel Spolsky): judged by the Chinese name
_TRAILING_PLACE = re.compile(r"\s*[（(]\s*([\u4e00-\u9fff]{2,8})\s*[)）]\s*$")


_SITE_TAILS = frozenset(vocab.channels()) | {"网", "網", "报", "報", "新闻网", "频道", "客户端", "在线", "官网", "号"}


@dataclass
class SiteNames:
    """The names a site goes by on its own pages."""

    names: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, host: str | None, og_site_name: str | None, title_suffixes: list[str]) -> SiteNames:
        names = {n.strip() for n in [og_site_name or "", *title_suffixes] if n and n.strip()}
        by_host, _ = vocab.portals()
        if host:
            for suffix, ns in by_host.items():
                if host == suffix or host.endswith("." + suffix):
                    names.update(ns)
        return cls({vocab.to_simplified(n) for n in names if len(n) >= 2})

    def holds(self, name: str) -> bool:
        """The site's name itself, or its stem before a channel or outlet word (网易 of 网易新闻); a
        columnist's 张三 of "张三专栏" is not the site."""
        n = vocab.to_simplified(name)
        return any(n == s or (s.startswith(n) and s[len(n):] in _SITE_TAILS) for s in self.names)


def is_portal(name: str) -> bool:
    """网易, 新浪网, 腾讯财经: a portal name, alone or followed by a channel word."""
    _, all_names = vocab.portals()
    if name in all_names:
        return True
    return any(name.startswith(p) and name[len(p):] in vocab.channels() for p in all_names)


def is_person(name: str, site: SiteNames | None = None) -> bool:
    n = vocab.to_simplified(_ALIAS.sub("", name.strip()))
    if not _CJK_NAME.match(n):
        return False
    words, prefixes = vocab.not_names()
    if n in words or n.startswith(prefixes) or any(w in n for w in words if len(w) >= 3):
        return False
    if "·" not in n and "•" not in n and (_ORG_END.search(n) or _PHRASE_CHARS.intersection(n)):
        return False
    if is_portal(n) or (site is not None and site.holds(n)):
        return False
    return True


def has_surname(name: str) -> bool:
    single, compound = vocab.surnames()
    n = vocab.to_simplified(name)
    return n[:2] in compound or n[:1] in single


def split_glued(token: str) -> list[str]:
    """'罗科苏盈' -> ['罗科', '苏盈']: four characters that read as two two-character names (a surname at
    the start and at the third place, no compound surname at the start). Anything else stays whole."""
    n = vocab.to_simplified(token)
    single, compound = vocab.surnames()
    if len(n) == 4 and n[:2] not in compound and n[0] in single and n[2] in single and n[2:] not in compound:
        return [token[:2], token[2:]]
    return [token]


def clean_outlet(value: str) -> str | None:
    """A source value as the outlet alone: a trailing bracketed place dropped, placeholders refused."""
    v = value.strip()
    m = _TRAILING_PLACE.search(v)
    if m and m.start() > 0 and vocab.to_simplified(m.group(1)) in vocab.place_names():
        v = v[: m.start()].strip()
    m = _COMPILED_BY.search(v)
    if m and m.start() >= 2:  # "中国经济网综合": the outlet, compiled by the site
        v = v[: m.start()]
    if not v or vocab.to_simplified(v).lower() in vocab.source_placeholders():
        return None
    return v
