""""What changed since last time" runs to the data's as-of date at the latest: a form
dated after it is a date error (rule measurement_in_future), not news."""

from __future__ import annotations

import shutil
from datetime import date, timedelta

from datadialog.db import connect
from outputs.gather import gather_citizen_pack
from pipeline.decks import DeckJob, loop_dates
from tests.pipeline.conftest import SMALL_DEMO_AS_OF


def test_a_form_dated_after_the_as_of_date_is_not_counted_as_a_change(small_demo,
                                                                      tmp_path) -> None:
    config = small_demo.config
    meeting = next(m for m in config.meetings if m.id == "borger_familie_nord")
    db = tmp_path / "future.duckdb"
    shutil.copy(small_demo.db, db)
    con = connect(db)
    try:
        # a form of the team dated three days after the as-of date (as the demo plants
        # for some team: a typing error in the date)
        con.execute(
            "insert into mart_citizen_events select course_id, citizen_id, intervention_id, "
            "team_id, ?::date, event_kind, 'future-form' from mart_citizen_events "
            "where team_id = ? and intervention_id = ? and event_kind = 'measurement' "
            "limit 1", [SMALL_DEMO_AS_OF + timedelta(days=3), meeting.team,
                        meeting.intervention])
        day = date(2026, 11, 10)  # a meeting of the series; the one before: 27 October
        dates = loop_dates(DeckJob(con, config, meeting, day, None, "", []))
        assert dates["cutoff"] == SMALL_DEMO_AS_OF  # not the meeting minus lead_days
        assert loop_dates(DeckJob(None, config, meeting, day, None, "", []))["cutoff"] == (
            day - timedelta(days=meeting.lead_days))
        data = gather_citizen_pack(con, config, meeting.id, day, **dates)
        assert data.changes.until == SMALL_DEMO_AS_OF
        new = con.execute(
            "select count(*) filter (where event_on <= ?), count(*) from mart_citizen_events "
            "where team_id = ? and intervention_id = ? and event_kind = 'measurement' "
            "and event_on > ?", [SMALL_DEMO_AS_OF, meeting.team, meeting.intervention,
                                 dates["last_cutoff"]]).fetchone()
        up_to_as_of, with_future = new
        assert with_future > up_to_as_of  # the planted form and the one above
        assert data.changes.counts["measurement"] == up_to_as_of
    finally:
        con.close()


def test_with_no_new_data_the_period_is_empty_not_reversed(small_demo) -> None:
    config = small_demo.config
    con = connect(small_demo.db, read_only=True)
    try:
        meeting = next(m for m in config.meetings if m.level == "citizen")
        # a meeting a year on: the last cut-off is long after the data's as-of date
        day = date(2027, 11, 30)
        dates = loop_dates(DeckJob(con, config, meeting, day, None, "", []))
        assert dates["last_cutoff"] > SMALL_DEMO_AS_OF
        assert dates["cutoff"] == dates["last_cutoff"]
    finally:
        con.close()
