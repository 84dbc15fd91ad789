#!/usr/bin/env python
"""Recall / precision of news_assets.facts on the peer cases (../shared/peer/recognizers-text-zh.jsonl).

    python benchmarks/peer_suite.py [--corpus ../shared/peer] [--examples 5] [--kind date] [--tag trad]

Matching follows the peer README: an expected item is found when a fact of its kind has the same value
(money: and the same currency; date: start and end equal to one of the item's `alts`). Each found fact
matches at most one expected item. Cases tagged with a convention that differs from ours (zhe_cheng,
pct_points, rolling_window) are scored apart: there, finding the peer's reading goes AGAINST our
conventions. Precision counts every fact of the case's kind in exhaustive cases (a negative case has an
empty list). Failures are printed grouped by cause with a few examples each.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from news_assets.facts import extract  # noqa: E402

CONVENTION_TAGS = ("zhe_cheng", "pct_points", "rolling_window")
KINDS = ("money", "percent", "date")


def num(x) -> Decimal:
    return Decimal(str(x)).normalize()


def plain(d: Decimal) -> str:
    return f"{d:f}"  # 10, not 1E+1


def found_items(ex, kind: str) -> list[dict]:
    """The extractor's items of one kind in one shape: text, span, value key."""
    if kind == "date":
        return [{"text": d.text, "start": d.start, "end": d.end,
                 "key": (d.start_date.isoformat(), d.end_date.isoformat())} for d in ex.dates]
    return [{"text": f.text, "start": f.start, "end": f.end, "value": num(f.value),
             "currency": f.currency, "key": (num(f.value), f.currency) if kind == "money" else num(f.value)}
            for f in ex.facts if f.kind == kind]


def expected_keys(kind: str, e: dict) -> set:
    if kind == "date":
        return {tuple(a) for a in e["alts"]} | {(e["start"], e["end"])}
    if kind == "money":
        return {(num(e["value"]), e["currency"])}
    return {num(e["value"])}


def overlaps(f: dict, text: str, span: str) -> bool:
    """Does found item f overlap the expected span (located in the case text)?"""
    i = text.find(span)
    if i < 0:
        return span in f["text"] or f["text"] in span
    return f["start"] < i + len(span) and i < f["end"]


def show_found(kind: str, f: dict) -> str:
    if kind == "date":
        return f"{f['text']}={f['key'][0]}..{f['key'][1]}"
    if kind == "money":
        return f"{f['text']}={plain(f['value'])} {f['currency']}"
    return f"{f['text']}={plain(f['value'])}"


def show_expected(kind: str, e: dict) -> str:
    if kind == "date":
        return f"{e['span']}={e['start']}..{e['end']}" + (f" (+{len(e['alts']) - 1} alts)" if len(e["alts"]) > 1 else "")
    if kind == "money":
        return f"{e['span']}={e['value']} {e['currency']}"
    return f"{e['span']}={e['value']}"


def cause(kind: str, e: dict, text: str, free: list[dict]) -> str:
    """Why an expected item was not matched."""
    near = [f for f in free if overlaps(f, text, e["span"])]
    if not near:
        return "not found"
    if kind == "money":
        if any(f["value"] == num(e["value"]) for f in near):
            return "wrong currency"
        return "wrong value"
    if kind == "date":
        f = near[0]
        if f["text"] != e["span"] and (f["text"] in e["span"] or e["span"] in f["text"]):
            return "wrong value (partial span)"
    return "wrong value"


def score_case(case: dict, ex) -> tuple[int, int, int, list]:
    """(tp, expected, found-in-exhaustive, failures[(cause, line)]) for one case."""
    kind, text = case["kind"], case["text"]
    found = found_items(ex, kind)
    free = list(found)
    tp = 0
    fails = []
    misses = []
    for e in case["expected"]:
        keys = expected_keys(kind, e)
        hit = next((f for f in free if f["key"] in keys), None)
        if hit is not None:
            free.remove(hit)
            tp += 1
        else:
            misses.append(e)
    for e in misses:
        c = cause(kind, e, text, free)
        got = ", ".join(show_found(kind, f) for f in free if overlaps(f, text, e["span"])) or "-"
        fails.append((c, f"{case['id']}  {text!r}  want {show_expected(kind, e)}  got {got}"))
    if case["exhaustive"]:
        for f in free:
            if not any(overlaps(f, text, e["span"]) for e in misses):
                fails.append(("spurious", f"{case['id']}  {text!r}  extra {show_found(kind, f)}"))
    return tp, len(case["expected"]), len(found) if case["exhaustive"] else 0, fails


def ratio(a: int, b: int) -> str:
    return f"{a / b:.3f}" if b else "  -  "


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "peer",
                    help="folder holding recognizers-text-zh.jsonl (default ../shared/peer)")
    ap.add_argument("--examples", type=int, default=5, help="failure examples printed per cause")
    ap.add_argument("--kind", choices=KINDS, help="score one kind only")
    ap.add_argument("--tag", help="score only the cases with this tag")
    a = ap.parse_args(argv)
    path = a.corpus / "recognizers-text-zh.jsonl" if a.corpus.is_dir() else a.corpus
    cases = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    cases = [c for c in cases if (not a.kind or c["kind"] == a.kind) and (not a.tag or a.tag in c["tags"])]

    # per group (kind, or kind/convention): tp, expected, tp-in-exhaustive, found-in-exhaustive
    tot: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    by_tag: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    fails: dict[tuple[str, str], list[str]] = defaultdict(list)
    for case in cases:
        ex = extract(case["text"], date.fromisoformat(case["ref"]))
        tp, n, nf, fl = score_case(case, ex)
        conv = [t for t in case["tags"] if t in CONVENTION_TAGS]
        group = case["kind"] + ("/" + conv[0] if conv else "")
        t = tot[group]
        t[0] += tp
        t[1] += n
        if case["exhaustive"]:
            t[2] += tp
            t[3] += nf
        if not conv:
            for tag in case["tags"] or ["(untagged)"]:
                by_tag[f"{case['kind']}/{tag}"][0] += tp
                by_tag[f"{case['kind']}/{tag}"][1] += n
        for c, line in fl:
            fails[(group, c)].append(line)

    print(f"peer suite: {path} ({len(cases)} cases)\n")
    print(f"{'group':<26}{'expected':>9}{'found':>7}{'recall':>8}{'precision*':>12}")
    for g in sorted(tot, key=lambda g: (g.count("/"), g)):
        tp, n, tpx, nfx = tot[g]
        print(f"{g:<26}{n:>9}{tp:>7}{ratio(tp, n):>8}{ratio(tpx, nfx):>12}")
    print("* precision over the exhaustive cases (every fact of the kind found there)")
    print("kind/convention rows: the peer's reading differs from ours (../shared/gold/SPEC.md); "
          "a found item there goes against our conventions\n")
    print("recall by tag (convention cases left out):")
    for k in sorted(by_tag):
        tp, n = by_tag[k]
        print(f"  {k:<30}{tp:>4}/{n:<4} {ratio(tp, n)}")

    print("\nfailures by cause:")
    for (g, c) in sorted(fails, key=lambda k: (k[0].count("/"), k[0], -len(fails[k]))):
        lines = fails[(g, c)]
        print(f"\n[{g}] {c}: {len(lines)}")
        for line in lines[:a.examples]:
            print("   ", line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
