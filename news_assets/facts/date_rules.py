"""The table of date forms: one entry per written form, a pattern and a small resolver, tried in order.

Each rule's pattern uses its own group names (the table prefixes them when it joins all patterns into
one alternation, so two rules may both say `d`). A resolver gets the rule's groups and the context
(publish date, reference day, the last year and day mentioned) and returns (start, end, granularity) or
None to drop the match. Earlier entries win at the same position, so longer forms come first.
Vocabularies live beside the code in news_assets/data/reference (festivals.tsv, eras.tsv, lunar.tsv).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from ._ref import REF_DIR, lunar_to_solar, lunar_years
from .numbers import parse_number

Span = tuple[date, date, str]

# ---------------------------------------------------------------- shared pieces of patterns
CN = "一二三四五六七八九"
MON_AR = r"(?:1[0-2]|0?[1-9])"
MON = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
DAY = (r"(?:3[01]|[12]\d|0?[1-9]|三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九])")
N = r"(?:\d{1,3}|[一二两三四五六七八九十]{1,3})"
SP = r"[ \u3000]?"  # one optional space: 2008 年, 2018年 12月
DASH = r"(?:-|~|—|–)"
SEP = r"(?:-|~|至|到|—|–)"
LMON = r"(?:十一|十二|正|一|二|三|四|五|六|七|八|九|十|冬|腊)"
LDAY = r"(?:初[一二三四五六七八九十]|廿[一二三四五六七八九]|三十|二十[一二三四五六七八九]?|十[一二三四五六七八九]|十)"
LUNAR = (r"农历闰?" + LMON + "月" + LDAY + r"|(?:正|冬|腊)月(?:" + LDAY + r"|[12]?\d(?![\d日号])|30)"
         + r"|" + LMON + r"月(?:初[一二三四五六七八九十]|廿[一二三四五六七八九])|大年初[一二三四五六七八九十]")
LUNAR_MONTH = r"农历闰?" + LMON + "月|闰" + LMON + "月|(?:正|冬|腊)月"
# months and their parts: 5月25日, 五月二十五, 5月18-20日, 5月上旬, 6月底, 10月的第一周
_DAY_END = r"(?:[日号]|(?![\d万亿千百元个家人名多余%.年月天周期]))"
IN_MONTH = (
    r"(?:(?P<d>" + DAY + r")" + SP + r"(?:" + DASH + r"(?P<dh>" + DAY + r"))?" + _DAY_END
    + r"|(?P<mpart>上旬|中旬|下旬|初|底|末|中(?=[,，。、；;至到\-以前后]|$))"
    + r"|(?P<mhalf>[上下])半月"
    + r"|的?第(?P<mweek>" + N + r")(?:周|个星期|个礼拜)"
    + r"|的?最后一个(?:星期|周|礼拜)(?P<mlastwd>[一二三四五六日天])"
    + r")"
)
# parts of a year after a year or alone: 一季度, 上半年, 前4个月, 年底, 春节, 夏天, 第N周
_NOT_SEASON = r"(?![节风雨光色装运耕播种收景奥达令营毕学班赛档招款])"  # 春节, 秋风, 夏季达沃斯, 冬奥
_CUSTOM = r"(?!节?(?:要?[吃喝包赏挂贴]|的?(?:习俗|风俗|由来|来历|传说|起源)))"
_IN_YEAR_PARTS = [  # (group, pattern, may stand alone)
    ("mf", r"(?P<mf>" + MON_AR + r")" + SEP + r"(?P<mt>" + MON_AR + r")月(?!\d)", True),
    ("lunar", r"(?P<lunar>" + LUNAR + r")", True),  # before months: 十月初一 is lunar, 十月初 solar
    ("m", r"(?P<m>" + MON + r")" + SP + r"月份?" + SP + IN_MONTH + r"?", True),
    ("q", r"第?(?P<q>[一二三四1-4])(?:季度|(?<=第[一二三四1-4])季(?!度))", True),
    ("first", r"首(?P<first>季度?|月(?!份?的?第))", False),  # 今年首季, 2024年首月 (首月 alone: of anything)
    ("pq", r"前(?P<pq>[一二三1-3])(?:个季度|季度?)", True),
    ("h", r"(?P<h>[上下前后])半年", True),
    ("pn", r"(?<![目提之以日])前(?P<pn>" + N + r")个月", True),
    ("nm", r"第(?P<nm>" + N + r")个月", False),
    ("lm", r"最后" + SP + r"(?P<lm>" + N + r")" + SP + r"个月", False),
    ("nw", r"第(?P<nw>" + N + r")(?:周|个星期)", False),
    ("pw", r"前(?P<pw>" + N + r")(?:周|个星期)", False),
    ("lw", r"最后" + SP + r"(?P<lw>" + N + r")" + SP + r"(?:周|个星期)", False),
    ("pd", r"前(?P<pd>" + N + r")天", False),
    ("season2", r"(?<![春夏秋冬])(?P<season2>春夏|夏秋|秋冬|冬春)(?:季节|季|两季)?(?![装款春夏秋冬])", True),  # 秋冬: Sep-Feb
    ("season", r"(?P<season>[春夏秋冬])(?:季|天)" + _NOT_SEASON, True),
    ("season1", r"(?P<season1>[春夏秋冬])(?![季天晚])" + _NOT_SEASON, False),  # 2015年春
    ("summer", r"(?P<summer>暑假|暑期)", False),
    # 第35个教师节; a festival as the topic of a custom (腊八节要吃腊八粥, 端午节的由来) places nothing in time
    ("fest", r"(?:第(?:\d{1,3}|[一二三四五六七八九十百]{1,4})个)?(?P<fest>@FEST@)(?![粥蒜饭面])" + _CUSTOM, True),
    ("lmonth", r"(?P<lmonth>" + LUNAR_MONTH + r")", True),
    ("part", r"(?P<part>年?初|年?中期(?![报业财票借贷策])|年中|年?末|年?底|年?内|岁末|年终"
     r"|中(?=[,，。、；;至到\-以前后]|$))", False),
]
# parts of a year after a year: 一季度, 上半年, 前4个月, 年底, 春节, 夏天, 第N周; alone, fewer of them
IN_YEAR = "(?:" + "|".join(p for _, p, _ in _IN_YEAR_PARTS) + ")"
IN_YEAR_ALONE = "(?:" + "|".join(p for _, p, alone in _IN_YEAR_PARTS if alone) + ")"
REL_YEAR = (r"(?:今年|去年|大前年|前年|明年|大后年|(?<![然之以最大])后年|本年度|本年|上年度|上一年|上年|这一年|当年|这年|那一年|那年"
            r"|该年|同年|次年|翌年|新一年)(?![龄级纪轻])")
CENT = r"(?:上个?世纪|本世纪|(?:\d{2}|二十一|二十|十九|十八|十七)世纪)"


# ---------------------------------------------------------------- small date helpers
def num(s: str | None) -> int | None:
    if not s:
        return None
    if s.isdigit():
        return int(s)
    r = parse_number(s, positional=True)
    return int(r[0]) if r else None


def month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def safe(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def add_months(y: int, m: int, k: int) -> tuple[int, int]:
    i = y * 12 + (m - 1) + k
    return i // 12, i % 12 + 1


def month_span(y: int, m: int) -> Span:
    return date(y, m, 1), month_end(y, m), "month"


def year_span(y: int) -> Span:
    return date(y, 1, 1), date(y, 12, 31), "year"


def day_span(d: date | None) -> Span | None:
    return (d, d, "day") if d else None


def day_range(d: date | None, d2: date | None) -> Span | None:
    """d .. d2 as one range; None unless both are days and d2 comes after d (a backwards range is no date)."""
    return (d, d2, "range") if d and d2 and d2 > d else None


def monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def guess_year(m: int, ref: date) -> int:
    """A month named without a year: this year's, unless it lies more than half a year ahead."""
    return ref.year - 1 if m - ref.month > 6 else ref.year


# ---------------------------------------------------------------- the context a resolver sees
_PARA_BREAK = re.compile(r"\n[\s\u3000]*")

class Ctx:
    __slots__ = ("pub", "ref", "norm", "pos", "last_year", "last_year_end", "last_day", "last_end", "week",
                 "week_end", "event_day", "anchor_day", "last_day_end")

    def __init__(self, norm: str, pub: date, ref: date):
        self.pub, self.ref, self.norm, self.pos = pub, ref, norm, 0
        self.last_year: int | None = None
        self.last_year_end = 0
        self.last_day: date | None = None
        self.last_end = -1  # where the last mention ended
        self.week: date | None = None  # Monday of the week last named (下星期…星期一)
        self.week_end = 0
        self.event_day: date | None = None  # the day 事发当天 was said to be (事发当天（9月28日）)
        self.anchor_day: date | None = None  # the day 第二天/第三天 count from (not moved by them)
        self.last_day_end = 0  # where the last day was named

    def saw_year(self, year: int) -> None:
        self.last_year, self.last_year_end = year, self.pos

    def _near(self, end: int, stops: int = 1) -> bool:
        between = self.norm[end:self.pos]
        return sum(map(between.count, "。！？!?\n")) <= stops

    def paragraphs_since(self, end: int) -> int:
        """Paragraph breaks between end and here (blank lines count once)."""
        return len(_PARA_BREAK.findall(self.norm, end, self.pos))

    def context_year(self) -> int | None:
        """The year written in this or the previous sentence (2023年…。分季度看,一季度…)."""
        return self.last_year if self.last_year is not None and self._near(self.last_year_end) else None

    def week_monday(self) -> date:
        """A weekday alone falls in the week just named, else in the reference day's week."""
        return self.week if self.week is not None and self._near(self.week_end) else monday(self.ref)


class G:
    """A rule's own groups of a match: g['d'] is the rule's group d (None when the rule has no such group)."""

    __slots__ = ("m", "idx", "forms", "_form")

    def __init__(self, m: re.Match, idx: dict[str, int], forms: tuple[tuple[str, int], ...]):
        self.m, self.idx = m, idx  # idx: the rule's group names -> their numbers in the joined pattern
        self.forms = forms  # form_groups(idx): the IN_YEAR_FORMS keys this rule has
        self._form = self  # not yet looked up (None is an answer)

    def __getitem__(self, k: str) -> str | None:
        i = self.idx.get(k)
        return None if i is None else self.m.group(i)

    def year_form(self) -> str | None:
        """The first IN_YEAR_FORMS key whose group took part in the match, or None; looked up once per
        match (a resolver may ask for several candidate years)."""
        if self._form is self:
            m = self.m  # a key the rule lacks is None: only the rule's own keys are tested
            self._form = next((k for k, i in self.forms if m.group(i) is not None), None)
        return self._form

    @property
    def start(self) -> int:
        return self.m.start()

    @property
    def end(self) -> int:
        return self.m.end()

    @property
    def text(self) -> str:
        return self.m.group()


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: str
    resolve: Callable[[G, Ctx], Span | None]


RULES: list[Rule] = []


def rule(pattern: str):
    """Register the decorated resolver with its pattern, after the rules registered before it."""
    def deco(fn):
        RULES.append(Rule(fn.__name__.lstrip("_"), pattern, fn))
        return fn
    return deco


# ---------------------------------------------------------------- vocabularies (data files)
@lru_cache(maxsize=1)
def festivals() -> dict[str, str]:
    """surface -> rule (solar:M-D | lunar:M-D | eve | nth:M:weekday:n | qingming), from festivals.tsv."""
    out = {}
    for line in (REF_DIR / "festivals.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        name, aliases, how = line.split("\t")
        for s in [name] + [a for a in aliases.split("|") if a and a != "-"]:
            out[s] = how
    return out


@lru_cache(maxsize=1)
def eras() -> dict[str, int]:
    rows = (REF_DIR / "eras.tsv").read_text(encoding="utf-8").splitlines()[1:]
    return {n: int(y) for n, y in (r.split("\t") for r in rows if r)}


def fest_pattern() -> str:
    return "|".join(re.escape(s) for s in sorted(festivals(), key=len, reverse=True))


def era_pattern() -> str:
    return "|".join(sorted(eras(), key=len, reverse=True))


def lunar_in(solar_year: int, month: int, day: int, leap: bool = False) -> date | None:
    for lunar_year in (solar_year - 1, solar_year):  # 腊月 of lunar 2020 falls in January 2021
        d = lunar_to_solar(lunar_year, month, day, leap)
        if d is not None and d.year == solar_year:
            return d
    return None


def festival_day(name: str, y: int) -> date | None:
    """The day of a festival in solar year y."""
    how = festivals()[name]
    kind, _, arg = how.partition(":")
    if kind == "solar":
        mo, d = map(int, arg.split("-"))
        return safe(y, mo, d)
    if kind == "lunar":
        mo, d = map(int, arg.split("-"))
        return lunar_in(y, mo, d)
    if kind == "eve":  # the day before 春节, always in the same solar year (春节 falls 21 Jan - 20 Feb)
        ny = lunar_in(y, 1, 1)
        return ny - timedelta(days=1) if ny else None
    if kind == "nth":  # 母亲节: the 2nd Sunday of May
        mo, wd, n = map(int, arg.split(":"))
        first = date(y, mo, 1)
        return first + timedelta(days=(wd - first.weekday()) % 7 + 7 * (n - 1))
    # 清明: the solar term, 4 or 5 April (the usual formula; 20th century constant 5.59)
    c = 4.81 if y >= 2000 else 5.59
    yy = y % 100
    return date(y, 4, int(yy * 0.2422 + c) - yy // 4)


_LMON_NUM = {"正": 1, "冬": 11, "腊": 12}


def _lunar_parts(text: str) -> tuple[int | None, int | None, bool]:
    body = text.removeprefix("农历").removeprefix("大年")
    leap = body.startswith("闰")
    if text.startswith("大年"):
        return 1, num(body.removeprefix("初")), False
    mon, _, dd = body.removeprefix("闰").partition("月")
    month = _LMON_NUM.get(mon) or num(mon)
    day = num(dd.replace("初", "").replace("廿", "二十")) if dd else None
    return month, day, leap


def lunar_day(text: str, y: int) -> date | None:
    month, day, leap = _lunar_parts(text)
    return lunar_in(y, month, day, leap) if month and day else None


def lunar_month(text: str, y: int) -> Span | None:
    """农历八月 / 闰六月 / 腊月: that lunar month, the one that begins in solar year y."""
    month, _, leap = _lunar_parts(text)
    if not month:
        return None
    for ly in (y - 1, y):
        start = lunar_to_solar(ly, month, 1, leap)
        if start is not None and start.year == y:
            days = next(n for m, lp, n in lunar_years()[ly][1] if m == month and lp == leap)
            return start, start + timedelta(days=days - 1), "month"
    return None


def nearest(days: list[date], ref: date) -> date | None:
    return min(days, key=lambda d: abs((d - ref).days)) if days else None


def near_year(fn: Callable[[int], date | None], st: Ctx) -> date | None:
    """A festival or lunar day with no year: in the context year, else its occurrence nearest the reference."""
    y = st.context_year()
    if y is not None:
        return fn(y)
    ref = st.ref
    return nearest([d for y in (ref.year - 1, ref.year, ref.year + 1) if (d := fn(y))], ref)


# ---------------------------------------------------------------- parts of a year and of a month
def _q(g, y, st):
    qi = num(g["q"])
    return date(y, 3 * qi - 2, 1), month_end(y, 3 * qi), "quarter"


def _first_part(g, y, st):  # 首季 = the first quarter, 首月 = January
    return (date(y, 1, 1), month_end(y, 3), "quarter") if g["first"].startswith("季") else month_span(y, 1)


def _half(g, y, st):
    first = g["h"] in "上前"
    return (date(y, 1, 1), date(y, 6, 30), "half") if first else (date(y, 7, 1), date(y, 12, 31), "half")


def _first_months(n, y):
    return (date(y, 1, 1), month_end(y, n), "range") if n and 1 <= n <= 12 else None


def _nth_month(g, y, st):
    n = num(g["nm"])
    return month_span(y, n) if n and 1 <= n <= 12 else None


def _last_months(g, y, st):
    n = num(g["lm"])
    return (date(y, 13 - n, 1), date(y, 12, 31), "range") if n and 1 <= n <= 12 else None


def _first_monday(y: int, m: int = 1) -> date:
    d = date(y, m, 1)
    return d + timedelta(days=(7 - d.weekday()) % 7)


def _nth_week(g, y, st):  # 第N周: the N-th week (Monday to Sunday) whose Monday falls in the year
    n = num(g["nw"])
    if not n or not 1 <= n <= 53:
        return None
    d = _first_monday(y) + timedelta(weeks=n - 1)
    return d, d + timedelta(days=6), "range"


def _first_weeks(g, y, st):
    n = num(g["pw"])
    if not n or not 1 <= n <= 53:
        return None
    d = _first_monday(y)
    return d, d + timedelta(weeks=n, days=-1), "range"


def _last_weeks(g, y, st):  # the last N whole weeks of the year
    n = num(g["lw"])
    if not n or not 1 <= n <= 53:
        return None
    end = date(y, 12, 31)
    end -= timedelta(days=(end.weekday() + 1) % 7)  # the last Sunday
    return end - timedelta(weeks=n, days=-1), end, "range"


def _first_days(g, y, st):
    n = num(g["pd"])
    return (date(y, 1, 1), date(y, 1, 1) + timedelta(days=n - 1), "range") if n and 1 <= n <= 366 else None


_SEASONS = {"春": (3, 5), "夏": (6, 8), "秋": (9, 11)}


def _season(g, y, st):
    s = g["season"]
    if s == "冬":  # 1 Dec - end of Feb
        return date(y, 12, 1), month_end(y + 1, 2), "range"
    a, b = _SEASONS[s]
    return date(y, a, 1), month_end(y, b), "range"


def _season_pair(pair: str, y: int) -> Span:
    a = _season({"season": pair[0]}, y, None)
    b = _season({"season": pair[1]}, y if pair != "冬春" else y + 1, None)
    return a[0], b[1], "range"


def _year_part(g, y, st):
    p = g["part"].removeprefix("年")
    if p in ("初",):
        return date(y, 1, 1), month_end(y, 2), "range"
    if p in ("中", "中期"):
        return date(y, 6, 1), date(y, 7, 31), "range"
    if p in ("末", "底", "岁末", "年终", "终"):
        return date(y, 11, 1), date(y, 12, 31), "range"
    return year_span(y)  # 年内


def _month_range(g, y, st):
    a, b = int(g["mf"]), int(g["mt"])
    return (date(y, a, 1), month_end(y, b), "range") if 1 <= a < b <= 12 else None


def _in_month(g, y: int, mo: int, st: Ctx) -> Span | None:
    """5月25日 / 5月18-20日 / 5月上旬 / 6月底 / 上半月 / 10月的第一周 / 4月的最后一个星期一, in year y."""
    if g["d"]:
        d = safe(y, mo, num(g["d"]) or 0)
        if d and g["dh"]:
            return day_range(d, safe(y, mo, num(g["dh"]) or 0))
        return day_span(d)
    if g["mpart"]:
        a = {"上": 1, "初": 1, "中": 11, "下": 21, "底": 21, "末": 21}[g["mpart"][0]]
        end = month_end(y, mo) if a == 21 else date(y, mo, a + 9)
        return date(y, mo, a), end, "range"
    if g["mhalf"]:
        return (date(y, mo, 1), date(y, mo, 15), "range") if g["mhalf"] == "上" else (
            date(y, mo, 16), month_end(y, mo), "range")
    if g["mweek"]:
        n = num(g["mweek"])
        d = _first_monday(y, mo) + timedelta(weeks=(n or 1) - 1)
        return (d, d + timedelta(days=6), "range") if n and d.month == mo else None
    if g["mlastwd"]:
        end = month_end(y, mo)
        d = end - timedelta(days=(end.weekday() - _WEEKDAY[g["mlastwd"]]) % 7)
        return d, d, "day"
    return month_span(y, mo)


def _month(g, y, st):
    mo = num(g["m"])
    return _in_month(g, y, mo, st) if mo and 1 <= mo <= 12 else None


def _fest(g, y, st):
    return day_span(festival_day(g["fest"], y))


def _lunar(g, y, st):
    return day_span(lunar_day(g["lunar"], y))


def _lmonth(g, y, st):
    return lunar_month(g["lmonth"], y)


def _summer(g, y, st):
    return date(y, 7, 1), date(y, 8, 31), "range"


# which group of IN_YEAR matched -> its resolver; ALONE: may stand without a year
IN_YEAR_FORMS: list[tuple[str, Callable, bool]] = [
    ("mf", _month_range, True), ("m", _month, True), ("q", _q, True), ("first", _first_part, False),
    ("pq", lambda g, y, st: _first_months(3 * (num(g["pq"]) or 0), y), True),
    ("h", _half, True), ("pn", lambda g, y, st: _first_months(num(g["pn"]), y), True),
    ("nm", _nth_month, False), ("lm", _last_months, False), ("nw", _nth_week, False),
    ("pw", _first_weeks, False), ("lw", _last_weeks, False), ("pd", _first_days, False),
    ("season2", lambda g, y, st: _season_pair(g["season2"], y), True),
    ("season", _season, True), ("season1", lambda g, y, st: _season({"season": g["season1"]}, y, st), False),
    ("summer", _summer, False), ("fest", _fest, True), ("lunar", _lunar, True),
    ("lmonth", _lmonth, True), ("part", _year_part, True),
]

_FORM_FN = {key: (fn, may_be_alone) for key, fn, may_be_alone in IN_YEAR_FORMS}


def form_groups(idx: dict[str, int]) -> tuple[tuple[str, int], ...]:
    """The IN_YEAR_FORMS keys among a rule's groups, in table order, with their group numbers (G.forms)."""
    return tuple((k, idx[k]) for k, _, _ in IN_YEAR_FORMS if k in idx)


def in_year(g: G, y: int, st: Ctx, alone: bool = False) -> Span | None | bool:
    """The part of year y the IN_YEAR groups name; False when none matched."""
    key = g.year_form()
    if key is None:
        return False
    fn, may_be_alone = _FORM_FN[key]
    return fn(g, y, st) if may_be_alone or not alone else None


# ---------------------------------------------------------------- years
_CN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "0": 0}


def _cn_digits(s: str) -> int | None:
    if all(c in _CN_DIGIT for c in s):
        return int("".join(str(_CN_DIGIT[c]) for c in s))
    return num(s)  # 两千零四


def two_digit_year(yy: int, pub: date) -> int:
    """19年 -> 2019 unless that is after the publish year, else 1919 (SPEC Conventions)."""
    return 2000 + yy if 2000 + yy <= pub.year else 1900 + yy


_YY_BEFORE = set("了近过这那数几每第满达超约多用花经长有立放成周历隔")
_YY_AFTER = re.compile(r"[来多余间内半]|左右|以上|以下|之久|的时间|后|前(?!后)")


# years counted from the reference day's
_REL_YEAR_OFFSET = {"今年": 0, "本年": 0, "本年度": 0, "新一年": 0, "去年": -1, "前年": -2, "大前年": -3,
                    "明年": 1, "后年": 2, "大后年": 3}


def _rel_year(w: str, st: Ctx) -> int | None:
    y = st.ref.year
    if w in _REL_YEAR_OFFSET:
        return y + _REL_YEAR_OFFSET[w]
    if w in ("上年", "上年度", "上一年"):
        return (st.context_year() or y) - 1  # the year before the one being discussed
    if w in ("次年", "翌年"):
        return (st.last_year or y) + 1
    return st.context_year()  # 当年 这年 那年 该年 同年: only right after a year is named


def year_head(g: G, st: Ctx, has_suffix: bool) -> int | None:
    """The year a year head names: 2024年, 二〇一九年, 19年, 零八年, 民国三年, 去年."""
    if g["ya"]:
        y = int(g["ya"])
        if y < 1500 and not has_suffix and (st.norm[g.start - 1:g.start] in _YY_BEFORE | {"晚", "早"}
                                            or _YY_AFTER.match(st.norm, g.end)):
            return None  # 比杰里科晚1000年, 约1000年前: a span of years, not the year 1000
        return y if 1000 <= y <= 2199 else None
    if g["yc"]:
        y = _cn_digits(g["yc"])
        return y if y and 300 <= y <= 2199 else None
    if g["y2"] or g["yc2"]:
        s = g["y2"] or g["yc2"]
        yy = _cn_digits(s)
        if yy is None:
            return None
        if not has_suffix:
            before = st.norm[g.start - 1] if g.start else ""
            consecutive = g["yc2"] and len({*s} & {*"〇零"}) == 0 and _cn_digits(s[1]) == _cn_digits(s[0]) + 1
            if before in _YY_BEFORE or _YY_AFTER.match(st.norm, g.end) or consecutive:
                return None  # 15年来, 过去20年, 五六年: durations
            if not (s[0] in "0〇零" or yy >= 50):
                return None
        return two_digit_year(yy, st.pub)
    if g["era"]:
        n = 1 if g["eran"] == "元" else num(g["eran"])
        return eras()[g["era"]] + n - 1 if n else None
    return _rel_year(g["yr"], st)


YEAR_HEAD = (
    r"(?:(?<![\d.])(?<!公元前)(?P<ya>\d{4})" + SP + r"年(?!代|级|龄|纪)度?"
    r"|(?P<yc>[〇零○一二三四五六七八九0]{4}|两千(?:零[一二三四五六七八九]|[一二]十[一二三四五六七八九]?)?"
    r"|[〇零○一二三四五六七八九]{3}(?=年[一二三四五六七八九十]))年(?!代)度?"
    r"|(?<![\d.])(?P<y2>\d{2})" + SP + r"年(?!代|级|龄|纪)"
    r"|(?<![一二三四五六七八九十百千万〇零两几数])(?P<yc2>[〇零一二三四五六七八九][〇零一二三四五六七八九])年(?!代|级|龄|纪)"
    r"|(?P<era>@ERA@)(?P<eran>元|[一二三四五六七八九十]{1,3}|\d{1,3})年"
    r"|(?P<yr>" + REL_YEAR + r"))"
)


# ---------------------------------------------------------------- the table, in order
@rule(r"(?<![\d.])(?P<a>\d{4})" + SP + SEP + SP + r"(?P<b>\d{4})" + SP + r"年(?!代)")
def _year_range(g, st):  # 1995 - 1997年, 2011-2023年
    a, b = int(g["a"]), int(g["b"])
    if not 1000 <= a < b <= 2199:
        return None
    st.saw_year(b)
    return date(a, 1, 1), date(b, 12, 31), "range"


_DECADE_PARTS = {"初": (0, 2), "初期": (0, 2), "早期": (0, 3), "前期": (0, 4), "中期": (4, 6), "中叶": (4, 6),
                 "中后期": (4, 9), "后期": (5, 9), "末": (7, 9), "末期": (7, 9)}


def _century_start(c: str, ref: date) -> int | None:
    if c.startswith("上"):
        return (ref.year // 100 - 1) * 100
    if c.startswith("本"):
        return (ref.year // 100) * 100
    n = num(c.removesuffix("世纪"))
    return (n - 1) * 100 if n and 10 <= n <= 22 else None


@rule(r"(?P<cent>" + CENT + r")?(?<![\d一二三四五六七八九十])(?P<dec>\d{3}0|\d0|[一二三四五六七八九]十)" + SP
      + r"年代(?P<dp>中后期|初期|早期|前期|中期|中叶|后期|末期|初|末)?")
def _decade(g, st):  # 80年代初, 1980年代, 上世纪90年代中后期, 十九世纪六十年代
    d = num(g["dec"])
    if d is None:
        return None
    if d >= 1000:
        start = d
    elif g["cent"]:
        c = _century_start(g["cent"], st.ref)
        if c is None:
            return None
        start = c + d
    else:
        start = 1900 + d if d >= 20 else 2000 + d  # 80年代; 10年代 = the 2010s
    a, b = _DECADE_PARTS.get(g["dp"] or "", (0, 9))
    return date(start + a, 1, 1), date(start + b, 12, 31), "range"


# a part of a century is a fifth of it at either end (初/早期/前期 = years 0-19, 末/晚期/后期 = 80-99)
_CENTURY_PARTS = {"初": (0, 19), "初期": (0, 19), "早期": (0, 19), "前期": (0, 19), "末": (80, 99), "末期": (80, 99),
                  "晚期": (80, 99), "后期": (80, 99), "中叶": (40, 59), "中期": (40, 59), "上半叶": (0, 49),
                  "下半叶": (50, 99)}


@rule(r"(?P<cent>" + CENT + r")(?P<cp>上半叶|下半叶|中叶|中期|初期|早期|前期|末期|晚期|后期|初|末)?")
def _century(g, st):  # 上世纪, 20世纪初, 十九世纪末
    c = _century_start(g["cent"], st.ref)
    if c is None:
        return None
    a, b = _CENTURY_PARTS.get(g["cp"] or "", (0, 99))
    return date(c + a, 1, 1), date(c + b, 12, 31), "range"


@rule(r"[“\"「『](?P<kq>十[一二三四五六七八九]?|[六七八九])五[”\"」』](?:时期|期间)"
      r"|(?<![第])(?P<k>十[一二三四五六七八九])五(?=时期|规划|期间|末|”|\"|」|』|的|以来|开局)"
      r"|(?<=[“\"「『])(?P<kb>十|[六七八九])五(?=[”\"」』](?:规划|计划|末|以来))")
def _five_year_plan(g, st):  # 十四五, “十五”时期 -> the 15th plan, 2001-2005 (the 3rd began in 1966)
    start = 1966 + 5 * (num(g["k"] or g["kq"] or g["kb"]) - 3)
    return date(start, 1, 1), date(start + 4, 12, 31), "range"


@rule(r"(?<![\d.\-/])(?P<y>(?:1[5-9]|20)\d{2})(?P<s>[-/.])(?P<m>1[0-2]|0?[1-9])(?P=s)(?P<d>3[01]|[12]\d|0?[1-9])"
      r"(?:(?:-|~|—{1,2}|–|至|到)(?:(?P<y2>(?:1[5-9]|20)\d{2})(?P=s))?(?P<m2>1[0-2]|0?[1-9])(?P=s)"
      r"(?P<d2>3[01]|[12]\d|0?[1-9]))?"
      r"(?!\d|[.\-/]\d{1,2}(?!\d)| \d{1,2}:\d\d)")  # 2022-02-13 20:04 is a page's time stamp
def _iso_day(g, st):  # 2024-05-26, 2024/1/10, 2024.5.26; 2024.5.1-2024.5.31, 2024.6.1-6.15 (one range)
    d = safe(int(g["y"]), int(g["m"]), int(g["d"]))
    if d:
        st.saw_year(d.year)
    if d is None or not g["d2"]:
        return day_span(d)
    return day_range(d, safe(int(g["y2"] or g["y"]), int(g["m2"]), int(g["d2"])))


@rule(r"(?<![\d.])(?P<m>" + MON_AR + r")\.(?P<d>3[01]|[12]\d|0?[1-9])(?:-(?:(?P<m2>" + MON_AR
      + r")\.)?(?P<d2>3[01]|[12]\d|0?[1-9]))?日")
def _dotted_day(g, st):  # 6.12日, 6.13-6.14日, 6.12-14日: days of the publish year
    y = st.context_year() or st.pub.year
    d = safe(y, int(g["m"]), int(g["d"]))
    if d is None or not g["d2"]:
        return day_span(d)
    return day_range(d, safe(y, int(g["m2"] or g["m"]), int(g["d2"])))


def _n_or_pair(s: str) -> tuple[int, int] | None:
    """三 -> (3, 3); 一两 / 两三 -> (1, 2) / (2, 3): a colloquial pair of neighbours."""
    if len(s) == 2 and s[0] in "一两二三四五六七八九" and s[1] in "两二三四五六七八九":
        a, b = num(s[0]), num(s[1])
        if a is not None and b == a + 1 or s == "一两":
            return (1, 2) if s == "一两" else (a, b)
    n = num(s)
    return (n, n) if n is not None else None


@rule(r"(?<![\d.第])(?P<n>[1-9]\d{0,2}|[一二两三四五六七八九十百]{1,4})" + SP
      + r"(?P<u>天|周|个星期|星期|个月|年)(?:以|之)?(?P<dir>前|后)(?![\d一二三四五六七八九十两几])")
def _offset(g, st):  # 三年前, 两天后, 10年后 (from the year just named), 一两年前
    pair = _n_or_pair(g["n"])
    if pair is None or pair[1] > 200:
        return None
    sign = -1 if g["dir"] == "前" else 1
    lo, hi = sorted((sign * pair[0], sign * pair[1]))
    u = g["u"]
    if sign > 0 and (st.context_year() if u == "年" else st.last_day) is None:
        return None  # 30年后 / 一周后 with no stated base: a hypothetical, not a calendar time
    if u == "年":
        base = (st.context_year() if sign > 0 else None) or st.ref.year
        if sign > 0 and base + lo > st.pub.year:
            return None  # 运营13年后 from 2023: a duration after an event, not a year yet to come
        return date(base + lo, 1, 1), date(base + hi, 12, 31), "year" if lo == hi else "range"
    if u == "个月":
        y1, m1 = add_months(st.ref.year, st.ref.month, lo)
        y2, m2 = add_months(st.ref.year, st.ref.month, hi)
        return date(y1, m1, 1), month_end(y2, m2), "month" if lo == hi else "range"
    base = st.last_day if sign > 0 and st.last_day else st.ref
    if u == "天":
        return base + timedelta(days=lo), base + timedelta(days=hi), "day" if lo == hi else "range"
    mon = monday(st.ref)
    return mon + timedelta(weeks=lo), mon + timedelta(weeks=hi, days=6), "range"


_DAYS = {"今天": 0, "今日": 0, "今晨": 0, "今早": 0, "今晚": 0, "昨天": -1, "昨日": -1, "昨晚": -1, "昨夜": -1,
         "昨晨": -1, "前天": -2, "前晚": -2, "前日": -2, "大前天": -3, "明天": 1, "明日": 1, "明晚": 1, "明早": 1,
         "后天": 2, "大后天": 3}


@rule(YEAR_HEAD + SP + r"(?:(?P<same>同期)|的?" + SP + IN_YEAR + r")?")
def _year_then(g, st):  # 2023年, 2023年5月25日, 今年一季度, 19年7月8日, 民国三年, 去年年底, 2024年春节
    if g["same"]:
        return None  # 去年同期: not a calendar time by itself
    has_suffix = g.year_form() is not None
    y = year_head(g, st, has_suffix)
    if y is None:
        return None
    if not g["yr"] or g["m"] is not None:
        st.saw_year(y)  # a written year sets the context for what follows; a relative one with its month too
        # (去年3月…到5月), not alone (比上年增长…一季度 stays in the year written before)
    r = in_year(g, y, st)
    return year_span(y) if r is False else r


# 在医师指导下一个月减8斤: 下 closes a 在…下 frame and 一个月 is a duration, not "next month"
_FRAME_DOWN = r"(?<!指导|帮助|情况|条件|影响|支持|领导|带领|协助|推动|作用|背景|前提|监督|陪同)"


@rule(r"(?P<mr>上上个?月|下下个?月|上一个月|" + _FRAME_DOWN + r"下一个月|本月|这个月|上个?月|" + _FRAME_DOWN
      + r"下个?月|当月|(?<![连共相不])同月|次月)"
      + r"(?:的)?" + IN_MONTH + r"?|(?<![个月])(?P<mhalf0>[上下])半月")
def _month_rel(g, st):  # 本月6日, 上个月20号, 下月初, 当月, 上半月 (of the reference month)
    if g["mhalf0"]:
        ref = st.ref
        return _in_month({"mhalf": g["mhalf0"], "d": None, "mpart": None}, ref.year, ref.month, st)
    w = g["mr"]
    base = st.last_day or st.ref if w in ("当月", "同月", "次月") else st.ref
    k = {"上上": -2, "下下": 2, "上": -1, "下": 1, "次": 1}.get(w[:2] if w[:2] in ("上上", "下下") else w[0], 0)
    y, mo = add_months(base.year, base.month, k)
    return _in_month(g, y, mo, st)


_WEEKDAY = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}


@rule(r"(?<![一二两三四五六七八九十几每数半个])(?:(?P<wp>上上个?|下下个?|上一个?|下一个?|上个?|下个?|本|这一?个?)?"
      r"(?P<hw>[上下])半周|(?P<wp1>上上个?|下下个?|上一个?|下一个?|上个?|下个?|本|这一?个?)"
      r"(?P<wk>周|星期|礼拜)(?P<wd>[一二三四五六日天]|末)?"
      r"|(?P<wk0>周|星期|礼拜)(?P<wd0>[一二三四五六日天]))(?![报刊])")
def _week(g, st):  # 上周五, 下下周, 这个星期一, 礼拜天, 週三, 上上個週末, 下半周
    p = g["wp"] or g["wp1"] or ""
    shift = {"上上": -2, "下下": 2}.get(p[:2], {"上": -1, "下": 1}.get(p[:1], 0))
    if g["wk0"] is not None:  # a weekday alone: the week just named, else this week
        mon = st.week_monday()
        if st.last_day and re.fullmatch(r"[\s，,（(]{0,2}", st.norm[st.last_end:st.pos]):
            mon = monday(st.last_day)  # 5月25日（星期六）: the weekday of the day just written
        d = mon + timedelta(days=_WEEKDAY[g["wd0"]])
        return d, d, "day"
    mon = monday(st.ref) + timedelta(weeks=shift)
    st.week, st.week_end = mon, st.pos
    if g["hw"]:
        return (mon, mon + timedelta(days=2), "range") if g["hw"] == "上" else (
            mon + timedelta(days=3), mon + timedelta(days=6), "range")
    wd = g["wd"]
    if wd == "末":
        return mon + timedelta(days=5), mon + timedelta(days=6), "range"
    if wd:
        d = mon + timedelta(days=_WEEKDAY[wd])
        return d, d, "day"
    return mon, mon + timedelta(days=6), "range"


@rule(r"(?<!到)(?P<w>大前天|大后天|今天(?!的)|今日(?!头条|焦点)|昨天|昨日|前天|前日|明天|(?<![光黎])明日|(?<![然之以最])后天|昨晚|昨夜|昨晨|前晚"
      r"|今晨|今早|今晚(?!报)|明晚|明早)")
def _day_word(g, st):  # 今天, 昨晚, 大后天: from the reference day (the dateline day, else the publish date)
    return day_span(st.ref + timedelta(days=_DAYS[g["w"]]))


_ANAPHOR_REACH = 4  # paragraphs between a day and the 当天/次日 that refers back to it
_FIRST_DAY = re.compile(r"第一天|头一天|前一天")
_STEP = {"次日": 1, "翌日": 1, "第二天": 1, "第三天": 2}


@rule(r"(?P<ev>事发|案发|事故发生|发案)后?的?(?P<w>当天|当日|当晚|次日|翌日|第二天|第三天)")
def _event_day(g, st):  # 事发当天, 案发次日, 事发第三天: from the incident's day once it is known
    step = _STEP.get(g["w"], 0)
    base = st.event_day or st.last_day or (st.ref if step == 0 else None)  # 事发当天（9月28日）: fixed after
    return day_span(base + timedelta(days=step)) if base else None


@rule(r"(?P<w>当天|当日|当晚|同一天|同一日|次日|翌日|第二天|第三天|即日)")
def _anaphoric_day(g, st):  # 当天/次日/第二天: the day mentioned last (第N天: all from the same day)
    w = g["w"]
    if w.startswith("第") and _FIRST_DAY.search(st.norm, max(0, g.start - 120), g.start):
        return None  # 第一天……第二天……, 头一天晚上泡豆……第二天: the steps of a plan or a recipe, not calendar days
    if w == "即日":
        return day_span(st.pub)
    step = _STEP.get(w, 0)
    base = st.anchor_day if w.startswith("第") and st.anchor_day else st.last_day
    if base is not None and st.paragraphs_since(st.last_day_end) > _ANAPHOR_REACH:
        return None  # the last day named is paragraphs away: 次日 refers to a day this text does not give
    if base is None:
        return day_span(st.ref) if step == 0 and w != "同一日" else None
    return day_span(base + timedelta(days=step))


@rule(r"(?<![\d.第每当逐次前近])(?:(?P<d0>[1-3]?\d)" + SP + SEP + SP + r")?(?P<d>[1-3]?\d)" + SP + r"日")
def _bare_day(g, st):  # 23日: in the reference month, or the last one when it lies ahead (12号 alone is too
    # often a number: 1号文件, 3号线); 26-28日: the days before the last one, in its month
    last = _day_of_ref_month(int(g["d"]), st)
    if g["d0"] is None or last is None:
        return last
    return day_range(safe(last[0].year, last[0].month, int(g["d0"])), last[0])


@rule(r"(?<![月\d一二三四五六七八九十第每前近数几了初廿])(?P<d>二十[一二三四五六七八九]?|三十一?|十[一二三四五六七八九])"
      r"日(?![子常益报本元])")
def _bare_day_cn(g, st):  # 二十四日, 十二日
    return _day_of_ref_month(num(g["d"]) or 0, st)


def _day_of_ref_month(dd: int, st: Ctx) -> Span | None:
    if not 1 <= dd <= 31:
        return None
    ref = st.ref
    y, mo = (ref.year, ref.month) if dd <= ref.day + 7 else add_months(ref.year, ref.month, -1)
    return day_span(safe(y, mo, dd))


_SCHOOL_YEAR = {"上": -1, "本": 0, "这": 0, "下": 1}


@rule(r"(?P<w>[上本这下])一?学年(?!度?[的]?[第初])")
def _school_year(g, st):  # 上学年, 本学年: the school year that starts on 1 September
    y = (st.ref.year if st.ref.month >= 9 else st.ref.year - 1) + _SCHOOL_YEAR[g["w"]]
    return date(y, 9, 1), date(y + 1, 8, 31), "range"


@rule(r"(?P<w>[自从](?:本|该)?[\u4e00-\u9fff]{0,6}?(?:发布|印发|公布|颁布|下发|发出)之日起)")
def _from_issue_day(g, st):  # 自本通告发布之日起, 自印发之日起: a rule in force from the day it is issued
    return day_span(st.pub)


@rule(r"(?P<w>时至今日|迄今为止)")
def _now(g, st):
    return day_span(st.pub)


@rule(r"(?<![\d./:A-Za-z#〔\[［])(?P<y>(?:19|20)\d{2})(?!\d|\.\d|[-/]\d{1,2}(?!\d)|" + SP
      + r"[%万亿千百元个年月日号多余家名人件台辆吨米位只条项次届期股户所批座款型》])")
def _bare_year(g, st):  # 2022 alone (a heading, 1953-2004, = 2019)
    y = int(g["y"])
    st.saw_year(y)
    return year_span(y)


@rule(r"(?<![今去前明后本上下当这那该同次翌新\d一二两三四五六七八九十几数每多半])(?:年(?P<bpart>初|中(?=[,，。、；;至到\-以前后]|$)|末|底|内)"
      r"|(?P<bpart2>岁末|岁初|岁尾))")
def _year_part_alone(g, st):  # 年初, 年底: of the year just named, else of the publish year
    y = st.last_year or st.ref.year
    return _year_part({"part": g["bpart"] or g["bpart2"][1].replace("尾", "末")}, y, st)


@rule(r"(?<![\d.])" + IN_YEAR_ALONE)
def _period_alone(g, st):  # 一季度, 5月, 1-4月, 上半年, 春节, 农历八月, 夏天: the year comes from the context
    y = st.context_year()
    if y is not None:
        r = in_year(g, y, st, alone=True)
        return r or None
    if g["fest"] is not None or g["lunar"] is not None:
        d = near_year(lambda yy: (festival_day(g["fest"], yy) if g["fest"] else lunar_day(g["lunar"], yy)), st)
        return day_span(d)
    y = st.pub.year
    r = in_year(g, y, st, alone=True)
    if r is None and g["m"] and g["d"] and num(g["d"]) == 29:  # 2月29日: the last leap year's
        r = next((x for k in range(1, 4) if (x := in_year(g, y - k, st, alone=True))), None)
    if r and g["season"] is None and (r[0] - st.pub).days > 183:  # 四季度 in a January article: last year's; 三季度 in May: this year's
        r = in_year(g, y - 1, st, alone=True)
    return r or None
