"""The assignment index: per source, page key -> {date, date_source, sha256, etag, last_modified, ...}.

Stored as immutable segments under ``_state/fetch/<source>/``, one small JSON file per save holding
only that save's records, merged in sequence order (a later record for a key replaces an earlier
one). One file rewritten whole on every save made a year's backfill quadratic: each day re-read and
re-wrote every page ever fetched (100k pages: a 20 MB file, twice a day). A save now writes what it
changed, and a run reads each segment once (RunCache), then only the segments new since.

The first assignment of a date wins for good: a save, under a per-machine lock on a local lake,
reads the latest segments and drops any record that would move an assigned page to another day, so
runs of different days in parallel processes never assign a page twice. On object storage there is
no lock (as before: one writer per source at a time is the deployment's contract); a segment is one
PUT, so a reader never sees half of it. The single file of earlier versions (``<source>.json``) is
still read, as the oldest segment.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from ..lake import Lake, file_lock
from .runcache import RunCache

log = logging.getLogger(__name__)

SEGMENT = re.compile(r"^(\d{9})-[0-9a-f]{8}\.json$")  # sequence number, then a token against collisions
LEGACY = ""  # the name the old single file takes in the merge: it sorts before every segment


@dataclass
class MergedState:
    """The records of the segments merged so far, and the keys of each date (a day asks for its own)."""

    names: tuple[str, ...] = ()
    records: dict[str, dict] = field(default_factory=dict)
    by_date: dict[str, dict[str, None]] = field(default_factory=dict)  # date -> keys, as an ordered set

    def add(self, segment: dict[str, dict]) -> None:
        for key, rec in segment.items():
            old = self.records.get(key)
            if old is not None and old.get("date") != rec.get("date"):
                self.by_date.get(old.get("date"), {}).pop(key, None)
            self.records[key] = rec
            if rec.get("date"):
                self.by_date.setdefault(rec["date"], {})[key] = None


class AssignmentIndex:
    def __init__(self, lake: Lake, source: str, cache: RunCache | None = None):
        self.lake = lake
        self._cache = cache if cache is not None else RunCache()
        self.safe = re.sub(r"[^A-Za-z0-9_.-]", "_", source)
        self.dir = lake.state_path("fetch", self.safe)
        self._state = self._read()
        self.updates: dict[str, dict] = {}

    @property
    def data(self) -> Mapping[str, dict]:
        """The saved records, merged (read-only: a save is how they change)."""
        return MappingProxyType(self._state.records)

    # ---- reading -------------------------------------------------------------------------------
    def _names(self) -> list[str]:
        try:
            if self.lake.is_local:
                names = os.listdir(self.dir.path)
            else:
                names = [p.name for p in self.dir.iterdir()] if self.dir.exists() else []
        except FileNotFoundError:
            names = []
        return sorted(n for n in names if SEGMENT.match(n))

    def _parts(self, name: str) -> tuple[str, ...]:
        """Where segment `name` lives under _state/ (LEGACY: the old single file beside the folder)."""
        return ("fetch", self.safe, name) if name else ("fetch", f"{self.safe}.json")

    def _segment(self, name: str) -> dict[str, dict]:
        """One segment's records, read once per run (segments never change once written)."""
        key = "/".join(self._parts(name))
        hit = self._cache.state_files.get(key)
        if hit is not None:
            return hit
        try:
            data = json.loads(self.lake.read_state(*self._parts(name)))
        except FileNotFoundError:
            data = {}
        except (OSError, ValueError):
            log.warning("fetch state %s unreadable; its records are ignored", key)
            data = {}
        self._cache.state_files[key] = data
        return data

    def _read(self) -> MergedState:
        """The merged index, extended in place by the segments written since this run last looked
        (the days of a run take turns, so no earlier view is still in use when it grows)."""
        names = [LEGACY, *self._names()]
        state = self._cache.state_merged.get(str(self.dir))
        if state is None or tuple(names[: len(state.names)]) != state.names:  # rewritten underneath
            state = self._cache.state_merged[str(self.dir)] = MergedState()
        for name in names[len(state.names):]:
            state.add(self._segment(name))
        state.names = tuple(names)
        return state

    def keys_on(self, day: str) -> Iterable[str]:
        """The keys of the pages assigned to `day`, in the order they were first so assigned."""
        return self._state.by_date.get(day, {}).keys()

    # ---- use -----------------------------------------------------------------------------------
    def get(self, key: str) -> dict | None:
        return self.updates.get(key) or self.data.get(key)

    def put(self, key: str, rec: dict) -> None:
        self.updates[key] = rec

    def claim(self, key: str, day: str) -> str:
        """The day the page belongs to: the recorded one, else this one (recorded on save)."""
        rec = self.get(key)
        return rec["date"] if rec and rec.get("date") else day

    # ---- saving --------------------------------------------------------------------------------
    def _locked(self):
        # the lock is per machine: enough for parallel runs against a local lake
        if self.lake.is_local:
            return file_lock(Path(self.dir.path + ".lock"))  # the lock file of earlier versions too
        return contextlib.nullcontext()

    def save(self) -> None:
        """Write this run's records as one new segment; a date someone else assigned first stands."""
        if not self.updates:
            return
        with self._locked():
            self._state = self._read()
            current = self._state.records
            keep = {}
            for key, rec in self.updates.items():
                old = current.get(key)
                if old and old.get("date") and old["date"] != rec.get("date"):
                    continue  # someone assigned it first: theirs stands
                keep[key] = rec
            if keep:
                last = self._state.names[-1]  # just listed by _read; LEGACY when there is no segment yet
                seq = int(SEGMENT.match(last).group(1)) + 1 if last else 1
                name = f"{seq:09d}-{secrets.token_hex(4)}.json"
                self.lake.write_bytes(self.dir / name, json.dumps(keep, ensure_ascii=False).encode())
                self._cache.state_files["/".join(self._parts(name))] = keep
            self._state, self.updates = self._read(), {}
