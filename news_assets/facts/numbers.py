"""Chinese and Arabic numerals -> Decimal, small and fast (no dependency)."""

from __future__ import annotations

from decimal import Decimal

CN_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "三": 3, "叁": 3, "四": 4,
             "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9}
SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
BIG_UNITS = {"万": Decimal(10000), "亿": Decimal(100000000)}
VAGUE = {"几", "数", "多", "余", "来"}

_ZERO = Decimal(0)


def parse_number(s: str, positional: bool = False) -> tuple[Decimal, bool] | None:
    """Parse '721', '3.7亿', '1.2万亿', '9100多万', '三千万', '二十五', '几百万', '93，708，580'.

    Returns (value, vague) where vague is True when 多/余/几/数 made it a lower bound, or None.
    """
    s = s.replace(",", "").replace("，", "").replace(" ", "")
    if not s:
        return None
    # plain positional digits, e.g. 二〇二四
    if len(s) > 1 and all(c in CN_DIGITS for c in s):
        if not positional:
            return None
        return Decimal("".join(str(CN_DIGITS[c]) for c in s)), False
    total = _ZERO
    section = _ZERO
    number: Decimal | None = None
    vague = False
    i = 0
    n = len(s)
    seen_any = False
    while i < n:
        c = s[i]
        if c.isdigit() and c.isascii() or (c == "." and i + 1 < n and s[i + 1].isdigit()):
            j = i
            while j < n and (s[j].isascii() and s[j].isdigit() or s[j] == "."):
                j += 1
            try:
                number = Decimal(s[i:j])
            except Exception:
                return None
            seen_any = True
            i = j
            continue
        if c in CN_DIGITS:
            number = Decimal(CN_DIGITS[c])
            seen_any = True
        elif c in SMALL_UNITS:
            section += (number if number is not None else Decimal(1)) * SMALL_UNITS[c]
            number = None
            seen_any = True
        elif c in BIG_UNITS:
            if c == "亿":
                total = (total + section + (number or _ZERO)) * BIG_UNITS[c]
                if total == 0:
                    total = BIG_UNITS[c]
                section = _ZERO
            else:
                section = (section + (number or _ZERO)) * BIG_UNITS[c]
                if section == 0:
                    section = BIG_UNITS[c]
            number = None
            seen_any = True
        elif c in VAGUE:
            vague = True
            if c in ("几", "数") and number is None and section == 0 and total == 0:
                number = Decimal(1)
        else:
            return None
        i += 1
    if not seen_any:
        return None
    return total + section + (number or _ZERO), vague


def to_json_number(d: Decimal | None):
    """Decimal -> int when integral, else float; None stays None."""
    if d is None:
        return None
    if d == d.to_integral_value():
        return int(d)
    return float(d)
