"""Config validation: the demo config loads, and bad configs name file, key and reason."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from cli.app import app
from datadialog.config_docs import iter_settings, reference_markdown
from datadialog.config_load import DEFAULT_CONFIG_DIR, SAFE_LOADER, ConfigError, load_config

runner = CliRunner()


@pytest.fixture()
def config_copy(tmp_path: Path) -> Path:
    target = tmp_path / "config"
    shutil.copytree(DEFAULT_CONFIG_DIR, target)
    return target


def edit(config_dir: Path, file: str, change) -> None:
    """Load one YAML file, let ``change`` mutate the data, write it back."""
    path = config_dir / file
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_demo_config_loads() -> None:
    config = load_config()
    assert [i.id for i in config.interventions] == [
        "spaedbarn",
        "ungepraktik",
        "boernegrupper",
        "voksenstoette",
    ]
    assert config.instrument("ors").n_items == 4
    assert config.instrument("ors").norm_groups["adult"].cutoff == 25
    assert config.instrument("sdq_p").norm_groups["child"].bands[1].min == 14
    assert config.privacy.small_cell_k == 5
    assert config.quality.completeness_target == 0.90
    assert {s.id for s in config.sources} == {"fagsystem_a", "fagsystem_b"}


def _set(path: list, value):
    def change(data):
        node = data
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = value

    return change


def _delete(path: list):
    def change(data):
        node = data
        for part in path[:-1]:
            node = node[part]
        del node[path[-1]]

    return change


# (file, change, expected key path, a fragment of the reason)
BAD_CONFIGS = [
    pytest.param(
        "instruments.yaml",
        _set(["instruments", 0, "item_max"], "ten"),
        "instruments[0].item_max",
        "valid number",
        id="wrong-type",
    ),
    pytest.param(
        "instruments.yaml",
        _set(["instruments", 1, "direction"], "up"),
        "instruments[1].direction",
        "higher_is_better",
        id="bad-enum",
    ),
    pytest.param(
        "instruments.yaml",
        _set(["instruments", 0, "item_min"], 20),
        "instruments[0]",
        "item_min must be below item_max",
        id="min-above-max",
    ),
    pytest.param(
        "instruments.yaml",
        _set(["instruments", 2, "reversed_items"], [7, 99]),
        "instruments[2]",
        "reversed item 99",
        id="reversed-item-out-of-range",
    ),
    pytest.param(
        "instruments.yaml",
        _set(["instruments", 0, "colour"], "blue"),
        "instruments[0].colour",
        "unknown key (known keys: cutoff_kind, direction, gas_rho, id, item_max,",
        id="unknown-key",
    ),
    pytest.param(
        "organisation.yaml",
        lambda data: data["organisation"].update(timezon=data["organisation"].pop("timezone")),
        "organisation.timezon",
        "unknown key (did you mean 'timezone'?)",
        id="misspelt-key",
    ),
    pytest.param(
        "sources.yaml",
        lambda data: data["sources"][0]["tables"][1].update(
            file_patern=data["sources"][0]["tables"][1].pop("file_pattern")),
        "sources[0].tables[1].file_patern",
        "unknown key (did you mean 'file_pattern'?)",
        id="misspelt-key-in-a-list",
    ),
    pytest.param(
        "instruments.yaml",
        _delete(["instruments", 0, "n_items"]),
        "instruments[0].n_items",
        "Field required",
        id="missing-key",
    ),
    pytest.param(
        "measurement_plan.yaml",
        _set(["measurement_plan", 0, "points", 0, "instrument"], "nope"),
        "measurement_plan[0].points[0].instrument",
        "unknown instrument 'nope'",
        id="unknown-instrument-reference",
    ),
    pytest.param(
        "measurement_plan.yaml",
        _set(["measurement_plan", 0, "points", 0, "after_end_grace_days"], 401),
        "measurement_plan[0].points[0].after_end_grace_days",
        "less than or equal to 400",
        id="after-end-grace-days-over-400",
    ),
    pytest.param(
        "measurement_plan.yaml",
        _set(["measurement_plan", 0, "points", 0, "after_end_grace_days"], -1),
        "measurement_plan[0].points[0].after_end_grace_days",
        "greater than or equal to 0",
        id="after-end-grace-days-negative",
    ),
    pytest.param(
        "meetings.yaml",
        _set(["meetings", 0, "rrule"], "FREQ=SOMETIMES"),
        "meetings[0].rrule",
        "not a valid RRULE",
        id="bad-rrule",
    ),
    pytest.param(
        "meetings.yaml",
        _set(["meetings", 0, "recipients"], ["stranger@example.org"]),
        "meetings[0].recipients[0]",
        "not a member",
        id="recipient-outside-team",
    ),
    pytest.param(
        "meetings.yaml",
        _set(["meetings", 0, "team"], "ghost_team"),
        "meetings[0].team",
        "unknown team 'ghost_team'",
        id="unknown-team",
    ),
    pytest.param(
        "meetings.yaml",
        _set(["meetings", 0, "name"], 5),
        "meetings[0].name",
        "valid string",
        id="meeting-name-not-text",
    ),
    pytest.param(
        "meetings.yaml",
        _set(["meetings", 0, "name"], ""),
        "meetings[0].name",
        "at least 1 character",
        id="meeting-name-empty",
    ),
    pytest.param(
        "sources.yaml",
        _set(["sources", 0, "tables", 0, "canonical"], "people"),
        "sources[0].tables[0]",
        "unknown canonical table 'people'",
        id="unknown-canonical-table",
    ),
    pytest.param(
        "sources.yaml",
        _delete(["sources", 0, "tables", 3, "columns", "value"]),
        "sources[0].tables[3]",
        "required canonical columns not mapped: ['value']",
        id="unmapped-required-column",
    ),
    pytest.param(
        "organisation.yaml",
        _set(["privacy", "small_cell_k"], 1),
        "privacy.small_cell_k",
        "greater than or equal to 2",
        id="k-too-small",
    ),
    pytest.param(
        "organisation.yaml",
        _set(["teams", 0, "members", 0, "email"], "not-an-address"),
        "teams[0].members[0].email",
        "not an e-mail address",
        id="bad-email",
    ),
    pytest.param(
        "organisation.yaml",
        _set(["teams", 0, "members", 1, "email"], "bo@demo-kommune.dk\r\nBcc: x@example.org"),
        "teams[0].members[1].email",
        "not an e-mail address",
        id="email-with-line-break",
    ),
    pytest.param(
        "organisation.yaml",
        _set(["teams", 0, "members", 0, "name"], "Anne Leder\r\nBcc: mallory@example.org"),
        "teams[0].members[0].name",
        "cannot hold control characters (U+000A, U+000D",
        id="display-name-with-line-break",
    ),
    pytest.param(
        "interventions.yaml",
        _set(["interventions", 0, "result_map", "links", 0, "to"], "nowhere"),
        "interventions[0].result_map",
        "unknown node 'nowhere'",
        id="result-map-dangling-link",
    ),
    pytest.param(
        "interventions.yaml",
        _delete(["interventions", 0, "result_map", "nodes", 3, "term"]),
        "interventions[0].result_map.nodes[3]",
        "needs a term",
        id="result-without-term",
    ),
    pytest.param(
        "organisation.yaml",
        _set(["teams", 1, "id"], "familie_nord"),
        "teams[1].id",
        "duplicate id 'familie_nord'",
        id="duplicate-id",
    ),
    pytest.param(
        "interventions.yaml",
        _set(["interventions", 1, "variant_names"], {"mediation": "Med mægling"}),
        "interventions[1]",
        "variant_names names variants that are not in variants: mediation",
        id="variant-name-of-unknown-variant",
    ),
    pytest.param(
        "sources.yaml",
        _set(["sources", 0, "date_format"], "%d/%q/%Y"),
        "sources[0].date_format",
        "not a valid date format (Unrecognized format for strftime/strptime: %q)",
        id="date-format-unknown-directive",
    ),
    pytest.param(
        "sources.yaml",
        _set(["sources", 0, "date_format"], "%e-%m-%Y"),  # Python's %e, not DuckDB's
        "sources[0].date_format",
        "Unrecognized format for strftime/strptime: %e",
        id="date-format-python-only-directive",
    ),
    pytest.param(
        "sources.yaml",
        _set(["sources", 0, "date_format"], "dd/mm/yyyy"),
        "sources[0].date_format",
        "'dd/mm/yyyy' has no directive (a % and a letter), so it reads no date: "
        "write it as '%d/%m/%Y'",
        id="date-format-without-directive",
    ),
    pytest.param(
        "sources.yaml",
        _set(["sources", 0, "date_format"], "%Y-%m"),
        "sources[0].date_format",
        "'%Y-%m' does not read a whole date: 23 November 2024 written in it is '2024-11', "
        "which it reads back as 2024-11-01",
        id="date-format-without-day",
    ),
    pytest.param(
        "sources.yaml",
        _set(["sources", 1, "date_format"], "%x"),  # Python writes 11/23/24, DuckDB ISO
        "sources[1].date_format",
        "XLSX date cells are written with Python's strftime, which writes 23 November 2024 "
        "in '%x' as '11/23/24', which DuckDB's strptime cannot read back",
        id="date-format-xlsx-cells-unreadable",
    ),
    pytest.param(
        "sources.yaml",
        _set(["sources", 0, "trailer_pattern"], r"^Antal (\d+"),
        "sources[0].trailer_pattern",
        "not a valid regular expression (missing ), unterminated subpattern at position 7)",
        id="trailer-pattern-not-a-regex",
    ),
    pytest.param(
        "sources.yaml",
        _set(["sources", 1, "tables", 3, "item_columns"], r"^Q(\d+$"),
        "sources[1].tables[3].item_columns",
        "not a valid regular expression (missing ), unterminated subpattern at position 2)",
        id="item-columns-not-a-regex",
    ),
    pytest.param(
        "sources.yaml",
        _set(["sources", 1, "tables", 3, "item_columns"], r"^Q\d+$"),
        "sources[1].tables[3].item_columns",
        "has no capture group: group 1 must capture the item number",
        id="item-columns-without-group",
    ),
]


@pytest.mark.parametrize(("file", "change", "key", "reason"), BAD_CONFIGS)
def test_bad_config_names_file_key_and_reason(config_copy, file, change, key, reason) -> None:
    edit(config_copy, file, change)
    with pytest.raises(ConfigError) as caught:
        load_config(config_copy)
    problems = caught.value.problems
    matching = [p for p in problems if p.key == key]
    assert matching, f"no problem at {key}; got {[str(p) for p in problems]}"
    assert any(reason in p.message for p in matching), [str(p) for p in matching]
    assert all(p.file == str(config_copy / file) for p in matching)


def test_yaml_syntax_error_names_line(config_copy: Path) -> None:
    path = config_copy / "costs.yaml"
    path.write_text("costs:\n  currency: DKK\n  rates: [unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(config_copy)
    (problem,) = caught.value.problems
    assert problem.file == str(path)
    assert problem.key.startswith("line ")
    assert "YAML syntax" in problem.message


def test_the_fast_yaml_parser_reads_what_the_python_one_reads() -> None:
    """The config is parsed by libyaml (SAFE_LOADER) where PyYAML has it: every shipped
    file gives the same values as PyYAML's own safe loader, and a syntax error the same
    line and column."""
    assert SAFE_LOADER is yaml.CSafeLoader  # the locked wheel has libyaml
    for path in sorted(DEFAULT_CONFIG_DIR.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert yaml.load(text, Loader=SAFE_LOADER) == yaml.safe_load(text), path.name
    broken = "costs:\n  currency: DKK\n  rates: [unclosed\n"
    marks = []
    for loader in (SAFE_LOADER, yaml.SafeLoader):
        with pytest.raises(yaml.MarkedYAMLError) as caught:
            yaml.load(broken, Loader=loader)
        marks.append((caught.value.problem_mark.line, caught.value.problem_mark.column))
    assert marks[0] == marks[1] == (3, 0)


def test_missing_section_and_double_section(config_copy: Path) -> None:
    (config_copy / "sources.yaml").unlink()
    with pytest.raises(ConfigError) as caught:
        load_config(config_copy)
    assert any(p.key == "sources" and "missing" in p.message for p in caught.value.problems)

    shutil.copy(DEFAULT_CONFIG_DIR / "costs.yaml", config_copy / "more_costs.yaml")
    shutil.copy(DEFAULT_CONFIG_DIR / "sources.yaml", config_copy / "sources.yaml")
    with pytest.raises(ConfigError) as caught:
        load_config(config_copy)
    (problem,) = caught.value.problems
    assert problem.key == "costs"
    assert "already defined" in problem.message


def test_all_problems_reported_at_once(config_copy: Path) -> None:
    edit(config_copy, "instruments.yaml", _set(["instruments", 0, "item_max"], "ten"))
    edit(config_copy, "instruments.yaml", _set(["instruments", 1, "direction"], "up"))
    with pytest.raises(ConfigError) as caught:
        load_config(config_copy)
    keys = {p.key for p in caught.value.problems}
    assert {"instruments[0].item_max", "instruments[1].direction"} <= keys


def test_config_check_cli(config_copy: Path) -> None:
    ok = runner.invoke(app, ["config", "check", str(config_copy)])
    assert ok.exit_code == 0, ok.output
    assert "4 interventions" in ok.output

    edit(config_copy, "instruments.yaml", _set(["instruments", 0, "item_max"], "ten"))
    bad = runner.invoke(app, ["config", "check", str(config_copy)])
    assert bad.exit_code == 1
    assert f"{config_copy / 'instruments.yaml'}: instruments[0].item_max:" in bad.output


def test_init_writes_a_config_that_validates(tmp_path: Path) -> None:
    target = tmp_path / "starter"
    result = runner.invoke(app, ["init", str(target)])
    assert result.exit_code == 0, result.output
    assert load_config(target).organisation.language == "da"
    text = (target / "instruments.yaml").read_text(encoding="utf-8")
    assert text.count("#") > 20, "starter config must be commented"

    again = runner.invoke(app, ["init", str(target)])
    assert again.exit_code == 1
    assert "not overwriting" in again.output


def test_every_setting_is_documented() -> None:
    settings = list(iter_settings())
    assert len(settings) > 100
    undocumented = [key for key, _type, _default, description in settings if not description]
    assert undocumented == []
    assert "`privacy.small_cell_k`" in reference_markdown()


def test_a_retired_ingest_setting_loads_with_a_warning(config_copy: Path, caplog) -> None:
    """ingest.csv_batch_lines is gone (a CSV export always loads whole): a config that
    still sets it loads as before, its key ignored, and a warning names the file and key."""
    (config_copy / "ingest.yaml").write_text(
        "ingest:\n  csv_batch_lines: 1048576\n  reexport: keep_and_flag\n", encoding="utf-8"
    )
    with caplog.at_level(logging.WARNING):
        config = load_config(config_copy)
    assert config.ingest.reexport == "keep_and_flag"
    assert "csv_batch_lines" not in config.ingest.model_dump()
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    message = warnings[0].getMessage()
    assert message.startswith(
        f"{config_copy / 'ingest.yaml'}: ingest.csv_batch_lines is no longer used and is ignored"
    )
    assert "loads whole" in message and "remove the key" in message
    assert "csv_batch_lines" not in reference_markdown()


def test_the_config_folder_without_config_is_env_then_working_folder_then_bundled(
        tmp_path, monkeypatch) -> None:
    from datadialog.config_load import DEFAULT_CONFIG_DIR, user_config_dir

    monkeypatch.delenv("DATADIALOG_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    assert user_config_dir() == DEFAULT_CONFIG_DIR  # no ./config here
    (tmp_path / "config").mkdir()
    assert user_config_dir() == tmp_path / "config"
    monkeypatch.setenv("DATADIALOG_CONFIG", str(tmp_path / "elsewhere"))
    assert user_config_dir() == tmp_path / "elsewhere"


def test_a_command_run_beside_its_own_config_uses_it(tmp_path) -> None:
    """After 'datadialog init config', the commands run in that folder read ./config,
    not the bundled demo organisation's (config check, sources try and build used to
    take the demo config silently)."""
    import os
    import subprocess
    import sys

    datadialog = str(Path(sys.executable).parent / "datadialog")
    env = {k: v for k, v in os.environ.items() if k != "DATADIALOG_CONFIG"}
    env["COLUMNS"] = "300"
    subprocess.run([datadialog, "init", "config"], cwd=tmp_path, env=env, check=True,
                   capture_output=True, timeout=120)
    path = tmp_path / "config" / "organisation.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\n  timezone:", "\n  timezone_typo:", 1), encoding="utf-8")
    proc = subprocess.run([datadialog, "config", "check"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert f"{tmp_path / 'config' / 'organisation.yaml'}: organisation.timezone_typo" in (
        proc.stderr), proc.stderr


@pytest.mark.parametrize(("address", "why"), [
    ("not-an-address", "is not an e-mail address"),
    (" emil.berg@demo-kommune.dk ", "has spaces around it"),
    ("a@b.dk\nBcc: x@y.dk", "is not an e-mail address"),
    ("stranger@example.org", "is not a member of the meeting's team(s)"),
])
def test_a_recipient_is_refused_for_its_own_reason(config_copy, address, why) -> None:
    """An address that is no address (or a header injection) was reported as 'not a
    member of the meeting's team(s)'."""
    edit(config_copy, "meetings.yaml", _set(["meetings", 0, "recipients"], [address]))
    with pytest.raises(ConfigError) as caught:
        load_config(config_copy)
    (problem,) = [p for p in caught.value.problems if p.key == "meetings[0].recipients[0]"]
    assert problem.message.startswith(f"{address!r} {why}")


def test_a_problem_by_index_names_the_source_and_table_it_points_at(config_copy) -> None:
    """sources[0].tables[0] says which source and table that is, pydantic's 'Value error, '
    prefix is gone, and an unquoted numeric code gets the hint to quote it."""
    edit(config_copy, "sources.yaml", _set(["sources", 0, "tables", 0, "canonical"], "people"))
    with pytest.raises(ConfigError) as caught:
        load_config(config_copy)
    (problem,) = [p for p in caught.value.problems if p.key == "sources[0].tables[0]"]
    assert problem.message.startswith("unknown canonical table 'people'")
    assert problem.message.endswith("(sources[0] = fagsystem_a, tables[0] = people)")
    assert "Value error" not in problem.message
    edit(config_copy, "sources.yaml", _set(["sources", 0, "tables", 0, "canonical"], "citizens"))
    edit(config_copy, "sources.yaml",
         _set(["sources", 0, "tables", 0, "value_codes"], {"gender": {1: "male"}}))
    with pytest.raises(ConfigError) as caught:
        load_config(config_copy)
    (problem,) = caught.value.problems
    assert problem.key == "sources[0].tables[0].value_codes.gender[1].[key]"
    assert problem.message == (
        "Input should be a valid string (YAML reads an unquoted number as a number: write "
        "the code in quotes, e.g. '1': male) (sources[0] = fagsystem_a, tables[0] = citizens)")


@pytest.mark.parametrize("date_format", [
    "%d-%m-%Y", "%d.%m.%y", "%Y%m%d", "%-d/%-m/%Y", "%d-%m-%Y %H:%M:%S", "%b %d %Y",
    "%d/%m/%Y %Z", "%j/%Y",
])
def test_a_date_format_duckdb_reads_back_loads(config_copy, date_format) -> None:
    edit(config_copy, "sources.yaml", _set(["sources", 0, "date_format"], date_format))
    assert load_config(config_copy).sources[0].date_format == date_format


def test_config_check_names_the_source_key_of_a_bad_pattern(config_copy: Path) -> None:
    """QA: a trailer_pattern that is no regex passed config check, and every file of the
    source then failed with a bare re error naming no key."""
    edit(config_copy, "sources.yaml", _set(["sources", 0, "trailer_pattern"], r"^Antal (\d+"))
    bad = runner.invoke(app, ["config", "check", str(config_copy)])
    assert bad.exit_code == 1
    assert (f"{config_copy / 'sources.yaml'}: sources[0].trailer_pattern: not a valid regular "
            "expression (missing ), unterminated subpattern at position 7) "
            "(sources[0] = fagsystem_a)") in bad.output
