"""article_id comes from the normalised URL key de-duplication uses, so two spellings of one
canonical URL are one article (the second a duplicate), and one spelling is always one id."""

from __future__ import annotations

from news_assets import pipeline
from news_assets.lake import Lake
from news_assets.sources import RunCache
from news_assets.sources.canonical import url_key
from news_assets.sources.config import SourceConfig

DAY = "2024-03-02"


def page(canonical: str, title: str) -> str:
    return f"""<html><head><meta charset="utf-8"><title>{title}_测试网</title>
<link rel="canonical" href="{canonical}"></head><body>
<h1>{title}</h1><div class="info">发布时间：2024-03-02 08:00 来源：测试日报</div>
<div class="article"><p>本报讯 今年一季度,某市新设企业25家,同比增长56%,实际利用外资3.7亿元。</p>
<p>这是正文的第二段,内容足够长以便被识别为正文,并且包含逗号、句号等标点符号。</p></div></body></html>"""


def test_spellings_of_one_canonical_url_are_one_article_id():
    a = pipeline.article_id("https://News.Example.cn/a/1.html?utm_source=wx", None)
    b = pipeline.article_id("http://news.example.cn:80/a/1.html", "https://m.example.cn/x")
    assert a == b == pipeline.stable_id(url_key("https://news.example.cn/a/1.html"))
    assert pipeline.article_id(None, "https://news.example.cn/a/1.html/") == a  # no canonical: the page URL
    assert pipeline.article_id("https://news.example.cn/a/2.html", None) != a


def test_a_second_spelling_of_the_canonical_url_is_quarantined_as_a_duplicate(tmp_path):
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "a.html").write_text(page("https://news.example.cn/a/1.html", "某市新设企业"), "utf-8")
    (tmp_path / "pages" / "b.html").write_text(
        page("http://NEWS.example.cn/a/1.html?spm=1.2&utm_medium=x", "某市新设企业（转载）"), "utf-8")
    lake = Lake(tmp_path / "wh")
    pipeline.run_raw_html(lake, DAY, [SourceConfig(name="f", type="folder", path=str(tmp_path / "pages"))],
                          RunCache())
    res = pipeline.run_articles(lake, DAY)
    assert (res.rows, res.counts) == (1, {"duplicate": 1})
    (aid,) = lake.read_partition("articles", DAY)["article_id"].to_list()
    assert aid == pipeline.stable_id(url_key("https://news.example.cn/a/1.html"))
