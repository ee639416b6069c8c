"""Returned agreement registers for the demo's earlier meetings, so the demo plays the
whole loop: the next decks open with last meeting's agreements and their status.

For each earlier meeting handed in (series id, date), a register
``<series>_<date>_aftaler.xlsx`` (layout: :mod:`datadialog.agreement_form`) with:

- a citizen-level series: three agreements about the first three courses (in course-ref
  order) of the team and intervention that were open on the meeting day: one done
  (naming the intervention's outcome instrument as the indicator), one whose date has
  passed without it being done (overdue at the next meeting), one not due yet;
- an intervention-level series: two agreements about the whole intervention, one done
  and one open that names the outcome instrument.

Owners are the team's members from the config. Fictitious, like the rest of the demo.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from datadialog.agreement_form import MeetingKey, RegisterRow, write_register
from datadialog.config_model import DatadialogConfig
from demo.frames import to_frames
from demo.model import Dataset

#: (what we do, days until it is due, indicator?, status) of the citizen agreements.
CITIZEN_AGREEMENTS = (
    ("Gennemgå seneste måling med borgeren og aftal ét delmål", 7, True, "gennemført"),
    ("Indhent den manglende måling inden næste møde", 10, False, ""),
    ("Netværksmøde med familie og skole", 30, False, ""),
)
#: The same for the intervention meetings (about the whole intervention).
TEAM_AGREEMENTS = (
    ("Fast ugentlig opfølgning på målinger ved teammødet", 30, False, "gennemført"),
    ("Afprøv kortere intervaller mellem samtalerne for nye borgere", 60, True, ""),
)


@dataclass(frozen=True)
class ReturnedMeeting:
    meeting_id: str
    meeting_date: date


def _team_of(config: DatadialogConfig, meeting) -> object | None:
    if meeting.team:
        return next((tm for tm in config.teams if tm.id == meeting.team), None)
    return next((tm for tm in config.teams if meeting.intervention in tm.interventions), None)


def _outcome_instrument(config: DatadialogConfig, intervention_id: str) -> str:
    plan = next((p for p in config.measurement_plan if p.intervention == intervention_id), None)
    kinds = {i.id: i for i in config.instruments}
    for point in plan.points if plan else []:
        inst = kinds.get(point.instrument)
        if inst is not None and inst.kind == "validated":
            return inst.name.split(" (")[0]
    return ""


def register_rows(ds: Dataset, config: DatadialogConfig, returned: ReturnedMeeting
                  ) -> list[RegisterRow]:
    """The filled-in rows of one earlier meeting's register."""
    meeting = next(m for m in config.meetings if m.id == returned.meeting_id)
    team = _team_of(config, meeting)
    owners = [m.name for m in team.members] if team and team.members else ["Teamet"]
    day = returned.meeting_date
    indicator = _outcome_instrument(config, meeting.intervention or "")
    if meeting.level == "citizen":
        courses = to_frames(ds)["courses"]
        open_then = courses[(courses["team_id"] == meeting.team)
                            & (courses["intervention_id"] == meeting.intervention)
                            & (courses["start_date"] <= day)
                            & courses["end_date"].map(lambda d: d is None or d > day)]
        refs = sorted(open_then["course_ref"])[:len(CITIZEN_AGREEMENTS)]
        return [RegisterRow(MeetingKey(meeting.id, day, ref), ref, text,
                            owners[i % len(owners)], day + timedelta(days=days),
                            f"{indicator} ved næste måling" if named else "", status)
                for i, (ref, (text, days, named, status))
                in enumerate(zip(refs, CITIZEN_AGREEMENTS, strict=False))]
    if meeting.level == "intervention":
        return [RegisterRow(MeetingKey(meeting.id, day), "Indsatsen", text,
                            owners[i % len(owners)], day + timedelta(days=days),
                            f"{indicator}: gennemsnit pr. måned" if named else "", status)
                for i, (text, days, named, status) in enumerate(TEAM_AGREEMENTS)]
    return []


def write_returned_registers(out: Path, ds: Dataset, config: DatadialogConfig,
                             meetings: list[ReturnedMeeting]) -> list[dict]:
    """Write one register per earlier meeting into ``out``; their manifest entries."""
    entries = []
    for returned in meetings:
        rows = register_rows(ds, config, returned)
        if not rows:
            continue
        name = f"{returned.meeting_id}_{returned.meeting_date.isoformat()}_aftaler.xlsx"
        write_register(out / name, rows)
        entries.append({"name": name, "meeting": returned.meeting_id,
                        "date": returned.meeting_date.isoformat(), "agreements": len(rows),
                        "statuses": sorted({r.status or "åben" for r in rows})})
    return entries
