"""No CPR number and no raw source person id of the onboarding corpus anywhere.

Each system is loaded, checked (quality report and failures CSV) and its intervention
deck made; then every text value of every table, the database file, the log, the report
folder and the deck (every XML part of the .pptx) are scanned for the CPR numbers of
the exports (as written and as ten digits) and the systems' own citizen numbers.
"""

from __future__ import annotations

import logging
import zipfile
from datetime import date
from pathlib import Path

import pytest

from datadialog.privacy import find_cpr
from pipeline.meeting import prepare_meeting
from pipeline.quality import run_quality
from tests.fixtures.exports.make_exports import CL_CLIENTS, FD_CITIZENS, OJ_CITIZENS
from tests.support.exports import SYSTEMS
from tests.transforms.ingest.test_onboarding import load_system

#: The person ids of each system's exports, as written.
PERSON_IDS = {
    "omsorgsjournal": sorted({c[0] for c in OJ_CITIZENS} | {c[1] for c in OJ_CITIZENS}
                             | {"320185-1234"}),
    "carelink": [c[0] for c in CL_CLIENTS],
    "famdok": [c[0] for c in FD_CITIZENS],
}


def forbidden(system: str) -> set[str]:
    ids = set(PERSON_IDS[system])
    return ids | {i.replace("-", "") for i in ids}


def leaks(text: str, system: str, generated: tuple[str, ...] = ()) -> list[str]:
    """Person ids and CPR-shaped strings in ``text``; ``generated`` ids are removed first
    (a quality run id "20261204T210452-8189dc" holds "210452-8189", CPR-shaped by the
    time of day it was made, and carries nobody's number)."""
    for known in generated:
        text = text.replace(known, "")
    return sorted({i for i in forbidden(system) if i in text} | set(find_cpr(text)))


@pytest.mark.parametrize("system", SYSTEMS)
def test_no_cpr_or_source_person_id_in_tables_logs_failures_or_deck(
    system: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    # the intake forms of omsorgsjournal are filled in up to 2 days before start
    config, con, reports = load_system(system, tmp_path, grace_days=2)
    assert {r.status for r in reports} == {"loaded"}
    report_dir = tmp_path / "report"
    run = run_quality(con, config, as_of=date(2024, 12, 31), out_dir=report_dir)
    gate = run.check.gates[("intervention", "voksenstoette")]
    assert not gate.blocked, gate.reasons
    columns = con.execute(
        "select schema_name, table_name, column_name from duckdb_columns() "
        "where data_type = 'VARCHAR' and not internal"
    ).fetchall()
    assert len(columns) > 50
    run_ids = tuple(r[0] for r in con.execute("select run_id from quality.runs").fetchall())
    assert run.check.run_id in run_ids
    for schema, table, column in columns:
        values = con.execute(
            f'select distinct "{column}" from "{schema}"."{table}" where "{column}" is not null'
        ).fetchall()
        for (value,) in values:
            assert not leaks(value, system, run_ids), (schema, table, column, value)
    con.close()
    db = tmp_path / f"{system}.duckdb"
    raw = db.read_bytes()
    for person in forbidden(system):
        assert person.encode() not in raw, person

    result = prepare_meeting(db, config, "indsats_voksenstoette", date(2024, 10, 15),
                             outbox_dir=tmp_path / "outbox")
    decks = [d for d in result.decks if d.status == "ready"]
    assert decks, result.decks
    files = [p for p in (tmp_path / "outbox").rglob("*") if p.is_file()]
    files += [p for p in report_dir.rglob("*") if p.is_file()]
    assert any(p.suffix == ".pptx" for p in files)
    assert any(p.name.startswith("failures_") for p in files)
    for path in files:
        if path.suffix in (".pptx", ".xlsx"):
            with zipfile.ZipFile(path) as archive:
                text = "".join(archive.read(n).decode("utf-8", "replace")
                               for n in archive.namelist() if n.endswith(".xml"))
        else:
            text = path.read_bytes().decode("utf-8", "replace")
        assert not leaks(text, system, run_ids), path
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "loaded as" in logged
    assert not leaks(logged, system, run_ids)
