"""Header-field rules on byline variants seen on Chinese news sites (synthetic strings only)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from news_assets.parse import fields as F
from news_assets.parse import parse_html
from news_assets.parse.charset import decode_html, normalize_charset

CST = timezone(timedelta(hours=8))


@pytest.mark.parametrize(
    ("text", "iso", "precision"),
    [
        ("发布时间：2024-05-20 09:47:48 来源：北京商报", "2024-05-20T09:47:48+08:00", "second"),
        ("2024年05月10日 00:26 每日经济新闻", "2024-05-10T00:26:00+08:00", "minute"),
        ("2021-01-20 04:29:4439健康网", "2021-01-20T04:29:44+08:00", "second"),
        ("时间：2019/09/24 17:08", "2019-09-24T17:08:00+08:00", "minute"),
        ("2024年5月20日 週一 下午2:05", "2024-05-20T14:05:00+08:00", "minute"),
        ("日期：2024.05.11", "2024-05-11T00:00:00+08:00", "day"),
        ("本文来源于北京商报 2024-05-20 09:47:48", "2024-05-20T09:47:48+08:00", "second"),
    ],
)
def test_visible_times(text, iso, precision):
    st = F.find_visible_time(text)
    assert st is not None
    assert st.dt.isoformat() == iso
    assert st.precision == precision


def test_machine_times_convert_to_beijing():
    assert F.parse_machine_time("2024-05-20T06:05:02.000Z").dt.isoformat() == "2024-05-20T14:05:02+08:00"
    assert F.parse_machine_time("2024-05-20T09:47:48+08:00").dt.isoformat() == "2024-05-20T09:47:48+08:00"
    assert F.parse_machine_time("2024-05-20").precision == "day"
    assert F.parse_machine_time("1716169668").dt.tzinfo is not None
    assert F.parse_machine_time("not a date") is None


def test_day_month_year_label():
    st = F.find_dmy_time("发表时间： 06/02/2022 - 13:48", datetime(2022, 2, 6, 20, 48, tzinfo=CST))
    assert st.dt == datetime(2022, 2, 6, 13, 48, tzinfo=CST)
    assert F.find_dmy_time("发布时间：25/12/2023").dt.date().isoformat() == "2023-12-25"


def test_url_dates():
    assert F.url_date("http://health.people.com.cn/n1/2024/0517/c14739-40237861.html").dt.date().isoformat() == "2024-05-17"
    assert F.url_date("https://news.gmw.cn/2024-05/20/content_37330990.htm").dt.date().isoformat() == "2024-05-20"
    assert F.url_date("http://economy.caijing.com.cn/20240520/5012641.shtml").dt.date().isoformat() == "2024-05-20"
    assert F.url_date("https://example.com/about") is None


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("2024-05-13 09:16:04 来源: 北青网-北京青年报 北京 举报", "北青网-北京青年报"),
        ("来源：光明网-《光明日报》 作者：刘艺", "光明网-《光明日报》"),
        ("来源： 科普中国-科学原理", "科普中国-科学原理"),
        ("2004年7月16日08:19 [ 黄宇 ] 来源：[ 国际金融报 ]", "国际金融报"),
        ("原创：39健康网2024-04-23 12:27:25", "39健康网"),
        ("來源：中央社", "中央社"),
        ("类别:国内 发布时间:2024-05-26 10:09:00 来源:每日看点快看", "每日看点快看"),
        ("来源：", None),
        ("作者：张三", None),
    ],
)
def test_sources(text, source):
    assert F.find_source(text) == source


def test_outlets_and_accounts():
    assert F.find_outlet_after_time("2024年05月10日 00:26 每日经济新闻") == "每日经济新闻"
    assert F.find_outlet_after_time("2024-05-20 14:33·新华社") == "新华社"
    assert F.find_account_line(["环球时报新媒体", "2024-05-18 16:56发布于北京"]) == "环球时报新媒体"
    assert F.find_account_line(["播报文章", "管不饿", "关注", "2024-05-08 23:23"]) == "管不饿"
    assert F.find_account_line(["分享", "2024-05-08 23:23"]) is None
    assert F.find_origin("本文转自:新华网") == "新华网"
    assert F.find_origin("转载自：人民日报，作者：X") == "人民日报"


@pytest.mark.parametrize(
    ("text", "authors"),
    [
        ("北京商报讯（记者 岳品瑜 董晗萱）5月20日，中国人民银行授权", ["岳品瑜", "董晗萱"]),
        ("新华社记者李晓婷、周思宇、赵佳乐", ["李晓婷", "周思宇", "赵佳乐"]),
        ("本报记者罗科苏盈发自北京", ["罗科", "苏盈"]),  # two surnamed two-character names glued together
        ("新京报记者 彭冲 山东冠县报道", ["彭冲"]),
        ("顶端新闻·河南商报记者马俊峰/文受访者供图", ["马俊峰"]),
        ("作者：宋怡 杨志华", ["宋怡", "杨志华"]),
        ("文/栗思", ["栗思"]),
        ("新华社记者 李梦馨 摄", ["李梦馨"]),
        ("执笔人：闵乐夫 赵兰波 刘韬", ["闵乐夫", "赵兰波", "刘韬"]),
        ("责任编辑：孔德明", []),
        ("本报讯 近日，记者从市教委获悉", []),
    ],
)
def test_authors(text, authors):
    assert F.authors_from_text(text) == authors


def test_bracketed_byline_name():
    assert F.bracket_author("BUSINESS.SOHU.COM 2004年7月16日08:19 [ 黄宇 ] 来源：[ 国际金融报 ]") == ["黄宇"]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("新华社重庆5月25日电题:共赴“山海之约”", ("新华社", "重庆", "2024-05-25")),
        ("新华社北京5月19日电（刘艺、杨吉）", ("新华社", "北京", "2024-05-19")),
        ("中国网5月20日电 5月18日晚", ("中国网", None, "2024-05-20")),
        ("（法新社羅馬19日電） 德國網球好手", ("法新社", "羅馬", "2024-05-19")),
        ("中新社香港5月20日电 香港特区政府", ("中新社", "香港", "2024-05-20")),
        ("（中央社記者陳秉弘台北20日電）行政院今天", ("中央社", "台北", "2024-05-20")),
        ("早上在香港吃早茶", None),
    ],
)
def test_datelines(line, expected):
    publish = datetime(2024, 5, 26, 10, 9, tzinfo=CST)
    assert F.find_dateline(line, publish) == expected


def test_dateline_reporter():
    assert F.dateline_reporter("（中央社記者陳秉弘台北20日電）行政院今天") == ["陳秉弘"]
    assert F.dateline_reporter("新华社北京5月19日电") == []


def test_dateline_in_previous_year():
    # a December dateline on a January article belongs to the previous year
    assert F.find_dateline("新华社北京12月31日电 记者", datetime(2024, 1, 2, tzinfo=CST))[2] == "2023-12-31"


def test_categories():
    assert F.find_category("类别:国内 发布时间:2024-05-26") == "国内"
    assert F.breadcrumb_category(["当前位置：宏观频道首页 > 经济 >"], None) == "经济"
    assert F.breadcrumb_category(["首页 > 饮食 > 烹饪 > 烹饪技巧 > 正文"], None) == "烹饪技巧"
    assert F.breadcrumb_category(["今天天气很好"], None) is None


def test_charset_aliases():
    assert normalize_charset("GB2312") == "gb18030"
    assert normalize_charset("gbk") == "gb18030"
    assert normalize_charset("x-gbk") == "gb18030"
    assert normalize_charset("Big5") == "big5hkscs"
    assert normalize_charset("UTF8") == "utf-8"
    assert normalize_charset("no-such-charset") is None


def test_meta_gb2312_page_really_utf8():
    html = "<html><head><meta charset='gb2312'></head><body><p>这是一段用UTF-8保存却声明为GB2312的中文内容。</p></body></html>"
    text, charset = decode_html(html.encode("utf-8"))
    assert charset == "utf-8" and "声明为GB2312" in text


def test_http_charset_wrong_meta_right():
    html = "<html><head><meta charset='gbk'></head><body><p>服务器说是UTF-8，页面其实是GBK编码。</p></body></html>"
    text, charset = decode_html(html.encode("gbk"), declared_charset="utf-8")
    assert charset == "gb18030" and "页面其实是GBK编码" in text


def test_byline_variants_end_to_end():
    html = """<html><head><meta charset="utf-8"><title>某市召开会议部署工作-示例新闻网</title>
    <meta property="article:published_time" content="2024-03-01T01:30:00Z"></head><body>
    <div class="crumb">当前位置：首页 > 地方 > 正文</div>
    <h1>某市召开会议部署工作</h1>
    <div class="byline">2024年03月01日 09:30 &nbsp; 来源：示例日报 &nbsp; 作者：陈一 李二 &nbsp; 责任编辑：王五</div>
    <div id="article">
      <p>本报讯（记者 陈一 李二）2月29日，某市召开全市工作会议，对今年重点任务作出部署，要求各部门狠抓落实。</p>
      <p>会议指出，要坚持稳中求进工作总基调，完整准确全面贯彻新发展理念，推动经济实现质的有效提升。</p>
      <p>会议强调，各级各部门要进一步提高站位，压实责任，确保各项任务按时保质完成。</p>
      <p>（责任编辑：王五）</p>
      <div class="share">分享到：微信 微博</div>
    </div>
    <div class="related"><h3>相关新闻</h3><ul>
      <li><a href="/a/1.html">某市推进重点项目建设</a><span>2024-02-20</span></li>
      <li><a href="/a/2.html">某市部署安全生产工作</a><span>2024-02-18</span></li>
      <li><a href="/a/3.html">某市召开经济形势分析会</a><span>2024-02-10</span></li>
    </ul></div>
    <div class="footer">Copyright © 示例新闻网 版权所有 京ICP备00000000号</div>
    </body></html>"""
    a = parse_html(html.encode(), url="https://www.example.cn/local/2024-03/01/c_1.htm")
    assert a.is_article
    assert a.title == "某市召开会议部署工作"
    assert a.publish_time == datetime(2024, 3, 1, 9, 30, tzinfo=CST)
    assert a.source_name == "示例日报"
    assert a.authors == ["陈一", "李二"]
    assert a.category == "地方"
    assert a.site == "example.cn"
    assert a.body.startswith("本报讯（记者 陈一 李二）2月29日")
    assert a.body.endswith("确保各项任务按时保质完成。")
    assert "责任编辑" not in a.body and "分享到" not in a.body and "相关新闻" not in a.body
    assert [(r.title, r.url, r.date) for r in a.related] == [
        ("某市推进重点项目建设", "https://www.example.cn/a/1.html", "2024-02-20"),
        ("某市部署安全生产工作", "https://www.example.cn/a/2.html", "2024-02-18"),
        ("某市召开经济形势分析会", "https://www.example.cn/a/3.html", "2024-02-10"),
    ]


def test_meta_time_used_when_page_shows_none():
    html = """<html><head><meta charset="utf-8"><title>标题文字在这里</title>
    <meta name="publishdate" content="2024-05-17 08:59:00"></head><body><h1>标题文字在这里</h1>
    <div class="content"><p>正文第一段，介绍了事件的基本情况，内容足够长以便被识别为正文。</p>
    <p>正文第二段，继续介绍事件的进展情况，同样包含足够多的文字和标点符号。</p></div></body></html>"""
    a = parse_html(html.encode())
    assert a.publish_time == datetime(2024, 5, 17, 8, 59, tzinfo=CST)


def test_publish_label_beats_update_label():
    st = F.find_visible_time("更新时间：2024-05-21 10:00 发布时间：2024-05-20 09:00")
    assert st.dt == datetime(2024, 5, 20, 9, 0, tzinfo=CST)


def test_pagination_lines_not_in_body():
    paras = "".join(f"<p>第{i}段：这里是正文内容，记录了事情的经过，文字足够长并包含标点符号。</p>" for i in range(5))
    html = (f"<html><head><title>分页的新闻_示例网</title></head><body><h1>分页的新闻</h1>"
            f"<div class='text'><p>第1页/共2页 &lt;&lt; 上一页 | 下一页 &gt;&gt;</p>{paras}"
            f"<p>上一页 1 2 下一页</p></div></body></html>")
    a = parse_html(html.encode())
    assert "上一页" not in a.body and "共2页" not in a.body
    assert a.body.startswith("第0段")


def test_big5_page_declared_gbk_and_undeclared():
    html = ("<html><head><meta charset='gbk'></head><body><p>行政院今天召開會議，討論國家經濟發展的相關問題，"
            "並且決定了多項重要的政策方向。這是一個很好的開始，我們都希望能夠有更多的進展。</p></body></html>")
    raw = html.encode("big5")
    text, charset = decode_html(raw)
    assert charset == "big5hkscs" and "行政院今天召開會議" in text
    text, charset = decode_html(raw.replace(b"<meta charset='gbk'>", b""))
    assert charset == "big5hkscs" and "國家經濟發展" in text


def test_gbk_page_declared_big5():
    html = ("<html><head><meta charset='big5'></head><body><p>国务院今天召开常务会议，研究部署经济发展的相关工作，"
            "会议指出要坚持稳中求进工作总基调。</p></body></html>")
    text, charset = decode_html(html.encode("gbk"))
    assert charset == "gb18030" and "国务院今天召开常务会议" in text
