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
from pathlib import Path

from fixtures.ingest.b_workbook import write_b_export

from datadialog.config_load import load_config
from datadialog.db import connect
from datadialog.privacy import PseudonymKey, find_cpr
from transforms.ingest import ingest_files

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
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


def test_byte_scan_finds_a_planted_number(tmp_path: Path) -> None:
    """The scan itself works: a CPR number stored on purpose is found."""
    import duckdb

    db = tmp_path / "control.duckdb"
    con = duckdb.connect(str(db))
    con.execute("create table t as select '010190-1234' as v union all select '0202851234'")
    con.close()
    assert sorted(cpr_like_in_bytes(db.read_bytes())) == [b"010190-1234", b"0202851234"]
