"""One owner per rule: each former pair of rules now gives one answer on the same inputs."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

import pytest

from news_assets import partitions, sqlproject
from news_assets.facts import _ref
from news_assets.parse.fields import url_date
from news_assets.sources import discover, folder

REPO = Path(__file__).resolve().parent.parent
URLS = [
    "http://www.news.cn/politics/2024-05/25/c_1130151234.htm",
    "http://www.gov.cn/xinwen/20240525/abc.html",
    "https://example.com/a/t20240525_123.html",
    "https://example.com/2024/0525/a.html",
    "https://example.com/a/1234567.html",
    "https://example.com/a/20241340_1.html",  # not a date
    "https://example.com/2019_12/31/x.shtml",
    "https://example.com/show.html?d=20240524",  # the parser reads the query too; discovery now does
]


def test_one_time_zone_for_partitions_discovery_and_folder_dating():
    assert str(partitions.ZONE) == partitions.TIMEZONE
    assert discover.ZONE is partitions.ZONE and folder.ZONE is partitions.ZONE
    late = datetime(2024, 5, 25, 17, 30, tzinfo=UTC)  # 01:30 the next day in the partition zone
    assert discover.to_day(late) == "2024-05-26"
    page = ('<html><head><meta charset="utf-8"><title>t</title><meta name="publishdate" '
            'content="2024-05-26T01:30:00+08:00"></head><body><h1>某市新设企业</h1>'
            '<div class="content"><p>本报讯 某市新设企业25家,同比增长56%,实际利用外资3.7亿元,内容足够长。</p>'
            '<p>这是正文的第二段,内容足够长以便被识别为正文,并且包含逗号、句号等标点符号。</p></div></body></html>')
    got, _ = folder._page_date(page.encode(), "folder://f/a.html", None)
    assert (got["date"], got["date_source"]) == (discover.to_day(late), "parsed")


@pytest.mark.parametrize("url", URLS)
def test_discovery_dates_a_url_as_the_parser_does(url):
    stamp = url_date(url)
    assert discover.date_in_url(url) == (stamp.dt.date().isoformat() if stamp else None)


def test_date_in_url_values():
    assert [discover.date_in_url(u) for u in URLS] == [
        "2024-05-25", "2024-05-25", "2024-05-25", "2024-05-25", None, None, "2019-12-31", "2024-05-24"]


def test_seeds_and_the_extractor_read_the_same_reference_rows():
    for seed, tsv in sqlproject.SEED_SOURCES.items():
        header, rows = _ref.table(tsv)
        seed_rows = sqlproject.reference_seed(seed)
        assert len(seed_rows) == len(rows) + 1 and [r[0] for r in seed_rows[1:]] == [r[0] for r in rows]
    assert [d.code for d in _ref.divisions()[0]] == [r[0] for r in sqlproject.reference_seed("divisions")[1:]]
    with (REPO / "dbt_like_sql" / "seeds" / "countries.csv").open(encoding="utf-8", newline="") as f:
        countries = {r["code"]: r["name"] for r in csv.DictReader(f)}
    assert {code: name for code, name in _ref.countries().values()} == countries
    assert sqlproject.write_seeds(check=True) == []  # the committed seeds are these rows
