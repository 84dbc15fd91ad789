"""Invariants the faster scan relies on: its counting shortcuts agree with the plain definitions, and the
page lines it reads during its one walk are the lines a separate read of the body gives."""

from __future__ import annotations

import random
import re
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from news_assets.parse import decode_html
from news_assets.parse.extract import _NON_PUNCT_RE, _PUNCT_CHARS, cjk_count, read_lines, scan

PAGES = sorted((Path(__file__).resolve().parents[1] / "news_assets" / "data" / "sample" / "pages").glob("*.html"))
_PUNCT = re.compile("[，。！？；：、“”…！？（）《》「」『』]")


def test_cjk_count_counts_cjk_characters():
    rnd = random.Random(7)
    chars = [chr(c) for c in range(0x3000, 0xA100, 7)] + list("ab 1，。\u3000") + ["\U00020000"]
    for _ in range(200):
        s = "".join(rnd.choice(chars) for _ in range(rnd.randint(0, 400)))
        if rnd.random() < 0.5:  # without U+4000..U+4DFF cjk_count takes its byte-counting path
            s = re.sub(r"[\u4000-\u4dff]", "", s)
        assert cjk_count(s) == len(re.findall(r"[\u4e00-\u9fff]", s))


def test_both_punctuation_counts_agree():
    rnd = random.Random(11)
    chars = list("新闻记者ab1 ") + list("，。！？；：、“”…（）《》「」『』,.!?")
    for _ in range(200):
        s = "".join(rnd.choice(chars) for _ in range(rnd.randint(1, 300)))
        want = len(_PUNCT.findall(s))
        assert len(_NON_PUNCT_RE.sub("", s)) == want
        assert sum(map(s.count, _PUNCT_CHARS)) == want


def test_scan_page_lines_are_the_body_read_as_lines():
    assert PAGES
    for p in PAGES[:20]:
        tree = LexborHTMLParser(decode_html(p.read_bytes())[0])
        tree.strip_tags(["script", "style", "noscript", "iframe", "svg", "template", "textarea", "select"])
        if tree.body is None:
            continue
        assert scan(tree.body).page_lines == [ln.text for ln in read_lines(tree.body, False)], p.name
