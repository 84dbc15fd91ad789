"""Bundled reference data (news_assets/data/reference), loaded once and cached."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

REF_DIR = Path(__file__).resolve().parent.parent / "data" / "reference"


@dataclass(frozen=True, slots=True)
class Division:
    code: str
    name: str
    level: str  # province | prefecture | county
    province: str
    parent: str
    valid_from: int
    valid_to: int | None  # exclusive year; None = still in use
    successors: tuple[str, ...]

    def valid_in(self, year: int) -> bool:
        return self.valid_from <= year and (self.valid_to is None or year < self.valid_to)


def table(name: str) -> tuple[list[str], list[list[str]]]:
    """A bundled TSV as (header, rows), each row its tab-separated cells (alias columns may trail):
    the one reader of these files, for the extractor and the warehouse seeds alike."""
    with (REF_DIR / name).open(encoding="utf-8") as f:
        header = next(f).rstrip("\n").split("\t")
        return header, [line.split("\t") for line in (raw.rstrip("\n") for raw in f) if line]


def _rows(name: str):
    yield from table(name)[1]


@lru_cache(maxsize=1)
def divisions() -> tuple[list[Division], dict[str, list[tuple[Division, bool]]]]:
    """All divisions and a surface form -> [(division, is_short_form)] index."""
    divs: list[Division] = []
    surface: dict[str, list[tuple[Division, bool]]] = {}
    for code, name, short, level, prov, parent, vf, vt, succ in _rows("divisions.tsv"):
        succs = tuple(s.split("[")[0] for s in succ.split(";") if s)
        d = Division(code, name, level, prov, parent, int(vf), int(vt) if vt else None, succs)
        divs.append(d)
        surface.setdefault(name, []).append((d, False))
        for s in short.split("|"):
            if s:
                surface.setdefault(s, []).append((d, True))
    return divs, surface


@lru_cache(maxsize=1)
def by_code() -> dict[str, list[Division]]:
    out: dict[str, list[Division]] = {}
    for d in divisions()[0]:
        out.setdefault(d.code, []).append(d)
    return out


def current_name(code: str, year: int) -> str | None:
    recs = by_code().get(code, [])
    for d in recs:
        if d.valid_in(year):
            return d.name
    return recs[-1].name if recs else None


def _names(file: str) -> dict[str, tuple[str, str]]:
    """surface -> (code, canonical name) from a `code<TAB>name<TAB>alias…` table."""
    out = {}
    for parts in _rows(file):
        for n in parts[1:]:
            out[n] = (parts[0], parts[1])
    return out


@lru_cache(maxsize=1)
def countries() -> dict[str, tuple[str, str]]:
    """surface -> (ISO alpha-2, canonical Chinese name)."""
    return _names("countries.tsv")


@lru_cache(maxsize=1)
def macros() -> dict[str, tuple[str, str]]:
    """surface -> (stable id macro:…, canonical name)."""
    return _names("macro.tsv")


@lru_cache(maxsize=1)
def currencies() -> dict[str, str]:
    """currency word -> ISO 4217 code."""
    return {r[0]: r[1] for r in _rows("currencies.tsv")}


@lru_cache(maxsize=1)
def currency_symbols() -> dict[str, str]:
    """a sign written before an amount (¥, $, US$, HK$, €, £, RMB) -> ISO 4217 code."""
    return {r[0]: r[1] for r in _rows("currency_symbols.tsv")}


@lru_cache(maxsize=1)
def currency_scales() -> dict[str, Decimal]:
    """subunit words -> their value in the main unit (美分 -> 0.01); main units are absent."""
    return {r[0]: Decimal(r[2]) for r in _rows("currencies.tsv") if len(r) > 2 and r[2]}


@lru_cache(maxsize=1)
def abbreviations() -> dict[str, str]:
    return {ch: c for ch, c in _rows("abbreviations.tsv")}


@lru_cache(maxsize=1)
def homographs() -> frozenset[str]:
    return frozenset((REF_DIR / "homographs.txt").read_text(encoding="utf-8").split())


@lru_cache(maxsize=1)
def norm_table() -> dict[int, str]:
    """Same-length normalisation: traditional -> simplified characters, full-width digits and signs."""
    table: dict[int, str] = {}
    for line in (REF_DIR / "t2s.tsv").read_text(encoding="utf-8").splitlines():
        if "\t" in line:
            a, b = line.split("\t")
            if len(a) == 1 and len(b) == 1:
                table[ord(a)] = b
    for i in range(10):
        table[0xFF10 + i] = str(i)
    table[ord("％")] = "%"
    table[ord("．")] = "."
    table[ord("～")] = "~"
    table[ord("－")] = "-"
    table[ord("〇")] = "〇"
    return table


@lru_cache(maxsize=1)
def norm_needed_re():
    """Matches any character the normalisation table would change (most simplified texts have none)."""
    import re

    chars = "".join(sorted(chr(k) for k in norm_table() if chr(k) != norm_table()[k]))
    return re.compile("[" + re.escape(chars) + "]")


@lru_cache(maxsize=1)
def _norm_chars() -> dict[str, str]:
    """norm_table keyed by the character itself, for the substitution in normalise."""
    return {chr(k): v for k, v in norm_table().items()}


def normalise(text: str) -> str:
    """Traditional -> simplified and full-width digits, character for character (offsets unchanged)."""
    rx = norm_needed_re()
    if rx.search(text) is None:
        return text
    # a substitution of the characters that change, not str.translate: translate looks every character
    # up in the table and pays a failed lookup for each one that is not in it (most of a text), ~10x slower
    chars = _norm_chars()
    return rx.sub(lambda m: chars[m.group()], text)


@lru_cache(maxsize=1)
def lunar_years() -> dict[int, tuple[date, list[tuple[int, bool, int]]]]:
    """Lunar year -> (its first day, [(month, is_leap, days)] in order), from lunar.tsv."""
    out: dict[int, tuple[date, list[tuple[int, bool, int]]]] = {}
    for year, new_year, spec in _rows("lunar.tsv"):
        months = []
        for item in spec.split(","):
            name, days = item.split("=")
            months.append((int(name.rstrip("L")), name.endswith("L"), int(days)))
        out[int(year)] = (date.fromisoformat(new_year), months)
    return out


def lunar_to_solar(year: int, month: int, day: int, leap: bool = False) -> date | None:
    """The solar date of a lunar date, or None outside the table or for a day the month lacks."""
    entry = lunar_years().get(year)
    if entry is None:
        return None
    d, months = entry
    for m, is_leap, days in months:
        if m == month and is_leap == leap:
            return d + timedelta(days=day - 1) if 1 <= day <= days else None
        d += timedelta(days=days)
    return None
