#!/usr/bin/env python
"""Throughput of the whole facts stage (extract + to_records) on one core.

    python benchmarks/facts_speed.py [--corpus PATH] [--repeat N]

--corpus is a directory (every *.txt below it, plus the "content" of every ground_truth.json) or one
.txt / .json / .jsonl file; default: ../shared/corpus and ../shared/gold/seed_body.txt relative to the
repository root. The first call (reference data load, automaton build) is timed separately.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _texts_from_json(p: Path) -> list[str]:
    out = []
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return out
    items = data.values() if isinstance(data, dict) else data
    for v in items:
        if isinstance(v, dict):
            for k in ("content", "body", "text"):
                if isinstance(v.get(k), str) and v[k].strip():
                    out.append(v[k])
                    break
    return out


def load_corpus(path: Path | None) -> list[str]:
    texts: list[str] = []
    paths = [path] if path else [ROOT.parent / "shared" / "corpus", ROOT.parent / "shared" / "gold" / "seed_body.txt"]
    for p in paths:
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.suffix == ".txt":
                    try:
                        t = f.read_text(encoding="utf-8")
                    except UnicodeDecodeError:
                        continue
                    if t.strip():
                        texts.append(t)
                elif f.name == "ground_truth.json":
                    texts.extend(_texts_from_json(f))
        elif p.suffix == ".jsonl":
            for line in p.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    d = json.loads(line)
                    t = d.get("body") or d.get("content") or d.get("text")
                    if t:
                        texts.append(t)
        elif p.suffix == ".json":
            texts.extend(_texts_from_json(p))
        elif p.is_file():
            texts.append(p.read_text(encoding="utf-8"))
    return texts


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=None)
    ap.add_argument("--repeat", type=int, default=20, help="passes over the corpus (default 20)")
    a = ap.parse_args(argv)
    texts = load_corpus(a.corpus)
    if not texts:
        print("no texts found", file=sys.stderr)
        return 1
    pub = date(2024, 5, 26)
    t0 = time.perf_counter()
    from news_assets.facts import extract, to_records

    extract(texts[0], pub)
    warm = time.perf_counter() - t0
    chars = sum(len(t) for t in texts)
    n_rows = 0
    passes = []
    for _ in range(a.repeat):
        t0 = time.perf_counter()
        for t in texts:
            n_rows += len(to_records(extract(t, pub)))
        passes.append(time.perf_counter() - t0)
    dt = sum(passes)
    best = min(passes)
    n = len(texts) * a.repeat
    print(f"{'articles':>9}{'avg chars':>10}{'passes':>8}{'seconds':>9}{'articles/s':>12}{'best pass/s':>13}"
          f"{'chars/s':>12}{'rows/article':>14}")
    print(f"{len(texts):>9}{chars // len(texts):>10}{a.repeat:>8}{dt:>9.2f}{n / dt:>12.0f}{len(texts) / best:>13.0f}"
          f"{chars * a.repeat / dt:>12.0f}{n_rows / n:>14.1f}")
    print("articles/s: mean over all passes; best pass/s: the fastest pass (least disturbed by other load)")
    print(f"first call (import, reference load, automaton build): {warm * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
