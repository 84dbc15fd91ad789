"""The assignment index (sources/assignments.py): segments per save, first date wins, legacy file read."""

from __future__ import annotations

import json
import multiprocessing
import os

from news_assets.lake import Lake
from news_assets.sources.assignments import AssignmentIndex
from news_assets.sources.runcache import RunCache


def rec(day: str, **kw) -> dict:
    return {"url": kw.pop("url", "http://example.com/a"), "date": day, "date_source": "listing", **kw}


def segments(lake: Lake, source: str = "site") -> list[str]:
    return sorted(n for n in os.listdir(lake.state_path("fetch", source).path) if n.endswith(".json"))


def test_a_save_writes_only_its_own_records(tmp_path):
    lake = Lake(tmp_path)
    base = AssignmentIndex(lake, "site")
    for i in range(200):
        base.put(f"k{i}", rec("2024-01-01", url=f"http://example.com/{i}"))
    base.save()
    for day in ("2024-01-02", "2024-01-03"):
        idx = AssignmentIndex(lake, "site")
        idx.put(f"new-{day}", rec(day))
        idx.save()
    names = segments(lake)
    assert len(names) == 3 and names[0].startswith("000000001-") and names[2].startswith("000000003-")
    last = json.loads(lake.state_path("fetch", "site", names[2]).read_text(encoding="utf-8"))
    assert list(last) == ["new-2024-01-03"]  # not the 201 records before it
    fresh = AssignmentIndex(lake, "site")
    assert len(fresh.data) == 202 and fresh.get("k7")["date"] == "2024-01-01"
    assert fresh.claim("new-2024-01-02", "2024-01-09") == "2024-01-02"
    assert fresh.claim("unknown", "2024-01-09") == "2024-01-09"
    assert list(fresh.keys_on("2024-01-02")) == ["new-2024-01-02"] and len(list(fresh.keys_on("2024-01-01"))) == 200


def test_keys_of_a_day_follow_a_page_that_gets_its_date_later(tmp_path):
    lake, cache = Lake(tmp_path), RunCache()
    idx = AssignmentIndex(lake, "site", cache)
    idx.put("k", {"url": "http://example.com/k", "date": None, "date_source": None})
    idx.save()
    assert list(idx.keys_on("2024-05-01")) == []
    later = AssignmentIndex(lake, "site", cache)
    later.put("k", rec("2024-05-01"))
    later.save()
    assert list(later.keys_on("2024-05-01")) == ["k"] and list(AssignmentIndex(lake, "site").keys_on("2024-05-01")) == ["k"]


def test_the_first_date_wins_and_a_later_record_of_the_same_date_replaces(tmp_path):
    lake = Lake(tmp_path)
    first, second = AssignmentIndex(lake, "site", RunCache()), AssignmentIndex(lake, "site", RunCache())
    first.put("k", rec("2024-03-01", etag="a"))
    second.put("k", rec("2024-03-02", etag="b"))  # another process, its view taken before first saved
    second.put("other", rec("2024-03-02"))
    first.save()
    second.save()
    assert second.get("k")["date"] == "2024-03-01" and second.get("other")["date"] == "2024-03-02"
    again = AssignmentIndex(lake, "site")
    again.put("k", rec("2024-03-01", etag="c"))  # same day, new validators: recorded
    again.save()
    assert AssignmentIndex(lake, "site").get("k")["etag"] == "c"


def test_the_single_file_of_earlier_versions_is_read_and_left_alone(tmp_path):
    lake = Lake(tmp_path)
    legacy = lake.state_path("fetch", "my.site.json")
    lake.write_bytes(legacy, json.dumps({"old": rec("2023-12-31", etag="x")}).encode())
    idx = AssignmentIndex(lake, "my.site")
    assert idx.get("old")["etag"] == "x"
    idx.put("old", rec("2024-01-05"))  # would move it: refused
    idx.put("new", rec("2024-01-05"))
    idx.save()
    assert json.loads(legacy.read_text(encoding="utf-8")) == {"old": rec("2023-12-31", etag="x")}
    fresh = AssignmentIndex(lake, "my.site")
    assert fresh.get("old")["date"] == "2023-12-31" and fresh.get("new")["date"] == "2024-01-05"


def test_a_run_reads_each_segment_once(tmp_path):
    lake = Lake(tmp_path)
    cache = RunCache()
    idx = AssignmentIndex(lake, "site", cache)
    idx.put("k", rec("2024-02-01"))
    idx.save()
    seg = lake.state_path("fetch", "site", segments(lake)[0])
    seg.write_text("{not json", encoding="utf-8")  # changed underneath: this run keeps what it read
    assert AssignmentIndex(lake, "site", cache).get("k")["date"] == "2024-02-01"
    assert AssignmentIndex(lake, "site").get("k") is None  # a new run reads it, warns, ignores it


def _claim(root: str, day: str, keys: list[str], out) -> None:
    idx = AssignmentIndex(Lake(root), "site")
    for k in keys:  # one save per key: many interleavings with the other process
        idx.put(k, rec(day))
        idx.save()
    out.put({k: idx.get(k)["date"] for k in keys})


def test_parallel_processes_never_assign_a_page_twice(tmp_path):
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    keys = [f"k{i}" for i in range(40)]
    procs = [ctx.Process(target=_claim, args=(str(tmp_path), day, ks, out))
             for day, ks in (("2024-04-01", keys[:30]), ("2024-04-02", keys[10:]))]
    for p in procs:
        p.start()
    try:
        seen = [out.get(timeout=60), out.get(timeout=60)]
    finally:
        for p in procs:
            p.join(timeout=10)
            if p.is_alive():
                p.kill()
    final = AssignmentIndex(Lake(tmp_path), "site")
    assert sorted(final.data) == sorted(keys)
    for view in seen:  # what each process was told after its save is what stands
        assert all(final.get(k)["date"] == d for k, d in view.items())
    assert {final.get(k)["date"] for k in keys[:10]} == {"2024-04-01"}
    assert {final.get(k)["date"] for k in keys[30:]} == {"2024-04-02"}
