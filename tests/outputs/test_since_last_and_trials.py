""""Since last time" words and the improvement trials' run charts, on hand-made numbers."""

from __future__ import annotations

from datetime import date

from outputs.common import ScaleInfo
from outputs.since_last import (
    ChangeSummary,
    Reading,
    change_counts,
    changes_slide,
    data_since,
    status_text,
)
from outputs.trials import MonthMean, TrialRun, run_chart, trial_title

ORS = Reading("ORS", "higher_is_better", 5.0, [(date(2026, 1, 5), 18.0), (date(2026, 2, 2), 21.0),
                                                (date(2026, 3, 2), 26.4)])
YLS = Reading("YLS/CMI", "higher_is_worse", None, [(date(2026, 6, 1), 14.64),
                                                    (date(2026, 8, 1), 15.36)],
              is_group_mean=True)


def test_data_since_compares_the_score_before_with_the_latest_after() -> None:
    # agreed 10 Jan: last before is 18 (5 Jan), latest after 26.4: +8.4 >= 5 points
    assert data_since("ORS stiger", [ORS], date(2026, 1, 10), "da") == (
        "ORS 18,0 → 26,4 (+8,4): pålideligt bedre")
    # agreed after the last score: nothing new yet
    assert data_since("ors", [ORS], date(2026, 3, 5), "da") == "ORS: ingen ny måling endnu"
    assert data_since("Samtale om søvn", [ORS], date(2026, 1, 10), "da") == ""
    assert data_since("ORS", [ORS], date(2026, 1, 1), "da") == (
        "ORS: første måling 26,4 (02.03.2026)")
    # group means: the change is taken from the printed means (14,6 -> 15,4 is +0,8);
    # YLS/CMI is lower-is-better, so up is a deterioration
    assert data_since("YLS/CMI pr. måned", [YLS], date(2026, 7, 1), "da") == (
        "YLS/CMI 14,6 → 15,4 (+0,8): en forværring i månedens gennemsnit")
    # a short name only counts as a whole word
    assert data_since("FORSKNING", [ORS], date(2026, 1, 10), "da") == ""
    # a score dated after the deck's data cut-off (a date error) is not read
    assert data_since("ORS", [ORS], date(2026, 1, 10), "da", until=date(2026, 1, 31)) == (
        "ORS: ingen ny måling endnu")


def test_status_at_the_meeting() -> None:
    meeting = date(2026, 3, 17)
    assert status_text("done", date(2026, 3, 1), meeting, "da") == "gennemført"
    assert status_text(None, date(2026, 3, 16), meeting, "da") == (
        "ikke gennemført, fristen er overskredet")
    assert status_text("open", date(2026, 3, 17), meeting, "da") == "ikke gennemført endnu"
    assert status_text("dropped", None, meeting, "en") == "dropped"


def test_change_counts_forms_and_citizens_hidden_below_k() -> None:
    events = ([{"event_kind": "measurement", "citizen_id": f"c{i % 3}"} for i in range(7)]
              + [{"event_kind": "course_started", "citizen_id": f"c{i}"} for i in range(6)]
              + [{"event_kind": "goal_reached", "citizen_id": "c1"}] * 2)
    assert change_counts(events) == {
        "measurement": 7, "reliable_improvement": 0, "reliable_deterioration": 0,
        "goal_reached": 1, "course_started": 6, "course_ended": 0}
    # at intervention level: 7 forms of 3 citizens and 1 citizen's goals are hidden (k = 5)
    hidden = change_counts(events, k=5)
    assert (hidden["measurement"], hidden["goal_reached"], hidden["course_started"],
            hidden["course_ended"]) == (None, None, 6, 0)
    slide = changes_slide(ChangeSummary(date(2026, 3, 1), date(2026, 3, 15), hidden, 2), "da", 5)
    # the last cut-off (1 March) is excluded from the count, so the window opens 2 March
    assert slide.title == "Det er sket siden sidst (02.03.2026 – 15.03.2026)"
    assert slide.blocks[0].bullets[0] == "Nye målinger: <5"
    assert slide.blocks[0].bullets[-1] == "Fund i datakvaliteten på de nye målinger: 2"


def scale(direction: str = "higher_is_better") -> ScaleInfo:
    return ScaleInfo("ORS", direction, 0, 40)


def months(values: list[float | None]) -> list[MonthMean]:
    return [MonthMean(date(2026, m, 1), v, None if v is None else 6, v is None)
            for m, v in enumerate(values, start=1)]


def test_run_chart_marks_the_start_and_the_median_before() -> None:
    # Jan-Apr before (20, 22, 21, hidden): median 21; May-Jul after (24, 25, 23): median 24
    run = TrialRun("t", "Ugentlig samtale", date(2026, 5, 12), "", scale(),
                   months([20, 22, 21, None, 24, 25, 23]))
    assert trial_title(run, "da") == (
        "Prøvehandling «Ugentlig samtale»: ORS median 21,0 før og 24,0 efter start "
        "– en forbedring")
    fig = run_chart(run, "da", 5, 0)
    assert fig.categories[4] == "▲05.26" and fig.categories[3] == "04.26"
    assert fig.values("Før prøvehandlingen")[:4] == [20, 22, 21, None]
    assert fig.values("Fra start")[4:] == [24, 25, 23]
    assert set(fig.values("Median før")) == {21}
    hidden = fig.cell("04.26", "Før prøvehandlingen")
    assert hidden.suppressed and hidden.value is None and hidden.n is None
    assert fig.n_note == "n = 6–6 borgere pr. måned"
    # for a higher-is-worse instrument the same rise is a deterioration
    run.scale = scale("higher_is_worse")
    assert trial_title(run, "da").endswith("– en forværring")


def test_a_trial_without_months_after_its_start_waits() -> None:
    run = TrialRun("t", "Ny velkomst", date(2026, 9, 1), "", scale(), months([20, 22]))
    assert trial_title(run, "da") == (
        "Prøvehandling «Ny velkomst»: ingen ORS-målinger efter start (01.09.2026) endnu")


def test_a_small_change_of_the_median_is_about_the_same() -> None:
    # SRS 0-40: 5 % is 2 points; 33.2 -> 33.0 is no deterioration worth a word
    run = TrialRun("t", "Første samtale", date(2026, 4, 1), "", scale(),
                   months([33.0, 33.4, 33.2, 33.0, 33.0]))
    assert trial_title(run, "da").endswith("median 33,2 før og 33,0 efter start – næsten uændret")
    flat = Reading("SRS", "higher_is_better", None, [(date(2026, 6, 1), 33.2),
                                                     (date(2026, 8, 1), 33.0)],
                   is_group_mean=True, flat_below=2.0)
    assert data_since("SRS", [flat], date(2026, 7, 1), "da") == (
        "SRS 33,2 → 33,0 (\u22120,2): næsten uændret i månedens gennemsnit")


def test_one_shown_month_on_a_side_is_too_few_to_compare() -> None:
    run = TrialRun("t", "Første samtale", date(2026, 3, 1), "", scale(),
                   months([35.0, None, 33.6, None]))
    assert trial_title(run, "da") == (
        "Prøvehandling «Første samtale»: for få måneder at sammenligne ORS på "
        "(1 vist før start, 1 efter)")


def test_a_run_chart_ends_with_the_last_month_over_before_the_meeting() -> None:
    """A meeting on 13 October shows the months up to September: October's mean would
    rest on part of the month (in the demo, on data after the meeting)."""
    import duckdb

    from outputs.gather import _month_means

    con = duckdb.connect()
    con.execute("create table mart_indicator_by_month (intervention_id varchar, "
                "instrument_id varchar, month_start date, is_suppressed boolean, "
                "n_citizens integer, n_forms integer, mean_score double)")
    for month, mean in ((7, 20.0), (8, 21.0), (9, 22.5), (10, 30.0)):
        con.execute("insert into mart_indicator_by_month values "
                    "('ungepraktik', 'ors', ?, false, 8, 9, ?)", [date(2026, month, 1), mean])
    shown = _month_means(con, "ungepraktik", "ors", date(2026, 10, 13))
    assert [(m.month_start.month, m.mean) for m in shown] == [(7, 20.0), (8, 21.0), (9, 22.5)]
    # a data cut-off on a month's last day counts that month whole
    assert [m.month_start.month for m in _month_means(con, "ungepraktik", "ors",
                                                      date(2026, 10, 31))] == [7, 8, 9, 10]
    assert [m.month_start.month for m in _month_means(con, "ungepraktik", "ors",
                                                      date(2026, 10, 30))] == [7, 8, 9]


def test_a_run_chart_breaks_at_hidden_months_and_draws_the_median_as_a_plain_rule() -> None:
    """The voksenstøtte deck's SRS run chart bridged its hidden months, and the median
    had a marker at every month (a dot at 33,2 where the month was hidden)."""
    import re

    from outputs.native_lines import trend_chart

    run = TrialRun("t", "Første samtale", date(2026, 4, 1), "", scale(),
                   months([None, 35.5, 32.5, 33.7, None, 33.2, None, 33.0, None, 32.9]))
    fig = run_chart(run, "da", 5, 0)
    assert fig.gaps and fig.suppressed_note.startswith('"<5"')
    # the axis shows the months' spread (the scale's 0-40 drew one flat line), but at
    # least a fifth of the scale, so the "about the same" 0,2 stays small on it
    assert (fig.y_min, fig.y_max) == (30, 38)
    xml, _ = trend_chart(fig, 7_000_000, 3_000_000, "da", 5)
    assert '<c:dispBlanksAs val="gap"/>' in xml
    sers = re.findall(r"<c:ser>.*?</c:ser>", xml, re.S)
    median = next(s for s in sers if "<c:v>Median før</c:v>" in s)
    assert '<c:symbol val="none"/>' in median and 'prstDash' in median
    for name in ("Før prøvehandlingen", "Fra start"):
        assert '<c:symbol val="circle"/>' in next(s for s in sers if f"<c:v>{name}</c:v>" in s)
    # without a hidden month: no "<5" note and no mark
    run.months = months([35.5, 32.5, 33.7, 33.2, 33.0, 32.9])
    fig = run_chart(run, "da", 5, 0)
    assert fig.suppressed_note == ""


def test_a_run_chart_axis_stays_inside_the_scale() -> None:
    from outputs.trials import run_axis

    run = TrialRun("t", "x", date(2026, 4, 1), "", scale(), [])
    assert run_axis(run, [1.0, 3.0]) == (0, 8)  # against the bottom: the room goes up
    assert run_axis(run, [38.0, 39.0]) == (32, 40)
    assert run_axis(run, [5.0, 35.0]) == (0, 40)  # a wide spread keeps the whole scale
    assert run_axis(run, []) == (0, 40)
