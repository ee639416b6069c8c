"""Helpers for tests and worked examples of the checks: hand-made staging rows, built and
checked in a DuckDB connection.

Rows are written with :class:`tests.support.staging.StagingWriter` (courses, forms, goals,
ratings); this module adds the tables it lacks (calibration scores, activities, costs)
and one call that builds the models and runs the checks::

    writer = StagingWriter(con)
    writer.course("c1", pseudonym(1), "voksenstoette", "2025-01-06", team_id="voksen_oest")
    writer.form("f1", "c1", "ors", "2025-01-06", [5, 6, 7, 8], staff_id="s1")
    writer.flush()
    run = build_and_check(con, config, date(2025, 10, 1))
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import duckdb
import pyarrow as pa

from checks.run import CheckRun, run_checks
from checks.settings import CheckSettings
from datadialog.config_model import DatadialogConfig
from tests.support.staging import add_test_load

_LINEAGE = {"load_id": "test"}


def pseudonym(n: int) -> str:
    """A pseudonym-shaped citizen id (P- and 16 hex characters) for test citizen ``n``."""
    return f"P-{n:016x}"


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: Sequence[dict]) -> None:
    """Insert dicts into a staging table; lineage columns get test values, row_no counts
    from 1 within the call. Columns a dict leaves out are NULL."""
    target = f"staging.{table}"
    columns = con.table(target).columns
    types = [str(t) for t in con.table(target).types]
    arrow_types = {
        "VARCHAR": pa.string(),
        "INTEGER": pa.int32(),
        "BIGINT": pa.int64(),
        "DOUBLE": pa.float64(),
        "DATE": pa.date32(),
    }
    add_test_load(con)
    full = [{**_LINEAGE, "row_no": i, **row} for i, row in enumerate(rows, start=1)]
    data = pa.table(
        {
            name: pa.array([r.get(name) for r in full], type=arrow_types[dtype])
            for name, dtype in zip(columns, types, strict=True)
        }
    )
    con.from_arrow(data).insert_into(target)


def calibration_rows(
    workshop_id: str,
    workshop_date: date,
    instrument_id: str,
    case_ref: str,
    scores: dict[str, Sequence[float]],
) -> list[dict]:
    """Calibration rows: ``scores`` maps a staff id to its item answers (items 1..n)."""
    return [
        {
            "workshop_id": workshop_id,
            "workshop_date": workshop_date,
            "staff_id": staff_id,
            "instrument_id": instrument_id,
            "case_ref": case_ref,
            "item_no": item_no,
            "value": float(value),
        }
        for staff_id, values in scores.items()
        for item_no, value in enumerate(values, start=1)
    ]


def build_and_check(
    con: duckdb.DuckDBPyConnection,
    config: DatadialogConfig,
    as_of: date,
    settings: CheckSettings | None = None,
    **run_options: object,
) -> CheckRun:
    """Build the models (judged on ``as_of``) and run the checks."""
    from transforms.build import build

    build(con, config, as_of=as_of)
    return run_checks(con, config, settings=settings, **run_options)  # type: ignore[arg-type]
