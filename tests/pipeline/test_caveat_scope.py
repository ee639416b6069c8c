"""A citizen pack's caveats concern the citizens on its agenda and its team (#14).

Before: the late team's citizen pack listed every defect of the team's courses (76
registrations outside a course, none of them on the agenda) and never said that the team
measured on time 12 % of the time. Now course-level warnings are counted on the agenda's
courses only, and the team's own timeliness rate is on the slide. The expected numbers
are counted here straight from ``quality.failures`` and ``quality.metrics``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pptx import Presentation

from datadialog.db import connect
from outputs.gather import gather_citizen_pack

QUALITY_TITLE = "Datakvalitet: det skal vi tage forbehold for"


def _citizen_result(small_demo, team: str):
    meeting = next(m for m in small_demo.config.meetings
                   if m.level == "citizen" and m.team == team)
    return meeting, next(r for r in small_demo.results if r.meeting_id == meeting.id)


def _caveat_bullets(pptx: Path) -> list[str]:
    for slide in Presentation(str(pptx)).slides:
        texts = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
        if any(QUALITY_TITLE in t for t in texts):
            return [line for t in texts if QUALITY_TITLE not in t for line in t.split("\n")
                    if line.strip()]
    return []


@pytest.fixture(scope="module")
def late_team(small_demo):
    meeting, result = _citizen_result(small_demo, "unge_syd")
    con = connect(small_demo.db, read_only=True)
    try:
        data = gather_citizen_pack(con, small_demo.config, meeting.id, result.meeting_date)
        agenda = [c.course_id for c in data.citizens]
        run_id = result.quality.run_id
        counts = con.execute(
            "select rule_id, count(*) filter (where list_contains($2, course_id)), count(*) "
            "from quality.failures where run_id = $1 and severity <> 'info' "
            "and course_id is not null and team_id = 'unge_syd' group by rule_id",
            [run_id, agenda]).fetchall()
        per_rule = {r[0]: (r[1], r[2]) for r in counts}
        on_time = con.execute(
            "select value from quality.metrics where run_id = $1 and metric_id = 'timeliness' "
            "and group_kind = 'team' and group_id = 'unge_syd'", [run_id]).fetchone()[0]
    finally:
        con.close()
    deck = Path(result.folder) / result.decks[0].file
    bullets = _caveat_bullets(deck)
    # the manifest (and the mail made from it) lists the caveats the deck shows
    assert sorted(result.decks[0].caveats) == sorted(bullets)
    return agenda, per_rule, on_time, bullets


def test_course_caveats_count_only_the_agendas_courses(late_team) -> None:
    agenda, per_rule, _, bullets = late_team
    assert agenda, "the late team has citizens on its agenda"
    # rules whose figures are the citizen pack's (checks/sql/<rule>.sql "figures:")
    phrases = {"event_outside_course": "registreringer ligger uden for forløbets datoer",
               "implausible_jump": "springer usandsynligt meget"}
    n_agenda, n_team = per_rule["event_outside_course"]
    assert n_team > n_agenda, "the demo's team has outside-course rows off the agenda"
    for rule_id, phrase in phrases.items():
        shown = [b for b in bullets if phrase in b]
        n_agenda, _ = per_rule.get(rule_id, (0, 0))
        if n_agenda == 0:
            assert not shown, (rule_id, shown)  # other citizens' defects are not listed
        else:
            assert [int(re.match(r"(\d+)", b).group(1)) for b in shown] == [n_agenda]


def test_the_late_teams_own_timeliness_is_on_its_citizen_pack(late_team) -> None:
    _, _, on_time, bullets = late_team
    expected = (f"Kun {round(100 * on_time)} % af målingerne i alt (alle perioder) er taget "
                "til tiden (mål: 75 %).")
    assert expected in bullets, bullets


def _footnote_items(pptx: Path) -> list[str]:
    items = []
    for slide in Presentation(str(pptx)).slides:
        for shape in slide.shapes:
            if shape.has_text_frame and "markeret i datatjekket:" in shape.text_frame.text:
                note = shape.text_frame.text.split("markeret i datatjekket:", 1)[1]
                items += [i.strip() for i in note.split(";") if i.strip()]
    return items


@pytest.mark.parametrize("team", ["familie_nord", "unge_syd", "voksen_oest"])
def test_every_flagged_measurement_on_the_agenda_is_marked_on_its_chart(small_demo, team):
    meeting, result = _citizen_result(small_demo, team)
    con = connect(small_demo.db, read_only=True)
    try:
        data = gather_citizen_pack(con, small_demo.config, meeting.id, result.meeting_date)
        agenda = [c.course_id for c in data.citizens]
        # scored total points of the agenda whose form the run flagged (not for timing)
        expected = con.execute(
            "select count(distinct p.form_id) from mart_citizen_progression p "
            "join quality.failures f on f.form_id = p.form_id and f.run_id = $1 "
            "where list_contains($2, p.course_id) and p.scale_id = 'total' "
            "and p.score is not null and f.severity in ('error', 'warning') "
            "and f.rule_id not in ('late_measurement', 'early_measurement')",
            [result.quality.run_id, agenda]).fetchone()[0]
    finally:
        con.close()
    items = _footnote_items(Path(result.folder) / result.decks[0].file)
    if team == "familie_nord":
        assert expected > 0, "the small demo plants flagged measurements on this agenda"
    assert len(items) == expected, items
    assert all(re.match(r"\d\d\.\d\d\.\d\d: .+ \((fejl|advarsel)\)", i) for i in items), items


def test_a_deck_reads_the_run_that_covers_its_scope_not_the_newest(small_demo, tmp_path):
    """After ``check --scope team:unge_syd`` the leaders' badge showed unge_syd's rates as
    the organisation's, and familie_nord's points lost their flags: every deck now reads
    the newest run that covers its scope (the run its gate is decided by)."""
    import shutil

    from checks.run import latest_run_id, run_checks
    from checks.settings import CheckSettings
    from checks.site_data import scope_badge_rates
    from outputs.gather import query
    from pipeline.decks import DeckJob, deck_badge, quality_run_of

    config = small_demo.config
    db = tmp_path / "copy.duckdb"
    shutil.copyfile(small_demo.db, db)
    con = connect(db)
    try:
        organisation = latest_run_id(con)
        team_run = run_checks(con, config, scope_kind="team", scope_id="unge_syd",
                              settings=CheckSettings.from_config(config, errors_block=False))
        meetings = {m.id: m for m in config.meetings}

        def job(meeting_id: str) -> DeckJob:
            return DeckJob(con, config, meetings[meeting_id], small_demo.results[0].meeting_date,
                           Path("."), meeting_id, [])

        leaders, nord, syd = (job("ledelse_kvartal"), job("borger_familie_nord"),
                              job("borger_unge_syd"))
        assert [quality_run_of(j) for j in (leaders, nord, syd)] == [
            organisation, organisation, team_run.run_id]
        whole = scope_badge_rates(con, organisation, ("organisation", None))
        one_team = scope_badge_rates(con, team_run.run_id, ("organisation", None))
        assert whole.timeliness != one_team.timeliness  # the two runs tell them apart
        badge = deck_badge(leaders)
        assert (badge.completeness, badge.timeliness) == (whole.completeness,
                                                          whole.timeliness)
        # familie_nord's flagged forms keep their flags: the team run never saw them
        nord_forms = [r[0] for r in con.execute(
            "select distinct course_id from quality.failures where run_id = ? and form_id "
            "is not null and severity in ('error', 'warning') and rule_id not in "
            "('late_measurement', 'early_measurement') and course_id in (select course_id "
            "from mart_citizen_events where team_id = 'familie_nord')", [organisation]
        ).fetchall()]
        assert nord_forms
        flags = query(con, "citizen_point_flags", course_ids=nord_forms,
                      run_id=quality_run_of(nord))
        assert {f["course_id"] for f in flags} == set(nord_forms)
        assert query(con, "citizen_point_flags", course_ids=nord_forms,
                     run_id=team_run.run_id) == []
        # the data steward's site shows the whole organisation: the organisation's run
        from pipeline.site import site_data
        site = site_data(con, config, "da", tmp_path / "site" / "da", tmp_path / "outbox")
        assert site.run_id == organisation
        # a gate decided elsewhere names its run, and the deck reads that one
        leaders.quality_run_id = team_run.run_id
        assert quality_run_of(leaders) == team_run.run_id
    finally:
        con.close()
