"""``datadialog ingest --inbox`` reads the exports, then the returned agreement registers."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.app import app
from datadialog.agreement_form import MeetingKey, RegisterRow, write_register
from datadialog.db import connect
from tests.support.paths import INGEST_FIXTURES

KEY_TEXT = "cli-agreements-key-0123456789"


@pytest.fixture(autouse=True)
def _key(monkeypatch) -> None:
    monkeypatch.setenv("DATADIALOG_PSEUDONYM_KEY", KEY_TEXT)


def test_the_inbox_reads_a_register_and_the_exports(tmp_path: Path) -> None:
    inbox, archive, db = tmp_path / "inbox", tmp_path / "archive", tmp_path / "cli.duckdb"
    inbox.mkdir()
    for name in ("a_borgere_20240301.csv", "a_forloeb_20240301.csv"):
        shutil.copy(INGEST_FIXTURES / name, inbox)
    key = MeetingKey("borger_familie_nord", date(2026, 3, 3), "C001")
    write_register(inbox / "borger_familie_nord_2026-03-03_aftaler.xlsx", [
        RegisterRow(key, "P-1", "Samtale med skolen", "Bo Hansen", date(2024, 3, 12)),
        RegisterRow(key, "P-1", "Hjemmebesøg", "", date(2024, 3, 12)),
    ])
    (inbox / "noter.pptx").write_bytes(b"not a presentation")
    result = CliRunner().invoke(
        app, ["ingest", str(inbox), "--inbox", "--db", str(db), "--archive", str(archive)],
        env={"COLUMNS": "200"})
    out = result.output
    assert ("agreements: borger_familie_nord_2026-03-03_aftaler.xlsx: 1 of 2 stored for "
            "borger_familie_nord 2026-03-03") in out
    assert "række 3, kolonne 'Hvem': aftalen har ingen ansvarlig" in out
    assert "agreements not read: noter.pptx: kan ikke læses som PowerPoint" in out
    assert result.exit_code == 1  # a returned file went to failed/: a scheduler must see it
    assert (archive / "agreements" / "borger_familie_nord_2026-03-03_aftaler.xlsx").exists()
    assert sorted(p.name for p in (inbox / "failed").iterdir()) == [
        "noter.pptx", "noter.pptx.error.txt"]
    con = connect(db)
    try:
        assert con.execute("select text, owner from staging.agreements").fetchall() == [
            ("Samtale med skolen", "Bo Hansen")]
        assert con.execute("select count(*) from staging.courses").fetchone()[0] > 0
    finally:
        con.close()
    log = (db.parent / "logs" / "ingest.log").read_text(encoding="utf-8")
    assert ("borger_familie_nord_2026-03-03_aftaler.xlsx: agreements of borger_familie_nord "
            "2026-03-03: 1 of 2 stored, 1 row(s) quarantined") in log
    assert "agreements not read: noter.pptx: kan ikke læses som PowerPoint" in log
