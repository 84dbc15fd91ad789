"""Fan a stage's days out to worker processes that start warm (no Dagster here).

Spawning a fresh interpreter per worker per stage re-imported the launching program's main module
(the Dagster CLI, a benchmark) and the parser's and extractor's reference data in every worker:
on a month's backfill that was a sixth of the articles workers' time and nearly half the facts
workers'. Workers are forked instead from one fork server per process, started once by spawning a
clean interpreter (so it holds none of Dagster's threads or locks, the reason for not forking the
caller itself) that has imported the main module, the stage code and ``_warm_worker``. Each task
carries the caller's environment, since a forked worker would otherwise see the fork server's
(its working directory and sys.path multiprocessing passes along already).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.forkserver
import multiprocessing.spawn
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

PRELOAD = ["news_assets._warm_worker"]
# The caller's main script, for the fork server to import (Python 3.11's own '__main__' preload never
# receives the path); read and removed by _warm_worker in the server.
MAIN_ENV = "NEWS_STAGE_POOL_MAIN"


@contextlib.contextmanager
def _env(name: str, value: str | None):
    old = os.environ.get(name)
    if value is not None:
        os.environ[name] = value
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = old


def _context():
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")  # where fork servers do not exist (Windows)
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(PRELOAD)  # no effect once the server runs: it is started once
    main = multiprocessing.spawn.get_preparation_data("stage-pool").get("init_main_from_path")
    with _env(MAIN_ENV, main):  # the server's environment is the caller's at its start
        multiprocessing.forkserver.ensure_running()
    return ctx


@dataclass(frozen=True)
class _InCallerEnv:
    """fn, run with the caller's environment variables (settings such as NEWS_FACTS_MAX_CHARS)."""

    fn: Callable
    env: dict[str, str]

    def __call__(self, *args):
        if os.environ != self.env:
            os.environ.clear()
            os.environ.update(self.env)
        return self.fn(*args)


def _pooled(days: list[str], workers: int) -> bool:
    """Whether map_days runs these days on worker processes (else in the caller)."""
    return len(days) > 1 and workers > 1


def prestart(days: list[str], workers: int) -> None:
    """Start this process's fork server now if map_days will need one for these days: it imports
    the stage code in the background (~0.5-1 s) while the caller goes on, e.g. fetching."""
    if _pooled(days, workers):
        _context()


def map_days(fn: Callable, lake, days: list[str], workers: int, *args, each: Callable | None = None) -> list:
    """[fn(lake, day, *args) for day in days], on up to `workers` processes, in order. `each` is
    called with every result as it arrives, in this process, while the workers go on."""
    if not _pooled(days, workers):
        results = (fn(lake, d, *args) for d in days)
        return [_seen(r, each) for r in results]
    task = _InCallerEnv(fn, dict(os.environ))
    with ProcessPoolExecutor(max_workers=min(workers, len(days)), mp_context=_context()) as pool:
        results = pool.map(task, [lake] * len(days), days, *[[a] * len(days) for a in args])
        return [_seen(r, each) for r in results]


def _seen(result, each: Callable | None):
    if each is not None:
        each(result)
    return result
