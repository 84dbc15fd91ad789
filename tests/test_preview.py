"""The UI preview of a partition's first rows (assets/_common.preview_md)."""

from datetime import date

import polars as pl

from news_assets.assets._common import preview_md


def test_preview_lists_the_chosen_columns_of_the_first_rows_escaped_and_cut():
    df = pl.DataFrame({"text": ["721亿美元", "a|b", "x" * 80, "多", "五", "六"],
                       "day": [date(2024, 5, 26)] * 6, "n": [1, None, 3, 4, 5, 6], "other": [0] * 6})
    md = preview_md(df, ["text", "day", "n", "missing"], n=3, width=10).value.splitlines()
    assert md[0] == "| text | day | n |"
    assert md[1] == "|---|---|---|"
    assert md[2] == "| 721亿美元 | 2024-05-26 | 1 |"
    assert md[3] == "| a\\|b | 2024-05-26 |  |"
    assert md[4] == "| " + "x" * 9 + "… | 2024-05-26 | 3 |"
    assert len(md) == 5


def test_preview_of_nothing_says_so():
    assert preview_md(None, ["a"]).value == "_no rows_"
    assert preview_md(pl.DataFrame({"a": []}), ["a"]).value == "_no rows_"
