"""Ingest of the fagsystem A CSV fixtures: counts, every quarantine rule, typing, encodings.

The fixtures (tests/fixtures/ingest/a_*.csv) are Windows-1252, ';', decimal comma,
dd-mm-yyyy, CRLF, with a trailer line. Expected values below are worked out by hand
from the fixture rows.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from datadialog.config_load import load_config
from datadialog.config_model import DatadialogConfig
from datadialog.db import connect
from datadialog.privacy import PseudonymKey, pseudonym
from tests.support.paths import INGEST_FIXTURES
from transforms.ingest import ingest_files

FIXTURES = INGEST_FIXTURES
KEY = PseudonymKey(b"csv-test-key-0123456789abcdef", "test")

# file -> (rows_in, staged, unchanged, quarantined, cpr_masked)
EXPECTED_COUNTS = {
    "a_borgere_20240301.csv": (7, 4, 0, 3, 1),
    "a_forloeb_20240301.csv": (8, 3, 0, 5, 0),
    "a_maal_20240301.csv": (3, 2, 0, 1, 0),
    "a_registreringer_20240301.csv": (3, 2, 0, 1, 0),
    "a_maalinger_20240301.csv": (10, 5, 0, 5, 1),
    "a_maalscorer_20240301.csv": (4, 2, 0, 2, 0),
    "a_aktiviteter_20240301.csv": (3, 3, 0, 0, 0),
    "a_omkostninger_20240301.csv": (3, 2, 0, 1, 0),
    "a_kalibrering_20240301.csv": (3, 2, 0, 1, 0),
}

# (file, row_no, export column, value, rule)
EXPECTED_QUARANTINE = {
    ("a_borgere_20240301.csv", 4, "Koen", "X", "unknown_code"),
    ("a_borgere_20240301.csv", 5, "BorgerID", "[CPR]", "cpr_in_id"),
    ("a_borgere_20240301.csv", 6, "Foedselsaar", "19x0", "invalid_number"),
    ("a_forloeb_20240301.csv", 3, "BorgerID", pseudonym("B999", KEY.key), "unknown_citizen"),
    ("a_forloeb_20240301.csv", 4, "Startdato", "31-02-2024", "invalid_date"),
    ("a_forloeb_20240301.csv", 5, "ForloebID", "C001", "duplicate_key"),
    ("a_forloeb_20240301.csv", 6, "Afslutningsaarsag", "Ukendt", "unknown_code"),
    ("a_forloeb_20240301.csv", 7, "BorgerID", None, "missing_required"),
    ("a_maal_20240301.csv", 3, "Livsomraade", "moon", "unknown_code"),
    ("a_registreringer_20240301.csv", 3, "Fase", "Midt", "unknown_code"),
    ("a_maalinger_20240301.csv", 6, "Spoergsmaal", "5", "item_out_of_instrument"),
    ("a_maalinger_20240301.csv", 7, "Svar", "abc", "invalid_number"),
    ("a_maalinger_20240301.csv", 8, "ForloebID", "C404", "unknown_course"),
    ("a_maalinger_20240301.csv", 9, "Redskab", "XYZ", "unknown_code"),
    ("a_maalinger_20240301.csv", 10, "Dato", "2024-02-06", "invalid_date"),
    ("a_maalscorer_20240301.csv", 3, "MaalID", "G404", "unknown_goal"),
    ("a_maalscorer_20240301.csv", 4, "Score", "1,5", "invalid_number"),
    ("a_omkostninger_20240301.csv", 3, "Kvartal", "2024 Q2", "invalid_date"),
    ("a_kalibrering_20240301.csv", 3, "Spoergsmaal", "9", "item_out_of_instrument"),
}


@pytest.fixture(scope="module")
def config() -> DatadialogConfig:
    return load_config()


@pytest.fixture(scope="module")
def loaded(tmp_path_factory, config):
    """All A fixtures loaded once (given in reverse order: ingest sorts them)."""
    db = tmp_path_factory.mktemp("csv") / "a.duckdb"
    con = connect(db)
    files = sorted(FIXTURES.glob("a_*.csv"), reverse=True)
    reports = ingest_files(con, files, config, key=KEY)
    yield con, reports
    con.close()


def with_source(config: DatadialogConfig, source_id: str, **changes) -> DatadialogConfig:
    sources = [s.model_copy(update=changes) if s.id == source_id else s for s in config.sources]
    return config.model_copy(update={"sources": sources})


def test_counts_balance_per_file(loaded) -> None:
    con, reports = loaded
    by_name = {r.file_name: r for r in reports}
    assert set(by_name) == set(EXPECTED_COUNTS)
    for name, expected in EXPECTED_COUNTS.items():
        r = by_name[name]
        assert r.status == "loaded", r.error
        got = (r.rows_in, r.rows_staged, r.rows_unchanged, r.rows_quarantined, r.cpr_masked)
        assert got == expected, name
        assert r.balanced
    stored = con.execute(
        "select file_name, rows_in, rows_staged, rows_unchanged, rows_quarantined, cpr_masked, "
        "status from staging.loads"
    ).fetchall()
    assert {row[0]: row[1:6] for row in stored} == EXPECTED_COUNTS
    assert {row[6] for row in stored} == {"loaded"}


def test_files_load_citizens_first(loaded) -> None:
    _, reports = loaded
    order = [r.file_name for r in reports]
    assert order[:2] == ["a_borgere_20240301.csv", "a_forloeb_20240301.csv"]
    assert order.index("a_maal_20240301.csv") < order.index("a_maalscorer_20240301.csv")


def test_every_quarantine_rule(loaded) -> None:
    con, _ = loaded
    rows = set(
        con.execute(
            "select file_name, row_no, column_name, value, rule from staging.quarantine"
        ).fetchall()
    )
    assert rows == EXPECTED_QUARANTINE
    messages = dict(
        con.execute(
            "select rule, any_value(message) from staging.quarantine group by rule"
        ).fetchall()
    )
    assert messages["invalid_date"] in (
        "not a date in the format %d-%m-%Y",
        "not a quarter written YYYY-Qn",
    )
    assert "earlier record (row) 1" in messages["duplicate_key"]
    assert "1..4" in messages["item_out_of_instrument"]


def test_decimal_comma_empty_answer_and_note(loaded) -> None:
    con, _ = loaded
    rows = con.execute(
        "select item_no, value, note, measured_on, instrument_id, rater_role, row_no "
        "from staging.measurements where form_id = 'S001' order by item_no"
    ).fetchall()
    assert [(r[0], r[1]) for r in rows] == [(1, 5.5), (2, 6.0), (3, 7.25), (4, None)]
    assert rows[2][2] == 'Mor sagde; "godt"\r\nCPR [CPR] nævnt'
    assert {r[3] for r in rows} == {date(2024, 2, 5)}
    assert {(r[4], r[5]) for r in rows} == {("ors", "citizen")}
    # records after the repeated header line (record 5) keep their record numbers
    assert [r[6] for r in rows] == [1, 2, 3, 4]
    other = con.execute(
        "select value, note, row_no from staging.measurements where form_id = 'S006'"
    ).fetchall()
    assert other == [(9.5, "Ring på 12345678 først", 11)]
    # the repeated header line and the trailer did not land
    landed = con.execute(
        "select count(*), min(row_no), max(row_no) from landing.measurements"
    ).fetchone()
    assert landed == (10, 1, 11)


def test_trailer_count_warning(loaded) -> None:
    _, reports = loaded
    by_name = {r.file_name: r for r in reports}
    assert by_name["a_maalinger_20240301.csv"].warnings == [
        "the trailer says 9 rows, the file has 10 data records"
    ]
    assert by_name["a_borgere_20240301.csv"].warnings == []


def test_typed_values_and_pseudonyms(loaded) -> None:
    con, _ = loaded
    citizens = dict(con.execute("select citizen_id, gender from staging.citizens").fetchall())
    assert citizens == {
        pseudonym("B001", KEY.key): "female",
        pseudonym("B002", KEY.key): "male",
        pseudonym("B003", KEY.key): "other",
        pseudonym("B006", KEY.key): "female",  # canonical value accepted as it is
    }
    course = con.execute(
        "select citizen_id, intervention_id, variant, team_id, start_date, end_date, end_reason "
        "from staging.courses where course_id = 'C002'"
    ).fetchone()
    assert course == (
        pseudonym("B002", KEY.key),
        "ungepraktik",
        "intensiv",
        "unge_syd",
        date(2024, 1, 15),
        date(2024, 6, 30),
        "completed_planned",  # 'Planmæssigt afsluttet': Windows-1252 decoded
    )
    assert con.execute(
        "select variant from staging.courses where course_id = 'C001'"
    ).fetchone() == ("standard",)
    goals = con.execute(
        "select goal_id, goal_type, weight from staging.goals order by goal_id"
    ).fetchall()
    assert goals == [("G001", "progression", 1.5), ("G002", "maintenance", 1.0)]
    costs = con.execute(
        "select cost_type, amount_dkk, hours from staging.costs order by cost_type"
    ).fetchall()
    assert costs == [("fixed", 20000.0, None), ("staff", 125000.5, 310.0)]
    activities = con.execute(
        "select minutes, count(*) from staging.activities group by minutes order by minutes"
    ).fetchall()
    assert activities == [(45.5, 1), (90.0, 2)]  # the same activity twice is two activities
    # no raw citizen ref anywhere in landing or staging
    refs = con.execute(
        "select count(*) filter (where citizen_id like 'B%'), count(*) "
        "from landing.citizens_fields"
    ).fetchone()
    assert refs == (0, 7)


def test_one_record_with_several_problems_counts_once(tmp_path: Path, config) -> None:
    con = connect(tmp_path / "multi.duckdb")
    citizens = tmp_path / "a_borgere_20240401.csv"
    citizens.write_bytes(
        "BorgerID;Koen;Foedselsaar\r\nB001;Q;19x0\r\nAntal rækker: 1\r\n".encode("cp1252")
    )
    (report,) = ingest_files(con, [citizens], config, key=KEY)
    assert (report.rows_in, report.rows_staged, report.rows_quarantined) == (1, 0, 1)
    rules = con.execute("select rule from staging.quarantine order by rule").fetchall()
    assert rules == [("invalid_number",), ("unknown_code",)]
    con.close()


def test_utf8_with_bom_reads_like_windows_1252(tmp_path: Path, config) -> None:
    con = connect(tmp_path / "bom.duckdb")
    shutil.copy(FIXTURES / "a_borgere_20240301.csv", tmp_path)
    text = (FIXTURES / "a_forloeb_20240301.csv").read_bytes().decode("cp1252")
    bom = tmp_path / "a_forloeb_20240301.csv"
    bom.write_bytes(text.encode("utf-8-sig"))
    reports = ingest_files(con, [tmp_path / "a_borgere_20240301.csv", bom], config, key=KEY)
    assert [r.status for r in reports] == ["loaded", "loaded"]
    assert reports[1].warnings == []
    assert con.execute(
        "select end_reason from staging.courses where course_id = 'C002'"
    ).fetchone() == ("completed_planned",)
    con.close()


def test_utf8_without_bom_for_a_cp1252_source_warns(tmp_path: Path, config) -> None:
    con = connect(tmp_path / "utf8.duckdb")
    shutil.copy(FIXTURES / "a_borgere_20240301.csv", tmp_path)
    text = (FIXTURES / "a_forloeb_20240301.csv").read_bytes().decode("cp1252")
    plain = tmp_path / "a_forloeb_20240301.csv"
    plain.write_bytes(text.encode("utf-8"))
    reports = ingest_files(con, [tmp_path / "a_borgere_20240301.csv", plain], config, key=KEY)
    assert reports[1].status == "loaded"
    assert reports[1].warnings == [
        "the file is UTF-8, not Windows-1252 as configured; it was read as UTF-8"
    ]
    assert con.execute(
        "select end_reason from staging.courses where course_id = 'C002'"
    ).fetchone() == ("completed_planned",)
    con.close()


def test_auto_encoding_reads_both(tmp_path: Path, config) -> None:
    auto = with_source(config, "fagsystem_a", encoding="auto")
    con = connect(tmp_path / "auto.duckdb")
    cp = tmp_path / "cp"
    cp.mkdir()
    shutil.copy(FIXTURES / "a_borgere_20240301.csv", cp)
    shutil.copy(FIXTURES / "a_forloeb_20240301.csv", cp)
    reports = ingest_files(con, [cp], auto, key=KEY)
    assert [r.status for r in reports] == ["loaded", "loaded"]
    assert con.execute(
        "select end_reason from staging.courses where course_id = 'C002'"
    ).fetchone() == ("completed_planned",)
    con.close()


def test_wrong_encoding_fails_with_line(tmp_path: Path, config) -> None:
    strict = with_source(config, "fagsystem_a", encoding="utf-8")
    con = connect(tmp_path / "enc.duckdb")
    shutil.copy(FIXTURES / "a_forloeb_20240301.csv", tmp_path)
    (report,) = ingest_files(con, [tmp_path / "a_forloeb_20240301.csv"], strict, key=KEY)
    assert report.status == "failed"
    assert report.error is not None
    assert report.error.startswith("a_forloeb_20240301.csv: line 3: not valid UTF-8 text")
    assert con.execute("select count(*) from landing.courses").fetchone()[0] == 0
    con.close()


def test_tab_separated_utf8_source(tmp_path: Path, config) -> None:
    tsv = with_source(config, "fagsystem_a", delimiter="\t", encoding="auto", decimal=".")
    con = connect(tmp_path / "tsv.duckdb")
    path = tmp_path / "a_borgere_20240501.csv"
    path.write_text(
        'BorgerID\tKoen\tFoedselsaar\nB1\tK\t1990\nB2\t"M"\t1991.0\nAntal rækker: 2\n',
        encoding="utf-8",
    )
    (report,) = ingest_files(con, [path], tsv, key=KEY)
    assert (report.status, report.rows_in, report.rows_staged) == ("loaded", 2, 2)
    assert con.execute(
        "select gender, birth_year from staging.citizens order by birth_year"
    ).fetchall() == [("female", 1990), ("male", 1991)]
    con.close()


def test_every_landing_row_has_its_lineage(loaded) -> None:
    con, reports = loaded
    report = next(r for r in reports if r.file_name == "a_maalinger_20240301.csv")
    rows = con.execute(
        "select lineage.file_name, lineage.sha256, lineage.sheet, lineage.loaded_at is not null, "
        "count(*), min(rows.row_no), max(rows.row_no) from landing.measurements as rows "
        "left join landing.lineage as lineage on rows.load_id = lineage.load_id "
        "and lineage.landing_table = 'measurements' group by all"
    ).fetchall()
    # 10 records numbered 1..11: record 5 is a repeated header line, not landed
    assert rows == [("a_maalinger_20240301.csv", report.sha256, None, True, 10, 1, 11)]


def test_landing_keeps_each_field_as_received(loaded) -> None:
    """The JSON array of a landing row reads back as the record's fields: a quoted field
    with the delimiter, quotes and a line break, the decimal comma, an empty answer
    (null, not 0) and the masked CPR number."""
    con, _ = loaded
    rows = con.execute(
        "select row_no, form_ref, course_ref, instrument_id, measured_on, staff_id, "
        "rater_role, item_no, value, note from landing.measurements_fields "
        "where form_ref = 'S001' order by row_no"
    ).fetchall()
    assert rows == [
        (1, "S001", "C001", "ORS", "05-02-2024", "m01", "Borger", "1", "5,5", None),
        (2, "S001", "C001", "ORS", "05-02-2024", "m01", "Borger", "2", "6", None),
        (3, "S001", "C001", "ORS", "05-02-2024", "m01", "Borger", "3", "7,25",
         'Mor sagde; "godt"\r\nCPR [CPR] nævnt'),
        (4, "S001", "C001", "ORS", "05-02-2024", "m01", "Borger", "4", None, None),
        (6, "S001", "C001", "ORS", "05-02-2024", "m01", "Borger", "5", "3", None),
    ]  # fmt: skip
    # the stored array itself: ten fields in the view's order (the last, point_label,
    # unmapped here), null where empty
    fields = con.execute(
        "select fields from landing.measurements where row_no = 4 and load_id = ("
        "select load_id from staging.loads where file_name = 'a_maalinger_20240301.csv')"
    ).fetchone()[0]
    assert fields == '["S001","C001","ORS","05-02-2024","m01","Borger","4",null,null,null]'


def test_a_workshop_may_score_several_cases(tmp_path: Path, config) -> None:
    """The case is part of a calibration score's key: two cases scored by the same staff
    member with the same instrument are two sets of scores, not duplicates; without a
    case column the scores stage with an empty case."""
    con = connect(tmp_path / "cases.duckdb")
    header = "Workshop;Dato;Medarbejder;Redskab;Case;Spoergsmaal;Svar"
    rows = [
        "W1;10-01-2024;m01;ORS;case-a;1;6",
        "W1;10-01-2024;m01;ORS;case-b;1;3",
        "W1;10-01-2024;m02;ORS;case-a;1;7",
        "W1;10-01-2024;m02;ORS;case-b;1;2",
        "W1;10-01-2024;m02;ORS;case-b;1;4",  # the same key again: a duplicate
    ]
    path = tmp_path / "a_kalibrering_20240401.csv"
    path.write_bytes(("\r\n".join([header, *rows]) + "\r\n").encode("cp1252"))
    (report,) = ingest_files(con, [path], config, key=KEY)
    assert (report.rows_in, report.rows_staged, report.rows_quarantined) == (5, 4, 1)
    staged = con.execute(
        "select staff_id, case_ref, value from staging.calibration_scores order by all"
    ).fetchall()
    assert staged == [
        ("m01", "case-a", 6.0), ("m01", "case-b", 3.0),
        ("m02", "case-a", 7.0), ("m02", "case-b", 2.0),
    ]  # fmt: skip
    assert con.execute("select row_no, rule from staging.quarantine").fetchall() == [
        (5, "duplicate_key")
    ]
    # an export without a case column: one case per workshop, stored as ''
    plain = tmp_path / "a_kalibrering_20240402.csv"
    plain.write_bytes(
        "Workshop;Dato;Medarbejder;Redskab;Spoergsmaal;Svar\r\nW2;11-01-2024;m01;ORS;1;5\r\n"
        .encode("cp1252")
    )
    (report,) = ingest_files(con, [plain], config, key=KEY)
    assert report.rows_staged == 1
    assert con.execute(
        "select case_ref from staging.calibration_scores where workshop_id = 'W2'"
    ).fetchall() == [("",)]
    con.close()
