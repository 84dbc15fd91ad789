"""Date forms of news_assets.facts (the table in facts/date_rules.py): several sentences per form.

Sentences are written for these tests in the shapes news uses; the publish date is the reference
unless a case says otherwise. Each case checks the mention text and its resolved interval.
"""

from datetime import date

import pytest

from news_assets.facts import extract

PUB = date(2024, 5, 26)  # a Sunday
D = date


def found(text, pub=PUB, **kw):
    return [(d.text, d.start_date, d.end_date) for d in extract(text, pub, **kw).dates]


def one(text, pub=PUB):
    got = found(text, pub)
    assert len(got) == 1, got
    return got[0]


# ------------------------------------------------------------------ years: every spelling
@pytest.mark.parametrize("text,mention,start,end", [
    ("二〇一九年全市经济平稳运行。", "二〇一九年", D(2019, 1, 1), D(2019, 12, 31)),
    ("两千零四年他来到深圳。", "两千零四年", D(2004, 1, 1), D(2004, 12, 31)),
    ("二00四年起实施新办法。", "二00四年起", D(2004, 1, 1), PUB),
    ("19年7月8日当晚发生火灾。", "19年7月8日当晚", D(2019, 7, 8), D(2019, 7, 8)),
    ("他08年参加了奥运会志愿服务。", "08年", D(2008, 1, 1), D(2008, 12, 31)),
    ("早在98年，工厂就已停产。", "98年", D(1998, 1, 1), D(1998, 12, 31)),
    ("零八年那场雪灾让人难忘。", "零八年", D(2008, 1, 1), D(2008, 12, 31)),
    ("30年7月，新厂投产。", "30年7月", D(1930, 7, 1), D(1930, 7, 31)),  # 2030 would be after the publish year
    ("民国三年，这座桥建成。", "民国三年", D(1914, 1, 1), D(1914, 12, 31)),
    ("康熙二十年9月，朝廷下令重修。", "康熙二十年9月", D(1681, 9, 1), D(1681, 9, 30)),
    ("企业2023年度营收创新高。", "2023年度", D(2023, 1, 1), D(2023, 12, 31)),
    ("2008 年奥运会在北京举办。", "2008 年", D(2008, 1, 1), D(2008, 12, 31)),
    ("他07 年以前就毕业了。", "07 年", D(2007, 1, 1), D(2007, 12, 31)),
    ("1789-07-14，巴士底狱被攻占。", "1789-07-14", D(1789, 7, 14), D(1789, 7, 14)),
])
def test_years_in_every_spelling(text, mention, start, end):
    assert one(text) == (mention, start, end)


@pytest.mark.parametrize("text", [
    "他在这家工厂干了15年。", "过去20年间变化巨大。", "这五六年来收入翻番。", "判处有期徒刑12年。",
])
def test_two_digit_durations_are_not_years(text):
    assert found(text) == []


@pytest.mark.parametrize("text", [
    "这座城比杰里科晚1000年。", "时间跨度从公元前2000年直到近代。", "墓穴年代约为1000年前。", "他最爱的歌是《恋曲1990》。",
])
def test_spans_of_years_bc_years_and_titles_are_not_years(text):
    assert found(text) == []


# ------------------------------------------------------------------ parts of years and months
@pytest.mark.parametrize("text,mention,start,end", [
    ("今年前三个季度，全省GDP增长5%。", "今年前三个季度", D(2024, 1, 1), D(2024, 9, 30)),
    ("前三季度出口回升。", "前三季度", D(2024, 1, 1), D(2024, 9, 30)),
    ("2021年的第一周，订单大增。", "2021年的第一周", D(2021, 1, 4), D(2021, 1, 10)),
    ("明年第九个月将完成审查。", "明年第九个月", D(2025, 9, 1), D(2025, 9, 30)),
    ("去年的前10天，客流明显下降。", "去年的前10天", D(2023, 1, 1), D(2023, 1, 10)),
    ("今年的最后3周将集中检修。", "今年的最后3周", D(2024, 12, 9), D(2024, 12, 29)),
    ("去年9月底，项目开工。", "去年9月底", D(2023, 9, 21), D(2023, 9, 30)),
    ("5月上旬，雨水偏多。", "5月上旬", D(2024, 5, 1), D(2024, 5, 10)),
    ("3月初，首批货物运抵。", "3月初", D(2024, 3, 1), D(2024, 3, 10)),
    ("2003年中期，公司完成重组。", "2003年中期", D(2003, 6, 1), D(2003, 7, 31)),
    ("2022年年底，新馆开放。", "2022年年底", D(2022, 11, 1), D(2022, 12, 31)),
    ("十月的第一周是国庆假期。", "十月的第一周", D(2024, 10, 7), D(2024, 10, 13)),
    ("今年夏天，景区游客创新高。", "今年夏天", D(2024, 6, 1), D(2024, 8, 31)),
    ("2015年冬季，这里普降大雪。", "2015年冬季", D(2015, 12, 1), D(2016, 2, 29)),
])
def test_parts_of_years_and_months(text, mention, start, end):
    assert one(text) == (mention, start, end)


# ------------------------------------------------------------------ deictic forms
@pytest.mark.parametrize("text,mention,start,end", [
    ("本月6日，新线路开通。", "本月6日", D(2024, 5, 6), D(2024, 5, 6)),
    ("上个月20号，他提交了申请。", "上个月20号", D(2024, 4, 20), D(2024, 4, 20)),
    ("下月初将公布结果。", "下月初", D(2024, 6, 1), D(2024, 6, 10)),
    ("上一年，企业亏损严重。", "上一年", D(2023, 1, 1), D(2023, 12, 31)),
    ("这周，全市迎来降温。", "这周", D(2024, 5, 20), D(2024, 5, 26)),
    ("下下周将举行听证会。", "下下周", D(2024, 6, 3), D(2024, 6, 9)),
    ("上上周，他去了上海。", "上上周", D(2024, 5, 6), D(2024, 5, 12)),
    ("大后天有大雨。", "大后天", D(2024, 5, 29), D(2024, 5, 29)),
    ("大前天发生了事故。", "大前天", D(2024, 5, 23), D(2024, 5, 23)),
])
def test_deictic_forms(text, mention, start, end):
    assert one(text) == (mention, start, end)


@pytest.mark.parametrize("text,mention,day", [
    ("星期一，股市开盘上涨。", "星期一", D(2024, 5, 20)),
    ("周三召开了发布会。", "周三", D(2024, 5, 22)),
    ("礼拜天的集市很热闹。", "礼拜天", D(2024, 5, 26)),
    ("上周五，央行宣布降准。", "上周五", D(2024, 5, 17)),
    ("下个星期五将公布数据。", "下个星期五", D(2024, 5, 31)),
    ("這個星期一市場休市。", "這個星期一", D(2024, 5, 20)),
    ("上上個週三，他回到了家乡。", "上上個週三", D(2024, 5, 8)),
])
def test_weekdays_in_every_spelling(text, mention, day):
    assert one(text) == (mention, day, day)


def test_a_weekday_after_a_named_week_falls_in_that_week():
    got = found("总统下星期出访。星期一抵达莫斯科，星期二前往基辅。")
    assert got == [("下星期", D(2024, 5, 27), D(2024, 6, 2)), ("星期一", D(2024, 5, 27), D(2024, 5, 27)),
                   ("星期二", D(2024, 5, 28), D(2024, 5, 28))]


def test_a_weekday_after_a_date_is_that_dates_weekday():
    assert found("会议定于6月14日（星期五）举行。") == [
        ("6月14日", D(2024, 6, 14), D(2024, 6, 14)), ("星期五", D(2024, 6, 14), D(2024, 6, 14))]
    assert found("1月3日，星期三，大雪。", D(2024, 1, 10))[1] == ("星期三", D(2024, 1, 3), D(2024, 1, 3))


def test_halves_of_the_reference_month_and_week():
    assert one("我上半月都不在北京。") == ("上半月", D(2024, 5, 1), D(2024, 5, 15))
    assert one("下半周有雨。") == ("下半周", D(2024, 5, 23), D(2024, 5, 26))


def test_a_leap_day_without_a_year_is_the_last_leap_years():
    assert one("2月29日出生的人四年过一次生日。", D(2023, 3, 1)) == ("2月29日", D(2020, 2, 29), D(2020, 2, 29))


def test_weekday_words_inside_names_are_not_dates():
    assert found("据法国星期天报报道，双方仍在谈判。") == []
    assert found("他每周一都去健身，一周三次。") == []


# ------------------------------------------------------------------ ranges joined into one span
@pytest.mark.parametrize("text,mention,start,end", [
    ("三月到五月是旅游旺季。", "三月到五月", D(2024, 3, 1), D(2024, 5, 31)),
    ("1995 - 1997年的收入不乐观。", "1995 - 1997年", D(1995, 1, 1), D(1997, 12, 31)),
    ("展会于5月18日至6月2日举行。", "5月18日至6月2日", D(2024, 5, 18), D(2024, 6, 2)),
    ("统计覆盖1953－2004年间的数据。", "1953－2004年", D(1953, 1, 1), D(2004, 12, 31)),
    ("去年8月至今年2月，价格持续走低。", "去年8月至今年2月", D(2023, 8, 1), D(2024, 2, 29)),
    ("这家工厂2015年和2018年之间的销售额翻番。", "2015年和2018年之间", D(2015, 1, 1), D(2018, 12, 31)),
    ("2023年12月28日至1月28日封闭施工。", "2023年12月28日至1月28日", D(2023, 12, 28), D(2024, 1, 28)),
    ("11月至2月为枯水期。", "11月至2月", D(2024, 11, 1), D(2025, 2, 28)),
    ("6.13-6.14日将有强降雨。", "6.13-6.14日", D(2024, 6, 13), D(2024, 6, 14)),
    ("6.12日起实行交通管制。", "6.12日起", D(2024, 6, 12), D(2024, 6, 12)),
])
def test_ranges_are_one_span(text, mention, start, end):
    assert one(text) == (mention, start, end)


# ------------------------------------------------------------------ since forms and offsets
@pytest.mark.parametrize("text,mention,start,end", [
    ("2019年以来，全市新增就业12万人。", "2019年以来", D(2019, 1, 1), PUB),
    ("自2016年起，该市连续举办论坛。", "自2016年起", D(2016, 1, 1), PUB),
    ("从2021年开始，补贴逐年提高。", "从2021年开始", D(2021, 1, 1), PUB),
    ("2024年4月至今，已接待游客百万人次。", "2024年4月至今", D(2024, 4, 1), PUB),
    ("自从去年年初以来，房价持续下行。", "自从去年年初以来", D(2023, 1, 1), PUB),
    ("该条例自2003年10月1日起施行。", "自2003年10月1日起", D(2003, 10, 1), D(2003, 10, 1)),
])
def test_since_forms_end_on_the_publish_date(text, mention, start, end):
    assert one(text) == (mention, start, end)


def test_a_since_form_that_starts_after_the_publish_date_keeps_its_own_span():
    assert one("新规6月1日起施行。", D(2024, 2, 26)) == ("6月1日起", D(2024, 6, 1), D(2024, 6, 1))
    assert one("明日起，地铁延长运营。") == ("明日起", D(2024, 5, 27), D(2024, 5, 27))


def test_every_found_span_is_ordered_on_random_input():
    import random

    rnd = random.Random(7)
    alphabet = "0123456789一二三四五六七八九十两〇年月日号周星期天季度上下半前后初中末底旬今去明昨本这当次第世纪代春秋冬节农历闰腊自从起以来至到-~. ，。的和之间最"
    for _ in range(3000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 14)))
        pub = D(rnd.randint(1995, 2030), rnd.randint(1, 12), rnd.randint(1, 28))
        for d in extract(text, pub).dates:
            assert d.start_date <= d.end_date, (text, pub, d)


def test_offsets_from_a_stated_base():
    assert found("三年前，这里还是一片荒地。") == [("三年前", D(2021, 1, 1), D(2021, 12, 31))]
    assert found("一两年前，他还在读书。") == [("一两年前", D(2022, 1, 1), D(2023, 12, 31))]
    assert found("1919年他离开家乡，10年后才回来。") == [
        ("1919年", D(1919, 1, 1), D(1919, 12, 31)), ("10年后", D(1929, 1, 1), D(1929, 12, 31))]
    assert found("5月10日签约，两天后正式开工。") == [
        ("5月10日", D(2024, 5, 10), D(2024, 5, 10)), ("两天后", D(2024, 5, 12), D(2024, 5, 12))]
    assert found("30年后，这里会是什么样子？") == []  # no stated base: a hypothetical


def test_a_day_word_explained_in_brackets_is_that_day():
    assert found("报道称，从今天（10月1日）起实行新规。", D(2020, 10, 4))[0] == ("今天", D(2020, 10, 1), D(2020, 10, 1))
    assert found("事发当天（9月28日），他在学校。", D(2020, 10, 4))[0] == ("事发当天", D(2020, 9, 28), D(2020, 9, 28))


def test_rolling_windows_are_durations():
    for text in ("近三年销量最高的品牌", "过去十年中国变化巨大", "前10天的客流"):
        assert found(text) == [], text


# ------------------------------------------------------------------ festivals, lunar dates
@pytest.mark.parametrize("text,pub,mention,day", [
    ("春节期间，景区人流如织。", D(2024, 2, 20), "春节", D(2024, 2, 10)),
    ("市民欢度中秋节。", D(2023, 9, 30), "中秋节", D(2023, 9, 29)),
    ("今年的国庆节假期延长。", D(2020, 9, 1), "今年的国庆节", D(2020, 10, 1)),
    ("母亲节前夕，花店生意火爆。", D(2016, 5, 3), "母亲节", D(2016, 5, 8)),
    ("清明节祭扫高峰到来。", D(2016, 4, 1), "清明节", D(2016, 4, 4)),
    ("虎年新春，大家互致问候。", D(2022, 1, 25), "虎年新春", D(2022, 2, 1)),
    ("2004年春节后，他外出打工。", D(2005, 1, 6), "2004年春节后", D(2004, 1, 22)),
    ("腊月21，村里杀猪过年。", D(2024, 1, 20), "腊月21", D(2024, 1, 31)),
    ("大年初三，他踏上返程。", D(2024, 2, 1), "大年初三", D(2024, 2, 12)),
])
def test_festivals_and_lunar_days_are_dates(text, pub, mention, day):
    assert one(text, pub) == (mention, day, day)


def test_seasons_alone_and_in_pairs():
    assert one("秋冬季节，流感进入高发期。", D(2018, 3, 8)) == ("秋冬季节", D(2018, 9, 1), D(2019, 2, 28))
    assert one("今年冬天来得早。", D(2018, 3, 8)) == ("今年冬天", D(2018, 12, 1), D(2019, 2, 28))
    assert found("这部电影拍了一年，春夏秋冬一共四季。") == []
    assert found("冬奥会和夏季达沃斯论坛相继举行。") == []


def test_festival_words_inside_food_names_are_not_dates():
    assert found("腊八粥怎样煮才好吃？", D(2021, 1, 20)) == []


def test_lunar_months():
    assert one("农历八月，桂花飘香。", D(2024, 5, 26)) == ("农历八月", D(2024, 9, 3), D(2024, 10, 2))
    assert one("今年闰六月，雨水偏多。", D(2025, 5, 1))[1:] == (D(2025, 7, 25), D(2025, 8, 22))


# ------------------------------------------------------------------ decades and centuries
@pytest.mark.parametrize("text,mention,start,end", [
    ("80年代初，他来到深圳。", "80年代初", D(1980, 1, 1), D(1982, 12, 31)),
    ("上世纪90年代中后期，国企改革加速。", "上世纪90年代中后期", D(1994, 1, 1), D(1999, 12, 31)),
    ("上世纪30年代后期，战事频仍。", "上世纪30年代后期", D(1935, 1, 1), D(1939, 12, 31)),
    ("十九世纪六十年代，洋务运动兴起。", "十九世纪六十年代", D(1860, 1, 1), D(1869, 12, 31)),
    ("九十年代，下海经商成风。", "九十年代", D(1990, 1, 1), D(1999, 12, 31)),
    ("20世纪初，这里还是渔村。", "20世纪初", D(1900, 1, 1), D(1919, 12, 31)),
])
def test_decades_and_centuries(text, mention, start, end):
    assert one(text) == (mention, start, end)


# ------------------------------------------------------------------ the rule table itself
def test_every_rule_name_is_unique_and_the_pattern_compiles_once():
    from news_assets.facts import date_rules, dates

    names = [r.name for r in date_rules.RULES]
    assert len(names) == len(set(names))
    assert {n for sub in dates._BY_CHAR.values() for n in sub.groups} == set(names)


def test_titles_of_works_are_not_dates():
    assert found("《明日之后》将于明日正式上线。", D(2019, 8, 28)) == [("明日", D(2019, 8, 29), D(2019, 8, 29))]


# ------------------------------------------------------------------ the dateline hand-off (issue 12)
DATELINE_PAGE = """<html><head><meta charset="utf-8"><title>山城夜景点亮消费_新闻中心_示例网</title></head><body>
<div class="main"><h1>山城夜景点亮消费</h1>
<div class="info">2024-05-26 09:30:00 来源：新华网</div>
<div class="content">
<p>新华社重庆30日电 30日晚，重庆两江四岸灯光秀吸引大批游客，今天客流比去年同期增长两成。</p>
<p>据介绍，今年以来重庆夜间消费持续升温，商圈客流明显回升，多家商场延长了营业时间。</p>
</div></div></body></html>"""


def test_the_parsers_dateline_day_anchors_the_facts(tmp_path):
    """articles.dateline_date and the facts' 30日 / 今天 agree: the facts take the parser's dateline."""
    from news_assets.lake import Lake
    from news_assets.pipeline import record_raw_partition, run_articles, run_facts
    from news_assets.sources.manifest import ManifestEntry

    day = "2024-05-26"
    lake = Lake(tmp_path)
    sha = lake.put_raw(DATELINE_PAGE.encode("utf-8"))
    record_raw_partition(lake, day, [ManifestEntry(day, "s", "https://news.example.cn/a/1.html", "fetched",
                                                   final_url="https://news.example.cn/a/1.html", sha256=sha)])
    run_articles(lake, day)
    art = lake.read_partition("articles", day).to_dicts()[0]
    assert art["dateline_place"] == "重庆"
    dl = date.fromisoformat(art["dateline_date"])
    assert dl == D(2024, 4, 30)  # 30日 cannot lie four days after the publish date: the last month's
    run_facts(lake, day)
    mentions = [(m["text"], m["start_date"]) for m in lake.read_partition("date_mentions", day).to_dicts()]
    assert mentions[:3] == [("30日", dl), ("30日", dl), ("今天", dl)]
    # the CLI path (plain text, no parser) reads the dateline itself, by the same rule
    assert found(art["body"], PUB)[:3] == [("30日", dl, dl), ("30日", dl, dl), ("今天", dl, dl)]


# ------------------------------------------------------------------ a relative year sets the year of what follows
@pytest.mark.parametrize("text,mention,start,end", [
    ("他去年3月入职，到5月已升任主管。", "5月", D(2023, 5, 1), D(2023, 5, 31)),
    ("去年10月1日签约后，项目于12月20日开工。", "12月20日", D(2023, 12, 20), D(2023, 12, 20)),
    ("前年4月调研时，村里还没有通路，8月才动工。", "8月", D(2022, 8, 1), D(2022, 8, 31)),
    ("明年1月起执行新标准，3月全面推开。", "3月", D(2025, 3, 1), D(2025, 3, 31)),
])
def test_a_relative_year_is_the_context_year(text, mention, start, end):
    assert (mention, start, end) in found(text)


# ------------------------------------------------------------------ school years, issue-day starts, plans in quotes
@pytest.mark.parametrize("text,pub,mention,start,end", [
    ("上学年全校共招收新生1200人。", D(2022, 2, 12), "上学年", D(2020, 9, 1), D(2021, 8, 31)),
    ("本学年全市新增学位5000个。", D(2023, 10, 8), "本学年", D(2023, 9, 1), D(2024, 8, 31)),
    ("下学年将增设两个班。", D(2024, 5, 26), "下学年", D(2024, 9, 1), D(2025, 8, 31)),
])
def test_school_years(text, pub, mention, start, end):
    assert (mention, start, end) in found(text, pub)


@pytest.mark.parametrize("text,mention", [
    ("本办法自本通告发布之日起施行。", "自本通告发布之日起"),
    ("本规定自印发之日起实施，有效期五年。", "自印发之日起"),
    ("以上措施从公布之日起执行。", "从公布之日起"),
])
def test_a_rule_in_force_from_its_issue_day_is_the_publish_day(text, mention):
    assert found(text, D(2022, 1, 28)) == [(mention, D(2022, 1, 28), D(2022, 1, 28))]


@pytest.mark.parametrize("text,mention,start,end", [
    ("“十五”时期，全省生产总值年均增长10%。", "“十五”时期", D(2001, 1, 1), D(2005, 12, 31)),
    ("“九五”期间，该市新建学校30所。", "“九五”期间", D(1996, 1, 1), D(2000, 12, 31)),
    ("“十五”规划提出，到2005年……", "十五", D(2001, 1, 1), D(2005, 12, 31)),
    ("“十一五”时期是关键五年。", "“十一五”时期", D(2006, 1, 1), D(2010, 12, 31)),
])
def test_five_year_plans_in_quotes(text, mention, start, end):
    assert (mention, start, end) in found(text)


def test_fifteen_alone_is_no_plan():
    assert found("十五年来，村里变化很大。") == []
    assert found("他们“十五”人一组。") == []


@pytest.mark.parametrize("text,mention,start,end", [
    ("18世纪早期的建筑保存完好。", "18世纪早期", D(1700, 1, 1), D(1719, 12, 31)),
    ("这种工艺在19世纪晚期传入。", "19世纪晚期", D(1880, 1, 1), D(1899, 12, 31)),
    ("上世纪后期，工厂陆续关停。", "上世纪后期", D(1980, 1, 1), D(1999, 12, 31)),
    ("二十世纪初期的照片", "二十世纪初期", D(1900, 1, 1), D(1919, 12, 31)),
])
def test_parts_of_centuries(text, mention, start, end):
    assert found(text) == [(mention, start, end)]


# ------------------------------------------------------------------ incident days: 事发当天（9月28日）… 事发次日
def test_incident_days_count_from_the_incident():
    text = ("10月20日，警方通报了调查结果。事发当天（9月28日），两人发生争执。"
            "11月2日，家属再次到场。事发次日，他被送往医院；事发第三天，他出院。")
    got = found(text, D(2019, 11, 25))
    assert ("事发当天", D(2019, 9, 28), D(2019, 9, 28)) in got
    assert ("事发次日", D(2019, 9, 29), D(2019, 9, 29)) in got
    assert ("事发第三天", D(2019, 9, 30), D(2019, 9, 30)) in got


def test_an_incident_day_without_brackets_is_the_day_named_before():
    got = found("8月3日晚，一辆货车在国道侧翻。案发次日，交警部门公布了原因。", D(2023, 8, 10))
    assert ("案发次日", D(2023, 8, 4), D(2023, 8, 4)) in got


def test_second_and_third_day_count_from_the_same_day():
    got = found("3月5日他住进医院，第二天开始发烧，第三天才退烧。", D(2024, 3, 20))
    assert ("第二天", D(2024, 3, 6), D(2024, 3, 6)) in got
    assert ("第三天", D(2024, 3, 7), D(2024, 3, 7)) in got


@pytest.mark.parametrize("text", [
    "把豆子在头一天晚上泡好。\n第二天熬粥时，先把水烧开。",
    "第一天参观博物馆，第二天游览古镇。",
])
def test_steps_of_a_plan_or_recipe_are_not_days(text):
    assert [t for t, *_ in found(text)] == []


def test_a_day_anaphor_far_from_any_day_is_dropped():
    text = "1967年4月23日，飞船发射。\n" + "他回忆起往事。\n" * 6 + "次日上午，记者又买来两个手电筒。"
    assert [t for t, *_ in found(text, D(2005, 1, 6))] == ["1967年4月23日"]


@pytest.mark.parametrize("text,pub", [
    ("2023年6月1日，这条有轨电车在运营13年后正式停运。", D(2024, 5, 10)),
    ("2020年他出狱，坐了5年牢，30年后才被平反。", D(2024, 5, 10)),
])
def test_a_year_offset_past_the_publish_year_is_a_duration(text, pub):
    assert all("年后" not in t for t, *_ in found(text, pub))


def test_a_year_offset_from_a_past_year_is_kept():
    assert ("10年后", D(1929, 1, 1), D(1929, 12, 31)) in found("1919年他离开家乡，10年后才回来。", D(2004, 7, 16))


@pytest.mark.parametrize("text", [
    "腊八节要吃腊八粥，豆子要提前泡。",
    "端午节的由来有多种说法。",
    "中秋节赏月是传统。",
    "春节的习俗各地不同。",
])
def test_a_festival_as_the_topic_of_a_custom_is_no_date(text):
    assert found(text, D(2021, 1, 20)) == []


def test_a_festival_that_places_an_event_is_a_date():
    assert found("春节期间，全市接待游客120万人次。", D(2024, 2, 20))[0][1] == D(2024, 2, 10)


# ------------------------------------------------------------------ two-digit years in a range share a century
@pytest.mark.parametrize("text,pub,start,end", [
    ("18年10月1日到19年2月3日，展览持续四个月。", D(2018, 8, 30), D(2018, 10, 1), D(2019, 2, 3)),
    ("98年至02年，他在深圳工作。", D(2001, 6, 1), D(1998, 1, 1), D(2002, 12, 31)),
    ("99年到01年，厂里扩建了两次。", D(2000, 3, 1), D(1999, 1, 1), D(2001, 12, 31)),
])
def test_the_second_two_digit_year_of_a_range_follows_the_first(text, pub, start, end):
    got = found(text, pub)
    assert len(got) == 1 and got[0][1:] == (start, end), got


@pytest.mark.parametrize("text,dates", [
    ("普通人在专业医师指导下一个月减8斤并非不可能。", []),
    ("在家人的陪同下一个月内走完了全程。", []),
    ("下一个月，全市将启动新一轮检查。", [("下一个月", D(2024, 6, 1), D(2024, 6, 30))]),
    ("公司计划下个月发布新品。", [("下个月", D(2024, 6, 1), D(2024, 6, 30))]),
])
def test_xia_closing_a_frame_is_not_next_month(text, dates):
    assert found(text) == dates


# the scan tries at each candidate only the rules that can open with its character: it must find what one
# alternation of every rule, in table order, finds
_SCAN_TEXTS = [
    "2019年7月8日至10日，该市共接待游客12.5万人次，比2018年同期增长8%；1-10月累计完成投资246.79亿元。",
    "上世纪90年代中后期，民国三年的旧档与二〇一九年的新档并存；国际劳动节、中秋节和农历八月十五都放假。",
    "下个星期五、本季度、上上周和大后天，他们在第二天又去了一次；自2016年起每年3.15日前后检查一次。",
    "编号12345678的合同于2023-05-17签订，金额为305,120.45元，电话010-88886666，门牌1998号。",
    "中国农民丰收节前夕，中华人民共和国成立75周年，青年节那天，“十四五”规划提出，80年代初至今。",
]


def test_the_candidate_scan_finds_what_one_alternation_of_all_rules_finds():
    import re

    from news_assets.facts import _ref, date_rules, dates

    parts = []
    for r in date_rules.RULES:
        p = r.pattern.replace("@FEST@", date_rules.fest_pattern()).replace("@ERA@", date_rules.era_pattern())
        p = re.sub(r"\(\?P<(\w+)>", lambda m, n=r.name: f"(?P<{n}__{m.group(1)}>", p)
        p = re.sub(r"\(\?P=(\w+)\)", lambda m, n=r.name: f"(?P={n}__{m.group(1)})", p)
        parts.append(f"(?P<{r.name}>{p})")
    whole = re.compile("|".join(parts))
    n = 0
    for text in _SCAN_TEXTS:
        norm = _ref.normalise(text)
        expected = [(m.span(), m.lastgroup) for m in whole.finditer(norm)]
        assert [(m.span(), m.lastgroup) for m, _ in dates._matches(norm)] == expected
        n += len(expected)
    assert n >= 20


def test_digits_inside_a_number_open_no_date_but_a_century():
    assert found("编号12345678的合同金额为305,120.45元。") == []
    assert [t for t, *_ in found("公元2世纪至21世纪的文物")][-1:] == ["21世纪"]


@pytest.mark.parametrize("text, mention, start, end", [
    ("活动时间为2024.5.1-2024.5.31，欢迎市民参加。", "2024.5.1-2024.5.31", D(2024, 5, 1), D(2024, 5, 31)),
    ("展览时间：2023/12/20-2024/1/5，地点在市博物馆。", "2023/12/20-2024/1/5", D(2023, 12, 20), D(2024, 1, 5)),
    ("报名时间为2024.6.1-6.15，逾期不候。", "2024.6.1-6.15", D(2024, 6, 1), D(2024, 6, 15)),
    ("征集时间：2024.05.01—2024.05.31。", "2024.05.01—2024.05.31", D(2024, 5, 1), D(2024, 5, 31)),
    ("调查于2024-03-01至2024-03-15进行。", "2024-03-01至2024-03-15", D(2024, 3, 1), D(2024, 3, 15)),
])
def test_numeric_date_ranges_are_one_item(text, mention, start, end):
    assert one(text) == (mention, start, end)


def test_a_numeric_range_that_runs_backwards_or_is_a_time_stamp_gives_no_range():
    assert found("编号2024.5.31-5.1的文件") == []
    assert found("发布时间：2022-02-13 20:04") == []


@pytest.mark.parametrize("text, mention, start, end", [
    ("大前年他第一次来到这座城市。", "大前年", D(2021, 1, 1), D(2021, 12, 31)),
    ("新馆预计大后年建成开放。", "大后年", D(2027, 1, 1), D(2027, 12, 31)),
    ("前年的产量创下新高。", "前年", D(2022, 1, 1), D(2022, 12, 31)),
])
def test_years_counted_back_and_forward_from_the_reference(text, mention, start, end):
    assert one(text) == (mention, start, end)


@pytest.mark.parametrize("text, mention, start, end", [
    ("论坛将于26-28日在京举行。", "26-28日", D(2024, 5, 26), D(2024, 5, 28)),
    ("展会1-3日对公众开放。", "1-3日", D(2024, 5, 1), D(2024, 5, 3)),
    ("比赛定于20至22日进行。", "20至22日", D(2024, 5, 20), D(2024, 5, 22)),
])
def test_a_range_of_bare_days_is_one_item(text, mention, start, end):
    assert one(text) == (mention, start, end)


def test_a_backwards_range_of_bare_days_is_no_date():
    assert found("编号28-26日的记录") == []


@pytest.mark.parametrize("text, mention, start, end", [
    ("今年首季本地生产总值按年增长2.7%。", "今年首季", D(2024, 1, 1), D(2024, 3, 31)),
    ("2024年首月出口增长5%。", "2024年首月", D(2024, 1, 1), D(2024, 1, 31)),
])
def test_the_first_quarter_and_month_after_a_year(text, mention, start, end):
    assert one(text) == (mention, start, end)


def test_first_month_alone_is_of_anything_not_january():
    assert found("新车上市首月销量突破1万台。") == []
