"""The warehouse directory: raw bytes by sha256, one Parquet file per asset and partition.

Writes go to a temporary name and are renamed into place, so a re-run replaces a partition whole
and parallel runs never see half a file. Paths go through UPath so the same code points at object
storage (`s3://bucket/prefix`, endpoint and keys from the usual AWS_* variables): there every object
is written with one PUT, which S3 makes visible whole or not at all, so no temp name is needed.
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
DATABASE_ENV = "NEWS_WAREHOUSE_DB"  # the DuckDB file; defaults to <root>/news.duckdb for a local lake
S3_PROTOCOLS = ("s3", "s3a")
DUCKDB_IO_ENV = "NEWS_LAKE_DUCKDB_IO"  # how DuckDB reads an object-storage lake: auto | httpfs | fsspec


class LakeReadError(RuntimeError):
    """A lake partition exists but cannot be read (truncated, not Parquet, unreachable)."""


def storage_options(root: str) -> dict:
    """fsspec options for an object-storage root, from the AWS_* variables every S3 client reads.

    botocore reads AWS_ENDPOINT_URL itself in recent releases; passing it keeps older ones (and
    MinIO, Ceph, R2 endpoints) working the same way.
    """
    if root.split("://", 1)[0] not in S3_PROTOCOLS or "://" not in root:
        return {}
    # No cached listings: a long-lived worker would otherwise open objects other workers have since
    # replaced with the ETag it listed earlier, and S3 answers 412 Precondition Failed.
    opts: dict = {"use_listings_cache": False}
    endpoint = os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL")
    if endpoint:
        opts["endpoint_url"] = endpoint
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
    if region:
        opts["client_kwargs"] = {"region_name": region}
    return opts


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


def _s3_secret_sql() -> str:
    """CREATE SECRET for httpfs from the AWS_* variables. DDL takes no bound parameters, so the
    values (from the environment, never from queries) are quoted as SQL string literals."""
    def lit(v: str) -> str:
        return "'" + v.replace("'", "''") + "'"

    fields = {"KEY_ID": os.environ.get("AWS_ACCESS_KEY_ID"), "SECRET": os.environ.get("AWS_SECRET_ACCESS_KEY"),
              "SESSION_TOKEN": os.environ.get("AWS_SESSION_TOKEN"),
              "REGION": os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")}
    endpoint = os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL")
    parts = ["TYPE s3"] + [f"{k} {lit(v)}" for k, v in fields.items() if v]
    if endpoint:
        scheme, _, host = endpoint.partition("://")
        parts += [f"ENDPOINT {lit(host.rstrip('/'))}", "URL_STYLE 'path'", f"USE_SSL {str(scheme == 'https').lower()}"]
    return f"CREATE OR REPLACE SECRET news_lake ({', '.join(parts)})"


class Lake:
    """Everything the partitioned stages read and write lives under one root."""

    def __init__(self, root: str | os.PathLike[str] | UPath):
        self.root = root if isinstance(root, UPath) else UPath(root, **storage_options(str(root)))
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
        if self.is_local:  # plain os calls: the articles stage reads every page once
            return self._read_local(self._local_raw(sha256))
        return self.raw_path(sha256).read_bytes()

    def read_state(self, *parts: str) -> bytes:
        """A file under _state/ (raises FileNotFoundError when absent)."""
        if self.is_local:
            return self._read_local(os.path.join(self.root.path, "_state", *parts))
        return self.state_path(*parts).read_bytes()

    # ---- partitioned tables ----------------------------------------------------------------
    def partition_path(self, table: str, publish_date: str) -> UPath:
        return self.root / table / f"publish_date={publish_date}" / "part.parquet"

    def write_partition(self, table: str, publish_date: str, df: pl.DataFrame) -> UPath:
        path = self.partition_path(table, publish_date)
        buf = io.BytesIO()
        df.write_parquet(buf, compression="zstd", statistics=True)
        self.write_bytes(path, buf.getvalue())
        return path

    def read_partition(self, table: str, publish_date: str, columns: list[str] | None = None,
                       n_rows: int | None = None) -> pl.DataFrame | None:
        """One partition (only `columns`, only the first `n_rows` when given), or None when it was
        never written. A file that is there but unreadable raises LakeReadError naming the table,
        the day, the file and the remedy."""
        path = self.partition_path(table, publish_date)
        try:
            # one plain GET (cat_file): no If-Match on an ETag that a concurrent re-run may have changed
            data = self._read_local(path.path) if self.is_local else path.fs.cat_file(path.path)
        except FileNotFoundError:
            return None
        except OSError as e:
            raise self._read_error(table, publish_date, path, e) from e
        try:
            if columns is not None:  # a file older than a column reads without it, as a whole read would
                have = pl.read_parquet_schema(io.BytesIO(data))
                columns = [c for c in columns if c in have]
            return pl.read_parquet(io.BytesIO(data), columns=columns, n_rows=n_rows)
        except Exception as e:  # polars raises ComputeError / OSError / PanicException for bad files
            raise self._read_error(table, publish_date, path, e) from e

    @staticmethod
    def _read_local(path: str) -> bytes:
        with open(path, "rb") as fh:
            return fh.read()

    @staticmethod
    def _read_error(table: str, day: str, path: UPath, e: BaseException) -> LakeReadError:
        return LakeReadError(
            f"lake table {table!r}, publish date {day}: cannot read {path} ({type(e).__name__}: {e}). "
            f"The file is damaged or was cut short; re-materialise the {table!r} partition {day} "
            f"(e.g. `dagster asset materialize --select <asset> --partition {day}`) to write it again."
        )

    def partition_files(self, table: str) -> list[str]:
        """Every partition file of a table, as paths DuckDB can read (s3://... on object storage)."""
        base = self.root / table
        if not self.is_local:
            # another process (a Celery worker) may have written partitions since this one last listed
            base.fs.invalidate_cache(base.path)
        if not base.exists():
            return []
        if self.is_local:
            return sorted(str(p) for p in base.glob("publish_date=*/part.parquet"))
        proto = self.root.protocol
        return sorted(f"{proto}://{p}" for p in base.fs.glob(f"{base.path}/publish_date=*/part.parquet"))

    @property
    def duckdb_path(self) -> Path:
        """The analyst's DuckDB file: always on a local disk, even when the lake is on object storage
        ($NEWS_WAREHOUSE_DB, else <root>/news.duckdb locally, else ./warehouse/news.duckdb)."""
        env = os.environ.get(DATABASE_ENV)
        if env:
            return Path(env)
        if self.is_local:
            return Path(self.root.path) / "news.duckdb"
        return Path(DEFAULT_WAREHOUSE) / "news.duckdb"

    def partition_fingerprints(self, table: str) -> dict[str, str]:
        """partition file -> a fingerprint that changes whenever the file is rewritten. On object
        storage one listing gives every object's size and ETag (no request per file)."""
        if self.is_local:
            out = {}
            for f in self.partition_files(table):
                st = os.stat(f)
                out[f] = f"{st.st_size}:{st.st_mtime_ns}:{st.st_ino}"
            return out
        base = self.root / table
        base.fs.invalidate_cache(base.path)
        if not base.exists():
            return {}
        found = base.fs.glob(f"{base.path}/publish_date=*/part.parquet", detail=True)
        proto = self.root.protocol
        return {f"{proto}://{k}": f"{v.get('size')}:{v.get('ETag') or v.get('etag') or v.get('LastModified')}"
                for k, v in sorted(found.items())}

    def prepare_duckdb(self, con) -> str:
        """Let a DuckDB connection read this lake's files; returns how: local, httpfs or fsspec.

        httpfs is DuckDB's own S3 reader (faster), used when the extension loads; where extensions
        cannot be installed the lake's fsspec filesystem is registered on the connection instead.
        $NEWS_LAKE_DUCKDB_IO forces one (httpfs | fsspec).
        """
        if self.is_local:
            return "local"
        import duckdb

        mode = os.environ.get(DUCKDB_IO_ENV, "auto").strip().lower() or "auto"
        if mode not in ("auto", "httpfs", "fsspec"):
            raise ValueError(f"{DUCKDB_IO_ENV} must be auto, httpfs or fsspec, not {mode!r}")
        if mode in ("auto", "httpfs"):
            try:
                con.load_extension("httpfs")
            except duckdb.Error:
                if mode == "httpfs":
                    raise
            else:
                con.execute(_s3_secret_sql())
                return "httpfs"
        con.register_filesystem(self.root.fs)
        return "fsspec"

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
