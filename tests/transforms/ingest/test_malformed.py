"""Malformed files, each loaded in one batch with a good file.

Every bad file must end as a report of its own (``failed`` with a one-line error
that starts with the file name, and names the line where there is one; or
``loaded`` where the documented rules quarantine or warn instead), and the good
file in the same batch must load exactly as it does alone.

tests/test_ingest_bad_files.py holds the first cases of this kind one by one;
the kinds here are new, or (empty file) the same kind in the batch form.
"""

from __future__ import annotations

import gzip
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from datadialog.config_load import load_config
from datadialog.config_model import DatadialogConfig, Source, TableMapping
from datadialog.db import connect
from datadialog.privacy import PseudonymKey
from tests.fixtures.ingest.b_workbook import CLIENTS, default_sheets, write_b_export
from tests.support.paths import INGEST_FIXTURES
from transforms.ingest import ingest_files

FIXTURES = INGEST_FIXTURES
KEY = PseudonymKey(b"malformed-test-key-0123456789abc", "test")
GOOD = FIXTURES / "a_borgere_20240301.csv"

# A small valid courses file of fagsystem A (its citizens B001..B003 are in GOOD).
HEADER = "ForloebID;BorgerID;Indsats;Startdato\r\n"
ROW = "C1;B001;spaedbarn;01-01-2024\r\n"
MISSING_ALL = (
    "missing required columns 'ForloebID' (for course_ref), 'BorgerID' (for citizen_ref), "
    "'Indsats' (for intervention_id), 'Startdato' (for start_date) (the file has: "
)
NOT_XLSX = "not a readable XLSX workbook ("


def _zip(parts: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def _truncated_workbook(path: Path) -> None:
    write_b_export(path, default_sheets())
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _sheets_without(*names: str) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        sheets = {k: v for k, v in default_sheets().items() if k not in names}
        write_b_export(path, sheets)

    return write


def _clients_without_header(path: Path) -> None:
    sheets = default_sheets()
    sheets["Clients"] = CLIENTS[1:]  # the first row is a data row
    write_b_export(path, sheets)


def _cases_with_blank_header(path: Path) -> None:
    sheets = default_sheets()
    sheets["Cases"] = [[None, None], ["E1", "K100"]]
    write_b_export(path, sheets)


def _parquet(sql: str) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        raw = duckdb.connect()
        raw.execute(f"copy ({sql}) to '{path}' (format parquet)")
        raw.close()

    return write


@dataclass
class Kind:
    """One malformed file: how to write it and what the loader must say."""

    id: str
    name: str
    content: bytes | Callable[[Path], None] | None  # None: the file does not exist
    status: str = "failed"
    error: str | None = None  # the error starts with this (after "<name>: ")
    error_has: str | None = None  # and contains this
    counts: tuple[int, int, int] | None = None  # loaded: rows_in, staged, quarantined
    parquet: bool = False  # load with the test-only Parquet source added


KINDS = [
    Kind("empty", "a_forloeb_k.csv", b"", error="the file is empty (0 bytes)"),
    Kind(
        "header_only_no_newline",
        "a_forloeb_k.csv",
        HEADER.strip().encode(),
        status="loaded",
        counts=(0, 0, 0),
        error_has="no data records",
    ),
    Kind(
        "trailer_only",
        "a_forloeb_k.csv",
        "Antal rækker: 0\r\n".encode("cp1252"),
        error="line 1: the file holds only a trailer line ('Antal rækker: 0'), "
        "no header line and no records",
    ),
    Kind(
        "binary_garbage",
        "a_forloeb_k.csv",
        bytes(range(256)) * 20,
        # the first byte is NUL, which no text export holds
        error="line 1: a NUL byte (0x00) at column 1: not plain text",
    ),
    Kind(
        # no NUL, but 0x81 is neither UTF-8 nor Windows-1252 (0x0a ends line 1)
        "binary_without_nul",
        "a_forloeb_k.csv",
        bytes(range(1, 256)) * 20,
        error="line 2: not valid UTF-8 nor Windows-1252 text (byte 0x81 at column 119",
        error_has="'cp1252'",
    ),
    Kind(
        "utf16_text",
        "a_forloeb_k.csv",
        (HEADER + ROW).encode("utf-16"),
        error="line 1: the file is UTF-16 text; export it as UTF-8 or Windows-1252",
    ),
    Kind(
        # without a byte-order mark: every other byte of ASCII text is NUL
        "utf16_without_bom",
        "a_forloeb_k.csv",
        (HEADER + ROW).encode("utf-16-le"),
        error="line 1: a NUL byte (0x00) at column 2: not plain text",
    ),
    Kind(
        "quote_open_at_eof",
        "a_forloeb_k.csv",
        (HEADER + 'C1;B001;"spaedbarn;01-01-2024').encode(),
        error="line 2: ",
        error_has="unterminated quote",
    ),
    Kind(
        "comma_delimiter",
        "a_forloeb_k.csv",
        (HEADER + ROW).replace(";", ",").encode(),
        error="line 1: the header line is one column, 'ForloebID,BorgerID,Indsats,Startdato': "
        "it looks separated by ',', but the source 'fagsystem_a' uses ';'",
    ),
    Kind(
        "tab_delimiter",
        "a_forloeb_k.csv",
        (HEADER + ROW).replace(";", "\t").encode(),
        error="line 1: the header line is one column, "
        "'ForloebID\\tBorgerID\\tIndsats\\tStartdato': "
        "it looks separated by 'tab', but the source 'fagsystem_a' uses ';'",
    ),
    Kind(
        "goals_without_key_column",
        "a_maal_k.csv",
        b"ForloebID;Livsomraade\r\nC1;health\r\n",
        error="missing required column",
        error_has="'MaalID' (for goal_ref)",
    ),
    Kind(
        # a mapped column twice: which one holds the citizen is anyone's guess
        "duplicated_column_names",
        "a_forloeb_k.csv",
        b"ForloebID;BorgerID;BorgerID;Indsats;Startdato\r\nC1;B001;B999;spaedbarn;01-01-2024\r\n",
        error="header columns 2 and 3 are all named 'BorgerID'; which one holds citizen_ref "
        "is ambiguous",
    ),
    Kind(
        # an unmapped column twice does not matter (readers.unique_names makes it Extra_2)
        "duplicated_unmapped_column",
        "a_forloeb_k.csv",
        b"ForloebID;BorgerID;Extra;Extra;Indsats;Startdato\r\nC1;B001;x;y;spaedbarn;01-01-2024\r\n",
        status="loaded",
        counts=(1, 1, 0),
    ),
    Kind(
        "ragged_row_too_many_fields",
        "a_forloeb_k.csv",
        (HEADER + ROW + "C2;B002;spaedbarn;01-01-2024;extra\r\n").encode(),
        error="line 3: expected 4 fields, found 5",
    ),
    Kind(
        # DuckDB counts the quoted record over lines 2-3 as one line (its error says line
        # 4): the message names the line of the file
        "ragged_row_after_a_quoted_line_break",
        "a_forloeb_k.csv",
        (HEADER + 'C1;B001;"spaed\r\nbarn";01-01-2024\r\n\r\n'
         + "C2;B002;spaedbarn;01-01-2024;extra\r\n").encode(),
        error="line 5: expected 4 fields, found 5",
    ),
    Kind(
        # a lone CR (a line break pasted into a field) outside quotes in a CRLF file:
        # the reader ends the record there, and the fields count did not say why (in a
        # larger file DuckDB's message, "The CSV Parser state machine reached an
        # invalid state", named no line at all: test_csv_export.py)
        "lone_carriage_return",
        "a_forloeb_k.csv",
        (HEADER + ROW + "C2;B002;spaed\rbarn;01-01-2024\r\n").encode(),
        error="line 3: expected 4 fields, found 3 (a carriage return (CR) inside the line, "
        "not at its end and not in a quoted field: the reader ends the line there",
    ),
    Kind(
        # the same CR inside a quoted field is text: the file loads
        "quoted_carriage_return",
        "a_forloeb_k.csv",
        (HEADER + ROW + 'C2;B002;"spaed\rbarn";01-01-2024\r\n').encode(),
        status="loaded",
        counts=(2, 1, 1),
    ),
    Kind(
        "header_with_trailing_delimiter",
        "a_forloeb_k.csv",
        (HEADER.replace("\r\n", ";\r\n") + ROW).encode(),
        error="line 2: expected 5 fields, found 4 (the header line ends with the delimiter "
        "';', which makes an extra, empty column)",
    ),
    Kind(
        "bare_cr_inside_crlf_file",
        "a_forloeb_k.csv",
        (HEADER + ROW + "C2;B002;spaedbarn;01-01-2024\rC3;B003;spaedbarn;01-01-2024\n").encode(),
        error="",
    ),
    Kind(
        "gzip_bytes_named_csv",
        "a_forloeb_k.csv",
        gzip.compress((HEADER + ROW).encode()),
        error="the file is gzip-compressed, not CSV text: unpack it and load the file inside",
    ),
    Kind(
        # a text export holds no NUL byte: the file is damaged (or not text)
        "nul_byte_in_a_field",
        "a_forloeb_k.csv",
        (HEADER + "C1;B0\x0001;spaedbarn;01-01-2024\r\n" + "C2;B001;spaedbarn;01-01-2024\r\n")
        .encode(),
        error="line 2: a NUL byte (0x00) at column 6: not plain text",
    ),
    Kind(
        # UTF-8 (line 2) and Windows-1252 (line 3) in one file
        "mixed_encodings",
        "a_forloeb_k.csv",
        HEADER.encode()
        + "C1;B001;spædbarn;01-01-2024\r\n".encode()
        + "C2;B002;spædbarn;01-01-2024\r\n".encode("cp1252"),
        error="line 2: UTF-8 text ('æ' at column 11), but line 3 is not UTF-8 (byte 0xE6 at "
        "column 11): the file mixes encodings",
    ),
    Kind(
        # the other way round: Windows-1252 first (line 2), then UTF-8 (line 3)
        "mixed_encodings_cp1252_first",
        "a_forloeb_k.csv",
        HEADER.encode()
        + "C1;B001;spædbarn;01-01-2024\r\n".encode("cp1252")
        + "C2;B002;spædbarn;01-01-2024\r\n".encode(),
        error="line 3: UTF-8 text ('æ' at column 11), but line 2 is not UTF-8 (byte 0xE6 at "
        "column 11): the file mixes encodings",
    ),
    Kind(
        "empty_first_line",
        "a_forloeb_k.csv",
        ("\r\n" + HEADER + ROW).encode(),
        error="line 1: the first line is empty; it must name the columns",
    ),
    Kind(
        "unclosed_quote_in_header",
        "a_forloeb_k.csv",
        ('"' + HEADER + ROW).encode(),
        error='line 1: the header line has a quote (") that is never closed',
    ),
    Kind(
        "stray_quote_inside_a_field",
        "a_forloeb_k.csv",
        (HEADER + 'C1;B0"01;spaedbarn;01-01-2024\r\n').encode(),
        status="loaded",
        counts=(1, 0, 1),
    ),
    Kind(
        "line_of_10_mb",
        "a_forloeb_k.csv",
        # a field over ingest.csv_max_field_bytes: the record is quarantined
        # (field_too_long, line 2), not the file refused
        (HEADER + "C1;B001;" + "x" * 10_000_000 + ";01-01-2024\r\n").encode(),
        status="loaded",
        counts=(1, 0, 1),
    ),
    Kind(
        # a UTF-8 byte order mark in front of Windows-1252 text (byte 3 + 38 + 10 is æ, 0xe6)
        "bom_then_cp1252",
        "a_forloeb_k.csv",
        b"\xef\xbb\xbf" + (HEADER + "C1;B001;spædbarn;01-01-2024\r\n").encode("cp1252"),
        error="line 2: not valid UTF-8 text (byte 0xE6 at column 11, byte offset 51), although "
        "the file starts with a UTF-8 byte-order mark",
        error_has="'cp1252'",
    ),
    Kind(
        "html_page_named_csv",
        "a_forloeb_k.csv",
        b"<html><body><table><tr><td>x</td></tr></table></body></html>\n",
        error=MISSING_ALL + "<html>",
    ),
    Kind(
        "pdf_named_csv",
        "a_forloeb_k.csv",
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n",
        error="the file is a PDF document, not CSV text",
    ),
    Kind(
        "csv_named_xlsx",
        "b_export_k.xlsx",
        (HEADER + ROW).encode(),
        error=NOT_XLSX + "an XLSX file is a ZIP archive; this one is text: a CSV export named",
    ),
    Kind(
        "zip_without_workbook_parts",
        "b_export_k.xlsx",
        _zip({"[Content_Types].xml": "garbage"}),
        error=NOT_XLSX,
    ),
    Kind("truncated_workbook", "b_export_k.xlsx", _truncated_workbook, error=NOT_XLSX),
    Kind(
        "zero_byte_xlsx",
        "b_export_k.xlsx",
        b"",
        error=NOT_XLSX + "the file is empty: 0 bytes)",
    ),
    Kind(
        # only Clients: the other sheets are warned about, the clients load (one is a CPR)
        "workbook_missing_sheets",
        "b_export_k.xlsx",
        _sheets_without(*(s for s in default_sheets() if s != "Clients")),
        status="loaded",
        counts=(3, 2, 1),
        error_has="sheet 'Cases' not in the workbook (it has 'Clients'); no courses loaded",
    ),
    Kind(
        "sheet_first_row_is_data",
        "b_export_k.xlsx",
        _clients_without_header,
        error="sheet 'Clients': missing required column",
    ),
    Kind(
        "sheet_with_blank_header",
        "b_export_k.xlsx",
        _cases_with_blank_header,
        error="sheet 'Cases': row 1 is empty; it must name the columns",
    ),
    Kind(
        "parquet_wrong_column_names",
        "p_clients_k.parquet",
        _parquet("select 'P1' as ident, 'female' as sex"),
        error="missing required column 'id' (for citizen_ref)",
        parquet=True,
    ),
    Kind(
        "parquet_garbage",
        "p_clients_k.parquet",
        b"PAR1 this is not parquet PAR1",
        error="not a readable Parquet file",
        parquet=True,
    ),
    Kind(
        # types the mapping does not expect: lists for the sex code, a double for the
        # year; they arrive as text ('[1]', '1990.5'): P1 and P3 are quarantined, P2
        # (no sex, born 1980.0) is clean
        "parquet_wrong_types",
        "p_clients_k.parquet",
        _parquet(
            "select * from (values ('P1', [1], 1990.5), ('P2', null, 1980.0),"
            " ('P3', [2, 3], 1975.0)) v(id, sex, born)"
        ),
        status="loaded",
        counts=(3, 1, 2),
        parquet=True,
    ),
    Kind(
        # a column named like the loader's own record number is renamed, not confused
        "parquet_column_named_row_no",
        "p_clients_k.parquet",
        _parquet("select 'P1' as id, 'female' as sex, 99 as row_no"),
        status="loaded",
        counts=(1, 1, 0),
        parquet=True,
    ),
    Kind(
        "parquet_bytes_for_a_csv_source",
        "a_forloeb_k.csv",
        _parquet("select 'C1' as ForloebID"),
        error="",
    ),
    Kind(
        "unknown_extension",
        "a_forloeb_k.txt",
        (HEADER + ROW).encode(),
        error="no source in the config's sources.yaml matches this file name",
    ),
    Kind("file_does_not_exist", "a_forloeb_missing.csv", None, error="file not found"),
]


@pytest.fixture(scope="module")
def config() -> DatadialogConfig:
    return load_config()


@pytest.fixture(scope="module")
def parquet_config(config: DatadialogConfig) -> DatadialogConfig:
    source = Source(
        id="fagsystem_p",
        name="Parquet export (test only)",
        format="parquet",
        decimal=".",
        date_format="%d.%m.%Y",
        tables=[
            TableMapping(
                canonical="citizens",
                file_pattern="p_clients*.parquet",
                columns={"citizen_ref": "id", "gender": "sex", "birth_year": "born"},
            )
        ],
    )
    return config.model_copy(update={"sources": [*config.sources, source]})


@pytest.fixture(scope="module")
def good_alone(tmp_path_factory, config) -> tuple[int, int, int, int]:
    """The good file's counts when it is loaded on its own."""
    con = connect(tmp_path_factory.mktemp("alone") / "alone.duckdb")
    (report,) = ingest_files(con, [GOOD], config, key=KEY)
    con.close()
    assert report.status == "loaded"
    return report.rows_in, report.rows_staged, report.rows_unchanged, report.rows_quarantined


def test_good_file_alone(good_alone) -> None:
    # a_borgere: 7 records; B004 (code X), the CPR id and B005 (year 19x0) are quarantined
    assert good_alone == (7, 4, 0, 3)


def test_there_are_at_least_twenty_kinds() -> None:
    assert len({k.id for k in KINDS}) == len(KINDS) >= 20


@pytest.mark.parametrize("kind", KINDS, ids=[k.id for k in KINDS])
def test_malformed_file_in_a_batch(
    tmp_path: Path, config, parquet_config, good_alone, kind: Kind
) -> None:
    bad = tmp_path / kind.name
    if isinstance(kind.content, bytes):
        bad.write_bytes(kind.content)
    elif kind.content is not None:
        kind.content(bad)
    con = connect(tmp_path / "batch.duckdb")
    try:
        reports = ingest_files(
            con, [bad, GOOD], parquet_config if kind.parquet else config, key=KEY
        )
        assert sorted(r.file_name for r in reports) == sorted([kind.name, GOOD.name])
        (good,) = [r for r in reports if r.path == GOOD]
        (report,) = [r for r in reports if r.path == bad]

        # the good file is untouched by its bad neighbour
        assert good.status == "loaded", good.error
        assert good.rows_in == good.rows_staged + good.rows_unchanged + good.rows_quarantined
        counts = (good.rows_in, good.rows_staged, good.rows_unchanged, good.rows_quarantined)
        assert counts == good_alone

        assert report.status == kind.status, report.error
        stored = con.execute(
            "select status, error from staging.loads where file_name = ?", [kind.name]
        ).fetchall()
        if kind.status == "failed":
            assert report.error is not None
            assert "\n" not in report.error and "\r" not in report.error
            assert report.error.startswith(f"{kind.name}: {kind.error}")
            if kind.error_has:
                assert kind.error_has in report.error
            assert (report.rows_in, report.rows_staged, report.rows_quarantined) == (0, 0, 0)
            assert stored == [("failed", report.error)]
            landed = con.execute(
                "select count(*) from staging.citizens where load_id = ?", [report.load_id]
            ).fetchone()
            assert landed == (0,)
        else:
            assert report.error is None
            assert (report.rows_in, report.rows_staged, report.rows_quarantined) == kind.counts
            assert report.rows_unchanged == 0
            assert report.balanced
            if kind.error_has:
                assert kind.error_has in report.warnings
            assert stored == [("loaded", None)]
    finally:
        con.close()


def test_an_unforeseen_error_fails_the_file_alone(
    tmp_path: Path, config, good_alone, monkeypatch
) -> None:
    """A bug (here: the header check raising for one file) is no crash: that file fails
    with one line naming the error, the other file of the batch loads as it does alone."""
    from transforms.ingest import prepare

    header = prepare._header

    def broken(read_path: Path, source):
        if read_path.name.startswith("a_borgere_00000000"):
            raise RuntimeError("simulated bug 010190-1234\nsecond line")
        return header(read_path, source)

    monkeypatch.setattr(prepare, "_header", broken)
    bad = tmp_path / "a_borgere_00000000.csv"  # loaded first (sorted before GOOD)
    bad.write_bytes(GOOD.read_bytes())
    con = connect(tmp_path / "bug.duckdb")
    try:
        first, second = ingest_files(con, [GOOD, bad], config, key=KEY)
    finally:
        con.close()
    assert (first.path, first.status) == (bad, "failed")
    assert first.error == (
        "a_borgere_00000000.csv: unexpected error (RuntimeError): simulated bug [CPR]"
    )
    counts = (second.rows_in, second.rows_staged, second.rows_unchanged, second.rows_quarantined)
    assert (second.path, second.status, counts) == (GOOD, "loaded", good_alone)
