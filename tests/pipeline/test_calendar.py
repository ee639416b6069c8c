"""Deck-run schedules: meeting time minus lead days, in Europe/Copenhagen, as Prefect
reads them; the meetings listing."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from datadialog.config_load import load_config
from datadialog.config_model import MeetingSeries
from flows.schedule import Paths, deck_runs, meeting_deployments
from pipeline.calendar import (
    deck_run_rule,
    meeting_for_run,
    meeting_times,
    shifted_rule_parts,
    upcoming_meetings,
)

CPH = ZoneInfo("Europe/Copenhagen")
TZ = "Europe/Copenhagen"


@pytest.fixture(scope="module")
def config():
    return load_config()


def series(config, meeting_id: str) -> MeetingSeries:
    return next(m for m in config.meetings if m.id == meeting_id)


def local(*args) -> datetime:
    return datetime(*args, tzinfo=CPH)


def runs_between(config, meeting_id, start, end) -> list[str]:
    rule = deck_run_rule(series(config, meeting_id), TZ, today=date(2026, 11, 23))
    return [d.astimezone(CPH).strftime("%a %Y-%m-%d %H:%M") for d in
            deck_runs(rule, start, end)]


def test_quarterly_runs_over_a_year(config) -> None:
    # 2nd Tuesday of Jan/Apr/Jul/Oct 2026 is 13.1, 14.4, 14.7, 13.10; five days earlier
    assert runs_between(config, "indsats_ungepraktik", local(2026, 1, 1), local(2027, 1, 1)) == [
        "Thu 2026-01-08 12:00", "Thu 2026-04-09 12:00", "Thu 2026-07-09 12:00",
        "Thu 2026-10-08 12:00"]
    # 3rd Tuesday: 20.1, 21.4, 21.7, 20.10
    assert runs_between(config, "indsats_voksenstoette", local(2026, 1, 1),
                        local(2027, 1, 1)) == [
        "Thu 2026-01-15 12:00", "Thu 2026-04-16 12:00", "Thu 2026-07-16 12:00",
        "Thu 2026-10-15 12:00"]
    # leaders: the 15th of Feb/May/Aug/Nov, seven days earlier
    assert runs_between(config, "ledelse_kvartal", local(2026, 1, 1), local(2027, 1, 1)) == [
        "Sun 2026-02-08 10:00", "Fri 2026-05-08 10:00", "Sat 2026-08-08 10:00",
        "Sun 2026-11-08 10:00"]


def test_one_quarter_moves_every_series_on(config) -> None:
    """Over Q3 2026 each quarterly series has one deck run, each biweekly one seven."""
    start, end = local(2026, 7, 1), local(2026, 9, 30, 23, 59)
    counts = {m.id: len(runs_between(config, m.id, start, end)) for m in config.meetings}
    assert counts == {"borger_familie_nord": 7, "borger_unge_syd": 7, "borger_voksen_oest": 7,
                      "indsats_ungepraktik": 1, "indsats_voksenstoette": 1,
                      "ledelse_kvartal": 1}


def test_every_run_is_its_meeting_minus_lead_days(config) -> None:
    start, end = date(2026, 1, 1), date(2027, 12, 31)
    for m in config.meetings:
        meetings = meeting_times(m, start, end, TZ)
        rule = deck_run_rule(m, TZ, today=date(2026, 1, 1))
        assert rule.exact, m.id
        runs = deck_runs(rule, local(2025, 12, 1), local(2027, 12, 31))
        runs = [r for r in runs if r.date() < date(2027, 12, 31) - timedelta(days=m.lead_days)]
        assert len(runs) == len(meetings) > 0, m.id
        for run, meeting in zip(runs, meetings, strict=True):
            run_local = run.astimezone(CPH)
            assert (meeting.date() - run_local.date()).days == m.lead_days
            assert run_local.time() == meeting.time()


def test_same_local_time_across_daylight_saving(config) -> None:
    runs = runs_between(config, "borger_familie_nord", local(2026, 3, 1), local(2026, 4, 10))
    # summer time starts on Sunday 29 March 2026 at 02:00
    assert runs == ["Sun 2026-03-01 09:00", "Sun 2026-03-15 09:00", "Sun 2026-03-29 09:00"]
    rule = deck_run_rule(series(config, "borger_familie_nord"), TZ)
    utc = [d.astimezone(ZoneInfo("UTC")).hour for d in
           deck_runs(rule, local(2026, 3, 10), local(2026, 4, 10))]
    assert utc == [8, 7]  # 09:00 CET, then 09:00 CEST


def test_monthly_rule_is_rewritten_as_a_day_window(config) -> None:
    parts = shifted_rule_parts(series(config, "indsats_ungepraktik"))
    assert parts == {"FREQ": "MONTHLY", "BYMONTH": "1,4,7,10", "BYDAY": "TH",
                     "BYMONTHDAY": "3,4,5,6,7,8,9"}
    weekly = shifted_rule_parts(series(config, "borger_unge_syd"))
    assert weekly == {"FREQ": "WEEKLY", "INTERVAL": "2", "BYDAY": "MO", "WKST": "SA"}


def test_rule_crossing_a_month_falls_back_to_dates() -> None:
    first_of_month = MeetingSeries(id="x", level="organisation", rrule="FREQ=MONTHLY;BYMONTHDAY=1",
                                   starts=date(2027, 1, 1), time="09:00", lead_days=2)
    rule = deck_run_rule(first_of_month, TZ, today=date(2026, 12, 1))
    assert not rule.exact
    assert rule.text.startswith("RDATE:20261230T090000,20270130T090000,20270227T090000,")
    runs = deck_runs(rule, local(2026, 12, 1), local(2027, 4, 1))
    assert [d.strftime("%Y-%m-%d %H:%M") for d in runs] == [
        "2026-12-30 09:00", "2027-01-30 09:00", "2027-02-27 09:00", "2027-03-30 09:00"]
    assert rule.horizon_end is not None and rule.horizon_end.year == 2028


def test_which_meeting_a_run_prepares(config) -> None:
    quarterly = series(config, "indsats_ungepraktik")
    assert meeting_for_run(quarterly, local(2026, 7, 9, 12), TZ) == date(2026, 7, 14)
    assert meeting_for_run(quarterly, local(2026, 7, 9, 15, 30), TZ) == date(2026, 7, 14)
    assert meeting_for_run(quarterly, local(2026, 7, 1, 8), TZ) == date(2026, 7, 14)
    biweekly = series(config, "borger_unge_syd")
    utc_run = datetime(2026, 7, 6, 11, 0, tzinfo=ZoneInfo("UTC"))  # 13:00 in Copenhagen
    assert meeting_for_run(biweekly, utc_run, TZ) == date(2026, 7, 8)


def test_upcoming_meetings_and_the_listing(config, tmp_path) -> None:
    found = upcoming_meetings(config, date(2026, 6, 20), date(2026, 8, 1))
    # three biweekly series x 3 meetings (23-25.6, 7-9.7, 21-23.7) + two quarterly (14.7, 21.7)
    assert len(found) == 11
    assert [u.meeting.id for u in found if u.meeting.level == "intervention"] == [
        "indsats_ungepraktik", "indsats_voksenstoette"]
    from cli.app import app

    result = CliRunner().invoke(app, ["meetings", "--as-of", "2026-06-20", "--weeks", "6",
                                      "--outbox", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "11 meetings in 6 weeks" in result.output
    assert "indsats_ungepraktik" in result.output and "scheduled" in result.output


def test_one_deployment_per_series(config, tmp_path) -> None:

    paths = Paths.resolve(None, tmp_path / "db.duckdb", tmp_path / "outbox", tmp_path / "inbox",
                          tmp_path / "archive")
    deployments, rules = meeting_deployments(config, paths, today=date(2026, 11, 23))
    assert [d.name for d in deployments] == [f"meeting-{m.id}" for m in config.meetings]
    quarterly = deployments[3]
    assert quarterly.entrypoint == "flows.meeting.meeting_flow"
    assert quarterly.parameters == {
        "meeting_id": "indsats_ungepraktik", "config_dir": paths.config_dir,
        "db_path": str(tmp_path / "db.duckdb"), "outbox_dir": str(tmp_path / "outbox"),
        "inbox": str(tmp_path / "inbox"), "archive": str(tmp_path / "archive"), "pdf": False}
    [schedule] = quarterly.schedules
    assert schedule.schedule.timezone == "Europe/Copenhagen"
    assert schedule.schedule.rrule == rules[3].text == (
        "DTSTART:20260108T120000\n"
        "RRULE:FREQ=MONTHLY;BYDAY=TH;BYMONTH=1,4,7,10;BYMONTHDAY=3,4,5,6,7,8,9")
    with pytest.raises(KeyError, match="no meeting series nope"):
        meeting_deployments(config, paths, only=["nope"])
