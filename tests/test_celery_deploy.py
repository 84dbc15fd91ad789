"""The Celery deployment of deploy/celery/, on this machine: redis-server and a moto S3 server on
127.0.0.1, two Celery workers, the Dagster webserver and daemon, all started by deploy/celery/start.sh
with this test's ports and stopped by their PIDs in `finally`.

The bundled sample is backfilled on the workers into s3://news/lake (split into runs of 11 days), the
warehouse is built from the object-storage lake, and every table must equal (rows and checksums) the
same backfill run locally in one process. Then the faults: a worker process killed in the middle of
a step (its task goes back to the queue and the run completes, or the run fails and a re-run
completes), and the broker restarted between two runs. A few minutes, most of it the daemon's loops.
"""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from scale_support import free_port, s3_env, wait_port

from news_assets.runner import materialize_range
from news_assets.sources.config import bundled_sample_dir
from news_assets.sqlproject import SqlProject, table_checksums

pytest.importorskip("dagster_celery", reason="the [scale] extra is not installed")
pytest.importorskip("moto.server", reason="the [scale] extra is not installed")

REPO = Path(__file__).resolve().parent.parent
DEPLOY = REPO / "deploy" / "celery"
SAMPLE_DAYS = [f"2024-05-{d:02d}" for d in range(5, 27)]
LATE_DAYS = SAMPLE_DAYS[-7:]  # the re-runs: one run each, the seed's day among them
VOLATILE = {"stg_raw_manifest": ["fetched_at"]}  # when a page was read changes on every run by design
TIMEOUT = 420


def _backfill_module():
    spec = importlib.util.spec_from_file_location("deploy_backfill", DEPLOY / "backfill.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


class Deployment:
    def __init__(self, tmp: Path):
        self.run = tmp / "run"
        sources = tmp / "sources.yaml"
        sources.write_text(f"- name: sample\n  type: folder\n  path: {bundled_sample_dir()}\n", encoding="utf-8")
        self.redis_port, s3_port, self.web_port = free_port(), free_port(), free_port()
        self.env = {**os.environ, **s3_env(f"http://127.0.0.1:{s3_port}"),
                    "NEWS_SCALE_RUN": str(self.run), "DAGSTER_HOME": str(self.run / "dagster_home"),
                    "NEWS_REDIS_PORT": str(self.redis_port), "NEWS_S3_PORT": str(s3_port),
                    "NEWS_WEB_PORT": str(self.web_port), "NEWS_SOURCES": str(sources),
                    "NEWS_WAREHOUSE_DIR": "s3://news/lake", "NEWS_WAREHOUSE_DB": str(tmp / "celery.duckdb"),
                    "NEWS_BACKFILL_RUN_PARTITIONS": "11", "NEWS_LOOKBACK_DAYS": "0"}
        for k in ("NEWS_CELERY_BROKER", "NEWS_CELERY_BACKEND", "AWS_PROFILE"):
            self.env.pop(k, None)
        self.client = _backfill_module().Client(f"http://127.0.0.1:{self.web_port}")
        self.db = Path(self.env["NEWS_WAREHOUSE_DB"])

    def start(self, *part: str) -> None:
        subprocess.run([str(DEPLOY / "start.sh"), *part], env=self.env, cwd=REPO, check=True,
                       stdout=subprocess.DEVNULL, timeout=180)

    def pid(self, name: str) -> int:
        return int((self.run / f"{name}.pid").read_text())

    def stop(self, name: str) -> None:
        """End one part by its recorded PID: its process group (start.sh gives each its own session)."""
        f = self.run / f"{name}.pid"
        if not f.exists():
            return
        pid = int(f.read_text())
        try:
            os.killpg(pid, signal.SIGTERM)
            for _ in range(150):
                os.kill(pid, 0)
                time.sleep(0.1)
            os.killpg(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        f.unlink()

    def stop_all(self) -> None:
        for name in ["daemon", "webserver", *sorted(p.stem for p in self.run.glob("worker-*.pid")), "s3", "redis"]:
            self.stop(name)

    def wait_for_servers(self) -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                r = self.client.gql("{ workspaceOrError { ... on Workspace { locationEntries { "
                                    "locationOrLoadError { __typename ... on PythonError { message } } } } } }")
                entry = r["workspaceOrError"]["locationEntries"][0]["locationOrLoadError"]
                if entry and entry["__typename"] == "RepositoryLocation":
                    return
                assert not entry or entry["__typename"] != "PythonError", entry
            except OSError:
                pass
            time.sleep(1)
        raise AssertionError("the webserver did not load the code location\n" + self.tails())

    def backfill(self, days: list[str], title: str) -> tuple[dict, list[dict]]:
        return self.client.wait(self.client.launch(days, title), TIMEOUT)

    def checksums(self) -> dict:
        return table_checksums(self.db, SqlProject().order, VOLATILE)

    def active_tasks(self) -> list[dict]:
        from celery import Celery

        app = Celery(broker=f"redis://127.0.0.1:{self.redis_port}/0")
        try:
            replies = app.control.inspect(timeout=0.5).active() or {}
        finally:
            app.close()
        return [dict(t, worker=w) for w, tasks in replies.items() for t in tasks]

    def tails(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-2500:]}" for p in sorted(self.run.glob("*.log")))


@pytest.fixture(scope="module")
def local_reference(tmp_path_factory):
    """The same sample backfilled locally in one process: the tables the deployment must reproduce."""
    tmp = tmp_path_factory.mktemp("local")
    mp = pytest.MonkeyPatch()
    try:
        mp.setenv("NEWS_WAREHOUSE_DIR", str(tmp / "lake"))
        mp.setenv("NEWS_WAREHOUSE_DB", str(tmp / "local.duckdb"))
        materialize_range(SAMPLE_DAYS[0], SAMPLE_DAYS[-1])
        return table_checksums(tmp / "local.duckdb", SqlProject().order, VOLATILE)
    finally:
        mp.undo()


@pytest.fixture(scope="module")
def deploy(tmp_path_factory):
    d = Deployment(tmp_path_factory.mktemp("celery"))
    try:
        d.start()
        d.wait_for_servers()
        yield d
    finally:
        d.stop_all()


def test_sample_on_two_celery_workers_equals_local(deploy, local_reference):
    state, builds = deploy.backfill(SAMPLE_DAYS, "celery: the whole sample")
    assert state["status"] == "COMPLETED_SUCCESS", deploy.tails()
    assert len(state["runs"]) == 2 and all(r["status"] == "SUCCESS" for r in state["runs"])  # 11 + 11 days
    assert builds and all(b["status"] == "SUCCESS" for b in builds)
    ran = {w for w in ("w1", "w2") if "Task execute_plan" in (deploy.run / f"worker-{w}.log").read_text()}
    assert ran == {"w1", "w2"}, "both workers should have executed steps"
    assert deploy.checksums() == local_reference
    assert local_reference["facts"][0] > 0


def test_worker_killed_mid_step_then_run_completes_with_same_rows(deploy, local_reference):
    bid = deploy.client.launch(LATE_DAYS, "celery: a worker dies")
    deadline, killed = time.monotonic() + TIMEOUT, None
    while killed is None and time.monotonic() < deadline:
        for task in deploy.active_tasks():
            os.kill(task["worker_pid"], signal.SIGKILL)  # the pool process running the step, as the OOM killer would
            killed = task
            break
        time.sleep(0.2)
    assert killed is not None, "no step was seen running on a worker\n" + deploy.tails()
    state, builds = deploy.client.wait(bid, TIMEOUT)
    if state["status"] != "COMPLETED_SUCCESS":  # the run failed with the worker: a re-run must complete
        state, builds = deploy.backfill(LATE_DAYS, "celery: re-run after a dead worker")
    assert state["status"] == "COMPLETED_SUCCESS", deploy.tails()
    assert builds and builds[0]["status"] == "SUCCESS"
    assert deploy.checksums() == local_reference


def test_broker_restarted_between_runs(deploy, local_reference):
    deploy.stop("redis")
    deploy.start("redis")  # same port, empty: queued messages and results are gone, workers reconnect
    wait_port(deploy.redis_port)
    state, builds = deploy.backfill(LATE_DAYS, "celery: after a broker restart")
    assert state["status"] == "COMPLETED_SUCCESS", deploy.tails()
    assert builds and all(b["status"] == "SUCCESS" for b in builds)
    assert deploy.checksums() == local_reference
