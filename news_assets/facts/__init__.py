"""Article text -> region, date, money, count and percent mentions, normalised and linked.

Plain Python, no Dagster. Reference data is bundled under news_assets/data/reference (built by
scripts/build_reference.py from the areacodes dataset, CC0) and loaded once per process.

    from news_assets.facts import extract, to_records
    ex = extract(body, date(2024, 5, 26))
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from ..settings import env_int
from . import _ref
from .amounts import find_amounts
from .dates import DATELINE_RE, dateline_day, find_dates
from .numbers import to_json_number
from .regions import find_regions, place_code

EXTRACTOR_VERSION = "facts-0.3.1"

__all__ = [
    "EXTRACTOR_VERSION",
    "RegionMention",
    "DateMention",
    "Fact",
    "Extraction",
    "extract",
    "to_records",
    "DEFAULT_MAX_CHARS",
    "max_chars_setting",
]


@dataclass
class RegionMention:
    start: int
    end: int
    text: str
    code: str
    name: str
    level: str  # province | prefecture | county | country | macro
    province_code: str | None


@dataclass
class DateMention:
    start: int
    end: int
    text: str
    start_date: date
    end_date: date
    granularity: str  # day | month | quarter | half | year | range


@dataclass
class Fact:
    kind: str  # money | count | percent
    start: int
    end: int
    text: str
    value: Decimal
    value_high: Decimal | None = None
    currency: str | None = None
    unit: str | None = None
    qualifier: str | None = None  # gt | lt | approx
    change: str | None = None  # up | down
    change_basis: str | None = None  # yoy | mom
    metric: str | None = None
    region_code: str | None = None
    region_source: str | None = None  # sentence | context (previous sentence) | dateline | None
    period_start: date | None = None
    period_end: date | None = None
    period_source: str | None = None  # sentence | context | publish_date | None
    cumulative: bool = False
    sentence: str = ""
    sentence_start: int = 0
    sentence_end: int = 0


@dataclass
class Extraction:
    regions: list[RegionMention] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    truncated: bool = False  # the body was longer than max_chars: facts come from its first max_chars
    sentences: list[tuple[int, int]] = field(default_factory=list)  # (start, end) of each sentence of the text


# Facts come from at most this many characters of a body (a 20 MB page is still an article, but its
# facts stop here so one page cannot stall a day). NEWS_FACTS_MAX_CHARS overrides it; 0 = no cap.
DEFAULT_MAX_CHARS = 200_000


def max_chars_setting() -> int:
    return env_int("NEWS_FACTS_MAX_CHARS", DEFAULT_MAX_CHARS, minimum=0, meaning="characters; 0 = no cap")


# the first character spelled out, not `[…]+`: a pattern that opens with a character class lets sre skip
# to the next candidate in C (one that opens with a repeat is tried at every position)
_SENT_END = re.compile(r"[。！？!?\n][。！？!?\n]*[”’」』\"]*")
_SEG_RE = re.compile(r"[，,；;：:、]")
_CLAUSE_RE = re.compile(r"[，,；;：:]")  # the segment marks but 、
# a clause that holds only a time: 今年一季度 / 1-10月 / 2023年以来 (any date-ish characters)
_DATE_ONLY = re.compile(r"[\d〇零一二两三四五六七八九十年月日季度上下半前后今去明本以来至到—\-~底末初中旬份个第全]+")
_CLAUSE_SEP = set("，,；;：:")
_CUMUL = re.compile(r"累计|累积|总计|合计")
_SPEECH = re.compile(r"指出|表示|强调|透露|介绍|称|说")
_UP = r"增长|增加|上涨|提高|提升|上升|上调|回升|攀升|扩大|增|涨|升"
_DOWN = r"下降|下跌|减少|回落|下滑|下调|降低|缩小|收窄|减|降|跌"
_CHANGE_RE = re.compile(f"(?P<up>{_UP})|(?P<down>{_DOWN})")
_CHANGE_NOUNS = re.compile(r"增速|增幅|涨幅|降幅|跌幅|增长率|增量|升级|提升率")
_RATE_DIRECTION = {"增速": "up", "增幅": "up", "涨幅": "up", "增长率": "up", "上涨幅度": "up", "增长幅度": "up",
                   "降幅": "down", "跌幅": "down", "下降幅度": "down", "下跌幅度": "down"}
_RATE_NOUN_DIRECTION = re.compile("|".join(sorted(_RATE_DIRECTION, key=len, reverse=True)))
_CHANGE_AFTER = re.compile(r"[，,]\s*(?:较|比|同比|环比)[^，,。；;]{0,12}?(?:" + _UP + "|" + _DOWN + ")")
# the base of a comparison: 比上年同期增长 is year on year, 较上月下降 month on month (比上年末 is neither)
# 年增/月减 are the Taiwan and Hong Kong forms (营收年增36%)
# 按年/按月 before a change are the Hong Kong forms (按年增长2.7%)
_YOY = re.compile(r"同比|(?:比|较|与|同)(?:上年|去年|上一年|前一年)(?:同期)?(?![末底])|(?<![今去明全每])年(?:增|减|減)"
                  r"|按年(?=[增减減升降上下跌])")
_MOM = re.compile(r"环比|(?:比|较|与)(?:上月|上个月|上一个月|前一个月)|(?<![每本])月(?:增|减|減)|按月(?=[增减減升降上下跌])")
# a clause that only states the change of the amount before it: ，增长4.9% / ，同比增长6.2% / ，比上年同期增长8%
_RATE_NOUN = r"(?:同比|环比)?(?:增速|增幅|增长率|涨幅|降幅|跌幅)|扣除价格因素后?(?:实际)?"
_COMPARISON_LEAD = re.compile(
    r"\s*(?:" + _RATE_NOUN + r"|增长|增加|下降|减少|上涨|下跌|上升|提高|降低|回落|同比|环比|(?:比|较|与|同)(?:上年|去年|上一年|前一年|上月|上个月|上季度?)(?:同期)?"
    r"|[年月](?:增|减|減))")
_BASELINE = re.compile(r"(?:上年|去年|上一年|前一年|上月|上个月|上季度?|同期)+[末底]?|[年月](?:增|减|減)|" + _RATE_NOUN)
_METRIC_TRAIL = re.compile(
    r"(?:达到|达|为|是|约合|约|共计|共|计|累计|总计|合计|高达|超过|超|逾|近|仅|了|的|有|增长|增加|下降|减少|同比|环比"
    r"|至|到|突破|实现|完成|在|已|已经|均|分别|每|约为|大约|左右|上涨|下跌|提高|降低|上升|下滑|回落|名义|实际)+$"
)
_METRIC_LEAD = re.compile(
    r"^(?:的|在|了|其中|共|已|已经|累计|总计|合计|还|并|且|而|和|与|及|以及|同时|此外|全年|全国|全省|全市|全区|全县|我国|今年|去年|当年|比|较)+"
)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_SPEECH_CUT = re.compile(r"[“「『]|(?:指出|表示|透露|强调|介绍)[:：]?")
_ACRONYM = re.compile(r"[A-Z][A-Z0-9]{1,5}")  # GDP, CPI, PMI, M2: metrics without a Chinese character
_ABBR_ONLY_VERBS = set("来赴访返驻")
_UNTIL = re.compile(r"截至|截止")
# the present, in the fact's own clause and nearer than any date: 他2019年开始创业，目前营收已达1亿元
_PRESENT = re.compile(r"目前|现在|如今|当前|眼下|现阶段|时下")
_ANAPHORIC_PERIOD = re.compile(r"期间|同期|^其中")
# national figures: 全国/我国, and China's national statistics offices (国家统计局数据显示…)
_NATIONAL = re.compile(r"全国(?!人大|政协|总工会|妇联|工商联|人民代表大会|委员会)|我国"
                       r"|国家统计局|海关总署|国家外汇管理局|国家外汇局|国家税务总局|国家发展改革委|国家发改委")
_SUBJECT_LEAD = set("在从据由自")


def _sentences(norm: str) -> list[tuple[int, int]]:
    """Sentence spans; a span never includes the newlines after it (so paragraph breaks stay visible)."""
    out = []
    add = out.append
    pos = 0
    n = len(norm)
    find = norm.find
    for m in _SENT_END.finditer(norm):
        s, e = m.span()
        nl = find("\n", s, e)
        end = nl if nl >= 0 else e
        if end > pos:
            add((pos, end))
        pos = end
        while pos < n and norm[pos] == "\n":
            pos += 1
    if pos < n:
        add((pos, n))
    return out


def _dateline_code(norm: str, year: int, dateline_place: str | None) -> str | None:
    if dateline_place:
        return place_code(dateline_place, year)
    m = DATELINE_RE.match(norm[:60])
    if not m:
        return None
    head = norm[m.start():m.start("m") if m.group("m") else m.start("d")].strip()
    for L in range(min(8, len(head)), 1, -1):
        c = place_code(head[-L:], year)
        if c:
            return c
    return None


def extract(text: str, publish_date: date, *, dateline_place: str | None = None,
            dateline_date: date | None = None, max_chars: int | None = None) -> Extraction:
    """Find and normalise every region, date, money, count and percent mention in `text`.

    dateline_date: the day of the article's dateline as the parser resolved it (articles.dateline_date);
    30日 / 今天 resolve against it. Without it, a dateline at the start of `text` is read here (the CLI).
    max_chars: read only the first max_chars characters (None: the NEWS_FACTS_MAX_CHARS setting,
    default DEFAULT_MAX_CHARS; 0: no cap); `Extraction.truncated` says whether it cut."""
    cap = max_chars_setting() if max_chars is None else max_chars
    truncated = 0 < cap < len(text)
    if truncated:
        text = text[:cap]
    norm = _ref.normalise(text)
    year = publish_date.year
    dl_code = _dateline_code(norm, year, dateline_place)
    ref_day = dateline_date or dateline_day(norm, publish_date) or publish_date

    regions = [
        RegionMention(s, e, text[s:e], code, name, level, prov)
        for s, e, code, name, level, prov in find_regions(norm, year, dl_code)
    ]
    dates = [DateMention(s, e, text[s:e], d1, d2, g) for s, e, d1, d2, g in find_dates(norm, publish_date, ref_day)]

    money, counts, percents = find_amounts(norm, [(d.start, d.end) for d in dates])

    facts: list[Fact] = []
    for s, e, v, hi, cur, q in money:
        facts.append(Fact("money", s, e, text[s:e], v, hi, currency=cur, qualifier=q))
    for s, e, v, hi, unit, q in counts:
        facts.append(Fact("count", s, e, text[s:e], v, hi, unit=unit, qualifier=q))
    for s, e, v, q in percents:
        facts.append(Fact("percent", s, e, text[s:e], v, qualifier=q))
    facts.sort(key=lambda f: f.start)
    sents = _sentences(norm)
    if facts:
        _link(norm, text, facts, regions, dates, dl_code, publish_date, sents)
    return Extraction(regions, dates, facts, truncated, sents)


# A "sentence" longer than this (a table, a list, a page without punctuation) is linked in windows
# cut at clause marks, so the work per fact stays bounded and linking is linear in the body length.
MAX_SENTENCE = 600
# 全市/该县/我省…: an anaphor that stands for the last division of its level named before it
_ANAPHOR = re.compile(r"(?:全|该|本|我)(?P<lv>省|市|区|县|州)")
# 到/至 right after a change verb is its target (增长到2020年的1150亿元), not "until"
_TO_TARGET = re.compile(r"(?:增长|增加|提高|上升|下降|减少|降低|扩大|缩小|提升|攀升|升|降|增|减|涨|跌|达)$")


def _windows(norm: str, sents: list[tuple[int, int]]) -> list[tuple[int, int]]:
    if all(se - ss <= MAX_SENTENCE for ss, se in sents):
        return sents
    out = []
    for ss, se in sents:
        seps = [m.start() for m in _CLAUSE_RE.finditer(norm, ss, se)] if se - ss > MAX_SENTENCE else []
        while se - ss > MAX_SENTENCE:
            lo = bisect.bisect_right(seps, ss + MAX_SENTENCE // 2)
            hi = bisect.bisect_right(seps, ss + MAX_SENTENCE) - 1
            cut = seps[hi] + 1 if hi >= lo else ss + MAX_SENTENCE
            out.append((ss, cut))
            ss = cut
        out.append((ss, se))
    return out


def _anaphors(norm: str, regions: list[RegionMention]) -> list[RegionMention]:
    """全市/全省/该市/本县/我区 … resolved to the last division of that level named before them
    (else the first one after them: a county named only in the closing credit)."""
    out = []
    r_starts = [r.start for r in regions]
    for m in _ANAPHOR.finditer(norm):
        lv = m.group("lv")
        k = bisect.bisect_left(r_starts, m.start())
        target = next((r for r in reversed(regions[max(0, k - 40):k]) if _fits(r, lv)), None)
        if target is None:
            target = next((r for r in regions[k:k + 40] if _fits(r, lv)), None)
        if target is not None:
            out.append(RegionMention(m.start(), m.end(), m.group(), target.code, target.name, target.level,
                                     target.province_code))
    return out


def _fits(r: RegionMention, lv: str) -> bool:
    if r.level == "province":
        return lv == "省" or (lv == "市" and r.code[:2] in ("11", "12", "31", "50")) or (
            lv == "区" and r.name.endswith("自治区"))
    if r.level == "prefecture":
        return lv in "市州"
    if r.level == "county":
        return lv in "区县" or (lv == "市" and r.name.endswith("市"))
    return False


def _link_regions(norm: str, regions: list[RegionMention]) -> list[RegionMention]:
    """Region candidates for linking: divisions and countries after the dateline, national words and
    anaphors; no macro regions and no one-character abbreviations inside compounds (港资, 渝港) except
    after a motion verb (来渝)."""
    dl = DATELINE_RE.match(norm[:60])
    dl_end = dl.end() if dl else 0
    cands = [
        r for r in regions
        if r.level != "macro" and r.start >= dl_end
        and (r.end - r.start > 1 or (r.start > 0 and norm[r.start - 1] in _ABBR_ONLY_VERBS))
    ]
    divisions = [r for r in cands if r.level in ("province", "prefecture", "county")]
    extra = [RegionMention(m.start(), m.end(), m.group(), "CN", "中国", "country", None)
             for m in _NATIONAL.finditer(norm)]
    extra += _anaphors(norm, divisions)
    if extra:
        cands = sorted(cands + extra, key=lambda r: r.start)
    return cands


class _Index:
    """Sorted positions of everything linking looks up, so each fact costs O(log n + its sentence)."""

    def __init__(self, norm: str, regions, link_regions, dates, sents):
        self.norm = norm
        self.cumul = [m.start() for m in _CUMUL.finditer(norm)]
        self.sents = _windows(norm, sents)
        self._marks: dict[int, tuple[list[int], list[int]]] = {}
        self.starts = [s for s, _ in self.sents]
        self.lr = link_regions
        self.r_starts = [r.start for r in link_regions]
        self.dates = dates
        self.d_starts = [d.start for d in dates]
        marks = sorted([(r.start, r.end) for r in regions if r.end - r.start > 1] + [(d.start, d.end) for d in dates])
        self.m_starts = [a for a, _ in marks]
        self.m_ends = [b for _, b in marks]

    def marks(self, ss: int, se: int) -> tuple[list[int], list[int]]:
        """(segment marks incl. 、, clause marks ，；：) of the window [ss, se): found only in the
        windows linking visits, a fraction of the text."""
        got = self._marks.get(ss)
        if got is None:
            norm = self.norm
            segs = [m.start() for m in _SEG_RE.finditer(norm, ss, se)]
            got = self._marks[ss] = (segs, [i for i in segs if norm[i] != "、"])
        return got

    def last_before(self, arr: list[int], lo: int, pos: int) -> int:
        """The last position in arr within [lo, pos), or -1."""
        k = bisect.bisect_left(arr, pos) - 1
        return arr[k] if k >= 0 and arr[k] >= lo else -1

    def clause_bounds(self, seps: list[int], ss: int, pos: int) -> list[int]:
        lo, hi = bisect.bisect_left(seps, ss), bisect.bisect_left(seps, pos)
        return [ss] + [i + 1 for i in seps[lo:hi]] + [pos]

    def regions_in(self, a: int, b: int):
        return self.lr[bisect.bisect_left(self.r_starts, a):bisect.bisect_left(self.r_starts, b)]

    def metric_start(self, gs: int, pos: int) -> int:
        """End of the last mention inside [gs, pos) (the metric phrase starts after it), else gs."""
        lo, hi = bisect.bisect_left(self.m_starts, gs), bisect.bisect_left(self.m_starts, pos)
        best = gs
        for k in range(lo, hi):
            if self.m_ends[k] <= pos:
                best = max(best, self.m_ends[k])
        return best


def _link(norm, text, facts, regions, dates, dl_code, publish_date, sents):
    """Each fact's sentence, region, period, metric and (percentages) change, in text order.
    sents: the sentence split of norm (computed once, in extract)."""
    ix = _Index(norm, regions, _link_regions(norm, regions), dates, sents)
    last_in_clause: dict[int, Fact] = {}
    last_in_sent: Fact | None = None
    prev_end = -1
    for f in facts:
        si = bisect.bisect_right(ix.starts, f.start) - 1
        ss, se = ix.sents[si]
        f.sentence, f.sentence_start, f.sentence_end = text[ss:se], ss, se
        prev_sent = ix.sents[si - 1] if si > 0 and _same_paragraph(norm, ix.sents[si - 1][1], ss) else None
        segs, seps = ix.marks(ss, se)
        cs = max(ss, ix.last_before(seps, ss, f.start) + 1)  # clause start (，；：)
        gs = max(cs, ix.last_before(segs, ss, f.start) + 1)  # segment start (also 、)
        f.cumulative = ix.last_before(ix.cumul, ss, f.start) >= 0
        _link_region(norm, ix, f, ss, se, gs, prev_sent, dl_code, prev_end, facts)
        _link_period(norm, ix, f, ss, cs, prev_sent, publish_date)
        _link_metric(norm, ix, f, gs, prev_end)
        prev_end = f.end
        if f.kind == "percent":
            _link_change(norm, f, cs, ss, se, last_in_clause.get(cs), last_in_sent)
        last_in_clause[cs] = f
        last_in_sent = f


def _link_metric(norm, ix, f, gs, prev_end):
    """The metric: the phrase between the last mention (or the segment start) and the amount."""
    mstart = ix.metric_start(gs, f.start)
    if gs <= prev_end <= f.start:  # 赔偿损失3万元及合理开支5000元: the second metric is 合理开支
        mstart = max(mstart, prev_end)
    f.metric = _metric(norm[mstart:f.start])


def _link_change(norm, f, cs, ss, se, prev, last_in_sent):
    """A percentage's direction and base; without a metric of its own, that of the amount it qualifies."""
    f.change, f.change_basis = _change(norm, cs, f, se)
    if f.metric is None and prev is not None and prev.kind != "percent":
        f.metric = prev.metric  # 新设港资企业25家、同比增长56%
    elif (f.metric is None and prev is None and last_in_sent is not None
          and last_in_sent.sentence_start == ss and _COMPARISON_LEAD.match(norm, cs, f.start)):
        # 实现地区生产总值128.5亿元，同比增长6.2% / CPI同比上涨0.3%，环比下降0.3% / GDP…，增速5.4%
        f.metric = last_in_sent.metric


def _link_region(norm, ix, f, ss, se, gs, prev_sent, dl_code, prev_end, facts):
    """This sentence (its list item first), else the previous one's subject, else the dateline."""
    r = _respectively(norm, ix, f, ss, se, facts)
    if r is None:
        # a list of region-amount pairs (北京420元、天津385元): an item after 、 that follows an amount
        segs = ix.marks(ss, se)[0]
        in_item = gs > ss and norm[gs - 1] == "、" and ix.last_before(segs, ss, gs - 1) < prev_end <= gs - 1
        r = _pick_region(ix, ss, se, gs, f, norm, in_item)
    if r is _SEVERAL:
        return  # 北京、上海两地GDP合计…: the amount is stated for several regions, none of them alone
    if r is not None:
        f.region_code, f.region_source = r.code, "sentence"
    elif prev_sent and (r := _subject_region(ix, norm, *prev_sent)) is not None:
        f.region_code, f.region_source = r.code, "context"
    elif dl_code:
        f.region_code, f.region_source = dl_code, "dateline"


def _respectively(norm, ix, f, ss, se, facts):
    """浙江、江苏两省分别完成投资3000亿元和2800亿元: the k-th amount after 分别 takes the k-th region
    listed before it, when the counts agree."""
    k = norm.rfind("分别", ss, f.start)
    if k < 0:
        return None
    cs = max(ss, ix.last_before(ix.marks(ss, se)[1], ss, k) + 1)
    regs = _chains(list(ix.regions_in(cs, k)))
    if len(regs) < 2:
        return None
    same = [g for g in facts if g.kind == f.kind and k < g.start < se]
    if len(same) != len(regs):
        return None
    return regs[same.index(f)]


def _link_period(norm, ix, f, ss, cs, prev_sent, publish_date):
    """A date before the fact in this sentence (unless its clause speaks of the present after it);
    期间/同期 refer to the previous sentence's."""
    d = _pick_date(ix.dates, ix.d_starts, ss, f, norm)
    if d is not None and _PRESENT.search(norm, max(cs, d.end), f.start):
        f.period_start, f.period_end, f.period_source = None, publish_date, "publish_date"
        return
    if d is not None:
        if _UNTIL.search(norm, max(ss, d.start - 3), d.start):
            f.period_start, f.period_end = None, d.end_date
        else:
            f.period_start, f.period_end = d.start_date, d.end_date
        f.period_source = "sentence"
    elif prev_sent and _ANAPHORIC_PERIOD.search(norm[ss:f.start]):
        ps, pe = prev_sent
        lo, hi = bisect.bisect_left(ix.d_starts, ps), bisect.bisect_left(ix.d_starts, pe)
        cand = [x for x in ix.dates[lo:hi] if x.granularity != "day"]
        if cand:
            f.period_start, f.period_end, f.period_source = cand[-1].start_date, cand[-1].end_date, "context"
    if f.period_source is None:
        f.period_start, f.period_end, f.period_source = None, publish_date, "publish_date"


def _same_paragraph(norm: str, prev_end: int, start: int) -> bool:
    return "\n" not in norm[prev_end:start]


# a list of regions (北京、上海、广州三地, 江苏与浙江的贸易额): an amount of the list, of none of them alone
_SEVERAL = object()
_LIST_GAP = re.compile(r"\s*(?:、|和|与|及|以及|同|跟)\s*")


def _one_region(norm, items):
    """The region of a clause's mentions: the most specific of one chain, or _SEVERAL for a list."""
    chains = _chains(items)
    pairs = zip(chains, chains[1:], strict=False)  # each chain with the next
    if len(chains) > 1 and all(_LIST_GAP.fullmatch(norm, a.end, b.start) for a, b in pairs):
        return _SEVERAL
    return chains[0]


def _chains(items):
    """Group adjacent mentions (新疆克孜勒苏州阿图什市) and keep the most specific of each chain."""
    out = []
    for r in items:
        if out and out[-1].end == r.start:
            out[-1] = r
        else:
            out.append(r)
    return out


def _pick_region(ix, ss, se, gs, f, norm, in_item=False):
    in_sent = ix.regions_in(ss, se)
    if not in_sent:
        return None
    if in_item:  # the amount's own list item first
        items = [r for r in in_sent if gs <= r.start and r.end <= f.start]
        if items:
            return _chains(items)[0]
    # the fact's clause, then the earlier clauses of the sentence: the first mention of the nearest one
    seps = ix.marks(ss, se)[1]
    bounds = ix.clause_bounds(seps, ss, f.start)
    for ci in range(len(bounds) - 2, -1, -1):
        items = [r for r in in_sent if bounds[ci] <= r.start and r.end <= bounds[ci + 1]]
        if items:
            return _one_region(norm, items)
    # after the fact, in its clause
    k = bisect.bisect_left(seps, f.end)
    ce = min(se, seps[k]) if k < len(seps) else se
    items = [r for r in in_sent if f.end <= r.start and r.end <= ce]
    return _one_region(norm, items) if items else None


def _subject_region(ix, norm, ps, pe):
    """The previous sentence's subject region: one that opens its first clause (or the second when the
    first holds only a date: 今年一季度，重庆…). A region deeper in it (以及中国抗日战争) is no subject."""
    bounds = ix.clause_bounds(ix.marks(ps, pe)[1], ps, pe)
    opened = bounds[:3]
    for a in opened[:2]:
        items = [r for r in ix.regions_in(a, a + 2) if r.start == a or norm[a] in _SUBJECT_LEAD]
        if items:
            return _chains(items)[0]
        if not _DATE_ONLY.fullmatch(norm, a, bounds[1] - 1 if len(bounds) > 1 else pe):
            break
    return None


def _pick_date(dates, d_starts, ss, f, norm):
    lo = bisect.bisect_left(d_starts, ss)
    hi = bisect.bisect_left(d_starts, f.start)
    for k in range(hi - 1, max(lo, hi - 12) - 1, -1):  # the nearest few are enough
        d = dates[k]
        if d.end > f.start:
            continue
        if _SPEECH.search(norm, d.end, f.start):
            continue
        if norm[max(0, d.start - 2):d.start].endswith(("比", "较", "相比", "与", "同")):
            continue  # 比上年增长: the base of a comparison, not the period
        return d
    return None


def _metric(seg: str) -> str | None:
    # the words after an opening quote or a speech verb: 专家组指出“城市轨道交通项目预计投资 -> 城市轨道交通项目预计投资
    seg = _SPEECH_CUT.split(seg)[-1]
    s = seg.strip(" “”\"'《》()（）")
    # drop an unclosed parenthetical at the end: 国内生产总值（GDP
    for o, c in (("（", "）"), ("(", ")")):
        i = s.rfind(o)
        if i > 0 and c not in s[i:]:
            s = s[:i]
    prev = None
    while prev != s:
        prev = s
        s = _METRIC_TRAIL.sub("", s)
        s = _METRIC_LEAD.sub("", s)
    if len(s) > 16:
        s = s[-16:]
    if _BASELINE.fullmatch(s):
        return None  # 比上年同期增长8%: 上年同期 is the base, not the metric
    if len(_CJK.findall(s)) < 2 and not _ACRONYM.fullmatch(s):
        return None
    return s


def _last_change(s: str) -> str | None:
    """Direction of the last change verb in `s` (增速/涨幅 … are nouns, not verbs)."""
    ch = None
    for m in _CHANGE_RE.finditer(_CHANGE_NOUNS.sub("#", s)):
        ch = "up" if m.group("up") else "down"
    return ch


def _change(norm: str, cs: int, f: Fact, se: int):
    clause = norm[cs:f.start]
    basis = _basis(clause)
    ch = _last_change(clause)
    if ch is None and clause.startswith(("或", "即")) and cs > 1:
        # 下跌232.79点，或0.68%: the verb is in the clause before
        p = cs - 1
        while p > max(0, cs - 200) and norm[p - 1] not in _CLAUSE_SEP and norm[p - 1] not in "。！？\n":
            p -= 1
        ch = _last_change(norm[p:cs])
    if ch is None:
        # 5.6%，较此前上升0.5个百分点: the verb is in a comparison right after
        m = _CHANGE_AFTER.match(norm, f.end, se)
        if m:
            ch = _last_change(m.group())
            basis = _basis(m.group()) or basis
    if ch is None and not clause.endswith(("从", "由")):
        # 跌幅达10%, 涨幅为3%: with no verb, the rate noun says which way (增长率将从3%降至2.3%: 3% is
        # where a change starts, not a change)
        nouns = _RATE_NOUN_DIRECTION.findall(clause)
        ch = _RATE_DIRECTION[nouns[-1]] if nouns else None
    return ch, basis


def _basis(s: str) -> str | None:
    return "yoy" if _YOY.search(s) else ("mom" if _MOM.search(s) else None)


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d is not None else None


def to_records(ex: Extraction) -> list[dict]:
    """One dict per mention or fact, ordered by start: the `news-warehouse facts` JSON lines."""
    rows: list[tuple[int, int, dict]] = []
    for r in ex.regions:
        rows.append((r.start, 0, {"kind": "region", "text": r.text, "start": r.start, "end": r.end,
                                  "code": r.code, "name": r.name, "level": r.level}))
    for d in ex.dates:
        rows.append((d.start, 1, {"kind": "date", "text": d.text, "start": d.start, "end": d.end,
                                  "start_date": _iso(d.start_date), "end_date": _iso(d.end_date),
                                  "granularity": d.granularity}))
    for f in ex.facts:
        rec = {"kind": f.kind, "text": f.text, "start": f.start, "end": f.end, "value": to_json_number(f.value)}
        if f.kind == "money":
            rec.update(currency=f.currency, qualifier=f.qualifier)
        elif f.kind == "count":
            rec.update(unit=f.unit, qualifier=f.qualifier)
        else:
            rec.update(change=f.change, qualifier=f.qualifier)
        rec.update(region=f.region_code, period_start=_iso(f.period_start), period_end=_iso(f.period_end),
                   metric=f.metric)
        # beyond DESIGN.md's shape (interfaces grow, never break): range tops, bases, provenance
        if f.kind == "percent":
            rec.update(change_basis=f.change_basis)
        else:
            rec.update(value_high=to_json_number(f.value_high) if f.value_high is not None else None)
        rec.update(cumulative=f.cumulative, region_source=f.region_source, period_source=f.period_source)
        rows.append((f.start, 2, rec))
    rows.sort(key=lambda t: (t[0], t[1]))
    return [r for _, _, r in rows]
