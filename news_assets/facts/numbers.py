"""Chinese and Arabic numerals -> Decimal, small and fast (no dependency)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

# everyday and financial (大写) digits; 〇/○ are the written zero of years
CN_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "三": 3, "叁": 3, "参": 3,
             "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8,
             "九": 9, "玖": 9}
SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
# 兆 is 10^12 as Taiwan, Hong Kong and Japan write money (四十九兆九千五百九十二億元)
BIG_UNITS = {"万": Decimal(10000), "亿": Decimal(100000000), "兆": Decimal(10) ** 12}
VAGUE = {"几", "数", "多", "余", "来"}
UNIT_CHARS = "".join(SMALL_UNITS) + "".join(BIG_UNITS)  # 十拾百佰千仟万亿兆

_ZERO = Decimal(0)
_SKIP = str.maketrans("", "", ",， \u3000\t\n\r")
_SKIP_RE = re.compile(r"[,， \u3000\t\n\r]")


def _skipped(s: str) -> str:
    """s without separators and spaces: s.translate(_SKIP), but most numerals have none, and a failed
    table lookup per character makes translate ~6x slower than this search."""
    return _SKIP_RE.sub("", s) if _SKIP_RE.search(s) else s
# 六七万, 二三十万, 十五六万, 三四百万: two neighbouring digits (or 三五) before the same units
_PAIR = re.compile(r"(?P<p>(?:[一二两三四五六七八九]?[十百千])*)(?P<a>[一二两三四五六七八])(?P<b>[二两三四五六七八九])"
                   r"(?P<u>[十百千万亿兆]*)")


def parse_number(s: str, positional: bool = False) -> tuple[Decimal, bool] | None:
    """Parse '721', '3.7亿', '1.2万亿', '9100多万', '三千万', '二十五', '几百万', '93，708，580', '壹万贰仟'.

    Returns (value, vague) where vague is True when 多/余/几/数 made it a lower bound, or None for a
    string that is not one well-formed numeral (七十百, 一一 unless `positional`).
    """
    if s.isascii() and s.replace(".", "", 1).isdigit():
        return Decimal(s), False  # most figures are plain digits (25, 5000, 3.7): no walk needed
    s = _skipped(s)
    if not s:
        return None
    if "点" in s:
        return _cn_decimal(s)
    # plain positional digits, e.g. 二〇二四
    if len(s) > 1 and all(c in CN_DIGITS for c in s):
        if not positional:
            return None
        return Decimal("".join(str(CN_DIGITS[c]) for c in s)), False
    groups: list[tuple[Decimal, Decimal]] = []  # (value, big unit) of the finished 万/亿/兆 groups
    section = _ZERO
    number: Decimal | None = None
    last_small = 10**5  # small units must fall within a section (三千五百, not 七十百)
    vague = False
    i = 0
    n = len(s)
    seen_any = False
    unit = 1  # the value of the last unit written
    while i < n:
        c = s[i]
        if c.isascii() and c.isdigit() or (c == "." and i + 1 < n and s[i + 1].isdigit()):
            j = i
            while j < n and (s[j].isascii() and s[j].isdigit() or s[j] == "."):
                j += 1
            try:
                number = Decimal(s[i:j])
            except InvalidOperation:
                return None
            seen_any = True
            i = j
            continue
        if c in CN_DIGITS:
            number = Decimal(CN_DIGITS[c])
            seen_any = True
        elif c in SMALL_UNITS:
            u = SMALL_UNITS[c]
            if u >= last_small:
                return None
            last_small = unit = u
            section += (number if number is not None else Decimal(1)) * u
            number = None
            seen_any = True
        elif c in BIG_UNITS:
            u = BIG_UNITS[c]
            # a big unit multiplies everything written since the last bigger one (一万亿 = 10^12)
            chunk = section + (number or _ZERO)
            while groups and groups[-1][1] < u:
                chunk += groups.pop()[0]
            groups.append((chunk * u if chunk else u, u))
            section, number, last_small, unit = _ZERO, None, 10**5, u
            seen_any = True
        elif c in VAGUE:
            vague = True
            if c in ("几", "数") and number is None and section == 0 and not groups:
                number = Decimal(1)
        else:
            return None
        i += 1
    if not seen_any:
        return None
    if number is not None and n > 1 and s[-2] in UNIT_CHARS and (s[-1] in CN_DIGITS or s[-1].isdigit()):
        number *= Decimal(unit) / 10  # 一万五 = 15000, 三千五 = 3500, 三百二 = 320: the next unit is left out
    return sum((g for g, _ in groups), _ZERO) + section + (number or _ZERO), vague


def _cn_decimal(s: str) -> tuple[Decimal, bool] | None:
    """五点五亿 -> 550000000, 一百二十点五 -> 120.5, 一点二万亿 -> 1.2 * 10^12: Chinese digits after 点, then
    only big units (万, 亿, 万亿)."""
    whole, _, rest = s.partition("点")
    i = 0
    while i < len(rest) and rest[i] in CN_DIGITS:
        i += 1
    frac, tail = rest[:i], rest[i:]
    if not frac or any(c not in BIG_UNITS for c in tail):
        return None
    w = parse_number(whole) if whole else None
    if w is None or w[1]:
        return None
    v = Decimal(f"{int(w[0])}." + "".join(str(CN_DIGITS[c]) for c in frac))
    for c in tail:
        v *= BIG_UNITS[c]
    return v, False


def parse_pair(s: str) -> tuple[Decimal, Decimal] | None:
    """六七万 -> (60000, 70000), 二三十万 -> (200000, 300000), 十五六万, 三五千: a colloquial range, or None."""
    m = _PAIR.fullmatch(_skipped(s))
    if not m:
        return None
    a, b = CN_DIGITS[m["a"]], CN_DIGITS[m["b"]]
    if not (b == a + 1 or (a, b) == (3, 5)):
        return None
    lo = parse_number(m["p"] + m["a"] + m["u"])
    hi = parse_number(m["p"] + m["b"] + m["u"])
    if lo is None or hi is None:
        return None
    return lo[0], hi[0]


def to_json_number(d: Decimal | None):
    """Decimal -> int when integral, else float; None stays None."""
    if d is None:
        return None
    if d == d.to_integral_value():
        return int(d)
    return float(d)
