"""Rater drift and calibration agreement on hand-made rows, worked out by hand.

Field data: 50 voksenstoette courses of team voksen_oest start 2025-01-06 with one ASI
form each (staff-rated, scored as the item mean). Staff s1 rates 10 of them, five at 2
and five at 3 (mean 2.5); s2..s5 rate ten each, five at 1 and five at 2 (mean 1.5).
All 50 sit in one cell (ASI at the start point): mean 1.7, sample SD
sqrt(20.5 / 49) = 0.646813. s1's mean residual minus the others':
(2.5 - 1.5) / 0.646813 = 1.546041 SD; Welch SE sqrt(0.277778/0.418367/10 +
0.256410/0.418367/40) = 0.285863, so the 95 % CI starts at 1.546041 - 1.96 x 0.285863 =
0.985750. s2: (1.5 - 1.75) / 0.646813 = -0.3865, below the 0.5 SD threshold.

Calibration: workshops W1 (case A) and W2 (case B; the staging key allows one case
per workshop, staff member and instrument), ASI, raters r1..r5. r1..r4 give the base
answers (A: 1 2 3 2 1 2 2, B: 3 3 2 3 3 2 1), r5 one point more on every item.
Krippendorff's alpha (interval): every unit has four equal scores and one a point
higher, so D_o = (2 + 2) / 10 = 0.4 per item. Item 1 (bases 1 and 3): n = 10,
sum 22, sum of squares 60, D_e = (2*10*60 - 2*22^2) / 90 = 232/90, alpha = 0.844828.
Items 2, 3, 4 and 7 (bases 2/3 or 3/2 or 2/1): D_e = 82/90, alpha = 0.560976; item 6
(2 and 2): D_e = 32/90, alpha = -0.125; item 5 as item 1. Whole instrument (14 units,
70 scores, sum 164, sum of squares 434): D_e = 6968/4830, alpha = 0.722733.
r5 deviates by +1 point on every item (a quarter of ASI's 0-4 range); r1..r4 by -0.25.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from checks.run import run_checks
from checks.settings import CheckSettings
from datadialog.config_load import load_config
from tests.support.checks import build_and_check, calibration_rows, insert_rows, pseudonym
from tests.support.staging import StagingWriter

AS_OF = date(2025, 3, 1)
#: ASI answers whose item mean is the key (no form is straight-lined)
ASI = {1: [0, 2, 1, 1, 1, 1, 1], 2: [1, 3, 2, 2, 2, 2, 2], 3: [2, 4, 3, 3, 3, 3, 3]}


@pytest.fixture(scope="module")
def config():
    return load_config()


@pytest.fixture(scope="module")
def checked(tmp_path_factory, config):
    con = duckdb.connect(str(tmp_path_factory.mktemp("raters") / "raters.duckdb"))
    w = StagingWriter(con)
    n = 0
    for staff, levels in [("s1", (2, 3))] + [(f"s{k}", (1, 2)) for k in range(2, 6)]:
        for i in range(10):
            n += 1
            course = f"C{n:02d}"
            w.course(course, pseudonym(n), "voksenstoette", "2025-01-06", team_id="voksen_oest")
            w.form(f"F{n:02d}", course, "asi", "2025-01-06", ASI[levels[i % 2]], staff_id=staff)
    w.flush()
    base = {"A": [1, 2, 3, 2, 1, 2, 2], "B": [3, 3, 2, 3, 3, 2, 1]}
    rows = []
    for workshop, (case, values) in enumerate(base.items(), start=1):
        scores = {f"r{k}": values for k in range(1, 5)}
        scores["r5"] = [v + 1 for v in values]
        rows += calibration_rows(f"W{workshop}", date(2025, 2, workshop), "asi", case, scores)
    insert_rows(con, "calibration_scores", rows)
    return con, build_and_check(con, config, AS_OF)


def test_rater_drift_flags_the_high_rater_only(checked):
    con, run = checked
    rows = con.execute(
        "select staff_id, team_id, instrument_id, observed from quality.failures "
        "where run_id = ? and rule_id = 'rater_drift'",
        [run.run_id],
    ).fetchall()
    assert rows == [("s1", "voksen_oest", "asi", pytest.approx(1.546041, abs=1e-6))]
    metric = con.execute(
        "select value, ci_low, numerator, denominator from quality.metrics "
        "where run_id = ? and metric_id = 'rater_drift' and group_id = 's2/asi'",
        [run.run_id],
    ).fetchone()
    assert metric[0] == pytest.approx(-0.386510, abs=1e-6)
    s1 = con.execute(
        "select ci_low from quality.metrics where run_id = ? and metric_id = 'rater_drift' "
        "and group_id = 's1/asi'",
        [run.run_id],
    ).fetchone()[0]
    assert s1 == pytest.approx(0.985750, abs=1e-5)
    assert metric[2:] == (10, 40)


def test_a_higher_threshold_clears_the_drift(checked, config):
    con, _ = checked
    run = run_checks(con, config, settings=CheckSettings.from_config(config, drift_threshold_sd=2))
    assert run.n_failed("rater_drift") == 0


def test_krippendorff_alpha_per_item_and_instrument(checked):
    con, run = checked
    alphas = dict(
        con.execute(
            "select group_id, value from quality.metrics where run_id = ? "
            "and metric_id = 'calibration_alpha'",
            [run.run_id],
        ).fetchall()
    )
    expected = {
        "asi": 1 - 0.4 / (6968 / 4830),
        "asi#1": 1 - 0.4 / (232 / 90),
        "asi#2": 1 - 0.4 / (82 / 90),
        "asi#3": 1 - 0.4 / (82 / 90),
        "asi#4": 1 - 0.4 / (82 / 90),
        "asi#5": 1 - 0.4 / (232 / 90),
        "asi#6": 1 - 0.4 / (32 / 90),
        "asi#7": 1 - 0.4 / (82 / 90),
    }
    assert alphas == pytest.approx(expected)
    assert alphas["asi"] == pytest.approx(0.722733, abs=1e-6)
    flagged = con.execute(
        "select coalesce(item_no, 0) from quality.failures where run_id = ? "
        "and rule_id = 'calibration_agreement' order by 1",
        [run.run_id],
    ).fetchall()
    assert [r[0] for r in flagged] == [2, 3, 4, 6, 7]  # the instrument (0.72) passes


def test_calibration_deviation_names_the_high_scorer(checked):
    con, run = checked
    rows = con.execute(
        "select staff_id, instrument_id, observed from quality.failures where run_id = ? "
        "and rule_id = 'calibration_deviation'",
        [run.run_id],
    ).fetchall()
    assert rows == [("r5", "asi", pytest.approx(1.0))]
    r1 = con.execute(
        "select value from quality.metrics where run_id = ? "
        "and metric_id = 'calibration_deviation' and group_id = 'r1/asi'",
        [run.run_id],
    ).fetchone()[0]
    assert r1 == pytest.approx(-0.25)


def test_stricter_alpha_flags_the_instrument_too(checked, config):
    con, _ = checked
    settings = CheckSettings.from_config(config, calibration_alpha_min=0.85)
    run = run_checks(con, config, settings=settings)
    flagged = con.execute(
        "select coalesce(item_no, 0) from quality.failures where run_id = ? "
        "and rule_id = 'calibration_agreement' order by 1",
        [run.run_id],
    ).fetchall()
    assert [r[0] for r in flagged] == [0, 1, 2, 3, 4, 5, 6, 7]


def test_rater_drift_caveat_names_the_staff_member_and_instrument_in_words(checked):
    """The deck's caveat speaks Danish: the instrument as the slides name it, a decimal
    comma and which way the staff member leans ("Bedømmerforskel: M14 (kik) +0.7 SD"
    read like a code)."""
    _, run = checked
    caveats = run.gates[("team", "voksen_oest")].caveats_for("mart_progression_by_point")
    assert ("Bedømmerforskel: medarbejder s1 scorer Misbrugssværhed 1,5 SD over kollegerne."
            in caveats)


def test_rater_drift_item_in_both_languages() -> None:
    from checks.texts import caveat, caveat_rule, rater_drift_item

    text = caveat("rater_drift", 1, rater_drift_item("M14", "KiK", 0.71, "da"), "da")
    assert text == "Bedømmerforskel: medarbejder M14 scorer KiK 0,7 SD over kollegerne."
    assert caveat_rule(text, "da") == "rater_drift"
    assert rater_drift_item("M3", "ORS", -0.66, "en") == (
        "staff member M3 scores ORS 0.7 SD below colleagues")
