"""``datadialog ingest`` on an export whose dates the source's date_format cannot read:
one line names the file, the column, the config key, examples and a format that reads
them, and the command exits 1 (as for a failed file) while every record stays in
quarantine. (A file with a few bad dates is no such fault: test_format_faults.py; it
exits 0 as before: test_ingest_inbox.py.)"""

from __future__ import annotations

from pathlib import Path

import duckdb
from typer.testing import CliRunner

from cli.app import app
from tests.support.wrong_formats import citizens_file, courses_file, dates, wrong_date_format

ENV = {"COLUMNS": "200", "DATADIALOG_PSEUDONYM_KEY": "config-fault-cli-key-0123456789abc"}


def test_cli_names_the_date_format_and_exits_1(tmp_path: Path) -> None:
    config = wrong_date_format(tmp_path)
    db = tmp_path / "wrong.duckdb"
    files = [citizens_file(tmp_path), courses_file(tmp_path, ["31-10-2026", *dates(7)])]
    result = CliRunner().invoke(
        app, ["ingest", *map(str, files), "--db", str(db), "--config", str(config)], env=ENV
    )
    assert result.exit_code == 1, result.output
    (line,) = [ln for ln in result.output.splitlines() if ln.startswith("config ")]
    assert line.startswith("config a_forloeb_20261031.csv: the dates do not fit the "
                           "date_format '%Y-%m-%d' of source fagsystem_a: 8 of 8 in column "
                           "'Startdato' failed (e.g. '31-10-2026', '01-01-2025'); "
                           "'%d-%m-%Y' reads them. Fix sources[fagsystem_a].date_format"), line
    row = next(x for x in result.output.splitlines() if "a_forloeb_20261031.csv" in x and "│" in x)
    assert [c.strip() for c in row.split("│") if c.strip()] == [
        "a_forloeb_20261031.csv", "loaded", "8", "0", "0", "8", "0"
    ]
    # the same line in the log file beside the database
    log = (tmp_path / "logs" / "ingest.log").read_text(encoding="utf-8")
    assert "ERROR transforms.ingest.load: a_forloeb_20261031.csv: the dates do not fit" in log
    with duckdb.connect(str(db), read_only=True) as con:
        rows_in, staged, unchanged, quarantined = con.execute(
            "select rows_in, rows_staged, rows_unchanged, rows_quarantined "
            "from staging.loads where file_name = 'a_forloeb_20261031.csv'"
        ).fetchone()
        assert rows_in == staged + unchanged + quarantined == quarantined == 8
        assert con.execute(
            "select count(distinct row_no) from staging.quarantine "
            "where file_name = 'a_forloeb_20261031.csv'"
        ).fetchone() == (8,)



def test_sources_try_prints_the_same_line(tmp_path: Path) -> None:
    config = wrong_date_format(tmp_path)
    files = [citizens_file(tmp_path), courses_file(tmp_path, ["31-10-2026", *dates(7)])]
    result = CliRunner().invoke(
        app, ["sources", "try", *map(str, files), "--config", str(config)], env=ENV
    )
    assert result.exit_code == 1, result.output
    (line,) = [ln for ln in result.output.splitlines() if ln.startswith("config ")]
    assert "'Startdato'" in line and "sources[fagsystem_a].date_format" in line
    assert "'%d-%m-%Y' reads them" in line
