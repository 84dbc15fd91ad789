"""Parse limits (issue 14): deep markup is flattened before the tree is built, huge pages are refused with
a reason, and both limits are settings."""

from __future__ import annotations

import time

import pytest
from selectolax.lexbor import LexborHTMLParser

from news_assets.parse import ParseError, ParseLimits, parse_html
from news_assets.parse.limits import DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH, flatten_deep, may_be_deeper

HEAD = ("<html><head><title>嵌套测试页面_示例网</title></head><body><h1>嵌套测试页面</h1>"
        "<div class='info'>发布时间：2023-03-08 09:15 来源：示例日报</div>")
PARA = "<p>市里的公交线路今年调整了十二条，新增站点四十个，方便了城郊居民出行，也缩短了换乘时间。</p>"


def _depth(html: str) -> int:
    """Deepest element of the tree lexbor builds."""
    tree = LexborHTMLParser(html)
    best = 0
    stack = [(tree.root, 1)]
    while stack:
        node, d = stack.pop()
        best = max(best, d)
        child = node.child
        while child is not None:
            if child.tag != "-text":
                stack.append((child, d + 1))
            child = child.next
    return best


def test_defaults_are_documented_values():
    lim = ParseLimits()
    assert (lim.max_bytes, lim.max_depth) == (DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH) == (4 * 1024 * 1024, 512)


def test_fifty_thousand_nested_divs_are_flattened_and_parsed():
    raw = (HEAD + "<div>" * 50_000 + PARA * 4 + "</div>" * 50_000 + "</body></html>").encode()
    assert may_be_deeper(raw, DEFAULT_MAX_DEPTH)
    t = time.perf_counter()
    art = parse_html(raw)
    elapsed = time.perf_counter() - t
    # unflattened, lexbor alone needs tens of seconds here; the bound is loose for a loaded machine
    assert elapsed < 10, elapsed
    assert art.is_article and art.title == "嵌套测试页面" and art.source_name == "示例日报"
    assert art.body.count("市里的公交线路") == 4


def test_unclosed_deep_nesting_is_flattened_too():
    html = HEAD + "<span>" * 30_000 + PARA + "</body></html>"
    out, removed = flatten_deep(html, 100)
    # html and body are open: 98 spans fit under the limit, the rest go, and so does the <p> below them
    assert removed == (30_000 - 98) + 2
    assert _depth(out) <= 100 + 4
    assert "市里的公交线路" in LexborHTMLParser(out).body.text()


def test_flattening_keeps_all_text_and_the_shallow_part_untouched():
    inner = "".join(f"<div>第{i}层" for i in range(300)) + "</div>" * 300
    html = "<html><body><div class='a'>开头</div>" + inner + "<p>结尾</p></body></html>"
    out, removed = flatten_deep(html, 50)
    assert removed == 2 * (300 - 48)  # opening and closing tags past depth 50 (html, body take two)
    text = LexborHTMLParser(out).body.text()
    assert all(f"第{i}层" in text for i in range(300)) and text.startswith("开头") and text.endswith("结尾")
    assert out.startswith("<html><body><div class='a'>开头</div><div>第0层")
    assert _depth(out) <= 52


def test_pages_within_the_limit_come_back_unchanged():
    html = HEAD + "<div>" * 100 + PARA + "</div>" * 100 + "<br><img src=x>" * 2000 + "</body></html>"
    assert not may_be_deeper(html.encode(), 512)
    assert flatten_deep(html, 512) == (html, 0)


def test_depth_limit_is_a_setting(monkeypatch):
    raw = (HEAD + "<div>" * 400 + PARA + "</div>" * 400 + "</body></html>").encode()
    assert not may_be_deeper(raw, 512) and may_be_deeper(raw, 300)
    monkeypatch.setenv("NEWS_PARSE_MAX_DEPTH", "300")
    assert ParseLimits.from_env().max_depth == 300
    art = parse_html(raw)
    assert "市里的公交线路" in art.body
    monkeypatch.setenv("NEWS_PARSE_MAX_DEPTH", "deep")
    with pytest.raises(ValueError, match="NEWS_PARSE_MAX_DEPTH"):
        ParseLimits.from_env()


def test_huge_page_is_refused_with_a_reason():
    raw = (HEAD + "<div>" + PARA * (20 * 1024 * 1024 // len(PARA.encode())) + "</div></body></html>").encode()
    assert len(raw) > 20_000_000
    t = time.perf_counter()
    with pytest.raises(ParseError) as exc:
        parse_html(raw)
    assert time.perf_counter() - t < 1
    assert exc.value.kind == "too_large"
    assert f"{len(raw):,} bytes" in str(exc.value) and "NEWS_PARSE_MAX_BYTES" in str(exc.value)


def test_size_limit_is_a_setting(monkeypatch):
    raw = (HEAD + PARA * 50 + "</body></html>").encode()
    with pytest.raises(ParseError, match="too_large|over the parse limit"):
        parse_html(raw, limits=ParseLimits(max_bytes=len(raw) - 1))
    assert parse_html(raw, limits=ParseLimits(max_bytes=len(raw))).is_article
    monkeypatch.setenv("NEWS_PARSE_MAX_BYTES", str(len(raw) - 1))
    with pytest.raises(ParseError):
        parse_html(raw)
