"""Date and period expressions resolved against the publish date (or the dateline day)."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from ._ref import lunar_to_solar
from .numbers import parse_number

_MON = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
_MON_AR = r"(?:1[0-2]|0?[1-9])"
_DAY = r"(?:3[01]|[12]\d|0?[1-9]|三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九])"
_N = r"(?:\d{1,3}|[一二两三四五六七八九十]{1,3})"
# Lunar dates and festivals, resolved through the bundled lunar table: 农历腊月初八, 正月十五, 今年春节
_LMON = r"(?:十一|十二|正|一|二|三|四|五|六|七|八|九|十|冬|腊)"
_LDAY = r"(?:初[一二三四五六七八九十]|廿[一二三四五六七八九]|三十|二十[一二三四五六七八九]?|十[一二三四五六七八九]|十)"
# 农历 makes any month lunar; 正/冬/腊月 and 初X/廿X days are lunar on their own
_LUNAR = (r"农历闰?" + _LMON + "月" + _LDAY + r"|(?:正|冬|腊)月" + _LDAY
          + r"|" + _LMON + r"月(?:初[一二三四五六七八九十]|廿[一二三四五六七八九])")
_FEST = r"春节|除夕|元宵节|端午节?|七夕节?|中秋节?|重阳节?|腊八节?(?![粥蒜])"
# 季度, or 季 alone after 第 (第三季, the Taiwan and Hong Kong form; 四季如春 is no quarter)
_QEND = r"(?:季度|(?<=第[一二三四1-4])季(?!度))"
_YSUF = (
    r"(?:第?(?P<@q>[一二三四1-4])" + _QEND + r"|(?P<@h>[上下])半年|年?(?P<@part>初|末|底|内)"
    r"|前(?P<@pn>" + _N + r")个月|前(?P<@pq>[一二三])季度?"
    r"|(?P<@fest>" + _FEST + r")|(?P<@lunar>" + _LUNAR + r"))"
)
_REL_YEAR = r"今年|去年|前年|明年|后年|本年度|本年|上年度|上年|当年|这年|该年|同年|次年"

_SEP = r"(?:-|~|至|到|—)"  # range separators
_DASH = r"(?:-|~|—)"  # inside a day range (至/到 ranges are merged later)

_PATTERN = (
    # 2023年5月25日, 2023年5月, 2023年, 2005年第一季度, 2023年年末, 2023年度
    r"(?<!\d)(?P<yf>\d{4})" + _SEP + r"(?P<yt>\d{4})年(?!代)"
    r"|(?<!\d)(?P<dec>\d{3}0)年代"
    r"|(?<![\d.\-/])(?P<iy>(?:19|20)\d{2})(?P<isep>[-/.])(?P<im>1[0-2]|0?[1-9])(?P=isep)(?P<id>3[01]|[12]\d|0?[1-9])(?![\d.\-/])"
    r"|(?P<y>(?<!\d)\d{4}|[〇零一二三四五六七八九]{4})年(?!代)(?:度)?"
    r"(?:(?P<ymf>" + _MON_AR + r")" + _SEP + r"(?P<ymt>" + _MON_AR + r")月|(?P<ym>" + _MON + r")月份?(?:(?P<yd>" + _DAY + r")(?:" + _SEP + r"(?P<ydh>" + _DAY + r"))?[日号])?|"
    + _YSUF.replace("@", "y") + r")?"
    # 今年一季度, 去年5月, 今年以来 (以来 handled after), 去年同期
    r"|(?P<r>" + _REL_YEAR + r")(?:(?P<rmf>" + _MON_AR + r")" + _SEP + r"(?P<rmt>" + _MON_AR + r")月"
    r"|(?P<rm>" + _MON + r")月份?(?:(?P<rd>" + _DAY + r")[日号])?|"
    + _YSUF.replace("@", "r") + r"|(?P<rsame>同期))?"
    # month ranges 1-4月, day ranges 23-26日
    r"|(?<![\d.])(?P<mf>" + _MON_AR + r")" + _SEP + r"(?P<mt>" + _MON_AR + r")月(?!\d)"
    r"|(?<![\d.月])(?P<df>[1-3]?\d)" + _DASH + r"(?P<dt>[1-3]?\d)日"
    # 5月25日, 5月, 7月份, 五月二十五日
    r"|(?<![\d.])(?P<m>" + _MON_AR + r")月份?(?:(?P<d>" + _DAY + r")(?:" + _DASH + r"(?P<dh>" + _DAY + r"))?[日号]|(?P<xun>[上中下])旬)?"
    r"|(?P<mc>十[一二]?|[一二三四五六七八九])月(?P<dc>" + _DAY + r")[日号]"
    # bare day 23日
    r"|(?<![\d.第每当逐次前])(?P<bd>[1-3]?\d)日"
    # quarters, halves, first N months
    r"|第?(?P<q>[一二三四1-4])" + _QEND + r"|(?P<h>[上下])半年|前(?P<pn>" + _N + r")个月|前(?P<pq>[一二三])季度?"
    r"|(?<![今去前明后本当这该同次那上\d])年(?P<bpart>初|末|底)"
    # a lunar month-day; a festival is a date only after a year (今年春节, 2023年中秋节): alone it is
    # mostly the name of an event (欢度春节, 腊八节活动)
    r"|(?P<lunar>" + _LUNAR + r")"
    # relative days, weeks and months
    r"|(?<!到)(?P<rel>今天(?!的)|今日(?!头条)|昨天|昨日|前天|明天|(?<![光黎])明日|后天|当天|当日|即日"
    r"|昨晚|昨夜|昨晨|前晚|今晨|今早|今晚(?!报)|明晚"
    r"|(?:本|上|下|这)(?:周|星期)[一二三四五六日天]|本周末|上周末|下周末|本周|上周|下周"
    r"|本月|上个?月|下个?月|这个月|当月|同月|次月|次日|翌日)"
    # N年前 / N个月前 / N天前
    r"|(?P<ago>" + _N + r")(?P<agou>年|个月|天)前"
    # five-year plans: 十四五
    r"|(?<![第])(?P<fyp>十[一二三四五六七八九])五(?=时期|规划|期间|末|”|\"|」|』|的|以来|开局)"
    # centuries and decades
    r"|(?P<cent>上个?世纪|本世纪|(?:\d{2}|二十一|二十|十九)世纪)(?P<csuf>初|末|中叶|[1-9]0年代)?"
)
# a cheap first-character test in front of the alternation: most positions fail at once
DATE_RE = re.compile(r"(?=[\d〇零一二两三四五六七八九十今去前明后本上下当这该同次第年即昨翌农正冬腊])(?:"
                     + _PATTERN + ")")
RANGE_SEP = re.compile(_SEP)
TAIL_RE = re.compile(r"至今|以来")
DATELINE_RE = re.compile(r"^\s*[^\n]{0,30}?(?:(?P<m>\d{1,2})月)?(?P<d>\d{1,2})日电")


def _num(s: str | None) -> int | None:
    if not s:
        return None
    if s.isdigit():
        return int(s)
    r = parse_number(s, positional=True)
    return int(r[0]) if r else None


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _safe(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _year_part(y: int, g: dict, p: str):
    q, h, part, pn, pq = g[p + "q"], g[p + "h"], g[p + "part"], g[p + "pn"], g[p + "pq"]
    if q:
        qi = _num(q)
        return date(y, 3 * qi - 2, 1), _month_end(y, 3 * qi), "quarter"
    if h:
        return (date(y, 1, 1), date(y, 6, 30), "half") if h == "上" else (date(y, 7, 1), date(y, 12, 31), "half")
    if part:
        return _part(y, part)
    if pn:
        n = _num(pn)
        if n and 1 <= n <= 12:
            return date(y, 1, 1), _month_end(y, n), "range"
        return None
    if pq:
        n = _num(pq)
        return date(y, 1, 1), _month_end(y, 3 * n), "range"
    if g[p + "fest"] or g[p + "lunar"]:
        d = _lunar_day(g[p + "fest"], g[p + "lunar"], y)
        return (d, d, "day") if d else None
    return date(y, 1, 1), date(y, 12, 31), "year"


_FEST_DAYS = {"春节": (1, 1), "元宵节": (1, 15), "端午": (5, 5), "七夕": (7, 7), "中秋": (8, 15), "重阳": (9, 9),
              "腊八": (12, 8)}
_LMON_NUM = {"正": 1, "冬": 11, "腊": 12}


def _lunar_day(fest: str | None, lunar: str | None, solar_year: int) -> date | None:
    """The solar day, within solar_year, of a festival or a lunar month-day."""
    if fest:
        if fest == "除夕":  # the eve of 春节 (always in the same solar year: 春节 falls Jan 21 - Feb 20)
            ny = _lunar_in(solar_year, 1, 1)
            return ny - timedelta(days=1) if ny else None
        month, day = _FEST_DAYS[fest if fest in _FEST_DAYS else fest.removesuffix("节")]
        return _lunar_in(solar_year, month, day)
    assert lunar is not None
    body = lunar.removeprefix("农历")
    leap = body.startswith("闰")
    mon, _, dd = body.removeprefix("闰").partition("月")
    month = _LMON_NUM.get(mon) or _num(mon)
    day = _num(dd.replace("初", "").replace("廿", "二十"))
    if not month or not day:
        return None
    return _lunar_in(solar_year, month, day, leap)


def _lunar_in(solar_year: int, month: int, day: int, leap: bool = False) -> date | None:
    for lunar_year in (solar_year - 1, solar_year):  # 腊月 of lunar 2020 falls in January 2021
        d = lunar_to_solar(lunar_year, month, day, leap)
        if d is not None and d.year == solar_year:
            return d
    return None


def _lunar_near(lunar: str, ref: date) -> date | None:
    """The occurrence nearest to ref: 腊月初八 in a December article is the coming one."""
    days = [d for y in (ref.year - 1, ref.year, ref.year + 1) if (d := _lunar_day(None, lunar, y))]
    return min(days, key=lambda d: abs((d - ref).days)) if days else None


def _part(y: int, part: str):
    if part == "初":
        return date(y, 1, 1), date(y, 2, 28 if not calendar.isleap(y) else 29), "range"
    if part in ("末", "底"):
        return date(y, 11, 1), date(y, 12, 31), "range"
    if part == "中":
        return date(y, 6, 1), date(y, 7, 31), "range"
    return date(y, 1, 1), date(y, 12, 31), "year"  # 年内


def _month_range(y: int, a: str, b: str):
    ma, mb = int(a), int(b)
    return (date(y, ma, 1), _month_end(y, mb), "range") if 1 <= ma < mb <= 12 else None


def _guess_year(m: int, ref: date) -> int:
    return ref.year - 1 if m - ref.month > 6 else ref.year


class _State:
    __slots__ = ("ref", "pub", "last_year", "last_day", "norm", "last_year_end", "pos")

    def __init__(self, pub: date, ref: date):
        self.pub = pub
        self.ref = ref
        self.last_year: int | None = None
        self.last_day: date | None = None
        self.norm = ""
        self.last_year_end = 0
        self.pos = 0

    def saw_year(self, year: int, end: int) -> None:
        self.last_year, self.last_year_end = year, end

    def context_year(self) -> int | None:
        """The year of an absolute year written in this or the previous sentence (2023年…。分季度看,一季度…)."""
        if self.last_year is None:
            return None
        between = self.norm[self.last_year_end:self.pos]
        stops = sum(between.count(c) for c in "。！？!?\n")
        return self.last_year if stops <= 1 else None


def _resolve(m: re.Match, st: _State):
    g = m.groupdict()
    ref = st.ref
    if g["yf"] is not None:
        a, b = int(g["yf"]), int(g["yt"])
        if not 1000 <= a < b <= 2199:
            return None
        st.saw_year(b, m.end())
        return date(a, 1, 1), date(b, 12, 31), "range"
    if g["dec"] is not None:
        a = int(g["dec"])
        return (date(a, 1, 1), date(a + 9, 12, 31), "range") if 1000 <= a <= 2190 else None
    if g["iy"] is not None:
        d = _safe(int(g["iy"]), int(g["im"]), int(g["id"]))
        if d is None:
            return None
        st.saw_year(d.year, m.end())
        return d, d, "day"
    if g["y"] is not None:
        y = _num(g["y"])
        if y is None or not 1000 <= y <= 2199:
            return None
        st.saw_year(y, m.end())
        if g["ymf"]:
            return _month_range(y, g["ymf"], g["ymt"])
        if g["ym"]:
            mo = _num(g["ym"])
            if not mo or not 1 <= mo <= 12:
                return None
            if g["yd"]:
                d = _safe(y, mo, _num(g["yd"]) or 0)
                if d and g["ydh"]:
                    d2 = _safe(y, mo, _num(g["ydh"]) or 0)
                    return (d, d2, "range") if d2 and d2 > d else None
                return (d, d, "day") if d else None
            return date(y, mo, 1), _month_end(y, mo), "month"
        return _year_part(y, g, "y")
    if g["r"] is not None:
        if g["rsame"]:
            return None  # 去年同期: not a calendar time by itself
        r = g["r"]
        if r in ("今年", "本年", "本年度"):
            y = ref.year
        elif r == "去年":
            y = ref.year - 1
        elif r in ("上年", "上年度"):
            y = (st.context_year() or ref.year) - 1  # the year before the one being discussed
        elif r == "前年":
            y = ref.year - 2
        elif r == "明年":
            y = ref.year + 1
        elif r == "后年":
            y = ref.year + 2
        elif r == "次年":
            y = (st.last_year or ref.year) + 1
        else:  # 当年 这年 该年 同年 那年
            y = st.last_year or ref.year
        if g["rmf"]:
            return _month_range(y, g["rmf"], g["rmt"])
        if g["rm"]:
            mo = _num(g["rm"])
            if not mo or not 1 <= mo <= 12:
                return None
            if g["rd"]:
                d = _safe(y, mo, _num(g["rd"]) or 0)
                return (d, d, "day") if d else None
            return date(y, mo, 1), _month_end(y, mo), "month"
        return _year_part(y, g, "r")
    if g["mf"] is not None:
        a, b = int(g["mf"]), int(g["mt"])
        if not a < b:
            return None
        y = st.context_year() or _guess_year(b, ref)
        return date(y, a, 1), _month_end(y, b), "range"
    if g["df"] is not None:
        a, b = int(g["df"]), int(g["dt"])
        if not 1 <= a < b <= 31:
            return None
        base = ref
        d1, d2 = _safe(base.year, base.month, a), _safe(base.year, base.month, b)
        return (d1, d2, "range") if d1 and d2 else None
    if g["m"] is not None or g["mc"] is not None:
        mo = _num(g["m"] or g["mc"])
        if not mo or not 1 <= mo <= 12:
            return None
        y = st.context_year() or _guess_year(mo, st.pub)
        day = g["d"] or g["dc"]
        if day:
            d = _safe(y, mo, _num(day) or 0)
            if d and g["dh"]:
                d2 = _safe(y, mo, _num(g["dh"]) or 0)
                return (d, d2, "range") if d2 and d2 > d else None
            return (d, d, "day") if d else None
        if g["xun"]:
            a = {"上": 1, "中": 11, "下": 21}[g["xun"]]
            end = _month_end(y, mo) if g["xun"] == "下" else date(y, mo, a + 9)
            return date(y, mo, a), end, "range"
        return date(y, mo, 1), _month_end(y, mo), "month"
    if g["bd"] is not None:
        dd = int(g["bd"])
        if not 1 <= dd <= 31:
            return None
        y, mo = ref.year, ref.month
        if dd > ref.day + 7:
            mo -= 1
            if mo == 0:
                y, mo = y - 1, 12
        d = _safe(y, mo, dd)
        return (d, d, "day") if d else None
    if g["q"] is not None or g["h"] is not None or g["pn"] is not None or g["pq"] is not None:
        gg = {"xq": g["q"], "xh": g["h"], "xpart": None, "xpn": g["pn"], "xpq": g["pq"]}
        y = st.context_year()
        if y is None:
            y = st.pub.year
            r = _year_part(y, gg, "x")
            if r is not None and (r[0] - st.pub).days > 183:
                y -= 1  # 四季度 in a January article: last year's (三季度 in May is this year's)
        return _year_part(y, gg, "x")
    if g["bpart"] is not None:
        return _part(st.last_year or ref.year, g["bpart"])
    if g["lunar"] is not None:
        y = st.context_year()
        d = _lunar_day(None, g["lunar"], y) if y else _lunar_near(g["lunar"], st.pub)
        return (d, d, "day") if d else None
    if g["rel"] is not None:
        return _relative(g["rel"], st)
    if g["ago"] is not None:
        n = _num(g["ago"])
        if n is None or n > 200:
            return None
        u = g["agou"]
        if u == "年":
            y = ref.year - n
            return date(y, 1, 1), date(y, 12, 31), "year"
        if u == "个月":
            mo = ref.month - n
            y = ref.year
            while mo <= 0:
                mo += 12
                y -= 1
            return date(y, mo, 1), _month_end(y, mo), "month"
        d = ref - timedelta(days=n)
        return d, d, "day"
    if g["fyp"] is not None:
        k = _num(g["fyp"])  # 十四 -> 14th plan: 2021-2025 (the 3rd plan began in 1966)
        start = 1966 + 5 * (k - 3)
        return date(start, 1, 1), date(start + 4, 12, 31), "range"
    if g["cent"] is not None:
        c = g["cent"]
        if c.startswith("上"):
            cstart = (ref.year // 100 - 1) * 100
        elif c.startswith("本"):
            cstart = (ref.year // 100) * 100
        else:
            n = _num(c[:-2])
            if not n or not 10 <= n <= 22:
                return None
            cstart = (n - 1) * 100
        suf = g["csuf"]
        if not suf:
            return date(cstart, 1, 1), date(cstart + 99, 12, 31), "range"
        if suf == "初":
            return date(cstart, 1, 1), date(cstart + 19, 12, 31), "range"
        if suf == "末":
            return date(cstart + 80, 1, 1), date(cstart + 99, 12, 31), "range"
        if suf == "中叶":
            return date(cstart + 40, 1, 1), date(cstart + 59, 12, 31), "range"
        dec = int(suf[0]) * 10
        return date(cstart + dec, 1, 1), date(cstart + dec + 9, 12, 31), "range"
    return None


_WEEKDAY = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}


def _relative(w: str, st: _State):
    ref = st.ref
    if w in ("今天", "今日", "即日", "今晨", "今早", "今晚"):
        d = ref if w != "即日" else st.pub
    elif w in ("昨天", "昨日", "昨晚", "昨夜", "昨晨"):
        d = ref - timedelta(days=1)
    elif w in ("前天", "前晚"):
        d = ref - timedelta(days=2)
    elif w in ("明天", "明日", "明晚"):
        d = ref + timedelta(days=1)
    elif w == "后天":
        d = ref + timedelta(days=2)
    elif w in ("当天", "当日"):
        d = st.last_day or ref
    elif w in ("次日", "翌日"):
        if st.last_day is None:
            return None
        d = st.last_day + timedelta(days=1)
    elif w in ("当月", "同月", "次月"):
        base = st.last_day or ref
        y, mo = base.year, base.month + (1 if w == "次月" else 0)
        if mo == 13:
            y, mo = y + 1, 1
        return date(y, mo, 1), _month_end(y, mo), "month"
    elif "周" in w or "星期" in w:
        monday = ref - timedelta(days=ref.weekday())
        if w.startswith("上"):
            monday -= timedelta(days=7)
        elif w.startswith("下"):
            monday += timedelta(days=7)
        if w[-1] in _WEEKDAY:  # 上周五: the Friday of last week
            d = monday + timedelta(days=_WEEKDAY[w[-1]])
            return d, d, "day"
        if w.endswith("末"):
            return monday + timedelta(days=5), monday + timedelta(days=6), "range"
        return monday, monday + timedelta(days=6), "range"
    else:
        y, mo = ref.year, ref.month
        if w.startswith("上"):
            mo -= 1
        elif w.startswith("下"):
            mo += 1
        if mo == 0:
            y, mo = y - 1, 12
        elif mo == 13:
            y, mo = y + 1, 1
        return date(y, mo, 1), _month_end(y, mo), "month"
    return d, d, "day"


def dateline_day(norm: str, pub: date) -> date | None:
    """The day of a dateline such as 新华社重庆5月25日电 / 法新社罗马19日电 at the start of the text."""
    m = DATELINE_RE.match(norm[:60])
    if not m:
        return None
    dd = int(m.group("d"))
    if m.group("m"):
        mo = int(m.group("m"))
        y = _guess_year(mo, pub)
        return _safe(y, mo, dd)
    y, mo = pub.year, pub.month
    if dd > pub.day + 7:
        mo -= 1
        if mo == 0:
            y, mo = y - 1, 12
    return _safe(y, mo, dd)


def find_dates(norm: str, pub: date, ref: date | None = None):
    """Return [(start, end, start_date, end_date, granularity)] in text order."""
    st = _State(pub, ref or pub)
    out: list[list] = []
    n = len(norm)
    st.norm = norm
    for m in DATE_RE.finditer(norm):
        st.pos = m.start()
        r = _resolve(m, st)
        if r is None:
            continue
        s, e = m.start(), m.end()
        d1, d2, gran = r
        # range with the previous mention: 23日至26日, 2011年至2023年
        if out:
            prev = out[-1]
            between = norm[prev[1]:s]
            if prev[1] < s and RANGE_SEP.fullmatch(between):
                # the second half borrows what it omits from the first: 3月5日至8日, 2000年3月至5月
                p0 = prev[2]
                if m.group("bd") is not None:
                    d1 = d2 = _safe(p0.year, p0.month, int(m.group("bd"))) or d1
                elif m.group("m") is not None or m.group("mc") is not None:
                    try:
                        d1, d2 = d1.replace(year=p0.year), d2.replace(year=p0.year)
                    except ValueError:
                        pass
            if prev[1] < s and RANGE_SEP.fullmatch(between) and d1 >= prev[2]:
                prev[1] = e
                prev[3] = d2
                prev[4] = "range"
                if gran == "day":
                    st.last_day = d2
                continue
        tail = TAIL_RE.match(norm, e) if e < n else None
        if tail and (tail.group() == "至今" or gran == "year"):
            e = tail.end()
            d2 = st.ref if tail.group() == "以来" else st.pub
            gran = "range"
        out.append([s, e, d1, d2, gran])
        if gran == "day":
            st.last_day = d1
    return [tuple(x) for x in out]
