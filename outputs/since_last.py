"""Step 1, "since last time" (siden sidst), made real: last meeting's agreements with
their status and what the data show since, and what changed between the previous
meeting's data cut-off and this one's.

Pure functions of plain data (the gather step reads the marts): an agreement's status
is done, dropped, not done, or not done with its date passed (overdue at the meeting);
"what the data show since" is given for an agreement whose "how we see it in the data"
names an instrument by its short name (ORS, SRS, SDQ ...): the last score on or before
the meeting that made the agreement against the latest score after it, with the
instrument's direction and reliable-change size deciding the words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from outputs.fmt import fmt_count, fmt_date, fmt_number
from outputs.spec import SlideSpec, TableSpec, TextBlock
from outputs.texts import step_names, t, tl

#: Event kinds of mart_citizen_events in the order the summary lists them.
CHANGE_KINDS = ("measurement", "reliable_improvement", "reliable_deterioration", "goal_reached",
                "course_started", "course_ended")


@dataclass
class Reading:
    """One instrument's scores on a course (or the intervention's monthly means)."""

    short_name: str
    direction: str  # higher_is_better | higher_is_worse
    reliable_change_points: float | None
    points: list[tuple[date, float]]  # (measured on / month, score), scored only
    is_group_mean: bool = False  # monthly means of the intervention, not one citizen
    flat_below: float | None = None  # group means: a smaller change is "about the same"


def named_reading(indicator: str | None, readings: list[Reading]) -> Reading | None:
    """The reading whose instrument the indicator text names (whole word, any case)."""
    if not indicator:
        return None
    for reading in readings:
        if re.search(rf"(?<![\w-]){re.escape(reading.short_name)}(?![\w-])", indicator,
                     re.IGNORECASE):
            return reading
    return None


def data_since(indicator: str | None, readings: list[Reading], agreed_on: date | None,
               lang: str, until: date | None = None) -> str:
    """What the data show since the agreement, in words ("" when no instrument named);
    ``until``: the deck's data cut-off (a score dated after it is not read)."""
    reading = named_reading(indicator, readings)
    if reading is None or agreed_on is None:
        return ""
    before = [p for p in reading.points if p[0] <= agreed_on]
    after = [p for p in reading.points if p[0] > agreed_on and (until is None or p[0] <= until)]
    name = reading.short_name
    if not after:
        return t("since_data_none", lang, instrument=name)
    latest = after[-1]
    if not before:
        return t("since_data_first", lang, instrument=name, score=fmt_number(latest[1], lang),
                 date=fmt_date(latest[0], lang))
    first, last = round(before[-1][1], 1), round(latest[1], 1)
    diff = last - first  # from the numbers as printed (22,4 -> 27,0 is +4,6)
    better = diff * (1 if reading.direction == "higher_is_better" else -1)
    rc = reading.reliable_change_points
    if abs(diff) < 0.05:
        word = t("since_data_same", lang)
    elif reading.is_group_mean and reading.flat_below and abs(diff) < reading.flat_below:
        word = t("since_data_mean_flat", lang)
    elif reading.is_group_mean:
        word = t("since_data_mean_better" if better > 0 else "since_data_mean_worse", lang)
    elif rc is not None and abs(diff) >= rc:
        word = t("since_data_reliably_better" if better > 0 else "since_data_reliably_worse",
                 lang)
    else:
        word = t("since_data_better" if better > 0 else "since_data_worse", lang)
    return t("since_data_change", lang, instrument=name, before=fmt_number(first, lang),
             after=fmt_number(last, lang), diff=fmt_number(diff, lang, sign=True), word=word)


def status_text(status: str | None, follow_up_on: date | None, meeting_date: date,
                lang: str) -> str:
    """done / dropped / not done / not done and overdue, at the meeting."""
    status = status or "open"
    if status != "open":
        return t(f"agreement_status_{status}", lang)
    if follow_up_on is not None and follow_up_on < meeting_date:
        return t("agreement_overdue", lang)
    return t("agreement_status_open", lang)


@dataclass
class SinceItem:
    """One agreement of the last meeting."""

    text: str
    owner: str | None
    follow_up_on: date | None
    status: str | None  # open | done | dropped (None: open)
    data: str = ""  # what the data show since ("" when no instrument is named)
    subject: str = ""  # citizen's display name or theme (set by the pack builder)
    citizen_id: str | None = None
    course_id: str | None = None


def since_table(items: list[SinceItem], meeting_date: date, lang: str) -> TableSpec:
    return TableSpec(
        columns=t("since_columns", lang).split("|"),
        rows=[[i.subject or "–", i.text, i.owner or "–", fmt_date(i.follow_up_on, lang),
               status_text(i.status, i.follow_up_on, meeting_date, lang), i.data or "–"]
              for i in items],
        column_widths=[1.5, 4, 1.6, 1.5, 2, 3],
    )


def series_since_slide(items: list[SinceItem], last_meeting: date | None, meeting_date: date,
                       lang: str, section: str = "") -> SlideSpec:
    """All agreements of the series' last meeting (step 1), or that none came back."""
    prompt = TextBlock(heading=step_names(lang)[0], bullets=tl("prompts_since", lang))
    when = fmt_date(last_meeting, lang) if last_meeting else None
    title = (t("since_series_title", lang, date=when) if when
             else t("since_series_title_none", lang))
    if not items:
        return SlideSpec(kind="text", title=title, section=section,
                         blocks=[TextBlock(paragraph=t("since_series_none", lang)), prompt])
    n_done = sum(1 for i in items if i.status == "done")
    return SlideSpec(kind="table", title=t("since_series_title_n", lang, date=when,
                                           done=n_done, total=len(items)),
                     section=section, table=since_table(items, meeting_date, lang),
                     notes="\n".join([prompt.heading, *prompt.bullets]))


@dataclass
class ChangeSummary:
    """Events between the previous meeting's data cut-off and this one's."""

    since: date
    until: date
    counts: dict[str, int | None]  # event kind -> citizens (None: hidden below k)
    n_quality_flags: int = 0


def change_counts(events: list[dict], k: int | None = None) -> dict[str, int | None]:
    """Per event kind: forms for new measurements, citizens for the rest; with ``k``
    (intervention level) a count made of fewer than k citizens is hidden (None)."""
    counts: dict[str, int | None] = {}
    for kind in CHANGE_KINDS:
        rows = [e for e in events if e["event_kind"] == kind]
        citizens = {e["citizen_id"] for e in rows}
        n = len(rows) if kind == "measurement" else len(citizens)
        counts[kind] = None if k is not None and 0 < len(citizens) < k else n
    return counts


def changes_slide(summary: ChangeSummary, lang: str, k: int) -> SlideSpec:
    """One slide: new measurements, reliable changes, goals reached, new quality flags,
    courses started and ended since the last data cut-off."""
    bullets = [t(f"change_{kind}", lang, n=fmt_count(summary.counts.get(kind, 0), k))
               for kind in CHANGE_KINDS]
    bullets.append(t("change_quality_flags", lang, n=summary.n_quality_flags))
    return SlideSpec(
        kind="text",
        # the events counted are those after the last cut-off (summary.since, excluded)
        title=t("changes_title", lang, since=fmt_date(summary.since + timedelta(days=1), lang),
                until=fmt_date(summary.until, lang)),
        blocks=[TextBlock(heading=t("changes_heading", lang), bullets=bullets),
                TextBlock(paragraph=t("changes_note", lang))],
    )
