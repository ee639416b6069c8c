"""No CPR number reaches the database: not in any text column, not in the file or its WAL.

The fixtures carry CPR numbers in an id field (A citizens, B Clients) and in free
text (an A measurement note, a B form comment), with and without the dash.

The byte scan looks for ddmmyy-xxxx / ddmmyyxxxx with a real date in the database
file and its WAL. DuckDB stores short strings of a column side by side (a
dictionary of item numbers reads "1111154321"; SHA-256 digests are hex), so digit
runs that look like CPR numbers occur by themselves; a hit fails the test when it
is one of the planted numbers (with or without the dash). The text columns are
also checked value by value through SQL, which no storage layout can hide.
"""

from __future__ import annotations

import re
import shutil
from datetime import datetime
from pathlib import Path

import pytest

from datadialog.config_load import load_config
from datadialog.db import connect
from datadialog.privacy import PseudonymKey, ascii_digits, find_cpr
from tests.fixtures.ingest.b_workbook import CLIENTS, default_sheets, write_b_export
from tests.support.paths import INGEST_FIXTURES
from transforms.ingest import ingest_files
from transforms.ingest.load import new_id

FIXTURES = INGEST_FIXTURES
KEY = PseudonymKey(b"scan-test-key-0123456789abcdef", "test")
PLANTED = ["0101901234", "010190-1234", "0202851234", "311299-1234"]

# ddmmyy-xxxx or ddmmyyxxxx anywhere in the bytes, then checked for a real day and month
BYTES_PATTERN = re.compile(rb"(\d{6})-?(\d{4})")


PLANTED_DIGITS = {c.replace("-", "") for c in PLANTED}


def cpr_like_in_bytes(data: bytes) -> list[bytes]:
    """CPR-like digit runs in ``data`` that are one of the planted numbers."""
    hits = []
    for match in BYTES_PATTERN.finditer(data):
        text = match.group(0).decode("ascii")
        if find_cpr(text) and text.replace("-", "") in PLANTED_DIGITS:
            hits.append(match.group(0))
    return hits


def test_no_cpr_in_tables_file_or_wal(tmp_path: Path) -> None:
    config = load_config()
    db = tmp_path / "scan.duckdb"
    con = connect(db)
    workbook = write_b_export(tmp_path / "b_export_20240301.xlsx")
    files = [*sorted(FIXTURES.glob("a_*.csv")), workbook]
    for path in [FIXTURES / "a_borgere_20240301.csv", workbook]:
        assert any(cpr in path.read_bytes().decode("cp1252", "replace") for cpr in PLANTED) or (
            path.suffix == ".xlsx"
        )
    reports = ingest_files(con, files, config, key=KEY)
    assert {r.status for r in reports} == {"loaded"}
    assert sum(r.cpr_masked for r in reports) == 4

    # every text value of every table
    columns = con.execute(
        "select schema_name, table_name, column_name from duckdb_columns() "
        "where data_type = 'VARCHAR' and schema_name in ('landing', 'staging', 'main') "
        "and database_name = 'scan'"
    ).fetchall()
    assert len(columns) > 50
    for schema, table, column in columns:
        values = con.execute(
            f'select distinct "{column}" from "{schema}"."{table}" where "{column}" is not null'
        ).fetchall()
        for (value,) in values:
            assert not find_cpr(value), (schema, table, column)
    # the masked marks are there instead
    assert con.execute(
        "select count(*) from staging.quarantine where rule = 'cpr_in_id' and value = '[CPR]'"
    ).fetchone() == (2,)
    notes = con.execute(
        "select distinct note from staging.measurements where note like '%[CPR]%' order by note"
    ).fetchall()
    assert notes == [('Mor sagde; "godt"\r\nCPR [CPR] nævnt',), ("Nævnte [CPR] i samtalen",)]

    # the bytes on disk while the connection is open (WAL included) and after closing
    wal = Path(str(db) + ".wal")
    for path in [db, wal]:
        if path.exists():
            assert cpr_like_in_bytes(path.read_bytes()) == [], path
    con.close()
    assert cpr_like_in_bytes(db.read_bytes()) == []
    assert not wal.exists() or cpr_like_in_bytes(wal.read_bytes()) == []


#: Other spellings of a CPR number in a free-text note (a review put each one in an
#: export): (the Note field as written, the note as stored).
SPELLED = [
    ("ring 070790 6802 tak", "ring [CPR] tak"),  # a space
    ("08.08.90-7913", "[CPR]"),  # dots in the date
    ('"nr. 050590-\r\n4680"', "nr. [CPR]"),  # quoted, wrapped after the dash
    ("10/10/90 - 2469", "[CPR]"),  # slashes, blanks around the dash
    ("121290\u20131359 og 131290 1360", "[CPR] og [CPR]"),  # an en dash, a space
]
SPELLED_NUMBERS = ["070790 6802", "08.08.90-7913", "050590-\r\n4680", "10/10/90 - 2469",
                   "121290\u20131359", "131290 1360"]


def test_other_spellings_in_a_note_are_masked(tmp_path: Path) -> None:
    """A space, an en dash, a line break inside a quoted note, or dots or slashes in the
    date: the number is masked and counted like the plain spelling."""
    config = load_config()
    con = connect(tmp_path / "spelled.duckdb")
    ingest_files(con, [FIXTURES / "a_borgere_20240301.csv", FIXTURES / "a_forloeb_20240301.csv"],
                 config, key=KEY)
    header = (FIXTURES / "a_maalinger_20240301.csv").read_bytes().split(b"\r\n")[0]
    lines = [header.decode("cp1252")]
    lines += [f"S{i};C001;ORS;05-02-2024;m01;Borger;1;5;{note}"
              for i, (note, _) in enumerate(SPELLED, start=1)]
    lines.append(f"Antal rækker: {len(SPELLED)}")
    path = tmp_path / "a_maalinger_20240301.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    (report,) = ingest_files(con, [path], config, key=KEY)
    assert report.status == "loaded", report.error
    assert report.cpr_masked == 6
    notes = dict(con.execute("select form_id, note from staging.measurements").fetchall())
    assert [notes[f"S{i}"] for i in range(1, len(SPELLED) + 1)] == [s for _, s in SPELLED]
    landed = con.execute("select string_agg(fields, ' ') from landing.measurements"
                         ).fetchone()[0]
    for number in SPELLED_NUMBERS:
        assert number not in landed and number.replace("\r\n", "\\r\\n") not in landed
        assert re.sub("[^0-9]", "", number) not in landed
    con.close()


#: Spellings a QA run found stored unmasked in staging.measurements (notes, and two as
#: form ids that passed cpr_in_id): an underscore before the serial, the day and month
#: joined, a one-digit day and month, dd/mm/19yy and a blank. (note as written, stored)
QA_NOTES = [
    ("nr 010185_1234", "nr [CPR]"),
    ("0101-85-1234", "[CPR]"),
    ("ring 0101 85 1234 tak", "ring [CPR] tak"),
    ("1.1.85-1234", "[CPR]"),
    ("01/01/1985 1234", "[CPR]"),
    # near misses that stay
    ("sag 2024_1234, 01-01-2024 12:34", "sag 2024_1234, 01-01-2024 12:34"),
    ("320185_1234 og 2010-03-23 20:15", "320185_1234 og 2010-03-23 20:15"),
]
QA_IDS = ["010185_1234", "0101 85 1234"]


def test_a_qa_runs_spellings_are_masked_in_notes_and_quarantined_as_ids(
    tmp_path: Path
) -> None:
    """The QA run's spellings: masked in a note and counted; as a form id the record is
    quarantined (cpr_in_id) with the id masked; near misses stay as written; none of the
    numbers is stored anywhere, and the cpr_in_text rule's search (landing.cpr_regex)
    finds each of them."""
    config = load_config()
    con = connect(tmp_path / "qa.duckdb")
    ingest_files(con, [FIXTURES / "a_borgere_20240301.csv", FIXTURES / "a_forloeb_20240301.csv"],
                 config, key=KEY)
    header = (FIXTURES / "a_maalinger_20240301.csv").read_bytes().split(b"\r\n")[0]
    lines = [header.decode("cp1252")]
    lines += [f"S{i};C001;ORS;05-02-2024;m01;Borger;1;5;{note}"
              for i, (note, _) in enumerate(QA_NOTES, start=1)]
    lines += [f"{form_id};C001;ORS;05-02-2024;m01;Borger;1;5;" for form_id in QA_IDS]
    lines.append(f"Antal rækker: {len(QA_NOTES) + len(QA_IDS)}")
    path = tmp_path / "a_maalinger_20240301.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    (report,) = ingest_files(con, [path], config, key=KEY)
    assert report.status == "loaded", report.error
    assert report.cpr_masked == 5 + len(QA_IDS)
    assert report.rows_quarantined == len(QA_IDS)
    notes = dict(con.execute("select form_id, note from staging.measurements").fetchall())
    assert [notes[f"S{i}"] for i in range(1, len(QA_NOTES) + 1)] == [s for _, s in QA_NOTES]
    assert con.execute(
        "select rule, value from staging.quarantine where column_name = 'SkemaID'"
    ).fetchall() == [("cpr_in_id", "[CPR]")] * len(QA_IDS)
    numbers = [note for note, stored in QA_NOTES if stored != note] + QA_IDS
    columns = con.execute(
        "select schema_name, table_name, column_name from duckdb_columns() "
        "where data_type = 'VARCHAR' and database_name = 'qa' "
        "and schema_name in ('landing', 'staging')"
    ).fetchall()
    for schema, table, column in columns:
        for (value,) in con.execute(
            f'select distinct "{column}" from "{schema}"."{table}" where "{column}" is not null'
        ).fetchall():
            assert not find_cpr(value), (schema, table, column, value)
            assert "0101851234" not in re.sub("[^0-9]", "", value), (schema, table, column)
    found = con.execute(
        "select list(regexp_matches(t, landing.cpr_regex())) from unnest($t) as u(t)",
        {"t": numbers + [note for note, stored in QA_NOTES if stored == note]},
    ).fetchone()[0]
    assert found == [True] * len(numbers) + [False] * (len(QA_NOTES) - 5)
    con.close()
    assert not cpr_like_in_bytes((tmp_path / "qa.duckdb").read_bytes())


def test_a_header_cell_that_is_a_cpr_number_is_warned_of_by_position(tmp_path: Path) -> None:
    """A header cell that reads as a CPR number (an export with a person's number where
    a column's name should be): the load says so in the file's report, naming the
    column by its position; the number is stored nowhere, and every record is counted."""
    config = load_config()
    con = connect(tmp_path / "header.duckdb")
    lines = (FIXTURES / "a_borgere_20240301.csv").read_bytes().split(b"\r\n")
    lines = [ln + b";010190-1234" if n == 0 else ln if not ln or ln.startswith(b"Antal")
             else ln + b";x" for n, ln in enumerate(lines)]
    path = tmp_path / "a_borgere_20240301.csv"
    path.write_bytes(b"\r\n".join(lines))
    sheets = default_sheets()
    sheets["Clients"] = [[*CLIENTS[0], "311299-1234", "Note 0202851234"],
                         *(row + ["x", "y"] for row in CLIENTS[1:])]
    workbook = write_b_export(tmp_path / "b_export_20240301.xlsx", sheets)
    csv_report, xlsx_report = ingest_files(con, [path, workbook], config, key=KEY)
    assert csv_report.status == "loaded", csv_report.error
    assert csv_report.warnings == [
        "column 4's header looks like a CPR number; its name was not stored"
    ]
    assert (csv_report.rows_in, csv_report.rows_staged, csv_report.rows_quarantined) == (7, 4, 3)
    assert xlsx_report.status == "loaded", xlsx_report.error
    assert [w for w in xlsx_report.warnings if "header" in w] == [
        "sheet 'Clients': column 4's header looks like a CPR number; its name was not stored",
        "sheet 'Clients': column 5's header holds a CPR number; its name was stored masked "
        "('Note [CPR]')",
    ]
    loads = con.execute(
        "select rows_in, rows_staged + rows_unchanged + rows_quarantined, warnings "
        "from staging.loads order by file_name"
    ).fetchall()
    assert [(n, m) for n, m, _ in loads] == [(n, n) for n, _, _ in loads]
    assert loads[0][2] == csv_report.warnings
    con.close()
    data = (tmp_path / "header.duckdb").read_bytes()
    assert not cpr_like_in_bytes(data)


def test_a_parquet_column_named_as_a_cpr_number_is_masked_and_warned_of(
    tmp_path: Path, caplog
) -> None:
    """A Parquet export whose column names hold CPR numbers: the names are masked before
    the view, a message or the log sees them, and the file's report warns by position,
    as for a CSV header; every record is counted. A file that fails on a missing column
    names its columns masked."""
    import logging

    import duckdb

    from datadialog.config_model import Source, TableMapping
    from transforms.ingest import readers

    source = Source(
        id="fagsystem_p", name="Parquet export", format="parquet", decimal=".",
        date_format="%d.%m.%Y",
        tables=[TableMapping(canonical="citizens", file_pattern="p_clients*.parquet",
                             columns={"citizen_ref": "id", "gender": "sex",
                                      "birth_year": "born"})],
    )
    config = load_config()
    config = config.model_copy(update={"sources": [*config.sources, source]})
    good, bad = tmp_path / "p_clients_1.parquet", tmp_path / "p_clients_2.parquet"
    raw = duckdb.connect()
    raw.execute(
        "copy (select * from (values ('P1', 'female', 1990, 'x', 'a'), "
        "('P2', 'x', 1980, 'y', 'b'), ('P3', 'male', 1970, 'z', 'c')) "
        f"v(id, sex, born, \"010190-1234\", \"Note 0202851234\")) to '{good}' (format parquet)"
    )
    raw.execute(
        "copy (select 'P4' as ident, 'male' as sex, 'x' as \"311299-1234\") "
        f"to '{bad}' (format parquet)"
    )
    raw.close()

    # the view over the file: the masked names only, in its columns and in its SQL
    scratch = duckdb.connect()
    names, warnings = readers.register_parquet(scratch, good, source)
    assert names == ["id", "sex", "born", "[CPR]", "Note [CPR]"]
    assert len(warnings) == 2
    (view_sql,) = scratch.execute(
        "select sql from duckdb_views() where view_name = '_raw'"
    ).fetchone()
    assert "[CPR]" in view_sql and not find_cpr(view_sql)
    scratch.close()

    db = tmp_path / "parquet.duckdb"
    con = connect(db)
    with caplog.at_level(logging.INFO, logger="transforms.ingest"):
        good_report, bad_report = ingest_files(con, [good, bad], config, key=KEY)
    assert good_report.status == "loaded", good_report.error
    assert good_report.warnings == [
        "column 4's header looks like a CPR number; its name was not stored",
        "column 5's header holds a CPR number; its name was stored masked ('Note [CPR]')",
    ]
    assert (good_report.rows_in, good_report.rows_staged, good_report.rows_unchanged,
            good_report.rows_quarantined) == (3, 2, 0, 1)
    assert bad_report.status == "failed"
    assert bad_report.error == (
        "p_clients_2.parquet: missing required column 'id' (for citizen_ref) "
        "(the file has: ident, sex, [CPR])"
    )
    assert bad_report.warnings == [
        "column 3's header looks like a CPR number; its name was not stored"
    ]
    assert "p_clients_1.parquet: column 4's header looks like a CPR number" in caplog.text
    messages = [caplog.text, *(m for r in (good_report, bad_report)
                               for m in [r.error or "", *r.warnings])]
    for text in messages:
        assert find_cpr(text) == [], text
    loads = con.execute(
        "select rows_in, rows_staged + rows_unchanged + rows_quarantined, warnings, error "
        "from staging.loads order by file_name"
    ).fetchall()
    assert [(n, m) for n, m, _, _ in loads] == [(3, 3), (0, 0)]
    assert [w for _, _, w, _ in loads] == [good_report.warnings, bad_report.warnings]
    assert loads[1][3] == bad_report.error
    con.close()
    assert not cpr_like_in_bytes(db.read_bytes())


def test_byte_scan_finds_a_planted_number(tmp_path: Path) -> None:
    """The scan itself works: a CPR number stored on purpose is found."""
    import duckdb

    db = tmp_path / "control.duckdb"
    con = duckdb.connect(str(db))
    con.execute("create table t as select '010190-1234' as v union all select '0202851234'")
    con.close()
    assert sorted(cpr_like_in_bytes(db.read_bytes())) == [b"010190-1234", b"0202851234"]


def test_cli_output_log_file_and_inbox_outputs_hold_no_cpr(tmp_path: Path, monkeypatch) -> None:
    """``datadialog ingest --inbox``: what it prints, logs and leaves behind.

    CPR numbers sit in an id and a note (the fixtures), in free text of a file whose
    name is one, in the header of a file that fails (its error names the header) and
    in the bad record of a file that fails on it. The archive keeps the exports as
    delivered (CPR numbers included, docs/canonical.md); everything else is scanned.
    """
    from typer.testing import CliRunner

    from cli.app import app

    monkeypatch.setenv("DATADIALOG_PSEUDONYM_KEY", KEY.key.decode())
    inbox, archive = tmp_path / "inbox", tmp_path / "archive"
    inbox.mkdir()
    for name in ("a_borgere_20240301.csv", "a_forloeb_20240301.csv", "a_maalinger_20240301.csv"):
        shutil.copy(FIXTURES / name, inbox)
    registrations = (
        "ForloebID;Dato;Fase;Felt;Vaerdi\r\nC001;01-02-2024;Opstart;note;ring 311299-1234\r\n"
    )
    (inbox / "a_registreringer_010190-1234.csv").write_bytes(registrations.encode("cp1252"))
    (inbox / "a_maal_20240302.csv").write_bytes(b"MaalID;0202851234\r\nG1;x\r\n")
    (inbox / "a_maal_20240303.csv").write_bytes(
        b"MaalID;ForloebID;Livsomraade;Maaltype\r\nG1;C001;0101901234;health;Udvikling\r\n"
    )
    db = tmp_path / "data" / "scan.duckdb"
    result = CliRunner().invoke(
        app,
        ["ingest", "--inbox", str(inbox), "--db", str(db), "--archive", str(archive)],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 1, result.output  # two files failed
    out = result.output
    assert "a_registreringer_[CPR].csv" in out
    assert "a_maal_20240302.csv: missing required column" in out
    assert "a_maal_20240303.csv: line 2: expected 4 fields, found 5" in out

    log = tmp_path / "data" / "logs" / "ingest.log"
    assert f"log: {log}" in out
    log_text = log.read_text(encoding="utf-8")
    assert "a_borgere_20240301.csv: loaded as L" in log_text
    assert "a_maal_20240302.csv: failed:" in log_text

    failed = sorted((inbox / "failed").iterdir())
    assert [p.name for p in failed] == [
        "a_maal_20240302.csv",
        "a_maal_20240302.csv.error.txt",
        "a_maal_20240303.csv",
        "a_maal_20240303.csv.error.txt",
    ]
    error_texts = [p.read_text(encoding="utf-8") for p in failed if p.name.endswith(".txt")]
    ledger = (archive / "checksums.csv").read_text(encoding="utf-8")
    archived = [p.name for p in archive.rglob("*") if p.is_file()]
    assert "a_registreringer_[CPR].csv" in archived

    for text in [out, log_text, ledger, *error_texts, *archived]:
        assert find_cpr(text) == [], text

    con = connect(db)
    assert con.execute(
        "select count(*) from staging.registrations where value = 'ring [CPR]'"
    ).fetchone() == (1,)
    assert con.execute(
        "select count(*) from staging.loads where file_name like '%[CPR]%'"
    ).fetchone() == (1,)
    con.close()
    assert cpr_like_in_bytes(db.read_bytes()) == []


#: Spellings a review found unmasked (a UTF-8 export): the digits of other scripts and a
#: line break inside the serial. (the Note field as written, the note as stored)
#: ０１０１９０-１２３４
FULL_WIDTH = "\uff10\uff11\uff10\uff11\uff19\uff10-\uff11\uff12\uff13\uff14"
ESCAPED = [
    (f"ring {FULL_WIDTH} tak", "ring [CPR] tak"),
    ("\u0660\u0662\u0660\u0662\u0668\u0665\u0661\u0662\u0663\u0664", "[CPR]"),  # Arabic-Indic
    ('"nr. 311299-12\r\n34 i noten"', "nr. [CPR] i noten"),  # quoted, wrapped in the serial
    ('"nr. 1212901\n359"', "nr. [CPR]"),
    ("070790\u00a06802", "[CPR]"),  # a no-break space
    # what stays as written: a full-width date and phone number, an amount
    ("\uff12\uff10\uff12\uff16-\uff11\uff10-\uff13\uff11 ring \uff11\uff12\uff13\uff14\uff15"
     "\uff16\uff17\uff18", "\uff12\uff10\uff12\uff16-\uff11\uff10-\uff13\uff11 ring "
     "\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18"),
    ("målt 2026-10-31, beløb 1.234.567,89 kr", "målt 2026-10-31, beløb 1.234.567,89 kr"),
]
ESCAPED_DIGITS = ["0101901234", "0202851234", "3112991234", "1212901359", "0707906802"]


def utf8_config():
    """The demo config with fagsystem A's exports read as UTF-8 (full-width digits)."""
    config = load_config()
    sources = [s.model_copy(update={"encoding": "utf-8"}) if s.id == "fagsystem_a" else s
               for s in config.sources]
    return config.model_copy(update={"sources": sources})


def digits_of(text: str) -> str:
    return re.sub("[^0-9]", "", ascii_digits(text))


def load_escaped(tmp_path: Path, *extra: Path):
    """Citizens (one ref a CPR number in full-width digits), courses and a measurement
    file whose notes hold :data:`ESCAPED` and whose one date is a CPR number, as UTF-8
    exports; then ``extra`` files. The open connection and the reports by file name."""
    config = utf8_config()
    con = connect(tmp_path / "escaped.duckdb")
    citizens, courses = tmp_path / "a_borgere_20240301.csv", tmp_path / "a_forloeb_20240301.csv"
    for path in (citizens, courses):  # as UTF-8, the citizen's ref in full-width digits
        path.write_bytes((FIXTURES / path.name).read_bytes().decode("cp1252")
                         .replace("0101901234;K;1990", f"{FULL_WIDTH};K;1990").encode())
    header = (FIXTURES / "a_maalinger_20240301.csv").read_bytes().split(b"\r\n")[0]
    lines = [header.decode("cp1252")]
    lines += [f"S{i};C001;ORS;05-02-2024;m01;Borger;1;5;{note}"
              for i, (note, _) in enumerate(ESCAPED, start=1)]
    lines.append(f"S99;C001;ORS;{FULL_WIDTH};m01;Borger;1;5;")  # a date that is a CPR number
    lines.append(f"Antal rækker: {len(ESCAPED) + 1}")
    measurements = tmp_path / "a_maalinger_20240301.csv"
    measurements.write_bytes(("\r\n".join(lines) + "\r\n").encode())
    reports = ingest_files(con, [citizens, courses, measurements, *extra], config, key=KEY)
    return con, {r.path.name: r for r in reports}


def assert_no_escaped_number(where: object, text: str) -> None:
    assert not find_cpr(text), (where, text)
    for number in ESCAPED_DIGITS:
        assert number not in digits_of(text), (where, number, text)


def test_digits_of_other_scripts_and_a_wrapped_serial_are_masked_in_the_database(
    tmp_path: Path
) -> None:
    """Full-width and Arabic-Indic digits, a line break inside the serial, a no-break
    space: masked and counted in landing and staging; a full-width date and phone number
    and an amount stay as written."""
    con, reports = load_escaped(tmp_path)
    report = reports["a_maalinger_20240301.csv"]
    assert report.status == "loaded", report.error
    assert report.cpr_masked == 6  # five notes and the date
    assert reports["a_borgere_20240301.csv"].cpr_masked == 1
    notes = dict(con.execute("select form_id, note from staging.measurements").fetchall())
    assert [notes[f"S{i}"] for i in range(1, len(ESCAPED) + 1)] == [s for _, s in ESCAPED]
    columns = con.execute(
        "select schema_name, table_name, column_name from duckdb_columns() "
        "where data_type = 'VARCHAR' and database_name = 'escaped' "
        "and schema_name in ('landing', 'staging')"
    ).fetchall()
    for schema, table, column in columns:
        for (value,) in con.execute(
            f'select distinct "{column}" from "{schema}"."{table}" where "{column}" is not null'
        ).fetchall():
            assert_no_escaped_number((schema, table, column), value)
    landed = con.execute("select string_agg(fields, ' ') from landing.measurements").fetchone()[0]
    assert "nr. [CPR] i noten" in landed and "ring [CPR] tak" in landed
    con.close()
    data = (tmp_path / "escaped.duckdb").read_bytes()
    assert FULL_WIDTH.encode() not in data
    assert not cpr_like_in_bytes(data)


def test_digits_of_other_scripts_are_masked_in_the_quarantine(tmp_path: Path) -> None:
    """A citizen ref and a date that are CPR numbers in full-width digits: quarantined
    (cpr_in_id, invalid_date) with the value masked, as their ASCII spelling would be."""
    con, _reports = load_escaped(tmp_path)
    quarantined = con.execute(
        "select rule, value, message from staging.quarantine "
        "where rule in ('cpr_in_id', 'invalid_date') and canonical_table <> 'courses' "
        "order by rule"
    ).fetchall()
    con.close()
    assert [(rule, value) for rule, value, _ in quarantined] == [
        ("cpr_in_id", "[CPR]"), ("invalid_date", "[CPR]")]
    for row in quarantined:
        for text in row:
            assert_no_escaped_number("quarantine", text)


@pytest.mark.parametrize("cell", [
    FULL_WIDTH,
    "\u0660\u0662\u0660\u0662\u0668\u0665\u0661\u0662\u0663\u0664",
    "Note 070790\u00a06802",
])
def test_a_header_cell_in_other_digits_is_masked_in_messages(
    tmp_path: Path, caplog, cell: str
) -> None:
    """A file that fails (no Svar column) whose header holds a CPR number in another
    spelling (a line break cannot be in a header line: such a file fails on its quote):
    its error lists the columns it has with the number masked, in the report,
    in staging.loads, in the error file beside it in the inbox and in the log."""
    import logging

    from transforms.ingest import ingest_inbox

    config = utf8_config()
    inbox, archive = tmp_path / "inbox", tmp_path / "archive"
    inbox.mkdir()
    (inbox / "a_maalinger_20240302.csv").write_bytes(
        (f"SkemaID;ForloebID;Redskab;Dato;Medarbejder;Besvarer;Spoergsmaal;{cell}\r\n"
         "S1;C001;ORS;05-02-2024;m01;Borger;1;5\r\n").encode()
    )
    con = connect(tmp_path / "failing.duckdb")
    with caplog.at_level(logging.INFO, logger="transforms.ingest"):
        (report,) = ingest_inbox(con, config, inbox=inbox, archive=archive, key=KEY)
    stored = con.execute("select error, warnings from staging.loads").fetchone()
    con.close()
    assert report.status == "failed"
    assert "[CPR]" in (report.error or "") and "'Svar'" in (report.error or "")
    (error_file,) = (inbox / "failed").glob("*.error.txt")
    messages = [caplog.text, stored[0], *(stored[1] or []), report.error or "",
                *report.warnings, error_file.read_text(encoding="utf-8")]
    for text in messages:
        assert_no_escaped_number("message", text)


def test_a_load_id_never_reads_as_a_cpr_number() -> None:
    """At 02:10:06 the time of day reads as the date 02.10.06; a random part beginning
    with four digits then made ``L20261208_021006_3328cd`` hold ``021006_3328`` (the
    ddmmyy_xxxx spelling): masked in every log line and found by the CPR scans."""
    moment = datetime(2026, 12, 8, 2, 10, 6)
    ids = {new_id("L", moment) for _ in range(2000)}
    assert len(ids) > 1900  # random enough to reach parts that begin with digits
    assert [i for i in ids if find_cpr(i)] == []
    assert all(re.fullmatch(r"L20261208_021006_r[0-9a-f]{6}", i) for i in ids)
