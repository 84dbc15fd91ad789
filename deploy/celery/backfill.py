"""Backfill publish dates on the Celery deployment and wait for the warehouse build after it.

    python deploy/celery/backfill.py                      # every publish date of the bundled sample
    python deploy/celery/backfill.py --start 2024-01-01 --end 2024-12-31

Posts `launchPartitionBackfill` to the webserver's /graphql (DagsterGraphQLClient has no backfill
call); the daemon splits the range into runs of $NEWS_BACKFILL_RUN_PARTITIONS days whose steps run on
the Celery workers, and the rebuild sensor builds the DuckDB warehouse after each run. Exits 0 when
the backfill and every build it triggered succeeded.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import urllib.request
from datetime import date, timedelta

from news_assets.backfill_api import BACKFILL, LAKE_KEYS, LAUNCH

RUNS = """query($f: RunsFilter) { runsOrError(filter: $f) { ... on Runs { results {
  runId jobName status tags { key value } } } } }"""
DONE = ("SUCCESS", "FAILURE", "CANCELED")


class Client:
    def __init__(self, url: str):
        self.url = url.rstrip("/") + "/graphql"

    def gql(self, query: str, variables: dict | None = None) -> dict:
        req = urllib.request.Request(self.url, data=json.dumps({"query": query, "variables": variables or {}}).encode(),
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=60) as resp:
            body = json.loads(resp.read())
        if body.get("errors"):
            raise RuntimeError(f"GraphQL errors: {body['errors']}")
        return body["data"]

    def launch(self, days: list[str], title: str) -> str:
        r = self.gql(LAUNCH, {"p": {"partitionNames": days, "title": title,
                                    "assetSelection": [{"path": k} for k in LAKE_KEYS]}})["launchPartitionBackfill"]
        if r["__typename"] != "LaunchBackfillSuccess":
            raise RuntimeError(f"backfill not launched: {r}")
        return r["backfillId"]

    def backfill(self, backfill_id: str) -> dict:
        return self.gql(BACKFILL, {"id": backfill_id})["partitionBackfillOrError"]

    def runs(self, **filters) -> list[dict]:
        return self.gql(RUNS, {"f": filters})["runsOrError"]["results"]

    def wait(self, backfill_id: str, timeout: float) -> tuple[dict, list[dict]]:
        """Until the backfill is done and every warehouse build its runs triggered has finished:
        (backfill state, builds)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            state = self.backfill(backfill_id)
            if state["status"] not in ("REQUESTED", "CANCELING"):
                lake_runs = {r["runId"] for r in state["runs"]}
                builds = [r for r in self.runs(pipelineName="warehouse_job")
                          if _tags(r).get("dagster/run_key") in lake_runs]
                ok_runs = {r["runId"] for r in state["runs"] if r["status"] == "SUCCESS"}
                if len([b for b in builds if b["status"] in DONE]) >= len(ok_runs):
                    return state, builds
            time.sleep(2)
        raise TimeoutError(f"backfill {backfill_id} not done after {timeout:.0f} s")


def _tags(run: dict) -> dict[str, str]:
    return {t["key"]: t["value"] for t in run["tags"]}


def sample_days() -> list[str]:
    from news_assets.lake import Lake, default_warehouse_dir
    from news_assets.runner import sample_dates

    days = sample_dates(Lake(default_warehouse_dir()))
    first, last = date.fromisoformat(days[0]), date.fromisoformat(days[-1])
    return [(first + timedelta(days=i)).isoformat() for i in range((last - first).days + 1)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--start")
    ap.add_argument("--end")
    ap.add_argument("--url", default=f"http://127.0.0.1:{os.environ.get('NEWS_WEB_PORT', '3000')}")
    ap.add_argument("--timeout", type=float, default=1800)
    args = ap.parse_args(argv)
    if args.start:
        first, last = date.fromisoformat(args.start), date.fromisoformat(args.end or args.start)
        days = [(first + timedelta(days=i)).isoformat() for i in range((last - first).days + 1)]
    else:
        days = sample_days()
    client = Client(args.url)
    t0 = time.monotonic()
    bid = client.launch(days, f"backfill {days[0]}..{days[-1]}")
    print(f"backfill {bid}: {len(days)} publish dates {days[0]}..{days[-1]}", flush=True)
    state, builds = client.wait(bid, args.timeout)
    for r in state["runs"]:
        print(f"  run {r['runId'][:8]} {r['status']}")
    print(f"backfill {state['status']}; warehouse builds: {', '.join(b['status'] for b in builds) or 'none'}; "
          f"{time.monotonic() - t0:.0f} s")
    ok = state["status"] == "COMPLETED_SUCCESS" and builds and all(b["status"] == "SUCCESS" for b in builds)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
