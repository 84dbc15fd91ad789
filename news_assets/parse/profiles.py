"""Per-site profiles: data plus a few functions, used only where the generic rules need help.

A profile never forks the extractor: it can name the body container, or supply one field function.
Keep this small; every entry here is a site the generic rules got wrong.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser


@dataclass(frozen=True)
class Profile:
    """hosts: the site and its subdomains. body_selector: CSS of the article body. Field functions get
    the parsed tree (scripts removed) or, for ``publish_time_raw``, the page text with its scripts."""

    hosts: tuple[str, ...]
    body_selector: str | None = None
    title: Callable[[LexborHTMLParser], str | None] | None = None
    source: Callable[[LexborHTMLParser], str | None] | None = None
    publish_time_raw: Callable[[str], str | None] | None = None  # -> ISO string or epoch seconds
    source_raw: Callable[[str], str | None] | None = None


def _first(rx: str) -> Callable[[str], str | None]:
    pattern = re.compile(rx)

    def f(text: str) -> str | None:
        m = pattern.search(text)
        return m.group(1).strip() if m else None

    return f


PROFILES: list[Profile] = [
    # WeChat official-account articles: the time and the account name only exist in inline scripts.
    Profile(
        hosts=("mp.weixin.qq.com",),
        body_selector="#js_content",
        publish_time_raw=_first(r"""var\s+ct\s*=\s*["'](\d{10})["']"""),
        source_raw=_first(r"""var\s+nickname\s*=\s*(?:htmlDecode\()?["']([^"']{1,40})["']"""),
    ),
]


def profile_for(site: str | None) -> Profile | None:
    if not site:
        return None
    for p in PROFILES:
        for h in p.hosts:
            if site == h or site.endswith("." + h):
                return p
    return None
