"""Ingest of a fagsystem B workbook: one table per sheet, date cells, the wide Forms sheet.

The workbook is written by tests/fixtures/ingest/b_workbook.py; its rows carry
comments with what is expected here.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from datadialog.config_load import load_config
from datadialog.db import connect
from datadialog.privacy import PseudonymKey, pseudonym
from tests.fixtures.ingest.b_workbook import FORMS, default_sheets, write_b_export
from transforms.ingest import ingest_files

KEY = PseudonymKey(b"xlsx-test-key-0123456789abcdef", "test")


@pytest.fixture(scope="module")
def config():
    return load_config()


@pytest.fixture(scope="module")
def loaded(tmp_path_factory, config):
    folder = tmp_path_factory.mktemp("xlsx")
    path = write_b_export(folder / "b_export_20240301.xlsx")
    con = connect(folder / "b.duckdb")
    (report,) = ingest_files(con, [path], config, key=KEY)
    yield con, report
    con.close()


def test_counts_per_sheet(loaded) -> None:
    _, report = loaded
    assert report.status == "loaded", report.error
    per_sheet = {
        t.sheet: (t.rows_in, t.rows_staged, t.rows_unchanged, t.rows_quarantined, t.cpr_masked)
        for t in report.tables
    }
    assert per_sheet == {
        "Clients": (3, 2, 0, 1, 1),
        "Cases": (3, 2, 0, 1, 0),
        "Goals": (2, 2, 0, 0, 0),
        "Registrations": (1, 1, 0, 0, 0),
        "Forms": (5, 2, 0, 3, 1),
        "GoalScores": (2, 2, 0, 0, 0),
        "Activities": (1, 1, 0, 0, 0),
    }
    assert (report.rows_in, report.rows_staged, report.rows_quarantined) == (17, 12, 5)
    assert report.balanced
    # costs and calibration are mapped for B but not in this workbook: the mapping says
    # those sheets are optional, so no warning
    assert report.warnings == []


def test_a_missing_or_empty_sheet_warns_unless_optional(tmp_path: Path, config) -> None:
    def with_optional(flag: bool):
        sources = [
            s.model_copy(update={"tables": [
                t.model_copy(update={"optional_sheet": flag}) for t in s.tables
            ]}) if s.id == "fagsystem_b" else s
            for s in config.sources
        ]  # fmt: skip
        return config.model_copy(update={"sources": sources})

    sheets = default_sheets()
    sheets["Activities"] = [sheets["Activities"][0]]  # the header line only
    path = write_b_export(tmp_path / "b_export_20240305.xlsx", sheets)
    con = connect(tmp_path / "warn.duckdb")
    (strict,) = ingest_files(con, [path], with_optional(False), key=KEY)
    sheets_there = ("'Clients', 'Cases', 'Registrations', 'Forms', 'Goals', 'GoalScores', "
                    "'Activities'")
    assert strict.warnings == [
        "sheet 'Activities': no data records",
        f"sheet 'Costs' not in the workbook (it has {sheets_there}); no costs loaded",
        f"sheet 'Calibration' not in the workbook (it has {sheets_there}); no "
        "calibration_scores loaded",
    ]
    con.close()
    con = connect(tmp_path / "quiet.duckdb")
    (quiet,) = ingest_files(con, [path], with_optional(True), key=KEY)
    assert quiet.status == "loaded" and quiet.warnings == []
    con.close()


def test_a_misspelt_sheet_name_is_named_with_the_sheets_there(tmp_path: Path, config) -> None:
    """sheet: Form for the sheet 'Forms': the measurements are left out, and the warning
    says which sheet was meant (a whole table gone, with exit code 0, said only "sheet
    'Form' not in the workbook")."""
    sources = [
        s.model_copy(update={"tables": [
            t.model_copy(update={"sheet": "Form"}) if t.sheet == "Forms" else t
            for t in s.tables
        ]}) if s.id == "fagsystem_b" else s
        for s in config.sources
    ]  # fmt: skip
    path = write_b_export(tmp_path / "b_export_20240305.xlsx", default_sheets())
    con = connect(tmp_path / "typo.duckdb")
    (report,) = ingest_files(con, [path], config.model_copy(update={"sources": sources}),
                             key=KEY)
    con.close()
    assert any(w.startswith("sheet 'Form' not in the workbook (did you mean 'Forms'? it has "
                            "'Clients', ") and w.endswith("; no measurements loaded")
               for w in report.warnings), report.warnings


def test_a_cpr_number_in_a_sheet_name_is_masked_in_the_warning(tmp_path: Path, config) -> None:
    """The warning for a missing sheet lists the sheets there; one named with a CPR
    number (a note sheet per citizen) is listed masked: the warning reaches the console,
    the log and staging.loads."""
    sheets = default_sheets()
    sheets["Noter 010185-1234"] = sheets.pop("Forms")
    path = write_b_export(tmp_path / "b_export_20240306.xlsx", sheets)
    con = connect(tmp_path / "cprsheet.duckdb")
    (report,) = ingest_files(con, [path], config, key=KEY)
    stored = con.execute("select warnings from staging.loads").fetchall()
    con.close()
    warning = next(w for w in report.warnings if w.startswith("sheet 'Forms' not in"))
    assert "'Noter [CPR]'" in warning and "1234" not in warning
    assert not any("010185" in w for (ws,) in stored for w in ws or [])


def test_a_title_row_above_the_header_is_named(tmp_path: Path, config) -> None:
    """A title row above the header (the export system's "Udtræk fra ..." line): the
    required columns are missing, and the error says why: the column names must be in
    the sheet's first row."""
    sheets = default_sheets()
    width = len(sheets["Activities"][0])
    sheets["Activities"] = [["Udtræk fra Fagsystem B", *[None] * (width - 1)],
                            *sheets["Activities"]]
    path = write_b_export(tmp_path / "b_export_20240307.xlsx", sheets)
    con = connect(tmp_path / "title.duckdb")
    (report,) = ingest_files(con, [path], config, key=KEY)
    con.close()
    problems = [w for w in report.warnings + [report.error or ""] if "Activities" in w]
    assert any(f"{width - 1} of its {width} header cells are empty: the column names must "
               "be in the first row (a title row above them is not read)" in w
               for w in problems), problems


def test_wide_forms_unpivot(loaded) -> None:
    con, _ = loaded
    rows = con.execute(
        "select form_id, item_no, value from staging.measurements order by form_id, item_no"
    ).fetchall()
    assert rows == [
        # ORS has 4 items: Q3 empty -> NULL (never 0), Q5 ignored
        ("W1", 1, 5.0), ("W1", 2, 6.5), ("W1", 3, None), ("W1", 4, 7.0),
        # SRS: the bad Q2 cell is quarantined, the other answers are staged
        ("W2", 1, 8.0), ("W2", 3, 9.0), ("W2", 4, 9.0),
        # ASI has 7 items; the sheet has no Q7 column -> item 7 NULL
        ("W4", 1, 0.0), ("W4", 2, 1.0), ("W4", 3, 2.0), ("W4", 4, 3.0), ("W4", 5, 4.0),
        ("W4", 6, 1.5), ("W4", 7, None),
    ]  # fmt: skip
    forms = con.execute(
        "select distinct form_id, instrument_id, measured_on, rater_role, row_no, note "
        "from staging.measurements order by form_id"
    ).fetchall()
    assert forms == [
        ("W1", "ors", date(2024, 1, 20), "citizen", 1, "ok"),
        ("W2", "srs", date(2024, 1, 20), "citizen", 2, "Nævnte [CPR] i samtalen"),
        ("W4", "asi", date(2024, 2, 15), "staff", 5, None),  # blank sheet row 5 is no record
    ]


def test_quarantine_of_sheets(loaded) -> None:
    con, _ = loaded
    rows = con.execute(
        "select sheet, row_no, item_no, column_name, value, rule from staging.quarantine "
        "order by sheet, row_no"
    ).fetchall()
    assert rows == [
        ("Cases", 3, None, "Opened", "2024-13-01", "invalid_date"),
        ("Clients", 3, None, "ClientNo", "[CPR]", "cpr_in_id"),
        ("Forms", 2, 2, "Q2", "x", "invalid_number"),
        ("Forms", 3, None, "CaseNo", "E999", "unknown_course"),
        ("Forms", 6, None, "FormNo", "W1", "duplicate_key"),
    ]


def test_date_cells_codes_and_defaults(loaded) -> None:
    con, _ = loaded
    courses = con.execute(
        "select course_id, citizen_id, intervention_id, variant, start_date, end_date, end_reason "
        "from staging.courses order by course_id"
    ).fetchall()
    assert courses == [
        ("E100", pseudonym("K100", KEY.key), "voksenstoette", "standard", date(2024, 1, 10),
         None, None),
        ("E101", pseudonym("K101", KEY.key), "boernegrupper", "gruppe", date(2024, 2, 1),
         date(2024, 5, 1), "completed_planned"),
    ]  # fmt: skip
    assert con.execute(
        "select goal_id, goal_type, weight from staging.goals order by goal_id"
    ).fetchall() == [("H1", "progression", 2.0), ("H2", "maintenance", 1.0)]
    assert con.execute(
        "select rated_on, score from staging.goal_ratings order by rated_on"
    ).fetchall() == [(date(2024, 2, 12), 1), (date(2024, 3, 12), -2)]


def test_wide_form_with_unknown_instrument_is_one_record(tmp_path: Path, config) -> None:
    sheets = default_sheets()
    sheets["Forms"] = [
        FORMS[0],
        ["W9", "E100", "WHO5", date(2024, 1, 20), "w1", "CLIENT", None, 1, 2, 3, 4, 5, None],
    ]
    path = write_b_export(tmp_path / "b_export_20240302.xlsx", sheets)
    con = connect(tmp_path / "b.duckdb")
    (report,) = ingest_files(con, [path], config, key=KEY)
    forms = next(t for t in report.tables if t.sheet == "Forms")
    assert (forms.rows_in, forms.rows_staged, forms.rows_quarantined) == (1, 0, 1)
    assert con.execute(
        "select row_no, column_name, value, rule from staging.quarantine where sheet = 'Forms'"
    ).fetchall() == [(1, "Tool", "WHO5", "unknown_code")]
    con.close()


def test_per_subject_instrument_runs_to_the_last_answer(tmp_path: Path, config) -> None:
    """KiK (one item per core element) and GAS (one per goal) have no fixed item count."""
    sheets = default_sheets()
    sheets["Forms"] = [
        FORMS[0],
        # KiK: core elements 1 and 3 scored, 2 left empty -> item 2 is a missing answer
        ["K1", "E100", "KIK", date(2024, 1, 20), "w1", "WORKER", None, 4, None, 5]
        + [None] * 3,
        # GAS without any rating -> nothing to stage
        ["K2", "E100", "GAS", date(2024, 1, 20), "w1", "WORKER", None] + [None] * 6,
    ]  # fmt: skip
    path = write_b_export(tmp_path / "b_export_20240304.xlsx", sheets)
    con = connect(tmp_path / "b.duckdb")
    (report,) = ingest_files(con, [path], config, key=KEY)
    forms = next(t for t in report.tables if t.sheet == "Forms")
    assert (forms.rows_in, forms.rows_staged, forms.rows_quarantined) == (2, 1, 1)
    assert con.execute(
        "select item_no, value from staging.measurements order by item_no"
    ).fetchall() == [(1, 4.0), (2, None), (3, 5.0)]
    assert con.execute(
        "select row_no, rule from staging.quarantine where sheet = 'Forms'"
    ).fetchall() == [(2, "missing_required")]
    con.close()


def test_landing_rows_lineage_names_sheet_and_file(loaded) -> None:
    con, report = loaded
    # every landed form row finds its file, checksum, source and sheet in landing.lineage
    rows = con.execute(
        "select lineage.file_name, lineage.source_id, lineage.sheet, lineage.sha256, "
        "count(*) from landing.measurement_forms as forms "
        "inner join landing.lineage as lineage on forms.load_id = lineage.load_id "
        "and lineage.landing_table = 'measurement_forms' group by all"
    ).fetchall()
    assert rows == [("b_export_20240301.xlsx", report.source_id, "Forms", report.sha256, 5)]
    clients = con.execute(
        "select lineage.sheet, count(*) from landing.citizens as citizens "
        "inner join landing.lineage as lineage on citizens.load_id = lineage.load_id "
        "and lineage.landing_table = 'citizens' group by all"
    ).fetchall()
    assert clients == [("Clients", 3)]


def test_column_texts_match_cell_text_cell_by_cell() -> None:
    """The fast column path writes every cell as cell_text does, repeats included, and
    keeps True, 1 and 1.0 apart (equal as dict keys)."""
    import datetime as dt

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from transforms.ingest.readers import cell_text, column_texts

    cells = st.one_of(
        st.none(), st.text(max_size=5), st.booleans(), st.integers(-5, 5),
        st.sampled_from([1.0, 2.5, -0.5, 1e16, 3.0]),
        st.dates(dt.date(2020, 1, 1), dt.date(2020, 1, 5)),
        st.datetimes(dt.datetime(2020, 1, 1), dt.datetime(2020, 1, 2)),
    )  # fmt: skip

    @settings(max_examples=200, deadline=None)
    @given(st.lists(cells, max_size=30), st.sampled_from([",", "."]))
    def same(column: list, decimal: str) -> None:
        assert column_texts(column, "%d-%m-%Y", decimal) == [
            cell_text(v, "%d-%m-%Y", decimal) for v in column
        ]

    same()
    assert column_texts([True, 1, 1.0, "", None], "%d-%m-%Y", ",") == [
        "true", "1", "1", None, None
    ]


def test_a_nine_digit_number_cell_that_is_a_cpr_number_is_masked(tmp_path: Path, config) -> None:
    """A CPR number typed into a number cell loses its leading zero (day 01-09): the
    nine digits are written with the zero again, so landing masks them as it masks a
    ten-digit number cell; a nine-digit number that is no CPR number so is kept."""
    sheets = default_sheets()
    sheets["Clients"] = [
        ["ClientNo", "Sex", "YearOfBirth"],
        ["K100", "F", 101901237],  # 1 a CPR number as the year: masked
        [101901238, "M", 1975],  # 2 a CPR number as the ref: masked, cpr_in_id
        ["K101", "F", 131901237],  # 3 nine digits, 01-31-90: no CPR number, kept
    ]
    path = write_b_export(tmp_path / "b_export_20240302.xlsx", sheets)
    con = connect(tmp_path / "nine.duckdb")
    (report,) = ingest_files(con, [path], config, key=KEY)
    assert report.status == "loaded", report.error
    (clients,) = [t for t in report.tables if t.sheet == "Clients"]
    assert (clients.rows_in, clients.cpr_masked) == (3, 2)
    landed = con.execute(
        "select row_no, fields from landing.citizens order by row_no"
    ).fetchall()
    assert landed == [
        (1, f'["{pseudonym("K100", KEY.key)}","F","[CPR]"]'),
        (2, '["[CPR]","M","1975"]'),
        (3, f'["{pseudonym("K101", KEY.key)}","F","131901237"]'),
    ]
    assert con.execute(
        "select row_no, column_name, value, rule from staging.quarantine "
        "where sheet = 'Clients' order by row_no"
    ).fetchall() == [
        (1, "YearOfBirth", "[CPR]", "invalid_number"),
        (2, "ClientNo", "[CPR]", "cpr_in_id"),
    ]
    assert con.execute(
        "select count(*) from staging.citizens where birth_year in (101901237, 101901238)"
    ).fetchone() == (0,)


def test_whole_number_cells_keep_their_digits_unless_a_cpr_number_lost_its_zero() -> None:
    from transforms.ingest.readers import _header_text, cell_text, whole_number_text

    assert whole_number_text(101901237) == "0101901237"
    assert cell_text(101901237.0, "%d-%m-%Y", ",") == "0101901237"
    assert cell_text(101901237, "%d-%m-%Y", ",") == "0101901237"
    assert _header_text(101901237.0) == "0101901237"
    # not a CPR number with the zero (month 31, 13, day 00), other lengths, decimals
    for number in (131901237, 113901237, 100019012, 12345678, 1234567890, -101901237):
        assert whole_number_text(number) == str(number)
    assert cell_text(101901237.5, "%d-%m-%Y", ".") == "101901237.5"
    assert cell_text(1012901237.0, "%d-%m-%Y", ",") == "1012901237"  # ten digits: landing masks
