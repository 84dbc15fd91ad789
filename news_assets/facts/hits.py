"""What the finders return: typed rows in the normalised text's offsets (extract() turns them into
RegionMention / DateMention / Fact). NamedTuples, so they stay cheap and unpack like the tuples before."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import NamedTuple


class RegionHit(NamedTuple):
    start: int
    end: int
    code: str
    name: str
    level: str  # province | prefecture | county | country | macro
    province_code: str | None


class DateHit(NamedTuple):
    start: int
    end: int
    start_date: date
    end_date: date
    granularity: str  # day | month | quarter | half | year | range


class MoneyHit(NamedTuple):
    start: int
    end: int
    value: Decimal
    value_high: Decimal | None
    currency: str
    qualifier: str | None


class CountHit(NamedTuple):
    start: int
    end: int
    value: Decimal
    value_high: Decimal | None
    unit: str
    qualifier: str | None


class PercentHit(NamedTuple):
    start: int
    end: int
    value: Decimal
    qualifier: str | None
