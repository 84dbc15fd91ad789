"""Which charset a fetched page is in: HTTP header, BOM, <meta>, then detection.

The manifest records both the *declared* charset (what the server or page claims: the
Content-Type header, else the <meta>/<?xml?> declaration) and the *detected* one (what actually
decodes the bytes). Chinese pages often lie: a GBK page served as UTF-8 is common, and GB2312/GBK
are always widened to GB18030 (a superset) so rare characters never become mojibake.
"""

from __future__ import annotations

import codecs
import re

_META = re.compile(rb"""<meta[^>]{0,300}?charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_XML = re.compile(rb"""<\?xml[^>]{0,100}encoding\s*=\s*["']([A-Za-z0-9_\-]+)""", re.I)
_CT_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)

_WIDEN = {"gb2312": "gb18030", "gbk": "gb18030", "big5": "big5hkscs", "ascii": "utf-8", "latin_1": "cp1252",
          "iso8859-1": "cp1252"}
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def normalize(name: str | None) -> str | None:
    """Python codec name for a charset label, widened (GB2312/GBK -> gb18030); None if unknown."""
    if not name:
        return None
    label = name.strip().strip("\"'").lower()
    if label in ("x-gbk", "cp936", "euc-cn", "gb_2312-80", "hz-gb-2312"):
        label = "gbk"
    try:
        codec = codecs.lookup(label).name
    except LookupError:
        return None
    return _WIDEN.get(codec, codec)


def header_charset(content_type: str | None) -> str | None:
    """The charset parameter of a Content-Type header, as given (not normalised)."""
    if not content_type:
        return None
    m = _CT_CHARSET.search(content_type)
    return m.group(1) if m else None


def meta_charset(data: bytes) -> str | None:
    head = data[:8192]
    m = _META.search(head) or _XML.search(head)
    return m.group(1).decode("ascii", "ignore") if m else None


def _decodes(data: bytes, codec: str) -> bool:
    try:
        data.decode(codec)
        return True
    except UnicodeDecodeError as e:
        # A body cut mid-character fails only in its last bytes; that is still the right codec.
        return e.start >= len(data) - 4 and ("end of data" in e.reason or "incomplete" in e.reason)
    except LookupError:
        return False


def detect(data: bytes, content_type: str | None = None) -> tuple[str | None, str | None]:
    """(declared, detected) charsets of an HTML body.

    declared: the header charset, else the <meta> one (lower-cased label as written), or None.
    detected: BOM; else strict UTF-8 when it decodes (GBK text almost never does); else the
    declaration when it decodes; else GB18030, Big5-HKSCS; else charset-normalizer's guess.
    """
    declared_label = header_charset(content_type) or meta_charset(data)
    declared = declared_label.lower() if declared_label else None
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return declared, codec
    if not data or data.isascii():
        return declared, normalize(declared) if declared and normalize(declared) else ("utf-8" if data else None)
    sample = data[:262144]
    if _decodes(sample, "utf-8"):
        return declared, "utf-8"
    candidates = [normalize(header_charset(content_type)), normalize(meta_charset(data)), "gb18030", "big5hkscs"]
    for codec in candidates:
        if codec and not codec.startswith(("utf-16", "utf-32")) and _decodes(sample, codec):
            return declared, codec
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(sample).best()
    except Exception:  # pragma: no cover - detector failure falls through
        best = None
    if best is not None and best.encoding:
        return declared, normalize(best.encoding) or best.encoding
    return declared, normalize(declared) or "gb18030"


def decode(data: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Decode a body for discovery (listing pages, feeds): (text, charset used)."""
    _, codec = detect(data, content_type)
    codec = codec or "utf-8"
    for bom, c in _BOMS:
        if data.startswith(bom) and c == codec:
            data = data[len(bom):]
    return data.decode(codec, "replace"), codec
