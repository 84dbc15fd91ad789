"""A small dbt-like runner for dbt_like_sql/: one SELECT per model file, refs, sources, YAML tests.

Builds the whole DuckDB warehouse into a new file and renames it over the old one, so a reader
(the CLI, an analyst's DuckDB session) never meets the writer's file lock: it opens either the old
complete file or the new complete file. Lake tables are attached as temporary views over the
Parquet partitions; nothing from the lake is formatted into SQL text.
"""

from __future__ import annotations

import os
import re
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import jinja2
import polars as pl
import yaml

from . import schemas
from .lake import Lake

# The lake tables the SQL can read with {{ source('lake', name) }}, and the asset that writes each.
LAKE_TABLES: dict[str, tuple[dict, str]] = {
    "raw_html": (schemas.MANIFEST, "raw_html"),
    "articles": (schemas.ARTICLES, "articles"),
    "facts": (schemas.FACTS, "facts"),
    "region_mentions": (schemas.REGION_MENTIONS, "region_mentions"),
    "date_mentions": (schemas.DATE_MENTIONS, "date_mentions"),
    "quarantine_raw_html": (schemas.QUARANTINE, "raw_html"),
    "quarantine_articles": (schemas.QUARANTINE, "articles"),
    "quarantine_facts": (schemas.QUARANTINE, "facts"),
}
# Bundled reference tables ({{ source('ref', name) }}): read from news_assets/data/reference/*.tsv.
REF_DIR = Path(__file__).resolve().parent / "data" / "reference"
REF_TABLES = ("divisions", "countries", "macro", "currencies")
_SOURCE_REF = re.compile(r"""source\(\s*['"](\w+)['"]\s*,\s*['"](\w+)['"]\s*\)""")
_MODEL_REF = re.compile(r"""ref\(\s*['"](\w+)['"]\s*\)""")


SQL_DIR_ENV = "NEWS_SQL_DIR"


_KNOWN_SOURCES = {("lake", t) for t in LAKE_TABLES} | {("ref", t) for t in REF_TABLES}


def _read_config(sql: str) -> dict[str, Any]:
    """The keyword arguments of the model's {{ config(...) }} call, if any."""
    captured: dict[str, Any] = {}

    def config(**kw: Any) -> str:
        captured.update(kw)
        return ""

    jinja2.Environment(undefined=jinja2.Undefined).from_string(sql).render(
        config=config, ref=lambda *a: "", source=lambda *a: "")
    return captured


def default_project_dir() -> Path:
    """$NEWS_SQL_DIR, else dbt_like_sql/ of the checkout the package runs from (editable install)."""
    env = os.environ.get(SQL_DIR_ENV)
    here = Path(env) if env else Path(__file__).resolve().parent.parent / "dbt_like_sql"
    if not here.is_dir():
        raise FileNotFoundError(f"no SQL project at {here}: install from a checkout (pip install -e .) or set {SQL_DIR_ENV}")
    return here


def ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


GENERIC_TESTS = ("not_null", "unique", "accepted_values", "relationships", "expression_is_true",
                 "unique_combination")


@dataclass
class Test:
    name: str  # unique within the model, used as the Dagster check name
    kind: str  # a generic test (tests/generic/<kind>.sql) or "singular" (tests/singular/<name>.sql)
    column: str | None
    args: dict[str, Any] = field(default_factory=dict)
    severity: str = "error"  # error | warn
    description: str = ""


@dataclass
class Model:
    name: str
    layer: str
    path: Path
    sql: str
    refs: list[str]
    sources: list[tuple[str, str]]
    description: str = ""
    columns: dict[str, str] = field(default_factory=dict)
    tests: list[Test] = field(default_factory=list)
    config: dict[str, Any] = field(default_factory=dict)  # from {{ config(...) }} in the .sql file

    @property
    def materialized(self) -> str:
        return self.config.get("materialized", "table")


@dataclass
class TestResult:
    model: str
    test: Test
    failures: int
    error: str | None = None

    @property
    def passed(self) -> bool:
        return self.error is None and self.failures == 0


@dataclass
class BuildResult:
    path: Path
    row_counts: dict[str, int]
    tests: list[TestResult]
    seconds: float


class SqlProject:
    def __init__(self, root: Path | None = None):
        self.root = Path(root) if root else default_project_dir()
        self.models = self._load_models()
        self._apply_schema_yml()
        self.order = self._topo_order()
        self._env = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False)
        self._generic = {
            p.stem: p.read_text(encoding="utf-8") for p in sorted((self.root / "tests" / "generic").glob("*.sql"))
        }

    # ---- loading ---------------------------------------------------------------------------
    def _load_models(self) -> dict[str, Model]:
        models: dict[str, Model] = {}
        for path in sorted((self.root / "models").rglob("*.sql")):
            sql = path.read_text(encoding="utf-8")
            name = path.stem
            if name in models:
                raise ValueError(f"two models named {name!r}: {models[name].path} and {path}")
            sources = [(a, b) for a, b in _SOURCE_REF.findall(sql)]
            for src, table in sources:
                if (src, table) not in _KNOWN_SOURCES:
                    raise ValueError(f"{path}: unknown source {src!r}, {table!r}")
            model = Model(name, path.parent.name, path, sql, sorted(set(_MODEL_REF.findall(sql))), sources)
            model.config = _read_config(sql)
            if model.materialized not in ("table", "view"):
                raise ValueError(f"{path}: materialized must be table or view, not {model.materialized!r}")
            if model.materialized == "view" and sources:
                raise ValueError(f"{path}: a view may only ref() models (sources exist during the build only)")
            models[name] = model
        for m in models.values():
            for r in m.refs:
                if r not in models:
                    raise ValueError(f"{m.path}: ref('{r}') names no model")
        return models

    def _apply_schema_yml(self) -> None:
        path = self.root / "schema.yml"
        spec = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
        for entry in spec.get("models", []) or []:
            m = self.models.get(entry["name"])
            if m is None:
                raise ValueError(f"schema.yml describes {entry['name']!r}, which has no .sql file")
            m.description = (entry.get("description") or "").strip()
            for col in entry.get("columns", []) or []:
                m.columns[col["name"]] = (col.get("description") or "").strip()
                for t in col.get("tests", []) or []:
                    m.tests.append(self._parse_test(m, col["name"], t))
            for t in entry.get("tests", []) or []:  # model-level tests
                m.tests.append(self._parse_test(m, None, t))
        for path in sorted((self.root / "tests" / "singular").glob("*.sql")):
            # dbt's singular tests: a SELECT of failing rows; the check belongs to the first model it refs
            sql = path.read_text(encoding="utf-8")
            refs = _MODEL_REF.findall(sql)
            if not refs or refs[0] not in self.models:
                raise ValueError(f"{path}: a singular test must ref('model') the model it checks")
            comments = [ln.strip()[2:].strip() for ln in sql.splitlines() if ln.strip().startswith("--")]
            severity = "warn" if any(re.fullmatch(r"severity:\s*warn", c) for c in comments) else "error"
            about = next((c for c in comments if not c.startswith("severity:")), "")
            self.models[refs[0]].tests.append(Test(path.stem, "singular", None, {"sql": sql}, severity, about))
        for m in self.models.values():
            names = [t.name for t in m.tests]
            dupes = {n for n in names if names.count(n) > 1}
            if dupes:
                raise ValueError(f"schema.yml: {m.name}: two tests named {sorted(dupes)}; give one a 'name'")

    def _parse_test(self, m: Model, column: str | None, t: Any) -> Test:
        kind, args = (t, {}) if isinstance(t, str) else next(iter(t.items()))
        args = dict(args or {})
        where = f"{m.name}.{column}" if column else m.name
        if kind not in GENERIC_TESTS:
            raise ValueError(f"schema.yml: {where}: unknown test {kind!r}")
        if column is None and kind not in ("expression_is_true", "unique_combination"):
            raise ValueError(f"schema.yml: {where}: {kind} needs a column")
        if kind == "relationships":
            target = _MODEL_REF.search(args["to"])
            if not target or target.group(1) not in self.models:
                raise ValueError(f"schema.yml: {where}: relationships 'to' must be ref('model')")
            args["to"] = target.group(1)
        severity = args.pop("severity", "error")
        if severity not in ("error", "warn"):
            raise ValueError(f"schema.yml: {where}: severity must be error or warn")
        description = args.pop("description", "")
        name = args.pop("name", None)
        if not name:
            if kind == "unique_combination":
                name = "unique_" + "_".join(args["columns"])
            else:
                name = f"{kind}_{column}" if column else kind
        return Test(name, kind, column, args, severity, description)

    def _topo_order(self) -> list[str]:
        order: list[str] = []
        state: dict[str, int] = {}

        def visit(n: str, trail: tuple[str, ...]) -> None:
            if state.get(n) == 2:
                return
            if state.get(n) == 1:
                raise ValueError("ref cycle: " + " -> ".join((*trail, n)))
            state[n] = 1
            for r in self.models[n].refs:
                visit(r, (*trail, n))
            state[n] = 2
            order.append(n)

        for n in sorted(self.models):
            visit(n, ())
        return order

    # ---- rendering -------------------------------------------------------------------------
    def render(self, model: Model) -> str:
        return self._render(model.sql)

    def _render(self, sql: str) -> str:
        def source(src: str, table: str) -> str:
            return ident(f"{src}__{table}")

        return self._env.from_string(sql).render(ref=ident, source=source, config=lambda **kw: "").strip().rstrip(";")

    def test_sql(self, model: Model, test: Test) -> tuple[str, list[Any]]:
        if test.kind == "singular":
            return self._render(test.args["sql"]), []
        template = self._generic[test.kind]
        ctx: dict[str, Any] = {"model": ident(model.name), "column": ident(test.column) if test.column else None}
        params: list[Any] = []
        if test.kind == "accepted_values":
            params = [list(test.args["values"])]
        if test.kind == "relationships":
            ctx.update(to=ident(test.args["to"]), field=ident(test.args["field"]))
        if test.kind == "expression_is_true":
            # a SQL expression written in schema.yml (project code, like a model), never user data
            ctx.update(expression=test.args["expression"])
        if test.kind == "unique_combination":
            ctx.update(columns=", ".join(ident(c) for c in test.args["columns"]))
        return self._env.from_string(template).render(**ctx).strip().rstrip(";"), params

    # ---- building --------------------------------------------------------------------------
    def attach_reference(self, con: duckdb.DuckDBPyConnection) -> None:
        needed = {t for m in self.models.values() for s, t in m.sources if s == "ref"}
        for table in sorted(needed):
            con.register(f"ref__{table}", reference_table(table).to_arrow())

    def attach_lake(self, con: duckdb.DuckDBPyConnection, lake: Lake) -> None:
        needed = {t for m in self.models.values() for s, t in m.sources if s == "lake"}
        for table in sorted(needed):
            schema, _ = LAKE_TABLES[table]
            files = lake.partition_files(table)
            if files:
                con.read_parquet(files, union_by_name=True).create_view(f"lake__{table}", replace=True)
            else:  # no partition yet: an empty relation with the right columns, for this session only
                con.register(f"lake__{table}", pl.DataFrame(schema=schema).to_arrow())

    def build(self, lake: Lake, target: Path | None = None) -> BuildResult:
        t0 = time.perf_counter()
        target = Path(target) if target else lake.duckdb_path
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex}.building")
        counts: dict[str, int] = {}
        try:
            con = duckdb.connect(str(tmp))
            try:
                self.attach_lake(con, lake)
                self.attach_reference(con)
                for name in self.order:
                    m = self.models[name]
                    kind = "VIEW" if m.materialized == "view" else "TABLE"
                    con.execute(f"CREATE {kind} {ident(name)} AS {self.render(m)}")
                    counts[name] = con.execute(f"SELECT count(*) FROM {ident(name)}").fetchone()[0]
                tests = self.run_tests(con)
                con.execute("CHECKPOINT")
            finally:
                con.close()
            os.replace(tmp, target)  # readers holding the old file keep reading it; new readers get this one
        finally:
            for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
                if leftover.exists():
                    leftover.unlink()
        return BuildResult(target, counts, tests, time.perf_counter() - t0)

    def run_tests(self, con: duckdb.DuckDBPyConnection) -> list[TestResult]:
        out = []
        for name in self.order:
            m = self.models[name]
            for t in m.tests:
                sql, params = self.test_sql(m, t)
                try:
                    n = con.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()[0]
                    out.append(TestResult(name, t, int(n)))
                except duckdb.Error as e:
                    out.append(TestResult(name, t, -1, str(e)))
        return out


def reference_table(name: str) -> pl.DataFrame:
    """One bundled reference table (news_assets/data/reference) as a typed frame."""
    rows = []
    with (REF_DIR / f"{name}.tsv").open(encoding="utf-8") as f:
        next(f)
        for line in f:
            if line.strip():
                rows.append(line.rstrip("\n").split("\t"))
    if name == "divisions":
        return pl.DataFrame(
            [{"code": r[0], "name": r[1], "short_names": [x for x in r[2].split("|") if x], "level": r[3],
              "province_code": r[4] or None, "parent_code": r[5] or None, "valid_from": int(r[6]),
              "valid_to": int(r[7]) if r[7] else None,
              "successors": [x.split("[")[0] for x in r[8].split(";") if x] if len(r) > 8 else []}
             for r in rows],
            schema={"code": pl.String, "name": pl.String, "short_names": pl.List(pl.String), "level": pl.String,
                    "province_code": pl.String, "parent_code": pl.String, "valid_from": pl.Int32,
                    "valid_to": pl.Int32, "successors": pl.List(pl.String)}, orient="row")
    if name in ("countries", "macro"):
        return pl.DataFrame([{"code": r[0], "name": r[1], "aliases": r[2:]} for r in rows],
                            schema={"code": pl.String, "name": pl.String, "aliases": pl.List(pl.String)})
    if name == "currencies":
        return pl.DataFrame([{"word": r[0], "code": r[1]} for r in rows], schema={"word": pl.String, "code": pl.String})
    raise ValueError(f"unknown reference table {name!r}")


def connect_readonly(path: Path) -> duckdb.DuckDBPyConnection:
    if not Path(path).exists():
        raise FileNotFoundError(f"no warehouse database at {path}: materialise the warehouse first")
    return duckdb.connect(str(path), read_only=True)
