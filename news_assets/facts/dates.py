"""Date and period expressions resolved against the publish date (or the dateline day).

The forms and their resolvers are a table in date_rules.py; this module scans for positions that can
open a date, tries there the rules that can start with that character (joined in table order, each
rule's groups prefixed with its name), walks the matches in text order and applies
what spans several mentions: ranges (23日至26日, 三月到五月, 2015年和2018年之间), "since" forms to the
publish date (2019年以来, 自2016年起, 从2021年开始), and the 前/后/当天 words a mention absorbs.
"""

from __future__ import annotations

import re
import re._constants as _C  # the parsed-pattern opcodes, to find each rule's first characters
import re._parser as _P
from datetime import date, timedelta

from . import date_rules as R
from .date_rules import Ctx, G, safe
from .hits import DateHit


def _first_chars(items) -> tuple[set[str] | None, bool]:
    """The characters a parsed pattern can start with (None: any) and whether it can match empty."""
    out: set[str] = set()
    for op, av in items:
        if op in (_C.ASSERT, _C.ASSERT_NOT, _C.AT):
            continue  # zero width
        if op is _C.LITERAL:
            first, nullable = {chr(av)}, False
        elif op is _C.IN:
            first, nullable = _in_chars(av), False
        elif op is _C.SUBPATTERN:
            first, nullable = _first_chars(av[3])
        elif op is _C.BRANCH:
            first, nullable = set(), False
            for alt in av[1]:
                f, n = _first_chars(alt)
                if f is None:
                    return None, False
                first |= f
                nullable = nullable or n
        elif op in (_C.MAX_REPEAT, _C.MIN_REPEAT):
            first, n = _first_chars(av[2])
            nullable = av[0] == 0 or n
        else:
            return None, False
        if first is None:
            return None, False
        out |= first
        if not nullable:
            return out, False
    return out, True


def _in_chars(items) -> set[str] | None:
    out: set[str] = set()
    for op, av in items:
        if op is _C.LITERAL:
            out.add(chr(av))
        elif op is _C.RANGE and av[1] - av[0] < 256:
            out |= {chr(c) for c in range(av[0], av[1] + 1)}
        elif op is _C.CATEGORY and av is _C.CATEGORY_DIGIT:
            out |= set("0123456789")
        else:
            return None
    return out


class _Sub:
    """The rules that can start with one set of characters, joined in table order into one pattern."""

    __slots__ = ("rx", "groups", "forms")

    def __init__(self, rules: list[tuple[str, str]]):
        parts = []
        for name, p in rules:
            p = re.sub(r"\(\?P<(\w+)>", lambda m, n=name: f"(?P<{n}__{m.group(1)}>", p)
            p = re.sub(r"\(\?P=(\w+)\)", lambda m, n=name: f"(?P={n}__{m.group(1)})", p)
            parts.append(f"(?P<{name}>{p})")
        self.rx = re.compile("|".join(parts))
        # each rule's group names (d, m, fest …) -> their numbers in rx, so a lookup is one dict get
        self.groups: dict[str, dict[str, int]] = {name: {} for name, _ in rules}
        for full, i in self.rx.groupindex.items():
            rule, _, own = full.partition("__")
            if own:
                self.groups[rule][own] = i
        self.forms = {rule: R.form_groups(idx) for rule, idx in self.groups.items()}


def _compile() -> tuple[re.Pattern, dict[str, _Sub], dict[str, R.Rule]]:
    """The candidate scan and, per first character, the rules that can start with it.

    A position passes the scan when its character can open some rule and the prefilter holds; only the
    rules that can open with that character are then tried there, in table order: the same match as
    one alternation of all rules, without testing every rule at every candidate."""
    firsts: dict[str, list[tuple[str, str]]] = {}
    for r in R.RULES:
        p = r.pattern.replace("@FEST@", R.fest_pattern()).replace("@ERA@", R.era_pattern())
        first, nullable = _first_chars(_P.parse(p))
        if first is None or nullable:
            raise ValueError(f"date rule {r.name}: its first characters must be a known set")
        for c in first:
            firsts.setdefault(c, []).append((r.name, p))
    subs: dict[tuple[str, ...], _Sub] = {}
    by_char = {}
    for c, rules in firsts.items():
        key = tuple(n for n, _ in rules)
        by_char[c] = subs.get(key) or subs.setdefault(key, _Sub(rules))
    pre = _prefilter()
    body = pre.removeprefix("(?=").removesuffix(")")
    pre_first, _ = _first_chars(_P.parse(body))
    opening = set(firsts) & pre_first if pre_first is not None else set(firsts)
    # [first characters](?<=(?=prefilter).): a pattern that opens with a character class lets sre skip
    # the positions it rejects in C; the prefilter is tested only where the class holds
    scan = re.compile(_cls(opening) + "(?<=(?=" + body + ").)")
    return scan, by_char, {r.name: r for r in R.RULES}


def _cls(chars) -> str:
    return "[" + "".join(re.escape(c) for c in sorted(set(chars))) + "]"


def _prefilter() -> str:
    """A cheap test of a position's first two characters, before any rule is tried there.

    Most characters that can open a date also open ordinary words (一个, 上海, 这样, 中国), so a
    position passes only when the next characters can continue a date: a Chinese numeral only before
    a date word within a few characters, 上/这/当… only before 年/月/周/个…, a festival or era name only
    on its first three characters (festivals.tsv, eras.tsv), a digit inside a number hardly ever."""
    cn = "〇零○一二两三四五六七八九十百千"
    words = list(R.festivals()) + list(R.eras())
    # a digit right after a digit opens no date but 20世纪 or 0九年 (the other rules look behind for \\d)
    return ("(?=(?<![0-9])[0-9]|[0-9]{2}世纪|0[〇零○一二三四五六七八九0]{2,3}年|农历|[第最闰腊正冬春夏秋暑]"
            f"|{_cls(cn)}{_cls(cn + '0123456789')}{{0,4}}[ \u3000]?[年月日号季代世纪天周个星礼前后半期]"
            "|十[一二三四五六七八九]五|[“\"「『](?:十[一二三四五六七八九]?|[六七八九])五"
            "|(?<=[“\"「『])(?:十|[六七八九])五"
            "|[自从](?=[^，。；\n]{0,10}之日起)"
            "|[上下本这那当同次翌该今去明后前昨大新]"
            f"[年月日天周星礼个一上下半世晚晨早夜季期旬末底初中前后学{cn}0-9]"
            f"|(?={_cls(w[0] for w in words)}{_cls(w[1] for w in words)})"  # two class tests, then the words
            "(?:" + "|".join(sorted({re.escape(w[:3]) for w in words})) + ")"
            "|年[初中末底内]|岁[末初尾]|时至|迄今|即日|事[发故]|案发|发案|周[一二三四五六日天]|星期|礼拜)")


_SCAN, _BY_CHAR, _BY_NAME = _compile()
RANGE_SEP = re.compile(r"\s?(?:-|~|至|到|—{1,2}|–|－)\s?")
BETWEEN_SEP = re.compile(r"(?:和|与|跟)")
BETWEEN_END = re.compile(r"之?间")
SINCE_TAIL = re.compile(r"以来|至今(?![年日天晚])|起(?![诉火草义飞步点码色身床])|开始(?=[，,。；;、）)]|$)")
SINCE_VERB = re.compile(r"开始")  # 从1968年开始: with 自/从 before, 开始 always opens a since form
LAW_START = re.compile(r"起(?:正式)?(?:施行|实施|执行|生效)")
SINCE_HEAD = ("自从", "自", "从")
AROUND_TAIL = re.compile(r"[前后](?![\d一二两三四五六七八九十几天年月个后夕])")
SAME_DAY_TAIL = re.compile(r"当天|当日|当晚")
DATELINE_RE = re.compile(r"^\s*[^\n]{0,30}?(?:(?P<m>\d{1,2})月)?(?P<d>\d{1,2})日电")
# the mentions whose value is an absolute time that 前/后 may follow (2010年前, 春节后, 7月份以后)
_ABSOLUTE = {"year_then", "iso_day", "dotted_day", "period_alone", "bare_year", "decade", "century"}


def dateline_day(norm: str, pub: date) -> date | None:
    """The day of a dateline such as 新华社重庆5月25日电 / 法新社罗马19日电 at the start of the text."""
    m = DATELINE_RE.match(norm[:60])
    if not m:
        return None
    dd = int(m.group("d"))
    # a dateline is never more than two days after the publish date (the parser's rule, so both agree)
    if m.group("m"):
        mo = int(m.group("m"))
        d = safe(pub.year, mo, dd)
        return safe(pub.year - 1, mo, dd) if d and d > pub + timedelta(days=2) else d
    d = safe(pub.year, pub.month, dd)
    if d is None or d > pub + timedelta(days=2):
        y, mo = R.add_months(pub.year, pub.month, -1)
        d = safe(y, mo, dd)
    return d


def _borrow(name: str, g: G, prev: list, d1: date, d2: date) -> tuple[date, date]:
    """The second half of a range takes what it omits from the first: 3月5日至8日, 2000年3月至5月, 8月至2月."""
    p0 = prev[2]
    if name == "year_then" and (g["y2"] or g["yc2"]) and d1 < p0:
        # 18年10月1日到19年2月3日 in a 2018 article: the second two-digit year is in the first one's century
        k = (p0.year - d1.year + 99) // 100
        try:
            return d1.replace(year=d1.year + 100 * k), d2.replace(year=d2.year + 100 * k)
        except ValueError:
            return d1, d2
    if name in ("bare_day", "bare_day_cn"):
        d = safe(p0.year, p0.month, d1.day)
        return (d, d) if d else (d1, d2)
    if name == "period_alone" and g["fest"] is None and g["lunar"] is None:
        try:
            d1, d2 = d1.replace(year=p0.year), d2.replace(year=p0.year)
        except ValueError:
            return d1, d2
        if d1 < p0:  # 8月至2月: into the next year
            whole_months = d1.day == 1 and d2 == R.month_end(d2.year, d2.month)
            d1 = safe(p0.year + 1, d1.month, d1.day) or d1
            d2 = R.month_end(p0.year + 1, d2.month) if whole_months else safe(p0.year + 1, d2.month, d2.day) or d2
    return d1, d2


def _join(norm: str, out: list, s: int, e: int, name: str, g: G, span) -> int | None:
    """Join this mention to the previous one when a range separator stands between; the new end or None."""
    if not out or out[-1][1] >= s:
        return None
    prev = out[-1]
    between = norm[prev[1]:s]
    joined_end = e
    if BETWEEN_SEP.fullmatch(between):
        m = BETWEEN_END.match(norm, e)
        if not m:
            return None
        joined_end = m.end()  # 2015年和2018年之间
    elif not RANGE_SEP.fullmatch(between):
        return None
    d1, d2 = _borrow(name, g, prev, span[0], span[1])
    if d1 < prev[2]:
        return None
    prev[1], prev[3], prev[4] = joined_end, d2, "range"
    return joined_end


def _tails(norm: str, item: list, name: str, st: Ctx) -> None:
    """Since forms, 前/后 and 当天 after a mention, 自/从 before it: widen the item in place."""
    s, e = item[0], item[1]
    law = item[4] == "day" and LAW_START.match(norm, e)
    head = next((h for h in SINCE_HEAD if norm.startswith(h, s - len(h))), None) if s else None
    tail = None if law else SINCE_TAIL.match(norm, e) or (SINCE_VERB.match(norm, e) if head else None)
    if law:  # 自2003年10月1日起施行: that day only
        item[1] = e + 1
        if head:
            item[0] = s - len(head)
        return
    if tail:
        item[1] = tail.end()
        if item[2] <= st.pub:  # a start still to come (明日起, 6月起 in February) keeps its own span
            item[3], item[4] = st.pub, "range"
        if head:
            item[0] = s - len(head)
        return
    if name in _ABSOLUTE and (m := AROUND_TAIL.match(norm, e)):
        item[1] = m.end()
    elif item[4] == "day" and (m := SAME_DAY_TAIL.match(norm, e)):
        item[1] = m.end()  # 9月9日当天


def _matches(norm: str):
    """(match, its _Sub) in text order, not overlapping: what finditer of one alternation would give."""
    pos = 0
    for c in _SCAN.finditer(norm):
        s = c.start()
        if s < pos:
            continue
        sub = _BY_CHAR[norm[s]]
        m = sub.rx.match(norm, s)
        if m is not None:
            pos = m.end()
            yield m, sub


def find_dates(norm: str, pub: date, ref: date | None = None):
    """The date mentions of the normalised text in order (DateHit rows)."""
    st = Ctx(norm, pub, ref or pub)
    out: list[list] = []
    for m, sub in _matches(norm):
        s, e = m.span()
        if s and norm[s - 1] == "《" or out and s < out[-1][1]:
            continue  # the title of a work (《明日之后》), or a word the last mention absorbed (当天)
        name = m.lastgroup
        g = G(m, sub.groups[name], sub.forms[name])
        st.pos = s
        span = _BY_NAME[name].resolve(g, st)
        if span is None:
            continue
        d1, d2, gran = span
        end = _join(norm, out, s, e, name, g, span)
        if end is None:
            item = [s, e, d1, d2, gran, None, name]
            out.append(item)
        else:
            item = out[-1]
        _tails(norm, item, name, st)
        st.last_end = item[1]
        if gran == "day":
            _explained(norm, out, st)
            st.last_day = item[3] if end is not None else d1
            st.last_day_end = item[1]
            if name != "anaphoric_day" or not g["w"].startswith("第"):
                st.anchor_day = st.last_day  # 第二天……第三天: both count from the day before them
            if name == "event_day" and st.event_day is None:
                st.event_day = d1
    return [DateHit(*x[:5]) for x in out]


_EXPLAINABLE = ("day_word", "anaphoric_day", "event_day")


def _explained(norm: str, out: list, st: Ctx) -> None:
    """今天（10月1日）/ 事发当天（9月28日）: a day word followed by the day in brackets is that day."""
    if len(out) < 2:
        return
    a, b = out[-2], out[-1]
    if (a[4] == "day" and b[4] == "day" and b[0] == a[1] + 1 and norm[a[1]] in "（("
            and a[6] in _EXPLAINABLE):
        a[2] = a[3] = b[2]
        if a[6] == "event_day":
            st.event_day = b[2]
