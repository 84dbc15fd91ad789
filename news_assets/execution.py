"""How runs execute: in-process on one machine (default) or with steps on Celery workers.

One switch, $NEWS_EXECUTOR (local | celery), read when the definitions load, so the webserver, the
daemon, every run worker and every Celery worker agree as long as they share the environment
(deploy/celery/env.sh sets it). In Celery mode:

- every step of a run is a Celery task on the Redis broker ($NEWS_CELERY_BROKER), executed by any
  worker that listens on it; results go to $NEWS_CELERY_BACKEND (default: the broker's Redis);
- a range backfill is split into runs of $NEWS_BACKFILL_RUN_PARTITIONS publish dates (multi-run
  backfill policy), so several workers share a year; locally a range stays one run;
- a step works through its days in its own process (the worker is the unit of parallelism).
"""

from __future__ import annotations

import os

import dagster as dg

EXECUTOR_ENV = "NEWS_EXECUTOR"
BROKER_ENV = "NEWS_CELERY_BROKER"
BACKEND_ENV = "NEWS_CELERY_BACKEND"
RUN_PARTITIONS_ENV = "NEWS_BACKFILL_RUN_PARTITIONS"
DEFAULT_BROKER = "redis://127.0.0.1:6379/0"
DEFAULT_RUN_PARTITIONS = 30  # a month per run: a year is 13 runs, enough to keep a handful of workers busy
MODES = ("local", "celery")

# Celery settings that make a lost worker cost a retry, not a hung run: a task is acknowledged only
# when done (acks_late) and handed back to the queue when the process running it dies
# (reject_on_worker_lost); every stage replaces whole partitions, so running a step twice is safe.
CELERY_CONFIG_SOURCE = {
    "task_acks_late": True,
    "task_reject_on_worker_lost": True,
    "worker_prefetch_multiplier": 1,
    "broker_connection_retry_on_startup": True,
    # a worker machine lost outright: its unacknowledged task is delivered again after this long
    "broker_transport_options": {"visibility_timeout": 3600, "max_retries": 3, "interval_start": 0,
                                 "interval_step": 0.2, "interval_max": 0.5},
    "result_expires": 86400,
}


def mode() -> str:
    m = (os.environ.get(EXECUTOR_ENV) or "local").strip().lower()
    if m not in MODES:
        raise ValueError(f"{EXECUTOR_ENV} must be one of {', '.join(MODES)}, not {m!r}")
    return m


def run_partitions() -> int:
    raw = os.environ.get(RUN_PARTITIONS_ENV, "").strip()
    try:
        n = int(raw) if raw else DEFAULT_RUN_PARTITIONS
    except ValueError as e:
        raise ValueError(f"{RUN_PARTITIONS_ENV} must be a whole number of partitions, not {raw!r}") from e
    if n < 1:
        raise ValueError(f"{RUN_PARTITIONS_ENV} must be at least 1, not {n}")
    return n


def backfill_policy() -> dg.BackfillPolicy:
    """Single run per range on one machine; runs of run_partitions() days on Celery."""
    if mode() == "celery":
        return dg.BackfillPolicy.multi_run(max_partitions_per_run=run_partitions())
    return dg.BackfillPolicy.single_run()


def default_step_workers() -> int:
    """Processes a step fans its days out to: 2 locally (both cores), 1 on a Celery worker, whose
    machine runs one worker process per core instead."""
    return 1 if mode() == "celery" else 2


def celery_settings() -> dict:
    """The Celery executor's config (the same for the executor and the workers)."""
    broker = os.environ.get(BROKER_ENV) or DEFAULT_BROKER
    return {"broker": broker, "backend": os.environ.get(BACKEND_ENV) or broker,
            "config_source": CELERY_CONFIG_SOURCE}


def executor() -> dg.ExecutorDefinition | None:
    """None locally (Dagster's default executor); the configured Celery executor in Celery mode."""
    if mode() != "celery":
        return None
    from dagster_celery import celery_executor

    return celery_executor.configured(celery_settings(), name="celery")
