"""Vocabularies the header-field rules use, loaded once from data files beside the package.

``news_assets/data/parse/``: surnames, words that are not names, portal names by host, channel words,
source placeholders. ``news_assets/data/reference/``: the traditional -> simplified table (t2s.tsv) and
the place names (divisions.tsv, countries.tsv) that a bracket after an outlet may hold.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"
PARSE_DATA = DATA / "parse"
REFERENCE = DATA / "reference"


def _lines(path: Path) -> list[str]:
    return [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()
            if ln.strip() and not ln.startswith("#")]


@cache
def t2s_table() -> dict[int, int]:
    """str.translate table, one character to one character, so offsets in converted text are offsets in
    the original."""
    table: dict[int, int] = {}
    for ln in _lines(REFERENCE / "t2s.tsv"):
        t, _, s = ln.partition("\t")
        if len(t) == 1 and len(s) == 1 and t != s:
            table[ord(t)] = ord(s)
    return table


@cache
def _traditional_chars():
    return re.compile("[" + "".join(re.escape(c) for c in sorted(map(chr, t2s_table()))) + "]")


def to_simplified(text: str) -> str:
    # most pages are simplified: one C-level search usually saves the per-character translate
    if not _traditional_chars().search(text):
        return text
    return text.translate(t2s_table())


@cache
def surnames() -> tuple[frozenset[str], frozenset[str]]:
    """(single-character surnames, compound surnames)."""
    single: set[str] = set()
    compound: set[str] = set()
    for ln in _lines(PARSE_DATA / "surnames.txt"):
        if len(ln) == 2:
            compound.add(ln)
        else:  # the line of single-character surnames
            single.update(ln)
    return frozenset(single), frozenset(compound)


@cache
def not_names() -> tuple[frozenset[str], tuple[str, ...]]:
    """(words that are never a name, prefixes a name never starts with)."""
    words: set[str] = set()
    prefixes: list[str] = []
    for ln in _lines(PARSE_DATA / "not_names.txt"):
        if ln.startswith("prefix:"):
            prefixes.append(ln[len("prefix:"):])
        else:
            words.add(ln)
    return frozenset(words), tuple(prefixes)


@cache
def portals() -> tuple[dict[str, tuple[str, ...]], frozenset[str]]:
    """(host suffix -> the portal's names, every portal name)."""
    by_host: dict[str, tuple[str, ...]] = {}
    for ln in _lines(PARSE_DATA / "portals.tsv"):
        host, _, names = ln.partition("\t")
        by_host[host] = tuple(n for n in names.split("|") if n)
    return by_host, frozenset(n for ns in by_host.values() for n in ns)


@cache
def channels() -> tuple[str, ...]:
    return tuple(_lines(PARSE_DATA / "channels.txt"))


@cache
def source_placeholders() -> frozenset[str]:
    return frozenset(w.lower() for w in _lines(PARSE_DATA / "source_placeholders.txt"))


@cache
def place_names() -> frozenset[str]:
    """Chinese division names (full and short, every year) and country names: what a trailing bracket
    after an outlet holds when it names where the outlet sits (南方日报(广州))."""
    out: set[str] = set()
    rows = (REFERENCE / "divisions.tsv").read_text(encoding="utf-8").splitlines()[1:]
    for row in rows:
        cols = row.split("\t")
        if len(cols) > 2:
            out.add(cols[1])
            out.update(s for s in cols[2].split("|") if len(s) >= 2)
    for row in (REFERENCE / "countries.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        out.update(c for c in row.split("\t")[1:] if c)
    return frozenset(out)
