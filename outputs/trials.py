"""Improvement trials (prøvehandlinger, PDSA) at intervention level: the indicator as a
run chart of monthly means with the trial's start marked, and the follow-up in words.

A trial (config ``trials``) names what is tried, from when, and the instrument whose
score should move. The run chart draws the intervention's monthly mean score
(``mart_indicator_by_month``: a month of fewer than k citizens is hidden) in two
colours, before and from the start month, with the median of the months before as a
dashed line: the usual reading of a run chart is whether the points after the change
stay on the good side of that median. The title says it: the median of the shown months
before against the median of those after, with the instrument's direction deciding
"better" or "worse" (a change under 5 % of the scale's range is "about the same").
Every later pack shows the trial again, so the next meeting follows
it up on new data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from statistics import median

from outputs.charts import nice_step
from outputs.common import ScaleInfo, better_sign
from outputs.fmt import fmt_date, fmt_number, hidden, instrument_words
from outputs.spec import Cell, FigureSpec, SlideSpec, TextBlock
from outputs.style import ACCENT, MUTED, ORANGE
from outputs.texts import t

#: A change of the median smaller than this share of the scale's range is "about the
#: same" (the intervention pack's progression titles use the same 5 %).
FLAT_SHARE = 0.05
#: The run chart's value axis spans at least this share of the scale's range: four times
#: FLAT_SHARE, so a change the title calls "about the same" fills under a quarter of it.
AXIS_SHARE = 4 * FLAT_SHARE
#: Shown months needed on each side of the start before the medians are compared.
MIN_MONTHS = 2


@dataclass
class MonthMean:
    month_start: date
    mean: float | None
    n_citizens: int | None
    suppressed: bool = False


@dataclass
class TrialRun:
    """One trial and its indicator's months."""

    trial_id: str
    title: str
    starts: date
    expected: str
    scale: ScaleInfo
    months: list[MonthMean] = field(default_factory=list)

    def shown(self, after: bool) -> list[float]:
        start = self.starts.replace(day=1)
        return [m.mean for m in self.months if m.mean is not None and not m.suppressed
                and (m.month_start >= start) == after]


def month_label(day: date, lang: str) -> str:
    return f"{day:%m.%y}" if lang == "da" else f"{day:%b %y}"


def trial_title(run: TrialRun, lang: str) -> str:
    """The finding: medians before and after the start, and which way that is."""
    before, after = run.shown(False), run.shown(True)
    name = run.scale.short_name
    if not after:
        return t("trial_title_waiting", lang, title=run.title, instrument=name,
                 **instrument_words(name, lang),
                 date=fmt_date(run.starts, lang))
    if not before:
        return t("trial_title_no_before", lang, title=run.title, instrument=name,
                 **instrument_words(name, lang))
    if min(len(before), len(after)) < MIN_MONTHS:
        return t("trial_title_few", lang, title=run.title, instrument=name,
                 before=len(before), after=len(after))
    m0, m1 = round(median(before), 1), round(median(after), 1)  # compared as printed
    change = (m1 - m0) * better_sign(run.scale.direction)
    if m1 == m0:
        key = "trial_title_same"
    elif abs(m1 - m0) < FLAT_SHARE * (run.scale.score_max - run.scale.score_min):
        key = "trial_title_flat"
    else:
        key = "trial_title_better" if change > 0 else "trial_title_worse"
    return t(key, lang, title=run.title, instrument=name, before=fmt_number(m0, lang),
             after=fmt_number(m1, lang))


def run_axis(run: TrialRun, values: list[float]) -> tuple[float, float]:
    """The run chart's value axis: around the shown months, so a point's side of the median
    can be seen (SRS means of 32-36 on its 0-40 scale were one flat line), but at least
    ``AXIS_SHARE`` of the scale's range, so a shift the title calls "about the same" (under
    ``FLAT_SHARE``) stays small on it; whole ticks, inside the scale."""
    s_lo, s_hi = float(run.scale.score_min), float(run.scale.score_max)
    if not values:
        return s_lo, s_hi
    span = max((max(values) - min(values)) * 1.5, AXIS_SHARE * (s_hi - s_lo))
    if span >= s_hi - s_lo:
        return s_lo, s_hi
    mid = (max(values) + min(values)) / 2
    step = nice_step(span / 5)
    lo = max(math.floor((mid - span / 2) / step + 1e-9) * step, s_lo)
    hi = min(math.ceil((mid + span / 2) / step - 1e-9) * step, s_hi)
    if hi - lo < span:  # against an end of the scale: the room goes to the other side
        lo, hi = (max(hi - math.ceil(span / step) * step, s_lo) if hi == s_hi else lo,
                  min(lo + math.ceil(span / step) * step, s_hi) if lo == s_lo else hi)
    return lo, hi


def run_chart(run: TrialRun, lang: str, k: int, idx: int) -> FigureSpec:
    before_name, after_name = t("trial_before", lang), t("trial_after", lang)
    median_name = t("trial_median", lang)
    start = run.starts.replace(day=1)
    base = run.shown(False)
    base_median = median(base) if len(base) >= 2 else None
    categories, cells = [], []
    for m in run.months:
        cat = month_label(m.month_start, lang)
        if m.month_start == start:
            cat = t("trial_start_mark", lang) + cat
        categories.append(cat)
        series = after_name if m.month_start >= start else before_name
        if m.suppressed:
            cells.append(Cell(cat, series, None, n=None, suppressed=True))
        else:
            cells.append(Cell(cat, series, m.mean, n=m.n_citizens))
        if base_median is not None:
            cells.append(Cell(cat, median_name, base_median))
    series = [before_name, after_name] + ([median_name] if base_median is not None else [])
    lo, hi = run_axis(run, [*base, *run.shown(True)])
    shown_n = [m.n_citizens for m in run.months if not m.suppressed and m.n_citizens]
    n_note = (t("trial_n_note", lang, low=min(shown_n), high=max(shown_n)) if shown_n else "")
    return FigureSpec(
        id=f"trial:{idx}",
        chart="line",
        title=trial_title(run, lang),
        x_label="",
        y_label=t("trial_y", lang, instrument=run.scale.short_name),
        categories=categories,
        series=series,
        cells=cells,
        how_to_read=t("trial_how", lang),
        render="native",
        direct_labels=True,
        value_format="dec1",
        y_min=lo,
        y_max=hi,
        dashed_series=[median_name],
        n_note=n_note,
        suppressed_note=(t("hidden_note", lang, k=k) if k else hidden(k)) if any(
            m.suppressed for m in run.months) else "",
        gaps=True,  # a hidden month breaks the line (the "<k" note says why)
        series_colours={before_name: MUTED, after_name: ACCENT, median_name: ORANGE},
        label_last_only=len(run.months) > 8,
    )


def trial_slides(runs: list[TrialRun], lang: str, k: int, section: str) -> list[SlideSpec]:
    """One slide per trial: the run chart, with what the team expects beside it."""
    slides = []
    for i, run in enumerate(runs):
        blocks = [TextBlock(heading=t("trial_expected_heading", lang),
                            paragraph=run.expected)] if run.expected else []
        if not any(m.mean is not None for m in run.months):  # nothing to draw (or all hidden)
            slides.append(SlideSpec(kind="text", title=trial_title(run, lang), section=section,
                                    blocks=[TextBlock(paragraph=t("trial_no_months", lang,
                                                                  k=k)), *blocks]))
            continue
        fig = run_chart(run, lang, k, i)
        slides.append(SlideSpec(kind="figure", title=fig.title, figures=[fig], blocks=blocks,
                                section=section))
    return slides
