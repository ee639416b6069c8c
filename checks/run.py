"""Run every data-quality rule for a scope, store the results, and decide the deck gates.

The rules are of two kinds, both collecting every failure (nothing stops at the first):

- row schemas (``checks/schemas/stg_*.py``, Pandera on Ibis): validated inside DuckDB on
  the run's scoped view of each staged table; each check is named by its rule id;
- SQL rules (``checks/sql/*.sql``), each returning its failing rows labelled with rule,
  severity, table, keys and reason ("singular tests"). A rule's header is its contract::

      -- rule: near_duplicate           (the rule id; the file is named after it)
      -- table: staging.measurements    (the table the failures are reported against)
      -- checked: chk_forms             (relations whose rows are the rule's n_checked;
                                         one with a table_name column counts per table)
      -- tables: ...                    (optional: count only these table_names)
      -- figures: mart_a, mart_b        (marts a warning caveats; 'all' or 'none')
      -- description: ...               (what the rule checks)
      -- fix: ...                       (what to do about a failure)

A run (:func:`run_checks`) works on a database that has been built (``transforms.build``:
``ref.*`` and the ``int_*`` models, among them ``int_form_headers`` and the
``int_check_*`` rows of the heaviest helpers; :func:`pipeline.quality.ensure_built`
builds when they are missing and brings them up to date when an export was loaded
since the last build).
It creates the temporary helpers (``checks/sql/base``: macros and scoped ``chk_*``
views; ``chk_params`` with the thresholds of :class:`~checks.settings.CheckSettings`;
``chk_rules`` with the severities), runs every rule, and appends to ``quality.runs``,
``quality.results`` (per rule and table: n_checked, n_failed, severity, status),
``quality.failures`` (every failing row with its reason) and ``quality.metrics``
(``checks/sql/metrics``: completeness and timeliness by group, agreement, rater drift,
attrition), all in one transaction.

Gates (:class:`Gate`), per scope (the organisation, each intervention, each team): a
failure belongs to the scopes of its course (intervention and team; rows with neither
belong to the organisation only, which sees everything). An ``error`` blocks the decks
of the scope, with reasons saying why and what to fix; a ``warning`` becomes a caveat
for each figure (mart) its rule names; ``info`` only reaches the report.
"""

from __future__ import annotations

import functools
import json
import operator
import re
import secrets
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from graphlib import TopologicalSorter
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from checks import schemas as schema_pkg
from checks.rule_docs import RULE_DOCS
from checks.settings import CheckSettings
from checks.texts import caveat, quarantine_reasons, rater_drift_item, rule_title
from datadialog.config_model import DatadialogConfig
from datadialog.db import rollback
from datadialog.names import short_name
from datadialog.tabular import write_relation_csv
from transforms.schema import ensure_schema
from transforms.sqltext import duckdb_settings

SQL_DIR = Path(__file__).resolve().parent / "sql"
BASE_DIR = SQL_DIR / "base"
METRICS_DIR = SQL_DIR / "metrics"
RUNNER_DIR = SQL_DIR / "runner"

#: Tables a run needs from the build (int_form_headers and the int_check_* models are
#: the helpers' rows, kept up to date by the build so a run does not compute them again).
BUILT_TABLES: tuple[str, ...] = (
    "int_point_status",
    "int_scores",
    "int_forms",
    "int_form_headers",
    "int_check_point_status",
    "int_check_scores",
    "int_check_text_fields",
)

SCOPE_KINDS: tuple[str, ...] = ("organisation", "intervention", "team")
#: DuckDB settings while a run stores its results. Optimistic writes off: the run's failing
#: rows (271 000 at 100 000 courses, more than two row groups) are then appended at the
#: commit and compressed once, at the checkpoint; written ahead, they were compressed as
#: they were inserted into row groups of their own and again when the checkpoint merged
#: those with the table's partly filled last one. Eight runs in a row at 100 000
#: courses: 7.71 -> 7.07 s of CPU per run with its checkpoint, the same row groups and
#: file size (docs/benchmarks.md, checks, eleventh session). Below one row group
#: (122 880 rows) DuckDB never writes ahead, so a smaller run is unchanged.
STORE_SETTINGS: dict[str, str] = {"enable_optimistic_write": "false"}
#: Caveat key for rules whose figures are 'all'.
ALL_FIGURES = "*"

_VIEW_REF = re.compile(r"\b(chk_[a-z0-9_]+)\b")
_HEADER_KEY = re.compile(r"^-- ([a-z_]+): ?(.*)$")
_CONTINUATION = re.compile(r"^--   +(.*)$")

#: Failure columns the runner fills from a schema failure's row, when the row has them.
_KEY_COLUMNS = (
    "intervention_id",
    "team_id",
    "staff_id",
    "course_id",
    "form_id",
    "instrument_id",
    "item_no",
    "file_name",
    "row_no",
)
_DATE_COLUMNS = (
    "measured_on",
    "start_date",
    "rated_on",
    "activity_date",
    "registered_on",
    "set_on",
    "workshop_date",
)
_OBSERVED_COLUMNS = ("value", "score", "birth_year", "minutes", "amount_dkk", "hours")


class CheckError(Exception):
    """A rule file is malformed, a rule failed to run, or the database is not built."""


# ---------------------------------------------------------------- rule files


@dataclass(frozen=True)
class Rule:
    rule_id: str
    path: Path
    table: str
    checked: tuple[str, ...]
    tables: tuple[str, ...]
    figures: tuple[str, ...]
    description: str
    fix: str
    sql: str


def parse_header(text: str) -> dict[str, str]:
    """The ``-- key: value`` lines (with ``--   continuation`` lines) opening a file."""
    header: dict[str, str] = {}
    last = ""
    for line in text.splitlines():
        if not line.startswith("--"):
            break
        if match := _CONTINUATION.match(line):
            if last:
                header[last] += " " + match.group(1).strip()
            continue
        if match := _HEADER_KEY.match(line):
            last = match.group(1)
            header[last] = match.group(2).strip()
        else:
            last = ""
    return header


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


def read_rule(path: Path) -> Rule:
    text = path.read_text(encoding="utf-8")
    header = parse_header(text)
    missing = [k for k in ("rule", "table", "checked", "description", "fix") if k not in header]
    if missing:
        raise CheckError(f"{path}: header lacks {', '.join(missing)}")
    if header["rule"] != path.stem:
        raise CheckError(f"{path}: '-- rule: {header['rule']}' must match the file name")
    figures = _split(header.get("figures", "none"))
    return Rule(
        rule_id=header["rule"],
        path=path,
        table=header["table"],
        checked=_split(header["checked"]),
        tables=_split(header.get("tables", "")),
        figures=() if figures == ("none",) else figures,
        description=header["description"],
        fix=header["fix"],
        sql=text.strip().rstrip(";"),
    )


def discover_rules(sql_dir: Path = SQL_DIR) -> list[Rule]:
    """The SQL rules (``*.sql`` directly under ``sql_dir``), by name."""
    return [read_rule(p) for p in sorted(sql_dir.glob("*.sql"))]


def _strip_comments(sql: str) -> str:
    return "\n".join(line.split("--", 1)[0] for line in sql.splitlines())


@dataclass(frozen=True)
class View:
    """A helper relation of ``checks/sql/base``: a temp view, or a temp table when its
    header says ``-- materialize: true`` (read by several rules, costly to recompute)."""

    name: str
    sql: str
    materialize: bool


def discover_views(base_dir: Path = BASE_DIR) -> list[View]:
    """The helper views, each after the views it reads."""
    found: dict[str, View] = {}
    for path in sorted(base_dir.glob("chk_*.sql")):
        text = path.read_text(encoding="utf-8")
        materialize = parse_header(text).get("materialize", "false") == "true"
        found[path.stem] = View(path.stem, text.strip().rstrip(";"), materialize)
    graph = {
        name: {r for r in _VIEW_REF.findall(_strip_comments(view.sql)) if r in found and r != name}
        for name, view in found.items()
    }
    return [found[name] for name in TopologicalSorter(graph).static_order()]


# ---------------------------------------------------------------- results and gates


@dataclass(frozen=True)
class RuleResult:
    rule_id: str
    table_name: str
    severity: str
    n_checked: int
    n_failed: int
    status: str
    description: str
    fix: str
    seconds: float

    @property
    def failure_rate(self) -> float | None:
        return self.n_failed / self.n_checked if self.n_checked else None


@dataclass(frozen=True)
class Gate:
    """What the checks decide for the decks of one scope."""

    scope_kind: str
    scope_id: str | None
    blocked: bool
    #: Why the decks are blocked and what to fix (one line per error rule).
    reasons: tuple[str, ...] = ()
    #: Caveat texts per figure (mart name; ``*`` for every figure).
    caveats: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def caveats_for(self, figure: str) -> list[str]:
        """Caveats for one figure (mart), including those for every figure."""
        return [*self.caveats.get(ALL_FIGURES, ()), *self.caveats.get(figure, ())]

    @property
    def label(self) -> str:
        return self.scope_kind if self.scope_id is None else f"{self.scope_kind} {self.scope_id}"

    @property
    def message(self) -> str:
        if not self.blocked:
            return f"{self.label}: decks may be made"
        return f"{self.label}: decks blocked\n" + "\n".join(f"  - {r}" for r in self.reasons)


@dataclass
class CheckRun:
    run_id: str
    as_of: date
    scope_kind: str
    scope_id: str | None
    results: list[RuleResult]
    gates: dict[tuple[str, str | None], Gate]
    seconds: float
    #: Seconds per phase (prepare, schemas, rules, metrics, store).
    timings: dict[str, float] = field(default_factory=dict)
    #: Failing rows of this scope's older runs removed (quality.failing_rows_kept_runs).
    n_failures_pruned: int = 0

    def gate(self, scope_kind: str, scope_id: str | None = None) -> Gate:
        """The gate of a scope; a scope nothing failed in is open with no caveats."""
        return self.gates.get(
            (scope_kind, scope_id), Gate(scope_kind=scope_kind, scope_id=scope_id, blocked=False)
        )

    def result(self, rule_id: str, table_name: str | None = None) -> RuleResult:
        for res in self.results:
            if res.rule_id == rule_id and table_name in (None, res.table_name):
                return res
        raise KeyError(rule_id)

    def n_failed(self, rule_id: str) -> int:
        return sum(r.n_failed for r in self.results if r.rule_id == rule_id)

    @property
    def n_errors(self) -> int:
        return sum(r.n_failed for r in self.results if r.severity == "error")

    @property
    def n_warnings(self) -> int:
        return sum(r.n_failed for r in self.results if r.severity == "warning")

    @property
    def blocked(self) -> list[Gate]:
        return [g for g in self.gates.values() if g.blocked]


# ---------------------------------------------------------------- set-up


def missing_build(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Tables of the build a run needs that the database lacks."""
    present = {
        (schema, name)
        for schema, name in con.execute(
            "select table_schema, table_name from information_schema.tables"
        ).fetchall()
    }
    needed = [("ref", "settings")] + [("main", t) for t in BUILT_TABLES]
    missing = [f"{s}.{t}" for s, t in needed if (s, t) not in present]
    if not missing and not con.execute("select count(*) from ref.settings").fetchone()[0]:
        missing.append("ref.settings (empty)")
    return missing


def build_as_of(con: duckdb.DuckDBPyConnection) -> date:
    row = con.execute("select as_of_date from ref.settings").fetchone()
    if row is None:
        raise CheckError("ref.settings is empty: build the database first")
    return row[0]


def _temp_table_from_rows(
    con: duckdb.DuckDBPyConnection, name: str, columns: dict[str, list], types: dict
) -> None:
    data = pa.table({k: pa.array(v, type=types.get(k)) for k, v in columns.items()})
    con.register("chk_arrow_src", data)
    try:
        # name is one of the runner's own temp tables (chk_params, chk_rules)
        con.execute(f"create or replace temp table {name} as select * from chk_arrow_src")
    finally:
        con.unregister("chk_arrow_src")


def prepare(
    con: duckdb.DuckDBPyConnection,
    settings: CheckSettings,
    *,
    as_of: date,
    scope_kind: str = "organisation",
    scope_id: str | None = None,
) -> None:
    """Create the run's temporary helpers: chk_params, chk_rules, macros and views."""
    if scope_kind not in SCOPE_KINDS:
        raise CheckError(f"scope kind must be one of {SCOPE_KINDS}, not {scope_kind!r}")
    if (scope_kind == "organisation") != (scope_id is None):
        raise CheckError("an intervention or team scope needs an id; the organisation none")
    params = settings.params()
    columns: dict[str, list] = {k: [v] for k, v in params.items()}
    columns.update(as_of_date=[as_of], scope_kind=[scope_kind], scope_id=[scope_id])
    types = {"as_of_date": pa.date32(), "scope_id": pa.string()}
    for key, value in params.items():
        if isinstance(value, bool):
            types[key] = pa.bool_()
        elif isinstance(value, int):
            types[key] = pa.int64()
        elif isinstance(value, float):
            types[key] = pa.float64()
    _temp_table_from_rows(con, "chk_params", columns, types)
    con.execute("set variable chk_scope_kind = ?", [scope_kind])
    con.execute("set variable chk_scope_id = ?", [scope_id])
    severities = settings.severities
    _temp_table_from_rows(
        con,
        "chk_rules",
        {"rule_id": list(severities), "severity": list(severities.values())},
        {"rule_id": pa.string(), "severity": pa.string()},
    )
    con.execute((BASE_DIR / "_macros.sql").read_text(encoding="utf-8"))
    for view in discover_views():
        kind = "table" if view.materialize else "view"
        try:
            # the name is a view file's own name (chk_*), matched by the glob
            con.execute(f"create or replace temp {kind} {view.name} as\n{view.sql}")
        except duckdb.Error as exc:
            raise CheckError(f"helper view {view.name} failed: {exc}") from exc


def drop_helpers(con: duckdb.DuckDBPyConnection) -> None:
    """Drop the run's temporary views and tables (chk_*), views first."""
    rows = con.execute(
        "select table_name, table_type from information_schema.tables "
        "where table_catalog = 'temp' and table_name like 'chk\\_%' escape '\\'"
    ).fetchall()
    for name, kind in sorted(rows, key=lambda r: r[1] != "VIEW"):
        # names come from the catalogue and match chk_*; kind is VIEW or LOCAL TEMPORARY
        con.execute(f"drop {'view' if kind == 'VIEW' else 'table'} if exists temp.main.{name}")


# ---------------------------------------------------------------- running rules


def _relation_counts(con: duckdb.DuckDBPyConnection, relation: str
                     ) -> tuple[bool, dict[str | None, int]]:
    """Rows of a helper relation: (True, rows per table_name) when it has that column,
    else (False, {None: rows})."""
    rel = con.table(relation)
    if "table_name" in rel.columns:
        return True, dict(rel.aggregate("table_name, count(*)", "table_name").fetchall())
    return False, {None: rel.aggregate("count(*)").fetchall()[0][0]}


def _count_checked(
    con: duckdb.DuckDBPyConnection, rule: Rule, counted: dict[str, tuple] | None = None
) -> dict[str, int]:
    """A rule's n_checked per table. ``counted`` keeps each relation's counts for the
    rest of the run (the helpers do not change while the rules run): eight rules count
    chk_forms, two chk_other_rows (0.15 s a count at 100 000 courses)."""
    counted = {} if counted is None else counted
    counts: dict[str, int] = defaultdict(int)
    for relation in rule.checked:
        if relation not in counted:
            counted[relation] = _relation_counts(con, relation)
        per_table, found = counted[relation]
        for table_name, n in found.items():
            if not per_table:
                counts[rule.table] += n
            elif not rule.tables or table_name in rule.tables:
                counts[table_name] += n
    for table_name in rule.tables or (rule.table,):
        counts.setdefault(table_name, 0)
    return dict(counts)


def _status(severity: str, n_failed: int) -> str:
    if n_failed == 0:
        return "pass"
    return {"error": "fail", "warning": "warn"}.get(severity, "info")


def run_sql_rule(
    con: duckdb.DuckDBPyConnection, rule: Rule, settings: CheckSettings,
    counted: dict[str, tuple] | None = None,
) -> list[RuleResult]:
    """Run one rule into chk_failures; return its results per table (``counted``: the
    run's cache of the checked relations' counts, :func:`_count_checked`)."""
    started = time.perf_counter()
    try:
        # straight into chk_failures, then counted there by the rule's id: a table of
        # the rule's rows first, copied over, cost a second write of every row (0.1-0.2 s
        # at 100 000 courses, late_measurement's 195 000 rows the most)
        before = con.execute("select count(*) from chk_failures").fetchone()[0]
        con.execute(f"insert into chk_failures by name select * from (\n{rule.sql}\n)")
        failed = dict(con.execute(
            "select table_name, count(*) from chk_failures where rule_id = ? group by all",
            [rule.rule_id],
        ).fetchall())
        added = con.execute("select count(*) from chk_failures").fetchone()[0] - before
        checked = _count_checked(con, rule, counted)
    except duckdb.Error as exc:
        raise CheckError(f"rule {rule.rule_id} ({rule.path}) failed: {exc}") from exc
    if sum(failed.values()) != added:
        raise CheckError(f"rule {rule.rule_id} ({rule.path}) returned rows of another rule "
                         f"id: its rows must say rule_id '{rule.rule_id}'")
    seconds = time.perf_counter() - started
    severity = settings.severity(rule.rule_id)
    tables = sorted(set(checked) | set(failed))
    return [
        RuleResult(
            rule_id=rule.rule_id,
            table_name=table,
            severity=severity,
            n_checked=max(checked.get(table, 0), failed.get(table, 0)),
            n_failed=failed.get(table, 0),
            status=_status(severity, failed.get(table, 0)),
            description=rule.description,
            fix=rule.fix,
            seconds=seconds / len(tables),
        )
        for table in tables
    ]


def _schema_failure(rule_id: str, table: str, severity: str, reason: str, row: dict) -> dict:
    out: dict = {k: row.get(k) for k in _KEY_COLUMNS}
    out.update(rule_id=rule_id, severity=severity, table_name=table, reason=reason)
    out["event_date"] = next((row[c] for c in _DATE_COLUMNS if row.get(c) is not None), None)
    observed = next((row[c] for c in _OBSERVED_COLUMNS if row.get(c) is not None), None)
    out["observed"] = float(observed) if isinstance(observed, int | float) else None
    return out


def _row_failures(check, table: str, settings: CheckSettings, cases: pa.Table) -> list[dict]:
    """Failure rows of one row check from its failing rows."""
    show = (getattr(check, "statistics", None) or {}).get("show", [])
    severity = settings.severity(check.name)
    rows = []
    for case in cases.to_pylist():
        detail = ", ".join(f"{c}={case.get(c)}" for c in show)
        reason = f"{check.error}" + (f" ({detail})" if detail else "")
        rows.append(_schema_failure(check.name, table, severity, reason, case))
    return rows


def failing_rows(table, checks: list, columns: list[str] | None = None) -> list[tuple]:
    """Each row check of ``checks`` with the rows of ``table`` it fails (all columns, or
    only ``columns``).

    One query for all of them: a column per check (true = the row passes) and only the
    rows that fail at least one check fetched, then split by check. The same rows
    as each check's own Pandera failure cases, read in one scan of the table instead
    of one scan per check (six on ``staging.measurements``)."""
    if not checks:
        return []
    flags = {f"__passes_{n}": check.passes(table) for n, check in enumerate(checks)}
    passes_all = functools.reduce(operator.and_, flags.values())
    failing = table.mutate(**flags).filter(~passes_all)
    if columns is not None:
        failing = failing.select(*columns, *flags)
    failing = failing.to_pyarrow()
    found = []
    for name, check in zip(flags, checks, strict=True):
        cases = failing.filter(pc.invert(failing[name])).drop_columns(list(flags))
        found.append((check, cases))
    return found


def column_failures(table, schema, table_name: str, settings: CheckSettings
                    ) -> tuple[int, list[dict]]:
    """(rows checked, failure rows) of the column rules of ``schema`` on ``table``:
    a column missing or of the wrong type, and nulls where the column is not nullable.

    Pandera validates the columns' presence and types (read from the table's schema,
    no query); the nulls of every non-nullable column are counted together with the
    table's rows in one query, where Pandera's validation would run two queries per
    such column (33 columns over the nine tables). Nulls are counted as Pandera does
    (NaN counts as null in a floating-point column), and reported as it does: one
    failure per column, ``column x: not_nullable failed (n rows)``.
    """
    from pandera.errors import SchemaError, SchemaErrors
    from pandera.ibis import Column, DataFrameSchema

    not_nullable = [name for name, column in schema.columns.items()
                    if not column.nullable and name in table.columns]
    counts = {"__rows": table.count()}
    for n, name in enumerate(not_nullable):
        values = table[name]
        missing = values.isnull()
        if values.type().is_floating():
            missing |= values.isnan()
        counts[f"__nulls_{n}"] = missing.sum()
    found = table.aggregate(**counts).to_pyarrow().to_pylist()[0]
    n_checked = int(found["__rows"])
    rows: list[dict] = []
    if not n_checked:
        return 0, rows
    structure = DataFrameSchema(
        {name: Column(column.dtype, nullable=True) for name, column in schema.columns.items()},
        name=schema.name,
    )
    try:
        structure.validate(table, lazy=True)
    except SchemaErrors as exc:
        rows += [_column_failure(err, table_name, settings) for err in exc.schema_errors]
    except SchemaError as exc:  # pragma: no cover - lazy=True collects
        rows.append(_column_failure(exc, table_name, settings))
    for n, name in enumerate(not_nullable):
        if nulls := int(found[f"__nulls_{n}"] or 0):
            rows.append(_column_row(f"column {name}: not_nullable failed ({_n_rows(nulls)})",
                                    nulls, table_name, settings))
    return n_checked, rows


def _n_rows(n: int) -> str:
    """``1 row``, ``2 rows``: how a column rule's reason counts its rows."""
    return f"{n} row" if n == 1 else f"{n} rows"


def _column_row(reason: str, n: int, table: str, settings: CheckSettings) -> dict:
    """A column rule's failure row: rule ``schema``, ``n`` rows as the observed value."""
    row = _schema_failure("schema", table, settings.severity("schema"), reason, {})
    row["observed"] = float(n)
    return row


def _column_failure(err, table: str, settings: CheckSettings) -> dict:
    """One failure row for a column-level SchemaError (type, nullability, missing column).

    Worded for the data steward: ``column x: missing``, ``column x: expected type
    float64, found string``, ``column x: not_nullable failed (2 rows)`` (Pandera's Ibis
    backend names the column in the error's schema or failure case, not in
    ``column_name``)."""
    from pandera.errors import SchemaErrorReason

    cases = err.failure_cases
    if err.reason_code == SchemaErrorReason.COLUMN_NOT_IN_DATAFRAME:
        reason, n = f"column {cases}: missing", 1
    elif err.reason_code == SchemaErrorReason.WRONG_DATATYPE:
        column = err.column_name or getattr(err.schema, "name", None)
        reason, n = f"column {column}: expected type {err.schema.dtype}, found {cases}", 1
    elif isinstance(cases, str):
        reason = f"column {err.column_name}: expected {err.check}, found {cases}"
        n = 1
    else:
        if hasattr(cases, "count") and hasattr(cases, "execute"):
            n = int(cases.count().execute())
        else:
            n = len(cases) if cases is not None else 1
        column = err.column_name or getattr(err.schema, "name", None)
        reason = f"column {column}: {err.check} failed ({_n_rows(n)})"
    return _column_row(reason, n, table, settings)


def _failure_columns(table, checks: list) -> list[str]:
    """The columns of ``table`` a schema failure row reads (:func:`_schema_failure`: keys,
    dates, observed values; the values each check's reason shows). Fetching only these
    keeps the free text (notes) out of the scan: 0.1-0.15 s of CPU on the 7 million
    measurement rows at 100 000 courses."""
    shown = {c for check in checks for c in (getattr(check, "statistics", None) or {}).get(
        "show", [])}
    wanted = {*_KEY_COLUMNS, *_DATE_COLUMNS, *_OBSERVED_COLUMNS, *shown}
    return [c for c in table.columns if c in wanted]


def run_schemas(
    con: duckdb.DuckDBPyConnection,
    config: DatadialogConfig,
    settings: CheckSettings,
    as_of: date,
    on_rule: Callable[[str], None] | None = None,
) -> list[RuleResult]:
    """Validate each staged table's scoped view against its Pandera schema, in DuckDB.

    Column presence, types and nullability: :func:`column_failures`. Row checks: all
    of a table's checks in one query (:func:`failing_rows`), only the failing rows
    fetched, so a large table is never pulled into Python.
    """
    import ibis  # here, not at the top: a meeting run reads the results without it

    backend = ibis.duckdb.from_connection(con)
    results: list[RuleResult] = []
    for module in schema_pkg.modules():
        if on_rule:
            on_rule(module.__name__.rsplit(".", 1)[-1])
        started = time.perf_counter()
        table = backend.table(module.SOURCE)
        schema = module.build(config, as_of)
        n_checked, rows = column_failures(table, schema, module.TABLE, settings)
        if n_checked:
            for check, cases in failing_rows(table, schema.checks,
                                             _failure_columns(table, schema.checks)):
                rows += _row_failures(check, module.TABLE, settings, cases)
        if rows:
            frame = pa.Table.from_pylist(rows)
            con.register("chk_schema_src", frame)
            try:
                con.execute("insert into chk_failures by name select * from chk_schema_src")
            finally:
                con.unregister("chk_schema_src")
        seconds = time.perf_counter() - started
        results += _schema_results(module.TABLE, schema, rows, n_checked, settings, seconds)
    return results


def _schema_results(
    table: str, schema, rows: list[dict], n_checked: int, settings: CheckSettings, seconds: float
) -> list[RuleResult]:
    rule_ids = sorted({"schema"} | {c.name for c in schema.checks})
    results = []
    for rule_id in rule_ids:
        n_failed = sum(1 for r in rows if r["rule_id"] == rule_id)
        description, fix = RULE_DOCS.get(rule_id, ("", ""))
        severity = settings.severity(rule_id)
        results.append(
            RuleResult(
                rule_id=rule_id,
                table_name=table,
                severity=severity,
                n_checked=max(n_checked, n_failed),
                n_failed=n_failed,
                status=_status(severity, n_failed),
                description=description,
                fix=fix,
                seconds=seconds / len(rule_ids),
            )
        )
    return results


# ---------------------------------------------------------------- gates


def _scopes(config: DatadialogConfig) -> list[tuple[str, str | None]]:
    return (
        [("organisation", None)]
        + [("intervention", i.id) for i in config.interventions]
        + [("team", t.id) for t in config.teams]
    )


RATE_RULES = ("completeness_below_target", "timeliness_below_target")
#: Rules whose failures belong to every scope: a quarantined record's course (and so
#: its intervention and team) is not known.
UNSCOPED_RULES = ("quarantined_records",)


def _rate_group(reason: str) -> str:
    """The group a rate rule's reason opens with: 'all', or '<kind> <id>'."""
    return reason.split(":", 1)[0]


def _what(rule_id: str, rows: list[tuple], language: str = "da",
          instruments: dict[str, str] | None = None) -> str:
    """Short detail for a caveat from failure rows (reason, observed, staff, instrument,
    point); ``instruments`` names an instrument id as the slides do (``kik`` -> KiK)."""
    if rule_id in RATE_RULES:
        return "; ".join(f"{round(100 * (r[1] or 0))} %" for r in rows)
    if rule_id == "rater_drift":
        names = instruments or {}
        return "; ".join(rater_drift_item(r[2], names.get(r[3], r[3]), r[1] or 0.0, language)
                         for r in rows)
    if rule_id == "quarantined_records":
        return quarantine_reasons([r[0] for r in rows], language)
    if rule_id == "attrition":
        return "; ".join(f"{r[3]} {r[4]} {round(100 * (r[1] or 0))} %" for r in rows)
    return ""


@dataclass(frozen=True)
class CourseCaveats:
    """Caveats scoped to some courses: ``rules`` are the run's rules that flag courses
    (their team-wide caveat is replaced), ``texts`` the caveats on those courses."""

    rules: frozenset[str]
    texts: tuple[str, ...]


def course_caveats(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    course_ids: list[str],
    figures: set[str] | None,
    language: str,
) -> CourseCaveats:
    """Caveats of a run's warnings on ``course_ids`` only (a citizen pack's agenda), for
    the rules whose figures the pack shows (``figures`` None: every rule). A citizen pack
    then never lists another citizen's defects; its team's own rates come from the gate."""
    rules = {r.rule_id: r for r in discover_rules()}
    rows = con.execute(
        (RUNNER_DIR / "course_failures.sql").read_text(encoding="utf-8"),
        [run_id, list(course_ids)],
    ).fetchall()
    texts = []
    for rule_id, n in rows:
        rule = rules.get(rule_id)
        shown = rule.figures if rule else ("all",)
        if n and (figures is None or "all" in shown or figures.intersection(shown)):
            texts.append(caveat(rule_id, int(n), "", language))
    return CourseCaveats(frozenset(r[0] for r in rows), tuple(texts))


#: Rules whose caveat names its rows (:func:`_what`); a gate only counts the others'.
LISTED_RULES = (*RATE_RULES, "rater_drift", "quarantined_records", "attrition")

Scope = tuple[str, str | None]


def _rows_by_scope(rows: list[tuple], scopes: list[Scope]) -> dict[Scope, list[tuple]]:
    """The failure rows of each scope, in their order: the organisation has every row,
    an intervention or team those on it, and each scope the unscoped rules' rows."""
    out: dict[Scope, list[tuple]] = {s: [] for s in scopes}
    for r in rows:
        if r[0] in UNSCOPED_RULES:
            targets: list[Scope] = scopes
        else:
            targets = [("organisation", None), ("intervention", r[2]), ("team", r[3])]
        for target in targets:
            mine = out.get(target)
            if mine is not None:
                mine.append(r)
    return out


def _gate(kind: str, sid: str | None, rows: list[tuple], settings: CheckSettings,
          rules: dict[str, Rule], language: str,
          instruments: dict[str, str] | None = None) -> Gate:
    """The gate of one scope from its failure rows (``gate_failures.sql``: a listed
    rule's rows one by one, another rule's counted in ``n_rows``)."""
    errors: dict[str, int] = defaultdict(int)
    counts: dict[str, int] = defaultdict(int)
    listed: dict[str, list[tuple]] = defaultdict(list)
    for r in rows:
        if r[0] in RATE_RULES and not _rate_group(r[4]).startswith(
            "all" if kind == "organisation" else f"{kind} "
        ):
            continue  # a deck's caveat names its own scope's rate, not its parts'
        if r[1] == "error" and settings.errors_block:
            errors[r[0]] += r[9]
        else:
            counts[r[0]] += r[9]
            listed[r[0]].append((r[4], r[5], r[6], r[7], r[8]))
    reasons = []
    for rule_id, n in sorted(errors.items()):
        rule = rules.get(rule_id)
        description, fix = (
            (rule.description, rule.fix) if rule else RULE_DOCS.get(rule_id, ("", ""))
        )
        failing = "1 row fails" if n == 1 else f"{n} rows fail"
        reasons.append(f"{failing} {rule_id}: {description} Fix: {fix}")
    caveats: dict[str, list[str]] = defaultdict(list)
    for rule_id, n in sorted(counts.items()):
        rule = rules.get(rule_id)
        figures = rule.figures if rule else ("all",)
        target = {
            "completeness_below_target": settings.completeness_target,
            "timeliness_below_target": settings.timeliness_target,
        }.get(rule_id, 0.0)
        what = _what(rule_id, listed[rule_id], language, instruments)
        text = caveat(rule_id, n, what, language, target=round(100 * target))
        for figure in figures:
            caveats[ALL_FIGURES if figure == "all" else figure].append(text)
    return Gate(
        scope_kind=kind,
        scope_id=sid,
        blocked=bool(errors),
        reasons=tuple(reasons),
        caveats={k: tuple(v) for k, v in caveats.items()},
    )


def decide_gates(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    config: DatadialogConfig,
    settings: CheckSettings,
    rules: dict[str, Rule],
    scope: Scope = ("organisation", None),
) -> dict[Scope, Gate]:
    """One gate per scope of the config (within the run's scope) from the stored failures.

    The database counts the rows of the rules a caveat only counts (per rule, severity,
    intervention and team) and the rows are placed on their scopes in one pass: a meeting
    run asks for the gates of a run of tens of thousands of failures."""
    language = config.organisation.language
    rows = con.execute(
        (RUNNER_DIR / "gate_failures.sql").read_text(encoding="utf-8"),
        [run_id, list(LISTED_RULES)],
    ).fetchall()
    # an organisation run decides every scope; a narrower run only its own
    scopes = _scopes(config) if scope[0] == "organisation" else [scope]
    instruments = {i.id: short_name(i.name) for i in config.instruments}
    return {
        (kind, sid): _gate(kind, sid, mine, settings, rules, language, instruments)
        for (kind, sid), mine in _rows_by_scope(rows, scopes).items()
    }


# ---------------------------------------------------------------- the run


def new_run_id(now: datetime) -> str:
    """``20261204T210452-r8189dc``: the time, then "r" and a random suffix. The letter
    keeps the id from ever being CPR-shaped: six digits of a time, a hyphen and four
    more digits (hhmmss-dddd) would read as a CPR number whenever the minutes are 01-12."""
    return f"{now:%Y%m%dT%H%M%S}-r{secrets.token_hex(3)}"


def run_checks(
    con: duckdb.DuckDBPyConnection,
    config: DatadialogConfig,
    *,
    settings: CheckSettings | None = None,
    scope_kind: str = "organisation",
    scope_id: str | None = None,
    schemas: bool = True,
    on_rule: Callable[[str], None] | None = None,
    keep_helpers: bool = False,
) -> CheckRun:
    """Run all rules for a scope on a built database; store and return the results.

    ``on_rule(name)`` is called before each rule (progress bars). The temporary helper
    views and tables are dropped at the end unless ``keep_helpers`` (to look into a run).
    Raises :class:`CheckError` when the database is not built or a rule fails to run.
    """
    missing = missing_build(con)
    if missing:
        raise CheckError(
            f"the database is not built (missing {', '.join(missing)}): run the build first"
        )
    settings = settings or CheckSettings.from_config(config)
    as_of = build_as_of(con)
    started_at = datetime.now()
    run_id = new_run_id(started_at)
    t0 = time.perf_counter()
    rules = discover_rules()
    ensure_schema(con)
    timings: dict[str, float] = {}
    lap = time.perf_counter()

    def mark(phase: str) -> None:
        nonlocal lap
        now = time.perf_counter()
        timings[phase] = now - lap
        lap = now

    # The helpers and the failing rows are temporary tables, made before the
    # transaction: DuckDB scans committed tables on every core but rows written
    # inside an open transaction much more slowly (at 100 000 courses the run took
    # 10.2-10.8 s with them inside, 8.6-9.6 s outside). Only the stored results are
    # written in the transaction, so a failing rule still leaves the database as it was.
    try:
        prepare(con, settings, as_of=as_of, scope_kind=scope_kind, scope_id=scope_id)
        con.execute((RUNNER_DIR / "failures_template.sql").read_text(encoding="utf-8"))
        mark("prepare")
        results: list[RuleResult] = []
        if schemas:
            results += run_schemas(con, config, settings, as_of, on_rule)
        mark("schemas")
        counted: dict[str, tuple] = {}
        for rule in rules:
            if on_rule:
                on_rule(rule.rule_id)
            results += run_sql_rule(con, rule, settings, counted)
        mark("rules")
        # put back after the commit or the rollback (see STORE_SETTINGS)
        with duckdb_settings(con, STORE_SETTINGS):
            con.begin()
            try:
                con.execute(
                    (RUNNER_DIR / "store_failures.sql").read_text(encoding="utf-8"), [run_id]
                )
                for path in sorted(METRICS_DIR.glob("*.sql")):
                    sql = path.read_text(encoding="utf-8").strip().rstrip(";")
                    try:
                        con.execute(
                            "insert into quality.metrics by name select ? as run_id, * from "
                            f"(\n{sql}\n)",
                            [run_id],
                        )
                    except duckdb.Error as exc:
                        raise CheckError(f"metric file {path} failed: {exc}") from exc
                mark("metrics")
                _store_results(con, run_id, results)
                gates = decide_gates(
                    con, run_id, config, settings, {r.rule_id: r for r in rules},
                    (scope_kind, scope_id),
                )
                seconds = time.perf_counter() - t0
                _store_run(
                    con, run_id, started_at, as_of, scope_kind, scope_id, results, gates, settings,
                    seconds,
                )
                n_pruned = prune_failures(
                    con, scope_kind, scope_id, config.quality.failing_rows_kept_runs
                )
                con.commit()
            except BaseException:
                rollback(con)
                raise
        mark("store")
    finally:
        if not keep_helpers:
            drop_helpers(con)
    return CheckRun(
        run_id=run_id,
        as_of=as_of,
        scope_kind=scope_kind,
        scope_id=scope_id,
        results=results,
        gates=gates,
        seconds=seconds,
        timings=timings,
        n_failures_pruned=n_pruned,
    )


def _store_results(con: duckdb.DuckDBPyConnection, run_id: str, results: list[RuleResult]) -> None:
    # schema checks of several tables can share a rule id: one row per rule and table
    merged: dict[tuple[str, str], RuleResult] = {}
    for r in results:
        key = (r.rule_id, r.table_name)
        if key in merged:
            old = merged[key]
            r = RuleResult(
                r.rule_id,
                r.table_name,
                r.severity,
                max(old.n_checked, r.n_checked),
                old.n_failed + r.n_failed,
                _status(r.severity, old.n_failed + r.n_failed),
                r.description,
                r.fix,
                old.seconds + r.seconds,
            )
        merged[key] = r
    rows = list(merged.values())
    data = pa.table(
        {
            "run_id": [run_id] * len(rows),
            "rule_id": [r.rule_id for r in rows],
            "table_name": [r.table_name for r in rows],
            "severity": [r.severity for r in rows],
            "n_checked": pa.array([r.n_checked for r in rows], pa.int64()),
            "n_failed": pa.array([r.n_failed for r in rows], pa.int64()),
            "failure_rate": pa.array([r.failure_rate for r in rows], pa.float64()),
            "status": [r.status for r in rows],
            "description": [r.description for r in rows],
            "fix": [r.fix for r in rows],
            "seconds": pa.array([r.seconds for r in rows], pa.float64()),
        }
    )
    con.from_arrow(data).insert_into("quality.results")


def _store_run(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    started_at: datetime,
    as_of: date,
    scope_kind: str,
    scope_id: str | None,
    results: list[RuleResult],
    gates: dict[tuple[str, str | None], Gate],
    settings: CheckSettings,
    seconds: float,
) -> None:
    data = pa.table(
        {
            "run_id": [run_id],
            "started_at": pa.array([started_at], pa.timestamp("us")),
            "finished_at": pa.array([datetime.now()], pa.timestamp("us")),
            "as_of_date": pa.array([as_of], pa.date32()),
            "scope_kind": [scope_kind],
            "scope_id": pa.array([scope_id], pa.string()),
            "n_rules": pa.array([len({(r.rule_id, r.table_name) for r in results})], pa.int32()),
            "n_failed_rules": pa.array(
                [len({(r.rule_id, r.table_name) for r in results if r.n_failed})], pa.int32()
            ),
            "n_errors": pa.array(
                [sum(r.n_failed for r in results if r.severity == "error")], pa.int64()
            ),
            "n_warnings": pa.array(
                [sum(r.n_failed for r in results if r.severity == "warning")], pa.int64()
            ),
            "n_blocked_scopes": pa.array([sum(g.blocked for g in gates.values())], pa.int32()),
            "settings_json": [json.dumps(_jsonable(settings), sort_keys=True)],
            "seconds": [seconds],
        }
    )
    con.from_arrow(data).insert_into("quality.runs")


def prune_failures(
    con: duckdb.DuckDBPyConnection, scope_kind: str, scope_id: str | None, keep: int
) -> int:
    """Remove the failing rows of this scope's runs older than its newest ``keep``
    (``runner/prune_failures.sql``); return how many rows went. A daily run at 100 000
    courses stores about 270 000 failing rows: without this the table grows by that
    much every day."""
    sql = (RUNNER_DIR / "prune_failures.sql").read_text(encoding="utf-8")
    row = con.execute(sql, {"scope_kind": scope_kind, "scope_id": scope_id,
                            "keep": keep}).fetchone()
    return int(row[0]) if row else 0


def _jsonable(settings: CheckSettings) -> dict:
    values = settings.params()
    values["severities"] = dict(settings.severities)
    return values


# ---------------------------------------------------------------- reading back


def latest_run_id(con: duckdb.DuckDBPyConnection) -> str | None:
    row = con.execute(
        "select run_id from quality.runs order by started_at desc, run_id desc limit 1"
    ).fetchone()
    return row[0] if row else None


def run_scope(con: duckdb.DuckDBPyConnection, run_id: str) -> tuple[str, str | None] | None:
    """(scope_kind, scope_id) of a stored run."""
    return con.execute(
        "select scope_kind, scope_id from quality.runs where run_id = ?", [run_id]
    ).fetchone()


def latest_covering_run(con: duckdb.DuckDBPyConnection, kind: str, scope_id: str | None
                        ) -> tuple | None:
    """(run_id, started_at, scope_kind, scope_id, n_errors, n_warnings) of the newest run
    that covers the scope (runner/latest_covering_run.sql); None when there is none."""
    return con.execute(
        (RUNNER_DIR / "latest_covering_run.sql").read_text(encoding="utf-8"),
        {"kind": kind, "id": scope_id},
    ).fetchone()


def settings_of_run(con: duckdb.DuckDBPyConnection, run_id: str) -> CheckSettings:
    """The thresholds and severities a stored run used (quality.runs.settings_json)."""
    row = con.execute(
        "select settings_json from quality.runs where run_id = ?", [run_id]
    ).fetchone()
    if row is None:
        raise LookupError(f"no check run {run_id!r} in quality.runs")
    values = json.loads(row[0])
    known = {f.name for f in fields(CheckSettings)}
    return CheckSettings(**{k: v for k, v in values.items() if k in known})


def gates_of_run(
    con: duckdb.DuckDBPyConnection, config: DatadialogConfig, run_id: str | None = None
) -> dict[tuple[str, str | None], Gate]:
    """The gates of a stored run (default: the latest), decided again from its failures
    with the settings it ran with, for every scope the run covered."""
    run_id = run_id or latest_run_id(con)
    if run_id is None:
        return {}
    scope = run_scope(con, run_id)
    rules = {r.rule_id: r for r in discover_rules()}
    return decide_gates(con, run_id, config, settings_of_run(con, run_id), rules, scope)


def failures(con: duckdb.DuckDBPyConnection, run_id: str) -> duckdb.DuckDBPyRelation:
    """The failing rows of a run, ordered by severity, rule and keys."""
    return (
        con.table("quality.failures")
        .filter(duckdb.ColumnExpression("run_id") == duckdb.ConstantExpression(run_id))
        .order(
            "case severity when 'error' then 0 when 'warning' then 1 else 2 end, rule_id, "
            "table_name, course_id, form_id, item_no"
        )
    )


def export_failures(con: duckdb.DuckDBPyConnection, run_id: str, path: Path) -> int:
    """Write a run's failing rows (rule, severity, keys, reason, lineage) as CSV; return
    the number of rows. DuckDB streams them to the file, text neutralised for
    spreadsheets and the file written whole or not at all (:mod:`datadialog.tabular`)."""
    rel = failures(con, run_id)
    write_relation_csv(con, rel, path)
    return int(rel.aggregate("count(*)").fetchall()[0][0])


def describe(run: CheckRun, language: str = "en") -> list[str]:
    """One line per failed rule (title, severity, counts) for logs and the CLI."""
    lines = []
    for r in sorted(run.results, key=lambda r: (r.status == "pass", r.severity, r.rule_id)):
        if r.n_failed:
            lines.append(
                f"{r.severity:7} {r.rule_id:28} {r.table_name:28} {r.n_failed:>7} of "
                f"{r.n_checked:<8} {rule_title(r.rule_id, language)}"
            )
    return lines
