"""Limits that keep one hostile or huge page from stalling a partition.

Every limit is a setting: ``ParseLimits`` fields, defaulted from environment variables so a deployment can
change them without code, and passed per call to ``parse_html(limits=...)``.

- ``max_bytes`` (``NEWS_PARSE_MAX_BYTES``, default 4 MiB): a page larger than this is refused with
  ``ParseError("too_large")`` (a quarantine row with that reason), never silently cut. News articles are
  tens to hundreds of kilobytes (the dev corpus tops out near 1 MB); 4 MiB of dense article markup
  parses in about two seconds on one core.
- ``max_depth`` (``NEWS_PARSE_MAX_DEPTH``, default 512): tags nested deeper than this are dropped before the
  tree is built, their text kept in the element at the limit ("flattened"). lexbor's tree building is
  quadratic in nesting depth (50,000 nested ``<div>`` take tens of seconds); real pages stay under ~100.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import accumulate, repeat

from ..settings import env_int

DEFAULT_MAX_BYTES = 4 * 1024 * 1024
DEFAULT_MAX_DEPTH = 512
MAX_BYTES_ENV = "NEWS_PARSE_MAX_BYTES"
MAX_DEPTH_ENV = "NEWS_PARSE_MAX_DEPTH"



@dataclass(frozen=True)
class ParseLimits:
    max_bytes: int = DEFAULT_MAX_BYTES
    max_depth: int = DEFAULT_MAX_DEPTH

    @classmethod
    def from_env(cls) -> ParseLimits:
        return cls(max_bytes=env_int(MAX_BYTES_ENV, DEFAULT_MAX_BYTES),
                   max_depth=env_int(MAX_DEPTH_ENV, DEFAULT_MAX_DEPTH))


# elements that never hold children, and those an open sibling of the same name implicitly closes
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr keygen".split())
_SELF_CLOSING_SIBLINGS = frozenset("p li dt dd option tr td th".split())
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)[^>]*?(/?)>")


# a tag start: "/" for a closing tag, else the element's name
_TAG_START = re.compile(rb"<(/|[A-Za-z][A-Za-z0-9]*)")
# +1 per opening tag (the default), -1 per closing one, 0 for elements that never hold children
_STEP = {b"/": -1}
for _v in ("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track",
           "wbr", "keygen"):
    _STEP[_v.encode()] = _STEP[_v.upper().encode()] = 0


def may_be_deeper(data: bytes, max_depth: int) -> bool:
    """Cheap test on the raw bytes: False when nesting certainly stays within ``max_depth``.

    Depth never exceeds the rise of (opening tags - closing tags) over the page, so only pages that might
    be deep pay for the exact rewrite. Closing tags that close nothing can hide depth from this test;
    such pages are still bounded by ``max_bytes``."""
    tags = _TAG_START.findall(data)
    if len(tags) <= max_depth:  # each tag moves the depth by one at most
        return False
    # +1 per opening tag, -1 per closing one, all at C speed; max - min of the running sum bounds depth
    steps = list(accumulate(map(_STEP.get, tags, repeat(1))))
    return bool(steps) and max(steps) - min(0, min(steps)) > max_depth


def flatten_deep(html: str, max_depth: int) -> tuple[str, int]:
    """(html with every tag deeper than ``max_depth`` removed, number of tags removed). Text is kept;
    a removed element's closing tag is removed with it. Pages within the limit come back unchanged."""
    if html.count("<") <= max_depth:
        return html, 0
    stack: list[tuple[str, bool]] = []  # (name, dropped)
    open_count: dict[str, int] = {}  # name -> elements of that name on the stack (O(1) close lookups)
    out: list[str] = []
    pos = 0
    removed = 0
    for m in _TAG.finditer(html):
        name = m.group(2).lower()
        drop = False
        if name in _VOID or m.group(3):
            drop = len(stack) >= max_depth
        elif m.group(1):
            if open_count.get(name):
                while stack:
                    top, dropped = stack.pop()
                    open_count[top] -= 1
                    if top == name:
                        drop = dropped
                        break
        else:
            if name in _SELF_CLOSING_SIBLINGS and stack and stack[-1][0] == name:
                stack.pop()
                open_count[name] -= 1
            drop = len(stack) >= max_depth
            stack.append((name, drop))
            open_count[name] = open_count.get(name, 0) + 1
        if drop:
            out.append(html[pos : m.start()])
            pos = m.end()
            removed += 1
    if not removed:
        return html, 0
    out.append(html[pos:])
    return "".join(out), removed
