"""The dates a pack closes the loop with: the series' previous meeting and the two data
cut-offs (meeting day minus lead_days), and the meeting number the agenda rotates by."""

from __future__ import annotations

from datetime import date

from datadialog.config_load import load_config
from pipeline.decks import DeckJob, earlier_meetings, loop_dates
from pipeline.demo_run import earlier_meetings as demo_earlier


def job(meeting_id: str, day: date) -> DeckJob:
    config = load_config()
    meeting = next(m for m in config.meetings if m.id == meeting_id)
    return DeckJob(None, config, meeting, day, folder=None, stem="", caveats=[])


def test_citizen_series_fortnightly() -> None:
    j = job("borger_familie_nord", date(2026, 11, 10))
    # Tuesdays every two weeks from 6 January 2026: 308 days / 14 = 22 meetings before 10 Nov
    assert len(earlier_meetings(j.config, j.meeting, j.meeting_date)) == 22
    assert loop_dates(j) == {"last_meeting": date(2026, 10, 27),
                             "last_cutoff": date(2026, 10, 25), "cutoff": date(2026, 11, 8)}


def test_the_first_meeting_has_no_last_time() -> None:
    j = job("borger_familie_nord", date(2026, 1, 6))
    assert loop_dates(j) == {"last_meeting": None, "last_cutoff": None,
                             "cutoff": date(2026, 1, 4)}


def test_intervention_series_quarterly_and_the_demo_returns() -> None:
    j = job("indsats_ungepraktik", date(2026, 10, 13))
    assert loop_dates(j)["last_meeting"] == date(2026, 7, 14)
    assert loop_dates(j)["last_cutoff"] == date(2026, 7, 9)  # lead_days 5
    returned = {(r.meeting_id, r.meeting_date) for r in demo_earlier(j.config,
                                                                      date(2026, 10, 31))}
    assert ("indsats_ungepraktik", date(2026, 7, 14)) in returned
    assert {("borger_familie_nord", date(2026, 10, 13)),
            ("borger_familie_nord", date(2026, 10, 27))} <= returned
    assert not any(m.startswith("ledelse") for m, _d in returned)
