"""Agreements back from the meeting, on real files: a deck written by datadialog, its
agreement table filled in with python-pptx as a meeting leader would (and once saved
through LibreOffice), read back into staging.agreements and shown on the next deck."""

from __future__ import annotations

import hashlib
import subprocess
from datetime import date
from pathlib import Path

import duckdb
import openpyxl
import pytest
from pptx import Presentation

from datadialog.agreement_form import (
    COLUMNS,
    REGISTER_SHEET,
    MeetingKey,
    RegisterRow,
    write_register,
)
from datadialog.config_load import load_config
from outputs.citizen_pack import build_citizen_deck
from outputs.common import options_from_config
from outputs.gather import gather_citizen_pack
from outputs.render import render_deck
from pipeline.calendar import meeting_days
from pipeline.decks import DeckJob, build_citizen_pack
from pipeline.inputs import loaded_files
from tests.support.staging import StagingWriter
from transforms.agreements import (
    AgreementFileError,
    read_inbox_agreements,
    store_returned_file,
)
from transforms.build import build

SERIES = "borger_familie_nord"
MEETING = date(2026, 3, 3)
NEXT_MEETING = date(2026, 3, 17)


def ors(total: int) -> list[int]:
    base, extra = divmod(total, 4)
    return [base + (1 if i < extra else 0) for i in range(4)]


@pytest.fixture()
def con(tmp_path):
    con = duckdb.connect(str(tmp_path / "loop.duckdb"))
    w = StagingWriter(con)
    for i, scores in enumerate(((14, 20), (22, 21))):
        c = f"sp_{i}"
        w.course(c, f"cit_{i}", "spaedbarn", "2025-09-01", team_id="familie_nord",
                 gender="female", birth_year=1995)
        for d, score in zip(("2025-09-02", "2026-02-20"), scores, strict=True):
            w.form(f"{c}_ors_{d}", c, "ors", d, ors(score), rater_role="citizen")
    w.flush()
    build(con, load_config(), as_of=date(2026, 3, 1))
    yield con
    con.close()


@pytest.fixture(scope="module")
def config():
    return load_config()


def write_deck(con, config, folder: Path, meeting: date = MEETING) -> Path:
    data = gather_citizen_pack(con, config, SERIES, meeting)
    spec = build_citizen_deck(data, options_from_config(config))
    return render_deck(spec, folder / f"{SERIES}_{meeting.isoformat()}.pptx")


def agreement_tables(path: Path):
    """(slide, table) of every agreement table in the deck, in slide order."""
    prs = Presentation(str(path))
    return prs, [(slide, shape.table) for slide in prs.slides for shape in slide.shapes
                 if shape.has_table and shape.table.cell(0, 1).text == "Det gør vi"]


def fill(table, row: int, text: str, owner: str, due: str, indicator: str = "",
         status: str = "") -> None:
    for col, value in zip(range(1, 6), (text, owner, due, indicator, status), strict=True):
        table.cell(row, col).text = value  # as a user types into the cell


def stored(con) -> list[tuple]:
    return con.execute(
        "select course_id, text, owner, follow_up_on, indicator, status from staging.agreements "
        "order by course_id, text").fetchall()


def test_the_deck_offers_an_editable_agreement_table_per_citizen(con, config, tmp_path):
    deck = write_deck(con, config, tmp_path)
    _prs, tables = agreement_tables(deck)
    assert len(tables) == 2  # one per citizen on the agenda
    slide, table = tables[0]
    assert [c.text for c in table.rows[0].cells] == [da for _i, da, _en in COLUMNS]
    assert len(table.rows) == 5  # header + 4 rows to write in
    assert table.cell(1, 0).text.startswith("P-") or table.cell(1, 0).text  # citizen named
    texts = " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
    assert f"Mødenøgle: {SERIES} · 2026-03-03 · forløb sp_0" in texts


def test_a_filled_deck_is_read_back_without_loss_and_shown_next_time(con, config, tmp_path):
    deck = write_deck(con, config, tmp_path)
    prs, tables = agreement_tables(deck)
    fill(tables[0][1], 1, "Ugentlig samtale om søvn; mor fører dagbog", "Bo Hansen",
         "10-03-2026", "ORS stiger mindst 5 point")
    fill(tables[0][1], 2, "Netværksmøde med mormor", "Cecilie Holm", "2026-04-01")
    fill(tables[1][1], 1, "Henvisning til sundhedsplejen", "Anne Leder", "01.03.2026",
         status="gennemført")
    returned = tmp_path / "inbox" / deck.name
    returned.parent.mkdir()
    prs.save(str(returned))
    result = store_returned_file(con, returned)
    assert (result.meeting_id, result.agreed_on, result.rows_in) == (SERIES, MEETING, 3)
    assert not result.problems
    assert stored(con) == [
        ("sp_0", "Netværksmøde med mormor", "Cecilie Holm", date(2026, 4, 1), None, "open"),
        ("sp_0", "Ugentlig samtale om søvn; mor fører dagbog", "Bo Hansen", date(2026, 3, 10),
         "ORS stiger mindst 5 point", "open"),
        ("sp_1", "Henvisning til sundhedsplejen", "Anne Leder", date(2026, 3, 1), None, "done"),
    ]
    lineage = con.execute("select distinct source_file, source_row from staging.agreements "
                          "where course_id = 'sp_1'").fetchall()
    assert lineage[0][0] == deck.name and lineage[0][1].endswith("række 1")
    build(con, config, as_of=date(2026, 3, 15))
    nxt = gather_citizen_pack(con, config, SERIES, NEXT_MEETING)
    first = next(c for c in nxt.citizens if c.course_id == "sp_0")
    assert [(a.text, a.status, a.is_overdue) for a in first.agreements] == [
        ("Ugentlig samtale om søvn; mor fører dagbog", "open", True),
        ("Netværksmøde med mormor", "open", False)]
    # the leader corrects one agreement and returns the deck again: replaced, not doubled
    fill(tables[0][1], 2, "Netværksmøde med mormor og moster", "Cecilie Holm", "2026-04-01")
    prs.save(str(returned))
    store_returned_file(con, returned)
    assert len(stored(con)) == 3
    build(con, config, as_of=date(2026, 3, 15))
    nxt = gather_citizen_pack(con, config, SERIES, NEXT_MEETING)
    spec = build_citizen_deck(nxt, options_from_config(config))
    assert "Netværksmøde med mormor og moster" in spec.all_text()
    assert "Netværksmøde med mormor\n" not in spec.all_text() + "\n"


def test_a_row_without_owner_or_date_is_refused_with_file_row_and_column(con, config,
                                                                          tmp_path):
    deck = write_deck(con, config, tmp_path)
    prs, tables = agreement_tables(deck)
    fill(tables[0][1], 1, "Samtale med skolen", "", "15-03-2026")
    fill(tables[0][1], 2, "Hjemmebesøg hver uge", "Bo Hansen", "")
    fill(tables[0][1], 3, "Ny plan", "Bo Hansen", "31-02-2026")
    fill(tables[1][1], 1, "Kontakt til egen læge", "Anne Leder", "20-03-2026")
    prs.save(str(deck))
    result = store_returned_file(con, deck)
    assert [(p.location.split(", ")[1], p.column, p.rule) for p in result.problems] == [
        ("række 1", "Hvem", "agreement_owner_missing"),
        ("række 2", "Senest", "agreement_date_missing"),
        ("række 3", "Senest", "agreement_date_invalid")]
    message = str(result.problems[0])
    assert deck.name in message and "dias" in message and "Hvem" in message
    assert [r[1] for r in stored(con)] == ["Kontakt til egen læge"]
    # rows in = accepted + quarantined
    n_quarantined = con.execute("select count(distinct row_no) from staging.quarantine "
                                "where canonical_table = 'agreements'").fetchone()[0]
    assert (result.rows_in, len(result.stored), n_quarantined) == (4, 1, 3)


def test_a_deck_without_its_meeting_key_is_refused_into_failed(con, config, tmp_path):
    deck = write_deck(con, config, tmp_path)
    prs, tables = agreement_tables(deck)
    fill(tables[0][1], 1, "Samtale", "Bo Hansen", "15-03-2026")
    for slide, _table in tables:
        for shape in list(slide.shapes):
            if shape.has_text_frame and "Mødenøgle" in shape.text_frame.text:
                shape._element.getparent().remove(shape._element)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    prs.save(str(inbox / deck.name))
    done, failed = read_inbox_agreements(con, inbox, tmp_path / "archive")
    assert done == [] and "mødenøgle" in failed[0] and deck.name in failed[0]
    failed_copy = inbox / "failed" / deck.name
    assert failed_copy.exists() and stored(con) == []
    error = (inbox / "failed" / (deck.name + ".error.txt")).read_text(encoding="utf-8")
    assert "dias" in error and "mødenøgle" in error
    with pytest.raises(AgreementFileError):
        store_returned_file(con, failed_copy)


def test_a_deck_saved_through_libreoffice_reads_back_the_same(con, config, tmp_path):
    deck = write_deck(con, config, tmp_path)
    prs, tables = agreement_tables(deck)
    fill(tables[0][1], 1, "Ugentlig samtale om søvn", "Bo Hansen", "10-03-2026", "ORS")
    fill(tables[1][1], 1, "Henvisning til sundhedsplejen", "Anne Leder", "01-03-2026",
         status="droppet")
    edited = tmp_path / "edited" / deck.name
    edited.parent.mkdir()
    prs.save(str(edited))
    out = tmp_path / "libreoffice"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "pptx", "--outdir", str(out), str(edited)],
                   check=True, capture_output=True, timeout=180)
    store_returned_file(con, out / deck.name)
    assert stored(con) == [
        ("sp_0", "Ugentlig samtale om søvn", "Bo Hansen", date(2026, 3, 10), "ORS", "open"),
        ("sp_1", "Henvisning til sundhedsplejen", "Anne Leder", date(2026, 3, 1), None,
         "dropped")]


def test_a_filled_register_is_read_back_and_a_bad_row_quarantined(con, tmp_path):
    key = MeetingKey(SERIES, MEETING, "sp_0")
    register = tmp_path / f"{SERIES}_{MEETING.isoformat()}_aftaler.xlsx"
    write_register(register, [
        RegisterRow(key, "P-abc123", "-5 min. skærm om aftenen", "Bo Hansen", date(2026, 3, 20),
                    "ORS", "gennemført"),
        RegisterRow(key, "P-abc123", "Ring til skolen", "", date(2026, 3, 20)),
        RegisterRow(MeetingKey(SERIES, MEETING, "sp_1"), "P-def456"),  # a row left empty
        RegisterRow(MeetingKey(SERIES, MEETING, "sp_1"), "P-def456", "Møde med 010190-1234",
                    "Anne Leder", date(2026, 4, 2), status="måske"),
    ])
    book = openpyxl.load_workbook(register)
    sheet = book[REGISTER_SHEET]
    assert sheet["E2"].value == "'-5 min. skærm om aftenen"  # written as text, not a formula
    result = store_returned_file(con, register)
    assert (result.rows_in, len(result.stored)) == (3, 1)
    assert [(p.location, p.column, p.rule) for p in result.problems] == [
        ("række 3", "Hvem", "agreement_owner_missing"),
        ("række 5", "Status", "agreement_status_unknown")]
    assert stored(con) == [("sp_0", "-5 min. skærm om aftenen", "Bo Hansen", date(2026, 3, 20),
                            "ORS", "done")]
    everything = con.execute("select * from staging.quarantine").fetchall()
    assert "010190-1234" not in repr(everything) + repr(con.execute(
        "select * from staging.agreements").fetchall())


def test_a_register_row_of_another_meeting_is_refused(con, tmp_path):
    register = tmp_path / "mixed_aftaler.xlsx"
    write_register(register, [
        RegisterRow(MeetingKey(SERIES, MEETING, "sp_0"), "", "A", "Bo", date(2026, 3, 20)),
        RegisterRow(MeetingKey(SERIES, NEXT_MEETING, "sp_0"), "", "B", "Bo", date(2026, 3, 30)),
    ])
    with pytest.raises(AgreementFileError, match="flere møder"):
        store_returned_file(con, register)
    assert stored(con) == []


def test_a_returned_file_changes_the_meeting_inputs_key(con, tmp_path):
    before, _cutoff = loaded_files(con)
    register = tmp_path / f"{SERIES}_{MEETING.isoformat()}_aftaler.xlsx"
    write_register(register, [RegisterRow(MeetingKey(SERIES, MEETING, "sp_0"), "",
                                          "Samtale", "Bo Hansen", date(2026, 3, 20))])
    store_returned_file(con, register)
    after, _cutoff = loaded_files(con)
    digest = hashlib.sha256(register.read_bytes()).hexdigest()
    assert after == before + [(f"agreements:{register.name}", digest)]


def test_the_register_beside_the_deck_filled_in_with_openpyxl(con, config, tmp_path):
    meeting = next(m for m in config.meetings if m.id == SERIES)
    stem = f"{SERIES}_{MEETING.isoformat()}"
    build_citizen_pack(DeckJob(con, config, meeting, MEETING, tmp_path, stem, []))
    register = tmp_path / f"{stem}_aftaler.xlsx"
    book = openpyxl.load_workbook(register)
    sheet = book[REGISTER_SHEET]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == ["Møde", "Mødedato", "Forløb", "Borger/tema", "Det gør vi", "Hvem",
                       "Senest", "Sådan ser vi det i data", "Status"]
    assert [(r[0], r[1].date(), r[2]) for r in rows[1:]] == [
        (SERIES, MEETING, "sp_0"), (SERIES, MEETING, "sp_1")]
    sheet["E2"], sheet["F2"], sheet["G2"] = "Fælles mål for søvn", "Bo Hansen", "17-03-2026"
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    book.save(inbox / register.name)
    done, failed = read_inbox_agreements(con, inbox, tmp_path / "archive")
    assert failed == [] and [(r.rows_in, len(r.stored)) for r in done] == [(1, 1)]
    assert stored(con) == [("sp_0", "Fælles mål for søvn", "Bo Hansen", date(2026, 3, 17),
                            None, "open")]
    assert (tmp_path / "archive" / "agreements" / register.name).exists()
    # returned again, corrected: stored again, and archived beside the first, not over it
    first = (tmp_path / "archive" / "agreements" / register.name).read_bytes()
    sheet["I2"] = "gennemført"
    book.save(inbox / register.name)
    done, failed = read_inbox_agreements(con, inbox, tmp_path / "archive")
    assert failed == [] and stored(con)[0][-1] == "done"
    again = tmp_path / "archive" / "agreements" / f"{register.stem}.1{register.suffix}"
    assert (tmp_path / "archive" / "agreements" / register.name).read_bytes() == first
    assert again.exists() and again.read_bytes() != first
    with (tmp_path / "archive" / "checksums.csv").open(encoding="utf-8") as ledger:
        lines = [line.rstrip("\n").split(",") for line in ledger]
    assert [(r[0], r[2], r[3]) for r in lines[1:]] == [(register.name, "", "agreements")] * 2
    assert [r[1] for r in lines[1:]] == [hashlib.sha256(first).hexdigest(),
                                         hashlib.sha256(again.read_bytes()).hexdigest()]


def test_an_unfilled_deck_returned_changes_nothing(con, config, tmp_path):
    """The deck sent back as it came (no row filled in) used to clear the meeting's
    stored agreements; it now keeps them and says so."""
    deck = write_deck(con, config, tmp_path)
    prs, tables = agreement_tables(deck)
    fill(tables[0][1], 1, "Samtale om søvn", "Bo Hansen", "10-03-2026")
    filled = tmp_path / "filled" / deck.name
    filled.parent.mkdir()
    prs.save(str(filled))
    store_returned_file(con, filled)
    before = stored(con)
    assert len(before) == 1
    result = store_returned_file(con, deck)  # the outbox copy, untouched
    assert (result.rows_in, result.stored, result.kept) == (0, [], 1)
    assert stored(con) == before


def test_a_deck_and_a_register_of_one_meeting_keep_each_others_courses(con, config,
                                                                       tmp_path):
    """Both files back: the register replaces only the courses it has rows for (and says
    whose agreements it replaced); the deck's other course keeps its agreement."""
    deck = write_deck(con, config, tmp_path)
    prs, tables = agreement_tables(deck)
    fill(tables[0][1], 1, "Samtale om søvn", "Bo Hansen", "10-03-2026", status="gennemført")
    fill(tables[1][1], 1, "Henvisning til sundhedsplejen", "Anne Leder", "20-03-2026")
    returned = tmp_path / "inbox" / deck.name
    returned.parent.mkdir()
    prs.save(str(returned))
    store_returned_file(con, returned)
    register = tmp_path / f"{SERIES}_{MEETING.isoformat()}_aftaler.xlsx"
    write_register(register, [RegisterRow(MeetingKey(SERIES, MEETING, "sp_0"), "",
                                          "Samtale om søvn", "Bo Hansen", date(2026, 3, 10),
                                          status="droppet")])
    result = store_returned_file(con, register)
    assert result.replaced == {deck.name: 1}
    assert stored(con) == [
        ("sp_0", "Samtale om søvn", "Bo Hansen", date(2026, 3, 10), None, "dropped"),
        ("sp_1", "Henvisning til sundhedsplejen", "Anne Leder", date(2026, 3, 20), None,
         "open")]


def test_a_register_with_an_edited_heading_is_refused_not_read_as_open(con, tmp_path):
    """'Status' renamed: the column would be left out and every status read as open."""
    register = tmp_path / f"{SERIES}_{MEETING.isoformat()}_aftaler.xlsx"
    write_register(register, [RegisterRow(MeetingKey(SERIES, MEETING, "sp_0"), "",
                                          "Samtale", "Bo Hansen", date(2026, 3, 20),
                                          status="gennemført")])
    book = openpyxl.load_workbook(register)
    sheet = book[REGISTER_SHEET]
    assert sheet["I1"].value == "Status"
    sheet["I1"] = "Status (åben/gennemført/droppet)"
    book.save(register)
    with pytest.raises(AgreementFileError) as caught:
        store_returned_file(con, register)
    assert str(caught.value) == (
        f"{register.name}, række 1: aftaletabellens overskrifter er ændret (ukendte "
        "overskrifter 'Status (åben/gennemført/droppet)'; mangler 'Status'); skriv "
        "overskrifterne som i den tomme tabel ('Møde', 'Mødedato', 'Forløb', 'Borger/tema', "
        "'Det gør vi', 'Hvem', 'Senest', 'Sådan ser vi det i data', 'Status') og send filen "
        "igen")
    assert stored(con) == []


def test_a_register_row_whose_course_is_a_cpr_number_is_quarantined(con, tmp_path):
    """The Forløb cell typed by hand with a CPR number: masked before anything is stored,
    and the row quarantined (no course is named so)."""
    register = tmp_path / f"{SERIES}_{MEETING.isoformat()}_aftaler.xlsx"
    write_register(register, [
        RegisterRow(MeetingKey(SERIES, MEETING, "sp_0"), "", "Samtale", "Bo", date(2026, 3, 20)),
        RegisterRow(MeetingKey(SERIES, MEETING, "0101901234"), "", "CPR", "Bo",
                    date(2026, 3, 20)),
    ])
    result = store_returned_file(con, register)
    assert (result.rows_in, len(result.stored)) == (2, 1)
    assert [(p.location, p.column, p.rule, p.value) for p in result.problems] == [
        ("række 3", "Forløb", "agreement_course_cpr", "[CPR]")]
    assert [r[:2] for r in stored(con)] == [("sp_0", "Samtale")]
    everything = repr(con.execute("select * from staging.quarantine").fetchall()) + repr(
        con.execute("select * from staging.agreements").fetchall())
    assert "0101901234" not in everything


def test_a_cpr_number_typed_as_a_number_is_masked_too(con, tmp_path):
    """Borger/tema holding 0101901234 typed into a number cell: the spreadsheet keeps
    101901234 (no leading zero), which is masked as the ten digits it stands for."""
    register = tmp_path / f"{SERIES}_{MEETING.isoformat()}_aftaler.xlsx"
    write_register(register, [RegisterRow(MeetingKey(SERIES, MEETING, "sp_0"), "",
                                          "Samtale", "Bo Hansen", date(2026, 3, 20))])
    book = openpyxl.load_workbook(register)
    sheet = book[REGISTER_SHEET]
    assert sheet["D1"].value == "Borger/tema"
    sheet["D2"] = 101901234  # a number cell
    sheet["H2"] = 123456789  # a number that is no CPR number stays as it is
    book.save(register)
    store_returned_file(con, register)
    assert con.execute("select subject, indicator from staging.agreements").fetchall() == [
        ("[CPR]", "123456789")]


def key_rules(problems) -> list[tuple[str, str, str, str]]:
    return [(p.location, p.column, p.rule, p.value) for p in problems]


def test_a_register_of_a_series_the_config_lacks_is_refused_row_by_row(con, config,
                                                                        tmp_path):
    """Møde names no series of the config: no deck would ever show the agreements, so
    every row is quarantined (rule agreement_meeting_unknown), naming file, row, column."""
    register = tmp_path / "nosuch_aftaler.xlsx"
    write_register(register, [RegisterRow(MeetingKey("nosuch_series", MEETING, "sp_0"), "",
                                          "Samtale", "Bo", date(2026, 3, 20))])
    result = store_returned_file(con, register, config, meeting_days)
    assert (result.rows_in, len(result.stored)) == (1, 0)
    assert key_rules(result.problems) == [
        ("række 2", "Møde", "agreement_meeting_unknown", "nosuch_series")]
    assert "mødeserien 'nosuch_series' findes ikke" in str(result.problems[0])
    assert stored(con) == []


def test_a_register_dated_on_no_meeting_day_is_refused_with_the_nearest_meetings(
        con, config, tmp_path):
    """Mødedato a day after the meeting: refused (agreement_meeting_date) with the
    series' meetings around it; the real meeting's agreements stay the last meeting's on
    "since last time", and the refused row is listed under it. Returned again under the
    same name with the date fixed, the refusal goes."""
    good = tmp_path / f"{SERIES}_{MEETING.isoformat()}_aftaler.xlsx"
    write_register(good, [RegisterRow(MeetingKey(SERIES, MEETING, "sp_0"), "", "Rigtig",
                                      "Bo", date(2026, 3, 20))])
    store_returned_file(con, good, config, meeting_days)
    stray_day = date(2026, 3, 4)
    assert not meeting_days(next(m for m in config.meetings if m.id == SERIES),
                            stray_day)[0]
    stray = tmp_path / "ekstra_aftaler.xlsx"
    write_register(stray, [RegisterRow(MeetingKey(SERIES, stray_day, "sp_1"), "", "Forkert",
                                       "Bo", date(2026, 3, 20))])
    result = store_returned_file(con, stray, config, meeting_days)
    assert key_rules(result.problems) == [
        ("række 2", "Mødedato", "agreement_meeting_date", "2026-03-04")]
    assert "nærmeste møder: 03.03.2026 og 17.03.2026" in str(result.problems[0])
    assert [r[1] for r in stored(con)] == ["Rigtig"]
    build(con, config, as_of=date(2026, 3, 15))
    nxt = gather_citizen_pack(con, config, SERIES, NEXT_MEETING, last_meeting=MEETING)
    assert [s.text for s in nxt.since_last] == ["Rigtig"]
    assert [r.file_name for r in nxt.refused] == ["ekstra_aftaler.xlsx"]
    # the date fixed, the same file back: stored, and its refused row gone
    write_register(stray, [RegisterRow(MeetingKey(SERIES, MEETING, "sp_1"), "", "Forkert",
                                       "Bo", date(2026, 3, 20))])
    result = store_returned_file(con, stray, config, meeting_days)
    assert result.problems == [] and len(result.stored) == 1
    assert con.execute("select count(*) from staging.quarantine "
                       "where canonical_table = 'agreements'").fetchone() == (0,)


def test_since_last_time_is_the_calendar_s_last_meeting_not_the_latest_date(con, config,
                                                                           tmp_path):
    """Agreements stored under a date after the last meeting (before dates were checked)
    do not take its place on "since last time"."""
    good = tmp_path / f"{SERIES}_{MEETING.isoformat()}_aftaler.xlsx"
    write_register(good, [RegisterRow(MeetingKey(SERIES, MEETING, "sp_0"), "", "Rigtig",
                                      "Bo", date(2026, 3, 20))])
    stray = tmp_path / "ekstra_aftaler.xlsx"
    write_register(stray, [RegisterRow(MeetingKey(SERIES, date(2026, 3, 4), "sp_1"), "",
                                       "Forkert", "Bo", date(2026, 3, 20))])
    store_returned_file(con, good)
    store_returned_file(con, stray)  # no calendar given: stored as before the check
    build(con, config, as_of=date(2026, 3, 15))
    nxt = gather_citizen_pack(con, config, SERIES, NEXT_MEETING, last_meeting=MEETING)
    assert [s.text for s in nxt.since_last] == ["Rigtig"]


def test_a_register_row_about_a_course_not_staged_is_quarantined(con, tmp_path):
    register = tmp_path / f"{SERIES}_{MEETING.isoformat()}_aftaler.xlsx"
    write_register(register, [
        RegisterRow(MeetingKey(SERIES, MEETING, "sp_0"), "", "Samtale", "Bo", date(2026, 3, 20)),
        RegisterRow(MeetingKey(SERIES, MEETING, "F9999999"), "", "X", "Bo", date(2026, 3, 20)),
    ])
    result = store_returned_file(con, register)
    assert key_rules(result.problems) == [
        ("række 3", "Forløb", "agreement_course_unknown", "F9999999")]
    assert [r[:2] for r in stored(con)] == [("sp_0", "Samtale")]


def test_a_cpr_number_in_a_returned_file_s_name_is_masked_everywhere(con, config, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    name = f"{SERIES}_{MEETING.isoformat()}_0102031234_aftaler.xlsx"
    write_register(inbox / name, [
        RegisterRow(MeetingKey(SERIES, MEETING, "sp_0"), "", "Samtale", "Bo", date(2026, 3, 20)),
        RegisterRow(MeetingKey(SERIES, MEETING, "sp_1"), "", "Uden ejer", "", date(2026, 3, 20)),
    ])
    (inbox / "0102031234.pptx").write_bytes(b"no deck")
    archive = tmp_path / "archive"
    done, failed = read_inbox_agreements(con, inbox, archive, config, meeting_days)
    masked = f"{SERIES}_{MEETING.isoformat()}_[CPR]_aftaler.xlsx"
    assert [r.file_name for r in done] == [masked]
    assert "0102031234" not in repr(failed) + repr(done)
    assert con.execute("select distinct source_file from staging.agreements").fetchall() == [
        (masked,)]
    assert con.execute("select distinct file_name from staging.quarantine").fetchall() == [
        (masked,)]
    assert (archive / "agreements" / masked).exists()
    assert (inbox / "failed" / "[CPR].pptx").exists()
    everything = [p.name for p in tmp_path.rglob("*")] + [
        (archive / "checksums.csv").read_text(encoding="utf-8")]
    assert not any("0102031234" in text for text in everything)
