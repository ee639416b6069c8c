"""An output folder (--out, --outbox, --site) that is a file, or lies under a file: one
line naming it, exit code 2, before any work (no quality run stored, no deck rendered)
and without a traceback (it used to be a FileExistsError or NotADirectoryError)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.app import app

COMMANDS = [
    (["due", "--out", "{out}"], "--out"),
    (["check", "--out", "{out}"], "--out"),
    (["check", "--site", "{out}", "--out", "{tmp}/q"], "--site"),
    (["site", "--out", "{out}"], "--out"),
    (["prepare", "borger_familie_nord", "--no-send", "--outbox", "{out}"], "--outbox"),
]


@pytest.mark.parametrize("under", [False, True], ids=["file", "under_a_file"])
@pytest.mark.parametrize(("command", "option"), COMMANDS,
                         ids=lambda c: "-".join(c) if isinstance(c, list) else c)
def test_an_output_folder_that_is_a_file_is_refused_first(
    tmp_path: Path, command: list[str], option: str, under: bool
) -> None:
    file = tmp_path / "notadir"
    file.write_text("keep me\n", encoding="utf-8")
    out = file / "sub" if under else file
    # the database is missing too: the folder is refused before the database is opened
    db = tmp_path / "missing.duckdb"
    args = [part.format(out=out, tmp=tmp_path) for part in command] + ["--db", str(db)]
    result = CliRunner().invoke(app, args, env={"COLUMNS": "400"})
    assert result.exit_code == 2, result.output
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1, result.output
    assert lines[0].startswith(f"{option} {out} ")
    expected = f"cannot be made: {file} is a file" if under else "is a file, not a folder"
    assert expected in lines[0]
    assert "Traceback" not in result.output
    assert file.read_text(encoding="utf-8") == "keep me\n"
    assert not db.exists()


def test_a_missing_output_folder_is_no_fault(tmp_path: Path) -> None:
    from cli.faults import output_folder_or_exit

    output_folder_or_exit(tmp_path / "new" / "deeper", "--out")
    output_folder_or_exit(None, "--out")
    assert not (tmp_path / "new").exists()
