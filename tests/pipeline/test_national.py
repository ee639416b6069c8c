"""An organisation's export (Parquet, manifest, checksums), the scan of the exchange
(included, stale, missing, invalid) and the roll-up with its deck, on two small demo
organisations ingested and built for real (no Prefect here; see tests/flows)."""

from __future__ import annotations

import hashlib
import json
import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest
from pptx import Presentation

from datadialog.config_load import ConfigError, load_config
from datadialog.db import connect
from datadialog.national_config import load_registry, write_registry
from pipeline.national import (
    NationalError,
    export_organisation,
    reporting_quarter,
    require_loaded,
    rollup,
    scan_exchange,
)
from pipeline.national_demo import demo_registry
from transforms.ingest import ingest_inbox
from transforms.refresh import build_database

pytestmark = pytest.mark.slow

AS_OF = date(2026, 10, 31)
QUARTER = "2026-Q3"
KEY = "national-pipeline-test-key-81f3a0c2"


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    base = tmp_path_factory.mktemp("national-pipeline")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DATADIALOG_PSEUDONYM_KEY", KEY)
        registry_path = demo_registry(base, 3, courses=30, as_of=AS_OF)
        registry = load_registry(registry_path)
        config = load_config()
        manifests = {}
        for org in registry.organisations[:2]:
            con = connect(org.database)
            try:
                reports = ingest_inbox(con, config, inbox=org.inbox,
                                       archive=str(Path(org.inbox).parent / "archive"))
            finally:
                con.close()
            assert require_loaded([r.as_dict() for r in reports]) == 9
            build_database(org.database, config, as_of=AS_OF)
            manifests[org.id] = export_organisation(org.database, org.id, registry.exchange,
                                                    QUARTER, AS_OF)
    return registry_path, registry, manifests


def test_reporting_quarter_is_the_last_ended_one() -> None:
    assert reporting_quarter(date(2026, 10, 31)) == "2026-Q3"
    assert reporting_quarter(date(2026, 1, 1)) == "2025-Q4"
    assert reporting_quarter(date(2026, 3, 31)) == "2025-Q4"


def test_export_folder_manifest_and_checksums(exported) -> None:
    _, registry, manifests = exported
    manifest = manifests["org_001"]
    folder = Path(registry.exchange) / "org_001" / QUARTER
    assert manifest["folder"] == str(folder)
    assert sorted(p.name for p in folder.iterdir()) == [
        "collection_cells.parquet", "manifest.json", "progression_cells.parquet"]
    on_disk = json.loads((folder / "manifest.json").read_text())
    assert on_disk["organisation_id"] == "org_001" and on_disk["quarter"] == QUARTER
    con = duckdb.connect()
    for entry in on_disk["files"]:
        path = folder / entry["name"]
        assert entry["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
        rows = con.execute("select count(*) from read_parquet(?)", [str(path)]).fetchone()[0]
        assert rows == entry["rows"] > 0
        columns = {r[0] for r in con.execute("describe select * from read_parquet(?)",
                                             [str(path)]).fetchall()}
        assert not columns & {"citizen_id", "course_id", "form_id", "staff_id"}
    # nothing left under a temporary name
    assert [p.name for p in folder.parent.iterdir()] == [QUARTER]


def test_export_matches_the_organisations_own_mart(exported) -> None:
    """Where the organisation's mart shows a cell, the export's parts give its numbers."""
    _, registry, _ = exported
    org = registry.organisation("org_001")
    con = duckdb.connect()
    con.execute(f"attach '{org.database}' as org (read_only)")
    path = str(Path(registry.exchange) / "org_001" / QUARTER / "progression_cells.parquet")
    rows = con.execute(
        "select m.n_citizens, m.n_courses, m.mean_score, e.n_citizens, e.n_courses, "
        "e.score_sum / e.n_courses, m.is_suppressed, e.is_suppressed_locally "
        "from org.mart_progression_by_point as m join read_parquet(?) as e using "
        "(intervention_id, instrument_id, point_id, occurrence_no) "
        "where m.series = 'all' and m.scale_id = 'total'", [path]).fetchall()
    assert rows
    shown = [r for r in rows if not r[6]]
    assert shown and any(r[6] for r in rows)  # both kinds in 30 courses
    for n_cit, n_courses, mean, e_cit, e_courses, e_mean, hidden, e_hidden in rows:
        assert hidden == e_hidden
        if not hidden:
            assert (n_cit, n_courses) == (e_cit, e_courses)
            assert abs(mean - e_mean) < 1e-9


def test_scan_reports_stale_missing_and_invalid(exported, tmp_path) -> None:
    _, registry, _ = exported
    exchange = tmp_path / "exchange"
    shutil.copytree(registry.exchange, exchange)
    # org_002 only has an older quarter; org_003 never exported
    (exchange / "org_002" / QUARTER).rename(exchange / "org_002" / "2026-Q2")
    copy = registry.model_copy(update={"exchange": str(exchange)})
    found = {c.organisation_id: (c.status, c.quarter) for c in scan_exchange(copy, QUARTER)}
    assert found == {"org_001": ("included", QUARTER), "org_002": ("stale", "2026-Q2"),
                     "org_003": ("missing", None)}
    # a changed file no longer matches its checksum
    with (exchange / "org_001" / QUARTER / "collection_cells.parquet").open("ab") as f:
        f.write(b"\0")
    [first, *_] = scan_exchange(copy, QUARTER)
    assert first.status == "invalid" and "checksum" in first.detail
    with pytest.raises(NationalError, match="no organisation has a usable export of 2026-Q3"):
        rollup(copy.model_copy(update={"out_dir": str(tmp_path / "out")}), QUARTER)
    assert not (tmp_path / "out" / "national.duckdb").exists()


def test_rollup_writes_marts_coverage_and_deck(exported) -> None:
    _, registry, _ = exported
    result = rollup(registry, QUARTER)
    assert result.by_status("included") == ["org_001", "org_002"]
    assert result.by_status("missing") == ["org_003"]
    con = duckdb.connect(result.database, read_only=True)
    coverage = con.execute("select organisation_id, status from national_coverage "
                           "order by 1").fetchall()
    assert coverage == [("org_001", "included"), ("org_002", "included"),
                        ("org_003", "missing")]
    assert con.execute("select max(organisations) from national_progression_by_point"
                       ).fetchone()[0] == 2
    # no all-instruments row or instrument row is the one hidden cell of its group
    # (all = sum of the instrument rows would give it back)
    assert con.execute("""
        select intervention_id, period from national_measurement_collection_by_quarter
        group by all having count(*) filter (where is_suppressed) = 1""").fetchall() == []
    con.close()
    deck = Presentation(result.deck)
    texts = [shape.text_frame.text for slide in deck.slides for shape in slide.shapes
             if shape.has_text_frame]
    assert "Nationalt kvartalsoverblik 2026-Q3" in texts
    assert "2 af 3 organisationer er med i tallene for 2026-Q3" in texts
    # configured names and point labels, never ids or English point codes
    titles = [t for t in texts if ": gennemsnittet" in t]
    assert titles and not any(w in t for t in titles for w in (" end ", "fu6", "sdq_p", "_"))
    assert any(t.startswith("SDQ, Børnegrupper for børn af psykisk syge forældre:")
               for t in texts)


def test_registry_errors_name_the_key(tmp_path, exported) -> None:
    registry_path, registry, _ = exported
    bad = registry.model_dump()
    bad["organisations"][1]["id"] = "Org 2"
    path = tmp_path / "national.yaml"
    path.write_text(json.dumps(bad))
    with pytest.raises(ConfigError, match=r"organisations\[1\]\.id"):
        load_registry(path)
    twice = registry.model_copy(update={"organisations": registry.organisations[:1] * 2})
    write_registry(twice, path)
    with pytest.raises(ConfigError, match="organisation id listed twice: org_001"):
        load_registry(path)
