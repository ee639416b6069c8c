"""prepare_meeting on the demo database: outbox folder, manifest, quality gate, caveats,
failures that stay with their own meeting."""

from __future__ import annotations

import hashlib
import json
import time
import zipfile
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest
from pptx import Presentation
from typer.testing import CliRunner

from datadialog.config_load import load_config
from flows.meeting import _transient
from outputs.delivery import DeliverySettings, deliver, file_sha256, read_manifest
from pipeline.decks import DeckJob, build_citizen_pack, pack_marts, previous_quarter
from pipeline.meeting import (
    DeckResult,
    MeetingResult,
    prepare_meeting,
    prepare_meetings,
    summary_markdown,
)
from pipeline.quality import QualityStatus
from tests.support.meetings import (
    SmtpInbox,
    demo_database,
    smtp_env,
    start_server_early,
    start_smtp,
)

CAVEAT_SLIDE = "Datakvalitet: det skal vi tage forbehold for"


@pytest.fixture(scope="module")
def db(request, tmp_path_factory) -> Path:
    start_server_early(request)  # the worker tests' server boots while these run
    return demo_database(tmp_path_factory.getbasetemp())


@pytest.fixture(scope="module")
def config():
    return load_config()


def slide_texts(path: Path) -> list[list[str]]:
    """Each slide's text frames (the title first)."""
    out = []
    for slide in Presentation(str(path)).slides:
        texts = [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]
        out.append(texts)
    return out


def slide_with(path: Path, text: str) -> list[str]:
    return next(s for s in slide_texts(path) if any(text in t for t in s))


def test_citizen_meeting_outbox_and_manifest(db, config, tmp_path) -> None:
    result = prepare_meeting(db, config, "borger_unge_syd", date(2026, 10, 28), tmp_path,
                             as_of=datetime(2026, 10, 26, 13, 0))
    folder = tmp_path / "borger_unge_syd" / "2026-10-28"
    assert result.status == "ready" and Path(result.folder) == folder
    deck = folder / "borger_unge_syd_2026-10-28.pptx"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    [entry] = manifest["decks"]
    assert (entry["kind"], entry["status"], entry["file"]) == ("citizen_pack", "ready", deck.name)
    assert entry["sha256"] == file_sha256(deck) and entry["bytes"] == deck.stat().st_size
    con = duckdb.connect(str(db), read_only=True)
    latest = con.execute("select max(finished_at) from staging.loads").fetchone()[0]
    con.close()
    assert manifest["data_cutoff"] == latest.isoformat()
    assert manifest["recipients"] == ["dorthe.kjaer@demo-kommune.dk",
                                      "emil.berg@demo-kommune.dk"]
    assert manifest["teams"] == ["unge_syd"]
    # the clocks went back on 25 October, so both times are CET
    assert manifest["meeting_time"] == "2026-10-28T13:00:00+01:00"
    assert manifest["deck_run_time"] == "2026-10-26T13:00:00+01:00"
    assert manifest["is_scheduled_meeting"] is True
    # no quality run on this database: the deck says so on its caveat slide
    assert manifest["quality"]["status"] == "no quality run"
    caveat = slide_with(deck, CAVEAT_SLIDE)
    assert any("ikke kontrolleret" in t for t in caveat)
    titles = [s[0] for s in slide_texts(deck)]
    assert titles.index(CAVEAT_SLIDE) == 3  # right after title, agenda and the four steps


def test_pack_marts_follow_a_changed_query_file(tmp_path) -> None:
    """The marts of a pack are worked out once per version of its query files: a query
    file changed (or added) since the last call is read again."""
    import os

    query = tmp_path / "citizen_a.sql"
    query.write_text("select * from mart_citizen_goals", encoding="utf-8")
    assert pack_marts("citizen_pack", tmp_path) == ["mart_citizen_goals"]
    assert pack_marts("citizen_pack", tmp_path) == ["mart_citizen_goals"]
    query.write_text("select * from mart_citizen_kik", encoding="utf-8")
    os.utime(query, ns=(1, query.stat().st_mtime_ns + 1_000_000))
    assert pack_marts("citizen_pack", tmp_path) == ["mart_citizen_kik"]
    (tmp_path / "citizen_b.sql").write_text("from mart_citizen_goals", encoding="utf-8")
    assert pack_marts("citizen_pack", tmp_path) == ["mart_citizen_kik", "mart_citizen_goals"]
    assert pack_marts("strategic", tmp_path) is None


def test_warnings_reach_the_intervention_deck_as_caveats(db, config, tmp_path) -> None:
    assert "mart_progression_by_point" in pack_marts("intervention_pack")
    quality = QualityStatus(
        "warnings", "intervention", "ungepraktik", run_id="r1",
        caveats={"*": ["Alle tal: 3 forløb mangler slutdato."],
                 "mart_progression_by_point": ["Udvikling: 4 målinger er sene."],
                 "mart_cost_per_course": ["Omkostninger: 2 poster uden beløb."]})
    result = prepare_meeting(db, config, "indsats_ungepraktik", date(2026, 10, 13), tmp_path,
                             quality=quality)
    assert result.status == "ready"
    deck = Path(result.folder) / "indsats_ungepraktik_2026-10-13.pptx"
    assert any("3. kvartal 2026" in t for t in slide_texts(deck)[0])  # Q3 before 13.10
    quality_slide = " ".join(slide_with(deck, CAVEAT_SLIDE))
    assert "Alle tal: 3 forløb mangler slutdato." in quality_slide
    assert "Udvikling: 4 målinger er sene." in quality_slide
    assert "Omkostninger" not in quality_slide  # the pack reads no cost mart
    manifest = read_manifest(result.folder)
    assert manifest["quality"]["status"] == "warnings"
    assert manifest["quality"]["caveats"] == ["Alle tal: 3 forløb mangler slutdato.",
                                              "Udvikling: 4 målinger er sene."]


def test_error_gate_blocks_the_deck_with_its_reason(db, config, tmp_path) -> None:
    day = date(2026, 10, 27)
    first = prepare_meeting(db, config, "borger_familie_nord", day, tmp_path)
    assert first.status == "ready"
    blocked = QualityStatus("blocked", "team", "familie_nord", run_id="r2", reasons=[
        "1 row fails measurement_before_start: A form is dated before its course started."])
    result = prepare_meeting(db, config, "borger_familie_nord", day, tmp_path, quality=blocked)
    assert result.status == "blocked"
    folder = Path(result.folder)
    assert sorted(p.name for p in folder.iterdir()) == ["manifest.json"]  # old deck removed
    manifest = read_manifest(folder)
    assert manifest["decks"][0]["status"] == "blocked"
    assert "measurement_before_start" in manifest["decks"][0]["error"]
    assert manifest["quality"]["reasons"] == blocked.reasons


def test_a_failing_deck_does_not_stop_the_other_meetings(db, config, tmp_path) -> None:
    def flaky(job: DeckJob) -> Path:
        if job.meeting.id == "borger_voksen_oest":
            raise RuntimeError("template broke while drawing case 010190-1234")
        return build_citizen_pack(job)

    results = prepare_meetings(
        db, config,
        [("borger_familie_nord", date(2026, 10, 27)), ("borger_voksen_oest", date(2026, 10, 29)),
         ("borger_unge_syd", date(2026, 10, 28))],
        tmp_path, builders={"citizen_pack": flaky})
    assert [r.status for r in results] == ["ready", "failed", "ready"]
    failed = read_manifest(results[1].folder)
    assert failed["decks"][0]["status"] == "failed"
    assert failed["decks"][0]["error"] == (
        "RuntimeError: template broke while drawing case [CPR]")
    assert "010190-1234" not in json.dumps(failed)
    assert results[1].line() == "borger_voksen_oest 2026-10-29: failed (citizen_pack failed)"
    for ok in (results[0], results[2]):
        [deck] = ok.ready
        assert (Path(ok.folder) / deck.file).exists()


def test_organisation_level_writes_the_leaders_summary_and_workbook(db, config, tmp_path) -> None:
    result = prepare_meeting(db, config, "ledelse_kvartal", date(2026, 11, 15), tmp_path)
    assert [(d.kind, d.status) for d in result.decks] == [
        ("leaders_summary", "ready"), ("leaders_tables", "ready")]
    deck, tables = result.decks
    assert deck.file == "ledelse_kvartal_2026-11-15.pptx"
    assert tables.file == "ledelse_kvartal_2026-11-15_tabeller.xlsx"
    folder = Path(result.folder)
    assert deck.sha256 == hashlib.sha256((folder / deck.file).read_bytes()).hexdigest()
    manifest = read_manifest(result.folder)
    assert [d["file"] for d in manifest["decks"]] == [deck.file, tables.file]
    assert manifest["recipients"] == [
        "lise.direktoer@demo-kommune.dk", "mads.data@demo-kommune.dk"]


def test_previous_quarter() -> None:
    assert previous_quarter(date(2026, 10, 13)) == (date(2026, 7, 1), date(2026, 9, 30), 3, 2026)
    assert previous_quarter(date(2027, 1, 12)) == (
        date(2026, 10, 1), date(2026, 12, 31), 4, 2026)
    assert previous_quarter(date(2026, 4, 1)) == (date(2026, 1, 1), date(2026, 3, 31), 1, 2026)


def test_only_a_locked_database_is_retried() -> None:
    from prefect.states import Failed

    from datadialog.db import DatabaseBusyError
    assert _transient(None, None, Failed(data=DatabaseBusyError("in use")))
    assert not _transient(None, None, Failed(data=ValueError("bad model")))


def test_prepare_command(db, tmp_path, monkeypatch) -> None:
    from cli.app import app

    monkeypatch.delenv("DATADIALOG_SMTP_HOST", raising=False)
    result = CliRunner().invoke(app, ["prepare", "borger_unge_syd", "--date", "2026-10-28",
                                      "--db", str(db), "--outbox", str(tmp_path / "outbox")])
    assert result.exit_code == 0, result.output
    assert "borger_unge_syd 2026-10-28: ready (citizen_pack ready)" in result.output
    assert "delivery (outbox): 2 outbox" in result.output
    # the data steward's site is refreshed beside the outbox, linking the new deck
    assert f"site: {tmp_path / 'site' / 'index.html'}" in result.output
    team_page = (tmp_path / "site" / "da" / "team-unge_syd.html").read_text("utf-8")
    assert "borger_unge_syd_2026-10-28.pptx" in team_page
    unknown = CliRunner().invoke(app, ["prepare", "nope", "--db", str(db)])
    assert unknown.exit_code == 2
    assert "no meeting series 'nope'" in unknown.output


def test_run_summary_reports_a_failed_deck() -> None:
    result = MeetingResult(
        "borger_voksen_oest", date(2026, 10, 29), "citizen", "/outbox/x",
        QualityStatus("ok", "team", "voksen_oest", run_id="r9"),
        [DeckResult("citizen_pack", "failed", format="pptx", error="RuntimeError: boom")],
        ["hanne.dahl@demo-kommune.dk"], datetime(2026, 10, 27, 6, 30))
    text = summary_markdown(
        "borger_voksen_oest", date(2026, 10, 29), {"ingest": 1.0, "build": 2.0, "check": 0.5},
        {"files": 2, "failed": 0, "rows_staged": 1234}, {"models": 34, "rows": 5000},
        result.quality, result, None, {"build": True})
    assert text.splitlines()[0] == "# Meeting borger_voksen_oest on 2026-10-29: failed"
    assert "- **Rows**: 2 inbox files (0 failed), 1,234 rows staged; 34 models built " \
           "(5,000 rows) (cached)" in text
    assert "  - citizen_pack pptx: failed - RuntimeError: boom" in text
    assert "- **Data cut-off**: 2026-10-27 06:30" in text
    assert text.splitlines()[-1] == "- **Time**: 3.5 s (ingest 1.0 s, build 2.0 s, check 0.5 s)"


def test_preparing_again_sends_nobody_the_same_decks_twice(db, config, tmp_path,
                                                           monkeypatch) -> None:
    """docs/operations.md: a rerun of a meeting's run sends nothing twice. The decks of
    the second preparation (a day later, same data) are the same bytes, so delivery
    finds every recipient already served."""
    inbox = SmtpInbox()
    controller = start_smtp(inbox)
    try:
        settings = DeliverySettings.from_env(smtp_env(controller))
        first = prepare_meeting(db, config, "borger_unge_syd", date(2026, 10, 28), tmp_path)
        sent = deliver(first.folder, config, settings)
        assert sent.count("sent") == len(first.recipients) > 0
        later = time.time() + 86_400
        monkeypatch.setattr(zipfile.time, "time", lambda: later)
        second = prepare_meeting(db, config, "borger_unge_syd", date(2026, 10, 28), tmp_path)
        assert [d.sha256 for d in second.ready] == [d.sha256 for d in first.ready]
        again = deliver(second.folder, config, settings)
        assert [o.status for o in again.outcomes] == ["already_sent"] * len(first.recipients)
        assert len(inbox.received) == len(first.recipients)
    finally:
        controller.stop()
