"""Money, count and percent mentions with their qualifiers.

One number grammar serves all three: Arabic digits (thousands separators with decimals: 305,120.45),
Chinese and financial numerals (三千万, 壹万贰仟), scales 万/亿/兆, vague tails (多/余), colloquial
neighbours (六七万, 二三十万) and ranges (5至8万, 五到六万, 5000——8000). A line break inside a number
(3.\\n7亿元, a wrapped line) is read through (see _view).
"""

from __future__ import annotations

import bisect
import re
from decimal import Decimal
from functools import lru_cache
from itertools import chain as _chain

from . import _ref
from .hits import CountHit, MoneyHit, PercentHit
from .numbers import UNIT_CHARS, parse_number, parse_pair

_D = "零〇一二两三四五六七八九壹贰叁参肆伍陆柒捌玖"
_AR = r"\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?(?!\d)|\d+(?:\.\d+)?"
# 五点五亿, 十二点五万: a decimal in Chinese digits, before its big unit
_CN = r"(?:[" + _D + r"十百千拾佰仟]+点[" + _D + r"]+[万亿兆]*|[" + _D + r"十百千拾佰仟万亿兆几数]+)"
# a figure goes on after a unit with the next group: 1亿5000万, 3万5千, 1千5百万 are one number
_QTY = (r"(?:(?:" + _AR + r")(?:多|余|几)?[" + UNIT_CHARS + r"]*(?:(?<=[" + UNIT_CHARS + r"])(?:" + _AR + r")"
        r"[" + UNIT_CHARS + r"]*)*"
        r"|" + _CN + r")(?:多|余)?[万亿兆]*")
# an amount in 万/亿 (for money written without a currency word)
_BIG = (r"(?:(?:" + _AR + r")(?:多|余)?[千百]?[万亿兆]+(?:(?:" + _AR + r")[千百]?[万亿兆]+)*"
        r"|[一二两三四五六七八九十百千几数]*多?[万亿兆]+)")
# 上 only before a scale: 上亿元, 上千万 (gt); 约合 is a conversion: its qualifier stays, its word is no part
# 约/近/过 as the end of another word are no qualifier: 签约100亿元, 节约, 最近, 附近, 通过100亿元的预算
_PRE_Q = (r"超过|超出|超|逾|(?<![最附临靠贴亲邻])近|将近|接近|约合|(?<![签预合节违履解续特邀公条制相赴失])约|大约"
          r"|不到|不足|不超过|(?<![通经度不越跨穿路错难看听做去来])过|至少|上(?=[百千万亿])")
_POST_Q = r"以上|以下|左右|上下"
_RANGE = r"——|—|–|-|~|至|到"
_INCL = r"(?:（含）|\(含\))?"  # 3万元（含）至5万元: the inclusive mark of a range bound
_QUAL = {"超过": "gt", "超出": "gt", "超": "gt", "逾": "gt", "过": "gt", "至少": "gt", "上": "gt",
         "近": "lt", "将近": "lt", "接近": "lt", "不到": "lt", "不足": "lt", "不超过": "lt",
         "约": "approx", "约合": "approx", "大约": "approx",
         "以上": "gt", "以下": "lt", "左右": "approx", "上下": "approx"}
_MEASURE = "人次|人(?![民工口均])|家|名|个|位|户|项|件|台|辆|架|艘|座|所|条|套|批|场|只|头|株|棵|部|款|种|篇|支|块|间|栋|处|起|例|宗|本|册|份|张|枚|颗"
_MONEY_NOUN = (
    "身价|市值|估值|票房|营收|营业收入|总收入|收入|净利润|利润|销售额|成交额|交易额|融资额|融资|总投资|投资额|投资"
    "|总资产|资产|总产值|产值|生产总值|GDP|经济总量|补贴|奖金|罚款|赔偿|耗资|斥资|年薪|月薪|薪酬|投入|回报|赚|损失"
    "|造价|售价|价格|预算|经费|拨款|捐款|募资|募集"
)
# money nouns that may follow an amount in 万/亿 with no currency word: 近50万销售额, 上亿投资
_MONEY_NOUN_AFTER = "销售额|营业额|成交额|交易额|营收|收入|利润|净利润|投资|资金|奖金|补贴|罚款|赔偿|经费|预算|融资|票房"
# a currency named before the amount; with a plain 元 after it, it decides: 新台币7596.9亿元 is TWD
_PREFIX_CUR = r"人民币|新台币|台币|港币|澳门币|美金|日币|韩币"
# first characters a mention can start with (a figure, a qualifier, a currency before it): a cheap test
# before the alternations
_STARTS = (r"(?=[\d" + _D + r"十百千拾佰仟几数超逾近将接约大不过至上"
           + "".join(sorted({w[0] for w in _PREFIX_CUR.split("|")})) + r"])")
# a currency named after 元: 876元人民币, 7万元美金
_SUFFIX_CUR = r"人民币|美金|美元|港币|港元|新台币|台币|澳门币"
# 123元1角1分, 五元三毛, 50元6角三分: the smaller coins of a yuan amount
_JIAO_FEN = r"(?:零?(?P<jiao>[\d" + _D + r"])[角毛])?(?:零?(?P<fen>[\d" + _D + r"])分(?![钟之]))?"

_DEN = {"百": 100, "千": 1000, "万": 10000, "百万": 10**6, "千万": 10**7, "万万": 10**8, "百万万": 10**10}
PERCENT_RE = re.compile(
    r"(?=[\d百千万佰仟负\-])"
    r"(?:(?P<sign>(?<![\dA-Za-z.%‰])-|负)?(?<![\d.,])(?P<n>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s?(?P<mark>[%‰])"
    r"|(?<![" + _D + r"十百千万佰仟])(?P<den>百万万|百万|千万|万万|[百千万佰仟])[ \t]*分[ \t]*之[ \t]*"
    r"(?P<pn>\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?(?!\d)|\d+(?:\.\d+)?"
    r"|[" + _D + r"十百千拾佰仟点](?:[ \t]*[" + _D + r"十百千拾佰仟点])*))"
)
_URLISH = re.compile(r"://|www\.|[?&][\w%]*=")


_NUMCH = set("0123456789.,，" + _D + "十百千拾佰仟万亿兆几数多余")
# a count's measure word right after a figure (3500多家, 25名, 二十个): where counts can end
# (a Chinese digit only after a unit: 二十一个; 一个/两家 alone are articles, not counts)
# (?=[…]) before the measure words: one class test rejects most positions before the alternation
_MEASURE_FIRST = "(?=[" + "".join(sorted({w[0] for w in _MEASURE.split("|")})) + "])"
# one pass for both kinds of end: a figure or 多/余/几 before the measure word, or a Chinese digit after a
# unit (二十一个); the class opens the pattern so sre skips other characters in C
_COUNT_END_RE = re.compile(
    r"[\d十百千拾佰仟万亿兆多余几" + _D + r"](?:(?<=[\d十百千拾佰仟万亿兆多余几])|(?<=[十百千拾佰仟万亿兆][" + _D + r"]))"
    r"(?=" + _MEASURE_FIRST + "(?:" + _MEASURE + "))")


def _inside_number(norm: str, s: int, also: str = "") -> bool:
    """Does a figure starting at s continue one before it (12|34, 3.|5, 1亿|5000万, 3万|五千, 1千|5百万)? Its
    reading would then be a part of that number: a wrong value, not a missing one."""
    if s == 0:
        return False
    p = norm[s - 1]
    return p.isdigit() or p in ".," or p in also or (p in _UNITS_AND_POINT and s > 1 and norm[s - 2] in _DIGITS)


_DIGITS = frozenset("0123456789" + _D)
_UNITS = frozenset(UNIT_CHARS)
_UNITS_AND_POINT = _UNITS | {"点"}  # 三点|五亿: the decimal point of a Chinese numeral
# what may stand before the minus sign of a negative amount (净利润为-1.2亿元, 收益：-0.12元); after a
# figure, a unit, a currency word or a Latin letter the dash is a range mark or part of a code (1-2亿, A-100)
_BEFORE_MINUS = re.compile(r"[\u4e00-\u9fff\s:：(（,，、;；=]")


def _negative(norm: str, s: int) -> bool:
    """Is the figure starting at s written with a minus sign before it?"""
    if s == 0 or norm[s - 1] != "-":
        return False
    if s == 1:
        return True
    p = norm[s - 2]
    return bool(_BEFORE_MINUS.match(p)) and p not in _UNITS and p not in "元块钱角分"


def _scan(rx: re.Pattern, norm: str, anchors, before: int, after: int):
    """rx.finditer over windows around anchor positions only (merged; a window never starts inside a
    number): the same matches as a full scan for patterns whose matches contain an anchor, at a
    fraction of the cost on text that is mostly words."""
    n = len(norm)
    spans: list[list[int]] = []
    for a in anchors:
        ws, we = max(0, a - before), min(n, a + after)
        if spans and ws <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], we)
        else:
            spans.append([ws, we])
    for ws, we in spans:
        while ws > 0 and norm[ws - 1] in _NUMCH:
            ws -= 1
        yield from rx.finditer(norm, ws, we)


def _finds(norm: str, ch: str) -> list[int]:
    out = []
    i = norm.find(ch)
    while i >= 0:
        out.append(i)
        i = norm.find(ch, i + 1)
    return out


@lru_cache(maxsize=1)
def _anchor_re() -> re.Pattern:
    """Any currency word: every money mention with a currency contains one."""
    cur = "|".join(re.escape(w) for w in sorted(_ref.currencies(), key=len, reverse=True))
    return re.compile(cur)


@lru_cache(maxsize=1)
def _symbol_re() -> tuple[re.Pattern, frozenset[str]]:
    """A currency sign before an amount in digits (¥1,299, $100, US$9.9亿, €50万, RMB 5000), and the last
    characters of the signs (where the scan looks)."""
    syms = _ref.currency_symbols()
    signs = "|".join(re.escape(w) for w in sorted(syms, key=len, reverse=True))
    rx = re.compile(r"(?<![A-Za-z0-9])(?P<sym>" + signs + r")[ \u00a0]?(?P<q1>" + _AR + r")(?P<big>[万亿]*)"
                    r"(?![\d.%‰])")
    return rx, frozenset(w[-1] for w in syms)


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern, re.Pattern, re.Pattern, re.Pattern]:
    cur = "|".join(re.escape(w) for w in sorted(_ref.currencies(), key=len, reverse=True))
    money = re.compile(
        _STARTS + r"(?P<pre>" + _PRE_Q + r")?(?P<pcur>" + _PREFIX_CUR + r")?(?P<q1>" + _QTY + r")"
        r"(?:(?:" + cur + r")?" + _INCL + r"(?:" + _RANGE + r")(?P<q2>" + _QTY + r"))?"
        r"[ \u00a0]?(?P<cur>" + cur + r")(?![素旦宵首帅老朝件器年])"
        r"(?:(?<=元)(?P<suf>" + _SUFFIX_CUR + r")|(?<=元)(?P<qian>钱)|(?<=[元块])" + _JIAO_FEN + r")?"
        r"(?P<post>" + _POST_Q + r")?"
    )
    # 身价过亿, 投资100亿, 耗资200多万: a money noun, then an amount in 万/亿 with no currency word
    firsts = "".join(sorted({w[0] for w in _MONEY_NOUN.split("|")}))
    nocur = re.compile(
        r"(?=[" + firsts + r"])(?:" + _MONEY_NOUN + r")[^\d，,。；;、：:！？\n]{0,4}?"
        r"(?P<pre>" + _PRE_Q + r")?(?P<q1>" + _BIG + r")(?:(?:" + _RANGE + r")(?P<q2>" + _BIG + r"))?"
        r"(?![\d" + _D + r"十百千万亿元美港欧日英韩卢泰新台块%％人个家名户项件台辆吨米平里度倍次股])"
    )
    nocur_after = re.compile(
        r"(?=[\d一二两三四五六七八九十百千几数超逾近将接约大不过至上])(?P<pre>" + _PRE_Q + r")?(?P<q1>" + _BIG + r")"
        r"(?=(?:的)?(?:" + _MONEY_NOUN_AFTER + r"))"
    )
    count = re.compile(
        _STARTS + r"(?P<pre>" + _PRE_Q + r")?(?P<q1>" + _QTY + r")(?:(?:" + _RANGE + r")(?P<q2>" + _QTY + r"))?"
        r"(?P<unit>" + _MEASURE + r")(?!百分点|月|季度|小时|工作日|星期|百分比|多月|多小时|示|述|谓|以)"
        r"(?P<post>" + _POST_Q + r")?"
    )
    return money, nocur, nocur_after, count


def _clean(d: Decimal) -> Decimal:
    return Decimal(int(d)) if d == d.to_integral_value() else d.normalize()


def _qty(s: str | None):
    """(low, high or None, vague) of one written quantity, or None when it is no well-formed number."""
    if not s:
        return None
    pair = None if s[0].isdigit() else parse_pair(s)
    if pair is not None:
        return _clean(pair[0]), _clean(pair[1]), True
    r = parse_number(s)
    return None if r is None else (_clean(r[0]), None, r[1])


def _qualifier(m: re.Match, vague: bool, default: str = "gt") -> str | None:
    pre = m.group("pre")
    post = m.groupdict().get("post")
    if pre:
        return _QUAL.get(pre)
    if post:
        return _QUAL.get(post)
    return default if vague else None


_BIG_TAIL = re.compile(r"[万亿兆]+$")


def _range(m: re.Match, q1: tuple):
    """(low, high) of the amount; None when a written range is not increasing."""
    val, high, _ = q1
    if m.groupdict().get("q2") is None:
        return val, high
    q2 = _qty(m.group("q2"))
    if q2 is None or high is not None:
        return None
    high = q2[1] if q2[1] is not None else q2[0]
    # 5至8万元, 五到六万港元, 三十到五十万: the big unit of the upper bound applies to a lower bound without one
    raw1 = m.group("q1")
    tail = _BIG_TAIL.search(m.group("q2"))
    if tail and not re.search(r"[万亿兆]", raw1):
        scaled = _qty(raw1 + tail.group())
        if scaled is not None and scaled[0] <= high:
            val = scaled[0]
    return (val, high) if high >= val else None


def _coins(m: re.Match, val: Decimal) -> Decimal:
    for g, unit in (("jiao", Decimal("0.1")), ("fen", Decimal("0.01"))):
        ch = m.group(g)
        if ch:
            val += (Decimal(ch) if ch.isdigit() else parse_number(ch)[0]) * unit
    return _clean(val)


def find_money(norm: str) -> list[MoneyHit]:
    """Money mentions in text order."""
    money_re, nocur_re, after_re, _ = _patterns()
    curmap, scales = _ref.currencies(), _ref.currency_scales()
    out = []
    for m in _scan(money_re, norm, (h.start() for h in _anchor_re().finditer(norm)), 64, 20):
        raw = m.group("q1")
        pre = m.group("pre")
        if raw[0] in "百千万亿兆拾佰仟" and not (pre or m.group("post")):
            continue  # 百元之恋, 万元户: a unit word, not an amount (逾百亿元, 千元左右 are amounts)
        s = m.start("q1")
        if _inside_number(norm, s):
            continue
        q1 = _qty(raw)
        if q1 is None or q1[0] == 0:
            continue
        cur = m.group("cur")
        rng = _range(m, q1)
        if rng is None:
            continue
        lo, hi = rng
        if (not raw[0].isdigit() and lo < 10 and cur == "元" and hi is None
                and not (m.group("qian") or m.group("jiao") or m.group("fen"))):
            continue  # 二元经济, 一元二次方程 (一元钱, 五元三毛 are money)
        if m.group("jiao") or m.group("fen"):
            lo = _coins(m, lo)
        neg = not (pre or m.group("pcur")) and _negative(norm, s)
        if neg and hi is not None:
            continue  # -1至-2亿元: not read
        scale = scales.get(cur)
        if scale is not None:
            lo, hi = _clean(lo * scale), (_clean(hi * scale) if hi is not None else None)
        start = m.start("pcur") if m.group("pcur") else s
        if pre and pre != "约合":
            start = m.start()
        if neg:
            lo, start = -lo, s - 1
        end = m.end()
        if m.group("suf"):
            cur = m.group("suf")
        elif cur == "元" and m.group("pcur"):
            cur = m.group("pcur")
        qual = _qualifier(m, q1[2], "approx" if q1[1] is not None else "gt")
        out.append(MoneyHit(start, end, lo, hi, curmap.get(cur, "CNY"), qual))
    out += _symbol_money(norm, [(a, b) for a, b, *_ in out])
    taken = [(a, b) for a, b, *_ in out]  # a money noun's amount after these (融资US$9.9亿) is theirs
    scales = sorted(_finds(norm, "万") + _finds(norm, "亿") + _finds(norm, "兆"))
    for m in _chain(_scan(nocur_re, norm, scales, 40, 16), _scan(after_re, norm, scales, 30, 16)):
        s0 = m.start("pre") if m.group("pre") else m.start("q1")
        e0 = m.end("q2") if m.groupdict().get("q2") else m.end("q1")
        if _inside_number(norm, s0):
            continue
        if any(a < e0 and s0 < b for a, b in taken):
            continue
        taken.append((s0, e0))
        q1 = _qty(m.group("q1"))
        if q1 is None or q1[0] == 0:
            continue
        rng = _range(m, q1)
        if rng is None:
            continue
        qual = _qualifier(m, q1[2], "approx" if q1[1] is not None else "gt")
        if _negative(norm, s0):
            if rng[1] is not None:
                continue
            out.append(MoneyHit(s0 - 1, e0, -rng[0], None, "CNY", qual))
            continue
        out.append(MoneyHit(s0, e0, rng[0], rng[1], "CNY", qual))
    out.sort(key=lambda t: t.start)
    return _merge_subunits(norm, out)


def _symbol_money(norm: str, taken: list[tuple[int, int]]) -> list[MoneyHit]:
    """Amounts after a currency sign (¥1,299, US$9.9亿) that no currency word already took (￥5999元)."""
    syms = _ref.currency_symbols()
    rx, last_chars = _symbol_re()
    anchors = sorted(i for ch in last_chars for i in _finds(norm, ch))
    out = []
    for m in _scan(rx, norm, anchors, 3, 32):
        s0, e0 = m.start(), m.end()
        if any(a < e0 and s0 < b for a, b in taken):
            continue
        r = parse_number(m.group("q1") + m.group("big"))
        if r is None or r[0] == 0:
            continue
        out.append(MoneyHit(s0, e0, _clean(r[0]), None, syms[m.group("sym")], _around(norm, s0, e0)))
    return out


def _merge_subunits(norm: str, out: list) -> list:
    """两美元又三美分, 10日元5日本銭: a subunit amount right after its main unit adds to it."""
    if len(out) < 2:
        return out
    scales = _ref.currency_scales()
    merged = [out[0]]
    for row in out[1:]:
        prev = merged[-1]
        gap = norm[prev.end:row.start]
        cur_word = norm[row.start:row.end]
        if (gap in ("", "又", "零") and row.currency == prev.currency and prev.value_high is None
                and row.value_high is None and any(cur_word.endswith(w) for w in scales) and row.value < 1):
            merged[-1] = prev._replace(end=row.end, value=_clean(prev.value + row.value))
        else:
            merged.append(row)
    return merged


def find_counts(norm: str, taken: list[tuple[int, int]]) -> list[CountHit]:
    """Counts (3500多家, 25名); skips spans already taken by money/dates."""
    count_re = _patterns()[3]
    taken = sorted(taken)
    taken_starts = [a for a, _ in taken]
    taken_ends_max = []
    mx = -1
    for _, b in taken:
        mx = max(mx, b)
        taken_ends_max.append(mx)
    out = []
    ends = [h.start() for h in _COUNT_END_RE.finditer(norm)]
    for m in _scan(count_re, norm, ends, 48, 12):
        s = m.start("q1")
        if _inside_number(norm, s, "第每"):
            continue
        k = bisect.bisect_left(taken_starts, m.end()) - 1
        if k >= 0 and taken_ends_max[k] > s:
            continue
        raw = m.group("q1")
        q1 = _qty(raw)
        if q1 is None:
            continue
        if not raw[0].isdigit() and (q1[0] < 10 or raw[0] in "几数"):
            continue  # 一个/两家/几名/两三家: articles, not figures
        rng = _range(m, q1)
        if rng is None:
            continue
        start = m.start() if m.group("pre") else s
        qual = _qualifier(m, q1[2], "approx" if q1[1] is not None else "gt")
        out.append(CountHit(start, m.end(), rng[0], rng[1], m.group("unit"), qual))
    return out


def _in_url(norm: str, s: int, e: int) -> bool:
    """Is norm[s:e] inside a URL or a query string (?q=30%25&r=20%)?"""
    a = s
    while a > 0 and "!" <= norm[a - 1] <= "~":
        a -= 1
    b = e
    while b < len(norm) and "!" <= norm[b] <= "~":
        b += 1
    return bool(_URLISH.search(norm, a, b))


def _cn_fraction(raw: str) -> tuple[Decimal, int] | None:
    """百分之 numerator in Chinese (五, 一百二十点五, 七十 of 七十百分位): (value, characters used)."""
    for n in range(len(raw), 0, -1):  # the longest well-formed prefix (spaces inside are read through)
        s = raw[:n].rstrip("点 \t")
        r = parse_number(s) if s else None  # parse_number reads 点 and skips the spaces
        if r is None or r[1]:
            continue
        return r[0], len(s)
    return None


def find_percents(norm: str) -> list[PercentHit]:
    """Percentages: 56%, -3.9%, 百分之五, 百分之2.4, 千分之五 (= 0.5), 万分之三 (= 0.03).

    成/折 and 个百分点 are not percentages (the gold conventions)."""
    out = []
    anchors = _finds(norm, "%") + _finds(norm, "‰") + _finds(norm, "分")  # every percentage holds one
    if not anchors:
        return out
    anchors.sort()
    for m in _scan(PERCENT_RE, norm, anchors, 16, 40):
        s, e = m.start(), m.end()
        if m.group("n") is not None:
            if _in_url(norm, s, e):
                continue
            v = Decimal(m.group("n").replace(",", ""))
            if m.group("sign"):
                v = -v
            if m.group("mark") == "‰":
                v = v / 10  # per mille, as a percentage: 7.52‰ -> 0.752
        else:
            raw = m.group("pn")
            if raw[0].isdigit():
                v = Decimal(raw.replace(",", "").replace("，", ""))
            else:
                if parse_pair(raw.rstrip("点 \t")) is not None:
                    continue  # 百分之二三十: a vague range, not one value
                r = _cn_fraction(raw)
                if r is None:
                    continue
                v, used = r
                e = m.start("pn") + used
            den = _DEN[m.group("den").replace("佰", "百").replace("仟", "千")]
            v = v * 100 / den
            if norm[e:e + 1] in _VAGUE_TAIL:  # 百分之十几, 百分之二十多: more than the figure written
                out.append(PercentHit(s, e + 1, _clean(v), "gt"))
                continue
        out.append(PercentHit(s, e, _clean(v), _around(norm, s, e)))
    return out


_VAGUE_TAIL = frozenset("几多余")
_PRE_TAIL = re.compile(r"(?:" + _PRE_Q + r")$")
_POST_HEAD = re.compile(_POST_Q)


def _around(norm: str, s: int, e: int) -> str | None:
    """gt / lt / approx from the words right before or after a mention (超过30%, 5%左右)."""
    m = _PRE_TAIL.search(norm, max(0, s - 3), s)
    if m:
        return _QUAL.get(m.group())
    m = _POST_HEAD.match(norm, e)
    return _QUAL.get(m.group()) if m else None


# A line break inside a number: after a digit or a decimal point, before a digit; or between a numeral
# and its scale or currency (三千\n万元). Paragraphs do not end inside a number, so it is read through.
_BREAK = re.compile(
    r"(?<=[\d.])[ \t\u3000]*\n[ \t\u3000]*(?=\d)"
    r"|(?<=[\d" + _D + r"十百千万亿])[ \t\u3000]*\n[ \t\u3000]*(?=[十百千万亿兆元%])"
)

# what can stand right before such a break (with \\d, i.e. str.isdecimal): the lookbehinds of _BREAK
_BREAK_AFTER = frozenset("." + _D + "十百千万亿")


def _view(norm: str) -> tuple[str, list[int] | None]:
    """norm with line breaks inside numbers removed, and the map back to norm's offsets (None: unchanged)."""
    cuts = []
    i = norm.find("\n")
    while i >= 0:  # few newlines per text: test each one's neighbourhood, not every character
        # a break in a number follows a digit, a point or a numeral (spaces between): most do not
        j = i
        while j > 0 and norm[j - 1] in " \t\u3000":
            j -= 1
        if j == 0 or not (norm[j - 1] in _BREAK_AFTER or norm[j - 1].isdecimal()):
            i = norm.find("\n", i + 1)
            continue
        m = _BREAK.search(norm, max(0, i - 4), i + 5)
        if m is not None and m.start() <= i < m.end():
            cuts.append((m.start(), m.end()))
        i = norm.find("\n", i + 1)
    if not cuts:
        return norm, None
    keep: list[int] = []
    pieces = []
    pos = 0
    for a, b in cuts:
        keep.extend(range(pos, a))
        pieces.append(norm[pos:a])
        pos = b
    keep.extend(range(pos, len(norm)))
    pieces.append(norm[pos:])
    keep.append(len(norm))
    return "".join(pieces), keep


def find_amounts(norm: str, date_spans: list[tuple[int, int]]):
    """(money, counts, percents) as find_money / find_counts / find_percents give them, in norm's offsets."""
    view, back = _view(norm)
    if back is None:
        money = find_money(norm)
        counts = find_counts(norm, [(m.start, m.end) for m in money] + date_spans)
        return money, counts, find_percents(norm)
    def fwd(a):  # norm offset -> view offset (None inside a removed break)
        k = bisect.bisect_left(back, a)
        return k if k < len(back) and back[k] == a else None

    dspans = [(x, y) for x, y in ((fwd(a), fwd(b)) for a, b in date_spans) if x is not None and y is not None]

    def out(rows):  # end offsets map through the last character, so a break stays inside the span
        return [r._replace(start=back[r.start], end=back[r.end - 1] + 1) for r in rows]

    money = find_money(view)
    counts = find_counts(view, [(m.start, m.end) for m in money] + dspans)
    return out(money), out(counts), out(find_percents(view))
