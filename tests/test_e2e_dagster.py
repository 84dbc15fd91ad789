"""End to end through the real servers: `dagster-webserver` and `dagster-daemon` on 127.0.0.1 with the
project's dagster.yaml in a temporary DAGSTER_HOME and a temporary warehouse directory.

Backfills are launched over GraphQL (`launchPartitionBackfill` posted to /graphql), run by the daemon
as single runs over their ranges; the `rebuild_warehouse_after_news` sensor then builds DuckDB inside
the `duckdb_writer` pool. The tests read the real DuckDB file and the asset checks' results through
GraphQL, and dry-run the nightly schedule for a given time. Both servers are shut down, pass or fail.
About 2 minutes, most of it the backfill daemon's 30-second loop.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pytest

from news_assets.backfill_api import BACKFILL, LAKE_KEYS, LAUNCH
from news_assets.lake import Lake
from news_assets.sources.config import bundled_sample_dir
from news_assets.sqlproject import SqlProject, table_checksums

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
LOCATION = "news_assets.definitions:defs"
SAMPLE_DAYS = [f"2024-05-{d:02d}" for d in range(5, 27)]  # every publish date of the bundled sample
OVERLAP_DAYS = [f"2024-05-{d:02d}" for d in range(15, 27)]
LOOKBACK = 2
# when a page was fetched is the one thing a re-run changes, by design
VOLATILE = {"stg_raw_manifest": ["fetched_at"]}
TIMEOUT = 600  # seconds for one round of backfills (the daemon looks every 30 s; a busy 2-core CI box is slow)

RUNS = """query($f: RunsFilter) { runsOrError(filter: $f) { ... on Runs { results {
  runId jobName status tags { key value } stepStats { stepKey startTime endTime } } } } }"""
CHECKS = """{ assetNodes(group: {groupName: "warehouse", repositoryName: "__repository__",
  repositoryLocationName: "news_assets.definitions:defs"}) { assetKey { path }
  assetChecksOrError { ... on AssetChecks { checks { name executionForLatestMaterialization {
  status evaluation { success severity } } } } } } }"""
DRY_RUN = """mutation($s: ScheduleSelector!, $t: Float!) { scheduleDryRun(selectorData: $s, timestamp: $t) {
  __typename ... on DryRunInstigationTick { evaluationResult { skipReason error { message }
  runRequests { runKey tags { key value } } } } ... on PythonError { message } } }"""
POOL = "{ instance { poolConfig { defaultPoolLimit poolGranularity } concurrencyLimits { concurrencyKey slotCount } } }"


def deployment_yaml() -> str:
    """The project's dagster.yaml without its local-storage block: everything lives in $DAGSTER_HOME
    (what `sed '/^# >>> local storage/,$d' dagster.yaml` in the README gives)."""
    text = (REPO / "dagster.yaml").read_text(encoding="utf-8")
    return text.split("# >>> local storage", 1)[0]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Servers:
    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.home = tmp / "dagster_home"
        self.warehouse = tmp / "warehouse"
        self.port = free_port()
        self.procs: list[subprocess.Popen] = []
        self.logs: list[Path] = []

    def env(self) -> dict[str, str]:
        sources = self.tmp / "sources.yaml"
        sources.write_text(f"- name: sample\n  type: folder\n  path: {bundled_sample_dir()}\n", encoding="utf-8")
        return {**os.environ, "DAGSTER_HOME": str(self.home), "NEWS_WAREHOUSE_DIR": str(self.warehouse),
                "NEWS_SOURCES": str(sources), "NEWS_LOOKBACK_DAYS": str(LOOKBACK), "PYTHONUNBUFFERED": "1"}

    def start_webserver(self) -> None:
        self.home.mkdir(parents=True)
        # the project's settings (pool limit, run monitoring), as the README's deployment setup copies them
        (self.home / "dagster.yaml").write_text(deployment_yaml(), encoding="utf-8")
        # create the instance's storage once, before two processes race to migrate it
        subprocess.run([str(BIN / "dagster"), "instance", "migrate"], env=self.env(), cwd=REPO, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
        self._spawn("webserver", [str(BIN / "dagster-webserver"), "-w", "workspace.yaml", "-h", "127.0.0.1",
                                  "-p", str(self.port)])
        deadline = time.time() + 90
        while time.time() < deadline:
            try:
                r = self.gql("""{ workspaceOrError { ... on Workspace { locationEntries { name
                    locationOrLoadError { __typename ... on PythonError { message } } } } } }""")
                entry = r["workspaceOrError"]["locationEntries"][0]["locationOrLoadError"]
                if entry and entry["__typename"] == "RepositoryLocation":
                    return
                if entry and entry["__typename"] == "PythonError":
                    raise AssertionError(f"code location failed to load: {entry['message']}")
            except OSError:
                pass
            time.sleep(1)
        raise AssertionError("webserver did not come up\n" + self.tails())

    def start_daemon(self) -> None:
        self._spawn("daemon", [str(BIN / "dagster-daemon"), "run", "-w", "workspace.yaml"])

    def _spawn(self, name: str, cmd: list[str]) -> None:
        log = self.tmp / f"{name}.log"
        self.logs.append(log)
        self.procs.append(subprocess.Popen(cmd, cwd=REPO, env=self.env(), stdout=log.open("wb"),
                                           stderr=subprocess.STDOUT, start_new_session=True))

    def stop(self) -> None:
        for p in self.procs:  # each server and the code servers it spawned share a process group
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
        for p in self.procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait(timeout=10)

    def tails(self) -> str:
        return "\n".join(f"--- {log.name}\n" + log.read_text(errors="replace")[-3000:] for log in self.logs)

    def gql(self, query: str, variables: dict | None = None) -> dict:
        req = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/graphql",
            data=json.dumps({"query": query, "variables": variables or {}}).encode(),
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(req, timeout=60) as resp:
                body = json.loads(resp.read())
        except urllib.error.HTTPError as e:
            raise AssertionError(f"GraphQL HTTP {e.code}: {e.read()[:2000]!r}") from e
        if body.get("errors"):
            raise AssertionError(f"GraphQL errors: {body['errors']}")
        return body["data"]

    # ---- what the tests do ----------------------------------------------------------------
    def launch_backfill(self, days: list[str], title: str) -> str:
        r = self.gql(LAUNCH, {"p": {"partitionNames": days, "assetSelection": [{"path": k} for k in LAKE_KEYS],
                                    "title": title}})["launchPartitionBackfill"]
        assert r["__typename"] == "LaunchBackfillSuccess", r
        return r["backfillId"]

    def runs(self, **filters) -> list[dict]:
        return self.gql(RUNS, {"f": filters})["runsOrError"]["results"]

    def wait_for_backfills(self, ids: list[str]) -> list[dict]:
        """Until every backfill is done and the warehouse build its lake run triggered has finished."""
        deadline = time.time() + TIMEOUT
        while time.time() < deadline:
            states = [self.gql(BACKFILL, {"id": i})["partitionBackfillOrError"] for i in ids]
            if all(s["status"] not in ("REQUESTED", "CANCELING") for s in states):
                lake_runs = [r["runId"] for s in states for r in s["runs"]]
                builds = [r for r in self.runs(pipelineName="warehouse_job")
                          if _tags(r).get("dagster/run_key") in lake_runs and r["status"] in ("SUCCESS", "FAILURE")]
                if len(builds) == len(lake_runs):
                    return states
            time.sleep(2)
        raise AssertionError(f"backfills {ids} not done in {TIMEOUT}s\n" + self.tails())


def _tags(run: dict) -> dict[str, str]:
    return {t["key"]: t["value"] for t in run["tags"]}


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    s = Servers(tmp_path_factory.mktemp("e2e"))
    try:
        s.start_webserver()
        yield s
    finally:
        s.stop()


@pytest.fixture(scope="module")
def first_build(servers):
    """One backfill of every sample publish date, and the warehouse the sensor built after it."""
    bid = servers.launch_backfill(SAMPLE_DAYS, "e2e: the whole sample")
    servers.start_daemon()  # its first loop picks the backfill up at once (then it looks every 30 s)
    [state] = servers.wait_for_backfills([bid])
    return state, table_checksums(Lake(servers.warehouse).duckdb_path, SqlProject().order, VOLATILE)


def test_a_graphql_backfill_runs_as_one_run_and_builds_the_warehouse(servers, first_build):
    state, _ = first_build
    assert state["status"] == "COMPLETED_SUCCESS"
    [run] = state["runs"]  # single-run backfill policy: one run for the 22 days
    assert run["status"] == "SUCCESS"
    [lake_run] = [r for r in servers.runs(runIds=[run["runId"]])]
    assert (_tags(lake_run)["dagster/asset_partition_range_start"],
            _tags(lake_run)["dagster/asset_partition_range_end"]) == ("2024-05-05", "2024-05-26")
    [build] = [r for r in servers.runs(pipelineName="warehouse_job") if _tags(r)["dagster/run_key"] == run["runId"]]
    assert build["status"] == "SUCCESS"
    assert _tags(build)["dagster/sensor_name"] == "rebuild_warehouse_after_news"

    lake = Lake(servers.warehouse)
    lake_articles = sum(lake.read_partition("articles", d).height for d in SAMPLE_DAYS)
    con = duckdb.connect(str(lake.duckdb_path), read_only=True)
    try:
        q = lambda sql, *p: con.execute(sql, list(p)).fetchall()  # noqa: E731
        assert q("select count(*) from articles") == [(lake_articles,)] and lake_articles >= 12
        assert q("select min(publish_date)::varchar, max(publish_date)::varchar from articles") == [("2024-05-10", "2024-05-26")]
        assert [(int(v), c, r) for v, c, r in q(
            "select value, currency, region_code from facts where text = ? and publish_date = ?",
            "721亿美元", "2024-05-26")] == [(72100000000, "USD", "500000")]
        # the seed's 渝港 pairing: 重庆 and 香港 named in the same sentence
        [(same_sentence, name_a, name_b)] = q(
            "select n_articles_same_sentence, name_a, name_b from region_comentions "
            "where region_a = '500000' and region_b = '810000'")
        assert same_sentence >= 1 and (name_a, name_b) == ("重庆市", "香港特别行政区")
        money = q("select total_value from money_by_region_month where month = '2024-05-01' "
                  "and region_code = '500000' and currency = 'USD'")
        assert int(money[0][0]) == 72100000000 + 370000000
        assert q("select count(*) from stories") == [(lake_articles,)]  # the sample has no reprints
        assert q("select count(*) from dim_dates") == [(17,)]  # 2024-05-10 .. 2024-05-26
        assert q("select name, level from dim_regions where region_code = '810000'") == [("香港特别行政区", "province")]
        assert q("select sum(n_articles) from articles_by_source_day") == [(lake_articles,)]
    finally:
        con.close()

    # every asset check of the warehouse ran on this build and passed
    checks = {(tuple(n["assetKey"]["path"]), c["name"]): c["executionForLatestMaterialization"]
              for n in servers.gql(CHECKS)["assetNodes"] for c in n["assetChecksOrError"]["checks"]}
    assert len(checks) >= 60
    assert {k: v["status"] for k, v in checks.items() if v is None or v["status"] != "SUCCEEDED"} == {}
    assert checks[(("duckdb", "facts"), "value_finite_nonzero")]["evaluation"]["success"] is True
    assert checks[(("duckdb", "facts"), "relationships_region_code")]["evaluation"]["severity"] == "ERROR"
    assert checks[(("duckdb", "quarantine"), "quarantine_share")]["evaluation"]["severity"] == "WARN"


def test_repeat_and_overlapping_backfills_together_succeed_and_leave_identical_tables(servers, first_build):
    _, before = first_build
    db = Lake(servers.warehouse).duckdb_path
    # an analyst keeps reading while both backfills and their builds run: never locked out
    reads, errors, done = [0], [], threading.Event()

    def reader():
        while not done.is_set():
            try:
                con = duckdb.connect(str(db), read_only=True)
                con.execute("select count(*) from facts").fetchall()
                con.close()
                reads[0] += 1
            except Exception as e:  # noqa: BLE001 - any failure to read is what this test is about
                errors.append(repr(e))
            time.sleep(0.05)

    t = threading.Thread(target=reader, daemon=True)
    t.start()
    try:
        again = servers.launch_backfill(SAMPLE_DAYS, "e2e: the same backfill again")
        overlap = servers.launch_backfill(OVERLAP_DAYS, "e2e: an overlapping range")
        states = servers.wait_for_backfills([again, overlap])
    finally:
        done.set()
        t.join()
    assert [s["status"] for s in states] == ["COMPLETED_SUCCESS", "COMPLETED_SUCCESS"]
    lake_runs = [r["runId"] for s in states for r in s["runs"]]
    assert len(lake_runs) == 2 and all(r["status"] == "SUCCESS" for s in states for r in s["runs"])
    builds = [r for r in servers.runs(pipelineName="warehouse_job") if _tags(r).get("dagster/run_key") in lake_runs]
    assert [b["status"] for b in builds] == ["SUCCESS", "SUCCESS"]
    # the duckdb_writer pool (limit 1, from the project's dagster.yaml) kept the two builds apart
    spans = sorted((s["startTime"], s["endTime"]) for b in builds for s in b["stepStats"]
                   if s["stepKey"] == "duckdb_warehouse")
    assert len(spans) == 2 and spans[0][1] <= spans[1][0], spans
    pools = servers.gql(POOL)["instance"]
    assert pools["poolConfig"]["defaultPoolLimit"] == 1
    assert {"concurrencyKey": "duckdb_writer", "slotCount": 1} in pools["concurrencyLimits"]

    assert errors == [] and reads[0] > 10
    # same rows as after the first backfill, table by table (row counts and a checksum of every row)
    project = SqlProject()
    after = table_checksums(db, project.order, VOLATILE)
    assert after == before
    # and the same as building the warehouse from scratch out of the lake as it now stands
    fresh = project.build(Lake(servers.warehouse), servers.tmp / "fresh.duckdb", full_refresh=True)
    assert table_checksums(fresh.path, project.order, VOLATILE) == after


def test_the_nightly_schedule_requests_the_day_that_ended_and_the_lookback_days(servers):
    tick = datetime(2024, 5, 27, 1, 30, tzinfo=ZoneInfo("Asia/Shanghai")).timestamp()
    r = servers.gql(DRY_RUN, {"s": {"repositoryLocationName": LOCATION, "repositoryName": "__repository__",
                                    "scheduleName": "daily_news"}, "t": tick - 1})["scheduleDryRun"]
    assert r["__typename"] == "DryRunInstigationTick", r
    result = r["evaluationResult"]
    assert result["error"] is None and result["skipReason"] is None
    [req] = result["runRequests"]
    tags = {t["key"]: t["value"] for t in req["tags"]}
    # NEWS_LOOKBACK_DAYS=2 in the servers' environment: 05-26 (the day that ended) and the two before it
    assert tags["dagster/asset_partition_range_start"] == "2024-05-24"
    assert tags["dagster/asset_partition_range_end"] == "2024-05-26"
    assert req["runKey"] == "2024-05-24...2024-05-26"
