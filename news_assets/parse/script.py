"""Language and script (simplified vs traditional Chinese) from character statistics."""

from __future__ import annotations

import re

from .extract import cjk_count

# Characters that exist only in one script (common ones), pairwise traditional/simplified.
_TRAD = set("們這個來時為說國會對發後與經動學問點開關當實現體過還進長門電東車義場報區華務業萬無總應辦灣臺權議質隊運達際頭網間聞"
            "認識讓從們麼樣處將嗎員條見較樣氣書給這號們覺變買賣廣興戰歲愛態總層萬與產會傳們價們")
_SIMP = set("们这个来时为说国会对发后与经动学问点开关当实现体过还进长门电东车义场报区华务业万无总应办湾台权议质队运达际头网间闻"
            "认识让从么样处将吗员条见较气书给号觉变买卖广兴战岁爱态层产传价")
_TRAD_RE = re.compile("[" + "".join(sorted(_TRAD)) + "]")
_SIMP_RE = re.compile("[" + "".join(sorted(_SIMP)) + "]")
_LATIN = re.compile(r"[A-Za-z]")


def detect_language(text: str) -> tuple[str | None, str | None]:
    """("zh", "Hans"|"Hant") for Chinese text, ("en", None)-ish for Latin text, (None, None) if empty."""
    sample = text[:5000]
    if not sample.strip():
        return None, None
    cjk = cjk_count(sample)  # U+4E00..U+9FFF, about five times faster than findall on a body
    if cjk >= 10 or (cjk and cjk * 3 >= len(_LATIN.findall(sample))):
        t = len(_TRAD_RE.findall(sample))
        s = len(_SIMP_RE.findall(sample))
        return "zh", ("Hant" if t > s else "Hans")
    if len(_LATIN.findall(sample)) >= 20:
        return "en", "Latn"
    return None, None
