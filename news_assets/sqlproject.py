"""A small dbt-like runner for dbt_like_sql/: one SELECT per model file, refs, sources, YAML tests.

Builds the whole DuckDB warehouse into a new file and renames it over the old one, so a reader
(the CLI, an analyst's DuckDB session) never meets the writer's file lock: it opens either the old
complete file or the new complete file. Lake tables are attached as temporary views over the
Parquet partitions; nothing from the lake is formatted into SQL text.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
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
from .lake import Lake, file_lock

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
RUNNER_VERSION = "2"  # bump when the runner builds tables differently: forces a full build
STATE_TABLE = "_warehouse_partitions"
META_TABLE = "_warehouse_build"
_PARTITION_DIR = re.compile(r"publish_date=(\d{4}-\d{2}-\d{2})")


class _NeedsFullBuild(Exception):
    pass


def _read_state(target: Path, project_fp: str) -> dict[tuple[str, str], str] | None:
    """The lake partitions the existing warehouse file was built from, if built by this same project."""
    if not target.exists():
        return None
    try:
        con = duckdb.connect(str(target), read_only=True)
    except duckdb.Error:
        return None
    try:
        meta = con.execute(f"SELECT project_fingerprint FROM {META_TABLE}").fetchall()
        if meta != [(project_fp,)]:
            return None
        rows = con.execute(f"SELECT lake_table, publish_date, fingerprint FROM {STATE_TABLE}").fetchall()
        return {(t, d): fp for t, d, fp in rows}
    except duckdb.Error:
        return None
    finally:
        con.close()


def _write_state(con, state: dict[tuple[str, str], tuple[str, str]], project_fp: str, mode: str) -> None:
    con.execute(f"CREATE OR REPLACE TABLE {STATE_TABLE} (lake_table VARCHAR, publish_date VARCHAR, fingerprint VARCHAR)")
    rows = [[t, d, fp] for (t, d), (_, fp) in sorted(state.items())]
    if rows:
        con.register("__state", pl.DataFrame(rows, schema=["lake_table", "publish_date", "fingerprint"], orient="row").to_arrow())
        con.execute(f"INSERT INTO {STATE_TABLE} SELECT * FROM __state")
        con.unregister("__state")
    con.execute(f"CREATE OR REPLACE TABLE {META_TABLE} AS SELECT ? AS project_fingerprint, ? AS mode, now() AS built_at",
                [project_fp, mode])


_KNOWN_SOURCES = {("lake", t) for t in LAKE_TABLES} | {("ref", t) for t in REF_TABLES}


def _read_config(sql: str) -> dict[str, Any]:
    """The keyword arguments of the model's {{ config(...) }} call, if any."""
    captured: dict[str, Any] = {}

    def config(**kw: Any) -> str:
        captured.update(kw)
        return ""

    jinja2.Environment(undefined=jinja2.Undefined).from_string(sql).render(
        config=config, ref=lambda *a: "", source=lambda *a: "", is_incremental=lambda: False, changed_dates="")
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
    mode: str = "full"  # full | incremental | unchanged
    column_types: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # model -> [(column, type)]


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
            if model.materialized not in ("table", "view", "incremental"):
                raise ValueError(f"{path}: materialized must be table, view or incremental, not {model.materialized!r}")
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
            unknown = set(entry) - {"name", "description", "columns", "tests", "config"}
            if unknown:
                raise ValueError(f"schema.yml: {m.name}: unknown keys {sorted(unknown)}")
            for col in entry.get("columns", []) or []:
                unknown = set(col) - {"name", "description", "tests", "data_type"}
                if unknown:  # usually an unquoted comma in a {name: x, description: a, b} flow mapping
                    raise ValueError(f"schema.yml: {m.name}.{col.get('name')}: unknown keys {sorted(unknown)} "
                                     "(quote descriptions that contain commas)")
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
    def render(self, model: Model, *, incremental: bool = False) -> str:
        """The model's SELECT. In an incremental build `is_incremental()` is true and `changed_dates`
        names a table of the publish dates being rebuilt (dbt's idiom), so a model that reads another
        model can limit itself to those dates."""
        return self._render(model.sql, incremental=incremental)

    def _render(self, sql: str, *, incremental: bool = False) -> str:
        def source(src: str, table: str) -> str:
            return ident(f"{src}__{table}")

        return self._env.from_string(sql).render(
            ref=ident, source=source, config=lambda **kw: "", is_incremental=lambda: incremental,
            changed_dates="__changed_dates",
        ).strip().rstrip(";")

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

    def attach_lake(self, con: duckdb.DuckDBPyConnection, lake: Lake,
                    files: dict[str, list[str]] | None = None) -> None:
        """A view lake__<table> per lake table the models read: over `files` when given (the changed
        partitions of an incremental build), else over every partition file."""
        needed = {t for m in self.models.values() for s, t in m.sources if s == "lake"}
        lake.prepare_duckdb(con)  # object storage: httpfs or the lake's fsspec filesystem
        for table in sorted(needed):
            schema, _ = LAKE_TABLES[table]
            paths = files.get(table, []) if files is not None else lake.partition_files(table)
            if paths:
                con.read_parquet(paths, union_by_name=True).create_view(f"lake__{table}", replace=True)
            else:  # no partition yet: an empty relation with the right columns, for this session only
                con.register(f"lake__{table}", pl.DataFrame(schema=schema).to_arrow())

    def fingerprint(self) -> str:
        """Changes whenever anything that shapes the tables changes: SQL, schema.yml, tests, reference data."""
        h = hashlib.sha256(RUNNER_VERSION.encode())
        for path in sorted(self.root.rglob("*")):
            if path.is_file() and path.suffix in (".sql", ".yml", ".yaml"):
                h.update(str(path.relative_to(self.root)).encode() + b"\0" + path.read_bytes())
        for table in REF_TABLES:
            h.update((REF_DIR / f"{table}.tsv").read_bytes())
        return h.hexdigest()

    def lake_state(self, lake: Lake) -> dict[tuple[str, str], tuple[str, str]]:
        """(table, publish_date) -> (file, fingerprint) for every partition file the models read."""
        needed = {t for m in self.models.values() for s, t in m.sources if s == "lake"}
        out = {}
        for table in sorted(needed):
            for f, fp in lake.partition_fingerprints(table).items():
                day = _PARTITION_DIR.search(f).group(1)
                out[(table, day)] = (f, fp)
        return out

    def build(self, lake: Lake, target: Path | None = None, *, full_refresh: bool = False) -> BuildResult:
        """Bring the warehouse file up to date with the lake.

        With a previous build of the same project in place, only publish dates whose partition files
        changed are rebuilt in the incremental models (the rest is copied), then the table models are
        recomputed over them; nothing changed means nothing rebuilt. Otherwise (first build, changed
        SQL or reference data, `full_refresh`) every model is built from scratch. Either way the result
        is written to a new file and renamed over the old one.
        """
        target = Path(target) if target else lake.duckdb_path
        target.parent.mkdir(parents=True, exist_ok=True)
        with writer_lock(target):
            t0 = time.perf_counter()
            state = self.lake_state(lake)  # before reading: a partition rewritten meanwhile shows up next time
            project_fp = self.fingerprint()
            previous = None if full_refresh else _read_state(target, project_fp)
            if previous is not None:
                changed = sorted({day for key in set(state) | set(previous)
                                  if state.get(key, (None, None))[1] != previous.get(key)
                                  for day in [key[1]]})
                if not changed:
                    return self._unchanged(target, t0)
                try:
                    return self._build_into_copy(lake, target, state, project_fp, changed, t0)
                except _NeedsFullBuild:
                    pass
            return self._build_full(lake, target, state, project_fp, t0)

    def _unchanged(self, target: Path, t0: float) -> BuildResult:
        con = duckdb.connect(str(target), read_only=True)
        try:
            counts = {n: con.execute(f"SELECT count(*) FROM {ident(n)}").fetchone()[0] for n in self.order}
            tests = self.run_tests(con)
        finally:
            con.close()
        return BuildResult(target, counts, tests, time.perf_counter() - t0, "unchanged", _column_types(target))

    def _build_full(self, lake, target, state, project_fp, t0) -> BuildResult:
        def work(con):
            self.attach_lake(con, lake)
            for name in self.order:
                m = self.models[name]
                kind = "VIEW" if m.materialized == "view" else "TABLE"
                con.execute(f"CREATE {kind} {ident(name)} AS {self.render(m)}")

        return self._write(target, None, work, state, project_fp, t0, "full")

    def _build_into_copy(self, lake, target, state, project_fp, changed: list[str], t0) -> BuildResult:
        files: dict[str, list[str]] = {}
        for (table, day), (f, _) in sorted(state.items()):
            if day in changed:
                files.setdefault(table, []).append(f)

        def work(con):
            self.attach_lake(con, lake, files)
            con.execute("CREATE TEMP TABLE __changed_dates (publish_date DATE)")
            con.executemany("INSERT INTO __changed_dates VALUES (?)", [[d] for d in changed])
            for name in self.order:
                m = self.models[name]
                if m.materialized == "view":
                    continue  # views read the updated tables as they are
                if m.materialized == "incremental":
                    key = ident(m.config.get("partition_by", "publish_date"))
                    con.execute(f"DELETE FROM {ident(name)} WHERE {key} IN (SELECT publish_date FROM __changed_dates)")
                    con.execute(f"INSERT INTO {ident(name)} BY NAME {self.render(m, incremental=True)}")
                    unique = m.config.get("unique_key")
                    if unique:
                        n, distinct = con.execute(
                            f"SELECT count(*), count(DISTINCT {ident(unique)}) FROM {ident(name)}").fetchone()
                        if n != distinct:  # a key moved between publish dates: rebuild everything instead
                            raise _NeedsFullBuild(f"{name}.{unique} repeats across publish dates")
                else:
                    con.execute(f"CREATE OR REPLACE TABLE {ident(name)} AS {self.render(m)}")

        return self._write(target, target, work, state, project_fp, t0, "incremental")

    def _write(self, target: Path, base: Path | None, work, state, project_fp, t0, mode) -> BuildResult:
        tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex}.building")
        counts: dict[str, int] = {}
        try:
            if base is not None:
                shutil.copyfile(base, tmp)
            con = duckdb.connect(str(tmp))
            try:
                self.attach_reference(con)
                work(con)
                for name in self.order:
                    counts[name] = con.execute(f"SELECT count(*) FROM {ident(name)}").fetchone()[0]
                tests = self.run_tests(con)
                _drop_lake_views(con)
                _write_state(con, state, project_fp, mode)
                con.execute("CHECKPOINT")
            finally:
                con.close()
            os.replace(tmp, target)  # readers holding the old file keep reading it; new readers get this one
        finally:
            for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
                if leftover.exists():
                    leftover.unlink()
        return BuildResult(target, counts, tests, time.perf_counter() - t0, mode, _column_types(target))

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


def writer_lock(target: Path):
    """One writer of the warehouse file at a time, whoever starts it (Dagster, CLI, a benchmark).

    Dagster already serialises builds with the duckdb_writer pool; this lock keeps two builds outside
    Dagster, or a pool left unlimited, from racing (the later swap would win with an older lake view).
    Readers never take it.
    """
    return file_lock(target.with_name(f".{target.name}.lock"))


def _drop_lake_views(con: duckdb.DuckDBPyConnection) -> None:
    """The lake__ views list this build's partition files (only the changed ones in an incremental
    build) by absolute path: build plumbing, kept out of the file analysts open."""
    rows = con.execute("SELECT view_name FROM duckdb_views() WHERE NOT temporary AND schema_name = 'main' "
                       "AND starts_with(view_name, 'lake__')").fetchall()
    for (name,) in rows:
        con.execute(f"DROP VIEW {ident(name)}")


def _column_types(path: Path) -> dict[str, list[tuple[str, str]]]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        rows = con.execute("SELECT table_name, column_name, data_type FROM information_schema.columns "
                           "WHERE table_schema = 'main' ORDER BY table_name, ordinal_position").fetchall()
    finally:
        con.close()
    out: dict[str, list[tuple[str, str]]] = {}
    for t, c, ty in rows:
        out.setdefault(t, []).append((c, ty))
    return out


def table_checksums(path: Path, tables: list[str],
                    exclude: dict[str, list[str]] | None = None) -> dict[str, tuple[int, int]]:
    """(row count, order-independent checksum of every row) per table: equal contents, equal sums.
    `exclude` leaves columns out (such as when a page was fetched, which a re-run changes by design)."""
    con = connect_readonly(path)
    try:
        out = {}
        for t in tables:
            cols = (exclude or {}).get(t)
            rel = f"(SELECT * EXCLUDE ({', '.join(ident(c) for c in cols)}) FROM {ident(t)})" if cols else ident(t)
            out[t] = tuple(con.execute(
                f"SELECT count(*), coalesce(sum(hash(CAST(r AS VARCHAR))::HUGEINT), 0) FROM {rel} r").fetchone())
        return out
    finally:
        con.close()


def connect_readonly(path: Path) -> duckdb.DuckDBPyConnection:
    if not Path(path).exists():
        raise FileNotFoundError(f"no warehouse database at {path}: materialise the warehouse first")
    return duckdb.connect(str(path), read_only=True)
