"""Pages shaped like portal templates the dev corpus does not hold (issue 16): each pins one failure class —
short articles beside bigger comment/feed blocks, portal names in author slots, traditional labels,
placeholder sources with a closing 本文来源 line, bracketed places, full outlet names, byline shapes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from news_assets.parse import fields as F
from news_assets.parse import parse_html
from news_assets.parse.names import SiteNames, clean_outlet, is_person, split_glued

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "parse"
EXPECTED = json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_page_fields(name):
    want = EXPECTED[name]
    art = parse_html((FIXTURES / name).read_bytes())
    assert art.is_article, art.reject_reason
    assert art.title == want["title"]
    assert art.publish_time.isoformat() == want["publish_time"]
    assert art.source_name == want["source_name"]
    assert art.authors == want["authors"]
    assert art.body.startswith(want["body_first"]), art.body[:60]
    assert art.body.endswith(want["body_last"]), art.body[-60:]


def test_short_article_is_not_swapped_for_the_comment_thread():
    art = parse_html((FIXTURES / "short_brief_neutral.html").read_bytes())
    assert len(art.body) < 100  # one paragraph: the comments and the feed around it are not the article
    assert "老张在路上" not in art.body and "为你推荐" not in art.body


@pytest.mark.parametrize(
    "name, site, ok",
    [
        ("网易", None, False),  # a portal
        ("腾讯财经", None, False),  # portal + channel
        ("新浪科技", None, False),
        ("示例晚报", None, False),  # an outlet by its ending
        ("最新文章", None, False),  # UI strings
        ("精华文章", None, False),
        ("介绍", None, False),  # "记者介绍": a reporting verb
        ("获悉", None, False),
        ("的脖子", None, False),  # a phrase, not a name
        ("城市晨报", SiteNames({"城市晨报"}), False),
        ("晨报君", SiteNames({"晨报君"}), False),  # the site's own name
        ("张明", None, True),
        ("欧阳晓岚", None, True),
        ("向雪妮", None, True),  # 向 is a surname, not only a preposition
        ("阿卜杜·热合曼", None, True),
        ("叨叨姐", None, True),  # pen names stay when nothing speaks against them
    ],
)
def test_is_person(name, site, ok):
    assert is_person(name, site) is ok


def test_site_names_from_host_and_title():
    site = SiteNames.of("news.163.com", None, ["网易新闻"])
    assert site.holds("网易") and site.holds("网易新闻") and not site.holds("王强")
    site = SiteNames.of("www.example.cn", "江城日报", ["江城日报客户端"])
    assert site.holds("江城日报") and not is_person("江城日报", site)


@pytest.mark.parametrize(
    "raw, want",
    [
        ("南方日报(广州)", "南方日报"),
        ("经济观察报（北京）", "经济观察报"),
        ("人民日报（海外版）", "人民日报（海外版）"),  # an edition, not a place: kept
        ("中国经济网", "中国经济网"),
        ("中国经济网综合", "中国经济网"),
        ("综合", None),
        ("转载", None),
        ("互联网", None),
    ],
)
def test_clean_outlet(raw, want):
    assert clean_outlet(raw) == want


@pytest.mark.parametrize(
    "text, want",
    [
        ("来源：南方日报(广州) 作者：李明", "南方日报"),
        ("來源：聯合報 記者 王大同", "聯合報"),  # traditional label, value kept as written
        ("来源： \n2024-05-06 10:00", None),  # an empty label does not take the next line
        ("来源：转载 编辑：小王", None),
        ("稿件来源：中国经济网 发布时间：2024-01-02", "中国经济网"),
    ],
)
def test_find_source(text, want):
    assert F.find_source(text) == want


@pytest.mark.parametrize(
    "text, want",
    [
        ("文/王小丫", ["王小丫"]),
        ("撰文：孟晓川", ["孟晓川"]),
        ("記者 陳志明、林嘉欣", ["陳志明", "林嘉欣"]),
        ("作者：陈立 赵岩", ["陈立", "赵岩"]),
        ("记者 周海波 通讯员 吴雪婷", ["周海波", "吴雪婷"]),
        ("执笔/叨叨姐、胡一刀&李小飞刀", ["叨叨姐", "胡一刀", "李小飞刀"]),
        ("记者 张明/李华", ["张明", "李华"]),
        ("顶端新闻·河南商报记者马俊峰/文 受访者供图", ["马俊峰"]),
        ("本报记者王小明北京报道", ["王小明"]),  # the place glued to the name is not part of it
        ("记者李华上海报道", ["李华"]),
    ],
)
def test_byline_shapes(text, want):
    assert F.authors_from_text(text) == want


def test_outlet_credited_in_byline():
    assert F.find_outlet_credit(["江淮晨报·新安客户端记者 许文"]) == "江淮晨报·新安客户端"
    assert F.find_outlet_credit(["据新华社北京电（记者 王晖）今年以来……"]) == "新华社"
    assert F.find_outlet_credit(["本报记者 张三"]) is None
    assert F.find_outlet_credit(["记者从市交通局获悉"]) is None


def test_glued_names_split_by_surname():
    assert split_glued("罗科苏盈") == ["罗科", "苏盈"]
    assert split_glued("欧阳晓岚") == ["欧阳晓岚"]  # a compound surname: one person
    assert split_glued("格桑边觉") == ["格桑边觉"]


def test_author_label_alone_in_its_cell():
    html = """<html><head><meta charset="utf-8"><title>乡村公路通到家门口_示例县政府网</title></head><body>
    <table><tr><td><h1>乡村公路通到家门口</h1></td></tr>
    <tr><td>发布时间：2012-05-08</td><td>作者：</td><td>王 林</td><td>来源：示例县交通局</td></tr>
    <tr><td class="content"><p>今年以来，全县新修通村公路一百二十公里，四十个行政村实现了硬化路通到村民家门口。</p>
    <p>县交通局介绍，项目采取以奖代补方式，村民投工投劳，工程质量由第三方全程监理。</p>
    <p>村民们说，过去下雨天出门一脚泥，现在农产品可以直接装车运到城里。</p></td></tr></table>
    </body></html>"""
    art = parse_html(html.encode())
    assert art.authors == ["王林"] and art.source_name == "示例县交通局"


def test_unlabelled_source_element_beside_the_time():
    html = """<html><head><meta charset="utf-8"><title>新能源公交线路开通_示例门户</title></head><body>
    <h1>新能源公交线路开通</h1>
    <div class="info"><span class="date">2016年09月12日 08:05</span> <span class="source"><a href="/">示例观察</a></span></div>
    <div class="article"><p>全市首条全程使用新能源车辆的公交线路今天开通，线路全长二十一公里，沿途设站三十二个。</p>
    <p>公交集团表示，年内还将更新新能源公交车三百辆，主城区公交基本实现电动化。</p></div>
    <div class="source-list"><a href="/a">示例观察首页</a> <a href="/b">关于我们</a></div>
    </body></html>"""
    art = parse_html(html.encode())
    assert art.source_name == "示例观察" and art.authors == []


@pytest.mark.parametrize(
    "text, want",
    [
        ("作者：张晓峰来源：示例日报", ["张晓峰"]),  # the next label glued to the name
        ("记者李明2019-03-02 10:00", ["李明"]),
    ],
)
def test_names_end_where_the_next_field_starts(text, want):
    assert F.authors_from_text(text) == want


def test_blog_post_author_is_the_blog_owner():
    html = """<html><head><meta charset="utf-8"><title>周末去湿地公园看候鸟_林间小路的博客_示例博客</title></head><body>
    <div class="blog-head"><a href="/">示例博客首页</a> <span>林间小路的博客</span></div>
    <h2 class="title">周末去湿地公园看候鸟</h2><span class="time">(2012-11-25 19:40:12)</span>
    <div class="articalContent"><p>周末一早赶到湿地公园，水面上已经落满了从北方飞来的候鸟，白鹭、野鸭和天鹅成群结队。</p>
    <p>公园的工作人员说，今年来越冬的候鸟比去年多了三成，观鸟台上挤满了拿着长焦镜头的爱好者。</p></div>
    <div class="comment"><p>楼上拍得真好，下周我也去看看！</p></div></body></html>"""
    art = parse_html(html.encode())
    assert art.authors == ["林间小路"]


@pytest.mark.parametrize("closing", ["（作者：孙立平）", "（作者：孙立平，系示例大学教授）", "(文/图 孙立平)"])
def test_author_note_closing_the_article(closing):
    html = f"""<html><head><meta charset="utf-8"><title>让老街留住烟火气_示例评论网</title></head><body>
    <h1>让老街留住烟火气</h1><div class="info">2021-06-01 08:00 来源：示例评论网</div>
    <div class="content"><p>老街改造不能只追求整齐划一，更要留住居民熟悉的生活气息和街坊邻里的人情味。</p>
    <p>修缮老房子、改善基础设施之外，也要给小店铺、早点摊留出空间，让老街继续热闹下去。{closing}</p></div>
    </body></html>"""
    art = parse_html(html.encode())
    assert art.authors == ["孙立平"]


def test_a_columnist_named_in_the_title_is_not_the_site():
    site = SiteNames.of("www.example.com", None, ["张三专栏", "示例评论网"])
    assert is_person("张三", site) and not is_person("示例评论网", site)


def test_blog_owner_beside_the_blog_name_in_the_title():
    html = """<html><head><meta charset="utf-8"><title>江南小雨 | blog.example.com</title></head><body>
    <div class="post"><h3>雨后的石板路</h3><div class="meta">发表于 2006-04-02 21:15:00</div>
    <p>雨停了，巷子里的石板路被洗得发亮，屋檐还在滴水，卖花的老人推着车慢慢走过。</p>
    <p>我撑着伞站在桥上看了很久，想起小时候外婆牵着我走过同一条路的样子。</p></div></body></html>"""
    assert parse_html(html.encode()).authors == ["江南小雨"]


def test_minority_names_are_not_split():
    assert split_glued("阿旺平措") == ["阿旺平措"]
