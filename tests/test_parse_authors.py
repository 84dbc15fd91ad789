"""Author classes of issue 16, each pinned by a small portal-shaped page written for the test (simplified
and traditional): the pages are under fixtures/parse_authors, their expected authors here."""

from __future__ import annotations

from pathlib import Path

import pytest

from news_assets.parse import fields as F
from news_assets.parse import parse_html

PAGES = Path(__file__).resolve().parent / "fixtures" / "parse_authors"


def _authors(name: str) -> list[str]:
    return parse_html((PAGES / name).read_bytes()).authors  # forum pages are not articles; authors still count


@pytest.mark.parametrize(
    "name, want",
    [
        # several role lines under the headline are one byline: every role's names count
        ("roles_two_lines.html", ["刘晓东", "周炜", "王燕平", "方云凤"]),
        ("roles_two_lines_trad.html", ["陳小明", "林嘉欣", "黃志強"]),
        # an unlabelled name line between the headline and the text (a menu column's items are not one)
        ("name_under_headline.html", ["李文华"]),
        ("name_under_headline_trad.html", ["張國強", "林美玲"]),
        # a forum post's poster from its signature line; a handle in Latin letters counts there
        ("forum_poster.html", ["老刘"]),
        ("forum_poster_trad.html", ["tom_lee"]),
        # an &-joined nickname after 作者 is one person
        ("forum_nickname_trad.html", ["放飛&心情"]),
        # the closing byline, with a teaser the extractor kept after it
        ("closing_byline_before_teaser.html", ["余小菁", "向雪妮"]),
        # a translated author's own name in brackets stays with the name
        ("translated_author_alias.html", ["米海文 (Michael Hewitt)"]),
        # a journal portal's citation line for the page's own title (not a reference list's entry)
        ("journal_citation.html", ["郑晓明", "汪丽"]),
        # a blog's owner from the link to the blog's home titled '[X]的博客' (the first one: the owner's card)
        ("blog_owner_link.html", ["老树皮"]),
    ],
)
def test_page_authors(name, want):
    assert _authors(name) == want


@pytest.mark.parametrize(
    "text, want",
    [
        ("本站讯（职工通讯员 李琴雯 刘会）为推进工作……", ["李琴雯", "刘会"]),
        ("本报实习生 刘国栋 周炜\n本报记者 王燕平", ["刘国栋", "周炜", "王燕平"]),
        ("實習生 陳小明", ["陳小明"]),
        ("晶科电子IPO：实习生占比达14% 2.7亿关联交易何解？", []),  # a role noun in a headline: no byline
        ("通讯员队伍建设情况", []),
        ("作者：胡一刀&李小飞刀", ["胡一刀", "李小飞刀"]),  # two surnamed names: two people
    ],
)
def test_role_nouns_as_labels(text, want):
    assert F.authors_from_text(text) == want
