"""The code location loads, with the assets, partitions, checks, jobs and schedule users expect."""

import dagster as dg

from news_assets.definitions import defs
from news_assets.partitions import publish_date_partitions


def test_definitions_load_with_expected_assets():
    dg.Definitions.validate_loadable(defs)
    keys = {k.to_user_string() for k in defs.resolve_asset_graph().get_all_asset_keys()}
    assert {"raw_html", "articles", "facts", "region_mentions", "date_mentions"} <= keys
    assert {"duckdb/articles", "duckdb/facts", "duckdb/money_by_region_day", "duckdb/stg_articles"} <= keys


def test_partitioned_assets_share_daily_shanghai_partitions_and_single_run_backfills():
    graph = defs.resolve_asset_graph()
    for key in ["raw_html", "articles", "facts", "region_mentions", "date_mentions"]:
        node = graph.get(dg.AssetKey(key))
        assert node.partitions_def == publish_date_partitions
        assert node.backfill_policy == dg.BackfillPolicy.single_run()
    assert publish_date_partitions.timezone == "Asia/Shanghai"
    assert publish_date_partitions.get_first_partition_key() == "1995-01-01"
    # SQL models read the whole lake: unpartitioned, downstream of the lake assets
    assert graph.get(dg.AssetKey(["duckdb", "articles"])).partitions_def is None
    assert dg.AssetKey("articles") in graph.get(dg.AssetKey(["duckdb", "stg_articles"])).parent_keys


def test_sql_tests_become_asset_checks_and_assets_have_descriptions():
    graph = defs.resolve_asset_graph()
    check_keys = {(ck.asset_key.to_user_string(), ck.name) for ck in graph.asset_check_keys}
    assert ("duckdb/facts", "accepted_values_kind") in check_keys
    assert ("duckdb/articles", "unique_article_id") in check_keys
    assert ("duckdb/facts", "relationships_article_id") in check_keys
    assert ("articles", "bad_page_share") in check_keys
    assert ("raw_html", "fetch_failure_share") in check_keys
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        assert node.description, f"{key} has no description"
        assert node.group_name in ("lake", "warehouse")


def test_jobs_and_daily_schedule():
    job = defs.resolve_job_def("news_job")
    assert job.partitions_def == publish_date_partitions
    sched = defs.resolve_schedule_def("daily_news")
    assert sched.default_status == dg.DefaultScheduleStatus.RUNNING
    assert sched.execution_timezone == "Asia/Shanghai"
    assert defs.resolve_job_def("warehouse_job") is not None


def test_the_archive_sensor_is_there_and_off_until_turned_on():
    sensor = defs.resolve_sensor_def("load_folder_archive")
    assert sensor.default_status == dg.DefaultSensorStatus.STOPPED
    assert sensor.job_name == "news_job"


def test_the_first_partition_is_a_setting():
    import subprocess
    import sys

    code = "from news_assets.partitions import publish_date_partitions as p; print(p.get_first_partition_key())"
    env = {k: v for k, v in __import__("os").environ.items() if k != "NEWS_PARTITION_START"}
    run = lambda **e: subprocess.run([sys.executable, "-c", code], env={**env, **e},  # noqa: E731
                                     capture_output=True, text=True, timeout=120)
    assert run().stdout.strip() == "1995-01-01"
    assert run(NEWS_PARTITION_START="2004-06-01").stdout.strip() == "2004-06-01"
    bad = run(NEWS_PARTITION_START="June 2004")
    assert bad.returncode != 0 and "NEWS_PARTITION_START must be a date" in bad.stderr
