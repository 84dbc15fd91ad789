"""dbt_like_sql/ as Dagster assets: one asset per model (key duckdb/<model>), one check per YAML test.

All models are built together into a fresh DuckDB file that is swapped in at the end (see
news_assets.sqlproject), inside the `duckdb_writer` concurrency pool: the project's dagster.yaml gives
every pool a limit of 1 (`concurrency: pools: default_limit: 1`), so one build writes at a time, and the
build also holds a file lock, so two writers outside Dagster (CLI, benchmark) queue instead of racing.
"""

import hashlib

import dagster as dg

from .resources import WarehouseResource
from .sqlproject import SqlProject, ident

GROUP = "warehouse"
POOL = "duckdb_writer"


def ensure_pool_limit(instance: dg.DagsterInstance, limit: int = 1) -> bool:
    """Give the duckdb_writer pool a limit when the instance has none for it (no dagster.yaml default,
    nothing set by hand); returns True when it set one. A limit someone chose is left alone."""
    info = instance.event_log_storage.get_concurrency_info(POOL)
    if info.limit is not None or not info.using_default_limit:
        return False
    instance.event_log_storage.set_concurrency_slots(POOL, limit)
    return True


def model_key(name: str) -> dg.AssetKey:
    return dg.AssetKey(["duckdb", name])


def _code_version(project: SqlProject, name: str) -> str:
    """Changes when the model's SQL, or the SQL (or seed) of anything it refs, changes."""
    h = hashlib.sha256()
    seen: set[str] = set()

    def add(n: str) -> None:
        if n in seen:
            return
        seen.add(n)
        if n in project.seeds:
            h.update(project.seeds[n].path.read_bytes())
            return
        h.update(project.models[n].sql.encode("utf-8"))
        for r in project.models[n].refs:
            add(r)

    add(name)
    return h.hexdigest()[:12]


PREVIEW_ROWS, PREVIEW_WIDTH = 5, 60


def _previews(path, names: list[str]) -> dict[str, dg.MetadataValue]:
    """The first rows of every model as a table the UI shows on the asset page (values as text where
    the UI has no type for them, long text cut)."""
    import duckdb

    def cell(v):
        if v is None or isinstance(v, bool | int | float):
            return v
        s = str(v).replace("\n", " ")
        return s if len(s) <= PREVIEW_WIDTH else s[: PREVIEW_WIDTH - 1] + "…"

    out = {}
    con = duckdb.connect(str(path), read_only=True)
    try:
        for name in names:
            cur = con.execute(f"SELECT * FROM {ident(name)} LIMIT ?", [PREVIEW_ROWS])
            cols = [d[0] for d in cur.description]
            rows = [dg.TableRecord({c: cell(v) for c, v in zip(cols, r, strict=True)}) for r in cur.fetchall()]
            out[name] = dg.MetadataValue.table(rows, dg.TableSchema(columns=[dg.TableColumn(c) for c in cols]))
    finally:
        con.close()
    return out


def build_sql_assets(project: SqlProject | None = None) -> dg.AssetsDefinition:
    project = project or SqlProject()
    specs, checks = [], []
    for name in project.order:
        m = project.models[name]
        deps = [model_key(r) for r in m.refs if r in project.models]  # seeds: in the code_version
        deps += sorted({dg.AssetKey(project.sources[s].asset_key) for s in m.sources}, key=str)
        columns = [dg.TableColumn(c, description=d or None) for c, d in m.columns.items()]
        specs.append(
            dg.AssetSpec(
                model_key(name),
                deps=deps,
                description=m.description or f"SQL model {m.path.name}",
                group_name=GROUP,
                kinds={"duckdb", "sql"},
                code_version=_code_version(project, name),
                metadata={
                    "dagster/table_name": f"news.main.{name}",
                    "sql_file": str(m.path.relative_to(project.root)),
                    "materialized": m.materialized,
                    **({"dagster/column_schema": dg.TableSchema(columns=columns)} if columns else {}),
                },
            )
        )
        for t in m.tests:
            what = t.description or (f"{t.kind} on {name}.{t.column}" if t.column else f"{t.kind} on {name}")
            checks.append(dg.AssetCheckSpec(t.name, asset=model_key(name), description=f"{what} ({t.severity})"))

    @dg.multi_asset(specs=specs, check_specs=checks, name="duckdb_warehouse", pool=POOL, can_subset=False)
    def duckdb_warehouse(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
        result = project.build(warehouse.lake())
        context.log.info(f"built {len(result.row_counts)} models into {result.path} in {result.seconds:.2f}s "
                         f"({result.mode})")
        previews = _previews(result.path, project.order)
        for name in project.order:
            docs = project.models[name].columns
            typed = dg.TableSchema(columns=[dg.TableColumn(c, ty.lower(), description=docs.get(c) or None)
                                            for c, ty in result.column_types.get(name, [])])
            yield dg.MaterializeResult(
                asset_key=model_key(name),
                metadata={"dagster/row_count": result.row_counts[name], "database": str(result.path),
                          "build_seconds": round(result.seconds, 3), "build_mode": result.mode,
                          "preview": previews[name],
                          # the definition's documented columns, now with the types DuckDB gave them
                          **({"dagster/column_schema": typed} if typed.columns else {})},
            )
        for tr in result.tests:
            yield dg.AssetCheckResult(
                asset_key=model_key(tr.model),
                check_name=tr.test.name,
                passed=tr.passed,
                severity=dg.AssetCheckSeverity.WARN if tr.test.severity == "warn" else dg.AssetCheckSeverity.ERROR,
                metadata={"failing_rows": tr.failures, **({"error": tr.error} if tr.error else {})},
            )

    return duckdb_warehouse
