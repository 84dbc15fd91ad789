"""A warehouse build whose processes are killed gives its duckdb_writer slot back (issue 14, item 1).

Under a real `dagster-webserver` + `dagster-daemon` with the project's dagster.yaml: a build is held
inside its pool slot (the test holds the warehouse's writer lock, so the step waits on it), its step
process and run process are killed with SIGKILL, and a second build launched through GraphQL must
start within a minute and succeed. Without run monitoring freeing the dead run's slot the second
build stays QUEUED ("blocked by global concurrency limits") for ever.
"""

from __future__ import annotations

import os
import re
import signal
import threading
import time

import dagster as dg
import pytest
from dagster._core.instance.ref import InstanceRef
from test_e2e_dagster import LOCATION, Servers

from news_assets.lake import Lake
from news_assets.resources import SourcesResource, WarehouseResource
from news_assets.sqlproject import writer_lock

LAUNCH_RUN = """mutation($p: ExecutionParams!) { launchRun(executionParams: $p) { __typename
  ... on LaunchRunSuccess { run { runId } } ... on PythonError { message } } }"""
RUN = "query($id: ID!) { runOrError(runId: $id) { ... on Run { status creationTime startTime endTime } } }"
NEXT_BUILD_START_WITHIN = 60  # seconds from launching the next build to its start


def _fill_lake(root) -> None:
    """One publish date of the bundled sample in the lake, so a build has something to read."""
    from news_assets.definitions import defs

    res = defs.resolve_job_def("news_job").execute_in_process(
        instance=dg.DagsterInstance.ephemeral(), partition_key="2024-05-26",
        resources={"warehouse": WarehouseResource(root=str(root), workers=1),
                   "sources": SourcesResource(bundled_sample=True)})
    assert res.success


def _launch_build(s: Servers) -> str:
    r = s.gql(LAUNCH_RUN, {"p": {"selector": {"repositoryLocationName": LOCATION,
                                              "repositoryName": "__repository__", "jobName": "warehouse_job"},
                                 "runConfigData": {}}})["launchRun"]
    assert r["__typename"] == "LaunchRunSuccess", r
    return r["run"]["runId"]


def _status(s: Servers, run_id: str) -> str:
    return s.gql(RUN, {"id": run_id})["runOrError"]["status"]


def _worker_pids(instance: dg.DagsterInstance, run_id: str) -> tuple[int | None, int | None]:
    """(run process, build step process) from the run's own events, once both have started."""
    run_pid = step_pid = None
    for e in instance.all_logs(run_id):
        m = re.match(r"Started process for run \(pid: (\d+)\)", e.message or "")
        if m:
            run_pid = int(m.group(1))
        de = e.dagster_event
        if de is not None and de.event_type_value == "STEP_WORKER_STARTED" and de.step_key == "duckdb_warehouse":
            step_pid = int(de.event_specific_data.metadata["pid"].value)
    return run_pid, step_pid


def _wait(pred, timeout: float, what: str, s: Servers):
    deadline = time.time() + timeout
    while time.time() < deadline:
        got = pred()
        if got:
            return got
        time.sleep(1)
    raise AssertionError(f"{what} not within {timeout:.0f}s\n" + s.tails())


@pytest.fixture
def servers(tmp_path):
    s = Servers(tmp_path)
    try:
        s.start_webserver()
        s.start_daemon()
        yield s
    finally:
        s.stop()


def test_a_killed_build_frees_its_slot_and_the_next_build_succeeds(servers):
    s = servers
    _fill_lake(s.warehouse)
    db = Lake(s.warehouse).duckdb_path
    locked, release = threading.Event(), threading.Event()

    def hold_writer_lock():  # the build step blocks on this lock while holding its pool slot
        with writer_lock(db):
            locked.set()
            release.wait(timeout=300)

    holder = threading.Thread(target=hold_writer_lock, daemon=True)
    holder.start()
    assert locked.wait(10)
    try:
        with dg.DagsterInstance.from_ref(InstanceRef.from_dir(str(s.home))) as instance:
            dead = _launch_build(s)
            run_pid, step_pid = _wait(lambda: all(p := _worker_pids(instance, dead)) and p,
                                      120, "the first build's step", s)
            assert instance.event_log_storage.get_concurrency_info("duckdb_writer").claimed_slots
            os.kill(step_pid, signal.SIGKILL)
            os.kill(run_pid, signal.SIGKILL)
            release.set()
            _wait(lambda: _status(s, dead) in ("FAILURE", "CANCELED"), 90, "the killed run marked failed", s)
    finally:
        release.set()
        holder.join(10)

    nxt = _launch_build(s)
    status = _wait(lambda: (st := _status(s, nxt)) in ("SUCCESS", "FAILURE", "CANCELED") and st,
                   NEXT_BUILD_START_WITHIN + 120, "the next build finished", s)
    assert status == "SUCCESS", s.tails()
    r = s.gql(RUN, {"id": nxt})["runOrError"]
    # it left the queue (got the slot) within a minute; how long the build then takes is the machine's load
    assert r["startTime"] - r["creationTime"] < NEXT_BUILD_START_WITHIN, r
    assert db.exists()
