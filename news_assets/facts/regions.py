"""Region mentions: one Aho-Corasick pass over the normalised text, then context rules."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import ahocorasick_rs

from . import _ref
from .hits import RegionHit

# Characters that, right after a bare short name, show it is part of a smaller place or an institution
# (朝天门, 明月湖, 新华社, 金凤实验室, 南京路): the name is then not a division mention.
_BLOCK_AFTER_SHORT = set("路街巷门湖桥村镇乡社寺庙塔园港湾岛峡洞坝堤渠宫殿阁楼亭店厂站口")
# rivers named like a county (嫩江干流)
_BLOCK_AFTER_SHORT_MULTI = ("实验室", "大道", "大街", "广场", "公园", "水库", "小区", "花园", "大厦", "号",
                            "干流", "支流", "流域", "水系")
# after a county short name an institution or a development zone (南开大学, 浑南新区): not the county;
# a prefecture of the same name still counts (湘潭大学 names 湘潭)
_INSTITUTION_AFTER = ("大学", "学院", "新区")
# After a province/prefecture short name only the road-like ones apply (重庆火锅, 香港科技大学 stay).
_BLOCK_AFTER_BIG = set("路街巷")
_BLOCK_AFTER_BIG_MULTI = ("大道", "大街", "时间", "干流", "支流")
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")
# characters after which a place name starts a new word (在浦东, 2017年瑞丽, 和海珠)
_WORD_START_BEFORE = set("在于至到从和与及同跟对向往赴来去是为由经自离等省市县区州年月日号的")
# abbreviations frequent in compounds; a two-character run needs one of them (陈吉宁 is a name)
_STRONG_ABBR = set("京津冀沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川蜀黔滇陕陇港澳台辽")

# Division names that are ordinary words (新区 of Wuxi, 郊区 of several cities): never matched.
_GENERIC = {"新区", "郊区", "城区", "矿区", "市辖区", "市中区", "新城区", "开发区", "高新区", "经济开发区", "工业区", "市区", "县城"}

_LEVEL_RANK = {"province": 0, "prefecture": 1, "county": 2}

# Compound of one-character abbreviations: 渝港, 港澳台, 渝深港, 沪苏浙皖.
_STOP_PAIRS = frozenset({"深藏", "藏青", "云台", "新台", "台吉", "新港", "苏宁", "新青", "吉祥", "宁静", "新澳", "青少", "青年", "青春"})
# Fixed collocations: 港资/台商 (abbreviation + noun), 来渝/赴港 (motion verb + abbreviation).
_ABBR_NOUN = set("资企商籍胞人府")
_ABBR_VERB = set("来赴访返驻")
_ABBR_VERB_OK = "渝沪京津粤港澳台闽川蜀黔滇陕甘鄂湘豫皖赣浙苏鲁冀晋辽吉黑桂琼藏"
# a plain character set first, so the regex engine scans for it fast; then the neighbours any collocation
# needs (港资: a noun after 港澳台; 来渝: a motion verb before; 在京: 在/进 before 京沪渝), so most of these
# common characters are dropped in C; the full context tests still run per hit in _collocations
_COLLOC_FIRST_RE = re.compile(
    r"[" + _ABBR_VERB_OK + r"](?:(?<=[港澳台])(?=[" + "".join(sorted(_ABBR_NOUN)) + r"])"
    r"|(?<=[" + "".join(sorted(_ABBR_VERB)) + r"].)|(?<=[在进][京沪渝]))")


@dataclass(slots=True)
class Candidate:
    start: int
    end: int
    kind: str  # division | country | macro
    options: list  # [(Division, is_short)] for divisions, [(code, name)] otherwise
    short: _Short | None  # a short name (no 省/市/县 suffix): what its options are; None for a full name


@dataclass(frozen=True, slots=True)
class _Short:
    """A short name's options sorted out once per surface and year (_entries), not per mention."""
    provinces: list  # its province options (吉林, 海南): they win over homonymous lower divisions
    no_county: list  # the options but counties, for a name before 大学/学院/新区
    big_only: bool  # no county among the options
    homograph: bool  # also a common word (朝阳, 大庆, 合作)
    two_chars: bool


@lru_cache(maxsize=1)
def automaton() -> tuple[ahocorasick_rs.AhoCorasick, list[str]]:
    """The gazetteer automaton and its surfaces (a match's pattern index points into them).
    Searched for overlapping matches in character offsets: ~5x faster than a pyahocorasick scan over
    the text's UTF-8 bytes, with no byte-to-character offset mapping. A contiguous NFA, not a DFA: 1.9
    instead of 15 MB, so between two articles it stays in the CPU caches (the DFA is faster only when
    nothing else runs between its scans), and it builds in 7 instead of 22 ms."""
    surfaces = list(_surface_entries())
    ac = ahocorasick_rs.AhoCorasick(surfaces, matchkind=ahocorasick_rs.MatchKind.Standard,
                                    implementation=ahocorasick_rs.Implementation.ContiguousNFA)
    return ac, surfaces


@lru_cache(maxsize=1)
def _abbr_re():
    chars = "".join(_ref.abbreviations())
    # [x][x]+ rather than [x]{2,}: a leading character class lets sre skip non-candidates in C
    return re.compile(f"[{chars}][{chars}]+")


def _resolve_year(options, year: int):
    """Keep (division, short) options valid in `year`; else map old names to successors valid then."""
    valid = [(d, s) for d, s in options if d.valid_in(year)]
    if valid:
        return valid
    out = []
    by_code = _ref.by_code()
    for d, s in options:
        if s:
            continue  # a retired short name (西郊) is more likely an ordinary word now
        if d.valid_to is not None and d.valid_to <= year:
            # same code still in use under another name, or a single successor
            for cand in by_code.get(d.code, []):
                if cand.valid_in(year):
                    out.append((cand, s))
                    break
            else:
                if len(d.successors) == 1:
                    for cand in by_code.get(d.successors[0], []):
                        if cand.valid_in(year):
                            out.append((cand, s))
                            break
    return out


@lru_cache(maxsize=1)
def _surface_entries() -> dict[str, list]:
    """surface -> [(kind, payload)]: what the automaton's keys stand for."""
    divs, surface = _ref.divisions()
    entries: dict[str, list] = {}
    for s, lst in surface.items():
        if len(s) < 2 or s in _GENERIC:
            continue
        entries.setdefault(s, []).append(("division", lst))
    for s, (code, name) in _ref.countries().items():
        entries.setdefault(s, []).append(("country", (code, name)))
    for s, (mid, name) in _ref.macros().items():
        entries.setdefault(s, []).append(("macro", (mid, name)))
    return entries


@lru_cache(maxsize=65536)
def _entries(surface: str, year: int) -> tuple:
    """Candidates of one surface form valid in `year`: (kind, options, is_short), keyed by value."""
    out = []
    for kind, payload in _surface_entries()[surface]:
        if kind == "division":
            opts = _resolve_year(payload, year)
            if not opts:
                continue
            full = [(d, s) for d, s in opts if not s]
            out.append(("division", full, None) if full else ("division", opts, _short_info(surface, opts)))
        else:
            out.append((kind, [payload], None))
    return tuple(out)


def _short_info(surface: str, opts: list) -> _Short:
    return _Short([(d, sh) for d, sh in opts if d.level == "province"],
                  [(d, sh) for d, sh in opts if d.level != "county"],
                  all(d.level != "county" for d, _ in opts), surface in _ref.homographs(), len(surface) == 2)


def find_regions(norm: str, year: int, dateline_code: str | None = None):
    """The region mentions of the normalised text, in order (RegionHit rows)."""
    cands = _candidates(norm, year)
    anchors = _anchors(norm, cands, dateline_code, year)
    accepted = _accept_divisions(norm, cands, anchors)
    accepted += _abbreviation_runs(norm)
    accepted += _collocations(norm)
    return _leftmost_longest(accepted, year)


def _candidates(norm: str, year: int) -> list[Candidate]:
    """Every automaton hit with its options valid in `year`, ordered by end, the longest first."""
    ac, surfaces = automaton()
    hits = ac.find_matches_as_indexes(norm, overlapping=True)
    hits.sort(key=lambda h: (h[2], h[1] - h[2]))
    cands: list[Candidate] = []
    for i, start, end in hits:
        for kind, opts, short in _entries(surfaces[i], year):
            cands.append(Candidate(start, end, kind, opts, short))
    return cands


def _anchors(norm: str, cands: list[Candidate], dateline_code: str | None, year: int) -> set[str]:
    """Document context: provinces and prefectures named unambiguously (full names or unique big shorts)."""
    anchors: set[str] = set()
    if dateline_code:
        anchors.add(dateline_code)
        anchors.add(dateline_code[:2] + "0000")
    for c in cands:
        if c.kind != "division" or c.end - c.start < 2:
            continue
        anchors.update(_anchor_codes(norm[c.start:c.end], year))
    return anchors


@lru_cache(maxsize=65536)
def _anchor_codes(surface: str, year: int) -> tuple[str, ...]:
    """What a division candidate of this surface adds to the anchors: its best big division's code and
    province, or nothing (a county, an ambiguous short name, a homograph). A function of the surface and
    the year alone (its options come from _entries), so it is cached beside them."""
    homog = _ref.homographs()
    for kind, options, short in _entries(surface, year):
        if kind != "division":
            continue
        big = [d for d, _ in options if d.level != "county"]
        if big and (not short or len({d.code for d in big}) == 1):
            if short and surface in homog:
                return ()
            best = min(big, key=lambda d: _LEVEL_RANK[d.level])
            return best.code, best.province
        return ()
    return ()


def _blocked_after(nxt: str, big: bool) -> bool:
    if big:
        return nxt[:1] in _BLOCK_AFTER_BIG or nxt.startswith(_BLOCK_AFTER_BIG_MULTI)
    return nxt[:1] in _BLOCK_AFTER_SHORT or nxt.startswith(_BLOCK_AFTER_SHORT_MULTI)


def _short_options(norm: str, c: Candidate, anchors: set[str]) -> list:
    """The options a short name (no 省/市/县 suffix) keeps in its context; [] when it is no mention."""
    nxt = norm[c.end:c.end + 3]
    info = c.short
    # a province short name wins over homonymous lower divisions (吉林, 海南, 山东)
    if info.provinces:
        return [] if _blocked_after(nxt, True) else info.provinces
    opts, big_only = c.options, info.big_only
    if nxt.startswith(_INSTITUTION_AFTER):
        opts, big_only = info.no_county, True
        if not opts:
            return []
    if _blocked_after(nxt, big_only):
        return []
    if info.homograph:
        # a common word (朝阳, 大庆, 合作): only right after its parent (北京朝阳, 甘南合作)
        return [(d, sh) for d, sh in opts if _after_parent(norm, c.start, d)]
    if not big_only and info.two_chars:
        # two-character county names (浦东, 海珠, 瑞丽): the document must name the province or
        # prefecture, and the name must start a word
        prev = norm[c.start - 1] if c.start else ""
        return [
            (d, sh) for d, sh in opts
            if (d.parent in anchors or d.province in anchors)
            and (not _CJK_RE.match(prev) or prev in _WORD_START_BEFORE or _after_parent(norm, c.start, d))
        ]
    return opts


def _accept_divisions(norm: str, cands: list[Candidate], anchors: set[str]) -> list[tuple]:
    """(start, end, payload, kind) of the candidates that are mentions, divisions resolved to one."""
    accepted: list[tuple] = []
    for c in cands:
        if c.kind != "division":
            accepted.append((c.start, c.end, c.options[0], c.kind))
            continue
        opts = _short_options(norm, c, anchors) if c.short else c.options
        choice = _choose(opts, anchors, norm, c.start) if opts else None
        if choice is not None:
            accepted.append((c.start, c.end, choice, "division"))
    return accepted


def _abbreviation_runs(norm: str) -> list[tuple]:
    """Runs of one-character abbreviations that form a compound (渝港, 港澳台, 沪苏浙皖)."""
    abbr = _ref.abbreviations()
    n = len(norm)
    out: list[tuple] = []
    for m in _abbr_re().finditer(norm):
        a0, a1 = m.start(), m.end()
        bad = set()
        for i in range(max(0, a0 - 1), min(n - 1, a1)):
            if norm[i:i + 2] in _STOP_PAIRS:
                bad.update((i, i + 1))
        run: list[int] = []
        for i in list(range(a0, a1)) + [-1]:
            if i >= 0 and i not in bad:
                run.append(i)
                continue
            strong = sum(1 for j in run if norm[j] in _STRONG_ABBR or not abbr[norm[j]].endswith("0000"))
            if len(run) >= 2 and (strong == len(run) if len(run) == 2 else strong >= 1) and \
                    any(abbr[norm[j]].endswith("0000") for j in run):
                out.extend((j, j + 1, ("abbrev", abbr[norm[j]]), "abbrev") for j in run)
            run = []
    return out


def _collocations(norm: str) -> list[tuple]:
    """One abbreviation in a fixed collocation: 港资/台商 (with a noun), 来渝/赴港 (after a motion verb)."""
    abbr = _ref.abbreviations()
    n = len(norm)
    out: list[tuple] = []
    for m in _COLLOC_FIRST_RE.finditer(norm):
        i = m.start()
        ch = norm[i]
        prev = norm[i - 1] if i else ""
        nx = norm[i + 1] if i + 1 < n else ""
        if ch in "港澳台" and nx and nx in _ABBR_NOUN:
            pass  # 港资, 台商
        elif prev and (prev in _ABBR_VERB or (prev in "在进" and ch in "京沪渝" and not (nx and nx in "市区郊城剧腔味"))):
            if nx and nx in abbr:
                continue  # 来渝港: part of a compound, handled above
        else:
            continue
        out.append((i, i + 1, ("abbrev", abbr[ch]), "abbrev"))
    return out


def _leftmost_longest(accepted: list[tuple], year: int) -> list[RegionHit]:
    """Non-overlapping mentions, leftmost-longest, as output rows."""
    accepted.sort(key=lambda t: (t[0], -(t[1] - t[0])))
    out = []
    last_end = -1
    for start, end, payload, kind in accepted:
        if start < last_end:
            continue
        last_end = end
        if kind == "division":
            d = payload
            out.append(RegionHit(start, end, d.code, d.name, d.level, d.province))
        elif kind in ("country", "macro"):
            code, name = payload
            out.append(RegionHit(start, end, code, name, kind, None))
        else:
            code = payload[1]
            name = _ref.current_name(code, year) or code
            level = "province" if code.endswith("0000") else "prefecture"
            out.append(RegionHit(start, end, code, name, level, code[:2] + "0000"))
    return out


@lru_cache(maxsize=1)
def _surfaces_by_code() -> dict[str, tuple[str, ...]]:
    out: dict[str, set[str]] = {}
    for surf, lst in _ref.divisions()[1].items():
        if len(surf) >= 2:
            for d, _ in lst:
                out.setdefault(d.code, set()).add(surf)
    return {k: tuple(v) for k, v in out.items()}


def _after_parent(norm: str, start: int, d) -> bool:
    head = norm[max(0, start - 12):start]
    sb = _surfaces_by_code()
    for code in (d.parent, d.province):
        if code and head.endswith(sb.get(code, ())):  # str.endswith takes the tuple of surfaces at once
            return True
    return False


def _choose(opts, anchors, norm: str = "", start: int = 0):
    if len(opts) == 1:
        return opts[0][0]
    if norm:
        # 北京市朝阳区 / 长春市朝阳区: the parent named right before decides
        near = [d for d, _ in opts if _after_parent(norm, start, d)]
        if len({d.code for d in near}) == 1:
            return near[0]
    # prefer higher level for identical names (province > prefecture > county)
    ranked = sorted(opts, key=lambda t: _LEVEL_RANK[t[0].level])
    top_rank = _LEVEL_RANK[ranked[0][0].level]
    top = [d for d, _ in ranked if _LEVEL_RANK[d.level] == top_rank]
    if len({d.code for d in top}) == 1:
        return top[0]
    supported = [d for d in top if d.parent in anchors or d.province in anchors]
    if len({d.code for d in supported}) == 1:
        return supported[0]
    tighter = [d for d in supported if d.parent in anchors]
    if len({d.code for d in tighter}) == 1:
        return tighter[0]
    return None


@lru_cache(maxsize=4096)
def place_code(place: str, year: int) -> str | None:
    """Code of a dateline place such as 重庆 / 北京 / 上海市 (None if unknown or ambiguous)."""
    _, surface = _ref.divisions()
    opts = _resolve_year(surface.get(place, []), year)
    if not opts:
        return None
    d = _choose(opts, set())
    return d.code if d is not None else None
