"""The citizen agenda is chosen by need: configured priorities first (each agenda line
says why), the rest in rotation. Real marts built from hand-made staging rows."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from datadialog.config_load import load_config
from outputs.agenda import choose_agenda
from outputs.citizen_pack import build_citizen_deck, display_names, off_course_slide
from outputs.common import options_from_config
from outputs.gather import gather_citizen_pack
from tests.support.staging import StagingWriter
from transforms.build import build

SERIES = "borger_familie_nord"


def ors(total: int) -> list[int]:
    base, extra = divmod(total, 4)
    return [base + (1 if i < extra else 0) for i in range(4)]


@pytest.fixture(scope="module")
def con():
    con = duckdb.connect()
    w = StagingWriter(con)

    def course(cid: str, start: str, scores: list[tuple[str, int]]) -> None:
        w.course(cid, f"cit_{cid}", "spaedbarn", start, team_id="familie_nord",
                 gender="female", birth_year=1995)
        for day, score in scores:
            w.form(f"{cid}_ors_{day}", cid, "ors", day, ors(score), rater_role="citizen")
            w.form(f"{cid}_srs_{day}", cid, "srs", day, ors(38), rater_role="citizen")

    # a citizen measured on time whose ORS fell 30 -> 20 (reliable change is 5 points)
    course("a_falling", "2026-01-05", [("2026-01-05", 30), ("2026-02-26", 20)])
    # a citizen started in September: the 90-day ORS/SRS is weeks overdue, no change
    course("b_overdue", "2025-09-01", [("2025-09-01", 22)])
    # a citizen who started last week, measured three days ago: no reason yet
    course("c_new", "2026-02-23", [("2026-02-26", 21)])
    w.flush()
    build(con, load_config(), as_of=date(2026, 3, 1))
    yield con
    con.close()


def test_flags_in_the_mart(con) -> None:
    rows = con.execute(
        "select course_id, is_deteriorated, is_overdue, is_low_alliance, is_long_course "
        "from mart_citizen_agenda_flags order by course_id").fetchall()
    # a_falling's goals (GAS) at start were never rated: overdue as well
    assert rows == [("a_falling", True, True, False, False),
                    ("b_overdue", False, True, False, False),
                    ("c_new", False, False, False, False)]


def test_deteriorating_and_overdue_come_before_a_new_citizen(con) -> None:
    config = load_config()
    data = gather_citizen_pack(con, config, SERIES, date(2026, 3, 3), max_citizens=2)
    assert [c.course_id for c in data.citizens] == ["a_falling", "b_overdue"]
    # the falling citizen also has a red signal, the agenda's first priority: red by the
    # reliable-change fallback (too few reference courses for an expected course)
    falling = data.citizens[0]
    assert falling.reasons == ["rødt signal i seneste måling",
                               "pålidelig forværring i seneste måling",
                               "en måling er overskredet"]
    # so its slide names the deterioration, not an expected course it has none of
    assert falling.course_flag == "red"
    assert [(r.reason, r.fallback) for r in falling.flag_reasons] == [
        ("reliable_deterioration", "few_reference_courses")]
    slide = off_course_slide(falling, "P-1", "da", "")
    assert slide.title == "P-1: pålidelig forværring siden start – tag det op i dag"
    assert slide.blocks[0].bullets[0].endswith(
        "en pålidelig forværring siden start (for få afsluttede forløb til et forventet forløb)")
    assert data.citizens[1].reasons == ["en måling er overskredet"]
    data = gather_citizen_pack(con, config, SERIES, date(2026, 3, 3), max_citizens=3)
    assert [c.course_id for c in data.citizens] == ["a_falling", "b_overdue", "c_new"]
    deck = build_citizen_deck(data, options_from_config(config))
    agenda = deck.slides[1].blocks[0].bullets
    assert "pålidelig forværring i seneste måling" in agenda[1]
    assert "fordi: en måling er overskredet" in agenda[2]
    assert "fordi: på skift (alle er med i dag)" in agenda[3]


def row(cid: str, **flags) -> dict:
    return {"course_id": cid, "start_date": date(2026, 1, 1), "last_agreed_on": None,
            "is_a": False, "is_b": False, **flags}


def test_every_citizen_comes_up_within_the_rotation() -> None:
    rows = [row("flagged", is_b=True)] + [row(f"r{i}") for i in range(7)]
    seen: set[str] = set()
    for meeting_no in range(3):  # 7 others, 3 free places: ceil(7 / 3) = 3 meetings
        agenda = choose_agenda(rows, ["a", "b"], 4, meeting_no)
        assert agenda.picks[0].row["course_id"] == "flagged"
        assert agenda.picks[0].reasons == ["b"] and agenda.rotation_meetings == 3
        seen |= {p.row["course_id"] for p in agenda.picks[1:]}
    assert seen == {f"r{i}" for i in range(7)}


def test_within_a_priority_the_longest_waiting_comes_first_and_all_reasons_shown() -> None:
    rows = [row("x", is_a=True, last_agreed_on=date(2026, 2, 1)),
            row("y", is_a=True, is_b=True, last_agreed_on=None),
            row("z", is_b=True)]
    agenda = choose_agenda(rows, ["a", "b"], 2)
    assert [(p.row["course_id"], p.reasons) for p in agenda.picks] == [
        ("y", ["a", "b"]), ("x", ["a"])]
    assert agenda.n_flagged_left_out == 1
    assert [r["course_id"] for r in agenda.left_out] == ["z"]


def test_those_left_out_are_in_line_for_next_time() -> None:
    rows = [row("p", is_b=True, last_agreed_on=date(2026, 2, 1)),
            row("q", is_a=True, last_agreed_on=date(2026, 1, 1)),
            row("r", is_b=True, last_agreed_on=None),
            row("s", is_a=True, is_b=True, last_agreed_on=date(2026, 2, 15)),
            row("t")]
    agenda = choose_agenda(rows, ["a", "b"], 1)
    # priority a: q (waited since January) before s; then b: r (never talked about), p
    assert [p.row["course_id"] for p in agenda.picks] == ["q"]
    assert [r["course_id"] for r in agenda.left_out] == ["s", "r", "p"]
    assert agenda.n_flagged_left_out == 3


def test_the_agenda_names_who_is_first_in_line(con) -> None:
    config = load_config()
    data = gather_citizen_pack(con, config, SERIES, date(2026, 3, 3), max_citizens=1)
    assert [c.course_id for c in data.citizens] == ["a_falling"]
    assert [c.course_id for c in data.first_in_line] == ["b_overdue"]
    deck = build_citizen_deck(data, options_from_config(config))
    names = display_names(data.citizens + data.first_in_line, "pseudonym")
    agenda = deck.slides[1].blocks[0].bullets
    assert agenda[2] == (f"1 borger mere har en grund til at komme op, men nåede ikke med "
                         f"({names[1].replace('-', chr(0x2011))}): tag borgeren næste "
                         f"gang eller mellem møderne.")


def test_a_priority_without_its_mart_column_names_the_config_key() -> None:
    with pytest.raises(KeyError, match=r"agenda.priorities\[1\].id 'off_course'.*is_off_course"):
        choose_agenda([row("x")], ["a", "off_course"], 4)
