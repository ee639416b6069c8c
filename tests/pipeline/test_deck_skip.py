"""Only the decks whose content changed are rendered again (#20).

On the small demo (real DuckDB, every demo meeting): a second preparation renders
nothing; one citizen's new measurement re-renders that citizen's meeting and not the
other citizen meetings; a deck (or the file beside it) deleted or edited, changed
caveats, and ``force`` render again. Every deck a run kept after a rebuild is checked
against a forced render of the same database: the same bytes, or (DuckDB's parallel sums
may flip the 16th digit of a raw value in the leaders' finance workbook) the same content
shown (a kept deck is never stale).
"""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from typer.testing import CliRunner

from checks.run import run_checks
from checks.settings import CheckSettings
from datadialog.db import connect
from outputs.delivery import (
    DeliverySettings,
    deliver,
    file_sha256,
    outbox_status,
    read_manifest,
)
from pipeline.decks import DeckJob, draft_citizen_pack
from pipeline.demo_run import demo_meetings
from pipeline.meeting import MeetingResult, find_meeting, prepare_meeting, prepare_meetings
from pipeline.quality import QualityStatus
from tests.pipeline.conftest import SMALL_DEMO_AS_OF
from tests.support.meetings import SmtpInbox, copy_database, smtp_env, start_smtp
from tests.support.snapshot import deck_snapshot
from transforms.build import build

TZ = ZoneInfo("Europe/Copenhagen")
FIRST = datetime(2026, 11, 2, 9, 0, tzinfo=TZ)  # when the first preparation is made
LATER = datetime(2026, 11, 3, 9, 0, tzinfo=TZ)
CITIZEN_MEETINGS = ("borger_familie_nord", "borger_unge_syd", "borger_voksen_oest")


@pytest.fixture(scope="module")
def first(small_demo, tmp_path_factory):
    """A copy of the demo database and every demo meeting prepared from it once."""
    base = tmp_path_factory.mktemp("deck-skip")
    db = copy_database(small_demo.db, base / "db")
    meetings = demo_meetings(small_demo.config, SMALL_DEMO_AS_OF)
    results = prepare_meetings(db, small_demo.config, meetings, base / "outbox", as_of=FIRST)
    assert [r.status for r in results] == ["ready"] * 6, [r.line() for r in results]
    return db, base / "outbox", meetings


def outbox_copy(first, tmp_path: Path) -> Path:
    _db, outbox, _meetings = first
    return Path(shutil.copytree(outbox, tmp_path / "outbox"))


def files_of(outbox: Path) -> dict[str, tuple[int, str]]:
    """Every file of the outbox but the manifests: (mtime in ns, SHA-256)."""
    return {str(p.relative_to(outbox)): (p.stat().st_mtime_ns, file_sha256(p))
            for p in sorted(outbox.rglob("*")) if p.is_file() and p.name != "manifest.json"}


def shown(path: Path) -> object:
    """What a file shows: a deck's snapshot (texts, tables, chart values, pictures); a
    workbook's cells, floats to 9 significant digits."""
    if path.suffix == ".xlsx":
        book = openpyxl.load_workbook(path, read_only=True)
        try:
            return {ws.title: [[f"{v:.9g}" if isinstance(v, float) else v for v in row]
                               for row in ws.iter_rows(values_only=True)]
                    for ws in book.worksheets}
        finally:
            book.close()
    return deck_snapshot(path)


def by_meeting(results: list[MeetingResult]) -> dict[str, MeetingResult]:
    return {r.meeting_id: r for r in results}


def test_a_second_preparation_renders_nothing(small_demo, first, tmp_path) -> None:
    db, _outbox, meetings = first
    outbox = outbox_copy(first, tmp_path)
    before = files_of(outbox)
    assert len(before) == 12  # 5 decks with a register each, the leaders' deck and workbook
    results = prepare_meetings(db, small_demo.config, meetings, outbox, as_of=LATER)
    assert files_of(outbox) == before  # not one file written again: same mtime, same bytes
    for result in results:
        assert result.status == "ready"
        for deck in result.decks:
            assert (deck.status, deck.unchanged, deck.rendered_at) == (
                "ready", True, "2026-11-02T09:00:00+01:00"), result.line()
        manifest = read_manifest(result.folder)
        assert manifest["prepared_at"] == "2026-11-03T09:00:00+01:00"
        assert all(d["unchanged"] for d in manifest["decks"])
        # a deck's own digest; the leaders' workbook is written beside (and with) its deck
        assert all(bool(d["digest"]) is (d["kind"] != "leaders_tables")
                   for d in manifest["decks"])
        assert outbox_status(result.folder) == "ready, unchanged since 2026-11-02 09:00"
    assert by_meeting(results)["borger_unge_syd"].line() == (
        "borger_unge_syd 2026-11-11: ready (citizen_pack unchanged since 2026-11-02 09:00)")
    leaders = read_manifest(by_meeting(results)["ledelse_kvartal"].folder)["decks"]
    assert [(d["kind"], d["unchanged"]) for d in leaders] == [
        ("leaders_summary", True), ("leaders_tables", True)]
    assert [b["file"] for b in leaders[0]["beside"]] == [leaders[1]["file"]]


def test_datadialog_meetings_shows_unchanged_decks(small_demo, first, tmp_path,
                                                   monkeypatch) -> None:
    from cli.app import app

    db, _outbox, meetings = first
    outbox = outbox_copy(first, tmp_path)
    prepare_meeting(db, small_demo.config, "borger_unge_syd", date(2026, 11, 11), outbox,
                    as_of=LATER)
    monkeypatch.setenv("COLUMNS", "200")
    shown = CliRunner().invoke(app, ["meetings", "--as-of", "2026-11-01", "--weeks", "2",
                                     "--outbox", str(outbox)])
    assert shown.exit_code == 0, shown.output
    row = next(line for line in shown.output.splitlines() if "borger_unge_syd" in line
               and "11.11" in line)
    assert "ready, unchanged since 2026-11-02 09:00" in row


def test_delivery_finds_the_kept_decks_already_sent(small_demo, first, tmp_path) -> None:
    db, _outbox, _meetings = first
    outbox = outbox_copy(first, tmp_path)
    inbox = SmtpInbox()
    controller = start_smtp(inbox)
    try:
        settings = DeliverySettings.from_env(smtp_env(controller))
        folder = outbox / "borger_unge_syd" / "2026-11-11"
        sent = deliver(folder, small_demo.config, settings)
        assert [o.status for o in sent.outcomes] == ["sent", "sent"]
        result = prepare_meeting(db, small_demo.config, "borger_unge_syd",
                                 date(2026, 11, 11), outbox, as_of=LATER)
        assert result.decks[0].unchanged
        again = deliver(folder, small_demo.config, settings)
        assert [o.status for o in again.outcomes] == ["already_sent", "already_sent"]
        forced = prepare_meeting(db, small_demo.config, "borger_unge_syd",
                                 date(2026, 11, 11), outbox, as_of=LATER, force=True)
        assert not forced.decks[0].unchanged  # rendered again: the same bytes
        assert forced.decks[0].sha256 == result.decks[0].sha256
        third = deliver(folder, small_demo.config, settings)
        assert [o.status for o in third.outcomes] == ["already_sent", "already_sent"]
    finally:
        controller.stop()
    assert len(inbox.received) == 2  # one mail per recipient, once
    assert outbox_status(folder) == "sent"  # the forced run rendered: no "unchanged"


def _agenda(con, config, meeting_id: str, day: date) -> list[str]:
    job = DeckJob(con, config, find_meeting(config, meeting_id), day, Path("."), "x", [])
    return [course_id for course_id, _name in draft_citizen_pack(job).shows["register"]]


def test_one_citizens_new_measurement_renders_only_that_meeting(small_demo, first,
                                                                 tmp_path) -> None:
    _db, _outbox, meetings = first
    config = small_demo.config
    db = copy_database(first[0], tmp_path / "db")
    outbox = outbox_copy(first, tmp_path)
    before = files_of(outbox)
    con = connect(db)
    try:
        agenda = _agenda(con, config, "borger_unge_syd", date(2026, 11, 11))
        course_id = agenda[-1]
        # the course's intake ORS form, measured again on 28 October with better answers
        form = con.execute(
            "select form_id from staging.measurements where course_id = ? "
            "and instrument_id = 'ors' order by measured_on limit 1", [course_id]).fetchone()[0]
        n = con.execute("select count(*) from staging.measurements").fetchone()[0]
        con.execute(
            "insert into staging.measurements by name "
            "select 'S-NEW-1' as form_id, course_id, instrument_id, "
            "date '2026-10-28' as measured_on, staff_id, rater_role, item_no, "
            "least(value + 3, 10) as value, note, load_id, row_no + 1000000 as row_no, point_id "
            "from staging.measurements where form_id = ?", [form])
        assert con.execute("select count(*) from staging.measurements").fetchone()[0] == n + 4
        build(con, config, as_of=SMALL_DEMO_AS_OF)
        assert _agenda(con, config, "borger_unge_syd", date(2026, 11, 11)) == agenda
    finally:
        con.close()
    results = by_meeting(prepare_meetings(db, config, meetings, outbox, as_of=LATER))
    changed = results["borger_unge_syd"].decks[0]
    assert (changed.status, changed.unchanged, changed.rendered_at) == (
        "ready", False, "2026-11-03T09:00:00+01:00")
    deck = f"borger_unge_syd/2026-11-11/{changed.file}"
    assert changed.sha256 != before[deck][1]
    for other in ("borger_familie_nord", "borger_voksen_oest"):
        [kept] = results[other].decks
        assert kept.unchanged, results[other].line()
        name = f"{other}/{results[other].meeting_date:%Y-%m-%d}/{kept.file}"
        assert files_of(outbox)[name] == before[name]
    # every deck this run kept shows what a forced render of the same database shows
    forced = by_meeting(prepare_meetings(db, config, meetings, tmp_path / "forced",
                                         as_of=LATER, force=True))
    for meeting_id, result in results.items():
        for deck, again in zip(result.decks, forced[meeting_id].decks, strict=True):
            assert not again.unchanged
            if deck.unchanged and deck.sha256 != again.sha256:
                assert shown(Path(result.folder) / deck.file) == shown(
                    Path(forced[meeting_id].folder) / again.file), (meeting_id, deck.kind)


def test_a_deleted_or_edited_deck_is_rendered_again(small_demo, first, tmp_path) -> None:
    db, _outbox, _meetings = first
    config = small_demo.config
    outbox = outbox_copy(first, tmp_path)
    citizen = outbox / "borger_familie_nord" / "2026-11-10"
    deck = citizen / "borger_familie_nord_2026-11-10.pptx"
    register = citizen / "borger_familie_nord_2026-11-10_aftaler.xlsx"
    original = file_sha256(deck)

    def again(meeting_id: str, day: date) -> MeetingResult:
        return prepare_meeting(db, config, meeting_id, day, outbox, as_of=LATER)

    deck.unlink()
    result = again("borger_familie_nord", date(2026, 11, 10))
    assert not result.decks[0].unchanged and file_sha256(deck) == original
    with deck.open("ab") as handle:  # edited in place (a meeting leader saved into it)
        handle.write(b"edited")
    result = again("borger_familie_nord", date(2026, 11, 10))
    assert not result.decks[0].unchanged and file_sha256(deck) == original
    register.unlink()  # the register beside it counts too
    result = again("borger_familie_nord", date(2026, 11, 10))
    assert not result.decks[0].unchanged and register.exists()
    assert again("borger_familie_nord", date(2026, 11, 10)).decks[0].unchanged
    leaders = outbox / "ledelse_kvartal" / "2026-11-15"
    (leaders / "ledelse_kvartal_2026-11-15_tabeller.xlsx").unlink()
    result = again("ledelse_kvartal", date(2026, 11, 15))
    assert [(d.kind, d.status, d.unchanged) for d in result.decks] == [
        ("leaders_summary", "ready", False), ("leaders_tables", "ready", False)]
    assert (leaders / "ledelse_kvartal_2026-11-15_tabeller.xlsx").exists()


def test_changed_caveats_render_again_a_new_run_id_does_not(small_demo, first,
                                                            tmp_path) -> None:
    db, _outbox, _meetings = first
    outbox = outbox_copy(first, tmp_path)
    day = date(2026, 10, 13)

    def gate(run_id: str, texts: list[str]) -> QualityStatus:
        return QualityStatus("warnings", "intervention", "ungepraktik", run_id=run_id,
                             caveats={"*": texts})

    def prepare(quality: QualityStatus) -> MeetingResult:
        return prepare_meeting(db, small_demo.config, "indsats_ungepraktik", day, outbox,
                               quality=quality, as_of=LATER)

    first_caveats = prepare(gate("r1", ["Alle tal: 3 forløb mangler slutdato."]))
    assert not first_caveats.decks[0].unchanged  # the caveat is new on the deck
    same = prepare(gate("r2", ["Alle tal: 3 forløb mangler slutdato."]))
    assert same.decks[0].unchanged  # the run id is not on the deck
    other = prepare(gate("r3", ["Alle tal: 4 forløb mangler slutdato."]))
    assert not other.decks[0].unchanged
    assert other.decks[0].sha256 != same.decks[0].sha256


def test_a_new_quality_run_with_the_same_findings_keeps_the_decks(small_demo, first,
                                                                  tmp_path) -> None:
    _db, _outbox, meetings = first
    config = small_demo.config
    db = copy_database(first[0], tmp_path / "db")
    outbox = outbox_copy(first, tmp_path)
    con = connect(db)
    try:
        runs = con.execute("select run_id, started_at from quality.runs "
                           "order by started_at desc").fetchall()
        run_checks(con, config, settings=CheckSettings.from_config(config, errors_block=False))
        newest = con.execute("select run_id, started_at from quality.runs "
                             "order by started_at desc limit 1").fetchone()
    finally:
        con.close()
    assert newest[0] != runs[0][0]
    results = prepare_meetings(db, config, meetings, outbox, as_of=LATER)
    # the leaders' deck prints the date of the quality run: kept when it is the same day
    same_day = newest[1].date() == runs[0][1].date()
    for result in results:
        for deck in result.decks:
            expected = same_day or result.meeting_id != "ledelse_kvartal"
            assert deck.unchanged is expected, result.line()


def test_force_renders_every_deck_again(small_demo, first, tmp_path) -> None:
    db, _outbox, meetings = first
    outbox = outbox_copy(first, tmp_path)
    before = files_of(outbox)
    results = prepare_meetings(db, small_demo.config, meetings, outbox, as_of=LATER,
                               force=True)
    after = files_of(outbox)
    assert all(not d.unchanged for r in results for d in r.decks)
    assert all(after[name][0] != before[name][0] for name in before)  # all written again
    decks = [name for name in before if name.endswith(".pptx")]
    assert len(decks) == 6
    assert all(after[name][1] == before[name][1] for name in decks)  # byte-reproducible


def test_prepare_command_force(small_demo, first, tmp_path, monkeypatch) -> None:
    from cli.app import app

    monkeypatch.delenv("DATADIALOG_SMTP_HOST", raising=False)
    outbox = outbox_copy(first, tmp_path)
    args = ["prepare", "borger_voksen_oest", "--date", "2026-11-12", "--db", str(first[0]),
            "--outbox", str(outbox), "--no-send"]
    kept = CliRunner().invoke(app, args)
    assert kept.exit_code == 0, kept.output
    assert "citizen_pack pptx: unchanged since 2026-11-02 09:00" in kept.output
    forced = CliRunner().invoke(app, [*args, "--force"])
    assert forced.exit_code == 0, forced.output
    assert "borger_voksen_oest 2026-11-12: ready (citizen_pack ready)" in forced.output


def test_a_kept_deck_keeps_its_pdf(small_demo, first, tmp_path) -> None:
    db, _outbox, _meetings = first
    outbox = outbox_copy(first, tmp_path)
    day = date(2026, 11, 12)
    made = prepare_meeting(db, small_demo.config, "borger_voksen_oest", day, outbox,
                           as_of=LATER, pdf=True)
    assert [(d.format, d.unchanged) for d in made.decks] == [("pptx", True), ("pdf", False)]
    pdf = Path(made.folder) / made.decks[1].file
    stamp = pdf.stat().st_mtime_ns
    kept = prepare_meeting(db, small_demo.config, "borger_voksen_oest", day, outbox,
                           as_of=LATER, pdf=True)
    assert [(d.format, d.unchanged) for d in kept.decks] == [("pptx", True), ("pdf", True)]
    assert pdf.stat().st_mtime_ns == stamp and kept.decks[1].sha256 == made.decks[1].sha256
    without = prepare_meeting(db, small_demo.config, "borger_voksen_oest", day, outbox,
                              as_of=LATER)
    assert [d.format for d in without.decks] == ["pptx"]
    assert not pdf.exists()  # a PDF not asked for is not left behind
    assert (Path(made.folder) / "borger_voksen_oest_2026-11-12_aftaler.xlsx").exists()


def test_pdf_of_the_leaders_meeting_leaves_the_workbook_alone(small_demo, first, tmp_path
                                                               ) -> None:
    # --pdf once tried to convert the finance workbook with LibreOffice Impress too: the
    # conversion failed and the leaders' meeting was reported as failed
    db, _outbox, _meetings = first
    made = prepare_meeting(db, small_demo.config, "ledelse_kvartal", date(2026, 11, 15),
                           outbox_copy(first, tmp_path), as_of=LATER, pdf=True)
    assert made.status == "ready", made.line()
    assert [(d.kind, d.format, d.status) for d in made.decks] == [
        ("leaders_summary", "pptx", "ready"), ("leaders_summary", "pdf", "ready"),
        ("leaders_tables", "xlsx", "ready")]
    assert (Path(made.folder) / made.decks[1].file).read_bytes().startswith(b"%PDF")
