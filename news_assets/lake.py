"""The warehouse directory: raw bytes by sha256, one Parquet file per asset and partition.

Writes go to a temporary name and are renamed into place, so a re-run replaces a partition whole
and parallel runs never see half a file. Paths go through UPath so the same code can point at
object storage (where a single PUT is already atomic).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import io
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import polars as pl
from upath import UPath

WAREHOUSE_ENV = "NEWS_WAREHOUSE_DIR"
DEFAULT_WAREHOUSE = "warehouse"


@contextlib.contextmanager
def file_lock(path: os.PathLike[str] | str) -> Iterator[None]:
    """An exclusive advisory lock on `path` (created if missing) across processes on this machine."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+b") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def default_warehouse_dir() -> str:
    return os.environ.get(WAREHOUSE_ENV) or DEFAULT_WAREHOUSE


class Lake:
    """Everything the partitioned stages read and write lives under one root."""

    def __init__(self, root: str | os.PathLike[str] | UPath):
        self.root = UPath(root)
        self.is_local = self.root.protocol in ("", "file", "local")
        self._dirs: set[str] = set()  # local directories known to exist

    # ---- raw HTML, content-addressed -------------------------------------------------------
    def raw_path(self, sha256: str) -> UPath:
        return self.root / "raw" / "sha256" / sha256[:2] / sha256

    def _local_raw(self, sha256: str) -> str:
        return os.path.join(self.root.path, "raw", "sha256", sha256[:2], sha256)

    def has_raw(self, sha256: str) -> bool:
        if self.is_local:  # plain os calls: a fetch run asks this once per page
            return os.path.exists(self._local_raw(sha256))
        return self.raw_path(sha256).exists()

    def put_raw(self, data: bytes) -> str:
        sha = hashlib.sha256(data).hexdigest()
        if self.is_local:
            target = self._local_raw(sha)
            if not os.path.exists(target):  # same bytes, same name: storing twice is a no-op
                self._write_local(target, data)
        else:
            path = self.raw_path(sha)
            if not path.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
        return sha

    def get_raw(self, sha256: str) -> bytes:
        return self.raw_path(sha256).read_bytes()

    # ---- partitioned tables ----------------------------------------------------------------
    def partition_path(self, table: str, publish_date: str) -> UPath:
        return self.root / table / f"publish_date={publish_date}" / "part.parquet"

    def write_partition(self, table: str, publish_date: str, df: pl.DataFrame) -> UPath:
        path = self.partition_path(table, publish_date)
        buf = io.BytesIO()
        df.write_parquet(buf, compression="zstd", statistics=True)
        self.write_bytes(path, buf.getvalue())
        return path

    def read_partition(self, table: str, publish_date: str) -> pl.DataFrame | None:
        path = self.partition_path(table, publish_date)
        if not path.exists():
            return None
        return pl.read_parquet(io.BytesIO(path.read_bytes()))

    def partition_files(self, table: str) -> list[str]:
        """Every partition file of a table, as paths DuckDB can read."""
        base = self.root / table
        if not base.exists():
            return []
        files = sorted(str(p) for p in base.glob("publish_date=*/part.parquet"))
        return files

    @property
    def duckdb_path(self) -> Path:
        if not self.is_local:
            raise ValueError("the DuckDB file must live on a local disk; set a local warehouse root")
        return Path(self.root.path) / "news.duckdb"

    def state_path(self, *parts: str) -> UPath:
        return self.root.joinpath("_state", *parts)

    # ---- helpers ---------------------------------------------------------------------------
    def _write_local(self, target: str, data: bytes) -> None:
        parent, name = os.path.split(target)
        if parent not in self._dirs:
            os.makedirs(parent, exist_ok=True)
            self._dirs.add(parent)
        tmp = os.path.join(parent, f".{name}.{uuid.uuid4().hex}.tmp")
        with open(tmp, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)  # atomic on POSIX: readers see the old file or the new one

    def write_bytes(self, path: UPath, data: bytes) -> None:
        if self.is_local:
            self._write_local(path.path, data)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
