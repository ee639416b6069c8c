"""The meeting calendar: when each meeting series meets and when its decks are made.

Every meeting series in ``config/meetings.yaml`` has an iCalendar RRULE counted from
``starts`` at the local time ``time`` (the organisation's time zone, Europe/Copenhagen in
the demo). Its decks are due ``lead_days`` before each meeting, so the deck run fires at
*meeting time minus lead_days* (same local wall-clock time, whole calendar days earlier;
a daylight-saving change in between does not move it).

The deck-run schedule is an RRULE too (:func:`deck_run_rule`):

- when the meeting rule can be moved exactly (daily and weekly rules, monthly rules on
  fixed month days or on the n-th weekday, yearly rules on fixed days), it is rewritten:
  weekdays (and the week start) move back by ``lead_days``, month days become a window
  ("the Thursday between the 3rd and the 9th" is five days before the 2nd Tuesday);
- the rewrite is then verified against the meeting rule over :data:`VERIFY_YEARS` years;
  a rule that cannot be rewritten, or whose rewrite differs anywhere in that window, is
  given to Prefect as explicit dates (``RDATE``) for the next :data:`RDATE_HORIZON_DAYS`
  days instead (``datadialog deploy`` then says when to deploy again).

Plain Python (dateutil): the Prefect deployments made from these rules are in
:mod:`flows.schedule`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.parser import isoparse
from dateutil.rrule import rrule, rrulestr

from datadialog.config_model import DatadialogConfig, MeetingSeries

#: Years over which a rewritten deck-run rule must match the meeting rule exactly.
VERIFY_YEARS = 8
#: Days of explicit deck-run dates given when a rule cannot be rewritten (safe 90-1500).
RDATE_HORIZON_DAYS = 730
#: Most explicit dates in one schedule (Prefect accepts RRULE strings up to 6,500 characters).
RDATE_MAX = 300

_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_STAMP = "%Y%m%dT%H%M%S"


# ---------------------------------------------------------------- meeting times


def meeting_start(meeting: MeetingSeries) -> datetime:
    """The rule's anchor: ``starts`` at the meeting's local time (naive wall-clock time)."""
    return datetime.combine(meeting.starts, time.fromisoformat(meeting.time))


def meeting_rule(meeting: MeetingSeries) -> rrule:
    """The meeting times as a dateutil rule (naive local wall-clock times)."""
    return rrulestr(_bare_rule(meeting.rrule), dtstart=meeting_start(meeting))


def _bare_rule(text: str) -> str:
    text = text.strip()
    return text[len("RRULE:") :] if text.upper().startswith("RRULE:") else text


def _naive_local(moment: datetime | date, tz: ZoneInfo) -> datetime:
    if not isinstance(moment, datetime):
        return datetime.combine(moment, time())
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(tz).replace(tzinfo=None)


def meeting_times(
    meeting: MeetingSeries, start: datetime | date, end: datetime | date, tz: str
) -> list[datetime]:
    """Meetings from ``start`` to ``end`` (both included), as aware local datetimes.

    Naive bounds are local wall-clock times; a date bound is that day's midnight.
    """
    zone = ZoneInfo(tz)
    found = meeting_rule(meeting).between(
        _naive_local(start, zone), _naive_local(end, zone), inc=True
    )
    return [m.replace(tzinfo=zone) for m in found]


def deck_run_time(meeting: MeetingSeries, meeting_time: datetime) -> datetime:
    """When the decks of the meeting at ``meeting_time`` are made: lead_days earlier, same
    local wall-clock time."""
    local = meeting_time
    if meeting_time.tzinfo is not None:
        zone = meeting_time.tzinfo
        local = meeting_time.replace(tzinfo=None) - timedelta(days=meeting.lead_days)
        return local.replace(tzinfo=zone)
    return local - timedelta(days=meeting.lead_days)


def meeting_for_run(meeting: MeetingSeries, run_time: datetime, tz: str) -> date:
    """The meeting a deck run at ``run_time`` prepares.

    Of the meetings at or after the run, the one whose deck-run time is nearest to
    ``run_time``: for a scheduled run exactly the meeting ``lead_days`` later, and a run
    that starts late (a worker was down) still prepares that meeting. A run started by
    hand prepares the next meeting whose decks are due.
    """
    zone = ZoneInfo(tz)
    local = _naive_local(run_time, zone)
    rule = meeting_rule(meeting)
    lead = timedelta(days=meeting.lead_days)
    candidates = []
    cursor = local
    for _ in range(3):
        nxt = rule.after(cursor, inc=True)
        if nxt is None:
            break
        candidates.append(nxt)
        cursor = nxt + timedelta(seconds=1)
    if not candidates:
        raise ValueError(f"meeting series {meeting.id!r} has no meeting after {local:%Y-%m-%d}")
    best = min(candidates, key=lambda m: abs((m - lead) - local))
    return best.date()


def is_meeting_day(meeting: MeetingSeries, day: date) -> bool:
    """True when the series has a meeting on ``day``."""
    start = datetime.combine(day, time())
    return bool(meeting_rule(meeting).between(start, start + timedelta(days=1), inc=False))


def meeting_days(meeting: MeetingSeries, day: date) -> tuple[bool, date | None, date | None]:
    """Whether the series meets on ``day`` by its calendar (from ``starts``), and its last
    meeting before ``day`` and first after it (None: there is none): what a returned
    agreement file's meeting date is checked with (transforms.agreements.MeetingDays)."""
    rule = meeting_rule(meeting)
    start = datetime.combine(day, time())
    before = rule.before(start, inc=False)
    after = rule.after(start + timedelta(days=1), inc=True)
    return (day >= meeting.starts and is_meeting_day(meeting, day),
            before.date() if before and before.date() >= meeting.starts else None,
            after.date() if after else None)


# ---------------------------------------------------------------- the deck-run rule


def _parts(text: str) -> dict[str, str]:
    parts: dict[str, str] = {}
    for piece in _bare_rule(text).split(";"):
        if piece.strip():
            key, _, value = piece.partition("=")
            parts[key.strip().upper()] = value.strip().upper()
    return parts


def _shift_weekday(day: str, days: int) -> str:
    return _WEEKDAYS[(_WEEKDAYS.index(day) - days) % 7]


def _split_byday(value: str) -> list[tuple[int | None, str]]:
    out = []
    for item in value.split(","):
        item = item.strip()
        ordinal, code = item[:-2], item[-2:]
        out.append((int(ordinal) if ordinal not in ("", "+") else None, code))
    return out


def _shift_until(value: str, days: int) -> str:
    moment = isoparse(value.rstrip("Z"))
    return (moment - timedelta(days=days)).strftime(_STAMP)


def shifted_rule_parts(meeting: MeetingSeries) -> dict[str, str] | None:
    """The meeting rule's parts moved ``lead_days`` earlier, or None when the rule has a
    shape that cannot be moved exactly (see the module doc)."""
    parts = _parts(meeting.rrule)
    days = meeting.lead_days
    if days == 0:
        return parts
    freq = parts.get("FREQ")
    never = {"BYSETPOS", "BYYEARDAY", "BYWEEKNO", "BYEASTER"}
    if never & parts.keys():
        return None
    out = dict(parts)
    if "UNTIL" in parts:
        out["UNTIL"] = _shift_until(parts["UNTIL"], days)
    byday = _split_byday(parts["BYDAY"]) if "BYDAY" in parts else []
    monthdays = [int(v) for v in parts["BYMONTHDAY"].split(",")] if "BYMONTHDAY" in parts else []
    if freq in ("DAILY", "WEEKLY"):
        if "BYMONTH" in parts or monthdays or any(o is not None for o, _ in byday):
            return None
        if byday:
            out["BYDAY"] = ",".join(_shift_weekday(code, days) for _, code in byday)
        if freq == "WEEKLY":
            out["WKST"] = _shift_weekday(parts.get("WKST", "MO"), days)
        return out
    if freq in ("MONTHLY", "YEARLY"):
        if freq == "YEARLY" and ("BYMONTH" not in parts or byday):
            return None
        if monthdays and not byday:
            if any(d < 1 or d > 28 or d - days < 1 for d in monthdays):
                return None
            out["BYMONTHDAY"] = ",".join(str(d - days) for d in monthdays)
            return out
        if len(byday) == 1 and not monthdays:
            ordinal, code = byday[0]
            if ordinal is None:
                return None if "BYMONTH" in parts else {
                    **out, "BYDAY": _shift_weekday(code, days)}
            if not 1 <= ordinal <= 4:
                return None
            first, last = 7 * (ordinal - 1) + 1 - days, 7 * ordinal - days
            if first < 1:
                return None
            out["BYDAY"] = _shift_weekday(code, days)
            out["BYMONTHDAY"] = ",".join(str(d) for d in range(first, last + 1))
            return out
    return None


def _rule_text(parts: dict[str, str]) -> str:
    order = ["FREQ"] + sorted(k for k in parts if k != "FREQ")
    return ";".join(f"{k}={parts[k]}" for k in order)


@dataclass(frozen=True)
class DeckRunRule:
    """The deck-run schedule of one meeting series, as Prefect takes it."""

    meeting_id: str
    #: ``DTSTART:...`` + ``RRULE:...`` (exact) or ``RDATE:...`` (explicit dates).
    text: str
    timezone: str
    #: True when the rule was rewritten exactly; False for explicit dates.
    exact: bool
    #: Explicit dates run out after this local time (None for an exact rule).
    horizon_end: datetime | None = None


def _verify(meeting: MeetingSeries, shifted: rrule) -> bool:
    original = meeting_rule(meeting)
    lead = timedelta(days=meeting.lead_days)
    start = meeting_start(meeting) - lead - timedelta(days=1)
    end = start + timedelta(days=365 * VERIFY_YEARS)
    expected = [m - lead for m in original.between(start, end + lead, inc=True)]
    expected = [m for m in expected if m <= end]
    got = shifted.between(start, end, inc=True)
    return expected == got


def deck_run_rule(
    meeting: MeetingSeries, tz: str, today: date | None = None
) -> DeckRunRule:
    """The schedule whose occurrences are the meeting times moved ``lead_days`` earlier."""
    lead = timedelta(days=meeting.lead_days)
    first = meeting_rule(meeting).after(meeting_start(meeting), inc=True)
    parts = shifted_rule_parts(meeting)
    if parts is not None and first is not None:
        dtstart = first - lead
        text = f"DTSTART:{dtstart.strftime(_STAMP)}\nRRULE:{_rule_text(parts)}"
        if _verify(meeting, rrulestr(text)):
            return DeckRunRule(meeting.id, text, tz, exact=True)
    today = today or datetime.now(ZoneInfo(tz)).date()
    start = datetime.combine(today, time())
    end = start + timedelta(days=RDATE_HORIZON_DAYS)
    runs = [m - lead for m in meeting_rule(meeting).between(start + lead, end + lead, inc=True)]
    runs = runs[:RDATE_MAX]
    if not runs:
        raise ValueError(
            f"meeting series {meeting.id!r}: no meeting in the {RDATE_HORIZON_DAYS} days "
            f"from {today:%Y-%m-%d}, so nothing to schedule"
        )
    text = "RDATE:" + ",".join(r.strftime(_STAMP) for r in runs)
    return DeckRunRule(meeting.id, text, tz, exact=False, horizon_end=runs[-1])


# ---------------------------------------------------------------- upcoming meetings


@dataclass(frozen=True)
class Upcoming:
    """One meeting in the coming weeks and when its decks are made."""

    meeting: MeetingSeries
    meeting_time: datetime
    deck_run_time: datetime

    @property
    def meeting_date(self) -> date:
        return self.meeting_time.date()


def upcoming_meetings(
    config: DatadialogConfig, start: datetime | date, end: datetime | date
) -> list[Upcoming]:
    """Every meeting from ``start`` to ``end`` of every series, by meeting time."""
    tz = config.organisation.timezone
    found = [
        Upcoming(m, when, deck_run_time(m, when))
        for m in config.meetings
        for when in meeting_times(m, start, end, tz)
    ]
    return sorted(found, key=lambda u: (u.meeting_time, u.meeting.id))
