"""The finders return typed rows (facts/hits.py), and the region options cache keys on values."""

from datetime import date
from decimal import Decimal

from news_assets.facts import _ref
from news_assets.facts.amounts import find_amounts
from news_assets.facts.dates import find_dates
from news_assets.facts.hits import CountHit, DateHit, MoneyHit, PercentHit, RegionHit
from news_assets.facts.regions import _entries, find_regions


def test_finders_return_named_rows():
    norm = _ref.normalise("2023年重庆市新设企业3500多家，合同金额721亿美元，增长5.6%。")
    (r,) = find_regions(norm, 2023)
    assert isinstance(r, RegionHit) and (r.code, r.level, norm[r.start:r.end]) == ("500000", "province", "重庆市")
    (d,) = find_dates(norm, date(2024, 1, 18))
    assert isinstance(d, DateHit) and (d.start_date, d.end_date, d.granularity) == (
        date(2023, 1, 1), date(2023, 12, 31), "year")
    money, counts, pcts = find_amounts(norm, [(d.start, d.end)])
    assert money == [MoneyHit(money[0].start, money[0].end, Decimal("72100000000"), None, "USD", None)]
    assert isinstance(counts[0], CountHit) and (counts[0].value, counts[0].unit, counts[0].qualifier) == (
        Decimal(3500), "家", "gt")
    assert isinstance(pcts[0], PercentHit) and pcts[0].value == Decimal("5.6")


def test_money_offsets_map_back_through_a_line_break():
    norm = _ref.normalise("投资3.\n7亿元建设新区。")
    money, _, _ = find_amounts(norm, [])
    assert [(norm[m.start:m.end], m.value) for m in money] == [("3.\n7亿元", Decimal("370000000"))]


def test_region_options_cache_is_keyed_by_surface_and_year():
    assert _entries("重庆", 2024) is _entries("重庆", 2024)  # one cached answer per (surface, year)
    old = [opts for kind, opts, _ in _entries("崇文区", 2005) if kind == "division"]
    new = [opts for kind, opts, _ in _entries("崇文区", 2024) if kind == "division"]
    assert old and old[0][0][0].code == "110103"
    assert not new or new[0][0][0].code != "110103"  # merged into 东城区 in 2010


def test_normalise_is_the_table_character_for_character():
    table = _ref.norm_table()
    text = "重庆" + "".join(chr(k) for k in table) + "２０２４年，增長５．６％。"
    assert _ref.normalise(text) == text.translate(table)
    assert _ref.normalise("2024年重庆") == "2024年重庆"
