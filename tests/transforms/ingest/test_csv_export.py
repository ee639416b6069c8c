"""The demo's measurement export (fagsystem A: Windows-1252, quoted notes that span two
lines, a trailer line) loaded whole, with a repeated header line, bad values and
repeated keys mid-file: a bad line is named as in the file, and the progress callback
hears each phase of the load.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from datadialog.config_load import load_config
from datadialog.db import connect
from datadialog.privacy import PseudonymKey
from demo import generate
from tests.support.paths import REPO
from transforms.ingest import ingest_files

KEY = PseudonymKey(b"csv-export-key-0123456789abcdef0", "test")


@pytest.fixture(scope="module")
def exports(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("exports")
    generate(out, seed=5, courses=40, fmt="a", config_dir=REPO / "config")
    files = {p.name.split("_")[1]: p for p in out.glob("a_*.csv")}
    measurements = files["maalinger"]
    text = measurements.read_text(encoding="cp1252")
    lines = text.split("\n")
    header, body = lines[0], lines[1:]
    trailer = [ln for ln in body if ln.startswith("Antal")]
    records = [ln for ln in body if ln and not ln.startswith("Antal")]
    simple = [ln for ln in records if ln.count(";") == 8 and '"' not in ln]
    edited = list(records)
    # a repeated header line, a record with a bad date and one with a bad value, and a
    # record's key again (twice), mid-file
    edited.insert(150, header)
    bad_date = simple[3].split(";")
    bad_date[3] = "31-13-2023"
    edited.insert(260, ";".join(bad_date))
    edited.insert(300, ";".join(simple[4].split(";")[:7] + ["x,5", ""]))
    edited.insert(420, simple[0])
    edited.insert(421, simple[0])
    # data records: the repeated header line is none, a quoted note spans two lines
    n_data = sum(1 for row in csv.reader(edited, delimiter=";") if row) - 1
    trailer_line = f"Antal rækker: {n_data}" if trailer else None
    body_text = "\n".join(edited + ([trailer_line] if trailer_line else []))
    measurements.write_text(header + "\n" + body_text + "\n", encoding="cp1252")
    return {
        "citizens": files["borgere"],
        "courses": files["forloeb"],
        "measurements": measurements,
    }


def test_a_bad_line_is_named_as_in_the_file(exports, tmp_path) -> None:
    path = tmp_path / exports["measurements"].name
    lines = exports["measurements"].read_text(encoding="cp1252").split("\n")
    lines[600] = lines[600] + ";extra"  # line 601 of the export: one field too many
    path.write_text("\n".join(lines), encoding="cp1252")
    con = connect(tmp_path / "bad.duckdb")
    reports = ingest_files(
        con, [exports["citizens"], exports["courses"], path], load_config(REPO / "config"),
        key=KEY,
    )
    report = reports[-1]
    assert report.status == "failed"
    # nothing of the file stays
    assert con.execute("select count(*) from staging.measurements").fetchone() == (0,)
    assert con.execute("select count(*) from landing.measurements").fetchone() == (0,)
    con.close()
    # DuckDB numbers a file's lines by record (597 here, the line breaks inside the
    # quoted notes before it not counted); the load counts them back
    # (prepare.physical_line)
    assert report.error.endswith("line 601: expected 9 fields, found 10")


def test_progress_names_what_the_load_is_doing(exports, tmp_path) -> None:
    """The progress callback hears each phase of a file's load, in order, so a large
    export's tens of seconds show as reading, typing, landing, staging."""
    heard: dict[str, list[tuple[str, int, int]]] = {}

    def progress(path: Path, step: str, done: int, total: int) -> None:
        heard.setdefault(path.name, []).append((step, done, total))

    con = connect(tmp_path / "progress.duckdb")
    ingest_files(con, [exports["citizens"], exports["courses"], exports["measurements"]],
                 load_config(REPO / "config"), key=KEY, progress=progress)
    con.close()
    steps = heard[exports["measurements"].name]
    assert [name for name, _, _ in steps] == [
        "reading", "typing", "landing", "staging", "measurements", "loaded"
    ]
    # a phase keeps the file's counts: 0 of 2 until the table is done, then 1, 2
    assert [(done, total) for _, done, total in steps] == [(0, 2)] * 4 + [(1, 2), (2, 2)]


def test_a_file_whose_lines_end_in_cr_alone(exports, tmp_path) -> None:
    """Old Mac line endings (CR alone, inside the quoted notes too): a bad line is named
    as in the file, as is a byte that is not text, and the file without them loads as
    its LF twin does (its trailer line found, every record counted)."""
    config = load_config(REPO / "config")
    lines = exports["measurements"].read_text(encoding="cp1252").split("\n")
    assert not any("\r" in line for line in lines)
    ragged = list(lines)
    ragged[600] += ";extra"  # line 601 of the export: one field too many
    nul = list(lines)
    nul[700] += "\0"  # line 701: a NUL byte
    folders = {name: tmp_path / name for name in ("ragged", "nul", "cr", "lf")}
    texts = {"ragged": "\r".join(ragged), "nul": "\r".join(nul), "cr": "\r".join(lines),
             "lf": "\n".join(lines)}
    reports = {}
    for name, folder in folders.items():
        folder.mkdir()
        path = folder / exports["measurements"].name
        path.write_bytes(texts[name].encode("cp1252"))
        con = connect(folder / "cr.duckdb")
        reports[name] = ingest_files(
            con, [exports["citizens"], exports["courses"], path], config, key=KEY
        )[-1]
        if name == "cr":
            notes = con.execute(
                "select count(*) filter (where note like '%' || chr(10) || '%'), "
                "count(*) filter (where note like '%' || chr(13) || '%') "
                "from staging.measurements"
            ).fetchone()
        con.close()
    assert reports["ragged"].error.endswith("line 601: expected 9 fields, found 10")
    assert "line 701: a NUL byte" in reports["nul"].error
    cr, lf = reports["cr"], reports["lf"]
    assert cr.status == lf.status == "loaded", cr.error
    assert cr.warnings == lf.warnings == []  # the trailer line was found
    assert (cr.rows_in, cr.rows_staged, cr.rows_quarantined, cr.skipped_lines) == (
        lf.rows_in, lf.rows_staged, lf.rows_quarantined, lf.skipped_lines
    )
    assert notes[0] > 0 and notes[1] == 0  # a note's line break is read as LF


def test_a_lone_carriage_return_is_named_by_its_line(exports, tmp_path) -> None:
    """A CR pasted into an unquoted note of a CRLF export: DuckDB's reader stopped with
    "The CSV Parser state machine reached an invalid state", naming no line and no cause;
    the error now names the line and the CR. The same CR in a quoted note is text."""
    config = load_config(REPO / "config")
    lines = exports["measurements"].read_text(encoding="cp1252").split("\n")
    reports = {}
    for name, note in (("bare", "Ringede\rtil mor"), ("quoted", '"Ringede\rtil mor"')):
        text = list(lines)
        text[49] += note  # line 50 ends with the empty note field: the note goes there
        folder = tmp_path / name
        folder.mkdir()
        path = folder / exports["measurements"].name
        path.write_bytes("\r\n".join(text).encode("cp1252"))
        con = connect(folder / "cr.duckdb")
        reports[name] = ingest_files(
            con, [exports["citizens"], exports["courses"], path], config, key=KEY
        )[-1]
        con.close()
    assert reports["bare"].status == "failed"
    assert reports["bare"].error.endswith(
        "line 50: a carriage return (CR) inside the line, not at its end and not in a quoted "
        "field: the reader cannot go past it. Remove it in the documentation system (often "
        "a line break pasted into a field) or export the field quoted, then load the file "
        "again"), reports["bare"].error
    assert reports["quoted"].status == "loaded", reports["quoted"].error
