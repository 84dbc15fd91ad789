"""Amounts: every written form news uses, and no silent wrong value (inline sentences only)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from news_assets.facts import extract
from news_assets.facts.numbers import parse_number, parse_pair

PUB = date(2024, 5, 26)


def _money(text: str):
    return [(f.text, f.value, f.value_high, f.currency, f.qualifier) for f in extract(text, PUB).facts
            if f.kind == "money"]


def _pct(text: str):
    return [(f.text, f.value) for f in extract(text, PUB).facts if f.kind == "percent"]


def D(x) -> Decimal:
    return Decimal(str(x))


@pytest.mark.parametrize("text, want", [
    ("这套房子最终以305,120.45元成交。", ("305,120.45元", D("305120.45"))),
    ("全年营业收入1,234.5亿元，创历史新高。", ("1,234.5亿元", D("123450000000"))),
    ("该笔交易作价12,000,000.5美元。", ("12,000,000.5美元", D("12000000.5"))),
    ("门票售价2,499 美元起。", ("2,499 美元", D("2499"))),
])
def test_thousands_separator_with_decimals_keeps_every_group(text, want):
    got = _money(text)
    assert [(t, v) for t, v, *_ in got] == [want]


@pytest.mark.parametrize("text, low, high, cur", [
    ("一套公寓月租五到六万港元。", D(50000), D(60000), "HKD"),
    ("项目预算三至五亿元。", D(300000000), D(500000000), "CNY"),
    ("奖金三十到五十万元不等。", D(300000), D(500000), "CNY"),
    ("每平方米5至8万元。", D(50000), D(80000), "CNY"),
])
def test_ranges_share_the_scale_of_their_upper_bound(text, low, high, cur):
    [(_, v, hi, c, _)] = _money(text)
    assert (v, hi, c) == (low, high, cur)


@pytest.mark.parametrize("text, value", [
    ("收到捐款壹万贰仟元整。", D(12000)),
    ("合同金额为人民币叁佰伍拾万元。", D(3500000)),
    ("借款金额：伍仟陆佰元。", D(5600)),
])
def test_financial_numerals(text, value):
    assert [v for _, v, *_ in _money(text)] == [value]


@pytest.mark.parametrize("text", [
    "详情见 http://example.com/list?rate=30%25&page=2 页面。",
    "链接 https://news.example.cn/a?q=%E5%A2%9E50%&from=app 已失效。",
    "访问www.example.com/search?k=20%20off获取。",
])
def test_url_query_strings_are_not_percentages(text):
    assert _pct(text) == []


def test_percentages_next_to_urls_still_count():
    assert _pct("销量增长了12%，详见 http://example.com/?a=1&b=5%") == [("12%", D(12))]


@pytest.mark.parametrize("text, want", [
    ("他家一年能赚六七万元。", ("六七万元", D(60000), D(70000), "CNY", "approx")),
    ("一辆车要二三十万元。", ("二三十万元", D(200000), D(300000), "CNY", "approx")),
    ("每月花费三五千元。", ("三五千元", D(3000), D(5000), "CNY", "approx")),
    ("该厂每年亏损数千万元。", ("数千万元", D(10000000), None, "CNY", "gt")),
    ("这笔生意涉及上亿元资金。", ("上亿元", D(100000000), None, "CNY", "gt")),
    ("被骗走上百万元。", ("上百万元", D(1000000), None, "CNY", "gt")),
    ("整个工程耗资500多万。", ("500多万", D(5000000), None, "CNY", "gt")),
    ("对方开出年薪两百多万的条件。", ("两百多万", D(2000000), None, "CNY", "gt")),
])
def test_colloquial_amounts(text, want):
    assert _money(text) == [want]


@pytest.mark.parametrize("text, value", [
    ("车票价格为123元1角1分。", D("123.11")),
    ("一份早餐5元5角。", D("5.5")),
    ("他只找回了两元三毛。", D("2.3")),
    ("单价是50元零5分。", D("50.05")),
])
def test_yuan_jiao_fen_is_one_amount(text, value):
    [(_, v, *_)] = _money(text)
    assert v == value


def test_subunits_and_compound_amounts():
    assert _money("一只苍蝇的报酬是10美分。") == [("10美分", D("0.1"), None, "USD", None)]
    assert _money("这杯咖啡两美元又三美分。") == [("两美元又三美分", D("2.03"), None, "USD", None)]


@pytest.mark.parametrize("text, want", [
    ("失业率为百分之2.4。", [("百分之2.4", D("2.4"))]),
    ("不良率控制在千分之五以内。", [("千分之五", D("0.5"))]),
    ("手续费为万分之三。", [("万分之三", D("0.03"))]),
    ("误差仅百万分之五。", [("百万分之五", D("0.0005"))]),
    ("出生率为千分之十二点五。", [("千分之十二点五", D("1.25"))]),
    ("占比达到百分之百。", [("百分之百", D(100))]),
    ("股价下跌-3.5%之后反弹。", [("-3.5%", D("-3.5"))]),
    ("收益率为负2.1%。", [("负2.1%", D("-2.1"))]),
    ("区间在5-20%之间。", [("20%", D(20))]),
])
def test_percent_forms(text, want):
    assert _pct(text) == want


@pytest.mark.parametrize("text", ["在五百分之一的比例尺上", "约有百分之二三十的人", "名列百分之七十百分位"])
def test_percent_non_values(text):
    # 五百分之一 is a fraction of 500, 百分之二三十 vague; 七十百分位 reads 七十, never 170
    assert all(v != D(170) for _, v in _pct(text))
    assert all(t != "百分之一" for t, _ in _pct(text))
    if "二三十" in text:
        assert _pct(text) == []


@pytest.mark.parametrize("text, want", [
    ("月收入5000——8000元。", ("5000——8000元", D(5000), D(8000))),
    ("报价1.5~2万元。", ("1.5~2万元", D(15000), D(20000))),
    ("补贴标准为3万元（含）至5万元。", ("3万元（含）至5万元", D(30000), D(50000))),
    ("罚款一千到五千元。", ("一千到五千元", D(1000), D(5000))),
    ("单价在200元到300元之间。", ("200元到300元", D(200), D(300))),
])
def test_written_ranges(text, want):
    assert [(t, v, hi) for t, v, hi, *_ in _money(text)] == [want]


def test_decreasing_range_is_dropped_not_guessed():
    assert _money("价格从8000至5000元不等。") == []


@pytest.mark.parametrize("text, want", [
    ("公司募集資金10億元。", ("10億元", D(1000000000), "CNY")),
    ("市值蒸發3萬億元。", ("3萬億元", D(3000000000000), "CNY")),
    ("每月薪水3萬圓。", ("3萬圓", D(30000), "CNY")),
    ("台積電營收2兆元新台幣。", ("2兆元新台币", D(2000000000000), "TWD")),
])
def test_traditional_characters(text, want):
    got = _money(text)
    assert [(t.replace("幣", "币"), v, c) for t, v, _, c, _ in got] == [want]


@pytest.mark.parametrize("text, want_text, value", [
    ("全年实现投资3.\n7亿元，同比增长。", "3.\n7亿元", D(370000000)),
    ("合同金额为72\n1亿美元。", "72\n1亿美元", D(72100000000)),
    ("共投入三千\n万元用于改造。", "三千\n万元", D(30000000)),
])
def test_line_break_inside_a_number(text, want_text, value):
    [(t, v, *_)] = _money(text)
    assert (t, v) == (want_text, value)


def test_line_break_between_paragraphs_does_not_join_numbers():
    got = _money("第二段结束。\n500万元投入建设。")
    assert [(t, v) for t, v, *_ in got] == [("500万元", D(5000000))]


def test_suffix_currency_and_conversion():
    assert _money("每小时100英镑（约合876元人民币）。") == [
        ("100英镑", D(100), None, "GBP", None), ("876元人民币", D(876), None, "CNY", "approx")]
    assert _money("一辆价值7万元美金的轿车。") == [("7万元美金", D(70000), None, "USD", None)]
    assert _money("政府投入一元钱，回报两元钱。") == [("一元钱", D(1), None, "CNY", None),
                                                 ("两元钱", D(2), None, "CNY", None)]


def test_unit_words_alone_are_no_amounts():
    assert _money("二元经济结构下的一元二次方程与万元户。") == []
    assert _money("收入低于1000元以下的家庭") == [("1000元以下", D(1000), None, "CNY", "lt")]


def test_parse_number_rejects_malformed_and_handles_big_units():
    assert parse_number("七十百") is None
    assert parse_number("四十九兆九千五百九十二亿") == (D("49959200000000"), False)
    assert parse_number("一亿二千万") == (D(120000000), False)
    assert parse_number("壹万贰仟") == (D(12000), False)
    assert parse_pair("十五六万") == (D(150000), D(160000))
    assert parse_pair("三十五万") is None


@pytest.mark.parametrize("text, want_text, value, kind", [
    ("项目总投资1亿5000万元，分两期建设。", "1亿5000万元", D(150000000), "money"),
    ("市财政安排预算1亿2千万元用于旧城改造。", "1亿2千万元", D(120000000), "money"),
    ("公司与对方签订合同，金额2亿3千万美元。", "2亿3千万美元", D(230000000), "money"),
    ("每位获奖者可获奖金3万5千元。", "3万5千元", D(35000), "money"),
    ("该县计划投资1亿5000万建设物流园。", "1亿5000万", D(150000000), "money"),
    ("本届马拉松共有5万5000人参加。", "5万5000人", D(55000), "count"),
])
def test_a_figure_goes_on_after_wan_and_yi(text, want_text, value, kind):
    got = [(f.text, f.value) for f in extract(text, PUB).facts if f.kind == kind]
    assert got == [(want_text, value)]


@pytest.mark.parametrize("text", [
    "他们家年收入3万五千元左右。",  # a mixed spelling the grammar does not read: nothing, not 3万 or 五千元
    "这批设备价值2万五千元。",
])
def test_a_figure_that_cannot_be_read_whole_gives_no_part_of_itself(text):
    assert [f for f in extract(text, PUB).facts if f.kind == "money"] == []


@pytest.mark.parametrize("numeral, value", [
    ("一万五", 15000), ("三千五", 3500), ("两百五", 250), ("三百二", 320), ("一亿五", 150000000),
    ("两万三千五", 23500), ("1千5", 1500),
    ("一千零五", 1005), ("两万零五", 20005), ("二十五", 25), ("三十一", 31),  # 零 or 十: nothing left out
])
def test_a_trailing_digit_after_a_unit_stands_for_the_next_unit_down(numeral, value):
    assert parse_number(numeral) == (D(value), False)


@pytest.mark.parametrize("text, want_text, value", [
    ("小区停车位一个卖三千五块钱。", "三千五块钱", D(3500)),
    ("市里为该项目投资1千5百万元。", "1千5百万元", D(15000000)),
    ("这套设备报价10万8千元。", "10万8千元", D(108000)),
])
def test_abbreviated_and_mixed_numerals_in_sentences(text, want_text, value):
    assert [(t, v) for t, v, *_ in _money(text)] == [(want_text, value)]


@pytest.mark.parametrize("text, want", [
    ("预计全年增长5%-8%。", [("5%", D(5)), ("8%", D(8))]),  # the dash between two percentages is a range mark
    ("存款利率由3%-4%下调。", [("3%", D(3)), ("4%", D(4))]),
    ("一季度同比-3.5%，降幅收窄。", [("-3.5%", D("-3.5"))]),
    ("增速为-0.5%。", [("-0.5%", D("-0.5"))]),
])
def test_a_dash_after_a_percentage_is_no_minus_sign(text, want):
    assert _pct(text) == want


def test_the_per_mille_sign_is_a_percentage_a_tenth_as_large():
    assert _pct("全年人口出生率为7.52‰，自然增长率为-0.6‰。") == [("7.52‰", D("0.752")), ("-0.6‰", D("-0.06"))]
    assert _pct("不良贷款率控制在5‰以内。") == [("5‰", D("0.5"))]


@pytest.mark.parametrize("text, want", [
    ("一碗河粉售价5万越南盾。", ("5万越南盾", D(50000), "VND")),
    ("该项目获得300亿印尼盾贷款。", ("300亿印尼盾", D(30000000000), "IDR")),
    ("门票为1000印度卢比。", ("1000印度卢比", D(1000), "INR")),
    ("奖金为200新西兰元。", ("200新西兰元", D(200), "NZD")),  # not 新元 (SGD), not 元 (CNY)
    ("罚款100瑞郎。", ("100瑞郎", D(100), "CHF")),
])
def test_currencies_of_other_countries(text, want):
    assert [(t, v, c) for t, v, _, c, _ in _money(text)] == [want]


@pytest.mark.parametrize("text, want", [
    ("公司上半年净利润为-1.2亿元，同比由盈转亏。", [("-1.2亿元", D(-120000000))]),
    ("报告期内每股收益-0.12元。", [("-0.12元", D("-0.12"))]),
    ("经营活动现金流：-5000万元。", [("-5000万元", D(-50000000))]),
    ("归母净利润-3.5亿，亏损扩大。", [("-3.5亿", D(-350000000))]),  # a money noun and no currency word
    ("单价10-20元不等。", [("10-20元", D(10))]),  # a range mark, no sign
    ("型号A-100元件", []),
])
def test_a_minus_sign_before_an_amount_makes_it_negative(text, want):
    assert [(t, v) for t, v, *_ in _money(text)] == want


def test_a_vague_percentage_is_a_lower_bound_not_the_figure_written():
    got = [(f.text, f.value, f.qualifier) for f in extract("两地房价涨幅达百分之十几，个别楼盘超过百分之二十多。", PUB).facts
           if f.kind == "percent"]
    assert got == [("百分之十几", D(10), "gt"), ("百分之二十多", D(20), "gt")]


@pytest.mark.parametrize("text, want", [
    ("新款手机国行售价¥1,299起。", [("¥1,299", D(1299), "CNY", None)]),
    ("该公司完成US$9.9亿融资。", [("US$9.9亿", D(990000000), "USD", None)]),
    ("融资US$9.9亿，估值超过$100亿。", [("US$9.9亿", D(990000000), "USD", None),
                                    ("$100亿", D(10000000000), "USD", "gt")]),  # not 9.9亿 CNY after 融资
    ("门票HK$100，约€50万的合同。", [("HK$100", D(100), "HKD", None), ("€50万", D(500000), "EUR", "approx")]),
    ("售价￥5999元。", [("5999元", D(5999), "CNY", None)]),  # the currency word decides; the sign adds nothing
    ("在终端里设置$PATH变量，型号AB$100。", []),
])
def test_a_currency_sign_before_an_amount(text, want):
    assert [(t, v, c, q) for t, v, _, c, q in _money(text)] == want


@pytest.mark.parametrize("text, want_text, value, kind", [
    ("该项目总投资五点五亿元。", "五点五亿元", D(550000000), "money"),
    ("双方贸易额达到一点二万亿美元。", "一点二万亿美元", D(1200000000000), "money"),
    ("全年共发放补贴三点二万元。", "三点二万元", D(32000), "money"),
    ("参观人数增加了十二点五万人。", "十二点五万人", D(125000), "count"),
])
def test_a_decimal_in_chinese_digits_is_read_whole(text, want_text, value, kind):
    assert [(f.text, f.value) for f in extract(text, PUB).facts if f.kind == kind] == [(want_text, value)]


def test_no_part_of_a_chinese_decimal_is_read_alone():
    assert [f for f in extract("县里计划投资五点五亿建设新城。", PUB).facts if f.kind == "money"] == []  # not 五亿


@pytest.mark.parametrize("text, want", [
    ("上海代表团现场签约100亿元。", ("100亿元", None)),  # 签约 signs a contract: no 约 (approx)
    ("人大会议通过100亿元的专项预算。", ("100亿元", None)),  # 通过 passes: no 过 (gt)
    ("附近3000元的房租已经算便宜。", ("3000元", None)),  # 附近 is nearby: no 近 (lt)
    ("项目耗资近10亿元。", ("近10亿元", "lt")),
    ("总价大约500万元。", ("大约500万元", "approx")),
    ("他的身价过亿。", ("过亿", "gt")),
])
def test_a_qualifier_character_that_ends_another_word_is_no_qualifier(text, want):
    assert [(t, q) for t, _, _, _, q in _money(text)] == [want]


@pytest.mark.parametrize("text, want", [
    ("違規者將被罰款日幣10萬元。", ("日幣10萬元", D(100000), "JPY")),  # not 10萬元 CNY
    ("旅途中花費5萬日幣。", ("5萬日幣", D(50000), "JPY")),
    ("門票韓幣1萬元。", ("韓幣1萬元", D(10000), "KRW")),
])
def test_a_currency_named_before_yuan_decides_in_traditional_text_too(text, want):
    assert [(t, v, c) for t, v, _, c, _ in _money(text)] == [want]
