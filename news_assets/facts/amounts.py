"""Money, count and percent mentions with their qualifiers."""

from __future__ import annotations

import bisect
import re
from decimal import Decimal

from . import _ref
from .numbers import parse_number

_AR = r"\d{1,3}(?:[,，]\d{3})+(?![\d])|\d+(?:\.\d+)?"
_CN = r"[零〇一二两三四五六七八九十百千万亿几数]+"
_QTY = r"(?:(?:" + _AR + r")(?:多|余|几)?[十百千万亿]*|" + _CN + r")(?:多|余)?[万亿]*"
_PRE_Q = r"超过|超出|超|逾|近|将近|接近|约|大约|不到|不足|不超过|过|至少"


def _cur_alt() -> str:
    words = sorted(_ref.currencies(), key=len, reverse=True)
    return "|".join(re.escape(w) for w in words)


_MONEY_RE = None
_COUNT_RE = None

_MEASURE = (
    "人次|家|名|个|位|户|项|件|台|辆|架|艘|座|所|条|套|批|场|只|头|株|棵|部|款|种|篇|支|块|间|栋|处|起|例|宗|起|本|册|份|张|枚|颗"
)


_MONEY_NOUN = (
    r"身价|市值|估值|票房|营收|营业收入|总收入|净利润|利润|销售额|成交额|交易额|融资额|融资|总投资|投资额|投资"
    r"|总资产|资产|总产值|产值|生产总值|GDP|经济总量|补贴|奖金|罚款|赔偿"
)
_NOCUR_RE = None
_BIG = r"(?:(?:" + _AR + r")(?:多|余)?[千百]?[万亿]+|[一二两三四五六七八九十百千几数]*[万亿]+)"


def _compile():
    global _MONEY_RE, _COUNT_RE, _NOCUR_RE
    # 身价过亿, 票房突破30亿, 投资100亿: a money noun, then an amount in 万/亿 with no currency word
    firsts = "".join(sorted({w[0] for w in _MONEY_NOUN.split("|")}))
    _NOCUR_RE = re.compile(
        r"(?=[" + firsts + r"])(?:" + _MONEY_NOUN + r")[^\d，,。；;、：:！？\n]{0,4}?"
        r"(?P<pre>" + _PRE_Q + r")?(?P<q1>" + _BIG + r")(?:(?:至|到|-|~|—)(?P<q2>" + _BIG + r"))?"
        r"(?![\d万亿元美港欧日英韩卢泰新台块%％人个家名户项件台辆吨米平里度倍次股])"
    )
    cur = _cur_alt()
    _MONEY_RE = re.compile(
        r"(?=[\d〇零一二两三四五六七八九十几数超逾近将接约大不过至人])"
        r"(?P<pre>" + _PRE_Q + r")?(?P<rmb>人民币)?"
        r"(?P<q1>" + _QTY + r")"
        r"(?:(?P<c1>" + cur + r")?(?P<sep>至|到|-|~|—)(?P<q2>" + _QTY + r"))?"
        r"(?P<cur>" + cur + r")(?![素旦宵首帅老朝件器年])(?P<rmb2>人民币)?"
        r"(?P<post>以上|以下|左右|上下)?"
    )
    _COUNT_RE = re.compile(
        r"(?=[\d〇零一二两三四五六七八九十几数超逾近将接约大不过至])"
        r"(?P<pre>" + _PRE_Q + r")?"
        r"(?P<q1>" + _QTY + r")(?:(?P<sep>至|到|-|~|—)(?P<q2>" + _QTY + r"))?"
        r"(?P<unit>" + _MEASURE + r")(?!百分点|月|季度|小时|工作日|星期|百分比|多月|多小时|示|述|谓|以)(?P<post>以上|以下|左右|上下)?"
    )


PERCENT_RE = re.compile(r"(?=[\d百])(?<![\d.])(?P<n>\d+(?:\.\d+)?)\s?%|百分之(?P<cn>[零〇一二两三四五六七八九十百点]+)")

_QUAL = {"超过": "gt", "超出": "gt", "超": "gt", "逾": "gt", "过": "gt", "至少": "gt",
         "近": "lt", "将近": "lt", "接近": "lt", "不到": "lt", "不足": "lt", "不超过": "lt",
         "约": "approx", "大约": "approx",
         "以上": "gt", "以下": "lt", "左右": "approx", "上下": "approx"}


def _clean(d: Decimal) -> Decimal:
    if d == d.to_integral_value():
        return Decimal(int(d))
    return d.normalize()


def _qty(s: str):
    r = parse_number(s)
    if r is None:
        return None
    return _clean(r[0]), r[1]


def find_money(norm: str):
    """[(start, end, value, value_high, currency, qualifier)]"""
    if _MONEY_RE is None:
        _compile()
    out = []
    curmap = _ref.currencies()
    for m in _MONEY_RE.finditer(norm):
        raw = m.group("q1")
        if raw[0] in "百千万亿" and not m.group("pre"):
            continue  # 百元之恋, 万元户: a unit word, not an amount (逾百亿元 is one)
        q1 = _qty(raw)
        if q1 is None:
            continue
        if not raw[0].isdigit() and q1[0] < 10 and m.group("cur") == "元":
            continue  # 二元经济, 一元二次方程
        s = m.start("q1")
        if s > 0 and (norm[s - 1].isdigit() or norm[s - 1] == "."):
            continue
        cw = m.group("cur")
        currency = curmap.get(cw, "CNY")
        if m.group("rmb") or m.group("rmb2"):
            currency = "CNY" if cw in ("元", "人民币") else currency
        val, vague = q1
        high = None
        if m.group("q2"):
            q2 = _qty(m.group("q2"))
            if q2 is None:
                continue
            high = q2[0]
            # 5至8万元: the unit of the upper bound applies to the lower one
            if high > 0 and val > 0 and val < high and re.fullmatch(r"[\d.]+", m.group("q1")):
                unit_mult = _unit_of(m.group("q2"))
                if unit_mult > 1 and val * unit_mult <= high:
                    val = _clean(val * unit_mult)
            if high < val:
                continue
        qual = None
        pre, post = m.group("pre"), m.group("post")
        if vague:
            qual = "gt"
        if pre:
            qual = _QUAL.get(pre, qual)
        elif post:
            qual = _QUAL.get(post, qual)
        start = m.start() if pre else (m.start("rmb") if m.group("rmb") else s)
        end = m.end("rmb2") if m.group("rmb2") else m.end("cur")
        if val == 0:
            continue
        out.append((start, end, val, high, currency, qual))
    if out:
        taken = [(a, b) for a, b, *_ in out]
    else:
        taken = []
    for m in _NOCUR_RE.finditer(norm):
        s0 = m.start("pre") if m.group("pre") else m.start("q1")
        e0 = m.end("q2") if m.group("q2") else m.end("q1")
        if any(a < e0 and s0 < b for a, b in taken):
            continue
        q = _qty(m.group("q1"))
        if q is None or q[0] == 0:
            continue
        high = _qty(m.group("q2")) if m.group("q2") else None
        if high is not None and high[0] < q[0]:
            continue
        qual = "gt" if q[1] else None
        if m.group("pre"):
            qual = _QUAL.get(m.group("pre"), qual)
        out.append((s0, e0, q[0], high[0] if high else None, "CNY", qual))
    out.sort(key=lambda t: t[0])
    return out


def _unit_of(q: str) -> Decimal:
    mult = Decimal(1)
    for ch in reversed(q):
        if ch == "万":
            mult *= 10000
        elif ch == "亿":
            mult *= 100000000
        elif ch in "千":
            mult *= 1000
        elif ch in "百":
            mult *= 100
        else:
            break
    return mult


def find_counts(norm: str, taken: list[tuple[int, int]]):
    """[(start, end, value, value_high, unit, qualifier)]; skips spans already taken by money/dates."""
    if _COUNT_RE is None:
        _compile()
    taken = sorted(taken)
    taken_starts = [a for a, _ in taken]
    taken_ends_max = []
    mx = -1
    for _, b in taken:
        mx = max(mx, b)
        taken_ends_max.append(mx)
    out = []
    for m in _COUNT_RE.finditer(norm):
        s = m.start("q1")
        if s > 0 and (norm[s - 1].isdigit() or norm[s - 1] in ".第每"):
            continue
        k = bisect.bisect_left(taken_starts, m.end()) - 1
        if k >= 0 and taken_ends_max[k] > s:
            continue
        raw = m.group("q1")
        q1 = _qty(raw)
        if q1 is None:
            continue
        val, vague = q1
        if not raw[0].isdigit() and (val < 10 or raw[0] in "几数"):
            continue  # 一个/两家/几名: articles, not figures
        high = None
        if m.group("q2"):
            q2 = _qty(m.group("q2"))
            if q2 is None or q2[0] < val:
                continue
            high = q2[0]
        qual = "gt" if vague else None
        pre, post = m.group("pre"), m.group("post")
        if pre:
            qual = _QUAL.get(pre, qual)
        elif post:
            qual = _QUAL.get(post, qual)
        start = m.start() if pre else s
        out.append((start, m.end("unit"), val, high, m.group("unit"), qual))
    return out


def find_percents(norm: str):
    """[(start, end, value)]"""
    out = []
    for m in PERCENT_RE.finditer(norm):
        if m.group("n") is not None:
            v = Decimal(m.group("n"))
        else:
            cn = m.group("cn")
            if "点" in cn:
                a, _, b = cn.partition("点")
                ia = parse_number(a) if a else (Decimal(0), False)
                if ia is None or not b or any(c not in "零〇一二两三四五六七八九" for c in b):
                    continue
                frac = "".join(str(parse_number(c)[0]) for c in b)
                v = Decimal(f"{int(ia[0])}.{frac}")
            else:
                r = parse_number(cn)
                if r is None:
                    continue
                v = r[0]
        out.append((m.start(), m.end(), _clean(v)))
    return out
