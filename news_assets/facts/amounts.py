"""Money, count and percent mentions with their qualifiers."""

from __future__ import annotations

import bisect
import re
from decimal import Decimal
from functools import lru_cache

from . import _ref
from .numbers import parse_number

_AR = r"\d{1,3}(?:[,，]\d{3})+(?![\d])|\d+(?:\.\d+)?"
_CN = r"[零〇一二两三四五六七八九十百千万亿几数]+"
_QTY = r"(?:(?:" + _AR + r")(?:多|余|几)?[十百千万亿]*|" + _CN + r")(?:多|余)?[万亿]*"
# an amount in 万/亿 (for money written without a currency word)
_BIG = r"(?:(?:" + _AR + r")(?:多|余)?[千百]?[万亿]+|[一二两三四五六七八九十百千几数]*[万亿]+)"
_PRE_Q = r"超过|超出|超|逾|近|将近|接近|约合|约|大约|不到|不足|不超过|过|至少"
_POST_Q = r"以上|以下|左右|上下"
_RANGE = r"至|到|-|~|—"
_QUAL = {"超过": "gt", "超出": "gt", "超": "gt", "逾": "gt", "过": "gt", "至少": "gt",
         "近": "lt", "将近": "lt", "接近": "lt", "不到": "lt", "不足": "lt", "不超过": "lt",
         "约": "approx", "约合": "approx", "大约": "approx",
         "以上": "gt", "以下": "lt", "左右": "approx", "上下": "approx"}
_MEASURE = "人次|人(?![民工口均])|家|名|个|位|户|项|件|台|辆|架|艘|座|所|条|套|批|场|只|头|株|棵|部|款|种|篇|支|块|间|栋|处|起|例|宗|本|册|份|张|枚|颗"
_MONEY_NOUN = (
    "身价|市值|估值|票房|营收|营业收入|总收入|净利润|利润|销售额|成交额|交易额|融资额|融资|总投资|投资额|投资"
    "|总资产|资产|总产值|产值|生产总值|GDP|经济总量|补贴|奖金|罚款|赔偿"
)
# first characters a mention can start with: a cheap test before the alternations
_STARTS = r"(?=[\d〇零一二两三四五六七八九十几数超逾近将接约大不过至人新台港澳美])"
# a currency named before the amount; with a plain 元 after it, it decides: 新台币7596.9亿元 is TWD
_PREFIX_CUR = r"人民币|新台币|台币|港币|澳门币|美金"

PERCENT_RE = re.compile(r"(?=[\d百])(?<![\d.])(?P<n>\d+(?:\.\d+)?)\s?%|百分之(?P<cn>[零〇一二两三四五六七八九十百点]+)")


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    cur = "|".join(re.escape(w) for w in sorted(_ref.currencies(), key=len, reverse=True))
    money = re.compile(
        _STARTS + r"(?P<pre>" + _PRE_Q + r")?(?P<pcur>" + _PREFIX_CUR + r")?(?P<q1>" + _QTY + r")"
        r"(?:(?:" + cur + r")?(?:" + _RANGE + r")(?P<q2>" + _QTY + r"))?"
        r"(?P<cur>" + cur + r")(?![素旦宵首帅老朝件器年])(?P<rmb2>人民币)?(?P<post>" + _POST_Q + r")?"
    )
    # 身价过亿, 投资100亿: a money noun, then an amount in 万/亿 with no currency word
    firsts = "".join(sorted({w[0] for w in _MONEY_NOUN.split("|")}))
    nocur = re.compile(
        r"(?=[" + firsts + r"])(?:" + _MONEY_NOUN + r")[^\d，,。；;、：:！？\n]{0,4}?"
        r"(?P<pre>" + _PRE_Q + r")?(?P<q1>" + _BIG + r")(?:(?:" + _RANGE + r")(?P<q2>" + _BIG + r"))?"
        r"(?![\d万亿元美港欧日英韩卢泰新台块%％人个家名户项件台辆吨米平里度倍次股])"
    )
    count = re.compile(
        _STARTS + r"(?P<pre>" + _PRE_Q + r")?(?P<q1>" + _QTY + r")(?:(?:" + _RANGE + r")(?P<q2>" + _QTY + r"))?"
        r"(?P<unit>" + _MEASURE + r")(?!百分点|月|季度|小时|工作日|星期|百分比|多月|多小时|示|述|谓|以)"
        r"(?P<post>" + _POST_Q + r")?"
    )
    return money, nocur, count


def _clean(d: Decimal) -> Decimal:
    return Decimal(int(d)) if d == d.to_integral_value() else d.normalize()


def _qty(s: str | None):
    if not s:
        return None
    r = parse_number(s)
    return None if r is None else (_clean(r[0]), r[1])


def _qualifier(m: re.Match, vague: bool) -> str | None:
    pre = m.group("pre")
    post = m.groupdict().get("post")
    if pre:
        return _QUAL.get(pre)
    if post:
        return _QUAL.get(post)
    return "gt" if vague else None


def _unit_of(q: str) -> Decimal:
    mult = Decimal(1)
    for ch in reversed(q):
        if ch == "万":
            mult *= 10000
        elif ch == "亿":
            mult *= 100000000
        elif ch == "千":
            mult *= 1000
        elif ch == "百":
            mult *= 100
        else:
            break
    return mult


def _range(m: re.Match, val: Decimal):
    """(low, high) of an optional range; None when the range is not increasing."""
    q2 = _qty(m.group("q2"))
    if q2 is None:
        return (val, None) if m.group("q2") is None else None
    high = q2[0]
    # 5至8万元: the unit of the upper bound applies to a bare lower bound
    if 0 < val < high and re.fullmatch(r"[\d.]+", m.group("q1")):
        mult = _unit_of(m.group("q2"))
        if mult > 1 and val * mult <= high:
            val = _clean(val * mult)
    return (val, high) if high >= val else None


def find_money(norm: str):
    """[(start, end, value, value_high, currency, qualifier)] in text order."""
    money_re, nocur_re, _ = _patterns()
    curmap = _ref.currencies()
    out = []
    for m in money_re.finditer(norm):
        raw = m.group("q1")
        if raw[0] in "百千万亿" and not m.group("pre"):
            continue  # 百元之恋, 万元户: a unit word, not an amount (逾百亿元 is one)
        s = m.start("q1")
        if s > 0 and (norm[s - 1].isdigit() or norm[s - 1] == "."):
            continue
        q1 = _qty(raw)
        if q1 is None or q1[0] == 0:
            continue
        if not raw[0].isdigit() and q1[0] < 10 and m.group("cur") == "元":
            continue  # 二元经济, 一元二次方程
        rng = _range(m, q1[0])
        if rng is None:
            continue
        start = m.start() if m.group("pre") else (m.start("pcur") if m.group("pcur") else s)
        end = m.end("rmb2") if m.group("rmb2") else m.end("cur")
        cur = m.group("cur")
        if cur == "元" and m.group("pcur"):
            cur = m.group("pcur")
        out.append((start, end, rng[0], rng[1], curmap.get(cur, "CNY"), _qualifier(m, q1[1])))
    taken = [(a, b) for a, b, *_ in out]
    for m in nocur_re.finditer(norm):
        s0 = m.start("pre") if m.group("pre") else m.start("q1")
        e0 = m.end("q2") if m.group("q2") else m.end("q1")
        if any(a < e0 and s0 < b for a, b in taken):
            continue
        q1 = _qty(m.group("q1"))
        if q1 is None or q1[0] == 0:
            continue
        rng = _range(m, q1[0])
        if rng is None:
            continue
        out.append((s0, e0, rng[0], rng[1], "CNY", _qualifier(m, q1[1])))
    out.sort(key=lambda t: t[0])
    return out


def find_counts(norm: str, taken: list[tuple[int, int]]):
    """[(start, end, value, value_high, unit, qualifier)]; skips spans already taken by money/dates."""
    count_re = _patterns()[2]
    taken = sorted(taken)
    taken_starts = [a for a, _ in taken]
    taken_ends_max = []
    mx = -1
    for _, b in taken:
        mx = max(mx, b)
        taken_ends_max.append(mx)
    out = []
    for m in count_re.finditer(norm):
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
        if not raw[0].isdigit() and (q1[0] < 10 or raw[0] in "几数"):
            continue  # 一个/两家/几名: articles, not figures
        rng = _range(m, q1[0])
        if rng is None:
            continue
        start = m.start() if m.group("pre") else s
        out.append((start, m.end("unit"), rng[0], rng[1], m.group("unit"), _qualifier(m, q1[1])))
    return out


def find_percents(norm: str):
    """[(start, end, value, qualifier)]: 56%, 百分之五 (the gold spec's percentages; 六成 is not one)."""
    out = []
    for m in PERCENT_RE.finditer(norm):
        if m.group("n") is not None:
            v = Decimal(m.group("n"))
        else:
            whole, dot, frac = m.group("cn").partition("点")
            w = parse_number(whole) if whole else (Decimal(0), False)
            if w is None or (dot and (not frac or any(c not in "零〇一二三四五六七八九" for c in frac))):
                continue
            v = w[0]
            if dot:
                v = Decimal(f"{int(v)}." + "".join(str(int(parse_number(c)[0])) for c in frac))
        out.append((m.start(), m.end(), _clean(v), _around(norm, m.start(), m.end())))
    return out


_PRE_TAIL = re.compile(r"(?:" + _PRE_Q + r")$")
_POST_HEAD = re.compile(_POST_Q)


def _around(norm: str, s: int, e: int) -> str | None:
    """gt / lt / approx from the words right before or after a mention (超过30%, 5%左右)."""
    m = _PRE_TAIL.search(norm, max(0, s - 3), s)
    if m:
        return _QUAL.get(m.group())
    m = _POST_HEAD.match(norm, e)
    return _QUAL.get(m.group()) if m else None
