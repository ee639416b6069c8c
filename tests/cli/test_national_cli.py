"""``datadialog national``: the sub-app is registered; a bad registry names file and key
(exit code 2); the roll-up command on an empty exchange says so and exits 1; an --only id
not in the registry, a bad --as-of or --quarter: one line, exit code 2, before any flow
or Prefect server is needed."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from cli.app import app
from datadialog.national_config import NationalRegistry, Organisation, write_registry

runner = CliRunner()


def test_national_commands_are_listed() -> None:
    result = runner.invoke(app, ["national", "--help"])
    assert result.exit_code == 0
    for command in ("deploy", "run", "rollup"):
        assert command in result.output


def test_bad_registry_names_file_and_key(tmp_path) -> None:
    path = tmp_path / "national.yaml"
    path.write_text("exchange: x\nout_dir: y\nsmall_cell_k: 1\norganisations: []\n")
    result = runner.invoke(app, ["national", "rollup", "--registry", str(path)])
    assert result.exit_code == 2  # a config error, not "no organisation in the figures" (1)
    assert f"{path}: small_cell_k: Input should be greater than or equal to 2" in result.output
    assert f"{path}: organisations: List should have at least 1 item" in result.output


def test_rollup_of_an_empty_exchange_exits_1(tmp_path) -> None:
    org = Organisation(id="org_001", name="A", config_dir="c", inbox="i", database="d.duckdb",
                       outbox="o")
    path = write_registry(NationalRegistry(exchange="exchange", out_dir="out",
                                           organisations=[org]), tmp_path / "national.yaml")
    result = runner.invoke(app, ["national", "rollup", "--registry", str(path),
                                 "--quarter", "2026-Q3"])
    assert result.exit_code == 1
    assert "no organisation has a usable export of 2026-Q3" in result.output
    assert not (tmp_path / "out" / "national.duckdb").exists()


def _registry(tmp_path):
    org = Organisation(id="org_001", name="A", config_dir="c", inbox="i", database="d.duckdb",
                       outbox="o")
    return write_registry(NationalRegistry(exchange="exchange", out_dir="out",
                                           organisations=[org]), tmp_path / "national.yaml")


def test_a_bad_registry_is_a_config_error_for_run_too(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    path = tmp_path / "national.yaml"
    path.write_text("exchange: x\nout_dir: y\nsmall_cell_k: two\norganisations: []\n")
    result = runner.invoke(app, ["national", "run", "--registry", str(path)])
    assert result.exit_code == 2
    assert f"{path}: small_cell_k" in result.output


@pytest.mark.parametrize(("args", "expected"), [
    (["--only", "kommune_999"],
     "--only kommune_999: no such organisation in {path} (it has: org_001)"),
    (["--only", "org_001", "--only", "nope"], "--only nope: no such organisation"),
    (["--as-of", "2026-13-01"], "--as-of '2026-13-01' is not a date: give YYYY-MM-DD"),
])
def test_run_refuses_bad_arguments_before_any_flow(tmp_path, monkeypatch, args,
                                                   expected) -> None:
    """Checked before the Prefect server is looked for: no server is set here, so a
    later check would say that instead."""
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "prefect"))
    path = _registry(tmp_path)
    result = runner.invoke(app, ["national", "run", "--registry", str(path), *args],
                           env={"COLUMNS": "400"})
    assert result.exit_code == 2, result.output
    assert expected.format(path=path) in " ".join(result.output.split())
    assert "Prefect server" not in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("quarter", ["2026-Q5", "2026-Q0", "2026Q3", "last", "2026-q3"])
def test_rollup_refuses_a_quarter_that_is_not_one(tmp_path, quarter) -> None:
    path = _registry(tmp_path)
    result = runner.invoke(app, ["national", "rollup", "--registry", str(path),
                                 "--quarter", quarter, "--no-deck"], env={"COLUMNS": "400"})
    assert result.exit_code == 2, result.output
    assert f"--quarter {quarter!r} is not a quarter: give YYYY-Qn with n 1-4" in result.output
    assert "no organisation has a usable export" not in result.output
