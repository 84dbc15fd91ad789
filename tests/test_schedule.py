"""The nightly schedule: the day that just ended plus the lookback days, as one run over the range."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import dagster as dg
import pytest

from news_assets.definitions import LOOKBACK_ENV, daily_news, defs, lookback_days, nightly_range

SHANGHAI = ZoneInfo("Asia/Shanghai")


def evaluate(when: datetime) -> dg.RunRequest:
    with dg.build_schedule_context(scheduled_execution_time=when) as ctx:
        [req] = daily_news.evaluate_tick(ctx).run_requests
    return req


def test_a_tick_requests_yesterday_and_the_lookback_days_as_one_range(monkeypatch):
    monkeypatch.delenv(LOOKBACK_ENV, raising=False)
    req = evaluate(datetime(2024, 5, 27, 1, 30, tzinfo=SHANGHAI))
    assert req.tags["dagster/asset_partition_range_start"] == "2024-05-23"  # default: 3 days back
    assert req.tags["dagster/asset_partition_range_end"] == "2024-05-26"
    assert req.run_key == "2024-05-23...2024-05-26"
    assert req.partition_key is None  # a range, not one partition


def test_lookback_is_a_setting(monkeypatch):
    monkeypatch.setenv(LOOKBACK_ENV, "0")
    req = evaluate(datetime(2024, 3, 1, 1, 30, tzinfo=SHANGHAI))
    assert (req.tags["dagster/asset_partition_range_start"], req.tags["dagster/asset_partition_range_end"]) == (
        "2024-02-29", "2024-02-29")
    monkeypatch.setenv(LOOKBACK_ENV, "7")
    assert lookback_days() == 7
    for bad in ("-1", "three", "400"):
        monkeypatch.setenv(LOOKBACK_ENV, bad)
        with pytest.raises(ValueError, match=LOOKBACK_ENV):
            lookback_days()


def test_the_day_is_the_shanghai_day_whatever_the_clock_of_the_caller():
    # 17:30 UTC on 05-26 is 01:30 on 05-27 in Shanghai: the day that ended there is 05-26
    assert nightly_range(datetime(2024, 5, 26, 17, 30, tzinfo=ZoneInfo("UTC")), 2) == ("2024-05-24", "2024-05-26")
    # never before the first partition
    assert nightly_range(datetime(1995, 1, 2, 1, 30, tzinfo=SHANGHAI), 3) == ("1995-01-01", "1995-01-01")


def test_schedule_targets_news_job_at_0130_shanghai_and_runs_by_default():
    sched = defs.resolve_schedule_def("daily_news")
    assert sched.job_name == "news_job"
    assert sched.cron_schedule == "30 1 * * *" and sched.execution_timezone == "Asia/Shanghai"
    assert sched.default_status == dg.DefaultScheduleStatus.RUNNING
    sensor = defs.resolve_sensor_def("rebuild_warehouse_after_news")
    assert sensor.default_status == dg.DefaultSensorStatus.RUNNING
