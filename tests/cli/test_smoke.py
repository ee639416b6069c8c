"""Smoke tests: the five top-level packages import and the console script runs."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

PACKAGES = ["datadialog", "flows", "transforms", "checks", "outputs"]


@pytest.mark.parametrize("name", PACKAGES)
def test_package_imports(name: str) -> None:
    module = importlib.import_module(name)
    assert module.__doc__, f"{name}/__init__.py should carry a docstring"


def test_cli_help_in_process() -> None:
    from cli.app import app

    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0, result.output
    assert "version" in result.output


def test_console_script_help() -> None:
    """The installed `datadialog` entry point (next to this interpreter) runs."""
    script = Path(sys.executable).parent / "datadialog"
    assert script.exists(), f"console script missing at {script}; run `make venv`"
    proc = subprocess.run(
        [str(script), "--help"], capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert "Usage" in proc.stdout
