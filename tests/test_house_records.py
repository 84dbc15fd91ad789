"""One record per lake table: its fields, the columns of the parquet files the pipeline writes, the
columns of the staging model that reads the table and that model's YAML docs all agree."""

from __future__ import annotations

import pytest

from news_assets import pipeline, records, schemas
from news_assets.lake import Lake
from news_assets.sources import RunCache
from news_assets.sources.config import SourceConfig
from news_assets.sqlproject import SqlProject

DAY = "2024-03-02"
PAGE = """<html><head><meta charset="utf-8"><title>重庆新设港资企业_测试网</title></head><body>
<h1>重庆新设港资企业</h1><div class="info">发布时间：2024-03-02 08:00 来源：测试日报</div>
<div class="article"><p>新华社重庆3月2日电 今年一季度,重庆新设港资企业25家,同比增长56%,实际利用港资3.7亿美元。</p>
<p>香港与重庆的合作继续深化,两地企业签约项目12个,总投资达到100亿元。</p></div></body></html>"""
STAGING = {"stg_articles": records.ArticleRow, "stg_facts": records.FactRow,
           "stg_date_mentions": records.DateMentionRow, "stg_raw_manifest": records.ManifestRow,
           "stg_quarantine": records.QuarantineRow,
           "stg_sentences": records.SentenceRow}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("house")
    (root / "pages").mkdir()
    (root / "pages" / "a.html").write_text(PAGE, encoding="utf-8")
    (root / "pages" / "empty.html").write_text("", encoding="utf-8")  # a quarantine row too
    lake = Lake(root / "wh")
    src = SourceConfig(name="f", type="folder", path=str(root / "pages"))
    pipeline.run_raw_html(lake, DAY, [src], RunCache())
    assert pipeline.run_articles(lake, DAY).rows == 1
    assert pipeline.run_facts(lake, DAY).rows >= 3
    return lake, SqlProject(), SqlProject().build(lake)


def test_schemas_are_the_records():
    assert schemas.FACTS == records.schema(records.FactRow)
    assert schemas.ARTICLES == records.schema(records.ArticleRow)
    assert all(schemas.for_table(t) == records.schema(r) for t, r in records.RECORDS.items())


def test_lake_files_have_the_record_columns_and_dtypes(built):
    lake, _, _ = built
    for table, record in records.RECORDS.items():
        df = lake.read_partition(table, DAY)
        assert df is not None, table
        assert dict(df.schema) == records.schema(record), table


def test_staging_models_and_their_docs_have_the_record_columns(built):
    _, project, result = built
    for model, record in STAGING.items():
        cols = list(records.schema(record))
        assert [c for c, _ in result.column_types[model]] == cols, model
        assert list(project.models[model].columns) == cols, model


def test_lake_sources_are_the_registry(built):
    _, project, _ = built
    assert {t for _, t in project.sources} == set(records.RECORDS)


def test_sentences_are_the_facts_steps_spans_and_sql_reads_them(built):
    from datetime import date

    import duckdb

    from news_assets.facts import extract

    lake, _, result = built
    art = lake.read_partition("articles", DAY).row(0, named=True)
    lake_rows = lake.read_partition("sentences", DAY).sort("sentence_id").to_dicts()
    spans = extract(art["body"], date.fromisoformat(DAY)).sentences
    assert [(r["start"], r["end"]) for r in lake_rows] == spans and len(spans) >= 2
    assert [r["text"] for r in lake_rows] == [art["body"][s:e] for s, e in spans]
    assert [r["sentence_id"] for r in lake_rows] == list(range(1, len(spans) + 1))
    with duckdb.connect(str(result.path), read_only=True) as con:
        got = con.execute('select sentence_id, start, "end", text from stg_sentences order by 1').fetchall()
    assert got == [(r["sentence_id"], r["start"], r["end"], r["text"]) for r in lake_rows]


def test_each_fact_links_to_the_sentence_row_it_stands_in(built):
    lake, _, _ = built
    sents = {r["sentence_id"]: r for r in lake.read_partition("sentences", DAY).to_dicts()}
    facts = lake.read_partition("facts", DAY).to_dicts()
    assert facts and all(f["sentence_id"] in sents for f in facts)
    for f in facts:
        s = sents[f["sentence_id"]]
        assert s["start"] <= f["start"] < s["end"] and f["text"] in s["text"]
