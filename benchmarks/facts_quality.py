#!/usr/bin/env python
"""Precision / recall of news_assets.facts against hand labels (../shared/gold/dev.jsonl by default).

    python benchmarks/facts_quality.py [--gold PATH] [--verbose]

Prints the whole set, then the pages whose id starts with each --group prefix (default "cwced:") apart.
A page without a publish date, or with only a month ("1998-03"), is extracted against a stand-in date
(the first of its month, else 2000-01-01); its date items that depend on the publish date (no four-digit
year written in them, or ending on the stand-in date: 从1961年起) are left out on both sides and counted, and its money periods are scored only
when the labelled period is one such absolute date.

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
import re
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


_ABS_YEAR = re.compile(r"\d{4}|[〇零○一二三四五六七八九]{4}|世纪")
FALLBACK_DAY = date(2000, 1, 1)


def _relative(text: str, end: str, pub: date) -> bool:
    """Whether a date item of an undated page depends on the stand-in publish date."""
    return not _ABS_YEAR.search(text) or end == pub.isoformat()


def publish_day(pt: str | None) -> tuple[date, bool]:
    """(date to extract against, whether the page states a full day)."""
    if pt and len(pt) >= 10:
        return date.fromisoformat(pt[:10]), True
    if pt and len(pt) == 7:
        return date.fromisoformat(pt + "-01"), False
    return FALLBACK_DAY, False


class Score:
    """Totals of one group of pages."""

    def __init__(self, name: str):
        self.name = name
        self.pages = 0
        self.totals = {k: [0, 0, 0] for k in ("money", "percent", "dates", "regions")}  # tp, gold, found
        self.change_ok = self.change_n = 0
        self.period_ok = self.region_ok = self.linked_n = 0
        self.period_n = 0
        self.dates_left_out = 0
        self.undated_pages = 0

    def report(self) -> None:
        print(f"== {self.name}: {self.pages} pages ({self.undated_pages} without a full publish date; "
              f"{self.dates_left_out} relative date items of theirs left out)")
        print(f"{'kind':<10}{'gold':>6}{'found':>7}{'match':>7}{'precision':>11}{'recall':>8}{'F1':>7}")
        for k, (tp, ng, nf) in self.totals.items():
            p = tp / nf if nf else 1.0
            r = tp / ng if ng else 1.0
            f1 = 2 * p * r / (p + r) if p + r else 0.0
            print(f"{k:<10}{ng:>6}{nf:>7}{tp:>7}{p:>11.3f}{r:>8.3f}{f1:>7.3f}")
        print(f"percent direction right: {self.change_ok}/{self.change_n} = {self.change_ok / max(self.change_n, 1):.3f}")
        print(f"money linking (matched money facts: {self.linked_n}):")
        print(f"  period right: {self.period_ok}/{self.period_n} = {self.period_ok / max(self.period_n, 1):.3f}")
        print(f"  region right: {self.region_ok}/{self.linked_n} = {self.region_ok / max(self.linked_n, 1):.3f}")
        print()


def score_page(item: dict, body: str, scores: list[Score], verbose: bool, link_errors: list) -> None:
    pub, dated = publish_day(item.get("publish_time"))
    ex = extract(body, pub)
    money = [f for f in ex.facts if f.kind == "money"]
    pct = [f for f in ex.facts if f.kind == "percent"]
    gold_dates = item.get("dates", [])
    found_dates = ex.dates
    left_out = 0
    if not dated:
        # a since form (从1961年起) ends on the publish date, so it depends on it even with a year written
        left_out = sum(1 for d in gold_dates if _relative(d["text"], d["end"], pub))
        gold_dates = [d for d in gold_dates if not _relative(d["text"], d["end"], pub)]
        found_dates = [d for d in found_dates if not _relative(d.text, d.end_date.isoformat(), pub)]
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
            [(d["text"], d["start"], d["end"]) for d in gold_dates],
            [(d.text, d.start_date.isoformat(), d.end_date.isoformat()) for d in found_dates],
        ),
        "regions": (
            [(r["text"], r["code"]) for r in item.get("regions", [])],
            [(r.text, r.code) for r in ex.regions if r.level in ("province", "prefecture", "county")],
        ),
    }
    for sc in scores:
        sc.pages += 1
        sc.undated_pages += not dated
        sc.dates_left_out += left_out
    for k, (g, f) in keys.items():
        tp, missed, spurious = match(g, f)
        for sc in scores:
            sc.totals[k][0] += tp
            sc.totals[k][1] += len(g)
            sc.totals[k][2] += len(f)
        if verbose and (missed or spurious):
            print(f"[{item['id']}] {k}: missed {missed} spurious {spurious}")
    # percent direction on matched items (in order of appearance)
    used = set()
    for p in item.get("percent", []):
        for i, f in enumerate(pct):
            if i not in used and f.text == p["text"] and num(f.value) == num(p["value"]):
                used.add(i)
                for sc in scores:
                    sc.change_n += 1
                    sc.change_ok += f.change == p.get("change")
                if verbose and f.change != p.get("change"):
                    print(f"[{item['id']}] change {p['text']}: gold {p.get('change')} got {f.change}")
                break
    # linking of matched money
    used = set()
    for m in item.get("money", []):
        for i, f in enumerate(money):
            if i in used or f.text != m["text"] or num(f.value) != num(m["value"]):
                continue
            used.add(i)
            gp = m.get("period")
            stated = f.period_source in ("sentence", "context")
            got_p = {"start": f.period_start and f.period_start.isoformat(),
                     "end": f.period_end and f.period_end.isoformat()} if stated else None
            p_ok = (gp is None and got_p is None) or (gp is not None and got_p == {"start": gp["start"], "end": gp["end"]})
            # an undated page: its relative periods cannot be resolved, so only absolute ones count
            p_scored = dated or gp is None or bool(_ABS_YEAR.search(f.sentence))
            got_r = f.region_code if f.region_source in ("sentence", "context") else None
            r_ok = got_r == m.get("region")
            for sc in scores:
                sc.linked_n += 1
                sc.period_n += p_scored
                sc.period_ok += p_ok and p_scored
                sc.region_ok += r_ok
            if not ((p_ok or not p_scored) and r_ok):
                link_errors.append((item["id"], m["text"], gp, got_p, m.get("region"), got_r))
            break


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, default=ROOT.parent / "shared" / "gold" / "dev.jsonl")
    ap.add_argument("--group", action="append", default=None,
                    help="also score the pages whose id starts with this prefix apart (default: cwced:)")
    ap.add_argument("--verbose", "-v", action="store_true", help="print misses and spurious items per page")
    a = ap.parse_args(argv)
    groups = a.group or ["cwced:"]
    cache: dict = {}
    whole = Score(f"all pages of {a.gold.name}")
    parts = {g: Score(f"pages {g}*") for g in groups}
    link_errors: list = []
    for line in a.gold.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        body = load_body(a.gold, item, cache)
        scores = [whole] + [sc for g, sc in parts.items() if item["id"].startswith(g)]
        score_page(item, body, scores, a.verbose, link_errors)
    whole.report()
    for sc in parts.values():
        sc.report()
    if a.verbose:
        for e in link_errors:
            print("  link error:", e)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
