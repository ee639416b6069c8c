"""A source's date_format (or decimal mark) that does not fit the export is named.

A steward onboarding a system writes ``date_format: '%Y-%m-%d'`` where the file has
``31-10-2026``: every record is quarantined as invalid_date. The load says which config
key is wrong, with examples from the file and a format that reads them, and keeps every
record in quarantine (rows in = staged + same + quarantined). A few bad dates are the
export's, not the config's: no such message.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from datadialog.config_load import load_config
from datadialog.db import connect
from datadialog.privacy import PseudonymKey
from tests.support.exports import config_dir, export_files
from tests.support.paths import REPO
from tests.support.wrong_formats import citizens_file, courses_file, dates, wrong_date_format
from transforms.ingest import ingest_files

KEY = PseudonymKey(b"format-fault-test-key-0123456789", "test")

def test_wrong_date_format_names_file_column_key_example_and_format(tmp_path: Path) -> None:
    config = load_config(wrong_date_format(tmp_path))
    files = [citizens_file(tmp_path), courses_file(tmp_path, ["31-10-2026", *dates(7)])]
    con = connect(tmp_path / "wrong.duckdb")
    citizens, courses = ingest_files(con, files, config, key=KEY)
    assert citizens.format_faults == [] and not citizens.quarantined_by_config
    # every record quarantined, none lost
    assert courses.status == "loaded"
    assert (courses.rows_in, courses.rows_staged, courses.rows_quarantined) == (8, 0, 8)
    assert courses.balanced
    assert courses.quarantined_by_config
    assert courses.warnings == []  # the fault is not a plain warning
    (fault,) = courses.format_faults
    assert fault.key == "sources[fagsystem_a].date_format"
    assert fault.configured == "%Y-%m-%d"
    assert fault.columns == [("Startdato", 8, 8)]
    assert fault.examples == ["31-10-2026", "01-01-2025"]
    assert fault.suggestion == "%d-%m-%Y"
    (line,) = courses.fault_lines
    for part in ("a_forloeb_20261031.csv: ", "'Startdato'", "sources[fagsystem_a].date_format",
                 "'%Y-%m-%d'", "'31-10-2026'", "'%d-%m-%Y' reads them",
                 "all 8 records are in quarantine"):
        assert part in line, (part, line)
    assert "\n" not in line
    assert courses.as_dict()["format_faults"] == [line]
    assert courses.as_dict()["quarantined_by_config"] is True
    # the database is consistent: nothing staged, every record in quarantine, the
    # message kept with the load
    assert con.execute("select count(*) from staging.courses").fetchone() == (0,)
    assert con.execute(
        "select count(distinct row_no) from staging.quarantine where load_id = ?",
        [courses.load_id],
    ).fetchone() == (8,)
    (warnings,) = con.execute(
        "select warnings from staging.loads where load_id = ?", [courses.load_id]
    ).fetchone()
    assert [w for w in warnings if "sources[fagsystem_a].date_format" in w] == [fault.text]
    con.close()


def test_two_bad_dates_of_fifty_are_not_a_config_fault(tmp_path: Path) -> None:
    config = load_config(REPO / "config")
    starts = dates(50)
    starts[10], starts[20] = "2025-03-01", "31-02-2025"  # the export's own mistakes
    files = [citizens_file(tmp_path), courses_file(tmp_path, starts)]
    con = connect(tmp_path / "few.duckdb")
    _, courses = ingest_files(con, files, config, key=KEY)
    con.close()
    assert (courses.rows_in, courses.rows_staged, courses.rows_quarantined) == (50, 48, 2)
    assert courses.format_faults == [] and courses.fault_lines == []
    assert not courses.quarantined_by_config


def test_a_handful_of_records_is_needed(tmp_path: Path) -> None:
    """Four records, all with dates the format does not read: too few to blame the config."""
    config = load_config(wrong_date_format(tmp_path))
    files = [citizens_file(tmp_path), courses_file(tmp_path, dates(4))]
    con = connect(tmp_path / "small.duckdb")
    _, courses = ingest_files(con, files, config, key=KEY)
    con.close()
    assert courses.rows_quarantined == 4
    assert courses.format_faults == []


def test_no_suggestion_when_no_common_format_reads_the_dates(tmp_path: Path) -> None:
    config = load_config(wrong_date_format(tmp_path))
    odd = [f"{d} marts 2025" for d in range(1, 9)]  # Danish month names: no strptime reads
    files = [citizens_file(tmp_path), courses_file(tmp_path, odd)]
    con = connect(tmp_path / "odd.duckdb")
    _, courses = ingest_files(con, files, config, key=KEY)
    con.close()
    (fault,) = courses.format_faults
    assert fault.suggestion is None
    assert fault.examples == ["1 marts 2025", "2 marts 2025"]
    assert "none of the common formats reads them" in fault.text


@pytest.mark.parametrize(("written", "suggestion"), [
    ("{d}.1.2025 14:05", "%d.%m.%Y %H:%M"),
    ("{d}/01/2025 14:05:30", "%d/%m/%Y %H:%M:%S"),
    ("2025-01-{d:02d}T08:00:00", "%Y-%m-%dT%H:%M:%S"),
])
def test_a_date_with_a_time_of_day_gets_its_format(
    tmp_path: Path, written: str, suggestion: str
) -> None:
    """Exports that write a time after the date (with dots, slashes, ISO's T) get the
    format that reads them, as the plain dates do."""
    config = load_config(wrong_date_format(tmp_path))
    starts = [written.format(d=d) for d in range(1, 9)]
    files = [citizens_file(tmp_path), courses_file(tmp_path, starts)]
    con = connect(tmp_path / "time.duckdb")
    _, courses = ingest_files(con, files, config, key=KEY)
    con.close()
    (fault,) = courses.format_faults
    assert fault.suggestion == suggestion


def test_a_cpr_number_in_a_date_column_is_shown_masked(tmp_path: Path) -> None:
    """The examples are the landed values: a CPR number among them is masked, and the
    suggestion still reads the rest."""
    config = load_config(wrong_date_format(tmp_path))
    starts = ["010190-1234", *dates(7)]
    files = [citizens_file(tmp_path), courses_file(tmp_path, starts)]
    con = connect(tmp_path / "cpr.duckdb")
    _, courses = ingest_files(con, files, config, key=KEY)
    con.close()
    (fault,) = courses.format_faults
    assert fault.suggestion == "%d-%m-%Y"
    text = str(courses.as_dict())
    assert "010190" not in text and "1234" not in text


def test_wrong_decimal_mark_names_the_decimal_key(tmp_path: Path) -> None:
    """Amounts written 1234.50 where the source says decimal ','."""
    config = load_config(REPO / "config")
    lines = ["Indsats;Kvartal;Omkostningstype;BeloebKr;Timer"] + [
        f"spaedbarn;{2024 + i}-Q{q};Løn;{1000 + i}.50;" for i in range(2) for q in range(1, 5)
    ] + ["Antal rækker: 8"]
    path = tmp_path / "a_omkostninger_20261031.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    con = connect(tmp_path / "decimal.duckdb")
    (costs,) = ingest_files(con, [path], config, key=KEY)
    con.close()
    assert (costs.rows_in, costs.rows_quarantined) == (8, 8)
    assert costs.quarantined_by_config
    (fault,) = costs.format_faults
    assert fault.key == "sources[fagsystem_a].decimal"
    assert fault.columns == [("BeloebKr", 8, 8)]
    assert fault.suggestion == "."
    assert "decimal '.' reads them" in fault.text and "'1000.50'" in fault.text


def test_a_wide_form_counts_its_date_once_and_columns_keep_the_mapping_order(
    tmp_path: Path,
) -> None:
    """Omsorgsjournal (dd.mm.yyyy, wide ORS forms) with date_format '%Y-%m-%d': the
    courses name both date columns in the mapping's order, the forms count 17 dates
    (one per form, not one per answer cell)."""
    folder = config_dir("omsorgsjournal", tmp_path)
    sources = folder / "sources.yaml"
    text = sources.read_text(encoding="utf-8")
    sources.write_text(text.replace('date_format: "%d.%m.%Y"', 'date_format: "%Y-%m-%d"'),
                       encoding="utf-8")
    con = connect(tmp_path / "oj.duckdb")
    courses, forms = ingest_files(con, export_files("omsorgsjournal"), load_config(folder),
                                  key=KEY)
    con.close()
    assert [f.columns for f in courses.format_faults] == [[("Startdato", 8, 8),
                                                          ("Slutdato", 8, 8)]]
    assert [f.columns for f in forms.format_faults] == [[("Dato", 17, 17)]]
    assert forms.format_faults[0].suggestion == "%d.%m.%Y"
    assert forms.quarantined_by_config and forms.rows_quarantined == forms.rows_in == 17
