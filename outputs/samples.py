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
SDQ = ScaleInfo("SDQ", "higher_is_worse", 0, 40, cutoff=14,
                bands=[("normal", 0, 13), ("borderline", 14, 16), ("abnormal", 17, 40)])


def sample_citizen_case(i: int = 0) -> CitizenCase:
    """One citizen; ``i`` varies the pseudonym and scores a little."""
    pseudo = f"P-{(0x3FA2C41B9D07E5A1 + i * 7919):016x}"
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
