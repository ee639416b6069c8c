"""Bounded readers: an XLSX bomb is refused (fast, in little memory), a reader crash
fails only its file, and an over-long CSV field is quarantined with its line number.

Real files throughout: the workbooks are written by tests/fixtures/ingest/b_workbook.py
and then edited in their ZIP (a cell far away), the CLI runs in a child process so
its peak memory can be measured.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from datadialog.config_load import load_config
from datadialog.db import connect
from datadialog.privacy import PseudonymKey
from tests.fixtures.ingest.b_workbook import write_b_export
from tests.support.paths import INGEST_FIXTURES, REPO
from transforms.ingest import ingest_files, ingest_inbox
from transforms.ingest.workbook import Extent, column_letters, column_number, scan_extent

KEY_TEXT = "limits-test-key-0123456789abcdef"
KEY = PseudonymKey(KEY_TEXT.encode(), "test")
FIXTURES = INGEST_FIXTURES


@pytest.fixture(scope="module")
def config():
    return load_config()


def with_far_cell(workbook: Path, target: Path, cell: str, sheet_part: str | None = None) -> Path:
    """A copy of ``workbook`` with one more cell (text 'x') at ``cell`` on its first sheet
    (or ``sheet_part``), written into the sheet's XML: a few bytes more in the file."""
    row = "".join(ch for ch in cell if ch.isdigit())
    out = zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED)
    with zipfile.ZipFile(workbook) as src, out as dst:
        part = sheet_part or "xl/worksheets/sheet1.xml"
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == part:
                far = f'<row r="{row}"><c r="{cell}" t="inlineStr"><is><t>x</t></is></c></row>'
                data = data.replace(b"</sheetData>", far.encode() + b"</sheetData>")
            dst.writestr(info, data)
    return target


def test_columns_are_numbered_like_excel() -> None:
    assert [column_number(c) for c in ("A", "Z", "AA", "GR", "XFD")] == [1, 26, 27, 200, 16384]
    assert [column_letters(n) for n in (1, 26, 27, 200, 16384)] == ["A", "Z", "AA", "GR", "XFD"]


def test_extent_is_the_real_last_cell_not_the_dimension(tmp_path: Path) -> None:
    good = write_b_export(tmp_path / "good.xlsx")
    with zipfile.ZipFile(good) as archive:
        extent = scan_extent(archive, "xl/worksheets/sheet1.xml")
    assert extent == Extent(rows=4, columns=3, cells=12)
    bomb = with_far_cell(good, tmp_path / "bomb.xlsx", "XFD1048576")
    with zipfile.ZipFile(bomb) as archive:
        extent = scan_extent(archive, "xl/worksheets/sheet1.xml")
        # the sheet's <dimension ref> still says A1:C4
        assert b'<dimension ref="A1:C4"/>' in archive.read("xl/worksheets/sheet1.xml")
    assert (extent.rows, extent.columns, extent.cells) == (1_048_576, 16_384, 13)
    assert extent.last_cell == "XFD1048576"


@pytest.mark.parametrize(
    ("cell", "key"),
    [("XFD1048576", "ingest.xlsx_max_columns"), ("GR1048576", "ingest.xlsx_max_cells")],
)
def test_xlsx_bomb_is_refused_and_the_rest_of_the_inbox_loads(
    tmp_path: Path, cell: str, key: str
) -> None:
    """The ingest CLI in a child process: refused in under 10 s, peak memory under 500 MB."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    good = write_b_export(tmp_path / "b_export_20240301.xlsx")
    bomb = with_far_cell(good, inbox / "b_export_20240302.xlsx", cell)
    assert bomb.stat().st_size < 60_000
    for name in ("a_borgere_20240301.csv", "a_forloeb_20240301.csv"):
        shutil.copy(FIXTURES / name, inbox)
    script = (
        "import json, resource, subprocess, sys, time\n"
        "start = time.perf_counter()\n"
        "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "seconds = time.perf_counter() - start\n"
        "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(json.dumps({'rc': done.returncode, 'out': done.stdout + done.stderr,\n"
        "                  'seconds': seconds, 'cpu_seconds': usage.ru_utime + usage.ru_stime,\n"
        "                  'peak_kb': usage.ru_maxrss}))\n"
    )
    cli = [
        sys.executable, "-c", "from cli.app import app; app()", "ingest", "--inbox", str(inbox),
        "--db", str(tmp_path / "bomb.duckdb"), "--archive", str(tmp_path / "archive"),
    ]  # fmt: skip
    env = {"DATADIALOG_PSEUDONYM_KEY": KEY_TEXT, "COLUMNS": "200", "PATH": "/usr/bin:/bin"}
    measured = subprocess.run(
        [sys.executable, "-c", script, *cli], cwd=REPO, env=env, capture_output=True,
        text=True, check=True, timeout=120,
    )  # fmt: skip
    result = json.loads(measured.stdout)
    print(f"{cell}: {result['seconds']:.2f} s, peak RSS {result['peak_kb'] / 1024:.0f} MB")
    assert result["rc"] == 1, result["out"]  # a file failed
    # CPU time, not wall time: the refusal must not parse the sheet, and CPU seconds do not
    # grow when the machine is busy with other work (wall time here was 2-14 s by load)
    assert result["cpu_seconds"] < 10, result
    assert result["peak_kb"] < 500 * 1024, result
    failed = inbox / "failed"
    assert sorted(p.name for p in failed.iterdir()) == [
        "b_export_20240302.xlsx", "b_export_20240302.xlsx.error.txt",
    ]  # fmt: skip
    error = (failed / "b_export_20240302.xlsx.error.txt").read_text()
    assert error.startswith("b_export_20240302.xlsx: sheet 'Clients': its cells reach " + cell)
    assert key in error and "over the limit" in error
    assert len(error.splitlines()) == 1
    # the other files of the batch loaded
    archived = sorted(p.name for p in (tmp_path / "archive").rglob("*.csv"))
    assert archived == ["a_borgere_20240301.csv", "a_forloeb_20240301.csv", "checksums.csv"]
    con = connect(tmp_path / "bomb.duckdb")
    assert con.execute("select count(*) from staging.courses").fetchone()[0] > 0
    con.close()


def test_limits_come_from_the_config(tmp_path: Path, config) -> None:
    good = write_b_export(tmp_path / "b_export_20240301.xlsx")
    strict = config.model_copy(
        update={"ingest": config.ingest.model_copy(update={"xlsx_max_rows": 3})}
    )
    con = connect(tmp_path / "rows.duckdb")
    (report,) = ingest_files(con, [good], strict, key=KEY)
    assert report.status == "failed"
    assert report.error == (
        "b_export_20240301.xlsx: sheet 'Clients': its cells reach C4: 4 rows, over the limit "
        "of 3 rows (ingest.xlsx_max_rows; raise it to load this sheet)"
    )
    assert con.execute("select count(*) from staging.citizens").fetchone() == (0,)
    con.close()


def test_reader_crash_and_corrupt_zip_land_in_failed_and_the_batch_goes_on(
    tmp_path: Path, config
) -> None:
    """A workbook within the size limits that needs more memory than the reader may
    take (about 1.5 million cells with a 64 MB budget), and a damaged ZIP archive."""
    import xlsxwriter

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    big = inbox / "b_export_20240303.xlsx"
    book = xlsxwriter.Workbook(str(big), {"constant_memory": True})
    sheet = book.add_worksheet("Clients")
    sheet.write_row(0, 0, ["ClientNo", "Sex", "YearOfBirth"] + [f"c{i}" for i in range(12)])
    for r in range(1, 100_001):
        sheet.write_row(r, 0, [f"K{r}", "F", 1980] + [f"text {r} {i}" for i in range(12)])
    book.close()
    good = write_b_export(tmp_path / "good.xlsx")
    damaged = inbox / "b_export_20240304.xlsx"
    data = good.read_bytes()
    damaged.write_bytes(data[: len(data) // 2])  # cut off: no central directory
    shutil.copy(FIXTURES / "a_borgere_20240301.csv", inbox)
    small = config.model_copy(
        update={"ingest": config.ingest.model_copy(update={"reader_memory_mb": 64})}
    )
    con = connect(tmp_path / "crash.duckdb")
    start = time.perf_counter()
    reports = ingest_inbox(con, small, inbox=inbox, archive=tmp_path / "archive", key=KEY)
    print(f"crash and damaged workbook refused in {time.perf_counter() - start:.2f} s")
    by_name = {r.file_name: r for r in reports}
    assert by_name["a_borgere_20240301.csv"].status == "loaded"
    crashed = by_name["b_export_20240303.xlsx"]
    assert crashed.status == "failed"
    assert "ingest.reader_memory_mb" in (crashed.error or ""), crashed.error
    assert by_name["b_export_20240304.xlsx"].status == "failed"
    assert "not a readable XLSX workbook" in (by_name["b_export_20240304.xlsx"].error or "")
    failed = sorted(p.name for p in (inbox / "failed").iterdir())
    assert failed == [
        "b_export_20240303.xlsx", "b_export_20240303.xlsx.error.txt",
        "b_export_20240304.xlsx", "b_export_20240304.xlsx.error.txt",
    ]  # fmt: skip
    error = (inbox / "failed" / "b_export_20240303.xlsx.error.txt").read_text()
    assert "ingest.reader_memory_mb" in error
    assert con.execute("select count(*) from staging.citizens").fetchone()[0] > 0
    con.close()


def test_a_2_mb_csv_field_is_quarantined_with_its_line_number(tmp_path: Path, config) -> None:
    con = connect(tmp_path / "field.duckdb")
    ingest_files(con, [FIXTURES / "a_borgere_20240301.csv"], config, key=KEY)
    header = "ForloebID;BorgerID;Indsats;Variant;Team;Startdato;Slutdato;Afslutningsaarsag"
    long_text = "Lang tekst " * 200_000  # 2.2 MB in one field
    lines = [
        header,
        "C001;B001;spaedbarn;;familie_nord;01-02-2024;;",  # record 1, line 2
        f'C002;B002;ungepraktik;"{long_text}";unge_syd;15-01-2024;;',  # record 2, line 3
        "C003;B003;spaedbarn;;familie_nord;01-03-2024;;",  # record 3, line 4
        "Antal rækker: 3",
    ]
    path = tmp_path / "a_forloeb_20240301.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    (report,) = ingest_files(con, [path], config, key=KEY)
    assert report.status == "loaded", report.error
    assert (report.rows_in, report.rows_staged, report.rows_quarantined) == (3, 2, 1)
    assert report.balanced
    rows = con.execute(
        "select row_no, column_name, rule, length(value), message from staging.quarantine "
        "where file_name = 'a_forloeb_20240301.csv'"
    ).fetchall()
    assert len(rows) == 1
    row_no, column, rule, value_length, message = rows[0]
    assert (row_no, column, rule, value_length) == (2, "Variant", "field_too_long", 100)
    assert "line 3: 2,200,000 bytes, over the limit of 1,048,576 (ingest.csv_max_field_bytes)" in (
        message
    )
    staged = con.execute("select course_id from staging.courses order by 1").fetchall()
    assert staged == [("C001",), ("C003",)]
    # the landing row keeps the record, its long field cut short
    assert con.execute(
        "select max(length(fields)) < 1000, count(*) from landing.courses"
    ).fetchone() == (True, 3)
    con.close()


def test_a_long_record_of_short_fields_is_line_too_long(tmp_path: Path, config) -> None:
    header = "BorgerID;Koen;Foedselsaar"
    small = config.model_copy(
        update={"ingest": config.ingest.model_copy(
            update={"csv_max_field_bytes": 4_000, "csv_max_line_bytes": 6_000}
        )}
    )
    lines = [header, "B001;K;1980", f"B002;{'K' * 3_500};{'9' * 3_500}", "B003;M;1990"]
    path = tmp_path / "a_borgere_20240301.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    con = connect(tmp_path / "line.duckdb")
    (report,) = ingest_files(con, [path], small, key=KEY)
    assert report.status == "loaded", report.error
    assert (report.rows_in, report.rows_staged, report.rows_quarantined) == (3, 2, 1)
    assert con.execute(
        "select row_no, rule from staging.quarantine"
    ).fetchall() == [(2, "line_too_long")]
    con.close()
