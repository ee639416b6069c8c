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
from dataclasses import dataclass, field
from datetime import date, timedelta

from datadialog.privacy import mask_text
from outputs.fmt import fmt_count, fmt_date, fmt_number
from outputs.spec import SlideSpec, TableSpec, TextBlock
from outputs.table_pages import cut_text, list_pages, table_pages
from outputs.texts import has_text, step_names, t, tl

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
                       lang: str, section: str = "", n_refused: int = 0) -> SlideSpec:
    """All agreements of the series' last meeting (step 1), or that none came back; the
    title counts the rows that were refused (``n_refused``) beside those stored. One
    slide, however many rows: :func:`series_since_slides` splits it."""
    prompt = TextBlock(heading=step_names(lang)[0], bullets=tl("prompts_since", lang))
    when = fmt_date(last_meeting, lang) if last_meeting else None
    title = (t("since_series_title", lang, date=when) if when
             else t("since_series_title_none", lang))
    if not items:
        return SlideSpec(kind="text", title=title, section=section,
                         blocks=[TextBlock(paragraph=t("since_series_none", lang)), prompt])
    n_done = sum(1 for i in items if i.status == "done")
    key = "since_series_title_n_refused" if n_refused else "since_series_title_n"
    return SlideSpec(kind="table", title=t(key, lang, date=when, done=n_done,
                                           total=len(items), refused=n_refused),
                     section=section, table=since_table(items, meeting_date, lang),
                     notes="\n".join([prompt.heading, *prompt.bullets]))


@dataclass
class RefusedItem:
    """An agreement row refused when its file came back (mart_refused_agreements): the
    agreement's text is not kept, only where it is and why."""

    file_name: str
    location: str  # "dias 12, række 2" / "række 5"
    rules: list[str]
    reasons: list[str]  # the quarantine messages (Danish), one per rule
    values: list[str] = field(default_factory=list)  # the refused cells as read ('' empty)


#: Refused rows listed on one slide (more go on the next, "(2/2)").
REFUSED_PER_SLIDE = 6
#: Characters of a refused cell's value shown (a long one is cut with an ellipsis).
REFUSED_VALUE_CHARS = 40


def refused_line(item: RefusedItem, lang: str, with_file: bool = True) -> str:
    """"borger_..._aftaler.xlsx, række 8: datoen kan ikke læses (skriv fx 24-11-2026):
    »næste uge«" (CPR numbers masked; in English the reasons by their rule)."""
    why = []
    values = item.values or [""] * len(item.rules)
    for rule, reason, value in zip(item.rules, item.reasons, values, strict=False):
        key = f"refused_rule_{rule}"
        if lang != "da" and has_text(key):
            reason = t(key, lang)
        elif not reason:
            reason = t(key, lang) if has_text(key) else rule
        if value and rule != "agreement_course_cpr":  # a CPR course is named hidden
            reason = t("refused_value", lang, reason=reason,
                       value=cut_text(value, REFUSED_VALUE_CHARS))
        why.append(reason)
    where = item.location
    if lang != "da":
        where = where.replace("dias", "slide").replace("række", "row")
    if not with_file:
        return mask_text(t("refused_item_here", lang, where=where, why="; ".join(why)))
    return mask_text(t("refused_item", lang, file=item.file_name, where=where,
                       why="; ".join(why)))


def refused_slides(refused: list[RefusedItem], agreed_on: date | None, lang: str,
                   section: str = "") -> list[SlideSpec]:
    """The agreement rows of the last meeting that could not be read: where, why, and
    to correct them and return the file (split over slides of ``REFUSED_PER_SLIDE``)."""
    if not refused:
        return []
    when = fmt_date(agreed_on, lang) if agreed_on else "–"
    n = len(refused)
    title = (t("refused_title_one", lang, date=when) if n == 1
             else t("refused_title", lang, n=n, date=when))
    files = sorted({r.file_name for r in refused})
    one_file = len(files) == 1  # the file named once, in the heading
    heading = (mask_text(t("refused_heading_file", lang, file=files[0])) if one_file
               else t("refused_heading", lang))
    slide = SlideSpec(kind="text", title=title, section=section,
                      blocks=[TextBlock(heading=heading,
                                        bullets=[refused_line(r, lang, not one_file)
                                                 for r in refused]),
                              TextBlock(paragraph=t("refused_note", lang))])
    return list_pages(slide, REFUSED_PER_SLIDE)


def series_since_slides(items: list[SinceItem], last_meeting: date | None,
                        meeting_date: date, lang: str, section: str = "",
                        refused: list[RefusedItem] | None = None,
                        refused_on: date | None = None) -> list[SlideSpec]:
    """Step 1's "since last time": the last meeting's agreements split over as many
    slides as they need (``outputs.table_pages``: "Siden sidst ... (1/3)"), then the rows
    of that meeting that were refused when their file came back. With only refused rows,
    no "none came back" slide: they came back, but could not be read."""
    refused = refused or []
    slides: list[SlideSpec] = []
    if items or not refused:
        slides = table_pages(series_since_slide(items, last_meeting, meeting_date, lang,
                                                section, n_refused=len(refused)))
    return slides + refused_slides(refused, refused_on or last_meeting, lang, section)


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
