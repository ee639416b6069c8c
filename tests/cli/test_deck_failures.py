"""A deck that fails at ``prepare`` is named in one line, without a Python traceback on
the console (a config the build does not fit: an agenda priority without its is_<id>
column, or a build older than the config); ``config check`` warns about such a priority
before."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from typer.testing import CliRunner

from cli.app import app

ROOT = Path(__file__).resolve().parents[2]


def _config_with_a_priority_typo(tmp_path: Path) -> Path:
    edited = tmp_path / "config"
    shutil.copytree(ROOT / "config", edited)
    agenda = edited / "agenda.yaml"
    text = agenda.read_text(encoding="utf-8")
    assert "- id: deteriorated\n" in text
    agenda.write_text(text.replace("- id: deteriorated\n", "- id: deteriorated_typo\n"),
                      encoding="utf-8")
    return edited


def test_config_check_warns_about_a_priority_without_its_column(tmp_path: Path) -> None:
    edited = _config_with_a_priority_typo(tmp_path)
    result = CliRunner().invoke(app, ["config", "check", str(edited)], env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.output  # a warning: the config itself validates
    assert ("'deteriorated_typo': mart_citizen_agenda_flags has no column "
            "is_deteriorated_typo, so the citizen deck would fail") in result.output
    clean = CliRunner().invoke(app, ["config", "check", str(ROOT / "config")])
    assert clean.exit_code == 0, clean.output
    assert "agenda.priorities" not in clean.output


def test_a_failed_deck_is_one_line_without_a_traceback(tmp_path: Path, monkeypatch) -> None:
    from datadialog.config_load import load_config
    from tests.cli.test_command_guards import _staged_and_built

    edited = _config_with_a_priority_typo(tmp_path)
    db = _staged_and_built(tmp_path, monkeypatch, load_config(edited))
    result = CliRunner().invoke(
        app, ["prepare", "borger_familie_nord", "--date", "2026-11-10", "--no-send", "--db",
              str(db), "--config", str(edited), "--outbox", str(tmp_path / "outbox")],
        env={"COLUMNS": "400"})
    assert result.exit_code == 1, result.output
    assert "mart_citizen_agenda_flags has no column is_deteriorated_typo" in result.output
    assert "Traceback" not in result.output
    assert 'File "' not in result.output


def test_the_console_log_keeps_the_first_line_only(capsys) -> None:
    from cli.faults import one_line_console_log

    log = logging.getLogger("pipeline.test_console")
    with one_line_console_log():
        try:
            raise KeyError("boom")
        except KeyError:
            log.error("deck failed: KeyError boom\nTraceback (most recent call last):\n  x",
                      exc_info=True)
        log.warning("citizen 010203-1234 warned")
    err = capsys.readouterr().err
    assert err.splitlines() == ["deck failed: KeyError boom", "citizen [CPR] warned"]
    assert not any(isinstance(h, logging.StreamHandler)
                   for h in logging.getLogger("pipeline").handlers)
