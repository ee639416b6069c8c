"""Load one export file in one transaction: landing, typing, quarantine, merge, report.

The steps per target table (one for a CSV or Parquet file, one per sheet for XLSX)
run the SQL in ``transforms/sql/landing/`` and ``transforms/sql/staging/``:

1. ``_raw`` (readers) -> ``_renamed`` (landing/renamed.sql) -> insert
   ``landing.<table>`` (landing/lnd_<table>.sql: CPR masked, citizen refs
   pseudonymised);
2. ``_stg`` = staging/stg_<table>.sql (typed values + a problem list per record),
   duplicate keys marked (staging/load/*duplicates*.sql);
3. problems -> ``staging.quarantine`` (staging/load/quarantine_rows.sql);
4. clean records classified new / unchanged / changed against the staging table
   (staging/load/match_*.sql); unchanged rows take the new lineage, changed rows
   are replaced, new and changed rows inserted;
5. counts -> ``staging.load_tables`` and the file's ``staging.loads`` row.

A corrected re-export (same file name, other checksum) finally removes the rows
that still belong to the earlier version(s). Any error rolls the whole file back.
"""

from __future__ import annotations

import logging
import re
import secrets
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from datadialog.config_model import DatadialogConfig, TableMapping
from datadialog.privacy import mask_text
from transforms.ingest import mapping as mp
from transforms.ingest import readers
from transforms.ingest.model import (
    LINEAGE_COLUMNS,
    STAGING_TO_MAPPING,
    TABLE_KEYS,
    FileReport,
    IngestFileError,
    TableReport,
)
from transforms.ingest.prepare import prepare_text, sha256_file
from transforms.ingest.sqltext import ident, literal, model, set_variables

#: progress(path, step, done, total): called as a file's steps finish.
Progress = Callable[[Path, str, int, int], None]

#: Ingest's log: one INFO line per file (WARNING when it failed or has warnings) and
#: DEBUG lines with the seconds of each step (attributes ``file``, ``step``,
#: ``seconds``). Every message is CPR-masked before it is logged.
log = logging.getLogger(__name__)


@contextmanager
def timed(file_name: str, step: str) -> Iterator[None]:
    """Log the seconds a step of a file's load took (DEBUG)."""
    start = time.perf_counter()
    try:
        yield
    finally:
        seconds = time.perf_counter() - start
        log.debug(
            "%s: %s took %.3f s",
            file_name,
            step,
            seconds,
            extra={"file": file_name, "step": step, "seconds": seconds},
        )


def new_id(prefix: str, now: datetime) -> str:
    """A load or batch id such as ``L20240315_103012_a1b2c3`` (time-ordered, unique)."""
    return f"{prefix}{now:%Y%m%d_%H%M%S}_{secrets.token_hex(3)}"


def run(con: duckdb.DuckDBPyConnection, sql: str, params: dict | None = None):
    """Execute ``sql`` after setting the variables it reads from ``params``."""
    set_variables(con, sql, params or {})
    return con.execute(sql)


def one_line(exc: BaseException) -> str:
    """A DuckDB (or other) error as one masked line, CSV errors as 'line N: reason'."""
    text = mask_text(str(exc))
    csv_line = re.search(r"CSV Error on Line: (\d+)", text)
    if csv_line:
        columns = re.search(r"Expected Number of Columns: (\d+) Found: (\d+)", text)
        if columns:
            reason = f"expected {columns.group(1)} fields, found {columns.group(2)}"
        else:
            lines = [
                ln.strip()
                for ln in text.splitlines()[1:]
                if ln.strip() and not ln.startswith(("Original Line", "Possible fixes", "*", "  "))
            ]
            reason = next((ln for ln in lines if not ln.startswith(("file =", "delimiter"))), "")
            reason = reason or "the record cannot be parsed"
        return f"line {csv_line.group(1)}: {reason[0].lower() + reason[1:] if reason else reason}"
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return lines[0] if lines else type(exc).__name__


@dataclass
class Batch:
    """What every file of one ``ingest_files`` call shares."""

    con: duckdb.DuckDBPyConnection
    config: DatadialogConfig
    batch_id: str
    workdir: Path
    progress: Progress | None = None

    def step(self, path: Path, name: str, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(path, name, done, total)


# ---------------------------------------------------------------- one file


def load_file(batch: Batch, plan: mp.FilePlan) -> FileReport:
    """Load one planned file; never raises for a bad file (see FileReport.status)."""
    con = batch.con
    path = plan.path
    clock = time.perf_counter()
    started = datetime.now()
    report = FileReport(path=path, source_id=plan.source.id)
    report.load_id = new_id("L", started)
    total = len(plan.mappings) + 1
    batch.step(path, "reading", 0, total)
    try:
        try:
            report.sha256 = sha256_file(path)
        except OSError as exc:
            raise IngestFileError(f"cannot read the file: {exc.strerror or exc}") from None
        earlier = run(
            con,
            model("staging/load/loaded_versions.sql"),
            {"sha256": report.sha256, "file_name": path.name},
        ).fetchall()
        same = [row for row in earlier if row[4]]
        if same:
            report.status = "skipped"
            report.load_id = same[0][0]
            report.note = (
                f"already loaded (load {same[0][0]}"
                + (f", as {same[0][1]}" if same[0][1] != path.name else "")
                + ")"
            )
            batch.step(path, "skipped", total, total)
            return report
        report.replaced_load_ids = [row[0] for row in earlier if row[1] == path.name]
        con.execute("begin transaction")
        try:
            _load_units(batch, plan, report, started, total)
            if report.replaced_load_ids:
                _remove_earlier_versions(con, report)
            report.status = "loaded"
            _insert_load(con, batch, report, started, datetime.now())
            with timed(mask_text(path.name), "commit"):
                con.execute("commit")
        except BaseException:
            con.execute("rollback")
            report.tables = []
            raise
    except IngestFileError as exc:
        _fail(batch, report, started, str(exc))
    except duckdb.Error as exc:
        _fail(batch, report, started, one_line(exc))
    finally:
        readers.release_arrow(con)
        _drop_temporary(con)
        report.seconds = time.perf_counter() - clock
    batch.step(path, report.status, total, total)
    return report


#: Temporary views and tables a file's load creates (dropped when the file is done).
TEMPORARY_VIEWS = ("_renamed", readers.RAW_VIEW)
TEMPORARY_TABLES = ("_stg", "_dups", "_matches", "_columns")


def _drop_temporary(con: duckdb.DuckDBPyConnection) -> None:
    for name in TEMPORARY_VIEWS:
        con.execute(f"drop view if exists temp.main.{ident(name)}")
    for name in TEMPORARY_TABLES:
        con.execute(f"drop table if exists temp.main.{ident(name)}")


def _fail(batch: Batch, report: FileReport, started: datetime, message: str) -> None:
    report.status = "failed"
    report.error = f"{report.file_name}: {mask_text(message)}"
    report.rows_in = report.rows_staged = report.rows_unchanged = 0
    report.rows_quarantined = report.cpr_masked = 0
    report.replaced_load_ids = []
    try:
        con = batch.con
        con.execute("begin transaction")
        _insert_load(con, batch, report, started, datetime.now())
        con.execute("commit")
    except duckdb.Error:
        try:
            batch.con.execute("rollback")
        except duckdb.Error:
            pass


def _insert_load(
    con: duckdb.DuckDBPyConnection,
    batch: Batch,
    report: FileReport,
    started: datetime,
    finished: datetime,
) -> None:
    run(
        con,
        model("staging/load/insert_load.sql"),
        {
            "load_id": report.load_id,
            "batch_id": batch.batch_id,
            "source_id": report.source_id,
            "file_name": report.file_name,
            "sha256": report.sha256 or "",
            "started_at": started,
            "finished_at": finished,
            "rows_in": report.rows_in,
            "rows_staged": report.rows_staged,
            "rows_unchanged": report.rows_unchanged,
            "rows_quarantined": report.rows_quarantined,
            "cpr_masked": report.cpr_masked,
            "status": report.status,
            "error": report.error,
            "warnings": [mask_text(w) for w in report.warnings],
        },
    )


def _remove_earlier_versions(con: duckdb.DuckDBPyConnection, report: FileReport) -> None:
    params = {"old_load_ids": report.replaced_load_ids, "load_id": report.load_id}
    tables = [f"staging.{t}" for t in TABLE_KEYS]
    tables += [f"landing.{t}" for t in list(TABLE_KEYS) + ["measurement_forms"]]
    tables += ["staging.quarantine"]
    for table in tables:
        schema, name = table.split(".")
        sql = model("staging/load/delete_load_rows.sql", table=f"{schema}.{ident(name)}")
        run(con, sql, params)
    run(con, model("staging/load/mark_replaced.sql"), params)


# ---------------------------------------------------------------- the tables of a file


@dataclass
class _Unit:
    """One target table of the file, ready to land: view _raw exists."""

    mapping: TableMapping
    sheet: str | None
    renaming: mp.Renaming
    trailer: bool = False
    trailer_count: int | None = None


def _load_units(batch: Batch, plan: mp.FilePlan, report: FileReport, started, total) -> None:
    source = plan.source
    path = plan.path
    name = mask_text(path.name)
    if source.format == "csv":
        with timed(name, "prepare"):
            prepared = prepare_text(path, source, batch.workdir)
        report.warnings.extend(prepared.warnings)
        header = readers.register_csv(batch.con, prepared, source)
        renaming = mp.renaming(plan.mappings[0], header, "", prepared.header_raw)
        unit = _Unit(plan.mappings[0], None, renaming, prepared.trailer, prepared.trailer_count)
        _load_table(batch, plan, report, unit, started)
        batch.step(path, plan.mappings[0].canonical, 1, total)
        return
    if source.format == "parquet":
        header = readers.register_parquet(batch.con, path, source)
        renaming = mp.renaming(plan.mappings[0], header, "")
        _load_table(batch, plan, report, _Unit(plan.mappings[0], None, renaming), started)
        batch.step(path, plan.mappings[0].canonical, 1, total)
        return
    workbook = readers.open_workbook(path)
    found = 0
    for done, mapping in enumerate(plan.mappings, start=1):
        wanted = mapping.sheet or mapping.canonical
        sheet = readers.find_sheet(workbook, wanted)
        if sheet is None:
            report.warnings.append(
                f"sheet {wanted!r} not in the workbook; no {mapping.canonical} loaded"
            )
            batch.step(path, mapping.canonical, done, total)
            continue
        found += 1
        rows = readers.read_sheet(workbook, sheet)
        if not rows.header:
            report.warnings.append(f"sheet {sheet!r} is empty; no {mapping.canonical} loaded")
            batch.step(path, mapping.canonical, done, total)
            continue
        renaming = mp.renaming(mapping, rows.header, f"sheet {sheet!r}: ", rows.header_raw)
        table, trailer, count = readers.sheet_arrow(rows, renaming.used_columns, source)
        readers.register_arrow(batch.con, table)
        _load_table(batch, plan, report, _Unit(mapping, sheet, renaming, trailer, count), started)
        readers.release_arrow(batch.con)
        batch.step(path, mapping.canonical, done, total)
    if not found:
        expected = ", ".join(repr(m.sheet or m.canonical) for m in plan.mappings)
        have = ", ".join(repr(s) for s in workbook.sheet_names)
        raise IngestFileError(f"none of the sheets {expected} is in the workbook (it has {have})")


def _params(plan: mp.FilePlan, report: FileReport, unit: _Unit, started: datetime) -> dict:
    return {
        "load_id": report.load_id,
        "source_id": plan.source.id,
        "file_name": report.file_name,
        "sheet": unit.sheet,
        "sha256": report.sha256,
        "loaded_at": started,
        "quarantined_at": started,
        "canonical_table": unit.mapping.canonical,
        "date_format": plan.source.date_format,
        "decimal": plan.source.decimal,
    }


def _load_table(
    batch: Batch, plan: mp.FilePlan, report: FileReport, unit: _Unit, started: datetime
) -> None:
    con = batch.con
    mapping = unit.mapping
    table = mapping.canonical
    where = f"sheet {unit.sheet!r}: " if unit.sheet else ""
    renaming = unit.renaming
    report.warnings.extend(renaming.warnings)
    params = _params(plan, report, unit, started)
    name = mask_text(report.file_name)

    params |= mp.code_maps(mapping, batch.config)
    con.register("_columns_arrow", mp.columns_table(mapping, renaming.items))
    try:
        con.execute("create or replace temp table _columns as select * from _columns_arrow")
    finally:
        con.unregister("_columns_arrow")

    # 1. landing
    readers.create_view(
        con,
        "_renamed",
        model("landing/renamed.sql", header_test=renaming.header_test, columns=renaming.columns),
    )
    landing = mp.landing_table(mapping)
    with timed(name, "landing"):
        run(
            con,
            f"insert into landing.{ident(landing)} by name\nselect * from (\n"
            + model(f"landing/lnd_{landing}.sql")
            + "\n)",
            params,
        )
    with timed(name, "count CPR"):
        cpr = sum(
            v or 0
            for v in run(
                con, model("staging/load/count_cpr.sql", table=f"landing.{ident(landing)}"), params
            ).fetchone()
        )
        if landing == "measurement_forms":
            cpr += run(con, model("staging/load/count_cpr_items.sql"), params).fetchone()[0]

    # 2. typing and problems
    with timed(name, "typing"):
        run(
            con,
            "create or replace temp table _stg as\n" + model(f"staging/stg_{table}.sql"),
            params,
        )
    keys = TABLE_KEYS[table]
    if keys:
        with timed(name, "duplicates"):
            _mark_duplicates(con, table, keys)

    # 3. quarantine
    with timed(name, "quarantine"):
        run(
            con,
            "insert into staging.quarantine by name\nselect * from (\n"
            + model("staging/load/quarantine_rows.sql")
            + "\n)",
            params,
        )

    # 4. merge: unchanged rows take the new lineage, changed rows are replaced
    staging_table = f"staging.{ident(table)}"
    values = [c for c in _staging_columns(con, table) if c not in keys and c not in LINEAGE_COLUMNS]
    same_values = " and ".join(
        f"candidates.{ident(c)} is not distinct from existing.{ident(c)}" for c in values
    )
    if keys:
        match = model(
            "staging/load/match_keyed.sql",
            table=staging_table,
            key_columns=", ".join(ident(k) for k in keys),
            key_match=" and ".join(f"candidates.{ident(k)} = existing.{ident(k)}" for k in keys),
            same_values=same_values,
        )
    else:
        match = model(
            "staging/load/match_unkeyed.sql",
            table=staging_table,
            columns=", ".join(ident(c) for c in values),
            same_values=same_values,
        )
    with timed(name, "match"):
        con.execute("create or replace temp table _matches as\n" + match)
    with timed(name, "replace"):
        run(con, model("staging/load/update_unchanged.sql", table=staging_table), params)
        con.execute(model("staging/load/delete_changed.sql", table=staging_table))
    with timed(name, "staging"):
        con.execute(
            f"insert into {staging_table} by name\nselect * from (\n"
            + model("staging/load/staged_rows.sql")
            + "\n)"
        )

    # 5. counts
    with timed(name, "counts"):
        rows_in, staged, unchanged, quarantined = con.execute(
            model("staging/load/count_records.sql")
        ).fetchone()
    counts = TableReport(
        canonical_table=table,
        sheet=unit.sheet,
        rows_in=rows_in,
        rows_staged=staged,
        rows_unchanged=unchanged,
        rows_quarantined=quarantined,
        cpr_masked=int(cpr),
    )
    run(
        con,
        model("staging/load/insert_load_table.sql"),
        params
        | {
            "rows_in": rows_in,
            "rows_staged": staged,
            "rows_unchanged": unchanged,
            "rows_quarantined": quarantined,
            "cpr_masked": int(cpr),
        },
    )
    report.add(counts)
    if unit.trailer and unit.trailer_count is not None and unit.trailer_count != rows_in:
        report.warnings.append(
            f"{where}the trailer says {unit.trailer_count} rows, "
            f"the file has {rows_in} data records"
        )
    if rows_in == 0:
        report.warnings.append(f"{where}no data records")


def _mark_duplicates(con: duckdb.DuckDBPyConnection, table: str, keys: list[str]) -> None:
    key_columns = ", ".join(ident(k) for k in keys)
    n = con.execute(
        model("staging/load/count_duplicate_keys.sql", key_columns=key_columns)
    ).fetchone()[0]
    if not n:
        return
    key_text = f"cast({ident(keys[0])} as varchar)"
    con.execute(
        "create or replace temp table _dups as\n"
        + model("staging/load/find_duplicates.sql", key_columns=key_columns, key_text=key_text)
    )
    con.execute(
        model(
            "staging/load/mark_duplicates.sql",
            key_column=literal(STAGING_TO_MAPPING.get(keys[0], keys[0])),
        )
    )


def _staging_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    rows = con.execute(
        "select column_name from duckdb_columns() "
        "where schema_name = 'staging' and table_name = ? order by column_index",
        [table],
    ).fetchall()
    return [r[0] for r in rows]
