"""``datadialog ingest`` with files that cannot be loaded: a mistyped path, a name no
source matches or an unknown --source is named, one line each, exit code 2, and no
database, log file, key file or key fingerprint is made (README: ingest makes a
database only when there is an export to load)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.app import app
from tests.support.paths import INGEST_FIXTURES


def _ingest(tmp_path: Path, monkeypatch, *args: str):
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("DATADIALOG_PSEUDONYM_KEY", raising=False)
    monkeypatch.chdir(tmp_path)
    return CliRunner().invoke(app, ["ingest", *args, "--db", "data/datadialog.duckdb"],
                              env={"COLUMNS": "400"})


@pytest.mark.parametrize("case", ["missing", "no_source", "unknown_source", "folder_missing"])
def test_nothing_loadable_makes_nothing(tmp_path: Path, monkeypatch, case: str) -> None:
    stray = tmp_path / "unknown_20240901.csv"
    stray.write_text("a,b\n1,2\n", encoding="utf-8")
    args, reason = {
        "missing": (["a_borgere_2024030.csv"], "a_borgere_2024030.csv: file not found"),
        "no_source": ([str(stray)], "no source in the config's sources.yaml matches"),
        "unknown_source": ([str(INGEST_FIXTURES / "a_borgere_20240301.csv"), "--source",
                            "nope"], "unknown source 'nope'"),
        "folder_missing": (["exports/"], "file not found"),
    }[case]
    result = _ingest(tmp_path, monkeypatch, *args)
    assert result.exit_code == 2, result.output
    assert reason in result.output
    assert "not loaded: " in result.output
    assert "Traceback" not in result.output
    assert "new database" not in result.output
    assert not (tmp_path / "data").exists()
    assert not (tmp_path / "home" / ".config").exists()


def test_a_good_file_beside_a_typo_still_loads(tmp_path: Path, monkeypatch) -> None:
    """One file can load: the run goes on, the typo fails in the table (exit code 1)."""
    shutil.copy(INGEST_FIXTURES / "a_borgere_20240301.csv", tmp_path)
    monkeypatch.setenv("DATADIALOG_PSEUDONYM_KEY", "paths-test-key-0123456789abcdef")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        app, ["ingest", "a_borgere_20240301.csv", "a_borgere_2024030.csv",
              "--db", "data/datadialog.duckdb"], env={"COLUMNS": "400"})
    assert result.exit_code == 1, result.output
    assert "file not found" in result.output
    assert (tmp_path / "data" / "datadialog.duckdb").exists()
