"""news_assets.facts: seed sentences and gazetteer traps, inline text only (no ../shared)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from news_assets.facts import EXTRACTOR_VERSION, Extraction, extract, to_records
from news_assets.facts.numbers import parse_number

PUB = date(2024, 5, 26)

SEED = (
    "新华社重庆5月25日电题:共赴“山海之约”——渝港合作书写开放新篇章\n"
    "23日至26日在重庆举办的第六届中国西部国际投资贸易洽谈会(西洽会),首次设置了渝港合作主题馆。\n"
    "西洽会上公布的数据显示,香港已成为重庆第一大境外投资来源地和第一大境外投资目的地,"
    "重庆已累计设立港资企业超3500家,合同金额721亿美元。今年一季度,重庆新设港资企业25家、同比增长56%,"
    "实际利用外资3.7亿美元、同比增长145.8%。\n"
)


def _facts(ex: Extraction, kind: str):
    return [f for f in ex.facts if f.kind == kind]


@pytest.fixture(scope="module")
def seed() -> Extraction:
    return extract(SEED, PUB)


def test_version():
    assert isinstance(EXTRACTOR_VERSION, str) and EXTRACTOR_VERSION


def test_seed_money(seed):
    money = {f.text: f for f in _facts(seed, "money")}
    assert set(money) == {"721亿美元", "3.7亿美元"}
    big = money["721亿美元"]
    assert big.value == Decimal("72100000000") and big.currency == "USD"
    assert big.region_code == "500000" and big.region_source == "sentence"
    assert big.cumulative is True
    assert big.metric == "合同金额"
    assert big.period_source != "sentence"
    fdi = money["3.7亿美元"]
    assert fdi.value == Decimal("370000000") and fdi.currency == "USD"
    assert fdi.region_code == "500000"
    assert (fdi.period_start, fdi.period_end) == (date(2024, 1, 1), date(2024, 3, 31))
    assert fdi.period_source == "sentence"
    assert fdi.metric == "实际利用外资"
    assert SEED[fdi.start:fdi.end] == "3.7亿美元"
    assert fdi.sentence.startswith("今年一季度") and SEED[fdi.sentence_start:fdi.sentence_end] == fdi.sentence


def test_seed_percent_and_counts(seed):
    pct = {f.text: f for f in _facts(seed, "percent")}
    assert pct["56%"].value == 56 and pct["56%"].change == "up" and pct["56%"].change_basis == "yoy"
    assert pct["145.8%"].value == Decimal("145.8") and pct["145.8%"].change == "up"
    assert pct["145.8%"].metric == "实际利用外资"
    counts = {f.text: f for f in _facts(seed, "count")}
    c = counts["超3500家"]
    assert c.value == 3500 and c.unit == "家" and c.qualifier == "gt"
    assert counts["25家"].value == 25


def test_seed_regions_and_dates(seed):
    texts = [(r.text, r.code) for r in seed.regions]
    assert ("渝", "500000") in texts and ("港", "810000") in texts
    assert ("重庆", "500000") in texts and ("香港", "810000") in texts
    dates = {d.text: d for d in seed.dates}
    r = dates["23日至26日"]
    assert (r.start_date, r.end_date, r.granularity) == (date(2024, 5, 23), date(2024, 5, 26), "range")
    q = dates["今年一季度"]
    assert (q.start_date, q.end_date, q.granularity) == (date(2024, 1, 1), date(2024, 3, 31), "quarter")
    assert dates["5月25日"].start_date == date(2024, 5, 25)


def test_percentage_points_are_not_percent():
    ex = extract("GDP增速预期中值上调了0.3个百分点至3.9%。", PUB)
    pct = _facts(ex, "percent")
    assert [f.text for f in pct] == ["3.9%"] and pct[0].change == "up"
    assert not [f for f in ex.facts if "百分点" in f.text]


@pytest.mark.parametrize(
    "text",
    [
        "最近,朝天门餐饮控股集团将热辣的重庆火锅带去了香港。",
        "“这些成果都来自明月湖国际智能产业科创基地。”",
        "西部地区将成为香港企业投资兴业的热土。",
        "而重庆依托金凤实验室,拥有丰富的临床样本资源。",
        "渝港共同推动西部陆海新通道东向南向建设。",
        "新华社记者李晓婷、周思宇、赵佳乐",
        "渝港两地在金融、经贸投资、科技创新等领域的务实合作进一步加深。",
        "养老是“朝阳产业”,年轻人可大展拳脚。",
        "上海市委书记陈吉宁出席。",
    ],
)
def test_gazetteer_traps(text):
    ex = extract(text, PUB)
    bad = {"合作", "朝天", "天门", "月湖", "资兴", "金凤", "通道", "新华", "朝阳", "吉", "宁"}
    assert not [r for r in ex.regions if r.text in bad], [(r.text, r.code) for r in ex.regions]


def test_region_forms():
    ex = extract("5月20日13时10分在新疆克孜勒苏州阿图什市发生5.2级地震,距乌鲁木齐市957公里。", PUB)
    got = [(r.text, r.code, r.level) for r in ex.regions]
    assert got == [
        ("新疆", "650000", "province"),
        ("克孜勒苏州", "653000", "prefecture"),
        ("阿图什市", "653001", "county"),
        ("乌鲁木齐市", "650100", "prefecture"),
    ]
    ex = extract("港澳青少年来渝交流人数突破800名;渝港澳三地文艺活动成功举办。", PUB)
    assert [(r.text, r.code) for r in ex.regions] == [
        ("港", "810000"), ("澳", "820000"), ("渝", "500000"), ("渝", "500000"), ("港", "810000"), ("澳", "820000"),
    ]


def test_two_character_county_needs_context():
    # 浦东 (浦东新区) with its city named; the same word alone is not trusted
    ex = extract("上海浦东的有轨电车停运。", PUB)
    assert ("浦东", "310115") in [(r.text, r.code) for r in ex.regions]
    ex = extract("在广州海珠试验段运营。", PUB)
    assert ("海珠", "440105") in [(r.text, r.code) for r in ex.regions]
    ex = extract("这条通道很长。", PUB)
    assert not ex.regions


def test_codes_valid_at_publish_date():
    # 襄樊市 was renamed 襄阳市 in 2010 (same code); 巢湖市 was a prefecture 1999-2011, then a county-level city
    assert [(r.code, r.name) for r in extract("襄阳市", date(2024, 1, 1)).regions] == [("420600", "襄阳市")]
    old = extract("巢湖市", date(2005, 1, 1)).regions
    new = extract("巢湖市", date(2015, 1, 1)).regions
    assert old[0].code == "341400" and old[0].level == "prefecture"
    assert new[0].code == "340181" and new[0].level == "county"


def test_countries_and_macro():
    ex = extract("粤港澳大湾区和美国、日本企业", PUB)
    got = [(r.text, r.code, r.level) for r in ex.regions]
    assert got == [("粤港澳大湾区", "macro:粤港澳大湾区", "macro"), ("美国", "US", "country"), ("日本", "JP", "country")]


@pytest.mark.parametrize(
    "text,value,high,currency,qual",
    [
        ("1.2万亿元人民币", "1200000000000", None, "CNY", None),
        ("超5.26亿元", "526000000", None, "CNY", "gt"),
        ("三千万元", "30000000", None, "CNY", None),
        ("5000至8000元", "5000", "8000", "CNY", None),
        ("近25万元", "250000", None, "CNY", "lt"),
        ("约4000万元", "40000000", None, "CNY", "approx"),
        ("9100多万元", "91000000", None, "CNY", "gt"),
        ("人民币93，708，580元", "93708580", None, "CNY", None),
        ("20亿港元", "2000000000", None, "HKD", None),
        ("5亿欧元", "500000000", None, "EUR", None),
        ("几百万英镑", "1000000", None, "GBP", "gt"),
    ],
)
def test_money_forms(text, value, high, currency, qual):
    ex = extract(f"项目投资{text}。", PUB)
    money = _facts(ex, "money")
    assert len(money) == 1, money
    f = money[0]
    assert f.text == text
    assert f.value == Decimal(value)
    assert f.value_high == (Decimal(high) if high else None)
    assert (f.currency, f.qualifier) == (currency, qual)


def test_per_unit_price_and_title():
    ex = extract("小型车辆月缴费150元/辆,超过1小时按5元/小时收费。日本电影《百元之恋》。", PUB)
    assert [(f.text, f.value) for f in _facts(ex, "money")] == [("150元", 150), ("5元", 5)]


@pytest.mark.parametrize(
    "text,start,end,gran",
    [
        ("2023年5月", date(2023, 5, 1), date(2023, 5, 31), "month"),
        ("前4个月", date(2024, 1, 1), date(2024, 4, 30), "range"),
        ("去年", date(2023, 1, 1), date(2023, 12, 31), "year"),
        ("上半年", date(2024, 1, 1), date(2024, 6, 30), "half"),
        ("1-4月", date(2024, 1, 1), date(2024, 4, 30), "range"),
        ("2011年至2023年", date(2011, 1, 1), date(2023, 12, 31), "range"),
        ("今年以来", date(2024, 1, 1), date(2024, 5, 26), "range"),
        ("2005年第一季度", date(2005, 1, 1), date(2005, 3, 31), "quarter"),
        ("上月", date(2024, 4, 1), date(2024, 4, 30), "month"),
        ("十年前", date(2014, 1, 1), date(2014, 12, 31), "year"),
        ("二〇二三年十二月", date(2023, 12, 1), date(2023, 12, 31), "month"),
    ],
)
def test_dates(text, start, end, gran):
    ex = extract(f"数据显示,{text},情况良好。", PUB)
    assert [(d.text, d.start_date, d.end_date, d.granularity) for d in ex.dates] == [(text, start, end, gran)]


def test_not_dates():
    ex = extract("一年来,两地合作加深。去年同期持平。重庆已累计设立港资企业超3500家,实际利用外资3.7亿美元。", PUB)
    assert not ex.dates


def test_dateline_day_is_today():
    ex = extract("（法新社羅馬19日電）德國網球好手茲韋列夫今天以6比4擊敗對手。", date(2024, 5, 20))
    assert [(d.text, d.start_date) for d in ex.dates] == [("19日", date(2024, 5, 19)), ("今天", date(2024, 5, 19))]


def test_dateline_fallback_region():
    ex = extract("新华社重庆5月25日电 当地企业完成投资12亿元。", PUB)
    f = _facts(ex, "money")[0]
    assert f.region_code == "500000"
    ex = extract("企业完成投资12亿元。", PUB, dateline_place="重庆")
    f = _facts(ex, "money")[0]
    assert (f.region_code, f.region_source) == ("500000", "dateline")
    assert (f.period_source, f.period_end) == ("publish_date", PUB)


def test_percent_direction():
    ex = extract("道琼斯工业平均指数下跌232.79点,或0.68%;联邦基金利率预将达到5.6%,较此前上升0.5个百分点。", PUB)
    assert [(f.text, f.change) for f in _facts(ex, "percent")] == [("0.68%", "down"), ("5.6%", "up")]


def test_to_records_shape():
    recs = to_records(extract(SEED, PUB))
    assert recs == sorted(recs, key=lambda r: r["start"])
    json.dumps(recs, ensure_ascii=False)
    keys = {
        "region": {"kind", "text", "start", "end", "code", "name", "level"},
        "date": {"kind", "text", "start", "end", "start_date", "end_date", "granularity"},
        "money": {"kind", "text", "start", "end", "value", "currency", "qualifier", "region", "period_start",
                  "period_end", "metric"},
        "count": {"kind", "text", "start", "end", "value", "unit", "qualifier", "region", "period_start",
                  "period_end", "metric"},
        "percent": {"kind", "text", "start", "end", "value", "change", "region", "period_start", "period_end",
                    "metric"},
    }
    # fields added beyond the DESIGN.md shape
    extra = {"cumulative", "region_source", "period_source"}
    keys["money"] |= extra | {"value_high"}
    keys["count"] |= extra | {"value_high"}
    keys["percent"] |= extra | {"change_basis", "qualifier"}
    for r in recs:
        assert set(r) == keys[r["kind"]], r
        assert SEED[r["start"]:r["end"]] == r["text"]
    money = [r for r in recs if r["kind"] == "money"]
    assert money[0]["value"] == 72100000000 and isinstance(money[0]["value"], int)
    assert money[1]["period_start"] == "2024-01-01" and money[1]["period_end"] == "2024-03-31"
    pct = [r for r in recs if r["kind"] == "percent"]
    assert pct[1]["value"] == 145.8


def test_numbers():
    assert parse_number("1.2万亿") == (Decimal("1200000000000"), False)
    assert parse_number("三千万") == (Decimal("30000000"), False)
    assert parse_number("3万余") == (Decimal("30000"), True)
    assert parse_number("一一") is None


def test_empty_and_traditional():
    assert extract("", PUB) == Extraction([], [], [])
    ex = extract("臺灣與香港的貿易額達100億美元。", PUB)
    assert [(r.text, r.code) for r in ex.regions] == [("臺灣", "710000"), ("香港", "810000")]
    assert [(f.text, f.value, f.currency) for f in _facts(ex, "money")] == [("100億美元", 10000000000, "USD")]


@pytest.mark.parametrize(
    "text,start,end,gran",
    [
        ("5月上旬", date(2024, 5, 1), date(2024, 5, 10), "range"),
        ("2024-05-20", date(2024, 5, 20), date(2024, 5, 20), "day"),
        ("1993-2003年", date(1993, 1, 1), date(2003, 12, 31), "range"),
        ("1980年代", date(1980, 1, 1), date(1989, 12, 31), "range"),
        ("2000年3月5日至8日", date(2000, 3, 5), date(2000, 3, 8), "range"),
        ("12月11－12日", date(2023, 12, 11), date(2023, 12, 12), "range"),
        ("上世纪90年代", date(1990, 1, 1), date(1999, 12, 31), "range"),
    ],
)
def test_more_dates(text, start, end, gran):
    ex = extract(f"据介绍,{text},情况良好。", PUB)
    assert [(d.text, d.start_date, d.end_date, d.granularity) for d in ex.dates] == [(text, start, end, gran)]


def test_anaphoric_days():
    ex = extract("美联储14日宣布维持利率。当天,美股下跌。次日,市场回升。", date(2023, 6, 15))
    assert [(d.text, d.start_date) for d in ex.dates] == [
        ("14日", date(2023, 6, 14)), ("当天", date(2023, 6, 14)), ("次日", date(2023, 6, 15)),
    ]


def test_not_money():
    ex = extract("他研究二元经济结构,主演电影《百元之恋》,成了万元户。补贴逾百亿元。", PUB)
    assert [(f.text, f.value) for f in _facts(ex, "money")] == [("逾百亿元", Decimal("10000000000"))]


def test_collocations():
    ex = extract("港府表示欢迎。代表团在京举行会议,随后赴港访问。", PUB)
    assert [(r.text, r.code) for r in ex.regions] == [("港", "810000"), ("京", "110000"), ("港", "810000")]
    ex = extract("陈吉宁、鲁迅和苏宁易购。", PUB)
    assert not ex.regions


def test_money_without_currency_word():
    ex = extract("他年仅37岁便已身价过亿。商用车的投资是在100亿～120亿之间。全市人口超1亿。", PUB)
    got = [(f.text, f.value, f.value_high, f.currency, f.qualifier) for f in _facts(ex, "money")]
    assert got == [
        ("过亿", Decimal("100000000"), None, "CNY", "gt"),
        ("100亿～120亿", Decimal("10000000000"), Decimal("12000000000"), "CNY", None),
    ]


def test_national_figures_and_context_year():
    text = (
        "新华社北京1月17日电 国家统计局17日发布数据,2023年我国国内生产总值超过126万亿元,比上年增长5.2%。"
        "分季度看,一季度同比增长4.5%。\n全年全国居民人均可支配收入39218元。"
    )
    ex = extract(text, date(2024, 1, 18))
    gdp = _facts(ex, "money")[0]
    assert (gdp.region_code, gdp.metric) == ("CN", "国内生产总值")
    assert (gdp.period_start, gdp.period_end) == (date(2023, 1, 1), date(2023, 12, 31))
    q1 = [d for d in ex.dates if d.text == "一季度"][0]
    assert (q1.start_date, q1.end_date) == (date(2023, 1, 1), date(2023, 3, 31))
    income = _facts(ex, "money")[1]
    assert income.region_code == "CN" and income.metric == "居民人均可支配收入"


def test_same_name_resolved_by_parent():
    ex = extract("吉林省长春市朝阳区和北京市朝阳区。", PUB)
    assert [(r.text, r.code) for r in ex.regions if r.text == "朝阳区"] == [("朝阳区", "220104"), ("朝阳区", "110105")]
    # no parent anywhere: an ambiguous district name is left out rather than guessed
    assert not [r for r in extract("朝阳区的居民。", PUB).regions if r.text == "朝阳区"]


def test_plan_periods_and_comparison_base():
    ex = extract("“十四五”时期,2023年GDP超过126万亿元,比上年增长5.2%。", date(2024, 1, 18))
    assert [(d.text, d.start_date, d.end_date) for d in ex.dates] == [
        ("“十四五”时期", date(2021, 1, 1), date(2025, 12, 31)),  # the quoted plan with its 时期 (gold SPEC)
        ("2023年", date(2023, 1, 1), date(2023, 12, 31)),
        ("上年", date(2022, 1, 1), date(2022, 12, 31)),
    ]
    pct = _facts(ex, "percent")[0]
    assert (pct.period_start, pct.period_end) == (date(2023, 1, 1), date(2023, 12, 31))


def test_month_ranges_and_continuation():
    ex = extract("今年1至4月,全市完成投资56亿元,同比增长12%。", date(2024, 5, 21))
    assert [(d.text, d.start_date, d.end_date) for d in ex.dates] == [
        ("今年1至4月", date(2024, 1, 1), date(2024, 4, 30)),
    ]
    money = _facts(ex, "money")[0]
    assert (money.period_start, money.period_end, money.metric) == (date(2024, 1, 1), date(2024, 4, 30), "完成投资")
    ex = extract("4月份,全国居民消费价格同比上涨0.3%。其中,农村上涨0.2%。", date(2024, 5, 21))
    rural = _facts(ex, "percent")[1]
    assert (rural.period_start, rural.period_source, rural.region_code) == (date(2024, 4, 1), "context", "CN")


def test_bare_quarter_year():
    def q(text, pub):
        d = extract(text, pub).dates[0]
        return d.start_date, d.end_date

    assert q("四季度增长5.2%。", date(2024, 1, 18)) == (date(2023, 10, 1), date(2023, 12, 31))
    assert q("三季度有望回升。", date(2024, 5, 18)) == (date(2024, 7, 1), date(2024, 9, 30))
    assert q("一季度增长5.3%。", date(2024, 4, 16)) == (date(2024, 1, 1), date(2024, 3, 31))


def test_people_are_counted_with_their_measure_word_and_full_metric():
    ex = extract("去年全年，深圳市新增就业人数逾12万人，参赛选手3000余人，共有500人次参加培训，农民工代表发言。", PUB)
    got = [(f.text, f.value, f.unit, f.qualifier, f.metric) for f in _facts(ex, "count")]
    assert got == [("逾12万人", 120000, "人", "gt", "新增就业人数"), ("3000余人", 3000, "人", "gt", "参赛选手"),
                   ("500人次", 500, "人次", None, None)]


def test_a_metric_starts_after_the_previous_amount():
    ex = extract("法院判决被告赔偿原告经济损失3万元及合理开支5000元。", PUB)
    assert [(f.text, f.metric) for f in _facts(ex, "money")] == [("3万元", "法院判决被告赔偿原告经济损失"),
                                                                 ("5000元", "合理开支")]


def test_comparison_bases_give_the_basis_and_the_metric_of_the_amount_before():
    text = ("今年1至10月，浦东新区完成固定资产投资2100亿元，比上年同期增长8%。"
            "10月份社会消费品零售总额312亿元，较上月下降1.5%。"
            "年末存款余额5.6万亿元，比上年末增长4.2%。")
    ex = extract(text, date(2024, 11, 20))
    pct = {f.text: f for f in _facts(ex, "percent")}
    assert (pct["8%"].change, pct["8%"].change_basis, pct["8%"].metric) == ("up", "yoy", "完成固定资产投资")
    assert (pct["1.5%"].change, pct["1.5%"].change_basis) == ("down", "mom")
    assert pct["1.5%"].metric == "社会消费品零售总额"
    # against the end of last year: a change since then, neither year on year nor month on month
    assert (pct["4.2%"].change, pct["4.2%"].change_basis) == ("up", None)


def test_taiwan_and_hong_kong_forms_and_prefixed_currencies():
    text = ("台积电第三季营收为新台币7596.9亿元，年增36%。"
            "江苏南通一家企业获得约合人民币1.2亿元的订单，另获港币500万元贷款。"
            "这里四季如春。")
    ex = extract(text, date(2024, 11, 20))
    money = {f.text: f for f in _facts(ex, "money")}
    assert (money["新台币7596.9亿元"].value, money["新台币7596.9亿元"].currency) == (Decimal("759690000000"), "TWD")
    assert money["新台币7596.9亿元"].metric == "营收"  # after the period 第三季
    assert (money["新台币7596.9亿元"].period_start, money["新台币7596.9亿元"].period_end) == (
        date(2024, 7, 1), date(2024, 9, 30))
    assert (money["人民币1.2亿元"].currency, money["人民币1.2亿元"].qualifier) == ("CNY", "approx")
    assert money["人民币1.2亿元"].metric == "一家企业获得"
    assert (money["港币500万元"].value, money["港币500万元"].currency) == (Decimal("5000000"), "HKD")
    pct = _facts(ex, "percent")[0]
    assert (pct.change, pct.change_basis, pct.metric) == ("up", "yoy", "营收")
    assert [d.text for d in ex.dates] == ["第三季"]  # 四季如春 is no quarter


def test_acronym_metrics_rate_nouns_and_national_new_areas():
    text = ("深圳前三季度GDP为2.62万亿元，增速5.4%。10月CPI同比上涨0.3%，环比下降0.3%。"
            "雄安新区已累计完成投资超过6500亿元。基地由重庆两江新区发起成立。")
    ex = extract(text, date(2024, 11, 20))
    money = {f.text: f for f in _facts(ex, "money")}
    assert (money["2.62万亿元"].metric, money["2.62万亿元"].region_code) == ("GDP", "440300")
    assert [(p.metric, p.change, p.change_basis) for p in _facts(ex, "percent")] == [
        ("GDP", "up", None), ("CPI", "up", "yoy"), ("CPI", "down", "mom")]  # 增速5.4%: a growth rate, up
    assert money["超过6500亿元"].metric == "完成投资"  # not 雄安新区已累计完成投资
    regions = [(r.text, r.code) for r in ex.regions]
    assert ("雄安新区", "macro:雄安新区") in regions
    assert ("重庆", "500000") in regions and ("两江新区", "macro:两江新区") in regions


def test_percent_qualifiers_leave_the_span_alone():
    ex = extract("占比超过30%，不到百分之五，增长5%左右。", date(2024, 11, 20))
    assert [(f.text, f.value, f.qualifier) for f in _facts(ex, "percent")] == [
        ("30%", Decimal(30), "gt"), ("百分之五", Decimal(5), "lt"), ("5%", Decimal(5), "approx")]


def test_real_growth_after_price_factors_belongs_to_the_amount_before():
    ex = extract("居民人均可支配收入41314元，扣除价格因素实际增长5.1%。", date(2024, 11, 20))
    (pct,) = _facts(ex, "percent")
    assert (pct.metric, pct.change) == ("居民人均可支配收入", "up")


def test_weekdays_and_parts_of_days_resolve_against_the_publish_date():
    # 2024-11-20 is a Wednesday
    ex = extract("上周五公司发布公告。本周三召开会议。下星期一开学。昨晚暴雨。今晨6时发车。据《今晚报》报道。",
                 date(2024, 11, 20))
    assert [(d.text, d.start_date, d.granularity) for d in ex.dates] == [
        ("上周五", date(2024, 11, 15), "day"), ("本周三", date(2024, 11, 20), "day"),
        ("下星期一", date(2024, 11, 25), "day"), ("昨晚", date(2024, 11, 19), "day"),
        ("今晨", date(2024, 11, 20), "day")]


def test_lunar_dates_and_festivals_after_a_year():
    ex = extract("农历腊月初八，市民领取腊八粥。今年春节期间客流增长。2023年中秋节当天气温很高。去年除夕夜很热闹。"
                 "欢度春节。十月初一是寒衣节。", date(2024, 11, 20))
    assert [(d.text, d.start_date) for d in ex.dates] == [
        ("农历腊月初八", date(2025, 1, 7)),  # the nearest occurrence: the coming one
        ("今年春节", date(2024, 2, 10)), ("2023年中秋节当天", date(2023, 9, 29)),
        ("去年除夕", date(2023, 1, 21)), ("春节", date(2025, 1, 29)),  # 欢度春节: a date too (SPEC Conventions)
        ("十月初一", date(2024, 11, 1))]
    # 腊月 of lunar 2020 is January 2021; a leap month (闰二月 2023) is its own month
    assert [d.start_date for d in extract("农历腊月初八。", date(2021, 1, 15)).dates] == [date(2021, 1, 20)]
    assert [d.start_date for d in extract("农历闰二月初一。", date(2023, 3, 1)).dates] == [date(2023, 3, 22)]


def test_a_bare_change_clause_takes_the_metric_of_the_amount_before():
    ex = extract("前10个月，我国对美国出口2.9万亿元，增长4.9%；进口1.2万亿元，下降2%。", date(2024, 11, 20))
    assert [(p.text, p.metric, p.change) for p in _facts(ex, "percent")] == [
        ("4.9%", "出口", "up"), ("2%", "进口", "down")]


def test_a_metric_starts_after_an_opening_quote_or_a_speech_verb():
    ex = extract("专家组指出“城市轨道交通项目预计投资56.49亿元。他表示，公司今年营收120亿元。", date(2024, 5, 10))
    assert [(f.text, f.metric) for f in _facts(ex, "money")] == [
        ("56.49亿元", "城市轨道交通项目预计投资"), ("120亿元", "营收")]


def test_places_in_institution_zone_and_river_names():
    def regions(text):
        return [(r.text, r.code) for r in extract(text, PUB).regions if r.level in ("province", "prefecture", "county")]

    # a county short name before 大学/学院/新区 names the institution or the zone, not the county
    assert regions("天津市举办论坛，地点在南开大学。") == [("天津市", "120000")]
    assert regions("辽宁沈阳浑南新区的有轨电车开通。") == [("辽宁", "210000"), ("沈阳", "210100")]
    # a prefecture of that name still counts (湘潭大学 names 湘潭), and a county before 中学 counts
    assert ("湘潭", "430300") in regions("湖南省湘潭大学的学生来到长沙。")
    # a river named like a county (嫩江干流) is no county
    assert regions("吉林省嫩江干流治理工程开工。") == [("吉林省", "220000")]
