"""dbt_like_sql/ as Dagster assets: one asset per model (key duckdb/<model>), one check per YAML test.

All models are built together into a fresh DuckDB file that is swapped in at the end (see
news_assets.sqlproject), inside the `duckdb_writer` concurrency pool so one build runs at a time.
"""


import dagster as dg

from .resources import WarehouseResource
from .sqlproject import LAKE_TABLES, SqlProject

GROUP = "warehouse"
POOL = "duckdb_writer"


def model_key(name: str) -> dg.AssetKey:
    return dg.AssetKey(["duckdb", name])


def build_sql_assets(project: SqlProject | None = None) -> dg.AssetsDefinition:
    project = project or SqlProject()
    specs, checks = [], []
    for name in project.order:
        m = project.models[name]
        deps = [model_key(r) for r in m.refs]
        deps += sorted({dg.AssetKey(LAKE_TABLES[t][1]) for s, t in m.sources if s == "lake"}, key=str)
        columns = [dg.TableColumn(c, description=d or None) for c, d in m.columns.items()]
        specs.append(
            dg.AssetSpec(
                model_key(name),
                deps=deps,
                description=m.description or f"SQL model {m.path.name}",
                group_name=GROUP,
                kinds={"duckdb", "sql"},
                metadata={
                    "dagster/table_name": f"news.main.{name}",
                    "sql_file": str(m.path.relative_to(project.root)),
                    **({"dagster/column_schema": dg.TableSchema(columns=columns)} if columns else {}),
                },
            )
        )
        for t in m.tests:
            checks.append(dg.AssetCheckSpec(t.name, asset=model_key(name),
                                            description=f"{t.kind} on {name}.{t.column}"))

    @dg.multi_asset(specs=specs, check_specs=checks, name="duckdb_warehouse", pool=POOL, can_subset=False)
    def duckdb_warehouse(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
        result = project.build(warehouse.lake())
        context.log.info(f"built {len(result.row_counts)} models into {result.path} in {result.seconds:.2f}s")
        for name in project.order:
            yield dg.MaterializeResult(
                asset_key=model_key(name),
                metadata={"dagster/row_count": result.row_counts[name], "database": str(result.path),
                          "build_seconds": round(result.seconds, 3)},
            )
        for tr in result.tests:
            yield dg.AssetCheckResult(
                asset_key=model_key(tr.model),
                check_name=tr.test.name,
                passed=tr.passed,
                metadata={"failing_rows": tr.failures, **({"error": tr.error} if tr.error else {})},
            )

    return duckdb_warehouse
