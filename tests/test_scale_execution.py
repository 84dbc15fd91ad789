"""The execution switch: local single-run ranges by default, Celery multi-run ranges when asked."""

from __future__ import annotations

import os
import subprocess
import sys

import dagster as dg
import pytest

from news_assets import execution


def test_local_default(monkeypatch):
    monkeypatch.delenv(execution.EXECUTOR_ENV, raising=False)
    assert execution.mode() == "local"
    assert execution.backfill_policy() == dg.BackfillPolicy.single_run()
    assert execution.executor() is None and execution.default_step_workers() == 2


def test_celery_mode_splits_ranges(monkeypatch):
    monkeypatch.setenv(execution.EXECUTOR_ENV, "Celery")
    monkeypatch.setenv(execution.RUN_PARTITIONS_ENV, "7")
    monkeypatch.setenv(execution.BROKER_ENV, "redis://10.0.0.5:6380/2")
    assert execution.backfill_policy().max_partitions_per_run == 7
    assert execution.default_step_workers() == 1
    settings = execution.celery_settings()
    assert settings["broker"] == settings["backend"] == "redis://10.0.0.5:6380/2"
    assert settings["config_source"]["task_acks_late"] is True


@pytest.mark.parametrize(("env", "value", "match"), [
    (execution.EXECUTOR_ENV, "k8s", "NEWS_EXECUTOR"),
    (execution.RUN_PARTITIONS_ENV, "0", "at least 1"),
    (execution.RUN_PARTITIONS_ENV, "a month", "whole number"),
])
def test_bad_settings_say_what_is_wrong(monkeypatch, env, value, match):
    monkeypatch.setenv(execution.EXECUTOR_ENV, "celery")
    monkeypatch.setenv(env, value)
    with pytest.raises(ValueError, match=match):
        execution.backfill_policy()


def test_definitions_load_in_celery_mode():
    """What the daemon and every worker import: the celery executor and multi-run lake assets."""
    pytest.importorskip("dagster_celery", reason="the [scale] extra is not installed")
    code = ("from news_assets.definitions import defs\n"
            "j = defs.resolve_job_def('news_job')\n"
            "a = defs.resolve_assets_def('articles')\n"
            "print(j.executor_def.name, a.backfill_policy.max_partitions_per_run)\n")
    out = subprocess.run([sys.executable, "-W", "ignore", "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "NEWS_EXECUTOR": "celery",
                              "NEWS_BACKFILL_RUN_PARTITIONS": "11"}).stdout.split()
    assert out == ["celery", "11"]
