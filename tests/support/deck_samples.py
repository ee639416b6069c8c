"""Fictitious pack data for tests, the benchmark and trying out a template.

Nothing here is real: pseudonyms, scores, goals and agreements are invented, and
the numbers are chosen so tests can work out expected values by hand.
"""

from __future__ import annotations

from datetime import date

from outputs.citizen_pack import (
    CitizenCase,
    CitizenGoal,
    CitizenPackData,
    InstrumentSeries,
    KikElement,
    ScorePoint,
)
from outputs.common import AgreementItem, Roles, ScaleInfo

ORS = ScaleInfo("ORS", "higher_is_better", 0, 40, cutoff=25, reliable_change_points=5)
SRS = ScaleInfo("SRS", "higher_is_better", 0, 40, cutoff=36)
#: Invented pseudonyms ("P-" + 16 hex, the shape ingest produces).
SAMPLE_PSEUDONYMS = ["P-3fa2c41b9d07e5a1", "P-9b0e77d2a4c3f618", "P-e41c5a0f7d9b2863",
                     "P-5d7f0b9e3a1c4e22"]
SDQ = ScaleInfo("SDQ", "higher_is_worse", 0, 40, cutoff=14,
                bands=[("normal", 0, 13), ("borderline", 14, 16), ("abnormal", 17, 40)])


def sample_citizen_case(i: int = 0) -> CitizenCase:
    """One citizen; ``i`` varies the pseudonym and scores a little."""
    pseudo = SAMPLE_PSEUDONYMS[i % len(SAMPLE_PSEUDONYMS)]
    return CitizenCase(
        citizen_id=pseudo,
        course_id=f"F-{1000 + i}",
        intervention_name="Intensivt spædbarnsforløb",
        start_date=date(2025, 9, 1),
        case_status="open",
        initials=["AB", "CD", "EF", "GH"][i % 4],
        series=[
            InstrumentSeries("ors", ORS, "citizen", [
                ScorePoint("start", date(2025, 9, 3), 18 + i, None),
                ScorePoint("mid", date(2025, 12, 2), 22 + i, "unchanged"),
                ScorePoint("end", date(2026, 2, 24), 29 + i, "recovered"),
            ]),
            InstrumentSeries("srs", SRS, "citizen", [
                ScorePoint("start", date(2025, 9, 3), 34.5, None),
                ScorePoint("mid", date(2025, 12, 2), 37.0, "unchanged"),
                ScorePoint("end", None, None, None),
            ]),
            InstrumentSeries("sdq_p", SDQ, "parent", [
                ScorePoint("start", date(2025, 9, 10), 19, None),
                ScorePoint("end", date(2026, 2, 20), 12, "recovered"),
            ]),
        ],
        goals=[
            CitizenGoal("Familierelationer", "Faste rutiner ved sengetid fem aftener om ugen",
                        "progression", -1, 1, "progression_reached"),
            CitizenGoal("Sundhed og trivsel", "Mor sover mindst seks timer de fleste nætter",
                        "progression", -2, -1, "positive_development"),
            CitizenGoal("Socialt netværk", "Bevare kontakten til mødregruppen",
                        "maintenance", 0, 0, "maintenance_reached"),
            CitizenGoal("Hverdagsliv og bolig", "Styr på økonomien hver måned",
                        "progression", 0, None, None),
        ],
        kik=[
            KikElement("Hyppige hjemmebesøg", 5, 4, "Besøg hver uge som planlagt"),
            KikElement("Fokus på forældre-barn-samspil", 4, 3, ""),
            KikElement("Inddragelse af netværk", 2, 2, "Mormor har ikke kunnet deltage"),
        ],
        n_kik_forms=2,
        agreements=[
            AgreementItem("Tale med mor om en fast aftenrutine og prøve den i to uger",
                          "Bo Hansen", date(2026, 2, 17), "done"),
            AgreementItem("Invitere mormor med til næste hjemmebesøg", "Cecilie Holm",
                          date(2026, 2, 10), "open", is_overdue=True),
        ],
    )


def sample_citizen_pack(n_citizens: int = 3) -> CitizenPackData:
    return CitizenPackData(
        team_name="Familieteam Nord",
        intervention_name="Intensivt spædbarnsforløb",
        meeting_date=date(2026, 3, 3),
        citizens=[sample_citizen_case(i) for i in range(n_citizens)],
        roles=Roles(leader="Anne Leder", notes="Bo Hansen"),
    )


def sample_intervention_pack(config=None, intervention_id: str = "ungepraktik"):
    """Quarterly pack data for one intervention; the result map comes from ``config``
    when given (else a small built-in change theory)."""
    from outputs.common import AgreementItem as Agreement
    from outputs.intervention_pack import (
        AreaAttainment,
        CoreElementInfo,
        DataBasis,
        FidelityLevel,
        GroupComparison,
        GroupStat,
        InterventionPackData,
        MapNodeInput,
        NodeValue,
        PointSeries,
        QualityNote,
        Stat,
        map_from_config,
    )

    yls = ScaleInfo("YLS/CMI", "higher_is_worse", 0, 42,
                    bands=[("low", 0, 8), ("moderate", 9, 22), ("high", 23, 34),
                           ("very_high", 35, 42)])
    if config is not None:
        nodes, links = map_from_config(config.intervention(intervention_id), config)
    else:
        nodes = [
            MapNodeInput("ke_mentor", "Fast mentor", "core_element"),
            MapNodeInput("ke_struktur", "Struktureret hverdag", "core_element"),
            MapNodeInput("r_faerdigheder", "Arbejdsvaner og sociale færdigheder", "result",
                         "short", "GAS", "goal_reached"),
            MapNodeInput("r_adfaerd", "Mindre risikoadfærd", "result", "medium", "YLS/CMI",
                         "mean_change"),
        ]
        links = [("ke_mentor", "r_faerdigheder"), ("ke_struktur", "r_faerdigheder"),
                 ("r_faerdigheder", "r_adfaerd")]
    values = {
        "r_faerdigheder": NodeValue(0.56, 18, trend="up"),
        "r_adfaerd": NodeValue(4.2, 14, trend="flat"),
        "r_uddannelse": NodeValue(0.25, 12, trend="down"),
    }
    return InterventionPackData(
        intervention_name="Praktikforløb for unge",
        target_group="Unge på 14-17 år i risiko for kriminalitet",
        period_label="1. kvartal 2026",
        meeting_date=date(2026, 4, 14),
        basis=DataBasis(date(2026, 1, 1), date(2026, 3, 31), n_courses=26, n_citizens=24,
                        n_open=15, n_closed_planned=8, n_closed_unplanned=3,
                        completeness=0.84, timeliness=0.71),
        target_scale=yls,
        target_dimension="gender",
        target_groups=[
            GroupStat("Drenge", "2025", Stat(21.4, 14, interval=(19.9, 22.9))),
            GroupStat("Piger", "2025", Stat(17.9, 8, interval=(15.9, 19.8))),
            GroupStat("Drenge", "2026", Stat(23.1, 9, interval=(21.0, 25.2))),
            GroupStat("Piger", "2026", Stat(None, 3, suppressed=True)),
        ],
        goal_attainment=[
            AreaAttainment("Familierelationer", 26, {
                "progression_reached": Stat(23.1, 6),
                "positive_development": Stat(None, 5, suppressed=True),  # complementary
                "maintenance_reached": Stat(19.2, 5), "no_development": Stat(26.9, 7),
                "deterioration": Stat(None, 3, suppressed=True)}),
            AreaAttainment("Skole og beskæftigelse", 30, {
                "progression_reached": Stat(40.0, 12), "positive_development": Stat(20.0, 6),
                "maintenance_reached": Stat(16.7, 5), "no_development": Stat(23.3, 7),
                "deterioration": Stat(0.0, 0)}),
            AreaAttainment("Socialt netværk", None, {
                c: Stat(None, None, suppressed=True) for c in (
                    "progression_reached", "positive_development", "maintenance_reached",
                    "no_development", "deterioration")}),
        ],
        progression=[PointSeries(
            yls, ["start", "end", "fu12"],
            cohort=[Stat(22.5, 11), Stat(15.2, 11), Stat(16.8, 11)],
            all=[Stat(22.9, 24), Stat(15.9, 17), Stat(None, 4, suppressed=True)],
        )],
        comparisons=[
            GroupComparison("variant", "variant", yls, ["start", "end", "fu12"], {
                "Med konfliktråd": [Stat(23.0, 6), Stat(13.5, 6), Stat(14.5, 6)],
                "Uden konfliktråd": [Stat(22.0, 5), Stat(17.0, 5), Stat(22.0, 5)],
            }, {  # the intervals of the changes since start: apart at every point
                "Med konfliktråd": [(0.0, 0.0), (-11.5, -7.5), (-11.0, -6.0)],
                "Uden konfliktråd": [(0.0, 0.0), (-7.0, -3.0), (-3.0, 3.0)],
            }),
            GroupComparison("subgroup", "age_band", yls, ["start", "end", "fu12"], {
                "14-15 år": [Stat(21.0, 6), Stat(12.5, 6), Stat(15.0, 6)],
                "16-17 år": [Stat(23.0, 5), Stat(17.5, 5), Stat(None, 4, suppressed=True)],
            }, {
                "14-15 år": [(0.0, 0.0), (-11.0, -6.0), (-9.0, -3.0)],
                "16-17 år": [(0.0, 0.0), (-8.0, -3.0), None],
            }),
        ],
        fidelity_scale=yls,
        fidelity=[
            FidelityLevel("low", Stat(None, 3, suppressed=True)),
            FidelityLevel("medium", Stat(4.1, 9, interval=(2.0, 6.2))),
            FidelityLevel("high", Stat(8.3, 10, interval=(6.5, 10.1))),
        ],
        map_nodes=nodes,
        map_links=links,
        node_values=values,
        core_elements=[
            CoreElementInfo("Fast mentor på arbejdspladsen", None, Stat(4.2, 20)),
            CoreElementInfo("Struktureret hverdag", "Hvordan hjalp strukturen de unge, der "
                            "faldt fra?", Stat(3.6, 20)),
            CoreElementInfo("Samarbejde med familien", None, Stat(2.9, 19)),
            CoreElementInfo("Positive fritidsaktiviteter", None, Stat(None, 3, suppressed=True)),
        ],
        quality_notes=[
            QualityNote("completeness", {"instrument": "YLS/CMI", "value": 0.84,
                                         "target": 0.90}),
            QualityNote("overdue", {"n": 6}),
        ],
        agreements=[
            Agreement("Afprøve fast ugentlig samtale med mentor i fire uger", "Emil Berg",
                      date(2026, 2, 15), "done"),
            Agreement("Kontakte familier til unge uden fremmøde i to uger", "Dorthe Kjær",
                      date(2026, 3, 1), "open", is_overdue=True),
        ],
    )
