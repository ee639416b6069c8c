"""A dry run of export files against the source mappings (``datadialog sources try``).

The files are loaded, in the order ingest would load them, into a database in memory
with a throw-away pseudonym key: nothing is written to the project's database, and the
pseudonyms shown are not the real ones. Per file it tells which source and tables the
file name matched, the balance (rows in = staged + quarantined by rule), the lines left
out (repeated header lines, a trailer line), the first mapped records under their
canonical column names (as they would land: CPR numbers masked, citizen ids
pseudonymised) and the problems.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from datadialog.config_model import DatadialogConfig
from datadialog.db import connect
from datadialog.privacy import PseudonymKey
from transforms.ingest import expand_paths, ingest_files
from transforms.ingest.mapping import landing_table, plan_file
from transforms.ingest.model import FileReport, IngestFileError
from transforms.sqltext import model, set_variables

#: Records shown per table.
SAMPLE_ROWS = 10


@dataclass
class TableTrial:
    """One target table of a tried file."""

    canonical_table: str
    sheet: str | None
    columns: list[str]
    sample: list[tuple]
    #: (rule, export column, records, first message, the most frequent failing values
    #: (at most 5, CPR masked), how many distinct values failed)
    quarantine: list[tuple[str, str, int, str, list[str], int]] = field(default_factory=list)
    #: rows_in, rows_staged, rows_unchanged, rows_quarantined of this table
    counts: dict = field(default_factory=dict)


@dataclass
class FileTrial:
    """What a load of one file would do."""

    report: FileReport
    matched: str | None = None  # "source id: table, table" (None when no mapping matched)
    tables: list[TableTrial] = field(default_factory=list)


def try_files(
    paths: Iterable[str | Path], config: DatadialogConfig, sample_rows: int = SAMPLE_ROWS
) -> list[FileTrial]:
    """Load ``paths`` into a database in memory and tell what happened to each file."""
    files = expand_paths(paths)
    con = connect(":memory:")
    try:
        key = PseudonymKey(secrets.token_hex(32).encode(), "throw-away key of sources try")
        reports = ingest_files(con, files, config, key=key)
        return [_trial(con, config, report, sample_rows) for report in reports]
    finally:
        con.close()


def _trial(con, config: DatadialogConfig, report: FileReport, sample_rows: int) -> FileTrial:
    trial = FileTrial(report)
    try:
        plan = plan_file(report.path, config)
    except (IngestFileError, OSError):
        return trial
    trial.matched = f"{plan.source.id}: " + ", ".join(
        m.canonical + (f" (sheet {m.sheet})" if m.sheet else "") for m in plan.mappings
    )
    if report.status != "loaded":
        return trial
    for table in report.tables:
        mapping = next(
            m for m in plan.mappings
            if m.canonical == table.canonical_table and (m.sheet == table.sheet or not m.sheet)
        )
        view = f"landing.{landing_table(mapping)}_fields"
        result = con.execute(
            f"select * exclude (load_id) from {view} where load_id = ? order by row_no limit ?",
            [report.load_id, sample_rows],
        )
        columns = [d[0] for d in result.description]
        sample = result.fetchall()
        # the record number first, the wide answers last, columns nothing fills left out
        order = sorted(
            range(len(columns)),
            key=lambda i: (columns[i] != "row_no", columns[i] == "items", i),
        )
        keep = [i for i in order if columns[i] == "row_no" or any(r[i] is not None for r in sample)]
        columns = [columns[i] for i in keep]
        sample = [tuple(r[i] for i in keep) for r in sample]
        sql = model("staging/load/quarantine_by_rule.sql")
        set_variables(con, sql, {"load_id": report.load_id,
                                 "canonical_table": table.canonical_table})
        quarantine = [tuple(row) for row in con.execute(sql).fetchall()]
        counts = {name: getattr(table, name) for name in
                  ("rows_in", "rows_staged", "rows_unchanged", "rows_quarantined")}
        trial.tables.append(
            TableTrial(table.canonical_table, table.sheet, columns, sample, quarantine, counts)
        )
    return trial
