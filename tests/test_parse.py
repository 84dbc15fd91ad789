"""Parser tests: the seed rendition, charsets, broken and hopeless input, non-articles."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from news_assets.parse import (
    PARSER_NAME,
    PARSER_VERSION,
    Article,
    Dateline,
    ParseError,
    Related,
    decode_html,
    parse_html,
)

PAGES = Path(__file__).resolve().parents[1] / "news_assets" / "data" / "sample" / "pages"
SEED = PAGES / "seed_23808ed94ab39eb3.html"
CST = timezone(timedelta(hours=8))


@pytest.fixture(scope="module")
def seed() -> Article:
    return parse_html(SEED.read_bytes())


def test_seed_header_fields(seed):
    assert seed.is_article and seed.reject_reason is None
    assert seed.title == "共赴“山海之约”——渝港合作书写开放新篇章"
    assert seed.category == "国内"
    assert seed.publish_time == datetime(2024, 5, 26, 10, 9, tzinfo=CST)
    assert seed.publish_time.isoformat() == "2024-05-26T10:09:00+08:00"
    assert seed.source_name == "每日看点快看"
    assert seed.origin_name == "新华网"
    assert seed.dateline == Dateline(agency="新华社", place="重庆", date="2024-05-25")
    assert seed.authors == ["李晓婷", "周思宇", "赵佳乐"]
    assert seed.canonical_url == "https://td.fyun.cc/news/23808ed94ab39eb3.html"
    assert seed.site == "td.fyun.cc"
    assert (seed.language, seed.script) == ("zh", "Hans")
    assert seed.charset == "utf-8"
    assert (seed.parser, seed.parser_version) == (PARSER_NAME, PARSER_VERSION)


def test_seed_body(seed):
    assert seed.body.startswith("新华社重庆5月25日电题:共赴“山海之约”——渝港合作书写开放新篇章\n新华社记者李晓婷、周思宇、赵佳乐\n")
    assert seed.body.endswith("西部地区将成为香港企业投资兴业的热土。”钟永喜说。")
    for junk in ("以上内容为资讯信息快照", "快照生成时间", "信息原文地址", "本文转自", "更多关于国内的资讯", "我的订阅"):
        assert junk not in seed.body
    assert len(seed.body.split("\n")) == 18
    assert "重庆已累计设立港资企业超3500家,合同金额721亿美元" in seed.body


def test_seed_related(seed):
    rel = seed.related
    assert len(rel) == 9
    assert [r.date for r in rel] == [
        "2024-11-03T11:01:00",
        "2024-03-12T19:01:00",
        "2024-06-05T06:02:00",
        "2025-03-19T11:30:00",
        "2024-07-08T19:10:00",
        "2023-01-05T07:48:00",
        "2024-11-04T16:25:00",
        "2025-03-17T15:40:00",
        "2024-10-17T11:33:00",
    ]
    assert [i for i, r in enumerate(rel) if r.title is None] == [2, 6]
    assert rel[0] == Related(
        title="跨越山海共逐梦 津南、秦安携手共绘乡村振兴与职业教育新篇章",  # QR prompt 扫码阅读手机版 dropped
        url="https://td.fyun.cc/news/a1b2c3d4e5f60701.html",
        date="2024-11-03T11:01:00",
    )
    assert rel[8].title == "渝新医疗合作开启新篇章——中新美陆眼科医院国际特需门诊开诊"
    assert all(r.url and r.url.startswith("https://td.fyun.cc/news/") for r in rel)
    # several related entries are dated after the article itself
    assert sum(1 for r in rel if r.date > "2024-05-26") == 7


def test_seed_cli_dict(seed):
    d = seed.to_cli_dict("seed.html")
    assert list(d) == [
        "file", "url", "is_article", "title", "publish_time", "category", "source_name", "origin_name",
        "dateline", "authors", "body", "related", "language",
    ]
    assert d["publish_time"] == "2024-05-26T10:09:00+08:00"
    assert d["dateline"] == {"agency": "新华社", "place": "重庆", "date": "2024-05-25"}
    assert d["related"][2] == {"title": None, "url": "https://td.fyun.cc/news/c3d4e5f607081923.html",
                               "date": "2024-06-05T06:02:00"}
    json.dumps(d, ensure_ascii=False)  # serialisable


def test_url_sets_site():
    a = parse_html(SEED.read_bytes(), url="https://www.example.com/a/1.html")
    assert a.url == "https://www.example.com/a/1.html"
    assert a.site == "td.fyun.cc"  # the canonical URL wins


# ----------------------------------------------------------------------------------- charsets

ARTICLE_HTML = """<html><head>{meta}<title>市场监管总局发布新规_新闻中心_示例网</title></head><body>
<div class="nav"><a href="/">首页</a> <a href="/news">新闻</a> <a href="/tech">科技</a></div>
<div class="main"><h1>市场监管总局发布新规</h1>
<div class="info">2023-06-15 08:10:32 来源：中国新闻网 作者：王帆</div>
<div class="content">
<p>中新网北京6月14日电 国家市场监督管理总局14日发布新规，进一步规范网络交易平台的经营行为，保护消费者合法权益。</p>
<p>新规明确，平台经营者应当建立健全信用评价制度，不得删除、屏蔽消费者的评价，不得以虚假交易等方式误导消费者。</p>
<p>据介绍，新规将于今年9月1日起施行，监管部门将加强日常检查，对违法行为依法予以查处。</p>
<p>（责任编辑：李明）</p>
</div></div>
<div class="footer">版权所有 示例网 Copyright 2023</div></body></html>"""


def test_gbk_page_declared_utf8_decodes_right():
    raw = ARTICLE_HTML.format(meta='<meta charset="utf-8">').encode("gbk")
    text, charset = decode_html(raw)
    assert charset == "gb18030"
    assert "国家市场监督管理总局" in text
    a = parse_html(raw)
    assert a.charset == "gb18030"
    assert a.title == "市场监管总局发布新规"
    assert a.source_name == "中国新闻网"
    assert a.authors == ["王帆"]
    assert a.publish_time == datetime(2023, 6, 15, 8, 10, 32, tzinfo=CST)
    assert a.dateline == Dateline(agency="中新网", place="北京", date="2023-06-14")
    assert a.body.startswith("中新网北京6月14日电")
    assert a.body.endswith("依法予以查处。")
    assert "责任编辑" not in a.body and "\ufffd" not in a.body


def test_gb2312_declared_but_gbk_characters():
    # 镕 and 喆 are outside GB2312: decoding as gb2312 would fail or produce mojibake
    html = ARTICLE_HTML.format(meta='<meta http-equiv="Content-Type" content="text/html; charset=gb2312">')
    html = html.replace("王帆", "王喆").replace("平台经营者", "朱镕基时期以来平台经营者")
    raw = html.encode("gb18030")
    a = parse_html(raw)
    assert "朱镕基" in a.body
    assert a.authors == ["王喆"]


def test_http_header_charset_and_no_meta():
    html = "<html><body><h1>義大利公開賽</h1><p>德國網球好手茲韋列夫今天在羅馬封王，這是他第二次奪冠。</p></body></html>"
    raw = html.encode("big5")
    text, charset = decode_html(raw, declared_charset="Big5")
    assert charset == "big5hkscs"
    assert "德國網球好手" in text


def test_utf8_bom():
    text, charset = decode_html("\ufeff<html><body><p>你好</p></body></html>".encode())
    assert charset == "utf-8" and text.startswith("<html>")


def test_truncated_html_parses():
    raw = ARTICLE_HTML.format(meta='<meta charset="utf-8">').encode("utf-8")
    cut = raw[: raw.index("据介绍".encode()) + 5]  # mid-paragraph, mid-character
    a = parse_html(cut)
    assert a.title == "市场监管总局发布新规"
    assert a.body.startswith("中新网北京6月14日电")
    assert "不得删除" in a.body


# ------------------------------------------------------------------------------ hopeless input


def test_empty_bytes_raise():
    with pytest.raises(ParseError) as exc:
        parse_html(b"")
    assert exc.value.kind == "empty"
    with pytest.raises(ParseError) as exc:
        parse_html(b"   \n ")
    assert exc.value.kind == "empty"


def test_binary_and_plain_text_raise():
    with pytest.raises(ParseError) as exc:
        parse_html(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    assert exc.value.kind in ("undecodable", "not_html")
    with pytest.raises(ParseError) as exc:
        parse_html("只是一段纯文本，没有任何标记。".encode())
    assert exc.value.kind == "not_html"
    assert isinstance(exc.value, ValueError)


def test_markup_without_body_does_not_raise():
    a = parse_html(b"<html><head><title>x</title></head></html>")
    assert a.is_article is False and a.reject_reason == "no_body"
    a = parse_html(b"<div><a href='/a'>a</a></div>")
    assert a.is_article is False


def test_deeply_nested_page_does_not_crash():
    para = "<p>深层嵌套的段落文本，测试解析器在极深的嵌套结构中也不会崩溃。</p>".encode()
    raw = b"<html><body>" + b"<div>" * 20000 + para * 3 + b"</div>" * 20000 + b"</body></html>"
    a = parse_html(raw)
    assert "深层嵌套的段落文本" in a.body


def test_frameset_and_feed_are_not_articles():
    a = parse_html(b'<html><frameset><frame src="a.html"></frameset></html>')
    assert a.is_article is False
    a = parse_html(b'<?xml version="1.0" encoding="utf-8"?><rss><channel><item><title>x</title></item></channel></rss>')
    assert a.is_article is False


# --------------------------------------------------------------------------------- non-articles


def test_forum_page_flagged():
    posts = "".join(
        f"<div class='post'><div class='author'>用户{i}</div><div>{i + 1}楼</div><div>发表于 2005-08-22 19:13</div>"
        f"<div class='message'>我觉得这个问题很有意思，大家可以讨论一下，欢迎回复交流，谢谢各位朋友的参与和支持。</div></div>"
        for i in range(6)
    )
    html = f"<html><head><title>关于周末活动的讨论 - 社区论坛</title></head><body>{posts}</body></html>"
    a = parse_html(html.encode(), url="http://bbs.example.com/thread-123-1-1.html")
    assert a.is_article is False
    assert a.reject_reason == "forum"


def test_listing_page_flagged():
    links = "".join(f"<li><a href='/n/{i}.html'>新闻标题第{i}条关于经济发展的报道</a> 2024-05-{i % 28 + 1:02d}</li>"
                    for i in range(40))
    html = f"<html><head><title>国内新闻列表</title></head><body><ul>{links}</ul></body></html>"
    a = parse_html(html.encode())
    assert a.is_article is False
    assert a.reject_reason in ("listing", "no_body")


def test_traditional_script():
    html = ("<html><head><meta charset='utf-8'><title>義大利公開賽 茲韋列夫封王</title></head><body>"
            "<h1>義大利公開賽 茲韋列夫封王</h1><p>2024年5月20日 週一 下午2:05</p><div class='body'>"
            "<p>（法新社羅馬19日電） 德國網球好手茲韋列夫今天在義大利公開賽決賽中擊敗對手，這是他第二次在羅馬封王。</p>"
            "<p>茲韋列夫說，這場勝利對他來說意義非凡，他會繼續努力，為接下來的法國網球公開賽做好準備。</p>"
            "</div></body></html>")
    a = parse_html(html.encode())
    assert (a.language, a.script) == ("zh", "Hant")
    assert a.publish_time == datetime(2024, 5, 20, 14, 5, tzinfo=CST)
    assert a.dateline == Dateline(agency="法新社", place="羅馬", date="2024-05-19")


@pytest.mark.parametrize("name", sorted(p.name for p in PAGES.glob("*.html")) if PAGES.exists() else [])
def test_sample_pages_never_crash(name):
    a = parse_html((PAGES / name).read_bytes())  # a parser bug raises here (the parser catches nothing)
    if a.is_article:
        assert a.body and a.title


def test_sample_non_news_rejected():
    index = PAGES / "index.json"
    if not index.exists():
        pytest.skip("sample index not present")
    meta = json.loads(index.read_text())
    non = [f for f, v in meta.items() if not str(v.get("kind", "news")).startswith(("news", "wechat"))]
    news = [f for f, v in meta.items() if str(v.get("kind", "news")) == "news" and (PAGES / f).exists()]
    for f in non:
        if (PAGES / f).exists():
            assert parse_html((PAGES / f).read_bytes(), v_url(meta, f)).is_article is False, f
    ok = sum(parse_html((PAGES / f).read_bytes(), v_url(meta, f)).is_article for f in news)
    assert ok == len(news)


def v_url(meta, f):
    return meta[f].get("url")


@pytest.mark.parametrize(
    ("title", "url", "reason"),
    [
        ("为什么 ChatGPT 不火了？-CSDN博客", "https://blog.csdn.net/x/article/details/1", "blog"),
        ("夜雨_原文、翻译及赏析_白居易诗词_读古诗词网", "https://dugushici.com/ancient_proses/21337", "poetry"),
        ("蔡健雅_百度百科", "https://baike.baidu.com/item/x", "encyclopedia"),
        ("第二章 失乡号的船长", "https://www.qidian.com/chapter/1/2/", "novel"),
    ],
)
def test_site_kind_non_articles(title, url, reason):
    paras = "".join(f"<p>这是第{i}段正文内容，讲述了一些事情，包含足够多的文字和标点符号，以便被识别为正文。</p>" for i in range(8))
    html = f"<html><head><title>{title}</title></head><body><h1>{title.split('_')[0]}</h1><div>{paras}</div></body></html>"
    a = parse_html(html.encode(), url=url)
    assert a.is_article is False
    assert a.reject_reason == reason


def test_news_title_with_community_word_is_article():
    paras = "".join(f"<p>这是第{i}段正文内容，讲述了社区团购的一些事情，包含足够多的文字和标点符号。</p>" for i in range(6))
    html = (f"<html><head><title>社区团购新规出台_财经_示例新闻网</title></head><body><h1>社区团购新规出台</h1>"
            f"<div class='info'>2024-05-20 10:00 来源：示例日报</div><div>{paras}</div></body></html>")
    a = parse_html(html.encode(), url="https://news.example.cn/2024/0520/1.html")
    assert a.is_article is True
    assert a.source_name == "示例日报"


def test_wechat_profile_reads_script_time_and_account():
    paras = "".join(f"<p>第{i}段正文，公众号文章的内容，文字足够长并包含标点符号，便于识别。</p>" for i in range(5))
    html = (
        "<html><head><meta charset='utf-8'><title>绥德：33名退役军人被表彰</title></head><body>"
        "<h1 class='rich_media_title' id='activity-name'>绥德：33名退役军人被表彰</h1>"
        "<div id='meta_content'><em id='publish_time'></em><a id='js_name'></a></div>"
        f"<div class='rich_media_content' id='js_content'>{paras}</div>"
        "<script>var nickname = \"掌上绥德\"; var ct = \"1659274471\";</script></body></html>"
    )
    a = parse_html(html.encode(), url="http://mp.weixin.qq.com/s?__biz=MzAxMzgxNzUxOA==&mid=1")
    assert a.publish_time == datetime(2022, 7, 31, 21, 34, 31, tzinfo=CST)
    assert a.source_name == "掌上绥德"
    assert a.body.startswith("第0段正文")
    # without the URL no profile applies, and nothing is invented
    b = parse_html(html.encode())
    assert b.publish_time is None and b.source_name is None


def test_dated_list_inside_article_is_not_related():
    items = "".join(f"<li>2024-0{i}-01 第{i}季度经济数据发布，增长情况良好。</li>" for i in range(1, 5))
    paras = "".join(f"<p>第{i}段正文，回顾了今年以来的经济数据，文字足够长并包含标点符号。</p>" for i in range(4))
    html = f"<html><head><title>经济回顾</title></head><body><h1>经济回顾</h1><div class='text'>{paras}<ul>{items}</ul></div></body></html>"
    a = parse_html(html.encode())
    assert a.related == []


def test_listing_with_snippets_flagged():
    items = "".join(
        f"<li><h3><a href='/n/{i}.html'>新闻标题第{i}条关于经济发展的报道</a></h3>"
        f"<p>这是第{i}条新闻的摘要，介绍了经济发展的最新情况，包含一些标点符号。</p>"
        f"<span>2024-05-{i % 28 + 1:02d} 10:00</span></li>"
        for i in range(20)
    )
    html = f"<html><head><title>国内新闻_示例网</title></head><body><ul class='list'>{items}</ul></body></html>"
    a = parse_html(html.encode())
    assert a.is_article is False and a.reject_reason == "listing"


@pytest.mark.parametrize("meta_row, want", [
    # a bare name in the author element of the time/来源 row
    ("<span class='time'>2023-06-15 08:10</span><span id='source_baidu'>来源：中国新闻网</span>"
     "<span id='author_baidu'>王帆</span>", ["王帆"]),
    ("<span>2023-06-15</span><span class='author'>作者：李明 张华</span>", ["李明", "张华"]),
    # an agency is not a person; a self-media profile card names the account; an editor is not an author
    ("<span>2023-06-15</span><span class='author'>法新社</span>", []),
    ("<span>2023-06-15</span><div class='author-info'><a class='author-info__name'>管不饿</a></div>", []),
    ("<span>2023-06-15</span><span class='editor-author'>王五</span>", []),
])
def test_author_element_in_the_meta_row(meta_row, want):
    paras = "".join(f"<p>第{i}段正文，美联储维持联邦基金利率目标区间不变，文字足够长并包含标点符号。</p>" for i in range(5))
    html = (f"<html><head><title>美联储维持利率不变</title></head><body><h1>美联储维持利率不变</h1>"
            f"<div class='meta'>{meta_row}</div><div class='text'>{paras}</div>"
            f"<div class='comments'><span class='comment-author'>网友甲</span> 2023-06-16</div></body></html>")
    assert parse_html(html.encode()).authors == want
