"""Every README command block marked runnable runs as written and exits 0.

A block is runnable when the line before its opening fence is an HTML comment starting with
`<!-- runnable`. The blocks run in README order, in the repo root (paths in them are relative to
it), each as one `bash -e` script, with a temporary warehouse, Dagster home and sources file, so
nothing is written into the checkout and a later block sees what an earlier one built.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from test_e2e_dagster import deployment_yaml

from news_assets.sources.config import bundled_sample_dir

REPO = Path(__file__).resolve().parent.parent
MARKER = re.compile(r"^<!-- runnable\b[^\n]*-->\n```(?:bash|sh|console)?\n(.*?)^```", re.M | re.S)


def runnable_blocks(text: str) -> list[str]:
    return [m.group(1) for m in MARKER.finditer(text)]


def test_the_marker_finds_only_marked_blocks():
    text = "x\n<!-- runnable -->\n```bash\necho a\n```\n\n```bash\necho b\n```\n<!-- runnable: why -->\n```bash\necho c\n```\n"
    assert runnable_blocks(text) == ["echo a\n", "echo c\n"]


def test_every_runnable_readme_block_exits_0(tmp_path):
    blocks = runnable_blocks((REPO / "README.md").read_text(encoding="utf-8"))
    assert len(blocks) >= 2  # the backfill and the load blocks at least
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text(deployment_yaml(), encoding="utf-8")
    sources = tmp_path / "sources.yaml"
    sources.write_text(f"- name: sample\n  type: folder\n  path: {bundled_sample_dir()}\n", encoding="utf-8")
    bindir = str(Path(sys.executable).parent)
    env = {**os.environ, "DAGSTER_HOME": str(home), "NEWS_WAREHOUSE_DIR": str(tmp_path / "warehouse"),
           "NEWS_SOURCES": str(sources), "PATH": bindir + os.pathsep + os.environ.get("PATH", "")}
    for block in blocks:
        p = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", block], cwd=REPO, env=env,
                           capture_output=True, text=True, timeout=600)
        assert p.returncode == 0, f"README block failed ({p.returncode}):\n{block}\n{p.stderr[-3000:]}"
    assert (tmp_path / "warehouse" / "news.duckdb").exists()
