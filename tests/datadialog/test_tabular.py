"""The shared CSV and XLSX writers (datadialog/tabular.py): no text cell a spreadsheet
would read as a formula, no formula cell, text round-trips apart from one added quote,
numbers and dates stay numbers and dates; and a write that fails leaves nothing behind.

The fuzz text is any unicode except the control characters other than tab, newline and
carriage return: XML 1.0 (the XLSX format) cannot hold them, and xlsxwriter writes them
as _xHHHH_ escapes, which is a different question from formulas.
"""

from __future__ import annotations

import csv
import errno
import os
import re
import subprocess
from datetime import date
from pathlib import Path

import duckdb
import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from datadialog.atomic_write import OutputWriteError, write_text
from datadialog.tabular import (
    FORMULA_LEADERS,
    append_csv_rows,
    neutralise,
    write_csv_rows,
    write_relation_csv,
    write_xlsx_row,
    write_xlsx_text,
    xlsx_workbook,
)

_ALPHABET = st.characters(
    blacklist_categories=("Cs",),
    blacklist_characters=[chr(c) for c in range(32) if chr(c) not in "\t\n\r"] + ["\x7f"],
)
#: Text that often starts with a formula character and holds quotes, delimiters, newlines.
TEXT = st.one_of(
    st.text(_ALPHABET, max_size=40),
    st.builds(
        lambda lead, rest: lead + rest,
        st.sampled_from([*FORMULA_LEADERS, "'", '"', ",", ";", "\n", " ="]),
        st.text(_ALPHABET, max_size=30),
    ),
    st.sampled_from(['=HYPERLINK("http://x","y")', "=1+2", "+45 12 34 56", "-2", "@SUM(A1)",
                     "\t=1", "\r=1", "'=1", "æøå ÆØÅ", 'a,"b";c\n\rd', ""]),
)
SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


def _assert_safe_text(written: str, original: str) -> None:
    """Not formula-leading, and the original apart from the one added quote."""
    assert not written.startswith(FORMULA_LEADERS), written
    if original.startswith(FORMULA_LEADERS):
        assert written == "'" + original
    else:
        assert written == original


def _ooxml_text(value: str | None) -> str:
    """A cell's text as Excel shows it: openpyxl leaves the OOXML escapes ``_xHHHH_``
    (xlsxwriter writes a carriage return as ``_x000D_``, a literal ``_x...`` with
    ``_x005F_`` in front) undecoded."""
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), value or "")


def _read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def test_the_rule():
    assert neutralise('=HYPERLINK("http://x","y")') == '\'=HYPERLINK("http://x","y")'
    for lead in FORMULA_LEADERS:
        assert neutralise(lead + "x") == "'" + lead + "x"
    assert neutralise("'=x") == "'=x"  # starts with a quote: not a formula
    assert neutralise("a=b") == "a=b"
    assert neutralise("") == ""


@SETTINGS
@given(rows=st.lists(st.tuples(TEXT, TEXT), min_size=0, max_size=8))
def test_csv_rows_fuzz(tmp_path, rows):
    path = tmp_path / "rows.csv"
    n = write_csv_rows(path, ["a", "b"], [(a, b, -3, date(2025, 1, 2)) for a, b in rows])
    assert n == len(rows)
    back = _read_csv(path)
    assert back[0] == ["a", "b"]
    assert len(back) == len(rows) + 1
    for (a, b), line in zip(rows, back[1:], strict=True):
        _assert_safe_text(line[0], a)
        _assert_safe_text(line[1], b)
        assert line[2:] == ["-3", "2025-01-02"]  # a negative number stays a number


@SETTINGS
@given(rows=st.lists(st.tuples(TEXT, TEXT), min_size=0, max_size=8))
def test_relation_csv_fuzz(tmp_path, rows):
    con = duckdb.connect()
    rel = con.sql(
        "select * from (values (NULL::varchar, NULL::varchar, 0, date '2025-01-02')) "
        "t(a, \"odd \"\"name\", n, d) limit 0"
    )
    if rows:
        values = [(a, b, -i, date(2025, 1, 2)) for i, (a, b) in enumerate(rows, start=1)]
        con.execute("create temp table t (a varchar, \"odd \"\"name\" varchar, n integer, d date)")
        con.executemany("insert into t values (?, ?, ?, ?)", values)
        rel = con.table("t")
    path = tmp_path / "rel.csv"
    write_relation_csv(con, rel, path)
    back = _read_csv(path)
    assert back[0] == ["a", 'odd "name', "n", "d"]
    assert len(back) == len(rows) + 1
    for i, ((a, b), line) in enumerate(zip(rows, back[1:], strict=True), start=1):
        _assert_safe_text(line[0], a)
        _assert_safe_text(line[1], b)
        assert line[2:] == [str(-i), "2025-01-02"]
    assert not list(tmp_path.glob(".*.tmp"))


@SETTINGS
@given(rows=st.lists(st.lists(TEXT, min_size=2, max_size=2), min_size=1, max_size=8))
def test_xlsx_fuzz(tmp_path, rows):
    path = tmp_path / "book.xlsx"
    with xlsx_workbook(path) as book:
        sheet = book.add_worksheet("x")
        date_format = book.add_format({"num_format": "yyyy-mm-dd"})
        for i, (a, b) in enumerate(rows):
            write_xlsx_row(sheet, i, 0, [a, -2.5, date(2025, 1, 2), None], None, date_format)
            write_xlsx_text(sheet, i, 4, b)
            sheet.write(i, 5, b)  # plain write: the workbook's options keep it text
    sheet = openpyxl.load_workbook(path)["x"]
    for i, (a, b) in enumerate(rows, start=1):
        cells = [sheet.cell(i, j) for j in range(1, 7)]
        assert all(c.data_type != "f" for c in cells)
        _assert_safe_text(_ooxml_text(cells[0].value), a)
        _assert_safe_text(_ooxml_text(cells[4].value), b)
        assert cells[1].value == -2.5 and cells[1].data_type == "n"
        assert cells[2].is_date and cells[2].value.date() == date(2025, 1, 2)
        assert cells[3].value is None
        assert _ooxml_text(cells[5].value) == b  # plain write: text, not a formula


def test_ledger_append_keeps_header_and_neutralises(tmp_path):
    path = tmp_path / "checksums.csv"
    append_csv_rows(path, ["name", "sha"], [("a.csv", "1")])
    append_csv_rows(path, ["name", "sha"], [("=cmd|' /C calc'!A0.csv", "2")])
    assert _read_csv(path) == [["name", "sha"], ["a.csv", "1"], ["'=cmd|' /C calc'!A0.csv", "2"]]


# ---------------------------------------------------------------- a failing write


def test_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    path = tmp_path / "report.csv"
    write_csv_rows(path, ["a"], [("old",)])

    def rows():
        yield ("new",)
        raise RuntimeError("broken mid-way")

    with pytest.raises(RuntimeError):
        write_csv_rows(path, ["a"], rows())
    assert _read_csv(path) == [["a"], ["old"]]
    assert [p.name for p in tmp_path.iterdir()] == ["report.csv"]
    with pytest.raises(ZeroDivisionError), xlsx_workbook(tmp_path / "b.xlsx") as book:
        book.add_worksheet("x")
        raise ZeroDivisionError("broken mid-way")
    assert [p.name for p in tmp_path.iterdir()] == ["report.csv"]


@pytest.fixture
def full_folder(tmp_path):
    """A real folder on a 256 KiB tmpfs filled to the last byte (needs root to mount)."""
    folder = tmp_path / "full"
    folder.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(folder)],
                   check=True)
    try:
        (folder / "old.html").write_text("old report", encoding="utf-8")
        fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT)
        try:
            while True:
                os.write(fd, b"x" * 4096)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
        finally:
            os.close(fd)
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=True)


def test_full_disk_leaves_no_empty_file(full_folder):
    with pytest.raises(OutputWriteError, match="cannot write .*new.csv: the disk is full"):
        write_csv_rows(full_folder / "new.csv", ["a"], [("x" * 100,)] * 1000)
    with pytest.raises(OutputWriteError, match="old.html: the disk is full"):
        write_text(full_folder / "old.html", "new report " * 10_000)
    with pytest.raises(OutputWriteError, match="the disk is full"):
        with xlsx_workbook(full_folder / "new.xlsx") as book:
            write_xlsx_row(book.add_worksheet("x"), 0, 0, [str(i) * 50 for i in range(3000)])
    con = duckdb.connect()
    with pytest.raises(OutputWriteError, match="the disk is full"):
        write_relation_csv(con, con.sql("select repeat('x', 100) a from range(100000)"),
                           full_folder / "rel.csv")
    assert sorted(p.name for p in full_folder.iterdir()) == ["filler", "old.html"]
    assert (full_folder / "old.html").read_text(encoding="utf-8") == "old report"


def test_the_same_workbook_is_the_same_bytes_later(tmp_path) -> None:
    """The leaders' finance workbook is delivered like a deck: "already sent" is decided
    on its checksum, so the same content must give the same file whenever it is written
    (xlsxwriter stamps the creation time to the second unless it is given)."""
    import time

    def write(path) -> bytes:
        with xlsx_workbook(path) as book:
            sheet = book.add_worksheet("Tal")
            write_xlsx_row(sheet, 0, 0, ["Indsats", "Omkostning"])
            write_xlsx_row(sheet, 1, 0, ["=Praktikforløb", 4158.0])
        return path.read_bytes()

    first = write(tmp_path / "a.xlsx")
    time.sleep(1.1)
    assert write(tmp_path / "b.xlsx") == first
