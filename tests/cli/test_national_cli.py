"""``datadialog national``: the sub-app is registered; a bad registry names file and key;
the roll-up command on an empty exchange says so and exits 1."""

from __future__ import annotations

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
    assert result.exit_code == 1
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
