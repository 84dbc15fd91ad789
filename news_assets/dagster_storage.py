"""Dagster's SQLite event log with its connections kept open: the instance storage this project configures.

A range run (single-run backfill) records a few asset events per publish date, and Dagster's stock
`SqliteEventLogStorage` builds a new SQLAlchemy engine and opens and closes the database file for every
statement: ~14 ms per asset event, most of a partition's fixed cost in a year's backfill (issue 11).
This subclass changes only how it connects and what it plans, never what it stores:

- one engine per database file, its connection kept open (at most `MAX_OPEN_SHARDS` files, least
  recently used closed first; a forked child starts with none, as SQLite requires);
- `PRAGMA synchronous=NORMAL`: in WAL mode (which Dagster sets) a commit no longer waits for fsync; an
  application crash loses nothing, a power cut may lose the last events;
- the schema questions Dagster asks on every asset event (does the tags table exist? does the asset
  key table have its index columns?) answered once a "yes" is seen: stock opens a fresh engine per
  question; a migration only ever adds tables and columns, so a "yes" stays true;
- one "materialization planned" event per asset for a range run instead of one per partition. Dagster's
  own switch for this (DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS) documents the cost: when such a
  run fails, its partitions show as missing, not failed, in the UI (the run itself shows the failure);
- a range's materialisations (one per partition, written when the step returns) stored as one batch:
  the same statements, one transaction per database file instead of two commits per event. Dagster
  sends batches only when DAGSTER_EVENT_BATCH_SIZE is set, so this storage sets it (unless the
  environment already does); a batch that fails is rolled back whole and Dagster stores its events
  one by one.

`ProjectSqliteStorage` is Dagster's `storage: sqlite:` (runs, events, schedules under one base_dir) with
this event log; dagster.yaml and deploy/celery/dagster.yaml select it as `storage: custom:`, and
`overrides()` gives the same block for instances built in code (benchmarks, tests).
"""

from __future__ import annotations

import os
import threading
import weakref
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

from dagster._core.storage.event_log.sqlite.sqlite_event_log import (
    SQLITE_BUSY_TIMEOUT_SECONDS,
    SqliteEventLogStorage,
)
from dagster._core.storage.sqlite_storage import DagsterSqliteStorage
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import QueuePool

BATCH_ENV = "DAGSTER_EVENT_BATCH_SIZE"
EVENT_BATCH_SIZE = 1000  # events of one range output per transaction: a year's partitions in one
MAX_OPEN_SHARDS = 8  # the index plus the run shards in use; a webserver reading old runs closes the oldest
_LIVE: weakref.WeakSet = weakref.WeakSet()  # storages of this process, to forget their connections after fork


class PooledSqliteEventLogStorage(SqliteEventLogStorage):
    """SqliteEventLogStorage keeping one open connection per database file (see the module doc)."""

    def __init__(self, base_dir: str, inst_data=None):
        self._engines: OrderedDict[str, Engine] = OrderedDict()
        self._engines_lock = threading.Lock()
        self._schema_seen: set[tuple[str, str]] = set()  # ("table", name) / ("asset_key_col", name) found
        self._batch = threading.local()  # .conns: shard -> the open connection of this thread's batch
        super().__init__(base_dir, inst_data=inst_data)
        _LIVE.add(self)
        os.environ.setdefault(BATCH_ENV, str(EVENT_BATCH_SIZE))

    @classmethod
    def from_config_value(cls, inst_data, config_value):
        return cls(inst_data=inst_data, **config_value)

    @property
    def supports_partition_subset_in_asset_materialization_planned_events(self) -> bool:
        return True

    @contextmanager
    def _connect(self, shard: str) -> Iterator[Connection]:
        held = getattr(self._batch, "conns", None)
        if held is not None:  # inside this thread's batch, which holds the lock: its open transaction
            if shard not in held:
                held[shard] = self._batch.stack.enter_context(self._transaction(shard))
            yield held[shard]
            return
        with self._db_lock, self._transaction(shard) as conn:
            yield conn

    @contextmanager
    def _transaction(self, shard: str) -> Iterator[Connection]:
        engine = self._engine(shard)
        if shard not in self._initialized_dbs:
            self._initdb(engine)
            self._initialized_dbs.add(shard)
        with engine.connect() as conn, conn.begin():
            yield conn

    def store_event_batch(self, events) -> None:
        """The events stored as store_event stores each, in one transaction per database file."""
        if getattr(self._batch, "conns", None) is not None:  # already in one (not expected): just add
            for e in events:
                self.store_event(e)
            return
        with self._db_lock, ExitStack() as stack:
            self._batch.conns, self._batch.stack = {}, stack
            try:
                for e in events:
                    self.store_event(e)
            finally:  # the stack then commits (or, on an error, rolls back) every shard's transaction
                self._batch.conns = None

    def has_table(self, table_name: str) -> bool:
        if ("table", table_name) in self._schema_seen:
            return True
        # stock asks on its own fresh engine: the pooled index connection may be held by the caller
        found = super().has_table(table_name)
        if found:
            self._schema_seen.add(("table", table_name))
        return found

    def _has_asset_key_col_on_connection(self, conn: Connection, column_name: str) -> bool:
        if ("asset_key_col", column_name) in self._schema_seen:
            return True
        found = super()._has_asset_key_col_on_connection(conn, column_name)
        if found:
            self._schema_seen.add(("asset_key_col", column_name))
        return found

    def _engine(self, shard: str) -> Engine:
        with self._engines_lock:
            engine = self._engines.pop(shard, None) or _open(self.conn_string_for_shard(shard))
            self._engines[shard] = engine  # most recently used last
            while len(self._engines) > MAX_OPEN_SHARDS:
                self._engines.popitem(last=False)[1].dispose()
            return engine

    def close_connections(self) -> None:
        with self._engines_lock:
            for engine in self._engines.values():
                engine.dispose()
            self._engines.clear()

    def wipe(self) -> None:
        self.close_connections()  # the files are deleted: no connection may keep them
        super().wipe()

    def dispose(self) -> None:
        self.close_connections()
        super().dispose()


def _open(conn_string: str) -> Engine:
    engine = create_engine(conn_string, poolclass=QueuePool, pool_size=1, max_overflow=4,
                           connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS, "check_same_thread": False})
    event.listen(engine, "connect", _no_fsync_per_commit)
    return engine


def _no_fsync_per_commit(dbapi_conn, _record) -> None:
    dbapi_conn.execute("PRAGMA synchronous=NORMAL")


def _forget_after_fork() -> None:
    # a SQLite connection must not be used on both sides of a fork: the child drops its copies unclosed,
    # and takes fresh locks (another thread of the parent may have held them at the fork)
    for storage in list(_LIVE):
        for engine in storage._engines.values():
            engine.dispose(close=False)
        storage._engines, storage._engines_lock = OrderedDict(), threading.Lock()


os.register_at_fork(after_in_child=_forget_after_fork)


class ProjectSqliteStorage(DagsterSqliteStorage):
    """Dagster's SQLite storage (runs, events, schedules under base_dir) with the pooled event log."""

    def __init__(self, base_dir: str, inst_data=None):
        super().__init__(base_dir, inst_data=inst_data)
        self._event_log_storage = PooledSqliteEventLogStorage(os.path.join(base_dir, "history", "runs"))

    @classmethod
    def from_config_value(cls, inst_data, config_value):
        return cls.from_local(inst_data=inst_data, **config_value)


def overrides(base_dir: str) -> dict:
    """The dagster.yaml block selecting this storage, for `dg.instance_for_test(overrides=...)`."""
    return {"storage": {"custom": {"module": __name__, "class": ProjectSqliteStorage.__name__,
                                   "config": {"base_dir": base_dir}}}}
