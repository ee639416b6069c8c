"""Who is on a citizen-level agenda, and why (the config's ``agenda`` section).

:func:`choose_agenda` is a pure function of the candidate rows
(``outputs/queries/citizen_agenda.sql`` over ``mart_citizen_agenda_flags``: one row per
open course with a boolean ``is_<id>`` per reason). The priorities are taken in config
order; within one priority, the citizen whose course was talked about longest ago comes
first (the latest meeting that made an agreement about it; never: first), then the
earliest start. Every reason a chosen citizen has is given, not only the first. Places
left are filled in rotation from the courses with no reason, in course-id order, starting
at ``meeting_no x free places``; so with the same number of free places every citizen
comes up within ceil(courses without a reason / free places) meetings. A priority is one
config entry plus one ``is_<id>`` column in the mart (docs/loop.md).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass
class AgendaPick:
    row: dict[str, Any]
    reasons: list[str] = field(default_factory=list)  # priority ids, config order


@dataclass
class Agenda:
    picks: list[AgendaPick]
    n_flagged_left_out: int = 0  # citizens with a reason who did not fit
    #: their candidate rows, in the order they would have been taken (first: next time)
    left_out: list[dict[str, Any]] = field(default_factory=list)
    rotation_meetings: int | None = None  # meetings a full rotation of the rest takes


def flag_column(priority_id: str) -> str:
    return f"is_{priority_id}"


def check_flags(rows: list[dict[str, Any]], priority_ids: list[str]) -> None:
    """Every priority has its column in the candidate rows (else a KeyError naming it)."""
    if not rows:
        return
    for i, pid in enumerate(priority_ids):
        if flag_column(pid) not in rows[0]:
            raise KeyError(f"config agenda.priorities[{i}].id {pid!r}: mart_citizen_agenda_flags "
                           f"has no column {flag_column(pid)}")


def _waited(row: dict[str, Any]) -> tuple:
    last = row.get("last_agreed_on")
    return (last is not None, last or date.min, row.get("start_date") or date.min,
            row["course_id"])


def choose_agenda(rows: list[dict[str, Any]], priority_ids: list[str], max_citizens: int,
                  meeting_no: int = 0) -> Agenda:
    """The citizens on the agenda, highest priority first, each with its reasons."""
    check_flags(rows, priority_ids)
    reasons = {r["course_id"]: [p for p in priority_ids if r.get(flag_column(p))] for r in rows}
    picks: list[AgendaPick] = []
    chosen: set[str] = set()
    left_out: list[dict[str, Any]] = []
    for pid in priority_ids:
        for row in sorted((r for r in rows if r.get(flag_column(pid))), key=_waited):
            if row["course_id"] in chosen:
                continue
            if len(picks) < max_citizens:
                picks.append(AgendaPick(row, reasons[row["course_id"]]))
            else:
                left_out.append(row)
            chosen.add(row["course_id"])
    rest = sorted((r for r in rows if not reasons[r["course_id"]]), key=lambda r: r["course_id"])
    free = max_citizens - len(picks)
    rotation = None
    if rest and free > 0:
        take = min(free, len(rest))
        start = (meeting_no * take) % len(rest)
        for i in range(take):
            picks.append(AgendaPick(rest[(start + i) % len(rest)], []))
        rotation = math.ceil(len(rest) / take)
    return Agenda(picks, len(left_out), left_out=left_out, rotation_meetings=rotation)
