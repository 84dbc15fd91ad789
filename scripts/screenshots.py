"""Take the README's screenshots from the running Dagster UI in headless Chromium.

    python scripts/screenshots.py            # writes docs/asset-graph.png and docs/partitioned-asset.png

Rerun it when the asset graph changes. It materialises the bundled sample into a temporary
DAGSTER_HOME and warehouse (so the UI shows real runs, partitions and checks), starts
`dagster-webserver -w workspace.yaml` on 127.0.0.1, points Chromium at two pages and stops the server.
Needs /usr/bin/chromium (Debian: `apt-get install -y chromium fonts-wqy-zenhei`, the font for the Chinese
text) or --chromium PATH. Not part of the tests.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PAGES = {
    # the asset graph: the partitioned lake group feeding the DuckDB models of the warehouse group
    # (zoomed out to fit, Dagster shortens names over ~17 characters in the middle; zoom in to read them)
    "asset-graph.png": ("/assets/duckdb/money_by_region_month?view=lineage&lineageScope=upstream&lineageDepth=4",
                        "1600,1000"),
    # a partitioned asset: its daily publish-date partitions and one partition's metadata
    "partitioned-asset.png": ("/assets/articles?view=partitions&partition=2024-05-26&status=MATERIALIZED", "1600,1000"),
    # a SQL model: description, documented and typed columns, check results
    "sql-model.png": ("/assets/duckdb/money_by_region_month", "1600,1400"),
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, seconds: float = 90) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(1)
    raise RuntimeError(f"{url} did not answer in {seconds:.0f}s")


def shoot(chromium: str, url: str, out: Path, size: str, wait_ms: int, profile: Path) -> None:
    cmd = [
        chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
        f"--user-data-dir={profile}", f"--window-size={size}", f"--virtual-time-budget={wait_ms}",
        f"--screenshot={out}", url,
    ]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
    print(f"wrote {out} ({out.stat().st_size:,} bytes) from {url}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=REPO / "docs")
    ap.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    ap.add_argument("--wait-ms", type=int, default=20000, help="virtual time the page gets to render")
    args = ap.parse_args(argv)
    if not Path(args.chromium).exists():
        print(f"no Chromium at {args.chromium}: apt-get install -y chromium, or pass --chromium", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="news-screens-"))
    home, warehouse = tmp / "dagster_home", tmp / "warehouse"
    home.mkdir()
    # the project's settings without the local-storage block: runs live in this DAGSTER_HOME
    (home / "dagster.yaml").write_text(
        (REPO / "dagster.yaml").read_text(encoding="utf-8").split("# >>> local storage", 1)[0], encoding="utf-8")
    # partitions from the month the sample starts, as a user sets NEWS_PARTITION_START for their archive
    env = {**os.environ, "DAGSTER_HOME": str(home), "NEWS_WAREHOUSE_DIR": str(warehouse),
           "NEWS_PARTITION_START": "2024-05-01"}
    env.pop("NEWS_SOURCES", None)
    server = None
    try:
        # real runs in the instance the UI reads: the sample range as one run, then the warehouse
        subprocess.run([str(BIN / "news-warehouse"), "demo", "--warehouse", str(warehouse)], env=env, cwd=tmp,
                       check=True, stdout=subprocess.DEVNULL)
        port = free_port()
        server = subprocess.Popen(
            [str(BIN / "dagster-webserver"), "-w", str(REPO / "workspace.yaml"), "-h", "127.0.0.1", "-p", str(port)],
            cwd=REPO, env=env, stdout=(tmp / "webserver.log").open("wb"), stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        base = f"http://127.0.0.1:{port}"
        wait_http(base + "/server_info")
        time.sleep(3)  # let the code location load
        # the first visit otherwise opens a "join the community" dialog over the page
        req = urllib.request.Request(base + "/graphql", data=json.dumps({"query": "mutation { setNuxSeen }"}).encode(),
                                     headers={"Content-Type": "application/json"})
        urllib.request.urlopen(req, timeout=30).read()
        for name, (path, size) in PAGES.items():
            shoot(args.chromium, base + path, args.out / name, size, args.wait_ms, tmp / f"profile-{name}")
    finally:
        if server is not None and server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
