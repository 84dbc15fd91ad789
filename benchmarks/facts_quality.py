#!/usr/bin/env python
"""Precision / recall of news_assets.facts against hand labels (../shared/gold/dev.jsonl by default).

    python benchmarks/facts_quality.py [--gold PATH] [--verbose]

A found item matches a gold item of the same page when its text is equal and its normalised value is
equal: money value+currency, percent value, date interval, region code. Regions are compared on Chinese
divisions only (the labels skip countries and macro regions). Linking accuracy is measured on matched
money facts: period right when equal to the labelled period (a fact whose period only falls back to the
publish date counts as "no period stated"), region right when equal to the labelled region (a dateline
fallback counts as "no region stated").
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from news_assets.facts import extract  # noqa: E402


def load_body(gold_path: Path, item: dict, cache: dict) -> str:
    base = gold_path.parent.parent  # paths are relative to ../shared
    bs = item["body_source"]
    if "text" in bs:
        return (base / bs["text"]).read_text(encoding="utf-8")
    p = base / bs["json"]
    if p not in cache:
        cache[p] = json.loads(p.read_text(encoding="utf-8"))
    return cache[p][bs["key"]][bs["field"]]


def num(x) -> Decimal:
    return Decimal(str(x)).normalize()


def match(gold: list, found: list) -> tuple[int, list, list]:
    """Multiset match on keys; returns (tp, missed gold keys, spurious found keys)."""
    g = Counter(gold)
    f = Counter(found)
    tp = sum((g & f).values())
    return tp, list((g - f).elements()), list((f - g).elements())


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, default=ROOT.parent / "shared" / "gold" / "dev.jsonl")
    ap.add_argument("--verbose", "-v", action="store_true", help="print misses and spurious items per page")
    a = ap.parse_args(argv)
    cache: dict = {}
    totals = {k: [0, 0, 0] for k in ("money", "percent", "dates", "regions")}  # tp, gold, found
    change_ok = change_n = 0
    period_ok = region_ok = linked_n = 0
    link_errors = []
    for line in a.gold.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        body = load_body(a.gold, item, cache)
        pub = date.fromisoformat(item["publish_time"][:10])
        ex = extract(body, pub)
        money = [f for f in ex.facts if f.kind == "money"]
        pct = [f for f in ex.facts if f.kind == "percent"]
        keys = {
            "money": (
                [(m["text"], num(m["value"]), m["currency"]) for m in item.get("money", [])],
                [(f.text, num(f.value), f.currency) for f in money],
            ),
            "percent": (
                [(p["text"], num(p["value"])) for p in item.get("percent", [])],
                [(f.text, num(f.value)) for f in pct],
            ),
            "dates": (
                [(d["text"], d["start"], d["end"]) for d in item.get("dates", [])],
                [(d.text, d.start_date.isoformat(), d.end_date.isoformat()) for d in ex.dates],
            ),
            "regions": (
                [(r["text"], r["code"]) for r in item.get("regions", [])],
                [(r.text, r.code) for r in ex.regions if r.level in ("province", "prefecture", "county")],
            ),
        }
        for k, (g, f) in keys.items():
            tp, missed, spurious = match(g, f)
            totals[k][0] += tp
            totals[k][1] += len(g)
            totals[k][2] += len(f)
            if a.verbose and (missed or spurious):
                print(f"[{item['id']}] {k}: missed {missed} spurious {spurious}")
        # percent direction on matched items (in order of appearance)
        used = set()
        for p in item.get("percent", []):
            for i, f in enumerate(pct):
                if i not in used and f.text == p["text"] and num(f.value) == num(p["value"]):
                    used.add(i)
                    change_n += 1
                    change_ok += f.change == p.get("change")
                    if a.verbose and f.change != p.get("change"):
                        print(f"[{item['id']}] change {p['text']}: gold {p.get('change')} got {f.change}")
                    break
        # linking of matched money
        used = set()
        for m in item.get("money", []):
            for i, f in enumerate(money):
                if i in used or f.text != m["text"] or num(f.value) != num(m["value"]):
                    continue
                used.add(i)
                linked_n += 1
                gp = m.get("period")
                stated = f.period_source in ("sentence", "context")
                got_p = {"start": f.period_start and f.period_start.isoformat(),
                         "end": f.period_end and f.period_end.isoformat()} if stated else None
                p_ok = (gp is None and got_p is None) or (gp is not None and got_p == {"start": gp["start"], "end": gp["end"]})
                got_r = f.region_code if f.region_source in ("sentence", "context") else None
                r_ok = got_r == m.get("region")
                period_ok += p_ok
                region_ok += r_ok
                if not (p_ok and r_ok):
                    link_errors.append((item["id"], m["text"], gp, got_p, m.get("region"), got_r))
                break
    print(f"{'kind':<10}{'gold':>6}{'found':>7}{'match':>7}{'precision':>11}{'recall':>8}{'F1':>7}")
    for k, (tp, ng, nf) in totals.items():
        p = tp / nf if nf else 1.0
        r = tp / ng if ng else 1.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        print(f"{k:<10}{ng:>6}{nf:>7}{tp:>7}{p:>11.3f}{r:>8.3f}{f1:>7.3f}")
    print()
    print(f"percent direction right: {change_ok}/{change_n} = {change_ok / max(change_n, 1):.3f}")
    print(f"money linking (matched money facts: {linked_n}):")
    print(f"  period right: {period_ok}/{linked_n} = {period_ok / max(linked_n, 1):.3f}")
    print(f"  region right: {region_ok}/{linked_n} = {region_ok / max(linked_n, 1):.3f}")
    if a.verbose:
        for e in link_errors:
            print("  link error:", e)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
