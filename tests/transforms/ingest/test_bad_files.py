"""Bad files fail alone with a one-line error; the rest of the batch still loads."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from datadialog.config_load import load_config
from datadialog.config_model import Source, TableMapping
from datadialog.db import connect
from datadialog.privacy import PseudonymKey
from tests.fixtures.ingest.b_workbook import CLIENTS, default_sheets, write_b_export
from tests.support.paths import INGEST_FIXTURES
from transforms.ingest import ingest_files

FIXTURES = INGEST_FIXTURES
KEY = PseudonymKey(b"bad-files-test-key-0123456789ab", "test")
GOOD = FIXTURES / "a_borgere_20240301.csv"


@pytest.fixture(scope="module")
def config():
    return load_config()


@pytest.fixture
def con(tmp_path: Path):
    con = connect(tmp_path / "bad.duckdb")
    yield con
    con.close()


def load_one_bad(con, config, bad: Path, source_id: str | None = None):
    """Load ``bad`` together with a good file; return the bad file's report."""
    reports = ingest_files(con, [bad, GOOD], config, source_id=source_id, key=KEY)
    good = next(r for r in reports if r.path == GOOD)
    assert good.status == "loaded" and good.rows_staged == 4
    (report,) = [r for r in reports if r.path == bad]
    return report


def write(path: Path, text: str, encoding: str = "cp1252") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize(
    ("name", "text", "error"),
    [
        ("a_forloeb_1.csv", "", "a_forloeb_1.csv: the file is empty (0 bytes)"),
        ("a_forloeb_2.csv", " \r\n\r\n", "a_forloeb_2.csv: the file is empty (no text)"),
        (
            "a_forloeb_3.csv",
            "ForloebID;Indsats;Startdato\r\nC1;spaedbarn;01-01-2024\r\n",
            "a_forloeb_3.csv: missing required column 'BorgerID' (for citizen_ref) "
            "(the file has: ForloebID, Indsats, Startdato)",
        ),
        (
            "a_borgere_4.csv",
            "BorgerID;Koen;Foedselsaar\r\nB1;K;1990\r\nB2;K\r\n",
            "a_borgere_4.csv: line 3: expected 3 fields, found 2",
        ),
        (
            "unknown_export.csv",
            "a;b\r\n1;2\r\n",
            "unknown_export.csv: no source in the config's sources.yaml matches this file name",
        ),
    ],
)
def test_bad_text_files(tmp_path: Path, con, config, name: str, text: str, error: str) -> None:
    report = load_one_bad(con, config, write(tmp_path / name, text))
    assert report.status == "failed"
    assert report.error is not None and "\n" not in report.error
    assert report.error.startswith(error)
    stored = con.execute(
        "select status, error from staging.loads where file_name = ?", [name]
    ).fetchall()
    assert stored == [("failed", report.error)]


def test_unterminated_quote_names_the_line(tmp_path: Path, con, config) -> None:
    bad = write(tmp_path / "a_borgere_5.csv", 'BorgerID;Koen;Foedselsaar\r\nB1;"K;1990\r\n')
    report = load_one_bad(con, config, bad)
    assert report.status == "failed"
    assert report.error is not None and report.error.startswith("a_borgere_5.csv: line 2: ")


def test_header_only_file_loads_nothing_with_a_warning(tmp_path: Path, con, config) -> None:
    report = load_one_bad(
        con, config,
        write(tmp_path / "a_borgere_6.csv", "BorgerID;Koen;Foedselsaar\r\nAntal rækker: 0\r\n"),
    )
    assert report.status == "loaded"
    assert report.rows_in == 0
    assert report.warnings == ["no data records"]


def test_missing_optional_column_is_a_warning(tmp_path: Path, con, config) -> None:
    text = "BorgerID;Koen\r\nB7;K\r\nAntal rækker: 1\r\n"
    report = load_one_bad(con, config, write(tmp_path / "a_borgere_7.csv", text))
    assert report.status == "loaded"
    assert report.warnings == ["column 'Foedselsaar' is not in the file; birth_year left empty"]
    assert con.execute(
        "select birth_year from staging.citizens where load_id = ?", [report.load_id]
    ).fetchall() == [(None,)]


def test_cpr_never_reaches_an_error_message(tmp_path: Path, con, config) -> None:
    bad = write(tmp_path / "a_borgere_8.csv", "BorgerID;Koen;Foedselsaar\r\n0101901234;K\r\n")
    report = load_one_bad(con, config, bad)
    assert report.status == "failed"
    assert report.error is not None and "0101901234" not in report.error


def test_unknown_source_id(tmp_path: Path, con, config) -> None:
    shutil.copy(GOOD, tmp_path)
    (report,) = ingest_files(con, [tmp_path / GOOD.name], config, source_id="nope", key=KEY)
    assert report.status == "failed"
    assert report.error is not None and "unknown source 'nope'" in report.error


def test_a_named_source_that_does_not_fit_the_file_says_so(tmp_path: Path, con,
                                                            config) -> None:
    """--source fagsystem_a for a name none of its tables' file_pattern matches: the error
    names that source's patterns, not "no source ... matches"."""
    odd = tmp_path / "udtraek_20240301.csv"
    shutil.copy(GOOD, odd)
    (report,) = ingest_files(con, [odd], config, source_id="fagsystem_a", key=KEY)
    assert report.status == "failed"
    assert report.error is not None
    assert "the file name matches no table of source 'fagsystem_a' (its file_pattern" in (
        report.error)
    assert "a_borgere*.csv" in report.error and "no source in" not in report.error


def test_not_a_workbook(tmp_path: Path, con, config) -> None:
    bad = tmp_path / "b_export_20240301.xlsx"
    bad.write_bytes(b"this is not a zip file")
    report = load_one_bad(con, config, bad)
    assert report.status == "failed"
    assert report.error is not None
    assert report.error.startswith("b_export_20240301.xlsx: not a readable XLSX workbook")


def test_workbook_without_the_expected_sheets(tmp_path: Path, con, config) -> None:
    bad = write_b_export(tmp_path / "b_export_20240302.xlsx", {"Sheet1": CLIENTS})
    report = load_one_bad(con, config, bad)
    assert report.status == "failed"
    assert report.error is not None
    assert report.error.startswith(
        "b_export_20240302.xlsx: none of the sheets 'Clients', 'Cases'"
    )
    assert report.error.endswith("(it has 'Sheet1')")


def test_sheet_missing_a_required_column_fails_the_workbook(tmp_path: Path, con, config) -> None:
    sheets = default_sheets()
    sheets["Cases"] = [["CaseNo", "Programme", "Opened"], ["E1", "ADULTGROUP", None]]
    bad = write_b_export(tmp_path / "b_export_20240303.xlsx", sheets)
    report = load_one_bad(con, config, bad)
    assert report.status == "failed"
    assert report.error is not None
    assert report.error.startswith(
        "b_export_20240303.xlsx: sheet 'Cases': missing required column 'ClientNo'"
    )
    # nothing of the workbook stays, not even the sheets before Cases
    assert con.execute(
        "select count(*) from landing.citizens where load_id = ?", [report.load_id]
    ).fetchone() == (0,)


def test_parquet_source(tmp_path: Path, con, config) -> None:
    source = Source(
        id="fagsystem_p",
        name="Parquet export",
        format="parquet",
        decimal=".",
        date_format="%d.%m.%Y",
        tables=[
            TableMapping(
                canonical="citizens",
                file_pattern="p_clients*.parquet",
                columns={"citizen_ref": "id", "gender": "sex", "birth_year": "born"},
            ),
            TableMapping(
                canonical="courses",
                file_pattern="p_cases*.parquet",
                columns={
                    "course_ref": "case",
                    "citizen_ref": "id",
                    "intervention_id": "programme",
                    "start_date": "opened",
                },
            ),
        ],
    )
    parquet_config = config.model_copy(update={"sources": [*config.sources, source]})
    raw = duckdb.connect()
    clients = tmp_path / "p_clients_1.parquet"
    cases = tmp_path / "p_cases_1.parquet"
    raw.execute(
        f"copy (select * from (values ('P1', 'female', 1990), ('P2', 'x', 1980)) "
        f"v(id, sex, born)) to '{clients}' (format parquet)"
    )
    raw.execute(
        f"copy (select 'K1' as case, 'P1' as id, 'spaedbarn' as programme, "
        f"date '2024-03-05' as opened) to '{cases}' (format parquet)"
    )
    raw.close()
    reports = ingest_files(con, [cases, clients], parquet_config, key=KEY)
    assert [(r.file_name, r.status, r.rows_staged, r.rows_quarantined) for r in reports] == [
        ("p_clients_1.parquet", "loaded", 1, 1),
        ("p_cases_1.parquet", "loaded", 1, 0),
    ]
    assert con.execute("select start_date from staging.courses").fetchone()[0].isoformat() == (
        "2024-03-05"
    )
    assert con.execute("select row_no, rule from staging.quarantine").fetchall() == [
        (2, "unknown_code")
    ]
