"""Load one export file in one transaction: landing, typing, quarantine, merge, report.

The steps per target table (one for a CSV or Parquet file, one per sheet for XLSX)
run the SQL in ``transforms/sql/landing/`` and ``transforms/sql/staging/``:

1. ``_raw`` (readers) -> ``_renamed`` (landing/renamed.sql) -> temporary table
   ``_lnd_<table>`` (landing/lnd_<table>.sql: CPR masked, citizen refs pseudonymised;
   a CSV export's records stored in file order) -> temporary view
   ``_landing_<table>`` (landing/load_rows.sql: numbered, repeated header lines
   left out, load id added): this load's landing rows;
2. ``_stg`` = staging/stg_<table>.sql over them (typed values + a problem list per
   record), duplicate keys marked (staging/load/*duplicates*.sql), and its clean
   records classified unchanged / changed against the staging table, the rest new
   (``_matches``: staging/load/match_*.sql);
3. ``_landing_<table>`` -> ``landing.<table>`` (landing/insert_landing.sql: the
   fields as one JSON array); problems -> ``staging.quarantine``
   (staging/load/quarantine_rows.sql);
4. the staged rows a clean record meets are deleted (staging/load/delete_matched.sql)
   and every clean record inserted: changed rows are replaced, unchanged ones take
   the new lineage;
5. counts -> ``staging.load_tables`` and the file's ``staging.loads`` row.

Steps 3-5 and the removal of an earlier version of a corrected re-export (same
file name, other checksum) run in one transaction: any error rolls the whole file
back. For a CSV or Parquet file steps 1-2 run before that transaction: they write
temporary tables only (nothing a crash could leave behind) and DuckDB reads
committed temporary tables in parallel, but scans rows written inside an open
transaction much more slowly. A workbook's sheets are typed inside the
transaction, because a later sheet refers to rows an earlier one stages
(courses to citizens ...).

A CSV export loads whole, from its one UTF-8 copy (transforms.ingest.prepare):
DuckDB's ``memory_limit`` while loading (see :data:`LOAD_SETTINGS`) keeps the memory
flat, its temporary tables going to disk beyond it. A record longer than DuckDB
reads (over ``ingest.csv_max_field_bytes``) makes the load start again after the
copy's long records are cut short (prepare.cut_oversized) and quarantined.

While a file loads, the connection runs with :data:`LOAD_SETTINGS` (put back
afterwards). Where the time goes, and why the steps are shaped as they are:
docs/benchmarks.md.
"""

from __future__ import annotations

import difflib
import logging
import re
import secrets
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from datadialog.config_model import DatadialogConfig, TableMapping
from datadialog.db import fault_kind, rollback
from datadialog.privacy import mask_text
from transforms.ingest import diagnose, readers, workbook
from transforms.ingest import mapping as mp
from transforms.ingest.model import (
    LINEAGE_COLUMNS,
    STAGING_TO_MAPPING,
    FileReport,
    FormatFault,
    IngestFileError,
    TableReport,
)
from transforms.ingest.prepare import (
    Oversized,
    PreparedText,
    cut_oversized,
    lone_cr_line,
    physical_line,
    prepare_text,
    sha256_file,
)
from transforms.sqltext import duckdb_settings, ident, literal, model, set_variables
from transforms.tables import TABLE_KEYS

#: DuckDB settings while a file loads (the connection's own values are put back after):
#: - preserve_insertion_order false: rows may be written in any order, so inserts run
#:   in parallel (the record number is a column; CSV records are numbered in file
#:   order before, see readers.register_csv);
#: - disabled_compression_methods fsst: string columns are compressed by dictionary
#:   (and the other light methods) only; on the demo exports this writes about 15 %
#:   faster and the file is no larger (FSST suits long free texts, rare here);
#: - memory_limit 512MB: DuckDB's buffers (temporary tables, the blocks it writes and
#:   keeps cached) stay under it, evicting or spilling to disk beyond; a whole CSV
#:   export's load peaks at 0.7-0.9 GiB from 1 M to 8 M measurement lines (1.1 GiB at
#:   2 M lines without the limit).
LOAD_SETTINGS: dict[str, str] = {
    "preserve_insertion_order": "false",
    "disabled_compression_methods": "fsst",
    "memory_limit": "512MB",
}

#: DuckDB settings while landing rows are written: FSST compresses the JSON array of
#: a record's fields to about a third (dictionary compression cannot: the arrays are
#: nearly all different), for about 0.07 s per million records. Landing tables made
#: since 2026-12-07 name FSST on the column itself (ddl/landing.sql), which also spares
#: the analysis of the other methods; the setting serves the tables made before.
LANDING_SETTINGS: dict[str, str] = {"disabled_compression_methods": ""}

#: progress(path, step, done, total): called as a file's steps finish.
Progress = Callable[[Path, str, int, int], None]

#: Ingest's log: one INFO line per file (WARNING when it failed or has warnings) and
#: DEBUG lines with the seconds of each step (attributes ``file``, ``step``,
#: ``seconds``). Every message is CPR-masked before it is logged.
log = logging.getLogger(__name__)


@contextmanager
def timed(file_name: str, step: str) -> Iterator[None]:
    """Log the seconds a step of a file's load took (DEBUG): wall-clock ``seconds`` and
    ``cpu_seconds``, the CPU time of the whole process meanwhile (DuckDB's threads and
    the checksum thread included), so that cpu_seconds / seconds tells how many cores
    the step kept busy (bench/ingest.py prints it per step)."""
    start, cpu_start = time.perf_counter(), time.process_time()
    try:
        yield
    finally:
        seconds = time.perf_counter() - start
        cpu_seconds = time.process_time() - cpu_start
        log.debug(
            "%s: %s took %.3f s (CPU %.3f s)",
            file_name,
            step,
            seconds,
            cpu_seconds,
            extra={
                "file": file_name, "step": step, "seconds": seconds, "cpu_seconds": cpu_seconds
            },
        )


def new_id(prefix: str, now: datetime) -> str:
    """A load or batch id such as ``L20240315_103012_ra1b2c3`` (time-ordered, unique).
    The letter before the random part keeps a time of day that reads as a date (02:10:06
    as 02.10.06) and a random part that begins with four digits from making a CPR number
    in the ddmmyy_xxxx spelling, which every masked text and the CPR checks look for."""
    return f"{prefix}{now:%Y%m%d_%H%M%S}_r{secrets.token_hex(3)}"


def run(con: duckdb.DuckDBPyConnection, sql: str, params: dict | None = None):
    """Execute ``sql`` after setting the variables it reads from ``params``."""
    set_variables(con, sql, params or {})
    return con.execute(sql)


def one_line(exc: BaseException, line_of: Callable[[int], int] | None = None) -> str:
    """A DuckDB (or other) error as one masked line, CSV errors as 'line N: reason'
    (``line_of``: the file's line number of the line DuckDB names, which counts records:
    see prepare.physical_line)."""
    text = mask_text(str(exc))
    csv_line = re.search(r"CSV Error on Line: (\d+)", text)
    if csv_line:
        line_no = int(csv_line.group(1))
        line_no = line_of(line_no) if line_of is not None else line_no
        columns = re.search(r"Expected Number of Columns: (\d+) Found: (\d+)", text)
        if columns:
            reason = f"expected {columns.group(1)} fields, found {columns.group(2)}"
        else:
            # the reason is the last line before DuckDB's advice and settings (the
            # record quoted under "Original Line" may span several lines; not repeated)
            body = re.split(r"Possible fixes|Possible Solution|\n\s+file = ", text, maxsplit=1)[0]
            body = body.split("Original Line:", 1)[-1] if "Original Line:" in body else body
            lines = [ln.strip() for ln in body.splitlines()[1:] if ln.strip()]
            reason = lines[-1] if lines else "the record cannot be parsed"
            reason = reason.rstrip(".")
        return f"line {line_no}: {reason[0].lower() + reason[1:]}"
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
    #: load again a file whose content was loaded before (after a mapping fix): its
    #: earlier loads are replaced as by a corrected re-export
    reload: bool = False

    #: the last (done, total) reported per file, for :meth:`phase`
    _counts: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def step(self, path: Path, name: str, done: int, total: int) -> None:
        self._counts[path] = (done, total)
        if self.progress is not None:
            self.progress(path, name, done, total)

    def phase(self, path: Path, name: str) -> None:
        """Report what a file's load is doing now (typing, landing, staging ...), with
        the counts of its last :meth:`step`: a large export takes tens of seconds."""
        self.step(path, name, *self._counts.get(path, (0, 1)))


# ---------------------------------------------------------------- one file


def load_file(batch: Batch, plan: mp.FilePlan) -> FileReport:
    """Load one planned file; never raises for a bad file (see FileReport.status).

    Any error, including an unexpected one, becomes a ``failed`` report with a
    one-line error; only an interrupt (KeyboardInterrupt, SystemExit) goes through,
    after the open transaction is rolled back.
    """
    con = batch.con
    path = plan.path
    clock = time.perf_counter()
    started = datetime.now()
    report = FileReport(path=path, source_id=plan.source.id)
    report.load_id = new_id("L", started)
    total = len(plan.mappings) + 1
    batch.step(path, "reading", 0, total)
    try:
        prepared = _checksum_and_prepare(batch, plan, report)
        earlier = run(
            con,
            model("staging/load/loaded_versions.sql"),
            {"sha256": report.sha256, "file_name": report.file_name},
        ).fetchall()
        same = [row for row in earlier if row[4]]
        if batch.reload:
            loaded = [row for row in earlier if row[3] == "loaded"]
            report.replaced_load_ids = [row[0] for row in loaded]
            report.previous = _previous_balance(con, report.replaced_load_ids)
            if isinstance(prepared, IngestFileError):
                raise prepared
            with duckdb_settings(con, LOAD_SETTINGS):
                _load(batch, plan, report, started, total, prepared)
        elif same:
            report.status = "skipped"
            report.load_id = same[0][0]
            report.note = (
                f"already loaded (load {same[0][0]}"
                + (f", as {same[0][1]}" if same[0][1] != report.file_name else "")
                + "; after a fix of its mapping in the config, load it again with --reload)"
            )
        else:
            report.replaced_load_ids = [row[0] for row in earlier if row[1] == report.file_name]
            if isinstance(prepared, IngestFileError):
                raise prepared
            with duckdb_settings(con, LOAD_SETTINGS):
                _load(batch, plan, report, started, total, prepared)
    except IngestFileError as exc:
        _fail(batch, report, started, str(exc))
    except duckdb.Error as exc:
        if fault_kind(exc) is not None:  # the database, not the file: stop the batch
            raise
        _fail(batch, report, started, one_line(exc))
    except Exception as exc:  # a bug or an unforeseen file: still one line, batch goes on
        log.error(
            "%s: unexpected error while loading", mask_text(path.name), exc_info=_masked(exc)
        )
        _fail(batch, report, started, f"unexpected error ({type(exc).__name__}): {one_line(exc)}")
    finally:
        readers.release_arrow(con)
        _drop_temporary(con)
        report.seconds = time.perf_counter() - clock
    _log_report(report)
    batch.step(path, report.status, total, total)
    return report


def _previous_balance(con: duckdb.DuckDBPyConnection, load_ids: list[str]) -> dict | None:
    """Counts of the loads a re-load replaces (rows in, staged, unchanged, quarantined)."""
    if not load_ids:
        return None
    row = run(con, model("staging/load/previous_balance.sql"), {"old_load_ids": load_ids})
    rows_in, staged, unchanged, quarantined = row.fetchone()
    return {"rows_in": rows_in, "rows_staged": staged, "rows_unchanged": unchanged,
            "rows_quarantined": quarantined}


def _checksum_and_prepare(
    batch: Batch, plan: mp.FilePlan, report: FileReport
) -> PreparedText | IngestFileError | None:
    """Set the file's SHA-256 and, for a CSV export, make its UTF-8 copy, side by side.

    The checksum is computed in a thread (hashlib lets go of the GIL while it
    hashes) while the copy is made, so a CSV file's bytes cost one pass of time, not
    two. Returns the prepared text (None for a workbook or Parquet file) or the
    error preparing it raised: that error counts only when the file is not skipped
    as already loaded.
    """
    path = plan.path
    with ThreadPoolExecutor(max_workers=1) as pool:
        checksum = pool.submit(sha256_file, path)
        prepared: PreparedText | IngestFileError | None = None
        if plan.source.format == "csv":
            try:
                with timed(mask_text(path.name), "prepare"):
                    prepared = prepare_text(path, plan.source, batch.workdir)
            except IngestFileError as exc:
                prepared = exc
        try:
            report.sha256 = checksum.result()
        except OSError as exc:
            raise IngestFileError(f"cannot read the file: {exc.strerror or exc}") from None
    return prepared


def _masked(exc: BaseException) -> BaseException:
    """``exc`` with CPR numbers masked in its message (for a logged traceback)."""
    try:
        exc.args = tuple(mask_text(a) if isinstance(a, str) else a for a in exc.args)
    except Exception:  # some exception types refuse new args
        pass
    return exc


def reexport_text(report: FileReport) -> str:
    """``; re-export of load ...: 2 records removed, 3 dependent rows quarantined``, or
    empty when the file replaced no earlier version."""
    if not report.replaced_load_ids:
        return ""
    if report.rows_flagged:
        what = f"{report.rows_flagged} records no longer in it kept and flagged"
    else:
        what = (
            f"{report.rows_removed} records removed, "
            f"{report.dependents_quarantined} dependent rows quarantined"
        )
    return f"; re-export of load {', '.join(report.replaced_load_ids)}: {what}"


def _log_report(report: FileReport) -> None:
    name = mask_text(report.file_name)
    if report.status == "failed":
        log.warning("%s: failed: %s", name, mask_text(report.error or ""))
        return
    if report.status == "skipped":
        log.info("%s: skipped: %s", name, mask_text(report.note or ""))
        return
    log.info(
        "%s: loaded as %s: %d records in, %d staged, %d unchanged, %d quarantined, "
        "%d CPR numbers masked%s, %.2f s",
        name,
        report.load_id,
        report.rows_in,
        report.rows_staged,
        report.rows_unchanged,
        report.rows_quarantined,
        report.cpr_masked,
        reexport_text(report),
        report.seconds,
    )
    if report.skipped_lines:
        log.info("%s: left out (not data): %s", name, report.skipped_lines)
    if report.citizens_derived:
        log.info("%s: %d citizens added from the courses (derive_citizens)", name,
                 report.citizens_derived)
    for warning in report.warnings:
        log.warning("%s: %s", name, mask_text(warning))
    for fault in report.format_faults:
        # the steward's next step: every record of the table in quarantine is an error
        level = logging.ERROR if fault.all_quarantined else logging.WARNING
        log.log(level, "%s: %s", name, fault.text)


def _load(
    batch: Batch,
    plan: mp.FilePlan,
    report: FileReport,
    started: datetime,
    total: int,
    prepared: PreparedText | None,
) -> None:
    """Type (outside the transaction where possible) and persist (inside) one file."""
    con = batch.con
    path = plan.path
    if plan.source.format == "xlsx":
        with _transaction(con, report):
            _load_workbook(batch, plan, report, started, total)
            _finish(batch, report, started)
        return
    if plan.source.format == "csv":
        if prepared is None:
            raise RuntimeError("a CSV export is prepared (_checksum_and_prepare) before it loads")
        _load_csv(batch, plan, report, started, total, prepared)
        return
    unit = _read_parquet(batch, plan, report)
    typed = _type_unit(batch, plan, report, unit, started)
    with _transaction(con, report):
        _record_counts(batch, report, unit, typed.params, _persist_unit(batch, report, typed))
        batch.step(path, unit.mapping.canonical, 1, total)
        _finish(batch, report, started)


class _LongRecord(Exception):
    """DuckDB met a CSV record longer than it reads: cut the long ones and load again."""


def _load_csv(
    batch: Batch,
    plan: mp.FilePlan,
    report: FileReport,
    started: datetime,
    total: int,
    prepared: PreparedText,
) -> None:
    """A CSV export whole: read and typed before the file's transaction (DuckDB scans
    a committed temporary table on every core, one made inside a transaction on one),
    then written inside it. A record longer than DuckDB reads (more than
    csv_max_field_bytes) makes the load start again, the long records cut short and
    quarantined first."""
    warnings = list(report.warnings)
    try:
        _load_csv_copy(batch, plan, report, started, total, prepared, None)
    except _LongRecord:
        report.warnings = warnings  # nothing was written yet; start again
        for setting, value in LOAD_SETTINGS.items():
            batch.con.execute(f"set {setting} = {literal(value)}")
        limits = batch.config.ingest
        oversized = cut_oversized(
            prepared, plan.source, limits.csv_max_field_bytes, limits.csv_max_line_bytes
        )
        _load_csv_copy(batch, plan, report, started, total, prepared, oversized)


def _load_csv_copy(
    batch: Batch,
    plan: mp.FilePlan,
    report: FileReport,
    started: datetime,
    total: int,
    prepared: PreparedText,
    oversized: list[Oversized] | None,
) -> None:
    """The UTF-8 copy (view _raw over it) stored, typed and written (``oversized``: the
    records cut short, or None before any was; then a record DuckDB cannot read
    whole raises _LongRecord)."""
    con = batch.con
    source = plan.source
    mapping = plan.mappings[0]
    limits = batch.config.ingest
    report.warnings.extend(prepared.warnings)
    if source.trailer_pattern and not prepared.trailer:
        report.missing_trailer = source.trailer_pattern
        report.warnings.append(
            "no trailer line matching the source's trailer_pattern "
            f"({source.trailer_pattern}) at the end: the file may be cut short (a complete "
            "export from this system ends with one)"
        )
    # after cutting, every record is within csv_max_line_bytes (doubled quotes and the
    # quotes around a field may add as much again)
    longest = limits.csv_max_field_bytes if oversized is None else (
        2 * limits.csv_max_line_bytes + 65536
    )
    names = readers.register_csv(con, prepared, source, longest)
    renaming = mp.renaming(mapping, names, "", prepared.header_raw)
    report.warnings.extend(renaming.warnings)
    unit = _Unit(
        mapping, None, renaming, prepared.trailer, prepared.trailer_count, in_file_order=True,
        oversized=oversized or [],
    )
    with timed(mask_text(plan.path.name), "read"):
        try:
            _store_records(con, unit)
        except duckdb.Error as exc:
            if oversized is None and "Maximum line size" in str(exc):
                raise _LongRecord from None
            raise _csv_error(exc, prepared, source) from None
    typed = _type_unit(batch, plan, report, unit, started)
    with _transaction(con, report):
        _record_counts(batch, report, unit, typed.params, _persist_unit(batch, report, typed))
        batch.step(plan.path, mapping.canonical, 1, total)
        _finish(batch, report, started)


@contextmanager
def _transaction(con: duckdb.DuckDBPyConnection, report: FileReport) -> Iterator[None]:
    """One transaction: committed when the block ends, rolled back on any error."""
    con.execute("begin transaction")
    try:
        yield
        with timed(mask_text(report.file_name), "commit"):
            con.execute("commit")
    except BaseException:
        rollback(con)  # the failed commit may have ended it already
        report.tables = []
        raise


def _finish(batch: Batch, report: FileReport, started: datetime) -> None:
    """Inside the file's transaction: replace earlier versions, write the loads row."""
    if report.replaced_load_ids:
        _remove_earlier_versions(batch, report, started)
    _waiting_dependents(batch.con, report)
    report.status = "loaded"
    _insert_load(batch.con, batch, report, started, datetime.now())


#: Landing tables (one per canonical table, plus the wide layout of measurements).
LANDING_TABLES = (*TABLE_KEYS, "measurement_forms")


def records_table(landing: str) -> str:
    """The temporary table that landing/lnd_<landing>.sql builds: the records of the
    table being loaded, under their canonical names, CPR masked."""
    return f"_lnd_{landing}"


#: Temporary views and tables a file's load creates (dropped when the file is done).
TEMPORARY_VIEWS = ("_renamed", readers.RAW_VIEW, *(f"_landing_{t}" for t in LANDING_TABLES))
TEMPORARY_TABLES = ("_stg", "_dup_keys", "_dups", "_matches", "_columns", "_oversized", "_orphans",
                    "_held", "_later", "_later_rows", *(records_table(t) for t in LANDING_TABLES))


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
    report.rows_removed = report.dependents_quarantined = report.rows_flagged = 0
    report.replaced_load_ids = []
    report.previous = None  # a failed re-load replaced nothing
    report.tables = []
    try:
        con = batch.con
        con.execute("begin transaction")
        _insert_load(con, batch, report, started, datetime.now())
        con.execute("commit")
    except duckdb.Error as exc:
        rollback(batch.con)
        if fault_kind(exc) is not None:
            raise


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
            "rows_removed": report.rows_removed,
            "dependents_quarantined": report.dependents_quarantined,
            "rows_flagged": report.rows_flagged,
            "status": report.status,
            "error": report.error,
            "warnings": [mask_text(w) for w in report.warnings]
            + [fault.text for fault in report.format_faults],
        },
    )


#: Staging references a re-export's removal can break: (child table, its column,
#: parent table, parent key, quarantine rule, the column as the mapping names it), in
#: an order that lets a removal cascade (a course's goals, then their ratings).
REFERENCES: list[tuple[str, str, str, str, str, str]] = [
    ("courses", "citizen_id", "citizens", "citizen_id", "unknown_citizen", "citizen_ref"),
    ("registrations", "course_id", "courses", "course_id", "unknown_course", "course_ref"),
    ("measurements", "course_id", "courses", "course_id", "unknown_course", "course_ref"),
    ("goals", "course_id", "courses", "course_id", "unknown_course", "course_ref"),
    ("activities", "course_id", "courses", "course_id", "unknown_course", "course_ref"),
    ("goal_ratings", "goal_id", "goals", "goal_id", "unknown_goal", "goal_ref"),
]


def _remove_earlier_versions(batch: Batch, report: FileReport, started: datetime) -> None:
    """The earlier versions of a corrected re-export: what the re-export no longer has.

    ``ingest.reexport: replace`` removes their rows (staging, landing, quarantine)
    and counts the removed records per table (``rows_removed``); staged rows of other
    files that referred to a removed record are moved to the quarantine
    (``dependents_quarantined``). ``keep_and_flag`` keeps the records staged and
    lists each in the quarantine as ``removed_in_reexport`` (``rows_flagged``).
    Either way the earlier loads are marked replaced.
    """
    con = batch.con
    params = {"old_load_ids": report.replaced_load_ids, "load_id": report.load_id}
    keep = batch.config.ingest.reexport == "keep_and_flag"
    tables = {t.canonical_table: t for t in report.tables}
    _restore_delivered(con, report, params)
    removed: dict[str, int] = {}
    for table in TABLE_KEYS:
        sql = model("staging/load/count_removed.sql", table=f"staging.{ident(table)}")
        removed[table] = run(con, sql, params).fetchone()[0]
    n_removed = sum(removed.values())
    if report.missing_trailer and n_removed and not keep:
        raise IngestFileError(
            "no trailer line matching the source's trailer_pattern "
            f"({report.missing_trailer}) at the end, so the file may be cut short, and as a "
            f"re-export of {report.file_name} it would remove "
            f"{n_removed} record(s) the earlier version has: nothing was loaded. Load the "
            "complete export (it ends with the trailer line)"
        )
    if report.short_of_trailer and n_removed and not keep:
        raise IngestFileError(
            f"{report.short_of_trailer}, so the file may be cut short, and as a re-export of "
            f"{report.file_name} it would remove {n_removed} record(s) the earlier version "
            "has: nothing was loaded. Load the complete export (as many records as its "
            "trailer line counts)"
        )
    # the earlier versions' quarantine rows go in both modes: the re-export lists again
    # what is still wrong
    for_quarantine = model("staging/load/delete_load_rows.sql", table="staging.quarantine")
    run(con, for_quarantine, params)
    if keep:
        for table, n in removed.items():
            if n:
                run(
                    con,
                    "insert into staging.quarantine by name\nselect * from (\n"
                    + model("staging/load/flag_removed.sql", table=f"staging.{ident(table)}")
                    + "\n)",
                    params | {"quarantined_at": started, "canonical_table": table},
                )
                _table_report(report, tables, table).rows_flagged += n
    else:
        staging = [f"staging.{ident(t)}" for t in TABLE_KEYS]
        landing = [f"landing.{ident(t)}" for t in (*TABLE_KEYS, "measurement_forms")]
        for name in staging + landing:
            run(con, model("staging/load/delete_load_rows.sql", table=name), params)
        for table, n in removed.items():
            if n:
                _table_report(report, tables, table).rows_removed += n
        _quarantine_dependents(con, report, tables, removed, started)
    run(con, model("staging/load/mark_replaced.sql"), params)
    for table in report.tables:
        run(
            con,
            model("staging/load/update_load_table_removed.sql"),
            {
                "load_id": report.load_id,
                "canonical_table": table.canonical_table,
                "rows_removed": table.rows_removed,
                "dependents_quarantined": table.dependents_quarantined,
                "rows_flagged": table.rows_flagged,
            },
        )
    report.rows_removed = sum(t.rows_removed for t in report.tables)
    report.dependents_quarantined = sum(t.dependents_quarantined for t in report.tables)
    report.rows_flagged = sum(t.rows_flagged for t in report.tables)


def _restore_delivered(con: duckdb.DuckDBPyConnection, report: FileReport, params: dict) -> None:
    """Records the re-export no longer has that another current file of the source still
    holds as they were (the same record as received): not the re-export's to remove.
    Their staged rows take that file's lineage again (an unchanged record took the later
    file's when it came again), and a warning names the files. A record another file holds
    in another version is removed as before: which version is right is the steward's call.
    """
    held_by: dict[str, int] = {}
    for table in TABLE_KEYS:
        staging_table = f"staging.{ident(table)}"
        for landing in mp.landing_tables(table):
            items = "landing.items" if landing == "measurement_forms" else "null"
            sql = model("staging/load/restore_delivered.sql", table=staging_table,
                        landing=f"landing.{ident(landing)}", items=items)
            run(con, "create or replace temp table _held as\n" + sql, params)
            rows = con.execute(
                "select loads.file_name, count(*) from _held "
                "inner join staging.loads as loads on _held.load_id = loads.load_id "
                "group by all"
            ).fetchall()
            if rows:
                con.execute(
                    f"update {staging_table} as staged set load_id = _held.load_id, "
                    "row_no = _held.row_no from _held "
                    "where staged.load_id = _held.old_load_id "
                    "and staged.row_no = _held.old_row_no"
                )
            for file_name, n in rows:
                held_by[file_name] = held_by.get(file_name, 0) + n
            con.execute("drop table _held")
    if held_by:
        files = ", ".join(f"{mask_text(f)} ({n})" for f, n in sorted(held_by.items()))
        report.warnings.append(
            f"{sum(held_by.values())} record(s) the re-export no longer has were kept, not "
            f"removed: still held as they were by {files}"
        )


def _table_report(report: FileReport, tables: dict[str, TableReport], table: str) -> TableReport:
    """The file's report of ``table`` (a re-export may no longer fill a table it did:
    then a report of that table with no records in is added)."""
    if table not in tables:
        tables[table] = TableReport(canonical_table=table)
        report.tables.append(tables[table])
    return tables[table]


def _quarantine_dependents(
    con: duckdb.DuckDBPyConnection,
    report: FileReport,
    tables: dict[str, TableReport],
    removed: dict[str, int],
    started: datetime,
) -> None:
    """Staged rows whose reference the removal broke -> quarantine (counted on the
    table whose records were removed). Cascades: a removed course's goals, then
    their ratings."""
    broken = {t for t, n in removed.items() if n}
    for child, column, parent, key, rule, mapped in REFERENCES:
        if parent not in broken:
            continue
        con.execute(
            "create or replace temp table _orphans as\n"
            + model(
                "staging/load/find_orphans.sql",
                child=f"staging.{ident(child)}",
                child_column=ident(column),
                parent=f"staging.{ident(parent)}",
                parent_column=ident(key),
            )
        )
        n = con.execute("select count(distinct (load_id, row_no)) from _orphans").fetchone()[0]
        if not n:
            continue
        run(
            con,
            "insert into staging.quarantine by name\nselect * from (\n"
            + model("staging/load/quarantine_orphans.sql")
            + "\n)",
            {
                "rule": rule,
                "column_name": mapped,
                "canonical_table": child,
                "parent_table": parent,
                "file_name": report.file_name,
                "load_id": report.load_id,
                "quarantined_at": started,
            },
        )
        con.execute(
            f"delete from staging.{ident(child)} "
            "where rowid in (select orphan_rowid from _orphans)"
        )
        origin = tables.get(parent) or _table_report(report, tables, parent)
        origin.dependents_quarantined += n
        broken.add(child)


# ---------------------------------------------------------------- the tables of a file


@dataclass
class _Unit:
    """One target table of the file, ready to land: view _raw exists."""

    mapping: TableMapping
    sheet: str | None
    renaming: mp.Renaming
    trailer: bool = False
    trailer_count: int | None = None
    in_file_order: bool = False  # _raw has no row_no: records are numbered by position
    header_lines: int = 0  # repeated header lines left out (counted while typing)
    oversized: list[Oversized] = field(default_factory=list)  # CSV records cut short
    #: a date_format or decimal mark that does not fit (diagnose; found while typing)
    format_faults: list[FormatFault] = field(default_factory=list)


@dataclass
class _Typed:
    """A unit landed in ``_landing_<table>`` and typed in ``_stg`` (temporary tables)."""

    unit: _Unit
    params: dict
    landing: str  # landing table name
    cpr: int  # CPR numbers masked in the unit's records


def _read_parquet(batch: Batch, plan: mp.FilePlan, report: FileReport) -> _Unit:
    """A Parquet file read into ``_lnd_<table>``, its renaming checked against the mapping
    (the report's warnings: column names that hold a CPR number, then the renaming's)."""
    mapping = plan.mappings[0]
    header, warnings = readers.register_parquet(batch.con, plan.path, plan.source)
    report.warnings.extend(warnings)
    unit = _Unit(mapping, None, mp.renaming(mapping, header, ""))
    report.warnings.extend(unit.renaming.warnings)
    with timed(mask_text(plan.path.name), "read"):
        _store_records(batch.con, unit)
    return unit


#: What a lone CR (outside quotes, not ending a line) does, and what to do about it.
_LONE_CR = ("a carriage return (CR) inside the line, not at its end and not in a quoted "
            "field: the reader {effect}. Remove it in the documentation system (often a "
            "line break pasted into a field) or export the field quoted, then load the file "
            "again")


def _csv_error(exc: duckdb.Error, prepared: PreparedText, source) -> IngestFileError:
    if "state machine reached an invalid state" in str(exc):
        line = lone_cr_line(prepared.read_path, source.quote)
        if line is not None:  # DuckDB's message names no line nor cause
            return IngestFileError(
                f"line {line}: " + _LONE_CR.format(effect="cannot go past it"))
    message = one_line(
        exc, lambda line: physical_line(prepared.read_path, line, source.quote)
    )
    ragged = re.match(r"line (\d+): expected \d+ fields, found \d+$", message)
    if ragged and lone_cr_line(prepared.read_path, source.quote) == int(ragged.group(1)):
        message += " (" + _LONE_CR.format(effect="ends the line there") + ")"
    if not prepared.header_raw[-1].strip() and "fields, found" in message:
        message += (
            f" (the header line ends with the delimiter {source.delimiter!r}, "
            "which makes an extra, empty column)"
        )
    return IngestFileError(message)


def _store_records(con: duckdb.DuckDBPyConnection, unit: _Unit) -> None:
    """Read ``_raw`` once into the temporary table ``_lnd_<table>``: the records under
    their canonical names, CPR masked (landing/lnd_<table>.sql).

    A CSV export's records are stored in file order (``preserve_insertion_order``
    on for this statement, whatever the connection says), so a record's rowid is
    its position and landing/load_rows.sql numbers it; DuckDB still reads the file
    on every core. The views over the file are dropped after: later steps read the
    stored records only.
    """
    readers.create_view(
        con,
        "_renamed",
        model(
            "landing/renamed.sql",
            header_test=unit.renaming.header_test,
            columns=unit.renaming.columns,
        ),
    )
    landing = mp.landing_table(unit.mapping)
    sql = f"create or replace temp table {ident(records_table(landing))} as\n" + model(
        f"landing/lnd_{landing}.sql"
    )
    if unit.in_file_order:
        with duckdb_settings(con, {"preserve_insertion_order": "true"}):
            con.execute(sql)
    else:
        con.execute(sql)
    for view in ("_renamed", readers.RAW_VIEW):
        con.execute(f"drop view if exists temp.main.{ident(view)}")


def _load_workbook(batch: Batch, plan: mp.FilePlan, report: FileReport, started, total) -> None:
    """Every mapped sheet of a workbook, in load order (inside the file's transaction)."""
    source = plan.source
    path = plan.path
    wanted_sheets = list(dict.fromkeys(m.sheet or m.canonical for m in plan.mappings))
    with timed(mask_text(path.name), "read workbook"):
        book = workbook.read_workbook(
            path, wanted_sheets, source, batch.config.ingest, batch.workdir
        )
    found = 0
    for done, mapping in enumerate(plan.mappings, start=1):
        wanted = mapping.sheet or mapping.canonical
        rows = book.sheets.get(wanted)
        if rows is None:
            _sheet_left_out(report, mapping, _missing_sheet(wanted, book.sheet_names))
            batch.step(path, mapping.canonical, done, total)
            continue
        found += 1
        sheet = rows.sheet
        if not rows.header or rows.table is None:
            _sheet_left_out(report, mapping, f"sheet {sheet!r} is empty")
            batch.step(path, mapping.canonical, done, total)
            continue
        if not any(name.strip() for name in rows.header_raw):
            raise IngestFileError(f"sheet {sheet!r}: row 1 is empty; it must name the columns")
        renaming = mp.renaming(mapping, rows.header, f"sheet {sheet!r}: ", rows.header_raw)
        report.warnings.extend(rows.warnings)
        table = rows.table.select(list(dict.fromkeys(["row_no", *renaming.used_columns])))
        readers.register_arrow(batch.con, table)
        unit = _Unit(mapping, sheet, renaming, rows.trailer, rows.trailer_count)
        report.warnings.extend(renaming.warnings)
        _store_records(batch.con, unit)
        typed = _type_unit(batch, plan, report, unit, started)
        _record_counts(batch, report, unit, typed.params, _persist_unit(batch, report, typed))
        readers.release_arrow(batch.con)
        batch.step(path, mapping.canonical, done, total)
    if not found:
        expected = ", ".join(repr(m.sheet or m.canonical) for m in plan.mappings)
        have = ", ".join(repr(s) for s in book.sheet_names)
        raise IngestFileError(f"none of the sheets {expected} is in the workbook (it has {have})")


def _missing_sheet(wanted: str, have: list[str]) -> str:
    """ "sheet 'Form' not in the workbook (did you mean 'Forms'? it has 'Clients', ...)":
    a misspelt sheet name in the config leaves a whole table out, so the steward must see
    which sheets there are. A CPR number in a sheet name is masked: the text goes to the
    console, the log and the load's warnings."""
    close = difflib.get_close_matches(wanted, have, n=1, cutoff=0.8)
    hint = f"did you mean {close[0]!r}? " if close else ""
    listed = ", ".join(repr(name) for name in have)
    return mask_text(f"sheet {wanted!r} not in the workbook ({hint}it has {listed})")


def _sheet_left_out(report: FileReport, mapping: TableMapping, what: str) -> None:
    """A mapped sheet the workbook lacks (or has empty): a warning, unless the mapping
    says the sheet is optional (then an INFO log line only)."""
    text = f"{what}; no {mapping.canonical} loaded"
    if mapping.optional_sheet:
        log.info("%s: %s (optional sheet)", mask_text(report.file_name), mask_text(text))
    else:
        report.warnings.append(text)


def _params(plan: mp.FilePlan, report: FileReport, unit: _Unit, started: datetime) -> dict:
    return {
        "load_id": report.load_id,
        "source_id": plan.source.id,
        "file_name": report.file_name,
        "sheet": unit.sheet,
        "quarantined_at": started,
        "canonical_table": unit.mapping.canonical,
        "landing_table": mp.landing_table(unit.mapping),
        "date_format": plan.source.date_format,
        "decimal": plan.source.decimal,
        "derive_citizens": unit.mapping.derive_citizens,
    }


def _type_unit(
    batch: Batch, plan: mp.FilePlan, report: FileReport, unit: _Unit, started: datetime
) -> _Typed:
    """Steps 1-2: this load's landing rows (views over ``_lnd_<table>``) and their typed
    form (temporary table ``_stg``)."""
    con = batch.con
    mapping = unit.mapping
    table = mapping.canonical
    name = mask_text(report.file_name)
    params = _params(plan, report, unit, started) | mp.code_maps(mapping, batch.config)
    con.register("_columns_arrow", mp.columns_table(mapping, unit.renaming.items))
    try:
        con.execute("create or replace temp table _columns as select * from _columns_arrow")
    finally:
        con.unregister("_columns_arrow")

    # 1. this load's landing rows over _lnd_<table> (the other landing shape of the
    # table, if any, empty)
    landing = mp.landing_table(mapping)
    for shape in mp.landing_tables(table):
        if shape == landing:
            sql = model(
                "landing/load_rows.sql",
                records=ident(records_table(landing)),
                row_no="rowid + 1" if unit.in_file_order else "row_no",
                load_id=literal(report.load_id),
            )
        else:
            sql = f"select * from landing.{ident(shape + '_fields')} limit 0"
        readers.create_view(con, "_landing_" + shape, sql)
    headers = con.execute(
        f"select count(*) filter (where is_header) from {ident(records_table(landing))}"
    ).fetchone()[0]
    unit.header_lines = int(headers or 0)
    with timed(name, "count CPR"):
        temp_landing = ident("_landing_" + landing)
        cpr = sum(
            v or 0
            for v in con.execute(
                model("staging/load/count_cpr.sql", table=temp_landing)
            ).fetchone()
        )
        if landing == "measurement_forms":
            cpr += con.execute(model("staging/load/count_cpr_items.sql")).fetchone()[0]

    # 2. typing and problems
    batch.phase(plan.path, "typing")
    with timed(name, "typing"):
        run(
            con,
            "create or replace temp table _stg as\n" + model(f"staging/stg_{table}.sql"),
            params,
        )
    if unit.oversized:
        _mark_oversized(con, unit.oversized)
    keys = TABLE_KEYS[table]
    if keys:
        with timed(name, "duplicates"):
            _mark_duplicates(con, table, keys)
    _match_staged(con, table, name)
    if keys and table not in KEYS_SHARED_ACROSS_SOURCES:
        with timed(name, "other sources"):
            _mark_other_sources(con, keys, params | {"takes_over": plan.source.takes_over})
    with timed(name, "diagnose"):
        unit.format_faults = diagnose.format_faults(con, plan.source, mapping, unit.sheet)
    return _Typed(unit, params, landing, int(cpr))


@dataclass
class _Counts:
    """A table's counts in a file (step 5)."""

    rows_in: int = 0
    staged: int = 0
    unchanged: int = 0
    quarantined: int = 0
    cpr: int = 0
    derived: int = 0


def _match_staged(con: duckdb.DuckDBPyConnection, table: str, name: str) -> None:
    """The temporary table ``_matches``: the clean records of ``_stg`` whose key (or, for
    a table without a key, whose values) the staging table holds, each with the row it
    meets and whether that row's values are the same (staging/load/match_*.sql).

    Made while typing: outside the file's transaction for a file typed there (a CSV
    export, a Parquet file), so DuckDB scans it on every core and may move it to
    disk; a temporary table made inside the transaction stays in memory until the
    commit (a next-day export of every record of 4 M lines meets 4 M staged rows)."""
    keys = TABLE_KEYS[table]
    staging_table = f"staging.{ident(table)}"
    values = [c for c in _staging_columns(con, table) if c not in keys and c not in LINEAGE_COLUMNS]
    same_values = " and ".join(
        f"candidates.{ident(c)} is not distinct from existing.{ident(c)}" for c in values
    )
    if keys:
        match = model(
            "staging/load/match_keyed.sql",
            table=staging_table,
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


def _persist_unit(batch: Batch, report: FileReport, typed: _Typed) -> _Counts:
    """Steps 3-4 and the counts of one typed unit, inside the file's transaction."""
    con = batch.con
    unit = typed.unit
    table = unit.mapping.canonical
    landing = typed.landing
    params = typed.params
    name = mask_text(report.file_name)

    # 3. landing and quarantine
    batch.phase(report.path, "landing")
    with timed(name, "landing"), duckdb_settings(con, LANDING_SETTINGS):
        con.execute(_landing_insert(con, landing))
        for shape in mp.landing_tables(table):
            con.execute(f"drop view temp.main.{ident('_landing_' + shape)}")
        con.execute(f"drop table temp.main.{ident(records_table(landing))}")
    with timed(name, "quarantine"):
        run(
            con,
            "insert into staging.quarantine by name\nselect * from (\n"
            + model("staging/load/quarantine_rows.sql")
            + "\n)",
            params,
        )

    # 4. merge (matched in _match_staged): the rows clean records meet are replaced,
    # unchanged ones too (they take the new lineage)
    staging_table = f"staging.{ident(table)}"
    later = _later_versions(con, report, table, params) if batch.reload else False
    with timed(name, "replace"):
        con.execute(model("staging/load/delete_matched.sql", table=staging_table))
    batch.phase(report.path, "staging")
    with timed(name, "staging"):
        run(
            con,
            f"insert into {staging_table} by name\nselect * from (\n"
            + model("staging/load/staged_rows.sql")
            + "\n)",
            params,
        )
    if later:
        _put_back_later_versions(con, table, params)

    derived = _derive_citizens(con, unit.mapping, report, params) if table == "courses" else 0

    # 5. counts
    with timed(name, "counts"):
        # a wide form is several rows of _stg (one per item), any other record one row
        counting = "count_records" if landing == "measurement_forms" else "count_records_long"
        rows_in, staged, unchanged, quarantined = con.execute(
            "select rows_in, rows_staged, rows_unchanged, rows_quarantined from (\n"
            + model(f"staging/load/{counting}.sql")
            + "\n)"
        ).fetchone()
    return _Counts(rows_in, staged, unchanged, quarantined, typed.cpr, derived)


def _later_versions(con: duckdb.DuckDBPyConnection, report: FileReport, table: str,
                    params: dict) -> bool:
    """On a re-load: the staged rows a record of the file meets with other values that a
    later export of the source delivered (staging/load/newer_versions.sql) are kept as
    they are, the later export's corrections not undone. Their records count as the
    same (already staged), and a warning names the later files. True when there are
    any (kept in ``_later_rows`` until :func:`_put_back_later_versions`)."""
    if not TABLE_KEYS[table]:
        return False
    run(con, "create or replace temp table _later as\n"
        + model("staging/load/newer_versions.sql"), params)
    by_file = con.execute(
        "select file_name, count(distinct row_no) from _later group by all order by 1"
    ).fetchall()
    if not by_file:
        con.execute("drop table _later")
        return False
    con.execute(
        f"create or replace temp table _later_rows as select * from staging.{ident(table)} "
        "where rowid in (select existing_rowid from _later)"
    )
    con.execute(
        "update _matches set is_same = true from _later "
        "where _matches.row_no = _later.row_no "
        "and _matches.cell_item_no is not distinct from _later.cell_item_no"
    )
    con.execute("drop table _later")
    files = ", ".join(f"{mask_text(f)} ({n})" for f, n in by_file)
    report.warnings.append(
        f"{sum(n for _, n in by_file)} {table} record(s) kept as a later export has them, "
        f"not as this re-load: {files}; re-load that export too if the fix concerns it"
    )
    return True


def _put_back_later_versions(con: duckdb.DuckDBPyConnection, table: str, params: dict) -> None:
    """The later exports' rows (``_later_rows``) in place of this re-load's records of
    the same keys."""
    staging_table = f"staging.{ident(table)}"
    same_key = " and ".join(f"staged.{ident(k)} = kept.{ident(k)}" for k in TABLE_KEYS[table])
    con.execute(
        f"delete from {staging_table} as staged using _later_rows as kept "
        f"where staged.load_id = {literal(params['load_id'])} and {same_key}"
    )
    con.execute(f"insert into {staging_table} by name select * from _later_rows")
    con.execute("drop table _later_rows")


def _record_counts(
    batch: Batch, report: FileReport, unit: _Unit, params: dict, counts: _Counts
) -> None:
    """Step 5: a table's counts -> staging.load_tables and the report."""
    con = batch.con
    table = unit.mapping.canonical
    where = f"sheet {unit.sheet!r}: " if unit.sheet else ""
    name = mask_text(report.file_name)
    rows_in = counts.rows_in
    for fault in unit.format_faults:
        fault.rows_in, fault.rows_quarantined = rows_in, counts.quarantined
    run(
        con,
        model("staging/load/insert_load_table.sql"),
        params
        | {
            "rows_in": rows_in,
            "rows_staged": counts.staged,
            "rows_unchanged": counts.unchanged,
            "rows_quarantined": counts.quarantined,
            "cpr_masked": counts.cpr,
        },
    )
    missing_parent = None
    if rows_in and counts.quarantined == rows_in:
        missing_parent = _missing_parent(con, params, rows_in)
    report.add(
        TableReport(
            missing_parent=missing_parent,
            canonical_table=table,
            sheet=unit.sheet,
            rows_in=rows_in,
            rows_staged=counts.staged,
            rows_unchanged=counts.unchanged,
            rows_quarantined=counts.quarantined,
            cpr_masked=counts.cpr,
            citizens_derived=counts.derived,
            header_lines_skipped=unit.header_lines,
            trailer_skipped=unit.trailer,
            format_faults=list(unit.format_faults),
        )
    )
    if unit.trailer and unit.trailer_count is not None and unit.trailer_count != rows_in:
        mismatch = f"{where}the trailer says {unit.trailer_count} rows, " \
            f"the file has {rows_in} data records"
        report.warnings.append(mismatch)
        if rows_in < unit.trailer_count:
            report.short_of_trailer = mismatch
    if rows_in == 0 and unit.sheet is not None and unit.mapping.optional_sheet:
        log.info("%s: %sno data records (optional sheet)", name, where)
    elif rows_in == 0:
        report.warnings.append(f"{where}no data records")


#: Quarantine rules of a record whose parent row is not loaded -> that parent table.
PARENT_RULES = {"unknown_citizen": "citizens", "unknown_course": "courses",
                "unknown_goal": "goals"}


def _waiting_dependents(con: duckdb.DuckDBPyConnection, report: FileReport) -> None:
    """A warning per file whose records wait in the quarantine for a parent this load
    staged (a course dropped by a re-export and delivered again, measurements loaded
    before their course): they stage only when that file is loaded again."""
    filled = {t.canonical_table for t in report.tables}
    if "courses" in filled:
        filled.add("citizens")  # citizens derived from the courses
    for rule, parent in PARENT_RULES.items():
        if parent not in filled:
            continue
        sql = model("staging/load/waiting_dependents.sql", parent=f"staging.{ident(parent)}",
                    parent_column=ident(TABLE_KEYS[parent][0]))
        for file_name, table, n in run(con, sql, {"load_id": report.load_id, "rule": rule}
                                       ).fetchall():
            name = mask_text(file_name)
            report.warnings.append(
                f"{n} {table} record(s) of {name} wait in the quarantine ({rule}) for "
                f"{parent} this file added: load that file again to stage them "
                f"(datadialog ingest --reload {name})"
            )


def _missing_parent(con: duckdb.DuckDBPyConnection, params: dict,
                    rows_in: int) -> tuple[str, str] | None:
    """(rule, parent table) when every record of this load's table was quarantined for
    one missing parent (courses loaded before their citizens), else None."""
    found = run(con, model("staging/load/parent_rules.sql"), params).fetchone()
    if found is None or found[1] != rows_in or found[0] not in PARENT_RULES:
        return None
    return found[0], PARENT_RULES[found[0]]


def _derive_citizens(
    con: duckdb.DuckDBPyConnection, mapping: TableMapping, report: FileReport, params: dict
) -> int:
    """Courses with ``derive_citizens``: their citizens into staging.citizens (inside the
    file's transaction, after the courses are staged); returns how many were added."""
    if not mapping.derive_citizens:
        return 0
    values = params | {"old_load_ids": report.replaced_load_ids}
    if report.replaced_load_ids:
        run(con, model("staging/load/keep_derived_citizens.sql"), values)
    sql = model("staging/load/derive_citizens.sql")
    set_variables(con, sql, values)
    added = con.execute(f"select count(*) from (\n{sql}\n)").fetchone()[0]
    con.execute(f"insert into staging.citizens by name\nselect * from (\n{sql}\n)")
    return int(added)


def _landing_insert(con: duckdb.DuckDBPyConnection, landing: str) -> str:
    """The insert of this load's landing rows (view _landing_<landing>) into
    landing.<landing>: the text fields as one JSON array, in the column order of
    the view landing.<landing>_fields that reads them back."""
    shown = [
        row[0]
        for row in con.execute(
            "select column_name from duckdb_columns() where schema_name = 'landing' "
            "and table_name = ? order by column_index",
            [f"{landing}_fields"],
        ).fetchall()
    ]
    kept = [c for c in shown if c in ("items", "load_id", "row_no")]
    fields = [c for c in shown if c not in kept]
    return model(
        "landing/insert_landing.sql",
        table=f"landing.{ident(landing)}",
        rows=ident("_landing_" + landing),
        fields=", ".join(ident(c) for c in fields),
        columns=", ".join(ident(c) for c in kept),
    )


def _mark_oversized(con: duckdb.DuckDBPyConnection, oversized: list[Oversized]) -> None:
    """Give the records cut short (prepare.cut_oversized) their problem in ``_stg``."""
    table = pa.table(
        {
            "row_no": pa.array([o.record_no for o in oversized], pa.int64()),
            "column_name": pa.array([o.column for o in oversized], pa.string()),
            "value": pa.array([o.value for o in oversized], pa.string()),
            "rule": pa.array([o.rule for o in oversized], pa.string()),
            "detail": pa.array([o.detail for o in oversized], pa.string()),
        }
    )
    con.register("_oversized_arrow", table)
    try:
        con.execute("create or replace temp table _oversized as select * from _oversized_arrow")
    finally:
        con.unregister("_oversized_arrow")
    con.execute(model("staging/load/mark_oversized.sql"))


#: Tables whose key two sources may both deliver: the citizen pseudonym is the same
#: person in every system. Any other key (a course, form or goal ref, a cost's
#: intervention and quarter) held by a row of another source is key_of_other_source.
KEYS_SHARED_ACROSS_SOURCES = frozenset({"citizens"})


def _mark_other_sources(con: duckdb.DuckDBPyConnection, keys: list[str], params: dict) -> None:
    """Quarantine the clean records whose key a row of another source holds (and drop
    their matches), when another source (not one this source takes over: params
    takes_over) has loaded anything at all."""
    others = run(con, model("staging/load/other_source_loads.sql"), params).fetchone()[0]
    if not others:
        return
    run(
        con,
        model(
            "staging/load/mark_other_source.sql",
            key_column=literal(STAGING_TO_MAPPING.get(keys[0], keys[0])),
            key_text=f"cast(_stg.{ident(keys[0])} as varchar)",
        ),
        params,
    )
    run(con, model("staging/load/drop_other_source_matches.sql"), params)


def _mark_duplicates(con: duckdb.DuckDBPyConnection, table: str, keys: list[str]) -> None:
    key_columns = ", ".join(ident(k) for k in keys)
    con.execute(
        "create or replace temp table _dup_keys as\n"
        + model("staging/load/duplicate_keys.sql", key_columns=key_columns)
    )
    if not con.execute("select count(*) from _dup_keys").fetchone()[0]:
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
