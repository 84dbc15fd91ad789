"""Header-field rules for Chinese news pages: times, 来源/本文转自, 记者/作者, datelines, categories."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone

from .names import clean_outlet, has_surname, split_glued
from .vocab import place_names, to_simplified

CST = timezone(timedelta(hours=8))

# ------------------------------------------------------------------------------------------ time

_WEEKDAY = r"(?:\s*[(（]?(?:星期|礼拜|禮拜|周|週)[一二三四五六日天][)）]?)?"
_DATE = r"(?P<y>(?:19|20)\d{2})\s*(?:[-/.]|年)\s*(?P<m>[01]?\d)\s*(?:[-/.]|月)\s*(?P<d>[0-3]?\d)(?!\d)\s*日?"
_TIME = (
    r"(?:[\sT,，]*(?:(?P<ap>上午|下午|晚上|晚间|凌晨|早上|中午|AM|PM|am|pm)\s*)?"
    r"(?P<H>[0-2]?\d)\s*(?:[:：]|时|時|点)\s*(?P<M>[0-5]\d)(?:\s*(?:[:：]|分)\s*(?P<S>[0-5]\d))?)?"
)
DATETIME_RE = re.compile(_DATE + _WEEKDAY + _TIME)
_LABEL = (
    r"(?:发布时间|發布時間|发表时间|發表時間|发布日期|發佈日期|发布于|發布於|发表于|發表於|更新时间|"
    r"刊发时间|出版日期|时间|時間|日期|发布|發布|Published|published|Time)"
)
LABELED_RE = re.compile(_LABEL + r"\s*[:：]?\s*" + _DATE + _WEEKDAY + _TIME)
# "05-20 09:47" with no year (resolved with a year from elsewhere)
_NOYEAR_RE = re.compile(r"(?<![\d-])(?P<m>[01]?\d)[-/月](?P<d>[0-3]?\d)日?\s+(?P<H>[0-2]?\d):(?P<M>[0-5]\d)(?!\d)")

_URL_DATE_RES = [
    re.compile(r"(?<!\d)((?:19|20)\d{2})[-/_]?([01]\d)[-/_]?([0-3]\d)(?!\d)"),
    re.compile(r"(?<!\d)((?:19|20)\d{2})[-/_]([01]\d)/([0-3]\d)(?!\d)"),
    re.compile(r"/((?:19|20)\d{2})/([01]\d)([0-3]\d)/"),
]


class Stamp:
    """A publish time with the precision it was given at ("day", "minute", "second")."""

    __slots__ = ("dt", "precision", "origin")

    def __init__(self, dt: datetime, precision: str, origin: str):
        self.dt = dt
        self.precision = precision
        self.origin = origin

    def __repr__(self) -> str:  # pragma: no cover
        return f"Stamp({self.dt.isoformat()}, {self.precision}, {self.origin})"


def _mk(y, m, d, H=None, M=None, S=None, ap=None) -> tuple[datetime, str] | None:
    try:
        y, m, d = int(y), int(m), int(d)
        if H is None:
            return datetime(y, m, d, tzinfo=CST), "day"
        h = int(H)
        if ap in ("下午", "晚上", "晚间", "PM", "pm") and h < 12:
            h += 12
        if ap in ("中午",) and h < 11:
            h += 12
        if S is None:
            return datetime(y, m, d, h, int(M), tzinfo=CST), "minute"
        return datetime(y, m, d, h, int(M), int(S), tzinfo=CST), "second"
    except (ValueError, TypeError):
        return None


def _valid(dt: datetime) -> bool:
    return 1990 <= dt.year <= 2035


def match_to_stamp(m: re.Match, origin: str) -> Stamp | None:
    r = _mk(m.group("y"), m.group("m"), m.group("d"), m.group("H"), m.group("M"), m.group("S"), m.group("ap"))
    if not r or not _valid(r[0]):
        return None
    return Stamp(r[0], r[1], origin)


_DMY_LABELED_RE = re.compile(
    _LABEL + r"\s*[:：]?\s*(?P<a>[0-3]?\d)/(?P<b>[0-3]?\d)/(?P<y>(?:19|20)\d{2})"
    r"(?:\s*[-,]?\s*(?P<H>[0-2]?\d):(?P<M>[0-5]\d)(?::(?P<S>[0-5]\d))?)?"
)


def find_dmy_time(zone: str, hint: datetime | None = None) -> Stamp | None:
    """'发表时间： 06/02/2022 - 13:48' — day/month or month/day, settled by the numbers or a hint date."""
    m = _DMY_LABELED_RE.search(zone)
    if not m:
        return None
    a, b = int(m.group("a")), int(m.group("b"))
    orders = [(b, a), (a, b)]  # (month, day): day-first is the default
    if a > 12:
        orders = [(b, a)]
    elif b > 12:
        orders = [(a, b)]
    elif hint is not None:
        orders.sort(key=lambda md: (md[0], md[1]) != (hint.month, hint.day))
    for mo, d in orders:
        r = _mk(m.group("y"), mo, d, m.group("H"), m.group("M"), m.group("S"))
        if r and _valid(r[0]):
            return Stamp(r[0], r[1], "visible")
    return None


_PUBLISH_LABELED_RE = re.compile(
    r"(?:发布时间|發布時間|发表时间|發表時間|发布日期|發佈日期|发布于|發布於|发表于|發表於|刊发时间|出版日期|发布|發布)"
    r"\s*[:：]?\s*" + _DATE + _WEEKDAY + _TIME
)


def find_visible_time(zone: str) -> Stamp | None:
    """Publish-labeled time first (发布时间:...), then any labeled time, else the first full date."""
    for rx in (_PUBLISH_LABELED_RE, LABELED_RE):
        m = rx.search(zone)
        if m:
            st = match_to_stamp(m, "visible")
            if st:
                return st
    for m in DATETIME_RE.finditer(zone):
        st = match_to_stamp(m, "visible")
        if st:
            return st
    return None


def find_noyear_time(zone: str, year: int) -> Stamp | None:
    m = _NOYEAR_RE.search(zone)
    if not m:
        return None
    r = _mk(year, m.group("m"), m.group("d"), m.group("H"), m.group("M"))
    return Stamp(r[0], r[1], "visible") if r else None


_ISO_RE = re.compile(
    r"((?:19|20)\d{2})-?([01]\d)-?([0-3]\d)(?:[T\s]+([0-2]\d):?([0-5]\d)(?::?([0-5]\d))?(?:\.\d+)?"
    r"\s*(Z|[+-][0-2]\d:?[0-5]\d)?)?"
)


def parse_machine_time(value: str, origin: str = "meta") -> Stamp | None:
    """ISO-ish timestamps from meta tags, JSON-LD, <time datetime>, epoch seconds/ms."""
    value = (value or "").strip()
    if not value:
        return None
    if value.isdigit() and len(value) in (10, 13):
        ts = int(value) / (1000 if len(value) == 13 else 1)
        try:
            dt = datetime.fromtimestamp(ts, CST)
        except (OverflowError, OSError, ValueError):
            return None
        return Stamp(dt, "second", origin) if _valid(dt) else None
    m = _ISO_RE.search(value)
    if m:
        y, mo, d, H, M, S, tz = m.groups()
        r = _mk(y, mo, d, H, M, S)
        if not r:
            return None
        dt, prec = r
        if tz:
            if tz == "Z":
                off = UTC
            else:
                sign = 1 if tz[0] == "+" else -1
                tz = tz[1:].replace(":", "")
                off = timezone(sign * timedelta(hours=int(tz[:2]), minutes=int(tz[2:])))
            dt = dt.replace(tzinfo=off).astimezone(CST)
        return Stamp(dt, prec, origin) if _valid(dt) else None
    m = DATETIME_RE.search(value)
    if m:
        return match_to_stamp(m, origin)
    return None


def url_date(url: str | None) -> Stamp | None:
    if not url:
        return None
    path = re.sub(r"^[a-z]+://[^/]+", "", url)
    for rx in _URL_DATE_RES:
        m = rx.search(path)
        if m:
            try:
                dt = datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)), tzinfo=CST)
            except ValueError:
                continue
            if _valid(dt):
                return Stamp(dt, "day", "url")
    m = re.search(r"(?<!\d)((?:19|20)\d{2})[-/]?([01]\d)(?!\d)", path)  # /2024-05/20/ handled above
    return None if not m else None


# ---------------------------------------------------------------------------- source / origin

_STOP_LABELS = (
    r"作者|記者|记者|编辑|編輯|责任编辑|責任編輯|责编|发布时间|發布時間|时间|時間|日期|字号|字體|字体|浏览|瀏覽|"
    r"阅读|閱讀|点击|點擊|分享|评论|評論|收藏|打印|关闭|关注|举报|原标题|本文转自|转载自|作者单位|通讯员|摄影|图片|"
    r"类别|分类|来源|來源|发布|發布|编审|校对|审核|监制|出品|人气|热度|选择字号"
)
SOURCE_RE = re.compile(
    r"(?:(?:稿件来源|文章来源|信息来源|新闻来源|本文来源|内容来源|来源|來源|稿源|出处|出處|原创|原創)\s*[:：]|"
    r"(?:本文来源于|来源于|來源於|来源自))[ \t\u3000\xa0]*[\[【]?[ \t\u3000\xa0]*"
    r"(?P<v>[^\s|丨｜/<>\"'\]】]{1,40}?(?:[-—－·][^\s|丨｜/<>\]】]{1,30}?)?)"
    r"(?=\s|$|[|丨｜/\]】]|" + _STOP_LABELS + r"|(?:19|20)\d\d[-年/.])"
)
ORIGIN_RE = re.compile(
    r"(?:本文转自|本文轉自|转载自|轉載自|转自|轉自|本文来自|稿件转自)\s*[:：]?\s*"
    r"(?P<v>[^\s|丨｜/<>，,。]{1,30}?)(?=\s|$|[|丨｜/，,。]|" + _STOP_LABELS + r")"
)
# not an outlet by its shape (a bare number or time, a lone bracket); placeholder words are data
# (news_assets/data/parse/source_placeholders.txt, checked in names.clean_outlet)
_SOURCE_BAD = re.compile(r"^[\d\-:\s]+$|^[【\[(（]$")


def clean_source(v: str | None) -> str | None:
    if not v:
        return None
    v = v.strip().strip("：:，,。;；|丨 ")
    for o, c in ("【】", "[]", "()", "（）"):
        if v.startswith(o) and v.endswith(c):
            v = v[1:-1]
        elif v.startswith(o) and c not in v:
            v = v[1:]
        elif v.endswith(c) and o not in v:
            v = v[:-1]
    if v.count("《") > v.count("》"):
        v += "》"
    v = re.sub(r"^(?:发布于|發布於)", "", v).strip()
    if not v or _SOURCE_BAD.search(to_simplified(v)) or len(v) > 40:
        return None
    return clean_outlet(v)


def _values(rx: re.Pattern, text: str):
    """Matches of ``rx`` on the simplified text (so 來源/記者 read as 来源/记者), each with its value
    group cut from the original text (the conversion is one character to one, offsets agree)."""
    for m in rx.finditer(to_simplified(text)):
        yield m, text[m.start("v") : m.end("v")]


def find_source(text: str) -> str | None:
    for _m, v in _values(SOURCE_RE, text):
        v = clean_source(v)
        if v:
            return v
    return None


_OUTLET = r"(?:网|網|报|報|社|台|新闻|新聞|周刊|杂志|雜誌|客户端|新媒体|传媒|傳媒|媒体|在线|在線|频道|頻道|号|號)"
OUTLET_AFTER_TIME_RE = re.compile(
    _DATE + _WEEKDAY + _TIME + r"\s*[·•|丨｜]?\s*(?P<v>[^\s|丨｜·•:：,，。]{2,20}?" + _OUTLET + r")(?=\s|$|[|丨｜])"
)
_NOT_ACCOUNT = re.compile(
    r"^(?:关注|\+关注|已关注|分享|收藏|举报|播报文章|正文|首页|评论|点赞|打开|下载|登录|注册|返回|更多|推荐|阅读|"
    r"听新闻|字号|大|中|小|微信|微博|QQ|QQ空间|复制链接|原创|转载|置顶|热门|导读|摘要|作者|编辑|来源|"
    r"点击看大图|点击查看大图|查看大图|查看原图|图片|图集|视频|音频|播放|暂停|朗读|收听|正文|全文|打印本页|关闭窗口)$",
    re.I,
)
_ACCOUNT_NAME = re.compile(r"^[\u4e00-\u9fffA-Za-z0-9·]{2,16}$")


def find_outlet_after_time(text: str) -> str | None:
    m = OUTLET_AFTER_TIME_RE.search(text)
    if m:
        v = re.sub(r"^\d{1,2}(?=\d{2}[\u4e00-\u9fff])", "", m.group("v"))  # "4439健康网" -> seconds glued on
        return clean_source(v)
    return None


_ACCOUNT_AFTER_TIME_RE = re.compile(
    _DATE + _WEEKDAY + _TIME + r"\s*[·•|丨｜]?\s*(?P<v>[\u4e00-\u9fffA-Za-z0-9]{2,12}?)\s*(?:来自|來自|发布于|發布於|IP属地|IP屬地)"
)


def find_account_after_time(text: str) -> str | None:
    """'2022-06-02 09:52:19政能亮 来自北京市': a self-media account between the time and its IP location."""
    m = _ACCOUNT_AFTER_TIME_RE.search(text)
    if m:
        v = re.sub(r"^\d{1,2}(?=\d{2}[\u4e00-\u9fff])", "", m.group("v"))
        if not _NOT_ACCOUNT.match(v) and not v.isdigit():
            return clean_source(v)
    return None


def find_account_line(zone: list[str]) -> str | None:
    """A bare media-account name right above the time line or a 关注 button (portal self-media pages)."""
    for i, ln in enumerate(zone[:8]):
        if not _ACCOUNT_NAME.match(ln) or _NOT_ACCOUNT.match(ln) or ln.isdigit():
            continue
        nxt = zone[i + 1] if i + 1 < len(zone) else ""
        if nxt in ("关注", "+关注", "+ 关注", "订阅", "+订阅") or (len(nxt) < 60 and DATETIME_RE.match(nxt)):
            return ln
    return None


_OUTLET_WORD = re.compile(r"报|網|网|社|台|新闻|新聞|电视|广播|日報|客户端")
_LOCAL_OUTLET = re.compile(r"^(?:本报|本網|本网|本台|本刊|本站|我台|我报|南都|央视)$")
# outlets credited in the byline itself: "顶端新闻·河南商报记者 X", "据新华社拉萨电", "【看中国2005年7月3日报道】"
_CREDIT_RES = (
    re.compile(r"^(?:整合|综合)?\s*[（(【\[]?\s*(?P<v>[^\s（(【\[\]】:：，,。]{2,16}?)\s*(?:特约|首席|见习|实习)?记者"),
    re.compile(r"^[（(【\[]?\s*据\s*(?P<v>[\u4e00-\u9fff·]{2,10}?(?:社|网|报|台))[\u4e00-\u9fff]{0,6}?(?:电|消息|报道)"),
    re.compile(r"^[【\[]\s*(?P<v>[\u4e00-\u9fff·]{2,10}?)\s*(?:(?:19|20)\d\d年)?\d{1,2}月\d{1,2}日\s*(?:电|讯|报道)\s*[】\]]"),
)


def find_outlet_credit(lines: list[str]) -> str | None:
    """The outlet a byline or dateline credits when the page has no 来源 label."""
    for ln in lines:
        if len(ln) > 200:
            ln = ln[:200]
        simp = to_simplified(ln)
        for i, rx in enumerate(_CREDIT_RES):
            m = rx.search(simp)
            if not m:
                continue
            v = m.group("v")
            if _LOCAL_OUTLET.match(v) or (i == 0 and not _OUTLET_WORD.search(v)):
                continue
            v = clean_source(ln[m.start("v") : m.end("v")])
            if v:
                return v
    return None


def find_origin(text: str) -> str | None:
    for _m, v in _values(ORIGIN_RE, text):
        return clean_source(v)
    return None


# ---------------------------------------------------------------------------------- authors

_NAME = r"[\u4e00-\u9fff·•]{2,5}"
_ROLE_WORDS = re.compile(
    r"记者|記者|通讯员|通訊員|实习生|實習生|特约|特約|评论员|評論員|编辑|編輯|责编|摄影|攝影|首席|本报|本報|"
    r"新华社|中新社|新華社|见习|見習|主持人|撰稿|观察员|研究员|教授|总监|主任|频道|来源|報導|报道|报|网"
)
_NOT_NAME = re.compile(r"^(?:本报|本報|责任|責任|综合|綜合|报道|報導|整理|整合|编译|編譯|摄|攝|图|圖|文|视频|视觉中国|新华社|记者|通讯员|实习生|中新网|央视网|人民网|客户端)$")

# "记者 李晓婷、周思宇" / "作者：X" / "文丨X" / "文/X" / "本报实习生 X"; a bare role noun only before a space or a
# colon (实习生占比达14% is a headline)
AUTHOR_LABEL_RE = re.compile(
    r"(?:(?<![编編])记者|(?<![编編])記者|(?:通讯员|通訊員|实习生|實習生)(?=[\s\u3000\xa0:：])|作者|撰文|文字|采写|执笔人|執筆人|执笔|執筆|文\s*[丨|/｜]|文：|文:)\s*[:：丨|/｜]?\s*"
    r"(?:[\u4e00-\u9fff]{0,10}?(?:特约评论员|评论员|評論員|特约撰稿人|撰稿人|专栏作家|專欄作家|研究员|观察员)\s*)?"
    r"(?P<v>(?:[\u4e00-\u9fff·•]{2,5}?(?:[ \t\u3000\xa0、，,和及与&＆/／]+|$|(?=[)）\]】\s。;；|丨/／]|发自|發自|报道|報導|摄|攝|采写|整理|来源|时间|发布|日期|编辑|责编|\d))){1,8})"
)
PAREN_AUTHORS_RE = re.compile(r"[（(]\s*(?:(?:本报|本報)?(?:记者|記者)\s*)?(?P<v>[\u4e00-\u9fff·•、，,\s]{2,40}?)\s*[)）]")


BRACKET_NAME_RE = re.compile(r"[\[【]\s*([\u4e00-\u9fff·]{2,4})\s*[\]】]")


def bracket_author(zone: str) -> list[str]:
    """'2004年7月16日08:19 [ 黄宇 ] 来源：...' — a bracketed name on a byline line with a time."""
    for ln in zone.split("\n"):
        if len(ln) < 120 and DATETIME_RE.search(ln):
            m = BRACKET_NAME_RE.search(ln)
            if m and not _NOT_NAME.match(m.group(1)) and not _ROLE_WORDS.search(m.group(1)):
                return [m.group(1)]
    return []


_ROLE_LABEL = re.compile(r"^(?:本报|本報)?(?:特约|特約|见习|見習|实习|實習|首席)?(?:记者|記者|通讯员|通訊員|实习生|實習生)$")


def _strip_place(tok: str) -> str:
    """'王小明北京' (记者王小明北京报道) -> '王小明': a division or country name glued after a name."""
    if len(tok) >= 4:
        for k in (2, 3):
            rest = to_simplified(tok[k:])
            if len(rest) >= 2 and rest in place_names():
                return tok[:k]
    return tok


_AMP_NICK = re.compile(r"[\u4e00-\u9fff]{1,4}[&＆][\u4e00-\u9fff]{1,4}")


def split_names(v: str) -> list[str]:
    out: list[str] = []
    v = re.sub(r"(?<=\S)\s+[\u4e00-\u9fff]{2,6}(?:报道|報導|发自|發自)$", "", v.strip())  # "彭冲 山东冠县报道"
    # "马俊峰/文 受访者供图": a slash before a role word ends the names; "张明/李华" is two names
    v = re.split(r"发自|發自|报道|報導|采写|整理|编译|編譯|综述|供图|[/／]\s*(?:文|图|圖|摄|攝|视频|視頻)", v.strip())[0]
    v = re.sub(r"(摄影|攝影|摄|攝|/?图)$", "", v.strip())
    # "胡一刀&李小飞刀" are two people; "放飞&心情" is one nickname: split at & only between surnamed names
    v = re.sub(r"([\u4e00-\u9fff]{2,4})\s*[&＆]\s*(?=([\u4e00-\u9fff]{2,4}))",
               lambda m: m.group(1) + ("、" if has_surname(m.group(1)) and has_surname(m.group(2)) else "&"), v)
    for tok in re.split(r"[\s、，,和及与/／]+", v):
        tok = tok.strip("·• ")
        if not tok:
            continue
        tok = re.sub(r"^(?:本报|本報)?(?:新华社|新華社|中新社|中新网)?(?:特约|見習|见习|实习|首席)?(?:记者|記者|通讯员|作者)", "", tok)
        tok = re.sub(r"(?:摄影|攝影|报道|報導|摄|攝)$", "", tok)
        tok = _strip_place(tok)
        if not tok or _ROLE_LABEL.match(tok):
            continue  # "记者 周海波 通讯员 吴雪婷": a bare role label; the next role's names follow
        nick = _AMP_NICK.fullmatch(tok)  # "放飞&心情": one forum nickname, kept whole
        if not (nick or 2 <= len(tok) <= 4) or _NOT_NAME.match(tok) or _ROLE_WORDS.search(tok):
            if out:
                break
            continue
        if not (nick or re.fullmatch(r"[\u4e00-\u9fff·•]+", tok)):
            continue
        out.extend(split_glued(tok))
    return out


def _back(original: str, simplified: str, names: list[str]) -> list[str]:
    """Names found in ``simplified`` as they are written in ``original`` (same offsets)."""
    out, pos = [], 0
    for n in names:
        i = simplified.find(n, pos)
        if i < 0:
            out.append(n)
            continue
        out.append(original[i : i + len(n)])
        pos = i + len(n)
    return out


def _labelled_names(line: str, accept) -> list[str]:
    simp = to_simplified(line)
    for m in AUTHOR_LABEL_RE.finditer(simp):
        v = m.group("v")
        if simp[m.end() : m.end() + 2] == "报道" and re.search(r"\S\s+\S+$", v):
            v = re.sub(r"\s+\S+$", "", v)  # "彭冲 山东冠县报道": the token glued to 报道 is a place
        names = split_names(v)
        if accept is not None:
            names = [n for n in names if accept(n)]
        if names:
            return _with_alias(line, _back(line, simp, names))
    return []


# "作者： 周思博 (Joel Spolsky)": a translated author's own name in brackets belongs to the name
LATIN_ALIAS = re.compile(r"\s*[（(]\s*[A-Z][A-Za-z.'\-]*(?: [A-Za-z.'\-]+){0,3}\s*[)）]")


def _with_alias(line: str, names: list[str]) -> list[str]:
    if len(names) != 1 or (i := line.find(names[0])) < 0:
        return names
    m = LATIN_ALIAS.match(line, i + len(names[0]))
    return [line[i : m.end()]] if m else names


def authors_from_text(text: str, accept=None) -> list[str]:
    """Names after the first author label whose names pass ``accept`` (a name -> bool check), with those
    of the byline lines right below it ("本报实习生 X Y" over "本报记者 Z": one byline, two roles)."""
    out: list[str] = []
    for line in text.split("\n"):
        names = _labelled_names(line, accept)
        if names:
            out.extend(n for n in names if n not in out)
        elif out:
            break
    return out


# ---------------------------------------------------------------------------------- dateline

_AGENCIES = (
    r"新华社|新華社|中新社|中新网|中新網|中国新闻网|人民网|人民網|央视网|央視網|央视新闻|国际在线|中国网|中國網|"
    r"光明网|法新社|美联社|美聯社|路透社|共同社|塔斯社|韩联社|韓聯社|中央社|本报|本報|新华网|新華網|"
    r"[\u4e00-\u9fff]{2,6}?(?:社|网|網|报|報|台|电视台|客户端|新闻|新聞)"
)
DATELINE_RE = re.compile(
    r"^\s*[（(【\[]?\s*(?P<agency>" + _AGENCIES + r")\s*(?:记者\s*)?"
    r"(?P<place>[\u4e00-\u9fff·]{0,12}?)\s*(?P<date>(?:(?P<m>\d{1,2})\s*月\s*)?(?P<d>\d{1,2})\s*日)\s*"
    r"(?:[电電]|[讯訊]|消息)"
)


def find_dateline(first_line: str, publish: datetime | None):
    m = DATELINE_RE.search(first_line[:60])
    if not m:
        return None
    agency = m.group("agency")
    place = m.group("place") or None
    if place and place[:2] in ("记者", "記者"):
        rest = place[2:]
        name = rest[:3] if len(rest) >= 5 else rest[:2]
        place = rest[len(name) :] or None
    day = int(m.group("d"))
    month = int(m.group("m")) if m.group("m") else None
    iso = None
    if publish is not None:
        y = publish.year
        mo = month or publish.month
        try:
            d = date(y, mo, day)
            if d > publish.date() + timedelta(days=2):
                d = date(y - 1, mo, day) if month else _prev_month(y, mo, day)
            iso = d.isoformat() if d else None
        except ValueError:
            iso = None
    return agency, place, iso


def dateline_reporter(line: str) -> list[str]:
    """'（中央社記者陳秉弘台北20日電）' -> ['陳秉弘'] (reporter named inside the dateline)."""
    m = DATELINE_RE.search(line[:60])
    if not m or not m.group("place") or m.group("place")[:2] not in ("记者", "記者"):
        return []
    rest = m.group("place")[2:]
    name = rest[:3] if len(rest) >= 5 else rest[:2]
    return [name] if len(name) >= 2 else []


def _prev_month(y: int, mo: int, day: int):
    mo -= 1
    if mo == 0:
        y, mo = y - 1, 12
    try:
        return date(y, mo, day)
    except ValueError:
        return None


# ---------------------------------------------------------------------------------- category

CATEGORY_RE = re.compile(r"(?:类别|類別|分类|分類|栏目|欄目|频道|頻道)\s*[:：]\s*(?P<v>[^\s|丨｜/>]{1,12})")


def clean_category(v: str | None) -> str | None:
    if not v:
        return None
    v = v.strip(" -—_>|·:：")
    if not v or re.search(r"\d+\s*页|^[\W_]+$|^\d+$", v) or len(v) > 12:
        return None
    return v


def find_category(text: str) -> str | None:
    m = CATEGORY_RE.search(text)
    return clean_category(m.group("v")) if m else None


_CRUMB_SPLIT = re.compile(r"\s*(?:>|＞|›|»|→|/|\\|>>)\s*")
_CRUMB_SKIP = re.compile(
    r"^(?:首页|首頁|主页|主頁|正文|内容|详情|當前位置|当前位置|您的位置|你的位置|您现在的位置|现在位置|位置|"
    r"网站首页|本站首页|返回首页|home|Home|新闻中心|新闻|新聞|资讯|.{1,6}首页|.{1,6}首頁)(?:[:：].*)?$"
)


def breadcrumb_category(lines: list[str], title: str | None) -> str | None:
    """'首页 > 经济 > 正文' -> '经济' (the deepest crumb that is not the page itself)."""
    for ln in reversed(lines):
        if len(ln) > 80 or not re.search(r">|＞|›|»|→", ln):
            continue
        if not re.search(r"首页|首頁|位置|主页|Home|home", ln) and len(_CRUMB_SPLIT.split(ln.strip(" >"))) < 2:
            continue
        ln = re.sub(r"^.*?(?:当前位置|您的位置|你的位置|您现在的位置|现在位置|位置)\s*[:：]\s*", "", ln)
        crumbs = [c.split()[0] for c in _CRUMB_SPLIT.split(ln) if c.strip()]
        crumbs = [c for c in crumbs if not _CRUMB_SKIP.match(c) and (not title or c not in title)]
        crumbs = [c for c in (clean_category(c) for c in crumbs) if c and 1 < len(c) <= 10]
        if crumbs:
            return crumbs[-1]
    return None
