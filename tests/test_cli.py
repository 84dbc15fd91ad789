"""The stable command-line interfaces keep their shape."""

from __future__ import annotations

import json
import subprocess
import sys

from news_assets.cli import format_table, main
from news_assets.sources.config import bundled_sample_dir

SEED = bundled_sample_dir() / "seed_23808ed94ab39eb3.html"
PARSE_KEYS = ["file", "url", "is_article", "title", "publish_time", "category", "source_name", "origin_name",
              "dateline", "authors", "body", "related", "language"]


def cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "news_assets.cli", *args], input=stdin,
                          capture_output=True, text=True, timeout=120)


def test_parse_prints_one_json_object_per_file_in_the_design_shape():
    p = cli("parse", str(SEED), str(SEED))
    assert p.returncode == 0, p.stderr
    lines = [json.loads(x) for x in p.stdout.splitlines()]
    assert len(lines) == 2
    rec = lines[0]
    assert list(rec)[: len(PARSE_KEYS)] == PARSE_KEYS
    assert rec["title"] == "共赴“山海之约”——渝港合作书写开放新篇章"
    assert rec["publish_time"] == "2024-05-26T10:09:00+08:00"
    assert rec["dateline"] == {"agency": "新华社", "place": "重庆", "date": "2024-05-25"}


def test_facts_reads_stdin_and_orders_by_start():
    text = "今年一季度,重庆新设港资企业25家、同比增长56%,实际利用外资3.7亿美元、同比增长145.8%。"
    p = cli("facts", "--publish-date", "2024-05-26", "-", stdin=text)
    assert p.returncode == 0, p.stderr
    recs = [json.loads(x) for x in p.stdout.splitlines()]
    starts = [r["start"] for r in recs]
    assert starts == sorted(starts)
    for r in recs:
        assert text[r["start"] : r["end"]] == r["text"]
    money = [r for r in recs if r["kind"] == "money"]
    assert money == [{**money[0], "text": "3.7亿美元", "value": 370000000, "currency": "USD",
                      "period_start": "2024-01-01", "period_end": "2024-03-31", "region": "500000"}]
    assert {(r["text"], r["value"], r["change"]) for r in recs if r["kind"] == "percent"} == {
        ("56%", 56, "up"), ("145.8%", 145.8, "up")}


def test_sql_is_read_only_and_prints_a_table(tmp_path, capsys):
    import duckdb

    db = tmp_path / "news.duckdb"
    con = duckdb.connect(str(db))
    con.execute("create table t as select 1 as n, '重庆' as name")
    con.close()
    assert main(["sql", "select * from t", "--database", str(db)]) == 0
    out = capsys.readouterr().out
    assert "│ 1 │ 重庆 │" in out and "1 row" in out
    assert main(["sql", "drop table t", "--database", str(db)]) == 1  # read-only: refused
    assert "read-only" in capsys.readouterr().err.lower()
    assert main(["sql", "select 1", "--database", str(tmp_path / "missing.duckdb")]) == 1


def test_sql_reads_the_warehouse_and_nothing_else(tmp_path, capsys):
    import duckdb

    db = tmp_path / "news.duckdb"
    con = duckdb.connect(str(db))
    con.execute("create table base as select 2 as n, '澳门' as name")
    con.execute("create view articles as select n * 10 as n, name from base")  # views over models still read
    con.close()
    assert main(["sql", "select n, name from articles", "--database", str(db), "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines() == ["n,name", "20,澳门"]

    target = tmp_path / "x.csv"
    assert main(["sql", f"COPY (select * from base) TO '{target}'", "--database", str(db)]) == 1
    err = capsys.readouterr().err
    assert "read-only" in err and "COPY" in err and not target.exists()
    hostname = tmp_path / "hostname"
    hostname.write_text("secret-host\n", encoding="utf-8")
    assert main(["sql", f"select * from read_text('{hostname}')", "--database", str(db)]) == 1
    err = capsys.readouterr().err
    assert "warehouse database only" in err and "secret-host" not in err
    assert main(["sql", "select * from read_text('/etc/hostname')", "--database", str(db)]) == 1
    assert "off limits" in capsys.readouterr().err
    # DELETE on a view used to say "Can only delete from base table"
    for stmt in ["DELETE FROM articles", "delete from base", "insert into base values (3, 'x')",
                 "SET enable_external_access = true", f"ATTACH '{tmp_path / 'other.duckdb'}'"]:
        assert main(["sql", stmt, "--database", str(db)]) == 1, stmt
        assert "read-only" in capsys.readouterr().err, stmt
    # a refused statement anywhere in a script refuses the whole script
    assert main(["sql", "select 1; delete from base", "--database", str(db)]) == 1
    assert "DELETE statements are refused" in capsys.readouterr().err
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("select count(*) from base").fetchall() == [(1,)]
    con.close()


def test_table_format_pads_wide_characters():
    out = format_table(["a", "b"], [("重庆", 1), ("x", None)]).splitlines()
    assert out[3] == "│ 重庆 │ 1    │" and out[4] == "│ x    │ NULL │"
