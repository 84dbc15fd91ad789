#!/usr/bin/env python
"""Re-run the README's example queries on a fresh demo warehouse and paste their real output back.

    python scripts/refresh_readme_queries.py [--check]

Builds the bundled sample into a temporary warehouse (`news-warehouse demo`), then for every
```console block in README.md whose first line is `$ news-warehouse sql "..."`, runs that command and
replaces the rest of the block with what it prints. With --check nothing is written and the exit
code says whether the README is current (the outputs change whenever the extractor improves, so this
is a maintenance step, not a test).
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BLOCK = re.compile(r"```console\n(\$ news-warehouse sql [^\n]+)\n(.*?)```", re.S)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="only report whether the README is current")
    args = ap.parse_args(argv)
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "NEWS_WAREHOUSE_DIR": os.path.join(tmp, "warehouse"), "NO_COLOR": "1"}
        env.pop("DAGSTER_HOME", None)  # an ephemeral instance: the demo must not touch the user's
        subprocess.run([sys.executable, "-m", "news_assets.cli", "demo"], cwd=tmp, env=env, check=True,
                       stdout=subprocess.DEVNULL)

        def rerun(m: re.Match) -> str:
            argv_ = shlex.split(m.group(1)[2:])
            out = subprocess.run([sys.executable, "-m", "news_assets.cli", *argv_[1:]], cwd=tmp, env=env,
                                 check=True, capture_output=True, text=True).stdout
            return f"```console\n{m.group(1)}\n{out}```"

        new = BLOCK.sub(rerun, text)
    if new == text:
        print("README query outputs are current")
        return 0
    if args.check:
        print("README query outputs differ from a fresh demo; run scripts/refresh_readme_queries.py")
        return 1
    readme.write_text(new, encoding="utf-8")
    print("README query outputs refreshed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
