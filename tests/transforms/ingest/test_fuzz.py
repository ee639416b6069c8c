"""Property tests of ingest: whatever bytes arrive, the loader answers with a report.

Random bytes, and random CSV shapes (delimiter, quoting, line breaks, encoding,
a subset of a valid header, cell text with CPR numbers in it) are written under a
fagsystem A file name. The loader must not raise, each report must be loaded,
skipped or failed, loaded files must balance, and no CPR number from the generated
text may be found in any text column of landing or staging (quarantine and the
load log included).
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from datadialog.config_load import load_config
from datadialog.config_model import DatadialogConfig
from datadialog.db import connect
from datadialog.privacy import PseudonymKey
from transforms.ingest import ingest_files

KEY = PseudonymKey(b"fuzz-test-key-0123456789abcdef01", "test")
FUZZ = settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# file name -> the export header of that fagsystem A table (config/sources.yaml)
HEADERS = {
    "a_borgere_fuzz.csv": ["BorgerID", "Koen", "Foedselsaar"],
    "a_forloeb_fuzz.csv": [
        "ForloebID",
        "BorgerID",
        "Indsats",
        "Variant",
        "Team",
        "Startdato",
        "Slutdato",
        "Afslutningsaarsag",
    ],
    "a_maalinger_fuzz.csv": [
        "SkemaID",
        "ForloebID",
        "Redskab",
        "Dato",
        "Medarbejder",
        "Besvarer",
        "Spoergsmaal",
        "Svar",
        "Note",
    ],
}
# columns a file may leave out (the loader warns and leaves the field empty)
OPTIONAL = {
    "a_borgere_fuzz.csv": ["Koen", "Foedselsaar"],
    "a_forloeb_fuzz.csv": ["Variant", "Team", "Slutdato", "Afslutningsaarsag"],
    "a_maalinger_fuzz.csv": ["Medarbejder", "Besvarer", "Note"],
}
# letters, Danish letters, punctuation that means something to a CSV reader; no digits,
# so a generated CPR number never has a digit beside it (digits around it would make it
# no CPR number by the rule in datadialog.privacy)
CPR_TOKEN = re.compile(r"[0-9]{6}-?[0-9]{4}")
WORD_CHARS = "abcxyzKMAæøåÆØÅé ;,|\t\"'\r\n-/:"


@st.composite
def cpr_numbers(draw) -> str:
    """A CPR number with a real day and month, with or without its hyphen."""
    day = draw(st.integers(1, 28))
    month = draw(st.integers(1, 12))
    year = draw(st.integers(0, 99))
    serial = draw(st.integers(0, 9999))
    hyphen = draw(st.sampled_from(["-", ""]))
    return f"{day:02d}{month:02d}{year:02d}{hyphen}{serial:04d}"


def cell_tokens():
    return st.one_of(
        st.text(alphabet=WORD_CHARS, max_size=8),
        cpr_numbers(),
        st.sampled_from(["B001", "C001", "K", "M", "ORS", "spaedbarn", "01-02-2024", "1990"]),
        st.integers(0, 99).map(str),
    )


@st.composite
def csv_files(draw) -> tuple[str, bytes, list[str]]:
    """(file name, file bytes, the CPR numbers written into it).

    Half of the files keep to the source's dialect (';', quotes where needed, a
    header with the required columns), so that many of them load; the others draw
    every choice freely.
    """
    name = draw(st.sampled_from(sorted(HEADERS)))
    header = HEADERS[name]
    tidy = draw(st.booleans())
    if tidy:
        dropped = draw(st.sets(st.sampled_from(OPTIONAL[name])))
        columns = [c for c in header if c not in dropped]
        delimiter, quote_all = ";", False
        newline = draw(st.sampled_from(["\r\n", "\n"]))
        encoding = draw(st.sampled_from(["cp1252", "utf-8"]))
    else:
        columns = draw(st.lists(st.sampled_from(header), min_size=1, max_size=len(header)))
        delimiter = draw(st.sampled_from([";", ",", "\t", "|"]))
        newline = draw(st.sampled_from(["\r\n", "\n", "\r"]))
        quote_all = draw(st.booleans())
        encoding = draw(st.sampled_from(["cp1252", "utf-8", "utf-8-sig", "utf-16"]))
    cprs: list[str] = []
    lines = [delimiter.join(columns)]
    for _ in range(draw(st.integers(0, 6))):
        cells = []
        width = len(columns) + (0 if tidy else draw(st.sampled_from([0, 0, -1, 1])))
        for _ in range(width):
            tokens = draw(st.lists(cell_tokens(), max_size=3))
            # a space between tokens keeps a CPR number apart from a neighbouring number
            text = " ".join(tokens)
            cprs.extend(t for t in tokens if CPR_TOKEN.fullmatch(t))
            special = any(ch in text for ch in (delimiter, '"', "\r", "\n"))
            if quote_all or (tidy and special) or (not tidy and draw(st.booleans())):
                text = '"' + text.replace('"', '""') + '"'
            cells.append(text)
        lines.append(delimiter.join(cells))
    if draw(st.booleans()):
        lines.append(f"Antal rækker: {len(lines) - 1}")
    text = newline.join(lines) + draw(st.sampled_from([newline, ""]))
    return name, text.encode(encoding), cprs


def text_values(con) -> list[str]:
    """Every non-null text value in the landing and staging schemas."""
    columns = con.execute(
        "select table_schema, table_name, column_name from information_schema.columns "
        "where table_schema in ('landing', 'staging') and data_type = 'VARCHAR'"
    ).fetchall()
    assert columns
    values: list[str] = []
    for schema, table, column in columns:
        rows = con.execute(
            f'select "{column}" from "{schema}"."{table}" where "{column}" is not null'
        ).fetchall()
        values.extend(row[0] for row in rows)
    return values


@pytest.fixture(scope="module")
def config() -> DatadialogConfig:
    return load_config()


def check_reports(reports) -> None:
    assert reports
    for report in reports:
        assert report.status in ("loaded", "skipped", "failed")
        if report.status == "loaded":
            assert report.rows_in == (
                report.rows_staged + report.rows_unchanged + report.rows_quarantined
            )
        if report.status == "failed":
            assert report.error is not None and "\n" not in report.error
            assert report.error.startswith(report.file_name + ": ")
            # the loader turns any exception into a failed report; one it did not
            # foresee (a bug) is labelled so and must not happen
            assert "unexpected error" not in report.error, report.error


@FUZZ
@given(
    name=st.sampled_from(sorted(HEADERS)),
    data=st.one_of(
        st.binary(max_size=3000),
        # a valid header line, then random bytes
        st.builds(
            lambda head, tail: head + tail,
            st.sampled_from([";".join(h).encode() + b"\r\n" for h in HEADERS.values()]),
            st.binary(max_size=2000),
        ),
    ),
)
def test_random_bytes_never_raise(tmp_path: Path, config, name: str, data: bytes) -> None:
    folder = Path(tmp_path) / f"ex{next(COUNTER)}"
    folder.mkdir()
    path = folder / name
    path.write_bytes(data)
    con = connect(folder / "fuzz.duckdb")
    try:
        reports = ingest_files(con, [path], config, key=KEY)
        check_reports(reports)
        assert len(reports) == 1
    finally:
        con.close()


@FUZZ
@given(file=csv_files())
def test_random_csv_shapes(tmp_path: Path, config, file: tuple[str, bytes, list[str]]) -> None:
    name, data, cprs = file
    folder = Path(tmp_path) / f"ex{next(COUNTER)}"
    folder.mkdir()
    path = folder / name
    path.write_bytes(data)
    con = connect(folder / "fuzz.duckdb")
    try:
        reports = ingest_files(con, [path], config, key=KEY)
        check_reports(reports)
        values = text_values(con)
        messages = [r.error or "" for r in reports] + [w for r in reports for w in r.warnings]
        for cpr in cprs:
            leaks = [v for v in values + messages if cpr in v]
            assert not leaks, f"CPR number {cpr} reached the database or a message"
    finally:
        con.close()


COUNTER = itertools.count()
