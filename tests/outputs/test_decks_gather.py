"""The pack data objects read from real marts, built from hand-made staging rows."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from datadialog.config_load import load_config
from outputs.citizen_pack import build_citizen_deck
from outputs.common import options_from_config
from outputs.gather import gather_citizen_pack, gather_intervention_pack, outcome_instruments
from outputs.intervention_pack import build_intervention_deck
from tests.support.staging import StagingWriter
from transforms.build import build


def ors(total: int) -> list[int]:
    base, extra = divmod(total, 4)
    return [base + (1 if i < extra else 0) for i in range(4)]


def yls(total: int) -> list[int]:
    return [1] * total + [0] * (42 - total)


@pytest.fixture(scope="module")
def con():
    con = duckdb.connect()
    w = StagingWriter(con)
    # citizen level: two open infant-programme courses in team familie_nord
    for i, (ors_scores, kik) in enumerate([((14, 20, 29), ([4, 3, 2], [5, 4, 2])),
                                            ((22, 21, 20), ([3, 3, 3], [3, 3, 3]))]):
        c = f"sp_{i}"
        w.course(c, f"cit_{i}", "spaedbarn", "2025-09-01", team_id="familie_nord",
                 gender="female", birth_year=1995)
        for d, score in zip(("2025-09-02", "2025-12-01", "2026-02-20"), ors_scores,
                            strict=True):
            w.form(f"{c}_ors_{d}", c, "ors", d, ors(score), rater_role="citizen")
        # the second course's forms carry all 8 KiK items, 4-8 empty (as exports do): the
        # intervention has 3 core elements, so items 4-8 are no element at all
        extra = [None] * 5 if i == 1 else []
        w.form(f"{c}_kik1", c, "kik", "2025-12-01", kik[0] + extra,
               notes={3: "Mormor kunne ikke"})
        w.form(f"{c}_kik2", c, "kik", "2026-02-20", kik[1] + extra)
        w.goal(f"g{i}", c, "family_relations", "progression", description="Faste rutiner")
        w.rating(f"g{i}", "2025-09-05", -1)
        w.rating(f"g{i}", "2026-02-20", 1 if i == 0 else -1)
        w.agreement("borger_familie_nord", c, "2026-02-17", f"Aftale {i}", owner="Bo Hansen",
                    follow_up_on="2026-03-01", status="open")
    # sp_1's meeting before that: one agreement still open, one done, and one agreed again
    # on 17 February (the same text but for case and blanks)
    for text, status in (("Ring til skolen", "open"), ("Hjemmebesøg hver uge", "done"),
                         (" aftale 1", "open")):
        w.agreement("borger_familie_nord", "sp_1", "2026-02-03", text, owner="Bo Hansen",
                    status=status)
    # intervention level: 12 youth courses, 6 per variant, boys; YLS/CMI start/end/fu12
    means = {"konfliktraad": (24, 12, 13), "standard": (24, 16, 21)}
    for variant, (start, end, fu) in means.items():
        for i, offset in enumerate((-2, -1, 0, 0, 1, 2)):
            c = f"y_{variant}_{i}"
            w.course(c, f"yp_{variant}_{i}", "ungepraktik", "2024-01-10", "2024-07-10",
                     "completed_planned", variant=variant, team_id="unge_syd",
                     gender="male", birth_year=2008)
            w.form(c + "_s", c, "yls_cmi", "2024-01-10", yls(start + offset))
            w.form(c + "_e", c, "yls_cmi", "2024-07-10", yls(end + offset))
            w.form(c + "_f", c, "yls_cmi", "2025-07-10", yls(fu + offset))
    w.agreement("indsats_ungepraktik", None, "2025-07-08", "Fast mentorsamtale hver uge",
                owner="Emil Berg", follow_up_on="2025-08-01", status="open")
    w.flush()
    build(con, load_config(), as_of=date(2026, 3, 2))
    yield con
    con.close()


@pytest.fixture(scope="module")
def config():
    return load_config()


def test_citizen_pack_from_marts(con, config) -> None:
    data = gather_citizen_pack(con, config, "borger_familie_nord", date(2026, 3, 3))
    assert data.team_name == "Familieteam Nord" and data.meeting_length_minutes == 30
    assert data.roles.leader == "Anne Leder"
    # sp_0 (reliably improved: green) has an agreement past its follow-up date, the
    # priority before amber (config/agenda.yaml agreement_overdue), so it comes before
    # sp_1 (ORS 22 -> 21 at mid, no reliable change; no closed reference courses, so the
    # reliable-change fallback flags it amber); the open courses' third form is
    # unplanned (no end yet), so mid is the live point
    assert [c.course_id for c in data.citizens] == ["sp_0", "sp_1"]
    assert [c.course_flag for c in data.citizens] == ["green", "amber"]
    assert data.citizens[0].reasons[0] == "en aftale er ikke fulgt op, og fristen er overskredet"
    assert data.citizens[1].reasons[:2] == [
        "en aftale er ikke fulgt op, og fristen er overskredet", "gult signal i seneste måling"]
    assert [(r.instrument, r.point_id, r.score, r.expected, r.reason)
            for r in data.citizens[1].flag_reasons] == [("ORS", "mid", 21, None,
                                                          "no_reliable_change")]
    first = data.citizens[0]
    assert first.citizen_id == "cit_0"  # the pseudonym as staged
    series = {s.instrument_id: s for s in first.series}
    assert [p.score for p in series["ors"].points] == [14, 20, 29]
    # ORS reliable change is 5 points: +6 at mid is reliable, 29 is past the cut-off 25
    assert [p.rci_class for p in series["ors"].points][1:] == ["reliably_improved", "recovered"]
    assert series["ors"].scale.cutoff == 25 and series["ors"].rater == "citizen"
    assert [(e.name, e.latest, e.previous) for e in first.kik] == [
        ("Hyppige hjemmebesøg", 5, 4), ("Fokus på forældre-barn-samspil", 4, 3),
        ("Inddragelse af netværk", 2, 2)]
    assert first.n_kik_forms == 2
    assert [(g.life_area, g.baseline_level, g.latest_level, g.category) for g in first.goals] == [
        ("Familierelationer", -1, 1, "progression_reached")]
    assert [(a.text, a.is_overdue) for a in first.agreements] == [("Aftale 0", True)]
    deck = build_citizen_deck(data, options_from_config(config))
    ors_fig = next(f for f in deck.figures() if f.id == "sp_0:ors")
    assert ors_fig.values("Score") == [14, 20, 29]


def test_open_agreements_from_before_the_last_meeting_are_marked_and_not_doubled(
        con, config) -> None:
    data = gather_citizen_pack(con, config, "borger_familie_nord", date(2026, 3, 3))
    second = next(c for c in data.citizens if c.course_id == "sp_1")
    # 3 February: "Ring til skolen" still open (shown, marked), "Hjemmebesøg hver uge"
    # done (not shown: only the last meeting's are shown whatever their status), " aftale
    # 1" agreed again on 17 February (shown once, as the later one)
    assert [(a.text, a.agreed_earlier_on) for a in second.agreements] == [
        ("Ring til skolen", date(2026, 2, 3)), ("Aftale 1", None)]
    deck = build_citizen_deck(data, options_from_config(config))
    slide = next(s for s in deck.slides if s.title.endswith("åbne aftaler fra før"))
    assert [row[0] for row in slide.table.rows] == ["Ring til skolen (aftalt 03.02.2026)",
                                                    "Aftale 1"]
    # the other citizen has only the last meeting's agreement: the plain title
    assert sum(s.title.endswith(": aftaler fra sidste møde") for s in deck.slides) == 1


def test_kik_shows_only_the_interventions_core_elements(con, config) -> None:
    data = gather_citizen_pack(con, config, "borger_familie_nord", date(2026, 3, 3))
    second = next(c for c in data.citizens if c.course_id == "sp_1")
    names = [e.name for e in config.intervention("spaedbarn").core_elements]
    assert names == ["Hyppige hjemmebesøg", "Fokus på forældre-barn-samspil",
                     "Inddragelse af netværk"]
    assert [(e.name, e.latest, e.previous) for e in second.kik] == [
        (names[0], 3, 3), (names[1], 3, 3), (names[2], 3, 3)]
    deck = build_citizen_deck(data, options_from_config(config))
    kik = next(f for f in deck.figures() if f.id == "sp_1:kik")
    assert kik.categories == names
    assert "Element" not in deck.all_text()


def test_outcome_instruments_follow_the_plan(config) -> None:
    assert outcome_instruments(config, "ungepraktik") == ["yls_cmi", "ors"]
    assert outcome_instruments(config, "voksenstoette") == ["asi", "ors", "srs"]


def test_intervention_pack_from_marts(con, config) -> None:
    data = gather_intervention_pack(con, config, "indsats_ungepraktik", date(2025, 10, 14),
                                    date(2025, 7, 1), date(2025, 9, 30), "3. kvartal 2025")
    assert data.basis.n_courses == 0  # all twelve courses ended in 2024
    [prog, *_] = data.progression
    assert prog.points == ["start", "end", "fu12"]
    # offsets sum to 0 within each variant, so the means are the variant means
    assert [s.value for s in prog.cohort] == pytest.approx([24, 14, 17])
    assert [s.n for s in prog.cohort] == [12, 12, 12]
    variant = next(c for c in data.comparisons if c.dimension == "variant")
    # shown by the names config/interventions.yaml gives the variants
    assert list(variant.groups) == ["Forløb med konfliktråd", "Standardforløb"]
    assert [s.value for s in variant.groups["Forløb med konfliktråd"]] == pytest.approx(
        [24, 12, 13]
    )
    assert [s.value for s in variant.groups["Standardforløb"]] == pytest.approx([24, 16, 21])
    target = [(g.group, g.period, g.stat.value, g.stat.n) for g in data.target_groups]
    assert target == [("Mænd", "2024", pytest.approx(24), 12)]
    assert [n.id for n in data.map_nodes] == [
        "ke_mentor", "ke_struktur", "ke_familie", "ke_fritid", "r_faerdigheder", "r_adfaerd",
        "r_uddannelse"]
    # YLS/CMI is higher-is-worse: 24 -> 17 is an improvement of 7 points
    assert data.node_values["r_adfaerd"].value == pytest.approx(7)
    assert [(a.text, a.is_overdue) for a in data.agreements] == [
        ("Fast mentorsamtale hver uge", True)]
    deck = build_intervention_deck(data, options_from_config(config))
    fig = next(f for f in deck.figures() if f.id == "comparison:0")
    assert fig.title == ("YLS/CMI: Forløb med konfliktråd udviklede sig bedst fra start til "
                         "opf. 12 mdr. (fald på 11,0 mod 3,0 point; lavere er bedre)")


def test_intervention_pack_since_last_changes_and_trials(con, config) -> None:
    data = gather_intervention_pack(con, config, "indsats_ungepraktik", date(2026, 1, 13),
                                    date(2025, 10, 1), date(2025, 12, 31),
                                    last_meeting=date(2025, 10, 14),
                                    last_cutoff=date(2024, 1, 1), cutoff=date(2026, 1, 8))
    [item] = data.since_last
    assert (item.text, item.owner, item.status) == (
        "Fast mentorsamtale hver uge", "Emil Berg", "open")
    # 12 youth courses started and ended in the window, each with reliable change:
    # start 2024-01-10 is after the cut-off 2024-01-01
    assert data.changes.counts["course_started"] == 12
    assert data.changes.counts["course_ended"] == 12
    assert data.changes.counts["measurement"] == 36  # 3 YLS/CMI forms per course
    # the configured trial (ORS) has no ORS scores here: a text slide that says so
    [trial] = data.trials
    assert trial.title == "Fast ugentlig mentorsamtale" and trial.months == []
    deck = build_intervention_deck(data, options_from_config(config))
    since = next(s for s in deck.slides if s.title.startswith("Siden sidst:"))
    assert since.table.rows[0][4] == "ikke gennemført, fristen er overskredet"
    trial_slide = next(s for s in deck.slides if s.title.startswith("Prøvehandling"))
    assert trial_slide.kind == "text" and "ingen ORS-målinger" in trial_slide.title
