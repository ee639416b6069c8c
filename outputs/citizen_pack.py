"""The citizen-level pack (borgerniveau, every two weeks, per team).

:func:`build_citizen_deck` turns a :class:`CitizenPackData` (plain numbers) into a
:class:`~outputs.spec.DeckSpec`; :func:`gather_citizen_pack` reads that data object from
the citizen marts (``mart_citizen_*``) through a DuckDB connection.

Slides: title; agenda and roles; the four dialogue steps; then per citizen on the
agenda: agreements from last time (step 1), progression per instrument with the
cut-off band and reliable-change markers (step 2), goals and their status, the
citizen's own ratings against staff ratings with KiK per core element (step 3), and an
agreement sheet to fill in (step 4). Citizens are named by a short pseudonym or by two
derived letters as configured; a CPR number can never be a display name (see
:func:`display_names`).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date

from datadialog.agreement_form import MeetingKey
from datadialog.privacy import contains_cpr
from outputs.claims import change_text, round_to
from outputs.common import (
    AgreementItem,
    DeckOptions,
    Roles,
    ScaleInfo,
    agenda_slide,
    agreement_sheet_slide,
    better_sign,
    cutoff_text,
    dialogue_slide,
    point_label,
    scale_bands,
    shading_how,
    since_last_slide,
    step_label,
)
from outputs.course_texts import ct, ctl
from outputs.fmt import (
    fmt_date,
    fmt_date_short,
    fmt_level,
    fmt_number,
    join_names,
    lower_first,
)
from outputs.since_last import (
    ChangeSummary,
    RefusedItem,
    SinceItem,
    changes_slide,
    series_since_slides,
)
from outputs.spec import Cell, DeckSpec, FigureSpec, SlideSpec, TableSpec, TextBlock
from outputs.style import LATEST_COLOUR, MUTED, PREVIOUS_COLOUR, RED
from outputs.table_pages import table_pages
from outputs.texts import t, tl

#: Most instruments drawn side by side on one progression slide.
CHARTS_PER_SLIDE = 2
#: Most goal rows on one slide (more go on a continuation slide).
GOALS_PER_SLIDE = 6
#: Minutes of the meeting kept for welcome and for wrap-up.
WELCOME_MINUTES, CLOSE_MINUTES = 3, 3
GOAL_CATEGORIES = ("progression_reached", "positive_development", "maintenance_reached",
                   "no_development", "deterioration")


# ====================================================================== the data object


@dataclass
class ScorePoint:
    point_id: str | None  # planned point id (start, mid, end, fu6 ...), None when unplanned
    measured_on: date | None
    score: float | None  # None: not scored (too many items missing) or not measured
    rci_class: str | None = None  # vs baseline: recovered | reliably_improved | unchanged | ...
    expected: float | None = None  # expected score for the citizen's intake (expected course)
    band_edge: float | None = None  # edge of the expected band on the worse side
    flags: tuple[tuple[str, str], ...] = ()  # (rule id, error | warning) from the checks


@dataclass
class InstrumentSeries:
    instrument_id: str
    scale: ScaleInfo
    rater: str  # citizen | staff | parent | teacher
    points: list[ScorePoint]

    def scored(self) -> list[ScorePoint]:
        return [p for p in self.points if p.score is not None]


@dataclass(frozen=True)
class FlagReason:
    """A live red or amber off-course flag of one instrument (mart_citizen_course_flags)."""

    instrument: str  # short name
    point_id: str | None
    score: float
    expected: float | None  # None under the reliable-change fallback
    reason: str  # below_band | reliable_deterioration | below_expected | no_reliable_change
    #: why the reliable-change rule flagged it: few_reference_courses | no_intake (None
    #: under the expected course)
    fallback: str | None = None


@dataclass(frozen=True)
class AllianceSignal:
    """The latest alliance form (SRS) when it is a reason to talk."""

    score: float
    is_below_cutoff: bool
    is_drop: bool


@dataclass
class CitizenGoal:
    life_area: str
    description: str
    goal_type: str  # progression | maintenance
    baseline_level: float | None
    latest_level: float | None
    category: str | None  # one of GOAL_CATEGORIES, None when not assessed yet


@dataclass
class KikElement:
    name: str
    latest: float | None
    previous: float | None = None
    note: str = ""


@dataclass
class CitizenCase:
    citizen_id: str  # pseudonym ("P-" + 16 hex), shown shortened (see display_names)
    course_id: str
    intervention_name: str
    start_date: date | None
    case_status: str  # open | closed_planned | closed_unplanned
    initials: str | None = None  # real initials if a source ever supplies them
    series: list[InstrumentSeries] = field(default_factory=list)
    goals: list[CitizenGoal] = field(default_factory=list)
    kik: list[KikElement] = field(default_factory=list)
    kik_min: float = 1
    kik_max: float = 5
    n_kik_forms: int = 0
    agreements: list[AgreementItem] = field(default_factory=list)
    course_flag: str | None = None  # red | amber | green: the worst live off-course flag
    flag_reasons: list[FlagReason] = field(default_factory=list)  # live red/amber flags
    alliance: AllianceSignal | None = None  # the latest alliance form, when it signals
    reasons: list[str] = field(default_factory=list)  # why on the agenda (empty: rotation)


@dataclass
class CitizenPackData:
    team_name: str
    intervention_name: str
    meeting_date: date
    citizens: list[CitizenCase]
    meeting_length_minutes: int = 30
    roles: Roles = field(default_factory=Roles)
    meeting_id: str = ""  # the series; with meeting_date it keys the returned agreements
    n_flagged_left_out: int = 0  # citizens with a reason to come up who did not fit
    #: the first of them in line (the agenda's order), named on the agenda slide
    first_in_line: list[CitizenCase] = field(default_factory=list)
    rotation_meetings: int | None = None  # meetings a full rotation of the others takes
    since_last: list[SinceItem] = field(default_factory=list)  # last meeting's agreements
    #: rows of that meeting refused when their file came back (mart_refused_agreements)
    refused: list[RefusedItem] = field(default_factory=list)
    refused_on: date | None = None  # the meeting the refused rows are from
    last_meeting: date | None = None  # the series' meeting before this one
    changes: ChangeSummary | None = None  # what changed since its data cut-off


# ====================================================================== helpers


#: Hex characters of the pseudonym shown on slides ("P-c8854e"); more only on a collision.
SHORT_PSEUDONYM_HEX = 6
_PSEUDONYM = re.compile(r"^P-([0-9a-f]{7,})$")
#: Letters for derived initials (I and O left out: too like 1 and 0 on a screen).
_INITIAL_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"


def short_pseudonyms(ids: list[str]) -> dict[str, str]:
    """Each pseudonym shortened to ``P-`` + its first 6 hex characters, lengthened one
    character at a time only while it would collide with another citizen in ``ids``.
    Ids that are not ``P-`` + hex are kept whole."""
    distinct = list(dict.fromkeys(ids))
    out: dict[str, str] = {}
    for pid in distinct:
        match = _PSEUDONYM.match(pid)
        if match is None:
            out[pid] = pid
            continue
        hexpart = match.group(1)
        others = [o for o in distinct if o != pid]
        length = SHORT_PSEUDONYM_HEX
        while length < len(hexpart) and (
            any(o.startswith("P-" + hexpart[:length]) for o in others)
            or contains_cpr("P-" + hexpart[:length])
        ):
            length += 1
        out[pid] = "P-" + hexpart[:length]
    return out


def derived_initials(pseudonym: str, attempt: int = 0) -> str:
    """Two letters derived from the pseudonym (the data holds no names): bytes of the
    pseudonym's SHA-256 picked by ``attempt``, each mapped onto A-Z without I and O. The
    same pseudonym always gives the same letters; ``attempt`` > 0 gives alternatives."""
    digest = hashlib.sha256(pseudonym.encode("utf-8")).digest()
    i = (2 * attempt) % (len(digest) - 1)
    n = len(_INITIAL_LETTERS)
    return _INITIAL_LETTERS[digest[i] % n] + _INITIAL_LETTERS[digest[i + 1] % n]


def display_names(cases: list[CitizenCase], how: str) -> list[str]:
    """How each citizen is named on the deck's slides, never anything shaped like a CPR.

    ``pseudonym``: the short pseudonym (:func:`short_pseudonyms`). ``initials``: the
    case's initials when the data object carries them, else two letters derived from the
    pseudonym (:func:`derived_initials`); when two citizens on the deck would share the
    letters, the one whose pseudonym sorts later takes the next letters derived from it.
    """
    for case in cases:
        if contains_cpr(case.citizen_id):
            raise ValueError("a citizen id looks like a CPR number; refusing to put it on a slide")
    short = short_pseudonyms([c.citizen_id for c in cases])
    if how != "initials":
        return [short[c.citizen_id] for c in cases]
    chosen: dict[str, str] = {}
    taken: set[str] = set()
    given = {c.citizen_id: c.initials for c in cases
             if c.initials and not any(ch.isdigit() for ch in c.initials)
             and not contains_cpr(c.initials)}
    for pid in sorted(dict.fromkeys(c.citizen_id for c in cases)):
        name = given.get(pid)
        if name is not None and name in taken:
            name = f"{name} ({short[pid]})"
        if name is None:
            for attempt in range(16):
                name = derived_initials(pid, attempt)
                if name not in taken:
                    break
            else:
                name = short[pid]
        chosen[pid] = name
        taken.add(name)
    return [chosen[c.citizen_id] for c in cases]


def display_name(case: CitizenCase, how: str) -> str:
    """The name of one citizen on its own (see :func:`display_names` for a whole deck)."""
    return display_names([case], how)[0]


def _value_format(series: InstrumentSeries) -> str:
    """One decimal for an instrument whose scores have decimals (GAS, means, prorated
    sums), for every citizen alike; else whole numbers unless a score has decimals."""
    if series.scale.decimal_scores:
        return "dec1"
    scores = [p.score for p in series.scored()]
    return "int" if all(float(s).is_integer() for s in scores) else "dec1"


def _fmt(value: float | None, vf: str, lang: str) -> str:
    return fmt_number(value, lang, 0 if vf == "int" else 1)


def _printed_change(series: InstrumentSeries) -> float:
    """Latest minus first as the slide prints them (45,4 -> 40,9 is -4,5, not -4,6)."""
    scored = series.scored()
    decimals = 0 if _value_format(series) == "int" else 1
    return round_to(round_to(scored[-1].score, decimals) - round_to(scored[0].score, decimals),
                    decimals)


def flag_note(series: InstrumentSeries, lang: str, rule_titles: dict[str, str]) -> str:
    """The footnote under a chart with flagged points: which point, which rule, how bad."""
    items = []
    for p in series.points:
        if p.flags and p.score is not None:
            rules = ", ".join(f"{rule_titles.get(rule, rule)} ({t(f'severity_{sev}', lang)})"
                              for rule, sev in p.flags)
            items.append(f"{fmt_date_short(p.measured_on, lang)}: {rules}")
    return t("flag_note", lang, items="; ".join(items)) if items else ""


def progression_figure(series: InstrumentSeries, lang: str, fig_id: str,
                       rule_titles: dict[str, str] | None = None) -> FigureSpec:
    """One instrument's scores over the measurement points, with band and markers; a point
    the quality checks flagged is ringed and named in a footnote."""
    scale = series.scale
    vf = _value_format(series)
    categories, cells = [], []
    sign = better_sign(scale.direction)
    seen: dict[str, int] = {}
    # the band only once there is a point after the intake to hold against it
    has_expected = sum(p.expected is not None for p in series.points) >= 2
    for p in series.points:
        label = point_label(p.point_id, lang)
        seen[label] = seen.get(label, 0) + 1
        if seen[label] > 1:
            label = f"{label} {seen[label]}"
        cat = f"{label}\n{fmt_date_short(p.measured_on, lang)}" if p.measured_on else (
            f"{label}\n({t('not_measured', lang)})")
        categories.append(cat)
        marker = None
        if p.score is not None and p.rci_class in ("recovered", "reliably_improved"):
            marker = "improved"
        elif p.score is not None and p.rci_class == "reliably_deteriorated":
            marker = "deteriorated"
        cells.append(Cell(cat, t("series_score", lang), p.score, n=1, marker=marker,
                          flagged=bool(p.flags) and p.score is not None))
        if p.expected is not None and has_expected:
            cells.append(Cell(cat, ct("series_expected", lang), p.expected, n=None))
            cells.append(Cell(cat, ct("series_band_edge", lang), p.band_edge, n=None))
    expected_series = ([ct("series_expected", lang), ct("series_band_edge", lang)]
                       if has_expected else [])
    scored = series.scored()
    name = scale.short_name
    if not scored:
        title = t("prog_title_none", lang, instrument=name)
    else:
        latest = _fmt(scored[-1].score, vf, lang)
        if len(scored) == 1:
            key = "prog_title_single"
        else:
            key = {
                "recovered": "prog_title_recovered",
                "reliably_improved": "prog_title_improved",
                "reliably_deteriorated": "prog_title_deteriorated",
            }.get(scored[-1].rci_class or "", "prog_title_unchanged")
            if scored[-1].rci_class is None:  # no reliable-change rule for this instrument
                key = "prog_title_change"
        change = change_text(_printed_change(series), scale.direction, lang,
                             decimals=0 if vf == "int" else 1)
        title = t(key, lang, instrument=name, latest=latest, change=change)
    direction = t("higher_better" if sign > 0 else "higher_worse", lang)
    bands = scale_bands(scale, lang)
    how = (t("prog_how", lang, shading=shading_how(scale, bands, lang))
           + (ct("prog_how_expected", lang) if has_expected else ""))
    return FigureSpec(
        id=fig_id,
        chart="line",
        title=title,
        x_label="",
        y_label=t("prog_y", lang, instrument=name, direction=direction),
        categories=categories,
        series=[t("series_score", lang), *expected_series],
        cells=cells,
        how_to_read=how,
        dashed_series=expected_series,
        unlabelled_series=expected_series,
        series_colours=dict(zip(expected_series, (MUTED, RED), strict=False)),
        # "how to read" names the line, the band, the markers and both dashed lines: a
        # legend of four entries left a half-width chart a strip of plot (LibreOffice)
        legend=False,
        render="native",
        value_format=vf,  # type: ignore[arg-type]
        y_min=scale.score_min,
        y_max=scale.score_max,
        cutoff=scale.cutoff,
        cutoff_label=cutoff_text(scale, lang),
        bands=bands,
        n_note=" · ".join(x for x in (
            t("prog_n_one" if len(scored) == 1 else "prog_n", lang, n=len(scored)),
            flag_note(series, lang, rule_titles or {})) if x),
        marker_labels={"improved": t("series_improved", lang),
                       "deteriorated": t("series_deteriorated", lang),
                       "flagged": t("series_flagged", lang)},
    )


def kik_figure(case: CitizenCase, lang: str, fig_id: str) -> FigureSpec:
    latest_name, previous_name = t("kik_latest", lang), t("kik_previous", lang)
    has_previous = any(e.previous is not None for e in case.kik)
    series = [latest_name] + ([previous_name] if has_previous else [])
    cells = []
    for e in case.kik:
        cells.append(Cell(e.name, latest_name, e.latest, n=1))
        if has_previous:
            cells.append(Cell(e.name, previous_name, e.previous, n=1))
    rated = [e for e in case.kik if e.latest is not None]
    vmax = fmt_number(case.kik_max, lang, 0)
    if not rated:
        title = t("kik_title_none", lang)
    else:
        least = round_to(min(e.latest for e in rated), 0)  # as the bars print it
        lows = [e.name for e in rated if round_to(e.latest, 0) == least]
        if least >= case.kik_max - 1:
            title = t("kik_title_even", lang, value=fmt_number(least, lang, 0), max=vmax)
        else:  # every element at the lowest value is named: a tie crowns no one
            # the first element opens the title, the others are words in it
            named = [lows[0], *(lower_first(x) for x in lows[1:])]
            title = t("kik_title_fig", lang, element=join_names(named, lang),
                      value=fmt_number(least, lang, 0), max=vmax)
    vf = "int" if all(float(c.value).is_integer() for c in cells if c.value is not None) else "dec1"
    return FigureSpec(
        id=fig_id,
        chart="bar",
        title=title,
        x_label="",
        y_label=t("kik_y", lang, min=fmt_number(case.kik_min, lang, 0), max=vmax),
        categories=[e.name for e in case.kik],
        series=series,
        cells=cells,
        how_to_read=t("kik_how", lang, min=fmt_number(case.kik_min, lang, 0), max=vmax)
        + (t("kik_how_previous", lang) if has_previous else ""),
        render="native",
        value_format=vf,  # type: ignore[arg-type]
        y_min=0,
        y_max=case.kik_max,
        horizontal=True,
        n_note=t("kik_n_one" if case.n_kik_forms == 1 else "kik_n", lang, n=case.n_kik_forms),
        series_colours={latest_name: LATEST_COLOUR, previous_name: PREVIOUS_COLOUR},
    )


def _verdict(series: InstrumentSeries) -> str | None:
    """better | worse | same for one instrument since start, None with one measurement.

    With a reliable-change rule it is the verdict the ratings table prints (a change
    within the measurement error is "same"); without one (GAS, ASI) it is the sign of the
    change the table prints (``_printed_change``, at the printed precision), taken by the
    instrument's direction: a staff GAS that fell 10 points points towards
    deterioration, as its goals' "Tilbagegang" says (docs/decks.md)."""
    scored = series.scored()
    if len(scored) < 2:
        return None
    if scored[-1].rci_class is not None:
        return {"recovered": "better", "reliably_improved": "better",
                "reliably_deteriorated": "worse"}.get(scored[-1].rci_class, "same")
    change = _printed_change(series) * better_sign(series.scale.direction)
    return "better" if change > 0 else "worse" if change < 0 else "same"


def _direction_word(verdicts: list[str], lang: str) -> str:
    """One word for a rater's instruments: mixed when they point both ways."""
    kinds = set(verdicts)
    if {"better", "worse"} <= kinds:
        return t("dir_mixed", lang)
    key = "better" if "better" in kinds else "worse" if "worse" in kinds else "same"
    return t(f"dir_{key}", lang)


def ratings_table(case: CitizenCase, lang: str) -> TableSpec:
    rows = []
    for s in case.series:
        scored = s.scored()
        vf = _value_format(s)
        first = _fmt(scored[0].score, vf, lang) if scored else "–"
        last = _fmt(scored[-1].score, vf, lang) if scored else "–"
        change = (fmt_number(_printed_change(s), lang, 0 if vf == "int" else 1, sign=True)
                  if len(scored) > 1 else "–")
        verdict = t(f"rci_{scored[-1].rci_class}", lang) if len(scored) > 1 and scored[
            -1].rci_class else "–"
        # the rater on a second line: one column fewer, so the table fits beside the KiK chart
        rows.append([f"{s.scale.short_name}\n({t(f'rater_{s.rater}', lang)})", first, last,
                     change, verdict])
    return TableSpec(columns=t("ratings_columns", lang).split("|"), rows=rows,
                     column_widths=[2.0, 1.1, 1.2, 1.2, 2.3])


def ratings_finding(case: CitizenCase, lang: str) -> str | None:
    """Where the citizen's and the staff's ratings point, in the words of the ratings table
    (reliable change). Alliance instruments (SRS) rate the collaboration, not the outcome:
    they are left out of the direction."""
    outcome = [s for s in case.series if s.scale.cutoff_kind != "alliance"]
    citizen = [v for s in outcome if s.rater == "citizen" and (v := _verdict(s)) is not None]
    staff = [v for s in outcome if s.rater != "citizen" and (v := _verdict(s)) is not None]
    if not outcome:
        return None

    def only_one(citizen_side: bool) -> bool:  # that side has instruments, each measured once
        side = [s for s in outcome if (s.rater == "citizen") == citizen_side]
        return bool(side) and all(len(s.scored()) < 2 for s in side)

    if not citizen and not staff:
        return t("ratings_first_only", lang)
    if not staff:
        return t("ratings_only_citizen" if only_one(False) else "ratings_citizen", lang,
                 direction=_direction_word(citizen, lang))
    if not citizen:
        return t("ratings_only_staff" if only_one(True) else "ratings_staff", lang,
                 direction=_direction_word(staff, lang))
    c_word, s_word = _direction_word(citizen, lang), _direction_word(staff, lang)
    if c_word == s_word:
        return t("ratings_compare_both", lang, direction=c_word)
    return t("ratings_compare_split", lang, citizen=c_word, staff=s_word)


def goals_table(goals: list[CitizenGoal], lang: str) -> TableSpec:
    rows = []
    for g in goals:
        status = t(f"cat_{g.category}", lang) if g.category else t("cat_not_assessed", lang)
        # a goal not assessed yet has no latest level: its start level is not a rating
        latest = fmt_level(g.latest_level, lang) if g.category else "–"
        rows.append([g.life_area, g.description or "–", t(f"goal_type_{g.goal_type}", lang),
                     fmt_level(g.baseline_level, lang), latest, status])
    return TableSpec(columns=t("goals_columns", lang).split("|"), rows=rows,
                     column_widths=[2.0, 3.6, 1.7, 0.9, 1.1, 2.4])


# ====================================================================== the builder


#: Per flag colour: the reason that compares the score with the expected course, and
#: the reliable-change reason that gives the same colour (mart_citizen_course_flags).
FLAG_REASONS = {"red": ("below_band", "reliable_deterioration"),
                "amber": ("below_expected", "no_reliable_change")}


def off_course_title_key(case: CitizenCase) -> str:
    """The off-course slide's title: it speaks of the expected course only when an
    instrument's flag of the course's colour compares the score with it. A colour given
    by reliable change alone (a reliable deterioration, or no reliable change where too
    few closed courses or no start score leave no expected course) is named as such."""
    colour = case.course_flag
    expected_reason, change_reason = FLAG_REASONS[colour]
    reasons = {r.reason for r in case.flag_reasons}
    if change_reason in reasons and expected_reason not in reasons:
        return f"flag_title_{change_reason}"
    return f"flag_title_{colour}"


def off_course_slide(case: CitizenCase, name: str, lang: str, section: str) -> SlideSpec:
    """Why the citizen is off (or below) the expected course, and four prompts for the
    discussion (alliance, goals, support, plan)."""
    why = [ct(f"flag_reason_{r.reason}", lang, instrument=r.instrument,
              point=point_label(r.point_id, lang), score=fmt_number(r.score, lang, 1),
              expected=fmt_number(r.expected, lang, 1))
           + (ct(f"flag_fallback_{r.fallback}", lang) if r.fallback else "")
           for r in case.flag_reasons]
    if case.alliance is not None:
        parts = ([ct("alliance_below", lang)] if case.alliance.is_below_cutoff else []) + (
            [ct("alliance_drop", lang)] if case.alliance.is_drop else [])
        why.append(ct("flag_alliance", lang, score=fmt_number(case.alliance.score, lang, 0),
                      reason=" og ".join(parts) if lang == "da" else " and ".join(parts)))
    return SlideSpec(
        kind="text",
        title=ct(off_course_title_key(case), lang, name=name),
        section=section,
        blocks=[TextBlock(heading=ct("flag_heading_why", lang), bullets=why),
                TextBlock(heading=ct("flag_heading_prompts", lang),
                          bullets=ctl("flag_prompts", lang))],
    )


def citizen_slides(case: CitizenCase, opts: DeckOptions, name: str | None = None,
                   meeting: MeetingKey | None = None) -> list[SlideSpec]:
    """The slides about one citizen, who is called ``name`` on them (see
    :func:`display_names`; by default the name the citizen would have alone on a deck)."""
    lang = opts.language
    name = name or display_name(case, opts.pseudonym_display)
    status = t(f"case_{case.case_status}", lang)
    course = t("course_line", lang, intervention=case.intervention_name,
               start=fmt_date(case.start_date, lang), status=status)
    since_key = ("since_title_open" if any(a.agreed_earlier_on for a in case.agreements)
                 else "since_title")
    slides = table_pages(since_last_slide(t(since_key, lang, name=name), case.agreements,
                                          lang, section=f"{name} · {step_label(1, lang)}"))
    explore = f"{name} · {step_label(2, lang)}"
    if case.course_flag in ("red", "amber"):
        slides.append(off_course_slide(case, name, lang, explore))
    figures = [progression_figure(s, lang, f"{case.course_id}:{s.instrument_id}",
                                  opts.rule_titles) for s in case.series]
    if not figures:
        slides.append(SlideSpec(kind="text", title=t("progression_title", lang, name=name),
                                section=explore,
                                blocks=[TextBlock(paragraph=t("progression_none", lang))]))
    for i in range(0, len(figures), CHARTS_PER_SLIDE):
        chunk = figures[i:i + CHARTS_PER_SLIDE]
        slides.append(SlideSpec(kind="figures", title=t("progression_title", lang, name=name),
                                section=explore, figures=chunk, notes=course))
    # goals
    goals_title = t("goals_title", lang, name=name)
    assessed = [g for g in case.goals if g.category]
    if assessed:
        reached = sum(1 for g in assessed if g.category in ("progression_reached",
                                                            "maintenance_reached"))
        goals_title = f"{name}: " + t("goals_summary", lang, reached=reached, total=len(assessed))
    elif case.goals:
        goals_title = f"{name}: " + t("goals_none_assessed", lang, n=len(case.goals))
    if not case.goals:
        slides.append(SlideSpec(kind="text", title=goals_title, section=explore,
                                blocks=[TextBlock(paragraph=t("goals_none", lang))]))
    if case.goals:
        slides += table_pages(SlideSpec(kind="table", title=goals_title, section=explore,
                                        table=goals_table(case.goals, lang)),
                              rows_per_slide=GOALS_PER_SLIDE)
    # citizen-rated vs staff-rated, and KiK
    interpret = f"{name} · {step_label(3, lang)}"
    finding = ratings_finding(case, lang)
    ratings_title = f"{name}: {finding}" if finding else t("ratings_title", lang, name=name)
    table = ratings_table(case, lang) if case.series else TableSpec(
        columns=t("ratings_columns", lang).split("|")[:1], rows=[[t("ratings_none", lang)]])
    kik_notes = "\n".join(f"{e.name}: {e.note}" for e in case.kik if e.note)
    notes = (t("kik_notes_heading", lang) + ":\n" + kik_notes) if kik_notes else ""
    if case.kik:
        slides.append(SlideSpec(kind="figure", title=ratings_title, section=interpret,
                                table=table, figures=[kik_figure(case, lang,
                                                                 f"{case.course_id}:kik")],
                                notes=notes))
    else:
        slides.append(SlideSpec(kind="table", title=ratings_title, section=interpret, table=table,
                                blocks=[TextBlock(heading=t("kik_title_none", lang),
                                                  bullets=tl("prompts_interpret", lang)[:2])]))
    key = (MeetingKey(meeting.meeting_id, meeting.meeting_date, case.course_id)
           if meeting else None)
    slides.append(agreement_sheet_slide(name, lang, section=f"{name} · {step_label(4, lang)}",
                                        key=key))
    return slides


def since_last_slides(data: CitizenPackData, names: list[str], opts: DeckOptions
                      ) -> list[SlideSpec]:
    """Step 1 for the whole meeting: every agreement of the series' last meeting with its
    status and what the data show since (citizens named as on the rest of the deck, those
    not on today's agenda too), then what changed since that meeting's data cut-off."""
    lang = opts.language
    by_course = {c.course_id: n for c, n in zip(data.citizens, names, strict=True)}
    others = [CitizenCase(i.citizen_id or "", i.course_id or "", "", None, "open")
              for i in data.since_last if i.course_id not in by_course]
    unique_others = list({c.course_id: c for c in others}.values())
    all_names = display_names(data.citizens + unique_others, opts.pseudonym_display)
    by_course.update({c.course_id: n for c, n in zip(
        unique_others, all_names[len(data.citizens):], strict=True)})
    for item in data.since_last:
        item.subject = by_course.get(item.course_id, "")
    section = step_label(1, lang)
    slides = series_since_slides(data.since_last, data.last_meeting, data.meeting_date, lang,
                                 section=section, refused=data.refused,
                                 refused_on=data.refused_on)
    if data.changes is not None:
        slide = changes_slide(data.changes, lang, opts.small_cell_k)
        slide.section = section
        slides.append(slide)
    return slides


def build_citizen_deck(data: CitizenPackData, opts: DeckOptions) -> DeckSpec:
    """The citizen-level deck for one team meeting."""
    lang = opts.language
    everyone = display_names(data.citizens + data.first_in_line, opts.pseudonym_display)
    names, in_line = everyone[:len(data.citizens)], everyone[len(data.citizens):]
    per_citizen = max(
        (data.meeting_length_minutes - WELCOME_MINUTES - CLOSE_MINUTES) // max(len(names), 1), 1
    )
    items = [t("agenda_welcome", lang, minutes=WELCOME_MINUTES)]
    for case, n in zip(data.citizens, names, strict=True):
        rotation = data.rotation_meetings or 1
        why = "; ".join(case.reasons) if case.reasons else t(
            "agenda_reason_rotation" if rotation > 1 else "agenda_reason_rotation_all", lang,
            n=rotation)
        items.append(t("agenda_citizen_why", lang, name=n, minutes=per_citizen, why=why))
    if not names:
        items.append(t("agenda_no_citizens", lang))
    if data.n_flagged_left_out:
        left_out = data.n_flagged_left_out
        # a name in running text is not split at its hyphen (non-breaking hyphen)
        listed = (", ".join(n.replace("-", "\u2011") for n in in_line)
                  + ("\u00a0…" if left_out > len(in_line) else ""))
        items.append(t("agenda_left_out_one", lang, names=listed) if left_out == 1
                     else t("agenda_left_out", lang, n=left_out, names=listed))
    items.append(t("agenda_close", lang, minutes=CLOSE_MINUTES))
    date_text = fmt_date(data.meeting_date, lang)
    slides = [
        SlideSpec(kind="title", title=t("citizen_deck_title", lang),
                  subtitle=t("citizen_deck_subtitle", lang, team=data.team_name,
                             intervention=data.intervention_name, date=date_text)),
        agenda_slide(items, data.roles, lang),
        dialogue_slide(lang, [TextBlock(paragraph=t("is_development", lang))]),
    ]
    meeting = MeetingKey(data.meeting_id, data.meeting_date) if data.meeting_id else None
    slides += since_last_slides(data, names, opts)
    for case, name in zip(data.citizens, names, strict=True):
        slides += citizen_slides(case, opts, name, meeting)
    return DeckSpec(
        title=t("citizen_deck_title", lang),
        subtitle=slides[0].subtitle,
        language=lang,  # type: ignore[arg-type]
        slides=slides,
        footer=t("footer", lang, organisation=opts.organisation, date=date_text)
        if opts.organisation else date_text,
    )
