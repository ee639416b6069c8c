"""The steward's commands for a new export system: config check, sources try, ingest --reload."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.app import app
from tests.support.exports import EXPORTS, config_dir

KEY = "onboard-cli-test-key-0123456789abcdef"
ENV = {"COLUMNS": "200", "DATADIALOG_PSEUDONYM_KEY": KEY}


def run(*args: str):
    return CliRunner().invoke(app, list(args), env=ENV)


def edit_sources(folder: Path, old: str, new: str) -> None:
    path = folder / "sources.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_config_check_names_overlapping_patterns_and_a_table_without_its_parent(
    tmp_path: Path,
) -> None:
    folder = config_dir("omsorgsjournal", tmp_path)
    assert run("config", "check", str(folder)).exit_code == 0
    # the steward's two mistakes: a pattern that also takes the measurement file, and
    # courses without citizens (no citizens export, derive_citizens forgotten)
    edit_sources(folder, 'file_pattern: "oj_forloeb*.csv"', 'file_pattern: "oj_*.csv"')
    edit_sources(folder, "derive_citizens: true", "derive_citizens: false")
    result = run("config", "check", str(folder))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    overlap = [ln for ln in lines if "can match the same file name" in ln]
    assert len(overlap) == 1
    assert "sources[omsorgsjournal].tables[courses]" in overlap[0]
    assert "'oj_*.csv' and 'oj_maalinger*.csv'" in overlap[0]
    parent = [ln for ln in lines if "no source has a citizens table" in ln]
    assert len(parent) == 1
    assert "derive_citizens: true" in parent[0]
    assert "2 problem(s)" in result.output


def test_config_check_lists_every_value_code_a_load_would_refuse(tmp_path: Path) -> None:
    """A load stops at the first code mapped to a value that is not canonical; the check
    lists them all before any file is read, and codes for a column the table does not
    code."""
    folder = config_dir("omsorgsjournal", tmp_path)
    edit_sources(folder, '"Afbrudt": dropped_out', '"Afbrudt": dropped')
    edit_sources(folder, "instrument_id: {ORS: ors}", "instrument_id: {ORS: orss}\n"
                 "          gender: {K: female}")
    result = run("config", "check", str(folder))
    assert result.exit_code == 1, result.output
    lines = [ln for ln in result.output.splitlines() if "value_codes" in ln]
    assert len(lines) == 3, result.output
    assert ("sources[omsorgsjournal].tables[courses]: value_codes.end_reason maps 'Afbrudt' "
            "to 'dropped', which is not a canonical value (completed_planned, dropped_out, "
            "moved, referred_on)") in lines[0]
    assert "tables[measurements]: value_codes.instrument_id maps 'ORS' to 'orss'" in lines[1]
    assert ("tables[measurements]: value_codes.gender: gender is not a coded column of "
            "measurements (coded: instrument_id, rater_role, point_label)") in lines[2]
    assert "3 problem(s)" in result.output
    # sources try says the same before it reads the files
    tried = run("sources", "try", str(EXPORTS / "omsorgsjournal"), "--config", str(folder))
    assert "config: sources[omsorgsjournal].tables[courses]: value_codes.end_reason" in (
        tried.output)


def test_config_check_warns_when_courses_get_no_team(tmp_path: Path) -> None:
    """omsorgsjournal maps no team: with the demo's three team meeting series, those
    decks would show no one. A warning (an organisation without teams is valid); a
    constant team, or a mapped column, silences it."""
    folder = config_dir("omsorgsjournal", tmp_path)
    result = run("config", "check", str(folder))
    assert result.exit_code == 0, result.output
    assert ("sources[omsorgsjournal].tables[courses]: warning: no team_id (in columns or "
            "constants): every course loads without a team, so the team meetings "
            "(borger_familie_nord, borger_unge_syd, borger_voksen_oest) will show no "
            "citizen") in result.output
    edit_sources(folder, "      - canonical: courses\n",
                 "      - canonical: courses\n        constants: {team_id: voksen_oest}\n")
    result = run("config", "check", str(folder))
    assert result.exit_code == 0 and "warning" not in result.output, result.output


def test_config_check_refuses_a_constant_no_load_would_accept(tmp_path: Path) -> None:
    """A constant of a coded column must be a canonical value or one of the table's
    codes: a team's name instead of its id would quarantine every course as
    unknown_code. A code for a column that is not mapped is never used: a warning."""
    folder = config_dir("omsorgsjournal", tmp_path)
    edit_sources(folder, "      - canonical: courses\n",
                 "      - canonical: courses\n        constants: {team_id: Familieteam Nord}\n")
    result = run("config", "check", str(folder))
    assert result.exit_code == 1, result.output
    assert ("sources[omsorgsjournal].tables[courses]: constants.team_id is 'Familieteam "
            "Nord', which is neither a canonical value (familie_nord, unge_syd, boern_vest, "
            "voksen_oest, voksen_vest, ledelse) nor a code in value_codes.team_id: every "
            "record would be "
            "quarantined (unknown_code)") in " ".join(result.output.split())
    # the same name as a code of the table is fine
    edit_sources(folder, '          end_reason: {"Planmæssigt afsluttet"',
                 '          team_id: {Familieteam Nord: familie_nord}\n'
                 '          end_reason: {"Planmæssigt afsluttet"')
    result = run("config", "check", str(folder))
    assert result.exit_code == 0, result.output
    assert "constants.team_id" not in result.output
    # codes for a column the table does not map: never used
    edit_sources(folder, "instrument_id: {ORS: ors}",
                 "instrument_id: {ORS: ors}\n          rater_role: {Borger: citizen}")
    result = run("config", "check", str(folder))
    assert result.exit_code == 0, result.output
    assert ("sources[omsorgsjournal].tables[measurements]: warning: value_codes.rater_role: "
            "rater_role is not mapped (columns) nor set (constants), so these codes are "
            "never used") in " ".join(result.output.split())


def test_sources_try_names_the_values_a_mapping_lacks(tmp_path: Path) -> None:
    """The codes the export writes that value_codes does not map are what the steward
    must add: the dry run names them (nothing is stored to look them up in)."""
    folder = config_dir("omsorgsjournal", tmp_path)
    edit_sources(folder, 'intervention_id: {"Voksenstøtte": voksenstoette}',
                 'intervention_id: {"Voksenstotte": voksenstoette}')
    result = run("sources", "try", str(EXPORTS / "omsorgsjournal"), "--config", str(folder))
    lines = [ln for ln in result.output.splitlines() if "rule unknown_code" in ln]
    assert len(lines) == 1, result.output
    assert "quarantined 8 record(s), rule unknown_code" in lines[0]
    assert lines[0].endswith("; values: 'Voksenstøtte'"), lines[0]


def test_config_check_names_the_table_of_an_unmapped_required_column(tmp_path: Path) -> None:
    folder = config_dir("carelink", tmp_path)
    edit_sources(folder, "          start_date: opened\n", "")
    result = run("config", "check", str(folder))
    assert result.exit_code == 1
    assert "table 'courses' (file_pattern 'cl_cases*.csv')" in result.output
    assert "['start_date']" in result.output


def test_sources_try_shows_match_rows_balance_and_skipped_lines_without_writing(
    tmp_path: Path,
) -> None:
    folder = config_dir("omsorgsjournal", tmp_path)
    db = tmp_path / "never.duckdb"
    result = CliRunner().invoke(
        app,
        ["sources", "try", str(EXPORTS / "omsorgsjournal"), "--config", str(folder)],
        env={**ENV, "DATADIALOG_DB": str(db)},
    )
    out = result.output
    assert result.exit_code == 1, out  # one record is quarantined
    assert "matches: omsorgsjournal: courses" in out
    assert "matches: omsorgsjournal: measurements" in out
    assert "balance: 8 in = 8 staged + 0 same + 0 quarantined" in out
    assert "balance: 17 in = 16 staged + 0 same + 1 quarantined" in out
    assert "left out (not data): 1 repeated header line and 1 trailer line" in out
    assert "quarantined 1 record(s), rule unknown_course, column Cprnr+Indsats" in out
    assert "citizens added from the courses: 8" in out
    # the first records under canonical names, the label as written, ids as pseudonyms
    assert "course_ref" in out and "point_label" in out and "Opstart" in out
    assert "08.01.2024" in out
    assert "010185" not in out and "Cprnr;" not in out
    assert not db.exists()


def test_sources_try_says_when_no_source_matches(tmp_path: Path) -> None:
    folder = config_dir("carelink", tmp_path)
    stray = tmp_path / "unknown_20240901.csv"
    stray.write_text("a,b\n1,2\n", encoding="utf-8")
    result = run("sources", "try", str(stray), "--config", str(folder))
    assert result.exit_code == 1
    assert "matches: no source" in result.output
    assert "no source in the config's sources.yaml matches this file name" in result.output


def test_reload_after_a_mapping_fix_replaces_the_load_with_balance_before_and_after(
    tmp_path: Path,
) -> None:
    """The issue's case: form_ref mapped to the date column made two forms of different
    citizens on the same day duplicates; after the fix the file is loaded again."""
    folder = config_dir("omsorgsjournal", tmp_path)
    edit_sources(folder, '          form_ref: [Cprnr, Redskab, Dato, "Tidspunkt i forløb"]\n', "")
    edit_sources(folder, "          instrument_id: Redskab\n",
                 "          instrument_id: Redskab\n          form_ref: Dato\n")
    exports = tmp_path / "exports"
    shutil.copytree(EXPORTS / "omsorgsjournal", exports, ignore=shutil.ignore_patterns("config"))
    db = tmp_path / "db.duckdb"
    first = run("ingest", str(exports), "--db", str(db), "--config", str(folder))
    assert first.exit_code == 0, first.output
    # 13.01.2024 and 09.06.2024 each hold the forms of citizens 2 and 3: the second of
    # each pair is a duplicate key; plus the form of the invalid CPR number
    assert "left out oj_forloeb_20240901.csv: 1 repeated header line and 1 trailer line" in (
        " ".join(first.output.split())
    )
    again = run("ingest", str(exports / "oj_maalinger_20240901.csv"), "--db", str(db),
                "--config", str(folder))
    assert "already loaded" in again.output

    # the fix, then the re-load of the measurement file only
    shutil.copy(EXPORTS / "omsorgsjournal" / "config" / "sources.yaml", folder / "sources.yaml")
    result = run("ingest", "--reload", str(exports / "oj_maalinger_20240901.csv"),
                 "--db", str(db), "--config", str(folder))
    assert result.exit_code == 0, result.output
    assert (
        "re-load oj_maalinger_20240901.csv: before 17 in = 14 staged + 0 same + 3 quarantined; "
        "after 17 in = 16 staged + 0 same + 1 quarantined"
    ) in " ".join(result.output.split())

    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        forms = con.execute(
            "select count(distinct form_id), count(*) filter (where form_id like '%.2024') "
            "from staging.measurements"
        ).fetchone()
        assert forms == (16, 0)
        assert con.execute(
            "select rule, count(*) from staging.quarantine group by rule"
        ).fetchall() == [("unknown_course", 1)]
        statuses = con.execute(
            "select status, count(*) from staging.loads where file_name like 'oj_maal%' "
            "group by status order by status"
        ).fetchall()
        assert statuses == [("loaded", 1), ("replaced", 1)]
    finally:
        con.close()


@pytest.mark.parametrize("flag", ["--inbox"])
def test_reload_refuses_the_inbox(flag: str, tmp_path: Path) -> None:
    result = run("ingest", "--reload", flag, "--db", str(tmp_path / "x.duckdb"))
    assert result.exit_code == 2
    assert "--reload takes files" in result.output
