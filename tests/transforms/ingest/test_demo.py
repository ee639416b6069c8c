"""Ingest of the demo exports (demo.generate): balance, every planted ingest
defect caught where the manifest says, and the canonical content staged.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from datadialog.config_load import load_config
from datadialog.db import connect
from datadialog.privacy import PseudonymKey
from demo import generate
from transforms.ingest import ingest_files

KEY = PseudonymKey(b"demo-test-key-0123456789abcdef", "test")
COURSES = 80

#: manifest defect kind -> quarantine rule
RULE_OF_KIND = {
    "cpr_in_citizen_id": "cpr_in_id",
    "unknown_citizen": "unknown_citizen",
    "unknown_course": "unknown_course",
    "invalid_date": "invalid_date",
    "invalid_number": "invalid_number",
    "unknown_code": "unknown_code",
    "exact_duplicate": "duplicate_key",
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    manifest = generate(folder / "exports", seed=7, courses=COURSES, fmt="mixed")
    con = connect(folder / "demo.duckdb")
    reports = ingest_files(con, manifest.paths, load_config(), key=KEY)
    yield manifest, con, reports
    con.close()


def test_every_file_loads_and_balances(demo) -> None:
    manifest, con, reports = demo
    assert {r.file_name for r in reports} == {f.name for f in manifest.files}
    for report in reports:
        assert report.status == "loaded", report.error
        assert report.balanced, report.file_name
        for table in report.tables:
            assert table.balanced, (report.file_name, table.canonical_table)
    stored = con.execute(
        "select count(*) filter (where rows_in <> rows_staged + rows_unchanged + rows_quarantined)"
        " from staging.loads"
    ).fetchone()
    assert stored == (0,)
    # every record of the exports is accounted for
    for entry in manifest.files:
        report = next(r for r in reports if r.file_name == entry.name)
        for table, info in entry.tables.items():
            counted = next(t for t in report.tables if t.canonical_table == table)
            assert counted.rows_in == info["rows"], (entry.name, table)


def test_the_demo_folder_loads_without_its_manifest(demo) -> None:
    """``datadialog demo-data OUT`` then ``datadialog ingest OUT``: the folder holds the
    exports and manifest.json, which is not an export (it failed the run, exit code 1)."""
    manifest, con, _ = demo
    folder = manifest.paths[0].parent
    assert (folder / "manifest.json").is_file()
    again = ingest_files(con, [folder], load_config(), key=KEY)
    assert sorted(r.file_name for r in again) == sorted(f.name for f in manifest.files)
    assert {r.status for r in again} == {"skipped"}  # loaded by the fixture already


def test_canonical_rows_are_staged(demo) -> None:
    manifest, con, _ = demo
    staged = {
        table: con.execute(f"select count(*) from staging.{table}").fetchone()[0]
        for table in manifest.canonical_rows
    }
    assert staged == manifest.canonical_rows


def test_every_ingest_defect_is_caught(demo) -> None:
    manifest, con, reports = demo
    quarantine = con.execute(
        "select file_name, coalesce(sheet, ''), row_no, rule from staging.quarantine"
    ).fetchall()
    found = {(f, s, r, rule) for f, s, r, rule in quarantine}
    defects = [d for d in manifest.defects if d["stage"] == "ingest"]
    assert {d["kind"] for d in defects} >= set(RULE_OF_KIND) | {"cpr_in_note", "missing_item"}
    for d in defects:
        where = (d["file"], d["sheet"] or "")
        if d["kind"] in RULE_OF_KIND:
            rule = RULE_OF_KIND[d["kind"]]
            for row in d["rows"]:
                assert (*where, row, rule) in found, d
        elif d["kind"] == "cpr_in_note":
            notes = con.execute(
                "select distinct note from staging.measurements where form_id = ?",
                [d["form_ref"]],
            ).fetchall()
            assert len(notes) == 1 and "[CPR]" in notes[0][0], d
        elif d["kind"] == "missing_item":
            value = con.execute(
                "select value from staging.measurements where form_id = ? and item_no = ?",
                [d["form_ref"], d["item_no"]],
            ).fetchall()
            assert value == [(None,)], d
        else:  # pragma: no cover - a new kind needs a rule here
            raise AssertionError(f"no expectation for defect kind {d['kind']!r}")
    # nothing else is quarantined: every quarantined record is a planted defect
    planted = {
        (d["file"], d["sheet"] or "", row) for d in defects for row in d["rows"]
    }
    assert {(f, s, r) for f, s, r, _ in found} <= planted
    masked = sum(r.cpr_masked for r in reports)
    cpr_defects = [d for d in defects if d["kind"] in ("cpr_in_citizen_id", "cpr_in_note")]
    assert masked == sum(len(d["rows"]) for d in cpr_defects)


def test_format_a_and_format_b_stage_the_same_content(tmp_path: Path) -> None:
    """The CSV system (long) and the XLSX system (wide) read back to identical tables."""
    config = load_config()
    staged: dict[str, dict[str, list[str]]] = {}
    for fmt in ("a", "b"):
        manifest = generate(tmp_path / fmt, seed=11, courses=30, fmt=fmt)
        con = connect(tmp_path / f"{fmt}.duckdb")
        reports = ingest_files(con, manifest.paths, config, key=KEY)
        assert {r.status for r in reports} == {"loaded"}
        tables = {}
        for table in manifest.canonical_rows:
            columns = [
                c
                for (c,) in con.execute(
                    "select column_name from duckdb_columns() where schema_name = 'staging' "
                    "and table_name = ? and column_name not in "
                    "('load_id', 'file_name', 'row_no') order by column_index",
                    [table],
                ).fetchall()
            ]
            rows = con.execute(f"select {', '.join(columns)} from staging.{table}").fetchall()
            tables[table] = sorted(map(repr, rows))
        staged[fmt] = tables
        con.close()
    for table in staged["a"]:
        assert staged["a"][table] == staged["b"][table], table
    assert len(staged["a"]["measurements"]) > 1000
