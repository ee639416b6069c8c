"""Completeness counts quarantined measurement forms whose course is not staged as due
and missing (checks/sql/base/chk_quarantined_forms.sql), in the organisation total only.

Omsorgsjournal (tests/fixtures/exports): 8 voksenstøtte courses, all ended by June 2024,
so on 31.12.2024 each of the intervention's 13 plan rows is past its window: 8 x 13 =
104 due points, of which 16 are collected (each course's ORS start and end form). The
export's 17th form belongs to CPR 320185-1234 (day 32: no valid CPR, so its course is
unknown) and is quarantined: 17 rows in = 16 staged + 1 quarantined, completeness
16 / (104 + 1). Without that row: 16 rows in = 16 staged, completeness 16 / 104.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from datadialog.config_load import load_config
from datadialog.db import connect
from datadialog.privacy import PseudonymKey
from pipeline.quality import run_quality
from tests.support.exports import config_dir, export_files
from transforms.ingest import ingest_files

KEY = PseudonymKey(b"onboard-test-key-0123456789abcdef", "test")
AS_OF = date(2024, 12, 31)


def _load(system: str, tmp_path: Path, drop_line: bytes | None = None):
    """The system's exports (without the line holding ``drop_line``), ingested and checked;
    returns (connection, {file: (rows in, staged, quarantined)})."""
    files = tmp_path / "files"
    files.mkdir(parents=True)
    for path in export_files(system):
        data = path.read_bytes()
        if drop_line is not None and drop_line in data:
            lines = data.splitlines(keepends=True)
            kept = [line for line in lines if drop_line not in line]
            assert len(kept) == len(lines) - 1
            data = b"".join(kept).replace(b"Antal r\xe6kker: 17", b"Antal r\xe6kker: 16")
        (files / path.name).write_bytes(data)
    config = load_config(config_dir(system, tmp_path))
    con = connect(tmp_path / f"{system}.duckdb")
    reports = ingest_files(con, sorted(files.iterdir()), config, key=KEY)
    balance = {r.file_name: (r.rows_in, r.rows_staged, r.rows_quarantined) for r in reports}
    return con, config, balance


def _completeness(con, group_kind: str = "all", group_id: str = "all"):
    return con.execute(
        "select numerator, denominator from quality.metrics where metric_id = 'completeness' "
        "and group_kind = ? and group_id = ? order by run_id desc limit 1",
        [group_kind, group_id],
    ).fetchone()


@pytest.mark.parametrize(
    ("drop_line", "balance", "due"),
    [(None, (17, 16, 1), 105), (b"320185-1234", (16, 16, 0), 104)],
)
def test_a_quarantined_form_of_an_unknown_course_counts_as_due_and_missing(
    tmp_path: Path, drop_line: bytes | None, balance: tuple, due: int
) -> None:
    con, config, loads = _load("omsorgsjournal", tmp_path, drop_line)
    assert loads["oj_maalinger_20240901.csv"] == balance
    run_quality(con, config, as_of=AS_OF)
    assert _completeness(con) == (16, due)
    # the quarantined row names no intervention: the intervention's figure is unchanged
    assert _completeness(con, "intervention", "voksenstoette") == (16, 104)
    # timeliness counts collected forms only: all 16 on time either way
    assert con.execute(
        "select numerator, denominator from quality.metrics where metric_id = 'timeliness' "
        "and group_kind = 'all'"
    ).fetchone() == (16, 16)


def test_a_run_for_one_intervention_does_not_count_the_organisation_s_quarantine(
    tmp_path: Path,
) -> None:
    con, config, _ = _load("omsorgsjournal", tmp_path)
    run_quality(con, config, as_of=AS_OF, scope=("intervention", "voksenstoette"))
    assert _completeness(con) == (16, 104)


def test_a_quarantined_form_of_a_staged_course_is_not_counted_twice(tmp_path: Path) -> None:
    """Carelink's answers: 50 records in = 48 staged + 2 quarantined. CL-999's intake item
    (row 49) has no course: one more due and missing form. CL-501's SRS item 'elleve'
    (row 50) is not a number, but CL-501 is staged: its point already counts (as
    missing when nothing else of the form was staged), so the row adds nothing more."""
    with_unknown, config, loads = _load("carelink", tmp_path / "a")
    assert loads["cl_answers_20240901.csv"] == (50, 48, 2)
    run_quality(with_unknown, config, as_of=AS_OF)
    without, config, loads = _load("carelink", tmp_path / "b", drop_line=b"CL-999,")
    assert loads["cl_answers_20240901.csv"] == (49, 48, 1)
    run_quality(without, config, as_of=AS_OF)
    collected, due = _completeness(without)
    assert _completeness(with_unknown) == (collected, due + 1)


def test_a_reloaded_file_s_quarantine_is_counted_once(tmp_path: Path) -> None:
    con, config, _ = _load("omsorgsjournal", tmp_path)
    forms = tmp_path / "files" / "oj_maalinger_20240901.csv"
    (report,) = ingest_files(con, [forms], config, key=KEY, reload=True)
    assert (report.status, report.rows_in, report.rows_quarantined) == ("loaded", 17, 1)
    run_quality(con, config, as_of=AS_OF)
    assert _completeness(con) == (16, 105)
