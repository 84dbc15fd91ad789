"""Configured resources: where the warehouse lives and where pages come from. Nothing global."""

from __future__ import annotations

import dagster as dg
from pydantic import Field

from .execution import default_step_workers
from .lake import Lake, default_warehouse_dir
from .sources import SourceConfig, default_sources, load_sources


class WarehouseResource(dg.ConfigurableResource):
    """The warehouse directory: raw bytes, Parquet partitions and the DuckDB file."""

    root: str = Field(
        default_factory=default_warehouse_dir,
        description="Warehouse root (local path or fsspec URL). Defaults to $NEWS_WAREHOUSE_DIR or ./warehouse.",
    )
    workers: int = Field(default_factory=default_step_workers,
                         description="Processes used when a run covers several partitions "
                                     "(2 locally, 1 on a Celery worker).")

    def lake(self) -> Lake:
        return Lake(self.root)


class SourcesResource(dg.ConfigurableResource):
    """The sources file (YAML). None: $NEWS_SOURCES, else ./sources.yaml, else the bundled sample."""

    path: str | None = Field(default=None, description="Path of the sources YAML file.")
    bundled_sample: bool = Field(default=False, description="Ignore any sources file; read the bundled sample.")

    def load(self) -> list[SourceConfig]:
        return default_sources() if self.bundled_sample else load_sources(self.path)
