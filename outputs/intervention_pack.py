"""The intervention-level pack (indsatsniveau, quarterly, all staff and leads).

:func:`build_intervention_deck` turns an :class:`InterventionPackData` (aggregated,
already small-cell suppressed numbers from the marts) into a
:class:`~outputs.spec.DeckSpec`; :func:`outputs.gather.gather_intervention_pack` reads
that object from the marts.

Slides: title; agenda and roles; the data basis with the three-observations prompt; the
four dialogue steps; agreements from last time; target group at start; goal attainment
per life area; progression over measurement points (same cohort and all measured);
variant and subgroup comparisons; fidelity against outcome; the result map; questions
on the core elements; data-quality caveats; the agreement sheet.

Result-map status rule (no targets are configured yet, so these are provisional and
documented in docs/decks.md): ``mean_change`` is on track at an improvement of at least
half the instrument's reliable change (any improvement when none is known), watch
above 0, off track at 0 or below; shares (``share_improved``, ``share_recovered``,
``goal_reached``) are on track from 50 %, watch from 30 %; ``mean_score`` follows the
trend. A hidden or missing value, or n below k, is "no data".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from datadialog.agreement_form import MeetingKey
from outputs.claims import (
    ComparisonClaim,
    GroupSeries,
    ShareClaim,
    change_pair_text,
    change_text,
    chart_n,
    compare_changes,
    compare_shares,
    differ_clearly,
    direction_note,
    round_to,
)
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
    short_name,
    since_last_slide,
    step_label,
)
from outputs.course_slides import ExpectedCourseData, method_slide, vs_expected_figure
from outputs.course_texts import ct
from outputs.fmt import (
    fmt_count,
    fmt_date,
    fmt_n,
    fmt_number,
    fmt_pct,
    hidden,
    instrument_words,
    join_names,
    lower_first,
    n_label,
)
from outputs.since_last import (
    ChangeSummary,
    RefusedItem,
    SinceItem,
    changes_slide,
    series_since_slides,
)
from outputs.spec import (
    Cell,
    DeckSpec,
    FigureSpec,
    MapLink,
    MapNode,
    ResultMapSpec,
    SlideSpec,
    TextBlock,
)
from outputs.style import ALL_COLOUR, COHORT_COLOUR, GOAL_COLOURS
from outputs.table_pages import table_pages
from outputs.texts import t, tl
from outputs.trials import TrialRun, trial_slides

GOAL_CATEGORIES = ("progression_reached", "positive_development", "maintenance_reached",
                   "no_development", "deterioration")
FIDELITY_LEVELS = ("low", "medium", "high")
#: Result-map thresholds (provisional, see the module docstring).
SHARE_ON_TRACK, SHARE_WATCH = 0.50, 0.30
MEAN_CHANGE_ON_TRACK_SHARE_OF_RC = 0.5
#: Agenda minutes per part of a 120-minute meeting (scaled to the meeting's length).
AGENDA_MINUTES = {"basis": 15, "since": 15, "explore": 35, "interpret": 30, "action": 25}
#: Below this many citizens in the period, the small-group caveat is shown.
SMALL_GROUP_N = 20


# ====================================================================== the data object


@dataclass(frozen=True)
class Stat:
    """An aggregated number with its n; ``suppressed`` cells carry no value. ``interval``:
    the value's 95 % interval, where a title compares it (None: unknown)."""

    value: float | None
    n: int | None = None
    suppressed: bool = False
    interval: tuple[float, float] | None = None
    #: courses behind the value, where it is a mean over courses and ``n`` counts
    #: citizens (a citizen with two courses in the intervention counts in it twice)
    n_courses: int | None = None


@dataclass
class DataBasis:
    period_start: date
    period_end: date
    # counts of the data basis; None when hidden (fewer than k citizens behind it)
    n_courses: int | None
    n_citizens: int | None
    n_open: int | None = 0
    n_closed_planned: int | None = 0
    n_closed_unplanned: int | None = 0
    completeness: float | None = None  # share of due measurements collected (0-1)
    timeliness: float | None = None  # share collected on time (0-1)
    completeness_target: float = 0.90
    timeliness_target: float = 0.75
    #: the counts above hidden only so that a small one beside them cannot be worked out
    #: (suppression_reason 'complementary': not themselves below k): field names
    complementary: frozenset[str] = frozenset()

    def count_text(self, name: str, k: int, lang: str) -> str:
        """A count of the basis as the slide prints it: "<k" for a small cell, "skjult
        antal" (a hidden number) for one hidden beside a small cell, which is not below k."""
        value = getattr(self, name)
        if value is None and name in self.complementary:
            return t("hidden_complementary", lang)
        return fmt_count(value, k)


@dataclass
class GroupStat:
    group: str  # display name of the group (e.g. "Kvinder")
    period: str  # e.g. start year "2025"
    stat: Stat


@dataclass
class AreaAttainment:
    life_area: str
    n_goals: int | None  # assessed goals in the area (None when hidden)
    shares: dict[str, Stat]  # category -> share in percent (0-100), n = citizens


@dataclass
class PointSeries:
    """One instrument's means per planned measurement point (handbook fig. 7)."""

    scale: ScaleInfo
    points: list[str]  # point ids in plan order
    cohort: list[Stat]  # the same citizens at every point
    all: list[Stat]  # everyone measured at each point


@dataclass
class GroupComparison:
    """Groups compared over the points (handbook figs. 8 and 9), same-cohort means."""

    kind: str  # variant | subgroup
    dimension: str  # variant | age_band | gender
    scale: ScaleInfo
    points: list[str]
    groups: dict[str, list[Stat]]  # group display name -> one Stat per point
    #: group display name -> the 95 % interval of its change since start at each point
    change_intervals: dict[str, list[tuple[float, float] | None]] = field(
        default_factory=dict)


@dataclass
class FidelityLevel:
    level: str  # low | medium | high
    improvement: Stat  # mean improvement since start (positive = better), n = citizens


@dataclass
class NodeValue:
    value: float | None  # mean change in points, or a share 0-1, or a mean score
    n: int | None = None
    suppressed: bool = False
    trend: str | None = None  # up | down | flat (better / worse / same as last quarter)
    status: str | None = None  # override; None = computed by indicator_status
    #: why a hidden value is hidden: None (the cell rests on fewer than k citizens: "<k")
    #: or "few_reached" (a share whose result count is 1 to k - 1: the share times n
    #: would give it back, so it reads "skjult (færre end k nåede det)")
    reason: str | None = None


@dataclass
class MapNodeInput:
    id: str
    label: str
    kind: str  # core_element | result
    term: str | None = None
    instrument: str | None = None  # instrument short name
    measure: str | None = None  # mean_change | share_improved | share_recovered | ...
    reliable_change_points: float | None = None
    direction: str = "higher_is_better"  # the instrument's: higher_is_better | higher_is_worse


@dataclass
class CoreElementInfo:
    name: str
    question: str | None
    mean_kik: Stat


@dataclass
class QualityNote:
    kind: str  # completeness | timeliness | dropout | small_cells | small_group | overdue | text
    values: dict[str, object] = field(default_factory=dict)


@dataclass
class InterventionPackData:
    intervention_name: str
    target_group: str
    period_label: str
    meeting_date: date
    basis: DataBasis
    target_scale: ScaleInfo | None = None
    target_dimension: str = "gender"
    target_groups: list[GroupStat] = field(default_factory=list)
    goal_attainment: list[AreaAttainment] = field(default_factory=list)
    progression: list[PointSeries] = field(default_factory=list)
    comparisons: list[GroupComparison] = field(default_factory=list)
    fidelity_scale: ScaleInfo | None = None
    fidelity: list[FidelityLevel] = field(default_factory=list)
    map_nodes: list[MapNodeInput] = field(default_factory=list)
    map_links: list[tuple[str, str]] = field(default_factory=list)
    node_values: dict[str, NodeValue] = field(default_factory=dict)
    core_elements: list[CoreElementInfo] = field(default_factory=list)
    kik_max: float = 5
    quality_notes: list[QualityNote] = field(default_factory=list)
    agreements: list[AgreementItem] = field(default_factory=list)
    roles: Roles = field(default_factory=Roles)
    meeting_length_minutes: int = 120
    expected_course: ExpectedCourseData | None = None  # results vs expected, validation
    meeting_id: str = ""  # the series; with meeting_date it keys the returned agreements
    since_last: list[SinceItem] | None = None  # last meeting's agreements (None: not read)
    #: rows of that meeting refused when their file came back (mart_refused_agreements)
    refused: list[RefusedItem] = field(default_factory=list)
    refused_on: date | None = None  # the meeting the refused rows are from
    last_meeting: date | None = None  # the series' meeting before this one
    changes: ChangeSummary | None = None  # what changed since its data cut-off
    trials: list[TrialRun] = field(default_factory=list)  # improvement trials to follow


# ====================================================================== helpers


def map_from_config(intervention, config) -> tuple[list[MapNodeInput], list[tuple[str, str]]]:
    """Result-map nodes and links from a config ``Intervention`` (its change theory)."""
    instruments = {i.id: i for i in config.instruments}
    nodes = []
    for node in intervention.result_map.nodes:
        ind = node.indicator
        inst = instruments.get(ind.instrument) if ind else None
        nodes.append(MapNodeInput(
            id=node.id, label=node.label, kind=node.kind, term=node.term,
            instrument=short_name(inst.name) if inst else None,
            measure=ind.measure if ind else None,
            reliable_change_points=inst.reliable_change_points if inst else None,
            direction=inst.direction if inst else "higher_is_better",
        ))
    links = [(link.source, link.target) for link in intervention.result_map.links]
    return nodes, links


def _cell(category: str, series: str, stat: Stat) -> Cell:
    if stat.suppressed:  # neither the value nor the n of a hidden cell enters the spec
        return Cell(category, series, None, n=None, suppressed=True)
    return Cell(category, series, stat.value, n=stat.n)


def _n_text(stat: Stat, k: int) -> str:
    return hidden(k) if stat.suppressed or (stat.n is not None and stat.n < k) else fmt_n(stat.n,
                                                                                           k)


def _n_label(stat: Stat, k: int) -> str:
    return n_label(stat.n, k, hidden_cell=stat.suppressed)


def _usable(stat: Stat) -> bool:
    return not stat.suppressed and stat.value is not None


def indicator_status(measure: str | None, value: NodeValue | None, k: int,
                     rc_points: float | None = None) -> str:
    """on_track | watch | off_track | no_data for a result-map indicator (rule above)."""
    if value is None:
        return "no_data"
    if value.status:
        return value.status
    if value.suppressed or value.value is None or (value.n is not None and value.n < k):
        return "no_data"
    v = value.value
    if measure == "mean_change":
        threshold = MEAN_CHANGE_ON_TRACK_SHARE_OF_RC * rc_points if rc_points else 0.0
        if v > 0 and v >= threshold:
            return "on_track"
        return "watch" if v > 0 else "off_track"
    if measure in ("share_improved", "share_recovered", "goal_reached"):
        if v >= SHARE_ON_TRACK:
            return "on_track"
        return "watch" if v >= SHARE_WATCH else "off_track"
    return {"up": "on_track", "down": "off_track"}.get(value.trend or "", "watch")


def indicator_text(measure: str | None, value: NodeValue | None, lang: str, k: int,
                   direction: str = "higher_is_better") -> str:
    """A result-map value; a mean change in words from the raw change and the instrument's
    direction ("faldt 4,8 point (bedre)"), since the box's value is the improvement."""
    if value is None or value.value is None and not value.suppressed:
        return "–"
    if value.suppressed and value.reason == "few_reached":
        return t("rm_hidden_few", lang, k=k)
    if value.suppressed or (value.n is not None and value.n < k):
        return hidden(k)
    if measure == "mean_change":
        raw_change = value.value * (1 if direction == "higher_is_better" else -1)
        return change_text(raw_change, direction, lang)
    if measure in ("share_improved", "share_recovered", "goal_reached"):
        return fmt_pct(value.value, lang)
    return fmt_number(value.value, lang, 1)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _count_hidden(figs: list[FigureSpec]) -> int:
    return sum(1 for f in figs for c in f.cells if c.suppressed)


# ====================================================================== figures


def target_group_title(stats: list[GroupStat], periods: list[str], scale: ScaleInfo,
                       lang: str) -> str:
    """The finding of the target-group figure; "too few" only when every cell is hidden.

    The latest period with two or more groups shown compares its highest and lowest group
    (or says they are level, within 5 % of the scale). With one group shown, the title
    gives its level and how it changed between the years. Otherwise the bars are empty.
    """
    name = scale.short_name
    for period in reversed(periods):  # the latest period with two groups to compare
        usable = [(g.group, g.stat.value, g.stat.interval) for g in stats
                  if g.period == period and _usable(g.stat)]
        if len(usable) < 2:
            continue
        hi = max(usable, key=lambda x: x[1])
        lo = min(usable, key=lambda x: x[1])
        if hi[1] - lo[1] >= 0.05 * (scale.score_max - scale.score_min):
            return t("target_title_gap", lang, period=period, higher=hi[0], lower=lo[0],
                     instrument=name, **instrument_words(name, lang), a=fmt_number(hi[1], lang, 1),
                     b=fmt_number(lo[1], lang, 1)) + _chance_tail(hi[2], lo[2], lang)
        return t("target_title_even", lang, instrument=name, period=period,
                 **instrument_words(name, lang))
    shown = [g for g in stats if _usable(g.stat)]
    if not shown:
        return t("target_title_none", lang)
    group = shown[0].group  # one group only (two would have been compared above)
    values = {g.period: g.stat.value for g in shown if g.group == group}
    intervals = {g.period: g.stat.interval for g in shown if g.group == group}
    years = [p for p in periods if p in values]
    others = len({g.group for g in stats}) > 1
    tail = t("target_title_others_hidden", lang) if others else ""
    latest = years[-1]
    if len(years) == 1:
        return t("target_title_one", lang, group=group, instrument=name, period=latest,
                 **instrument_words(name, lang),
                 value=fmt_number(values[latest], lang, 1)) + tail
    first = years[-2]
    diff = values[latest] - values[first]
    key = ("target_title_one_same" if abs(diff) < 0.05 * (scale.score_max - scale.score_min)
           else "target_title_one_up" if diff > 0 else "target_title_one_down")
    chance = ("" if key == "target_title_one_same"
              else _chance_tail(intervals[first], intervals[latest], lang))
    return t(key, lang, group=group, instrument=name, first=first, last=latest,
             **instrument_words(name, lang),
             a=fmt_number(values[first], lang, 1),
             b=fmt_number(values[latest], lang, 1)) + chance + tail


def _chance_tail(a: tuple[float, float] | None, b: tuple[float, float] | None,
                 lang: str) -> str:
    """"; forskellen kan skyldes tilfældigheder" unless the two intervals are known and
    apart (outputs.claims.differ_clearly)."""
    return "" if differ_clearly(a, b) else t("target_title_chance", lang)


def target_group_figure(data: InterventionPackData, lang: str, k: int) -> FigureSpec | None:
    scale = data.target_scale
    if scale is None or not data.target_groups:
        return None
    groups = list(dict.fromkeys(g.group for g in data.target_groups))
    periods = sorted(dict.fromkeys(g.period for g in data.target_groups))
    categories = []
    cells = []
    for group in groups:
        stats = {g.period: g.stat for g in data.target_groups if g.group == group}
        ns = " / ".join(_n_text(stats[p], k) for p in periods if p in stats)
        cat = f"{group}\n(n = {ns})"
        categories.append(cat)
        for p in periods:
            if p in stats:
                cells.append(_cell(cat, p, stats[p]))
    title = target_group_title(data.target_groups, periods, scale, lang)
    direction = t("higher_better" if better_sign(scale.direction) > 0 else "higher_worse", lang)
    return FigureSpec(
        id="target_group",
        chart="bar",
        title=title,
        x_label="",
        y_label=t("target_y", lang, instrument=scale.short_name),
        categories=categories,
        series=periods,
        cells=cells,
        how_to_read=t("target_how", lang, direction=direction)
        + _courses_note([g.stat for g in data.target_groups], lang),
        render="native",
        value_format="dec1",
        y_min=scale.score_min,
        y_max=scale.score_max,
        n_note=_chart_n_note([g.stat for g in data.target_groups], lang),
        suppressed_note=t("hidden_note", lang, k=k),
    )


def _courses_note(stats: list[Stat], lang: str) -> str:
    """" En borger med flere forløb ..." when a shown mean counts more courses than
    citizens (the n beside it counts citizens); "" otherwise."""
    more = any(s.n is not None and s.n_courses is not None and s.n_courses > s.n
               for s in stats if not s.suppressed)
    return " " + t("n_courses_note", lang) if more else ""


def _chart_n_note(stats: list[Stat], lang: str) -> str:
    """The n of the chart's own cells (outputs.claims.chart_n), not the meeting's basis."""
    n = chart_n([(s.n, s.suppressed) for s in stats])
    return t("n_citizens_shown" if n.any_hidden else "n_citizens", lang, n=n.shown)


def goal_attainment_title(claim: ShareClaim, lang: str, k: int = 5) -> str:
    """The goal-attainment title: only what the claim supports (outputs.claims)."""
    if claim.kind == "leader":
        area, share = claim.ranked[0]
        return t("goals_int_title", lang, area=lower_first(area), share=fmt_pct(share, lang))
    if claim.kind == "similar":
        top = [a for a, v in claim.ranked if v == claim.ranked[0][1]]
        return t("goals_int_similar", lang,
                 areas=join_names([lower_first(a) for a in top], lang),
                 share=fmt_pct(claim.ranked[0][1], lang))
    if claim.kind == "hidden":
        return t("goals_int_hidden", lang, k=k)
    return t("goals_int_none", lang)


_REACHED = ("progression_reached", "maintenance_reached")


def reached_bounds(area: AreaAttainment) -> tuple[float, float]:
    """The lowest and highest share (0-1) of the area's goals that can be reached or
    maintained, given its shown cells: each hidden cell holds at least one goal (a cell
    with no goals has no row, so it shows 0 %), and the hidden cells together hold the
    bar's known total less the shown cells. Without a known total a hidden bar can be
    anything from 0 to 1. A shown area's bounds are its share."""
    stats = [(code, area.shares.get(code, Stat(0.0, 0))) for code in GOAL_CATEGORIES]
    hidden = [code for code, s in stats if s.suppressed or s.value is None]
    total = area.n_goals
    if not hidden:
        share = sum(s.value for code, s in stats if code in _REACHED) / 100  # type: ignore[misc]
        return share, share
    if not total:
        has_reached = any(c in _REACHED for c in hidden)
        has_other = any(c not in _REACHED for c in hidden)
        shown_reached = any(s.value for c, s in stats if c in _REACHED and c not in hidden)
        shown_other = any(s.value for c, s in stats if c not in _REACHED and c not in hidden)
        low = 0.0 if has_other or shown_other else 1.0
        high = 1.0 if has_reached or shown_reached else 0.0
        return low, high
    goals = {code: round(s.value / 100 * total) for code, s in stats if code not in hidden}
    in_hidden = max(total - sum(goals.values()), len(hidden))
    hidden_reached = sum(1 for c in hidden if c in _REACHED)
    hidden_other = len(hidden) - hidden_reached
    shown_reached = sum(v for c, v in goals.items() if c in _REACHED)
    low = shown_reached + hidden_reached
    high = shown_reached + (in_hidden - hidden_other if hidden_reached else 0)
    return min(low / total, 1.0), min(high / total, 1.0)


def goal_attainment_claim(areas: list[AreaAttainment], *, decimals: int = 2) -> ShareClaim:
    """Which life area has the highest share of goals reached or maintained.

    Areas whose reached cells are all shown are compared as shares (compare_shares). An
    area with a hidden cell does not stop the claim when even its highest possible share
    (reached_bounds) prints below the best shown share; otherwise the claim is
    ``hidden``. The best area is always one whose share is shown, so the title's number is
    one the chart shows."""
    known: list[tuple[str, float | None]] = []
    open_highs: list[float] = []
    for area in areas:
        reached = [area.shares.get(c, Stat(0.0, 0)) for c in _REACHED]
        if all(not s.suppressed and s.value is not None for s in reached):
            known.append((area.life_area, sum(s.value for s in reached) / 100))  # type: ignore[misc]
        else:
            open_highs.append(reached_bounds(area)[1])
    if not open_highs:
        return compare_shares(known, decimals=decimals)
    if not known:
        return ShareClaim("hidden")
    claim = compare_shares(known, decimals=decimals)
    top = claim.ranked[0][1]
    if any(round_to(high, decimals) >= top for high in open_highs):
        return ShareClaim("hidden")
    return claim


def goal_attainment_figure(data: InterventionPackData, lang: str, k: int) -> FigureSpec | None:
    if not data.goal_attainment:
        return None
    series = [t(f"cat_{c}", lang) for c in GOAL_CATEGORIES]
    categories, cells = [], []
    total_goals = 0
    for area in data.goal_attainment:
        cat = f"{area.life_area} ({n_label(area.n_goals, k)})"
        categories.append(cat)
        total_goals += area.n_goals or 0
        for code, name in zip(GOAL_CATEGORIES, series, strict=True):
            stat = area.shares.get(code, Stat(0.0, 0))
            cells.append(_cell(cat, name, stat))
    title = goal_attainment_title(goal_attainment_claim(data.goal_attainment), lang, k)
    return FigureSpec(
        id="goal_attainment",
        chart="stacked_bar",
        title=title,
        x_label="",
        y_label=t("goals_int_y", lang) + (" (%)" if lang == "en" else " (%)"),
        categories=categories,
        series=series,
        cells=cells,
        how_to_read=t("goals_int_how", lang, k=k),
        render="native",
        value_format="pct",
        y_min=0,
        y_max=100,
        horizontal=True,
        n_note=t("n_goals", lang, n=total_goals),
        suppressed_note=t("hidden_note", lang, k=k),
        series_colours={t(f"cat_{c}", lang): GOAL_COLOURS[c] for c in GOAL_CATEGORIES},
    )


def progression_figure(ps: PointSeries, lang: str, k: int, idx: int) -> FigureSpec:
    scale = ps.scale
    name = scale.short_name
    cohort_n = next((s.n for s in ps.cohort if s.n is not None and not s.suppressed), None)
    cohort_name = t("series_cohort", lang, n=n_label(cohort_n, k))
    all_name = t("series_all", lang)
    categories, cells = [], []
    for pid, c_stat, a_stat in zip(ps.points, ps.cohort, ps.all, strict=True):
        cat = f"{point_label(pid, lang)}\n({_n_label(a_stat, k)})"
        categories.append(cat)
        cells.append(_cell(cat, cohort_name, c_stat))
        cells.append(_cell(cat, all_name, a_stat))
    usable = [(pid, s.value) for pid, s in zip(ps.points, ps.cohort, strict=True) if _usable(s)]
    if len(usable) >= 2:
        (p0, v0), (p1, v1) = usable[0], usable[-1]
        change = (v1 - v0) * better_sign(scale.direction)
        key = ("prog_int_title_flat" if abs(change) < 0.05 * (scale.score_max - scale.score_min)
               else "prog_int_title_better" if change > 0 else "prog_int_title_worse")
        title = t(key, lang, instrument=name, first=fmt_number(v0, lang, 1),
                  last=fmt_number(v1, lang, 1), first_point=point_label(p0, lang).lower(),
                  last_point=point_label(p1, lang).lower())
    else:
        title = t("prog_int_title_none", lang, instrument=name)
    return FigureSpec(
        id=f"progression:{idx}",
        chart="line",
        title=title,
        x_label="",
        y_label=t("prog_int_y", lang, instrument=name, **instrument_words(name, lang)),
        categories=categories,
        series=[cohort_name, all_name],
        cells=cells,
        how_to_read=t("prog_int_how", lang) + _courses_note(ps.cohort + ps.all, lang),
        render="native",
        direct_labels=True,
        value_format="dec1",
        y_min=scale.score_min,
        y_max=scale.score_max,
        cutoff=scale.cutoff,
        cutoff_label=cutoff_text(scale, lang),
        dashed_series=[all_name],
        n_note="",
        suppressed_note=t("hidden_note", lang, k=k),
        series_colours={cohort_name: COHORT_COLOUR, all_name: ALL_COLOUR},
    )


def runner_up(claim: ComparisonClaim, lang: str) -> str | None:
    """The group(s) a comparison title sets the best against, when there are more than two
    groups (with two the other is plain): every group whose change prints as the second
    best's, "18-24 år" or "18-24 år og 25-34 år"."""
    if len(claim.changes) <= 2:
        return None
    second = claim.changes[1].improvement
    return join_names([c.group for c in claim.changes[1:] if c.improvement == second], lang)


def comparison_title(claim: ComparisonClaim, instrument: str, categories: list[str],
                     direction: str, lang: str) -> str:
    """The comparison's title: only what the claim supports (outputs.claims)."""
    if claim.kind in ("unknown", "hidden"):
        key = "cmp_title_hidden" if claim.kind == "hidden" else "cmp_title_none"
        return t(key, lang, instrument=instrument)
    first, last = categories[claim.first_point].lower(), categories[claim.last_point].lower()
    words = [change_text(c.change, direction, lang, judged=False) for c in claim.changes]
    note = direction_note(direction, lang)
    if claim.kind in ("leader", "uncertain"):
        key = "cmp_title_leader" if claim.kind == "leader" else "cmp_title_uncertain"
        return t(key, lang, instrument=instrument, best=claim.changes[0].group,
                 first=first, last=last,
                 changes=change_pair_text(claim.changes[0].change, claim.changes[1].change,
                                          lang, second_group=runner_up(claim, lang)),
                 direction=note)
    changes = ", ".join(f"{c.group} {w}" for c, w in zip(claim.changes, words, strict=True))
    return t("cmp_title_similar", lang, instrument=instrument, first=first, last=last,
             changes=changes, direction=note)


def comparison_figure(cmp: GroupComparison, lang: str, k: int, idx: int) -> FigureSpec:
    scale = cmp.scale
    name = scale.short_name
    categories = [point_label(p, lang) for p in cmp.points]
    series, cells = [], []
    groups: list[GroupSeries] = []
    for group, stats in cmp.groups.items():
        n0 = next((s.n for s in stats if s.n is not None and not s.suppressed), None)
        ser = f"{group} ({n_label(n0, k)})"
        series.append(ser)
        for cat, stat in zip(categories, stats, strict=True):
            cells.append(_cell(cat, ser, stat))
        intervals = cmp.change_intervals.get(group)
        groups.append(GroupSeries(group, tuple(s.value if _usable(s) else None for s in stats),
                                  hidden=not any(_usable(s) for s in stats),
                                  change_intervals=tuple(intervals) if intervals else None))
    claim = compare_changes(groups, scale.direction)
    title = comparison_title(claim, name, categories, scale.direction, lang)
    return FigureSpec(
        id=f"comparison:{idx}",
        chart="line",
        title=title,
        x_label="",
        y_label=t("cmp_y", lang, instrument=name, **instrument_words(name, lang)),
        categories=categories,
        series=series,
        cells=cells,
        how_to_read=t("cmp_how", lang, dimension=t(f"dim_{cmp.dimension}", lang), k=k)
        + _courses_note([s for stats in cmp.groups.values() for s in stats], lang),
        render="native",
        direct_labels=True,
        value_format="dec1",
        y_min=scale.score_min,
        y_max=scale.score_max,
        cutoff=scale.cutoff,
        cutoff_label=cutoff_text(scale, lang),
        suppressed_note=t("hidden_note", lang, k=k),
        # three or more lines: their numbers collide; the end labels carry the last values
        label_last_only=len(series) > 2,
    )


def fidelity_figure(data: InterventionPackData, lang: str, k: int) -> FigureSpec | None:
    scale = data.fidelity_scale
    if scale is None or not data.fidelity:
        return None
    ser = t("fid_series", lang)
    categories, cells = [], []
    by_level = {f.level: f.improvement for f in data.fidelity}
    for level in FIDELITY_LEVELS:
        if level not in by_level:
            continue
        stat = by_level[level]
        cat = f"{t(f'fid_level_{level}', lang)}\n({_n_label(stat, k)})"
        categories.append(cat)
        cells.append(_cell(cat, ser, stat))
    high = by_level.get("high")
    other = next((lv for lv in ("low", "medium") if lv in by_level and _usable(by_level[lv])),
                 None)
    if high and other and _usable(high):
        low = by_level[other]
        # compared as printed (one decimal): a tie or a float hair is "the same"
        gap = round_to(high.value, 1) - round_to(low.value, 1)
        key = "fid_title_more" if gap > 0 else "fid_title_less" if gap < 0 else "fid_title_same"
        if key == "fid_title_more" and not differ_clearly(high.interval, low.interval):
            key = "fid_title_more_uncertain"
        title = t(key, lang, other=_lower_first(t(f"fid_level_{other}", lang)),
                  high=fmt_number(high.value, lang, 1, sign=True),
                  low=fmt_number(low.value, lang, 1, sign=True))
    else:
        title = t("fid_title_none", lang)
    values = [c.value for c in cells if c.value is not None]
    span = max([abs(v) for v in values] + [1.0])
    return FigureSpec(
        id="fidelity",
        chart="bar",
        title=title,
        x_label=t("fid_x", lang),
        y_label=t("fid_y", lang, instrument=scale.short_name,
                  **instrument_words(scale.short_name, lang)),
        categories=categories,
        series=[ser],
        cells=cells,
        how_to_read=t("fid_how", lang) + _courses_note([f.improvement for f in data.fidelity],
                                                       lang),
        render="native",
        value_format="dec1",
        y_min=min(0.0, -span * 1.2) if min(values + [0.0]) < 0 else 0.0,
        y_max=span * 1.25,
        cutoff=0.0,
        suppressed_note=t("hidden_note", lang, k=k),
    )


#: What a result-map box's value covers, by measure (``gather._node_value``): the shares
#: are the quarter's; a mean change or score is the cohort's last point and goals reached
#: counts every goal, over every course in the data. The box says which.
MEASURE_PERIODS = {"share_improved": "quarter", "share_recovered": "quarter",
                   "mean_change": "all", "mean_score": "all", "goal_reached": "all"}


def result_map_spec(data: InterventionPackData, lang: str, k: int) -> ResultMapSpec:
    nodes = []
    for node in data.map_nodes:
        value = data.node_values.get(node.id)
        indicator = ""
        if node.kind == "result" and node.instrument and node.measure:
            indicator = f"{node.instrument}, {t(f'measure_{node.measure}', lang)}"
        status = (indicator_status(node.measure, value, k, node.reliable_change_points)
                  if node.kind == "result" else "no_data")
        nodes.append(MapNode(
            id=node.id, label=node.label, kind=node.kind,  # type: ignore[arg-type]
            term=node.term,  # type: ignore[arg-type]
            indicator=indicator,
            value_text=indicator_text(node.measure, value, lang, k, node.direction)
            if node.kind == "result"
            else "",
            n=None if value is None or value.n is None or value.n < k else value.n,
            period=t(f"rm_period_{MEASURE_PERIODS.get(node.measure, 'all')}", lang)
            if node.kind == "result" and node.measure else "",
            trend=value.trend if value else None,  # type: ignore[arg-type]
            status=status,  # type: ignore[arg-type]
        ))
    return ResultMapSpec(
        nodes=nodes,
        links=[MapLink(a, b) for a, b in data.map_links],
        column_titles={"core_element": t("rm_core", lang), "short": t("rm_short", lang),
                       "medium": t("rm_medium", lang), "long": t("rm_long", lang)},
        legend={s: t(f"status_{s}", lang) for s in ("on_track", "watch", "off_track",
                                                     "no_data")},
        trend_words={d: t(f"trend_{d}", lang) for d in ("up", "down", "flat")},
    )


# ====================================================================== the builder


def _quality_text(note: QualityNote, lang: str) -> str:
    values = dict(note.values)
    for key in ("value", "target"):
        if isinstance(values.get(key), float):
            values[key] = fmt_pct(values[key], lang)
    return t(f"q_{note.kind}", lang, **values)


def _agenda(data: InterventionPackData, lang: str) -> list[str]:
    scale = data.meeting_length_minutes / sum(AGENDA_MINUTES.values())
    minutes = {key: max(int(round(v * scale)), 1) for key, v in AGENDA_MINUTES.items()}
    return [
        t("agenda_int_basis", lang, minutes=minutes["basis"]),
        t("agenda_int_since", lang, minutes=minutes["since"]),
        t("agenda_int_explore", lang, minutes=minutes["explore"]),
        t("agenda_int_interpret", lang, minutes=minutes["interpret"]),
        t("agenda_int_action", lang, minutes=minutes["action"]),
    ]


def build_intervention_deck(data: InterventionPackData, opts: DeckOptions) -> DeckSpec:
    """The quarterly intervention-level deck."""
    lang, k = opts.language, opts.small_cell_k
    date_text = fmt_date(data.meeting_date, lang)
    b = data.basis
    basis_bullets = [
        t("basis_period", lang, start=fmt_date(b.period_start, lang),
          end=fmt_date(b.period_end, lang)),
        t("basis_courses", lang, n=b.count_text("n_courses", k, lang),
          open=b.count_text("n_open", k, lang),
          planned=b.count_text("n_closed_planned", k, lang),
          unplanned=b.count_text("n_closed_unplanned", k, lang)),
        t("basis_citizens", lang, n=b.count_text("n_citizens", k, lang)),
    ]
    if b.completeness is not None:
        basis_bullets.append(t("basis_completeness", lang, value=fmt_pct(b.completeness, lang),
                               target=fmt_pct(b.completeness_target, lang)))
    if b.timeliness is not None:
        basis_bullets.append(t("basis_timeliness", lang, value=fmt_pct(b.timeliness, lang),
                               target=fmt_pct(b.timeliness_target, lang)))
    basis_bullets.append(t("basis_small", lang, k=k))
    if b.complementary:
        basis_bullets.append(t("basis_complementary", lang, k=k))
    explore = step_label(2, lang)
    interpret = step_label(3, lang)
    slides = [
        SlideSpec(kind="title", title=t("intervention_deck_title", lang,
                                        intervention=data.intervention_name),
                  subtitle=t("intervention_deck_subtitle", lang, period=data.period_label,
                             date=date_text)),
        agenda_slide(_agenda(data, lang), data.roles, lang),
        SlideSpec(kind="text", title=t("basis_title", lang),
                  blocks=[TextBlock(heading=t("basis_heading", lang), bullets=basis_bullets),
                          TextBlock(heading=t("three_obs_heading", lang),
                                    bullets=tl("three_obs", lang))]),
        dialogue_slide(lang),
    ]
    if data.since_last is None:
        slides += table_pages(since_last_slide(t("since_int_title", lang), data.agreements,
                                               lang, section=step_label(1, lang),
                                               none_key="since_int_none"))
    else:
        for item in data.since_last:
            item.subject = item.subject or t("sheet_theme_all", lang)
        slides += series_since_slides(data.since_last, data.last_meeting, data.meeting_date,
                                      lang, section=step_label(1, lang), refused=data.refused,
                                      refused_on=data.refused_on)
    if data.changes is not None:
        slide = changes_slide(data.changes, lang, k)
        slide.section = step_label(1, lang)
        slides.append(slide)
    slides += trial_slides(data.trials, lang, k,
                           section=f"{t('slide_trials', lang)} · {step_label(1, lang)}")
    figures: list[FigureSpec] = []
    fig = target_group_figure(data, lang, k)
    if fig:
        figures.append(fig)
        slides.append(SlideSpec(kind="figure", title=fig.title, figures=[fig],
                                section=f"{t('slide_target', lang)} · {explore}"))
    fig = goal_attainment_figure(data, lang, k)
    if fig:
        figures.append(fig)
        slides.append(SlideSpec(kind="figure", title=fig.title, figures=[fig],
                                section=f"{t('slide_goals', lang)} · {explore}"))
    for i, ps in enumerate(data.progression):
        fig = progression_figure(ps, lang, k, i)
        figures.append(fig)
        slides.append(SlideSpec(kind="figure", title=fig.title, figures=[fig],
                                section=f"{t('slide_prog_int', lang)} · {explore}"))
    for i, cmp in enumerate(data.comparisons):
        fig = comparison_figure(cmp, lang, k, i)
        figures.append(fig)
        head = t("slide_variants" if cmp.kind == "variant" else "slide_subgroups", lang)
        if all(c.value is None for c in fig.cells):  # every group hidden: no empty plot
            slides.append(SlideSpec(kind="text", title=fig.title, section=f"{head} · {explore}",
                                    blocks=[TextBlock(paragraph=t("cmp_all_hidden", lang,
                                                                  k=k))]))
            continue
        slides.append(SlideSpec(kind="figure", title=fig.title, figures=[fig],
                                section=f"{head} · {explore}"))
    ec = data.expected_course
    for i, item in enumerate(ec.vs_expected if ec else []):
        fig = vs_expected_figure(item, lang, k, i)
        figures.append(fig)
        slides.append(SlideSpec(kind="figure", title=fig.title, figures=[fig],
                                section=f"{ct('slide_vs_expected', lang)} · {explore}"))
    # the data-quality caveats close step 2: what to keep in mind about the figures just
    # explored, before step 3 interprets them (placed here once every figure is counted)
    quality_at = len(slides)
    fig = fidelity_figure(data, lang, k)
    if fig:
        figures.append(fig)
        slides.append(SlideSpec(kind="figure", title=fig.title, figures=[fig],
                                section=f"{t('slide_fidelity', lang)} · {interpret}"))
    if data.map_nodes:
        slides.append(SlideSpec(kind="result_map", title=t("result_map_title", lang),
                                section=interpret, result_map=result_map_spec(data, lang, k),
                                blocks=[TextBlock(paragraph=t("how_to_read", lang) + ": "
                                                  + t("rm_how", lang))],
                                notes=t("rm_how", lang)))
    if data.core_elements:
        blocks = []
        for ce in data.core_elements:
            mean = (t("core_mean", lang, value=fmt_number(ce.mean_kik.value, lang, 1),
                      max=fmt_number(data.kik_max, lang, 0), n=ce.mean_kik.n)
                    if _usable(ce.mean_kik) else "")
            question = ce.question or t("core_default_q", lang, element=ce.name.lower())
            blocks.append(TextBlock(heading=f"{ce.name}" + (f" ({mean})" if mean else ""),
                                    bullets=[question]))
        slides.append(SlideSpec(kind="text", title=t("core_title", lang), section=interpret,
                                blocks=blocks))
    # data-quality caveats: the data object's notes, plus what the figures show
    caveats = [_quality_text(n, lang) for n in data.quality_notes]
    for ps in data.progression:
        for pid, c_stat, a_stat in zip(ps.points, ps.cohort, ps.all, strict=True):
            if (a_stat.n and c_stat.n is not None and a_stat.n > c_stat.n
                    and not a_stat.suppressed):
                caveats.append(_quality_text(QualityNote("dropout", {
                    "instrument": ps.scale.short_name, "point": point_label(pid, lang).lower(),
                    "n_all": a_stat.n, "n_cohort": fmt_n(c_stat.n, k)}), lang))
                break
    n_hidden = _count_hidden(figures)
    if n_hidden:
        caveats.append(_quality_text(QualityNote("small_cells", {"count": n_hidden, "k": k}),
                                     lang))
    if b.n_citizens is None or b.n_citizens < SMALL_GROUP_N:
        caveats.append(_quality_text(
            QualityNote("small_group", {"n": fmt_count(b.n_citizens, k)}), lang))
    slides.insert(quality_at, SlideSpec(
        kind="text", title=t("quality_title", lang), section=explore,
        blocks=[TextBlock(bullets=caveats or [t("quality_none", lang)])]))
    key = MeetingKey(data.meeting_id, data.meeting_date) if data.meeting_id else None
    slides.append(agreement_sheet_slide(data.intervention_name, lang,
                                        section=step_label(4, lang), key=key,
                                        row_subject=t("sheet_theme_all", lang)))
    if ec:  # how the expected course is made: reference, after the meeting's last step
        slides.append(method_slide(ec, lang, k, section=t("appendix_label", lang)))
    return DeckSpec(
        title=slides[0].title,
        subtitle=slides[0].subtitle,
        language=lang,  # type: ignore[arg-type]
        slides=slides,
        caveats=caveats,
        footer=t("footer", lang, organisation=opts.organisation, date=date_text)
        if opts.organisation else date_text,
    )
