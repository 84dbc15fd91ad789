"""Bytes -> text for HTML pages whose charset declarations cannot be trusted.

Order of evidence: BOM, then a strict UTF-8 decode (GBK/Big5 text is almost never valid UTF-8, so a
clean UTF-8 decode beats any declaration), then the HTTP header charset and the ``<meta>`` charset,
then GB18030 (superset of GB2312/GBK, the most common lie), Big5, and last charset-normalizer's guess.
GB2312 and GBK are always decoded as GB18030 so that characters outside GB2312 never turn into mojibake.

This module is the one owner of that decision: the fetch stage asks ``detect`` and records its
answer in the manifest, and the parser is handed that answer (``decode_html(..., charset=)``)
instead of deciding again.
"""

from __future__ import annotations

import codecs
import re

from .errors import ParseError

_META_CHARSET = re.compile(rb"""<meta[^>]{0,300}?charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_CT_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
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

_ASCII = bytes(range(128))
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


def _try(data: bytes, codec: str) -> tuple[str, bool] | None:
    """Decode; accept when at most a tiny share of the non-ASCII text is undecodable. (text, whether
    every byte decoded)."""
    try:
        return data.decode(codec), True
    except UnicodeDecodeError as exc:
        # A page cut off mid-character fails only in the last bytes.
        if exc.start >= len(data) - 4:
            return data[: exc.start].decode(codec, "ignore"), False
        first_error = exc.start
    except LookupError:
        return None
    high = len(data.translate(None, _ASCII)) or 1
    if _hopeless(data, codec, first_error, high):
        return None
    text = data.decode(codec, "replace")
    bad = text.count("\ufffd")
    if bad / high <= _MAX_BAD_RATIO:
        return text, False
    return None


# Codecs without shift states: from the first error on, the bytes decode as they do within the page.
_STATELESS = frozenset(("utf-8", "gb18030", "big5hkscs"))
_PROBE_BYTES = 16384


def _hopeless(data: bytes, codec: str, first_error: int, high: int) -> bool:
    """True when the bytes just past the first error already hold more undecodable sequences than
    ``_try`` accepts in the whole page (a GB page read as UTF-8 or Big5): the full decode is then not
    needed to reject it. The probe's cut can add at most a few replacement characters (a character
    split at its end), which are not counted."""
    if codec not in _STATELESS:
        return False
    probe = data[first_error : first_error + _PROBE_BYTES].decode(codec, "replace")
    # the ratio as _try computes it: float division is monotonic, so the whole page's is at least this
    return (probe.count("\ufffd") - 4) / high > _MAX_BAD_RATIO


# The most frequent characters of Chinese text, in both scripts; mojibake rarely hits them.
_COMMON = frozenset(
    "的一是不了在人有我他这這个個们們中来來上大为為和国國地到以说說时時要就出会會可也你对對生能而子那得于着著下自之年过過"
    "发發后後作里裡用道行所然家种種事成方多经經么麼去法学學如都同现現当當没沒动動面起看定天分还還进進好小部其些主样樣理心"
    "本前开開但因只从從想实實日者意无無力与與长長把机機十民第公此已工使情明性知全三又关關点點正业業外将將两兩高间間由问問"
    "很最重并物手应應向头頭文体體政美相见見被利什二等产產或新己制身果加西月话話合回特代内內信表化老给給世位次度门門任常先海"
    "通教原东東声聲提立及比员員解水名真论論处處走义義各入几幾口认認条條平系气氣题題活更别別打女变變四神总總何电電数數安少报報"
    "才结結反受目太量再感建务務做接必场場件计計管期市直资資山金指克许許统統区區保至队隊形社便空决決治展马馬科司五基眼书書"
)
# Counting by deleting the runs of everything else is faster than listing the characters (findall)
_NOT_CJK = re.compile(r"[^\u4e00-\u9fff]+")
_NOT_COMMON = re.compile("[^" + "".join(sorted(_COMMON)) + "]+")


_BOM_OF = {"utf-8": codecs.BOM_UTF8, "utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE,
           "utf-32-le": codecs.BOM_UTF32_LE, "utf-32-be": codecs.BOM_UTF32_BE}


def _decode_as(data: bytes, charset: str) -> tuple[str, str, bytes | None] | None:
    """Decode with a charset decided before (None when the name is unknown); as ``decode_html_utf8``."""
    codec = normalize_charset(charset)
    if codec is None:
        return None
    bom = _BOM_OF.get(codec)
    if bom and data.startswith(bom):
        data = data[len(bom):]
    if _looks_binary(data) and not codec.startswith(("utf-16", "utf-32")):
        raise ParseError("undecodable", "binary data, not text")
    if codec == "utf-8":
        try:
            return data.decode(codec), charset, data
        except UnicodeDecodeError:
            pass
    return data.decode(codec, "replace"), charset, None


def _plausibility(text: str) -> float:
    sample = text[:60000]
    cjk = _NOT_CJK.sub("", sample)
    if not cjk:
        return 0.0
    return len(_NOT_COMMON.sub("", cjk)) / len(cjk)


# C0 control bytes that text never holds (tab, newlines, form feed and ESC, which ISO-2022 uses, are
# allowed). In GBK, Big5 and UTF-8 every byte of a multi-byte character is >= 0x40, so in real pages
# these bytes are ~0; in random or compressed data they are one byte in nine.
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27)) + b"\x7f"
_MAX_CONTROL_RATIO = 0.01


def _looks_binary(data: bytes) -> bool:
    sample = data[:65536]
    if not sample:
        return False
    # NUL is one of them: a sample with many NULs fails this one test (no separate NUL count needed)
    controls = len(sample) - len(sample.translate(None, _CONTROL))
    return controls > max(8, len(sample) * _MAX_CONTROL_RATIO)


def header_charset(content_type: str | None) -> str | None:
    """The charset parameter of a Content-Type header, as given (not normalised)."""
    m = _CT_CHARSET.search(content_type) if content_type else None
    return m.group(1) if m else None


def detect(data: bytes, content_type: str | None = None) -> tuple[str | None, str | None]:
    """(declared, used) for a fetched page: the charset it claims (Content-Type header, else its
    ``<meta>``/``<?xml?>`` one; lower-cased label as written) and the one ``decode_html`` decodes it
    with — None when it cannot be decoded at all (empty, binary). The fetch records both; the
    parser is handed ``used``."""
    label = header_charset(content_type) or sniff_meta_charset(data)
    declared = label.strip().lower() if label else None
    try:
        return declared, decode_html(data, declared)[1]
    except ParseError:
        return declared, None


def decode_html(data: bytes, declared_charset: str | None = None, *, charset: str | None = None) -> tuple[str, str]:
    """Decode HTML bytes to text; return ``(text, charset actually used)``.

    charset: the answer an earlier call gave for these bytes (the fetch's ``detect``, kept in the
    manifest): used as is, so the parser decodes exactly as the manifest says.
    Raises ``ParseError`` with kind "empty" for empty input and "undecodable" when no charset gives
    readable text (binary data).
    """
    text, used, _utf8 = decode_html_utf8(data, declared_charset, charset=charset)
    return text, used


def decode_html_utf8(data: bytes, declared_charset: str | None = None, *,
                     charset: str | None = None) -> tuple[str, str, bytes | None]:
    """``decode_html``, plus the text's UTF-8 bytes when ``data`` already is them (every byte decoded
    strictly as UTF-8 or ASCII), else None: the parser hands those to lexbor, which would otherwise
    encode the whole text back to UTF-8.
    """
    if not data or not data.strip():
        raise ParseError("empty", "empty document")
    if charset:
        known = _decode_as(data, charset)
        if known is not None:
            return known
    # BOMs are authoritative.
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            return data[len(bom) :].decode(codec, "replace"), codec, None
    if _looks_binary(data):
        raise ParseError("undecodable", "binary data, not text")

    declared = normalize_charset(declared_charset)
    meta = normalize_charset(sniff_meta_charset(data))

    # Pure ASCII: every ASCII-compatible charset gives the same text.
    if data.isascii():
        return data.decode("ascii"), declared or meta or "ascii", data

    candidates: list[str] = ["utf-8"]
    for c in (declared, meta):
        if c and c not in candidates and not c.startswith("utf-16") and not c.startswith("utf-32"):
            candidates.append(c)
    for c in ("gb18030", "big5hkscs"):
        if c not in candidates:
            candidates.append(c)
    for codec in candidates:
        decoded = _try(data, codec)
        if decoded is not None:
            text, whole = decoded
            if codec in ("gb18030", "big5hkscs"):
                # GB and Big5 byte ranges overlap: a page can decode "cleanly" in the wrong one. Keep the
                # reading that yields common Chinese characters (declarations lie in both directions).
                other = "big5hkscs" if codec == "gb18030" else "gb18030"
                alt = _try(data, other)
                if alt is not None and _plausibility(alt[0]) > _plausibility(text) + 0.1:
                    return alt[0], other, None
            return text, codec, data if whole and codec == "utf-8" else None

    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:200000]).best()
    except Exception:  # pragma: no cover - detector failures fall through
        best = None
    if best is not None and best.encoding:
        codec = normalize_charset(best.encoding) or best.encoding
        try:
            return data.decode(codec, "replace"), codec, None
        except LookupError:
            pass
    # Last resort: the declaration (or GB18030, the most common real charset) with replacements.
    codec = declared or meta or "gb18030"
    return data.decode(codec, "replace"), codec, None
