"""Linking a fact to its region and period, per clause (inline sentences only)."""

from __future__ import annotations

import time
from datetime import date

import pytest

from news_assets.facts import extract

PUB = date(2024, 5, 26)


def _money(text: str, pub: date = PUB):
    return [f for f in extract(text, pub).facts if f.kind == "money"]


def test_each_item_of_a_region_amount_list_takes_its_own_region():
    got = _money("去年，北京人均月支出420元、天津385元、河北360元。")
    assert [(f.text, f.region_code, f.region_source) for f in got] == [
        ("420元", "110000", "sentence"), ("385元", "120000", "sentence"), ("360元", "130000", "sentence")]
    got = _money("一季度，广州市实现增加值700亿元、深圳市650亿元、珠海市120亿元。")
    assert [f.region_code for f in got] == ["440100", "440300", "440400"]
    assert all((f.period_start, f.period_end) == (date(2024, 1, 1), date(2024, 3, 31)) for f in got)


def test_anaphors_refer_back_to_their_region():
    got = _money("德清县召开经济运行分析会。1-10月，全县固定资产投资完成246.79亿元。")
    assert (got[0].region_code, got[0].region_source) == ("330521", "sentence")
    got = _money("江门市公安局通报，今年以来，全市共追回损失3000万元。")
    assert got[0].region_code == "440700"
    got = _money("四川省召开新闻发布会。发布会上介绍，该省去年引进外资120亿美元。")
    assert got[0].region_code == "510000"
    got = _money("广西壮族自治区召开会议。全区旅游收入达到1000亿元。")
    assert got[0].region_code == "450000"
    got = _money("重庆举行发布会。我市今年一季度实现社会消费品零售总额4000亿元。")
    assert got[0].region_code == "500000"


def test_national_figures_take_cn():
    for text in ("全国一般公共预算收入达21.7万亿元。", "我国对外直接投资1200亿美元。",
                 "海关总署公布，前4个月进出口总值13.81万亿元。"):
        [f] = _money(text)
        assert (f.region_code, f.region_source) == ("CN", "sentence"), text
    [f] = _money("全国人大代表王某建议，每户补贴500元。")
    assert f.region_code is None


def test_each_amount_takes_its_own_year():
    got = _money("该市生产总值从2010年的320亿元增长到2020年的1150亿元。")
    assert [(f.period_start, f.period_end) for f in got] == [
        (date(2010, 1, 1), date(2010, 12, 31)), (date(2020, 1, 1), date(2020, 12, 31))]
    assert all(f.period_source == "sentence" for f in got)
    got = _money("营业收入由2019年的5亿元提高到2023年的12亿元。")
    assert [f.period_start.year for f in got] == [2019, 2023]


def test_a_since_form_runs_to_the_publish_date():
    got = _money("今年以来，全省累计发放稳岗补贴12亿元。")
    assert (got[0].period_start, got[0].period_end, got[0].period_source) == (date(2024, 1, 1), PUB, "sentence")


def test_the_previous_sentence_lends_only_its_subject_region():
    got = _money("1-10月，湖州市工业投资增长10%。其中，技改投资完成80亿元。")
    assert (got[0].region_code, got[0].region_source) == ("330500", "context")
    # 中国 deep inside the previous sentence is no subject of the next one
    got = _money("2005年，是中国抗日战争胜利60周年。为此，电影制片厂投入五千万元拍片。")
    assert (got[0].region_code, got[0].region_source) == (None, None)


def test_no_period_stated_falls_back_to_publish_date_truthfully():
    [f] = _money("公司获得5000万元融资。")
    assert (f.period_start, f.period_end, f.period_source) == (None, PUB, "publish_date")
    assert f.region_source is None


def test_linking_time_grows_linearly_with_body_length():
    unit = ("今年一季度，重庆新设港资企业25家、同比增长56%，实际利用外资3.7亿美元，"
            "北京420元、天津385元、河北360元，全市投资100亿元，")  # one endless sentence, no full stop
    t = []
    for n in (50, 400):
        body = unit * n
        best = float("inf")
        for _ in range(2):  # the better of two, so a burst of load on a shared machine does not decide
            t0 = time.perf_counter()
            ex = extract(body, PUB, max_chars=0)
            best = min(best, time.perf_counter() - t0)
        t.append(best)
        assert len([f for f in ex.facts if f.kind == "money"]) == 5 * n
    # eight times the text: about eight times the time, far from the 64 times of a quadratic linker
    assert t[1] < t[0] * 24, t


def test_a_body_over_the_cap_gives_facts_from_its_first_characters(monkeypatch):
    body = "重庆实际利用外资3.7亿美元。" * 100  # 1,500 characters
    ex = extract(body, PUB, max_chars=150)
    assert ex.truncated is True
    assert len([f for f in ex.facts if f.kind == "money"]) == 10
    assert all(f.end <= 150 for f in ex.facts)
    ex = extract(body, PUB, max_chars=0)
    assert ex.truncated is False and len([f for f in ex.facts if f.kind == "money"]) == 100
    monkeypatch.setenv("NEWS_FACTS_MAX_CHARS", "300")
    ex = extract(body, PUB)
    assert ex.truncated is True and len([f for f in ex.facts if f.kind == "money"]) == 20
    monkeypatch.setenv("NEWS_FACTS_MAX_CHARS", "lots")
    with pytest.raises(ValueError, match="NEWS_FACTS_MAX_CHARS"):
        extract(body, PUB)


def test_the_facts_stage_counts_truncated_bodies(tmp_path, monkeypatch):
    """A huge body stays an article; its facts come from the first NEWS_FACTS_MAX_CHARS characters and
    the stage says how many bodies it cut."""
    from news_assets.lake import Lake
    from news_assets.pipeline import record_raw_partition, run_articles, run_facts
    from news_assets.sources.manifest import ManifestEntry

    para = "<p>" + "重庆实际利用外资3.7亿美元，同比增长145.8%。" * 40 + "</p>"
    page = ("<html><head><meta charset='utf-8'></head><body><div class='main'><h1>外资报告</h1>"
            "<div class='info'>2024-05-26 09:30:00 来源：新华网</div><div class='content'>"
            + para * 5 + "</div></div></body></html>")
    day = "2024-05-26"
    lake = Lake(tmp_path)
    sha = lake.put_raw(page.encode("utf-8"))
    record_raw_partition(lake, day, [ManifestEntry(day, "s", "https://news.example.cn/a/2.html", "fetched",
                                                   final_url="https://news.example.cn/a/2.html", sha256=sha)])
    run_articles(lake, day)
    body = lake.read_partition("articles", day).to_dicts()[0]["body"]
    assert len(body) > 4000
    monkeypatch.setenv("NEWS_FACTS_MAX_CHARS", "1000")
    res = run_facts(lake, day)
    assert res.counts["truncated_for_facts"] == 1 and res.quarantined == 0
    facts = lake.read_partition("facts", day).to_dicts()
    money = [f for f in facts if f["kind"] == "money"]
    assert 0 < len(money) < body.count("3.7亿美元")
    assert max(f["end"] for f in facts) <= 1000
    monkeypatch.setenv("NEWS_FACTS_MAX_CHARS", "0")
    res = run_facts(lake, day)
    assert res.counts["truncated_for_facts"] == 0
    assert len([f for f in lake.read_partition("facts", day).to_dicts() if f["kind"] == "money"]) == body.count("3.7亿美元")


def test_respectively_pairs_regions_and_amounts_in_order():
    got = _money("今年1-5月，浙江、江苏两省分别完成投资3000亿元和2800亿元。")
    assert [(f.text, f.region_code) for f in got] == [("3000亿元", "330000"), ("2800亿元", "320000")]
    got = _money("广州、深圳、佛山三市的生产总值分别为3万亿元、3.4万亿元和1.3万亿元。")
    assert [f.region_code for f in got] == ["440100", "440300", "440600"]
    # an item after 、 that does not follow an amount is no list item; the amount is the two provinces'
    # total, so it belongs to neither of them alone
    got = _money("今年，浙江、江苏两省共完成投资5800亿元。")
    assert (got[0].region_code, got[0].region_source) == (None, None)


@pytest.mark.parametrize("text, want", [
    ("他2019年开始创业，目前公司年营收已达1亿元。", [("1亿元", None, PUB)]),
    ("公司成立于2010年，现在年销售额达3亿元。", [("3亿元", None, PUB)]),
    ("2018年他来到深圳，当时月薪只有3000元，如今月薪2万元。",
     [("3000元", date(2018, 1, 1), date(2018, 12, 31)), ("2万元", None, PUB)]),  # 当时 is 2018, 如今 now
    ("目前，2023年营收为5亿元。", [("5亿元", date(2023, 1, 1), date(2023, 12, 31))]),  # the nearer date wins
])
def test_an_amount_in_a_clause_about_the_present_is_not_of_an_earlier_year(text, want):
    got = [(f.text, f.period_start, f.period_end) for f in extract(text, PUB).facts if f.kind == "money"]
    assert got == want


@pytest.mark.parametrize("text", [
    "北京、上海、广州三地GDP合计10万亿元。",
    "北京和上海两地房价均超过5万元。",
    "江苏与浙江的贸易额达到1000亿元。",
])
def test_an_amount_stated_for_a_list_of_regions_takes_none_of_them(text):
    got = [(f.region_code, f.region_source) for f in extract(text, PUB).facts if f.kind == "money"]
    assert got == [(None, None)]


def test_a_chain_of_nested_regions_is_one_region_not_a_list():
    got = [f.region_code for f in extract("浙江省杭州市西湖区投资5亿元建设新校区。", PUB).facts if f.kind == "money"]
    assert got == ["330106"]


def test_hong_kong_year_and_month_bases():
    got = [(f.change, f.change_basis) for f in extract("首季本地生产总值按年增长2.7%，零售额按月下跌1.2%。", PUB).facts
           if f.kind == "percent"]
    assert got == [("up", "yoy"), ("down", "mom")]


@pytest.mark.parametrize("text, want", [
    ("受此影响，当日股价跌幅达10%。", "down"),
    ("全年居民消费价格涨幅为3%。", "up"),
    ("一季度地区生产总值增速为5.3%。", "up"),
    ("增速回落至5.2%。", "down"),  # a verb wins over the noun
])
def test_a_rate_noun_gives_the_direction_when_no_verb_does(text, want):
    assert [f.change for f in extract(text, PUB).facts if f.kind == "percent"] == [want]


def test_a_rate_where_a_change_starts_takes_no_direction_from_its_noun():
    got = [(f.text, f.change) for f in extract("今年全球经济增长率将从3%降至2.3%。", PUB).facts if f.kind == "percent"]
    assert got == [("3%", None), ("2.3%", "down")]
