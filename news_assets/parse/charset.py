"""Bytes -> text for HTML pages whose charset declarations cannot be trusted.

Order of evidence: BOM, then a strict UTF-8 decode (GBK/Big5 text is almost never valid UTF-8, so a
clean UTF-8 decode beats any declaration), then the HTTP header charset and the ``<meta>`` charset,
then GB18030 (superset of GB2312/GBK, the most common lie), Big5, and last charset-normalizer's guess.
GB2312 and GBK are always decoded as GB18030 so that characters outside GB2312 never turn into mojibake.
"""

from __future__ import annotations

import codecs
import re

from .errors import ParseError

_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]{0,100}encoding\s*=\s*["']([A-Za-z0-9_\-]+)""", re.I)

# Aliases to the widest codec that is a superset of what pages label themselves with.
_WIDEN = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "gb_2312": "gb18030",
    "gb_2312-80": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "euc-cn": "gb18030",
    "hz-gb-2312": "gb18030",
    "big5": "big5hkscs",
    "big5-hkscs": "big5hkscs",
    "cp950": "big5hkscs",
    "x-x-big5": "big5hkscs",
    "iso-8859-1": "cp1252",
    "latin-1": "cp1252",
    "us-ascii": "utf-8",
    "ascii": "utf-8",
    "utf8": "utf-8",
    "unicode": "utf-8",
}

# A few replacement characters in a long page (a truncated tail, one bad byte) are tolerated.
_MAX_BAD_RATIO = 0.002


def normalize_charset(name: str | None) -> str | None:
    """Canonical Python codec name for a declared charset, widened (GB2312 -> gb18030), or None."""
    if not name:
        return None
    name = name.strip().strip("\"'").lower()
    name = _WIDEN.get(name, name)
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    codec = _WIDEN.get(codec, codec)
    if codec in ("gbk", "gb2312"):
        return "gb18030"
    if codec == "big5":
        return "big5hkscs"
    return codec


def sniff_meta_charset(data: bytes) -> str | None:
    """The charset named by ``<meta charset>`` / ``http-equiv`` / ``<?xml encoding?>`` in the first 8 KB."""
    head = data[:8192]
    m = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    return m.group(1).decode("ascii", "ignore") if m else None


def _try(data: bytes, codec: str) -> str | None:
    """Decode; accept when at most a tiny share of the non-ASCII text is undecodable."""
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        # A page cut off mid-character fails only in the last bytes.
        if exc.start >= len(data) - 4:
            return data[: exc.start].decode(codec, "ignore")
    except LookupError:
        return None
    text = data.decode(codec, "replace")
    bad = text.count("\ufffd")
    high = sum(1 for b in data[:200000] if b >= 0x80) or 1
    if bad / high <= _MAX_BAD_RATIO:
        return text
    return None


def _looks_binary(data: bytes) -> bool:
    sample = data[:4096]
    if not sample:
        return False
    return sample.count(0) > max(16, len(sample) // 10)


def decode_html(data: bytes, declared_charset: str | None = None) -> tuple[str, str]:
    """Decode HTML bytes to text; return ``(text, charset actually used)``.

    Raises ``ParseError`` with kind "empty" for empty input and "undecodable" when no charset gives
    readable text (binary data).
    """
    if not data or not data.strip():
        raise ParseError("empty", "empty document")
    # BOMs are authoritative.
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            return data[len(bom) :].decode(codec, "replace"), codec
    if _looks_binary(data):
        raise ParseError("undecodable", "binary data, not text")

    declared = normalize_charset(declared_charset)
    meta = normalize_charset(sniff_meta_charset(data))

    # Pure ASCII: every ASCII-compatible charset gives the same text.
    if data.isascii():
        return data.decode("ascii"), declared or meta or "ascii"

    candidates: list[str] = ["utf-8"]
    for c in (declared, meta):
        if c and c not in candidates and not c.startswith("utf-16") and not c.startswith("utf-32"):
            candidates.append(c)
    for c in ("gb18030", "big5hkscs"):
        if c not in candidates:
            candidates.append(c)
    for codec in candidates:
        text = _try(data, codec)
        if text is not None:
            return text, codec

    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:200000]).best()
    except Exception:  # pragma: no cover - detector failures fall through
        best = None
    if best is not None and best.encoding:
        codec = normalize_charset(best.encoding) or best.encoding
        try:
            return data.decode(codec, "replace"), codec
        except LookupError:
            pass
    # Last resort: the declaration (or GB18030, the most common real charset) with replacements.
    codec = declared or meta or "gb18030"
    return data.decode(codec, "replace"), codec
