"""Three export systems the project had never seen, onboarded by config alone.

The corpus (tests/fixtures/exports, written by make_exports.py) has CPR numbers as
citizen ids with and without the hyphen, no citizens file, no course or form ids, point
label columns, a repeated header and a trailer line, dd.mm.yyyy and yyyymmdd dates and
a workbook. Each system must stage every valid row, and the mean ORS total per
measurement point must be the one worked out by hand from the files.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from datadialog.config_load import load_config
from datadialog.db import connect
from datadialog.privacy import PseudonymKey
from tests.fixtures.exports.make_exports import EXPECTED
from tests.support.exports import EXPORTS, SYSTEMS, config_dir, export_files
from transforms.build import build
from transforms.ingest import ingest_files

KEY = PseudonymKey(b"onboard-test-key-0123456789abcdef", "test")

#: Mean ORS total (sum of the 4 items) per point, worked out by hand from the files.
HAND_MEANS = {
    # start: 14 + 12.5 + 16 + 8 + 20 + 12 + 8 + 22 = 112.5 over 8;
    # end: 24 + 21.5 + 28 + 16 + 25 + 30 + 16 + 28 = 188.5 over 8
    "omsorgsjournal": {"start": 112.5 / 8, "end": 188.5 / 8},
    # start: 20 + 10 + 22 + 14 + 6 + 16 = 88 over 6; end: 29 + 18 + 25 + 25 + 13 + 31 = 141
    "carelink": {"start": 88 / 6, "end": 141 / 6},
    # start: 17 + 10 + 22 + 10 + 23 = 82 over 5; end: 25 + 19 + 29 + 15 + 34 = 122 over 5
    "famdok": {"start": 82 / 5, "end": 122 / 5},
}

LABELS = {"Opstart": "start", "Afslutning": "end", "intake": "start", "exit": "end"}


def _number(text: str) -> float:
    return float(str(text).replace(",", "."))


def means_from_files(system: str) -> dict[str, float]:
    """The same means read straight from the export files (valid forms only)."""
    totals: dict[tuple, float] = defaultdict(float)
    folder = EXPORTS / system
    if system == "omsorgsjournal":
        text = (folder / "oj_maalinger_20240901.csv").read_text(encoding="cp1252")
        for row in csv.DictReader(text.splitlines()[:-1], delimiter=";"):
            if row["Cprnr"].startswith("32"):  # the invalid CPR number (day 32)
                continue
            point = LABELS[row["Tidspunkt i forløb"]]
            totals[(row["Cprnr"].replace("-", ""), point)] = sum(
                _number(row[f"Spm{i}"]) for i in range(1, 5)
            )
    elif system == "carelink":
        text = (folder / "cl_answers_20240901.csv").read_text(encoding="utf-8")
        for row in csv.DictReader(text.splitlines()):
            if row["case_no"] == "CL-999" or row["tool"] != "ORS":
                continue
            totals[(row["case_no"], LABELS[row["phase"]])] += _number(row["answer"])
    else:
        sheet = load_workbook(folder / "famdok_20240901.xlsx")["Skemaer"]
        for number, _, _, filled, label, *items in sheet.iter_rows(min_row=2, values_only=True):
            if isinstance(filled, str):  # the form whose date is no date
                continue
            totals[(number, LABELS[label])] = sum(items)
    by_point: dict[str, list[float]] = defaultdict(list)
    for (_, point), total in totals.items():
        by_point[point].append(total)
    return {point: sum(v) / len(v) for point, v in by_point.items()}


def load_system(system: str, tmp_path: Path, grace_days: int = 0):
    folder = config_dir(system, tmp_path)
    if grace_days:
        org = folder / "organisation.yaml"
        org.write_text(
            org.read_text(encoding="utf-8").replace(
                "before_start_grace_days: 0", f"before_start_grace_days: {grace_days}"
            ),
            encoding="utf-8",
        )
    config = load_config(folder)
    con = connect(tmp_path / f"{system}.duckdb")
    reports = ingest_files(con, export_files(system), config, key=KEY)
    return config, con, reports


@pytest.mark.parametrize("system", SYSTEMS)
def test_every_valid_row_is_staged_and_the_means_per_point_match(
    system: str, tmp_path: Path
) -> None:
    config, con, reports = load_system(system, tmp_path)
    expected = EXPECTED[system]
    by_name = {r.file_name: r for r in reports}
    assert set(by_name) == set(expected["files"])
    for name, (rows, invalid) in expected["files"].items():
        report = by_name[name]
        assert report.status == "loaded", report.error
        assert report.warnings == []
        assert (report.rows_in, report.rows_staged, report.rows_quarantined) == (
            rows, rows - invalid, invalid
        ), name
    assert con.execute("select count(*) from staging.citizens").fetchone()[0] == (
        expected["citizens"]
    )
    # every course has its citizen, every staged form its course
    assert con.execute(
        "select count(*) from staging.courses anti join staging.citizens using (citizen_id)"
    ).fetchone()[0] == 0

    build(con, config, as_of=date(2024, 12, 31))
    rows = con.execute(
        "select point_id, n_citizens, mean_score from mart_progression_by_point "
        "where intervention_id = 'voksenstoette' and instrument_id = 'ors' "
        "and scale_id = 'total' and series = 'all' order by point_order"
    ).fetchall()
    means = {point: mean for point, _, mean in rows}
    assert means == pytest.approx(HAND_MEANS[system])
    assert means == pytest.approx(means_from_files(system))
    assert {n for _, n, _ in rows} == {expected["citizens"]}
    # the points came from the label column: every ORS form on the point it names
    assert con.execute(
        "select count(*) from int_form_points where instrument_id = 'ors' "
        "and (labelled_point_id is distinct from point_id or is_label_off_window)"
    ).fetchone()[0] == 0
