"""The lake on object storage: a moto S3 server on 127.0.0.1 (started and stopped by PID) holds the
raw store, manifests and partitions; the DuckDB build reads them back through fsspec."""

from __future__ import annotations

import polars as pl
import pytest
from scale_support import make_bucket, s3_env, set_env, start_moto, stop

from news_assets import pipeline
from news_assets.lake import Lake, LakeReadError
from news_assets.runner import materialize_range, sample_dates
from news_assets.sqlproject import SqlProject, table_checksums

VOLATILE = {"stg_raw_manifest": ["fetched_at"]}  # when a page was read changes on every run by design


@pytest.fixture
def s3(tmp_path, monkeypatch):
    proc = None
    try:
        proc, endpoint = start_moto(tmp_path / "moto.log")
        set_env(monkeypatch, s3_env(endpoint))
        make_bucket(endpoint, "news")
        yield endpoint
    finally:
        stop(proc)


def _keys(endpoint: str) -> list[str]:
    import boto3

    client = boto3.client("s3", endpoint_url=endpoint)
    return [o["Key"] for page in client.get_paginator("list_objects_v2").paginate(Bucket="news")
            for o in page.get("Contents", [])]


def test_lake_objects_on_s3(s3):
    lake = Lake("s3://news/lake")
    assert not lake.is_local
    sha = lake.put_raw("新华社重庆5月25日电".encode())
    assert lake.has_raw(sha) and lake.get_raw(sha).decode() == "新华社重庆5月25日电"
    lake.write_partition("t", "2024-05-25", pl.DataFrame({"a": [1, 2]}))
    lake.write_partition("t", "2024-05-25", pl.DataFrame({"a": [7]}))  # a re-run replaces the partition
    lake.write_partition("t", "2024-05-26", pl.DataFrame({"a": [3]}))
    assert lake.read_partition("t", "2024-05-25")["a"].to_list() == [7]
    assert lake.read_partition("t", "2024-05-27") is None
    files = lake.partition_files("t")
    assert files == [f"s3://news/lake/t/publish_date=2024-05-2{d}/part.parquet" for d in (5, 6)]
    # one PUT per object under its final name: no temp objects anyone could list
    assert sorted(_keys(s3)) == sorted([f"lake/raw/sha256/{sha[:2]}/{sha}"] + [f[len("s3://news/"):] for f in files])
    fps = lake.partition_fingerprints("t")
    lake.write_partition("t", "2024-05-26", pl.DataFrame({"a": [4, 5]}))
    after = lake.partition_fingerprints("t")
    assert set(fps) == set(after) == set(files)
    assert fps[files[0]] == after[files[0]] and fps[files[1]] != after[files[1]]


def test_duckdb_reads_s3_lake_through_fsspec(s3, monkeypatch):
    import duckdb

    monkeypatch.setenv("NEWS_LAKE_DUCKDB_IO", "fsspec")
    lake = Lake("s3://news/lake")
    lake.write_partition("t", "2024-05-25", pl.DataFrame({"a": [1, 2]}))
    lake.write_partition("t", "2024-05-26", pl.DataFrame({"a": [40]}))
    con = duckdb.connect()
    assert lake.prepare_duckdb(con) == "fsspec"
    assert con.read_parquet(lake.partition_files("t")).aggregate("sum(a), count(*)").fetchall() == [(43, 3)]


def test_duckdb_io_mode_is_checked(tmp_path, monkeypatch):
    import duckdb

    monkeypatch.setenv("NEWS_LAKE_DUCKDB_IO", "ftp")
    with pytest.raises(ValueError, match="NEWS_LAKE_DUCKDB_IO"):
        Lake("s3://news/lake").prepare_duckdb(duckdb.connect())
    assert Lake(tmp_path).prepare_duckdb(duckdb.connect()) == "local"


def test_sample_on_s3_lake_equals_local(s3, tmp_path, monkeypatch):
    """The whole job (folder source -> raw -> articles -> facts -> DuckDB) on an s3:// lake gives the
    same tables as on a local lake; the DuckDB file stays local."""
    sums = {}
    for name, root in (("local", str(tmp_path / "local")), ("s3", "s3://news/lake")):
        db = tmp_path / f"{name}.duckdb"
        monkeypatch.setenv("NEWS_WAREHOUSE_DIR", root)
        monkeypatch.setenv("NEWS_WAREHOUSE_DB", str(db))
        days = sample_dates(Lake(root))
        materialize_range(days[0], days[-1])
        sums[name] = table_checksums(db, SqlProject().order, VOLATILE)
    assert sums["s3"] == sums["local"]
    assert sums["s3"]["facts"][0] > 0 and sums["s3"]["articles"][0] > 0
    assert any(k.startswith("lake/facts/publish_date=") for k in _keys(s3))


def test_truncated_partition_names_table_day_and_file(tmp_path):
    lake = Lake(tmp_path)
    lake.write_partition("articles", "2024-05-25", pl.DataFrame({"article_id": ["a"], "body": ["x"]}))
    path = lake.partition_path("articles", "2024-05-25").path
    data = open(path, "rb").read()
    with open(path, "wb") as fh:
        fh.write(data[: len(data) // 2])  # cut short, as by a full disk or a killed copy
    with pytest.raises(LakeReadError) as e:
        pipeline.run_facts(lake, "2024-05-25")
    msg = str(e.value)
    assert "'articles'" in msg and "2024-05-25" in msg and path in msg and "re-materialise" in msg


def test_read_after_another_process_replaced_the_partition(s3):
    """A long-lived worker that listed the lake earlier still reads the object another worker wrote
    since (no stale ETag in a cached listing, no 412 Precondition Failed)."""
    import io

    import boto3

    lake = Lake("s3://news/lake")
    lake.write_partition("t", "2024-05-20", pl.DataFrame({"a": [1]}))
    assert lake.partition_files("t") and lake.read_partition("t", "2024-05-20")["a"].to_list() == [1]
    buf = io.BytesIO()
    pl.DataFrame({"a": [2, 3]}).write_parquet(buf)
    boto3.client("s3", endpoint_url=s3).put_object(Bucket="news", Key="lake/t/publish_date=2024-05-20/part.parquet",
                                                  Body=buf.getvalue())
    assert lake.read_partition("t", "2024-05-20")["a"].to_list() == [2, 3]


def test_fetch_state_segments_on_s3(s3):
    from news_assets.sources.assignments import AssignmentIndex

    lake = Lake("s3://news/lake")
    first = AssignmentIndex(lake, "site")
    assert first.data == {} and list(first.keys_on("2024-05-01")) == []
    first.put("a", {"url": "http://example.com/a", "date": "2024-05-01"})
    first.save()
    second = AssignmentIndex(lake, "site")
    second.put("a", {"url": "http://example.com/a", "date": "2024-05-02"})  # moved: refused
    second.put("b", {"url": "http://example.com/b", "date": "2024-05-02"})
    second.save()
    segs = sorted(k for k in _keys(s3) if k.startswith("lake/_state/fetch/site/"))
    assert [k.rsplit("/", 1)[1][:10] for k in segs] == ["000000001-", "000000002-"]
    fresh = AssignmentIndex(lake, "site")
    assert (fresh.get("a")["date"], fresh.get("b")["date"]) == ("2024-05-01", "2024-05-02")
    assert list(fresh.keys_on("2024-05-02")) == ["b"]
