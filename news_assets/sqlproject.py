"""Runs dbt_like_sql/, a dbt project, without dbt: models, refs, sources, seeds and YAML tests.

dbt-duckdb builds the same folder into its own file (`dbt build --project-dir dbt_like_sql`); this
runner adds what a warehouse that analysts read all day needs. It builds into a new file and renames
it over the old one, so a reader (the CLI, an analyst's DuckDB session) never meets the writer's file
lock: it opens either the old complete file or the new complete file. It rebuilds only the publish
dates whose partition files changed (the incremental models' delete+insert on publish_date, with
var('changed_dates') bound as a query parameter), and it starts in milliseconds. Lake tables are
attached as temporary views over the Parquet partitions; nothing from the lake is formatted into SQL.
"""

from __future__ import annotations

import csv
import glob
import hashlib
import os
import re
import shutil
import sys
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
from .records import RECORDS

LAKE_SOURCE = "lake"
# the lake layout the runner reads (Lake.partition_path); the sources' external_location must match it
_LAKE_GLOB = "/{name}/publish_date=*/part.parquet"
_SOURCE_REF = re.compile(r"""source\(\s*['"](\w+)['"]\s*,\s*['"](\w+)['"]\s*\)""")
_MODEL_REF = re.compile(r"""ref\(\s*['"](\w+)['"]\s*\)""")
_TEST_BLOCK = re.compile(r"\{%(-?)\s*test\s+(\w+)\s*\(")
_LOOKS_LIKE_CALL = re.compile(r"^\s*(env_var|ref|var|source|doc)\s*\(.+\)\s*$")  # as dbt tells them
_END_TEST = re.compile(r"\{%(-?)\s*endtest\s*(-?)%\}")
# dbt's own generic tests (not_null, unique, accepted_values, relationships), for this runner
BUILTIN_TESTS = Path(__file__).resolve().parent / "data" / "dbt_builtin_tests.sql"
# the packaged reference tables the seeds are written from (python -m news_assets.sqlproject write-seeds)
SEED_SOURCES = {"divisions": "divisions.tsv", "countries": "countries.tsv", "macro_regions": "macro.tsv"}


SQL_DIR_ENV = "NEWS_SQL_DIR"
# DuckDB's memory cap in a build (it spills to <file>.tmp past it); its own default, 80 % of the
# machine, let the build of a 100k-page year take 1.8 GB (4.9 GB before article_stories went sparse)
MEMORY_ENV = "NEWS_DUCKDB_MEMORY_LIMIT"
DEFAULT_MEMORY_LIMIT = "1GB"
RUNNER_VERSION = "3"  # bump when the runner builds tables differently: forces a full build
STATE_TABLE = "_warehouse_partitions"
META_TABLE = "_warehouse_build"
RESULTS_TABLE = "_warehouse_results"  # row counts and test results of the build, for an unchanged lake
_PARTITION_DIR = re.compile(r"publish_date=(\d{4}-\d{2}-\d{2})")
# dbt_project.yml's staging pre-hook; the runner's incremental step does this delete itself
_DELETE_CHANGED_DATES = ("{% if is_incremental() %}delete from {{ this }} where "
                         "{{ changed_dates_filter('publish_date') }}{% endif %}")
_PROJECT_FILES = ("models", "seeds", "tests", "macros", "dbt_project.yml")  # not target/ or logs/


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


def _write_results(con, counts: dict[str, int], tests: list[TestResult]) -> None:
    con.execute(f"CREATE OR REPLACE TABLE {RESULTS_TABLE} (model VARCHAR, test VARCHAR, failures BIGINT, error VARCHAR)")
    rows = [[m, None, n, None] for m, n in counts.items()] + [[t.model, t.test.name, t.failures, t.error] for t in tests]
    con.executemany(f"INSERT INTO {RESULTS_TABLE} VALUES (?, ?, ?, ?)", rows)


def _failing_tests(path: Path) -> set[tuple[str, str]]:
    """(model, test) of the tests that failed in the build that wrote `path`."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        return set(con.execute(f"SELECT model, test FROM {RESULTS_TABLE} WHERE test IS NOT NULL "
                               "AND (failures <> 0 OR error IS NOT NULL)").fetchall())
    except duckdb.CatalogException:
        return set()
    finally:
        con.close()


def _read_config(sql: str) -> dict[str, Any]:
    """The keyword arguments of the file's {{ config(...) }} call, if any."""
    captured: dict[str, Any] = {}

    def config(**kw: Any) -> str:
        captured.update(kw)
        return ""

    def anything(*a: Any, **kw: Any) -> str:
        return ""

    jinja2.Environment(undefined=jinja2.Undefined).from_string(sql).render(
        config=config, ref=anything, source=anything, is_incremental=lambda: False, var=anything,
        changed_dates_filter=anything)
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


@dataclass
class Test:
    name: str  # unique within the model, used as the Dagster check name
    kind: str  # a generic test ({% test kind(...) %}) or "singular" (tests/singular/<name>.sql)
    column: str | None
    args: dict[str, Any] = field(default_factory=dict)
    severity: str = "error"  # error | warn
    description: str = ""


@dataclass
class Source:
    source: str
    name: str
    record: dict  # the table's columns and types (news_assets/schemas.py)
    asset_key: list[str]  # the Dagster asset that writes it
    description: str = ""


@dataclass
class Seed:
    name: str
    path: Path
    column_types: dict[str, str]
    description: str = ""
    columns: dict[str, str] = field(default_factory=dict)


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
    config: dict[str, Any] = field(default_factory=dict)  # dbt_project.yml's folder config + {{ config(...) }}

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


def build_connection(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-write connection for a build, under the memory cap (NEWS_DUCKDB_MEMORY_LIMIT)."""
    return duckdb.connect(str(path), config={"memory_limit": os.environ.get(MEMORY_ENV) or DEFAULT_MEMORY_LIMIT})


class SqlProject:
    def __init__(self, root: Path | None = None):
        self.root = Path(root) if root else default_project_dir()
        self.project = self._read_project_file()
        self._env = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False)
        specs = self._read_yaml()
        self.sources = self._load_sources(specs["sources"])
        self.seeds = self._load_seeds(specs["seeds"])
        self.models = self._load_models()
        self._apply_model_specs(specs["models"])
        self._load_singular_tests()
        self.order = self._topo_order()
        self._generic = self._load_generic_tests()
        self._macros = self._load_macros()

    # ---- loading ---------------------------------------------------------------------------
    def _read_project_file(self) -> dict[str, Any]:
        path = self.root / "dbt_project.yml"
        if not path.exists():
            raise FileNotFoundError(f"{self.root}: no dbt_project.yml: not a dbt project")
        project = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if not project.get("name"):
            raise ValueError(f"{path}: the project needs a name")
        return project

    def _read_yaml(self) -> dict[str, list[tuple[Path, dict]]]:
        """Every property file under models/ and seeds/, as (file, entry) per source, model and seed."""
        out: dict[str, list[tuple[Path, dict]]] = {"sources": [], "models": [], "seeds": []}
        for folder in ("models", "seeds"):
            for path in sorted((self.root / folder).rglob("*.yml")):
                spec = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
                for kind in out:
                    out[kind] += [(path, entry) for entry in spec.get(kind) or []]
        return out

    def _load_sources(self, entries) -> dict[tuple[str, str], Source]:
        out = {}
        for path, src in entries:
            if src["name"] != LAKE_SOURCE:
                raise ValueError(f"{path}: source {src['name']!r}: the runner reads only the {LAKE_SOURCE!r} source")
            location = (src.get("meta") or {}).get("external_location", "")
            if _LAKE_GLOB not in location:
                raise ValueError(f"{path}: source {LAKE_SOURCE}: meta.external_location must read "
                                 f"<warehouse>{_LAKE_GLOB}, the lake's layout")
            for t in src.get("tables") or []:
                meta = t.get("meta") or {}
                record = schemas.for_table(t["name"]) if t["name"] in RECORDS else None
                if record is None or getattr(schemas, meta.get("record", ""), None) != record:
                    raise ValueError(f"{path}: {LAKE_SOURCE}.{t['name']}: not a lake table of news_assets/records.py "
                                     "(records.RECORDS), or meta.record names another schema of news_assets/schemas.py")
                key = (meta.get("dagster") or {}).get("asset_key") or [t["name"]]
                out[(LAKE_SOURCE, t["name"])] = Source(LAKE_SOURCE, t["name"], record, list(key),
                                                       (t.get("description") or "").strip())
        return out

    def _load_seeds(self, entries) -> dict[str, Seed]:
        specs = {e["name"]: e for _, e in entries}
        out = {}
        for path in sorted((self.root / "seeds").glob("*.csv")):
            spec = specs.get(path.stem) or {}
            types = ((spec.get("config") or {}).get("column_types")) or {}
            with path.open(encoding="utf-8", newline="") as f:
                header = next(csv.reader(f))
            if sorted(types) != sorted(header):
                raise ValueError(f"{path}: config.column_types must type every column {header} (so that dbt "
                                 "and the runner load the same types)")
            cols = {c["name"]: (c.get("description") or "").strip() for c in spec.get("columns") or []}
            out[path.stem] = Seed(path.stem, path, {c: types[c] for c in header},
                                  (spec.get("description") or "").strip(), cols)
        return out

    def _folder_config(self, path: Path) -> dict[str, Any]:
        """dbt_project.yml's `models:` configs (`+materialized: view`) for the model's folder."""
        node = ((self.project.get("models") or {}).get(self.project["name"])) or {}
        cfg = {k.lstrip("+"): v for k, v in node.items() if k.startswith("+")}
        for part in path.relative_to(self.root / "models").parent.parts:
            node = node.get(part) or {}
            cfg.update({k.lstrip("+"): v for k, v in node.items() if k.startswith("+")})
        return cfg

    def _load_models(self) -> dict[str, Model]:
        models: dict[str, Model] = {}
        for path in sorted((self.root / "models").rglob("*.sql")):
            sql = path.read_text(encoding="utf-8")
            name = path.stem
            if name in models or name in self.seeds:
                raise ValueError(f"two models or seeds named {name!r}: {path}")
            sources = sorted(set(_SOURCE_REF.findall(sql)))
            for src in sources:
                if src not in self.sources:
                    raise ValueError(f"{path}: unknown source {src[0]!r}, {src[1]!r}")
            model = Model(name, path.parent.name, path, sql, sorted(set(_MODEL_REF.findall(sql))), sources)
            model.config = {**self._folder_config(path), **_read_config(sql)}
            self._check_config(model)
            models[name] = model
        for m in models.values():
            for r in m.refs:
                if r not in models and r not in self.seeds:
                    raise ValueError(f"{m.path}: ref('{r}') names no model or seed")
        return models

    @staticmethod
    def _check_config(m: Model) -> None:
        for hook in ("pre-hook", "post-hook", "pre_hook", "post_hook"):
            if m.config.get(hook) not in (None, _DELETE_CHANGED_DATES):
                raise ValueError(f"{m.path}: the runner runs no {hook} but the one that empties the changed dates")
        if m.materialized not in ("table", "view", "incremental"):
            raise ValueError(f"{m.path}: materialized must be table, view or incremental, not {m.materialized!r}")
        if m.materialized == "view" and m.sources:
            raise ValueError(f"{m.path}: a view may only ref() models and seeds (sources exist during the build only)")
        if m.materialized == "incremental":
            # the runner rebuilds changed publish dates; dbt's delete+insert on that key does the same
            if m.config.get("incremental_strategy") != "delete+insert" or m.config.get("unique_key") != "publish_date":
                raise ValueError(f"{m.path}: an incremental model needs incremental_strategy='delete+insert' "
                                 "and unique_key='publish_date'")

    def _apply_model_specs(self, entries) -> None:
        for path, entry in entries:
            m = self.models.get(entry["name"])
            if m is None:
                raise ValueError(f"{path}: describes {entry['name']!r}, which has no .sql file")
            m.description = (entry.get("description") or "").strip()
            unknown = set(entry) - {"name", "description", "columns", "tests", "data_tests", "config", "meta", "docs"}
            if unknown:
                raise ValueError(f"{path}: {m.name}: unknown keys {sorted(unknown)}")
            for col in entry.get("columns", []) or []:
                unknown = set(col) - {"name", "description", "tests", "data_tests", "data_type", "meta", "quote"}
                if unknown:  # usually an unquoted comma in a {name: x, description: a, b} flow mapping
                    raise ValueError(f"{path}: {m.name}.{col.get('name')}: unknown keys {sorted(unknown)} "
                                     "(quote descriptions that contain commas)")
                m.columns[col["name"]] = (col.get("description") or "").strip()
                for t in _tests_of(col):
                    m.tests.append(self._parse_test(m, col["name"], t, path))
            for t in _tests_of(entry):  # model-level tests
                m.tests.append(self._parse_test(m, None, t, path))

    def _load_singular_tests(self) -> None:
        for path in sorted((self.root / "tests").rglob("*.sql")):
            if "generic" in path.relative_to(self.root / "tests").parts:
                continue
            # dbt's singular tests: a SELECT of failing rows; the check belongs to the first model it refs
            sql = path.read_text(encoding="utf-8")
            refs = _MODEL_REF.findall(sql)
            if not refs or refs[0] not in self.models:
                raise ValueError(f"{path}: a singular test must ref('model') the model it checks")
            severity = str(_read_config(sql).get("severity", "error")).lower()
            comments = [ln.strip()[2:].strip() for ln in sql.splitlines() if ln.strip().startswith("--")]
            test = Test(path.stem, "singular", None, {"sql": sql}, severity, comments[0] if comments else "")
            self.models[refs[0]].tests.append(test)
        for m in self.models.values():
            names = [t.name for t in m.tests]
            dupes = {n for n in names if names.count(n) > 1}
            if dupes:
                raise ValueError(f"{m.name}: two tests named {sorted(dupes)}; give one a 'name'")

    def _parse_test(self, m: Model, column: str | None, t: Any, path: Path) -> Test:
        """One entry of data_tests: `kind`, `{kind: {arguments, config, description}}` or
        `{name, test_name, arguments, config, description}` (dbt's forms)."""
        if isinstance(t, str):
            kind, body = t, {}
        elif "test_name" in t:
            kind, body = t["test_name"], t
        else:
            (kind, body), = t.items()
            body = dict(body or {})
        where = f"{path.name}: {m.name}.{column}" if column else f"{path.name}: {m.name}"
        reserved = {"name", "test_name", "arguments", "config", "description"}
        args = {**{k: v for k, v in body.items() if k not in reserved}, **(body.get("arguments") or {})}
        config = body.get("config") or {}
        if set(config) - {"severity"}:  # where, limit, error_if ... would count other rows than dbt
            raise ValueError(f"{where}: the runner knows no test config but severity: {sorted(set(config) - {'severity'})}")
        severity = str(config.get("severity", "error")).lower()
        if severity not in ("error", "warn"):
            raise ValueError(f"{where}: severity must be error or warn")
        name = body.get("name")
        if not name:
            if kind == "unique_combination":
                name = "unique_" + "_".join(args["columns"])
            else:
                name = f"{kind}_{column}" if column else kind
        return Test(name, kind, column, args, severity, (body.get("description") or "").strip())

    def _load_generic_tests(self) -> dict[str, Any]:
        """{% test %} blocks of tests/generic/ and macros/ (the project's), over dbt's built-in ones."""
        files = [BUILTIN_TESTS, *sorted((self.root / "tests" / "generic").glob("*.sql")),
                 *sorted((self.root / "macros").glob("*.sql"))]
        out = {}
        for path in files:
            src = path.read_text(encoding="utf-8")
            names = [n for _, n in _TEST_BLOCK.findall(src)]
            if not names:
                continue
            # a test block is a macro named test_<name> (as dbt compiles it)
            src = _END_TEST.sub(r"{%\1 endmacro \2%}", _TEST_BLOCK.sub(r"{%\1 macro test_\2(", src))
            module = self._env.from_string(src).module
            out.update({n: getattr(module, f"test_{n}") for n in names})
        for m in self.models.values():
            for t in m.tests:
                if t.kind != "singular" and t.kind not in out:
                    raise ValueError(f"{m.name}: unknown test {t.kind!r} (no {{% test {t.kind}(...) %}} block)")
        return out

    def _load_macros(self) -> dict[str, Any]:
        """The project's macros, callable from models; changed_dates_filter is the runner's own."""
        out: dict[str, Any] = {}
        for path in sorted((self.root / "macros").glob("*.sql")):
            module = self._env.from_string(path.read_text(encoding="utf-8"), globals={"var": _no_var}).module
            out.update({n: getattr(module, n) for n in dir(module) if not n.startswith("_")})
        out["changed_dates_filter"] = _changed_dates_filter
        return out

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
                if r in self.models:
                    visit(r, (*trail, n))
            state[n] = 2
            order.append(n)

        for n in sorted(self.models):
            visit(n, ())
        return order

    # ---- rendering -------------------------------------------------------------------------
    def render(self, model: Model, *, incremental: bool = False) -> str:
        """The model's SELECT. In an incremental build `is_incremental()` is true and
        `changed_dates_filter(column)` keeps the publish dates being rebuilt (bound as parameters
        through the temporary table __changed_dates), as dbt's var('changed_dates') does."""
        return self._render(model.sql, incremental=incremental, this=model.name)

    def _render(self, sql: str, *, incremental: bool = False, this: str | None = None) -> str:
        def source(src: str, table: str) -> str:
            return ident(f"{src}__{table}")

        def ref(name: str) -> str:
            if name not in self.models and name not in self.seeds:
                raise ValueError(f"ref('{name}') names no model or seed")
            return ident(name)

        return self._env.from_string(sql).render(
            ref=ref, source=source, config=lambda **kw: "", is_incremental=lambda: incremental,
            this=ident(this) if this else None, var=_no_var, **self._macros,
        ).strip().rstrip(";")

    def _render_arg(self, value: Any) -> Any:
        """A test argument as dbt renders it: strings are Jinja, and one that looks like a call of
        ref/source/var (`to: ref('articles')`) is one expression."""
        if isinstance(value, list):
            return [self._render_arg(v) for v in value]
        if not isinstance(value, str):
            return value
        if _LOOKS_LIKE_CALL.match(value):
            value = "{{ " + value + " }}"
        return self._render(value)

    def test_sql(self, model: Model, test: Test) -> tuple[str, dict[str, Any]]:
        """The test's SELECT of failing rows and its bound parameters."""
        if test.kind == "singular":
            return self._render(test.args["sql"]), {}
        args = {k: self._render_arg(v) for k, v in test.args.items()}
        if test.column:
            args["column_name"] = ident(test.column)
        sql = str(self._generic[test.kind](model=ident(model.name), **args)).strip().rstrip(";")
        params = {"values": [str(v) for v in test.args["values"]]} if "$values" in sql else {}
        return sql, params

    # ---- building --------------------------------------------------------------------------
    def load_seeds(self, con: duckdb.DuckDBPyConnection) -> None:
        """Every seed as a table typed by its column_types, as `dbt seed` loads it."""
        for s in self.seeds.values():
            cols = ", ".join(f"{ident(c)} {ty}" for c, ty in s.column_types.items())  # project YAML, not data
            con.execute(f"CREATE OR REPLACE TABLE {ident(s.name)} ({cols})")
            con.execute(f"INSERT INTO {ident(s.name)} BY NAME "
                        "SELECT * FROM read_csv(?, header = true, all_varchar = true)", [str(s.path)])

    def lake_tables(self) -> list[str]:
        return sorted({t for m in self.models.values() for s, t in m.sources if s == LAKE_SOURCE})

    def attach_lake(self, con: duckdb.DuckDBPyConnection, lake: Lake,
                    files: dict[str, list[str]] | None = None) -> None:
        """A view lake__<table> per lake table the models read: over `files` when given (the changed
        partitions of an incremental build), else over every partition file."""
        lake.prepare_duckdb(con)  # object storage: httpfs or the lake's fsspec filesystem
        for table in self.lake_tables():
            paths = files.get(table, []) if files is not None else lake.partition_files(table)
            if paths:
                con.read_parquet(paths, union_by_name=True).create_view(f"lake__{table}", replace=True)
            else:  # no partition yet: an empty relation with the right columns, for this session only
                record = self.sources[(LAKE_SOURCE, table)].record
                con.register(f"lake__{table}", pl.DataFrame(schema=record).to_arrow())

    def fingerprint(self) -> str:
        """Changes whenever anything that shapes the tables changes: SQL, YAML, tests, macros, seeds."""
        h = hashlib.sha256(RUNNER_VERSION.encode())
        h.update(BUILTIN_TESTS.read_bytes())
        for top in _PROJECT_FILES:
            base = self.root / top
            for path in sorted(base.rglob("*")) if base.is_dir() else [base]:
                if path.is_file() and path.suffix in (".sql", ".yml", ".yaml", ".csv"):
                    h.update(str(path.relative_to(self.root)).encode() + b"\0" + path.read_bytes())
        return h.hexdigest()

    def lake_state(self, lake: Lake) -> dict[tuple[str, str], tuple[str, str]]:
        """(table, publish_date) -> (file, fingerprint) for every partition file the models read."""
        out = {}
        for table in self.lake_tables():
            for f, fp in lake.partition_fingerprints(table).items():
                day = _PARTITION_DIR.search(f).group(1)
                out[(table, day)] = (f, fp)
        return out

    def build(self, lake: Lake, target: Path | None = None, *, full_refresh: bool = False) -> BuildResult:
        """Bring the warehouse file up to date with the lake.

        With a previous build of the same project in place, only publish dates whose partition files
        changed are rebuilt in the incremental models (delete+insert on publish_date; the rest is
        copied), then the table models are recomputed over them; nothing changed means nothing rebuilt.
        Otherwise (first build, changed SQL, YAML or seeds, `full_refresh`), or when an incremental
        build fails an error-severity test that the previous build passed (a page moved to an earlier
        date, say), every model is built from scratch. Either way the result is written to a new file and renamed over the old one.
        """
        target = Path(target) if target else lake.duckdb_path
        target.parent.mkdir(parents=True, exist_ok=True)
        with writer_lock(target):
            remove_stale_builds(target)
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
        """Nothing changed: the file's tables, and so its row counts and test results, are the ones its
        build recorded (same project fingerprint, same tests): read them instead of recomputing."""
        con = duckdb.connect(str(target), read_only=True)
        try:
            try:
                rows = con.execute(f"SELECT model, test, failures, error FROM {RESULTS_TABLE}").fetchall()
            except duckdb.CatalogException:  # a file from before the runner recorded them
                rows = []
            counts = {m: n for m, t, n, _ in rows if t is None}
            recorded = {(m, t): (n, e) for m, t, n, e in rows if t is not None}
            tests = [TestResult(n, t, *recorded[(n, t.name)]) for n in self.order for t in self.models[n].tests
                     if (n, t.name) in recorded]
            if set(counts) != set(self.order) or len(tests) != len(recorded) or len(tests) != sum(
                    len(self.models[n].tests) for n in self.order):
                counts = {n: con.execute(f"SELECT count(*) FROM {ident(n)}").fetchone()[0] for n in self.order}
                tests = self.run_tests(con)
        finally:
            con.close()
        return BuildResult(target, counts, tests, time.perf_counter() - t0, "unchanged", _column_types(target))

    def _build_full(self, lake, target, state, project_fp, t0) -> BuildResult:
        def work(con):
            self.load_seeds(con)
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
                    # delete+insert on unique_key publish_date, after the staging pre-hook's delete of
                    # every changed date; {{ this }} in the SELECT reads only dates that stay
                    con.execute(f"DELETE FROM {ident(name)} WHERE {_changed_dates_filter('publish_date')}")
                    con.execute(f"INSERT INTO {ident(name)} BY NAME {self.render(m, incremental=True)}")
                else:
                    con.execute(f"CREATE OR REPLACE TABLE {ident(name)} AS {self.render(m)}")

        return self._write(target, target, work, state, project_fp, t0, "incremental")

    def _write(self, target: Path, base: Path | None, work, state, project_fp, t0, mode) -> BuildResult:
        tmp = target.with_name(f".{target.name}.{os.getpid()}.{uuid.uuid4().hex}.building")
        failing_before = _failing_tests(base) if base is not None else set()
        counts: dict[str, int] = {}
        try:
            if base is not None:
                shutil.copyfile(base, tmp)
            con = build_connection(tmp)
            try:
                work(con)
                for name in self.order:
                    counts[name] = con.execute(f"SELECT count(*) FROM {ident(name)}").fetchone()[0]
                tests = self.run_tests(con)
                new_failures = [(t.model, t.test.name) for t in tests if not t.passed and t.test.severity == "error"
                                and (t.model, t.test.name) not in failing_before]
                if mode == "incremental" and new_failures:
                    # a full build decides: never report a failure that only the per-day patch made
                    raise _NeedsFullBuild(new_failures)
                _drop_lake_views(con)
                _write_state(con, state, project_fp, mode)
                _write_results(con, counts, tests)
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
                    n = con.execute(f"SELECT count(*) FROM ({sql})", params or None).fetchone()[0]
                    out.append(TestResult(name, t, int(n)))
                except duckdb.Error as e:
                    out.append(TestResult(name, t, -1, str(e)))
        return out


def _tests_of(entry: dict) -> list[Any]:
    return (entry.get("data_tests") or []) + (entry.get("tests") or [])  # `tests:` is dbt's older name


def _no_var(name: str, default: Any = None) -> Any:
    """var() in the runner: no project vars; changed_dates goes through changed_dates_filter."""
    return default


def _changed_dates_filter(column: str) -> str:
    """The runner's changed_dates_filter macro: the dates are rows of a temporary table, filled with
    bound parameters, where dbt's macro writes var('changed_dates') into the SQL."""
    return f"({column} IN (SELECT publish_date FROM __changed_dates))"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_builds(target: Path) -> list[Path]:
    """Delete what builds that died (killed, out of memory, a power cut) left beside `target`: each
    `.<name>.<pid>.<uuid>.building` and its `.wal` is a full copy of the warehouse. Called under the
    writer lock, so no other build of this file runs; a file whose pid still lives (another host, a
    writer that skipped the lock) is left alone all the same."""
    pattern = re.compile(rf"\.{re.escape(target.name)}\.(?:(\d+)\.)?[0-9a-f]{{32}}\.building(?:\.wal)?")
    removed = []
    for path in target.parent.glob(f".{glob.escape(target.name)}.*.building*"):
        m = pattern.fullmatch(path.name)
        if not m:
            continue
        pid = int(m.group(1)) if m.group(1) else None
        if pid is not None and pid != os.getpid() and _pid_alive(pid):
            continue
        path.unlink(missing_ok=True)
        removed.append(path)
    return removed


def reference_seed(name: str) -> list[list[str]]:
    """A packaged reference table as the rows of its seed CSV (header first): the TSVs have ragged
    alias columns, which a seed lists in one `|`-separated column."""
    from .facts import _ref  # the one reader of the reference files

    header, rows = _ref.table(SEED_SOURCES[name])
    if name == "divisions":
        return [header, *rows]
    return [["code", "name", "aliases"]] + [[r[0], r[1], "|".join(r[2:])] for r in rows]


def seed_text(name: str) -> str:
    import io

    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(reference_seed(name))
    return buf.getvalue()


def write_seeds(root: Path | None = None, *, check: bool = False) -> list[str]:
    """Write (or with `check`, compare) dbt_like_sql/seeds/*.csv from the packaged reference tables;
    returns the names of the seeds that differed."""
    seeds = (Path(root) if root else default_project_dir()) / "seeds"
    stale = [n for n in SEED_SOURCES if not (seeds / f"{n}.csv").exists()
             or (seeds / f"{n}.csv").read_text(encoding="utf-8") != seed_text(n)]
    if not check:
        for n in stale:
            (seeds / f"{n}.csv").write_text(seed_text(n), encoding="utf-8")
    return stale


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


if __name__ == "__main__":
    if sys.argv[1:2] != ["write-seeds"]:
        sys.exit("usage: python -m news_assets.sqlproject write-seeds [--check]")
    check = "--check" in sys.argv
    differed = write_seeds(check=check)
    verb = "differ from news_assets/data/reference" if check else "written"
    print(f"seeds {verb}: {', '.join(differed)}" if differed else "seeds are current")
    sys.exit(1 if differed and "--check" in sys.argv else 0)
