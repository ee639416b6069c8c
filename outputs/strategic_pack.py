"""The leaders' quarterly strategic summary (organisatorisk niveau): results per
intervention set against what the intervention costs.

:func:`build_strategic_deck` turns a
:class:`~outputs.strategic_data.StrategicPackData` (aggregated, already
hidden where the marts hide: ``mart_strategic_overview``, ``mart_costs_by_quarter``,
``mart_costs_per_unit``, ``mart_target_group_at_start``) into a
:class:`~outputs.spec.DeckSpec`; :func:`outputs.strategic_gather.gather_strategic_pack`
reads the object from the marts, and :func:`render_strategic_pack` does both and writes
the deck (.pptx) and the finance workbook (.xlsx, ``outputs.strategic_xlsx``).

Slides: title; the quarter at a glance; results and costs side by side (table); the
interventions compared on the share reliably improved with 95 % intervals and the
uncertainty in words; cost composition; unit costs; trends over the last
``TREND_QUARTERS`` (``outputs.strategic_data``) quarters (cost per citizen-month, share
reliably improved); target group at start (share at the clinical level, this start
year against the year before); data quality (the latest ``quality`` run, and where the
cost figures came from); one slide per intervention with its result map in brief;
the recommendation rule and its verdict; prompts for prioritising resources; a decision
sheet.

Titles and notes that compare interventions come from claims (``outputs.claims``),
worded in ``outputs.strategic_words``; the recommendation slide applies the one rule of
``outputs.strategic_rule``.

The period is the last complete quarter before the meeting. Every number on a slide is
a number of a mart row (rounded for display); nothing is re-computed here except
pooled shares over four quarters in the trend title (improved = share x courses
measured, summed over the quarters shown: a hidden quarter is left out, and the title
then says how many of the four it rests on). Titles that pick the largest change compare
the changes as printed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date
from pathlib import Path

from datadialog.formats import bounded_percent
from outputs.caveats import Caveat
from outputs.claims import (
    Estimate,
    compare_estimates,
    differ_clearly,
    intervals_overlap,
    wilson_interval,
)
from outputs.common import DeckOptions, options_from_config
from outputs.fmt import fmt_date, fmt_pct, instrument_words, join_names
from outputs.intervention_pack import result_map_spec
from outputs.render import render_deck
from outputs.spec import (
    AgreementSheetSpec,
    Cell,
    DeckSpec,
    FigureSpec,
    QualityBadge,
    SlideSpec,
    TableSpec,
    TextBlock,
)
from outputs.strategic_data import (
    InterventionSummary,
    Measure,
    QualityStatus,
    StrategicPackData,
    previous_quarter,
)
from outputs.strategic_gather import gather_strategic_pack
from outputs.strategic_rule import (
    cost_claim,
    recommendation,
)
from outputs.strategic_texts import (
    fmt_dkk,
    fmt_dkk_total,
    fmt_quarter,
    st,
    stl,
    wrap_label,
)
from outputs.strategic_words import (
    SHARE_DECIMALS,
    comparison_title,
    cost_sentence,
    interval_dkk,
    n_text,
    recommendation_blocks,
    share_claim,
    share_sentence,
    side_title,
    unit_title,
)
from outputs.strategic_xlsx import workbook_name, write_strategic_xlsx
from outputs.style import COMPARISON_COLOUR, COMPOSITION_COLOURS, LINE_COLOURS, YEAR_COLOURS
from outputs.table_pages import table_pages
from outputs.texts import t

#: Below this many courses measured, a share is called uncertain in words.
FEW_COURSES = 20
#: A unit cost that rose by more than this share since the quarter before gets a prompt.
COST_RISE_PROMPT = 0.10
#: A change in cost per citizen-month below this share counts as "about the same".
COST_FLAT = 0.05
#: Pooled shares (four quarters against the four before) closer than this, as printed
#: (whole percentages), are "level".
SHARE_FLAT = 0.05
#: Target-group shifts smaller than this as printed (share at the clinical level, whole
#: percentages) are "the same".
TARGET_FLAT = 0.05


def _hidden_text(m: Measure, lang: str, k: int) -> str:
    """How a hidden figure reads: "skjult" when hidden for a single dominant course or
    beside a small count (complementary), "<k" when it rests on fewer than k citizens."""
    if m.reason == "dominance":
        return st("hidden_dominance", lang)
    if m.reason == "complementary":
        return st("hidden_complementary", lang)
    return st("hidden_small", lang, k=k)


def _dkk_text(m: Measure, lang: str, k: int) -> str:
    if m.suppressed:
        return _hidden_text(m, lang, k)
    return fmt_dkk(m.value, lang)


def _cell(category: str, series: str, m: Measure, scale: float = 1.0,
          interval: bool = False, lang: str = "da") -> Cell:
    """A figure cell from a Measure: hidden cells carry no number (dominance: a label)."""
    if m.suppressed:
        if m.reason in ("dominance", "complementary"):
            return Cell(category, series, None, None, label=st(f"hidden_{m.reason}", lang))
        return Cell(category, series, None, None, suppressed=True)
    value = None if m.value is None else m.value * scale
    low = high = None
    if interval and m.low is not None and m.high is not None:
        low, high = m.low * scale, m.high * scale
    return Cell(category, series, value, m.n, low=low, high=high)


def _reason_text(reason: str | None, lang: str, k: int, share: float) -> str:
    if reason == "dominance":
        return st("reason_dominance", lang, share=fmt_pct(share, lang))
    if reason == "complementary":
        return st("reason_complementary", lang, k=k)
    return st("reason_small_cell", lang, k=k)


def _pooled_share(iv: InterventionSummary, quarters: list[str]
                  ) -> tuple[float, float, int] | None:
    """(pooled share improved, courses measured, quarters pooled) over ``quarters``: only
    the quarters whose share is shown count (a hidden quarter is left out); None without
    data."""
    improved = measured = 0.0
    pooled = 0
    for q in quarters:
        m = iv.m(q, "share_improved")
        if m.usable and m.n_units:
            improved += m.value * m.n_units
            measured += m.n_units
            pooled += 1
    return (improved / measured, measured, pooled) if measured else None


def _printed_percent(share: float) -> float:
    """A share 0-1 as the whole percentage ``fmt_pct`` prints ("67 %" is 67; "<1 %" is
    1, ">99 %" is 99): titles compare shifts as printed (docs/decks.md)."""
    return float(f"{bounded_percent(share)[1]:.0f}")


def _printed_shift(first: float, last: float) -> float:
    """The size of a change between two shares in percentage points, as printed."""
    return abs(_printed_percent(last) - _printed_percent(first))


def _span_text(kind: str, shown: int, total: int, lang: str) -> str:
    """What a pooled share rests on: "de seneste fire kvartaler" when every quarter is
    shown, else "i de to viste af de seneste fire kvartaler" (``kind`` recent/earlier)."""
    words = stl("count_words", lang)

    def word(n: int) -> str:
        return words[n] if 0 <= n < len(words) else str(n)

    which = "all" if shown >= total else "one" if shown == 1 else "some"
    return st(f"trend_span_{kind}_{which}", lang, shown=word(shown), total=word(total))


# ====================================================================== slides


def summary_slide(data: StrategicPackData, lang: str, k: int) -> SlideSpec:
    p = data.period
    ivs = data.interventions
    bullets = []
    active = [iv.m(p, "citizens_active") for iv in ivs]
    if active and all(m.usable for m in active):
        bullets.append(st("sum_volume", lang, n_interventions=len(ivs),
                          n_citizens=int(sum(m.value for m in active))))
    else:
        bullets.append(st("sum_volume_hidden", lang, n_interventions=len(ivs)))
    totals = [iv.m(p, "total_cost") for iv in ivs]
    if totals and all(m.usable for m in totals):
        bullets.append(st("sum_cost", lang,
                          total=fmt_dkk_total(sum(m.value for m in totals), lang)))
    else:
        bullets.append(st("sum_cost_hidden", lang))
    bullets.append(share_sentence(share_claim(data), _instrument(data), lang))
    cost_line = cost_sentence(cost_claim(ivs, p), lang)
    if cost_line:
        bullets.append(cost_line)
    rec = recommendation(data)
    bullets.append((st("rule_title_holds", lang, name=rec.intervention) if rec.holds
                    else st("rule_title_not", lang, period=fmt_quarter(p, lang))) + ".")
    bullets.append(quality_line(data.quality, lang))
    how = [st("how_cost", lang), st("how_month", lang), st("how_small", lang, k=k),
           st("how_dominance", lang, share=fmt_pct(data.dominance_share, lang), k=k),
           st("how_noise", lang)]
    return SlideSpec(kind="text", title=st("summary_title", lang, period=fmt_quarter(p, lang)),
                     blocks=[TextBlock(heading=st("summary_heading", lang), bullets=bullets),
                             TextBlock(heading=st("how_heading", lang), bullets=how)])


def quality_line(q: QualityStatus, lang: str) -> str:
    if not q.has_run:
        return st("quality_none", lang)
    counts = st("quality_counts", lang, n_failed=q.n_failed_rules, n_rules=q.n_rules,
                errors=q.n_errors, warnings=q.n_warnings) if q.n_failed_rules \
        else st("quality_clean", lang)
    run = st("quality_run", lang, date=fmt_date(q.started_at.date() if q.started_at else None,
                                                lang),
             as_of=fmt_date(q.as_of_date, lang))
    return f"{st('quality_checks_heading', lang)}: {run} {counts}"


def side_by_side_slide(data: StrategicPackData, lang: str, k: int) -> SlideSpec:
    p = data.period
    instrument = _instrument(data)
    rows = []
    for iv in data.interventions:
        active = iv.m(p, "citizens_active")
        improved = iv.m(p, "share_improved")
        goals = iv.m(p, "share_goals_reached")
        rows.append([
            iv.name,
            _hidden_text(active, lang, k) if active.suppressed else n_text(active.value),
            _share_with_n(improved, lang, k, "side_improved_cell"),
            _share_with_n(goals, lang, k, "side_goals_cell"),
            _dkk_text(iv.m(p, "cost_per_citizen_month"), lang, k),
            _dkk_text(iv.m(p, "cost_per_citizen_improved"), lang, k),
        ])
    return SlideSpec(
        kind="table", title=side_title(share_claim(data), lang, p),
        section=fmt_quarter(p, lang),
        table=TableSpec(columns=st("side_columns", lang, instrument=instrument).split("|"),
                        rows=rows, column_widths=[2.8, 1.5, 2.2, 1.9, 1.9, 2.0]),
        notes=st("side_note", lang),
    )


def _share_with_n(m: Measure, lang: str, k: int, key: str) -> str:
    if m.suppressed:
        return _hidden_text(m, lang, k)
    if m.value is None:
        return "–"
    return st(key, lang, share=fmt_pct(m.value, lang), n=n_text(m.n_units))


def _hidden_note(cells: list[Cell], lang: str, k: int) -> str:
    """The "<k" explanation, only when a cell of the figure is hidden (and the "skjult"
    one when a share is hidden beside a small count)."""
    notes = [st("how_small", lang, k=k)] if any(c.suppressed for c in cells) else []
    if any(c.value is None and c.label == st("hidden_complementary", lang) for c in cells):
        notes.append(st("how_complementary", lang, k=k))
    return " ".join(notes)


def _instrument(data: StrategicPackData) -> str:
    names = list(dict.fromkeys(iv.instrument for iv in data.interventions if iv.instrument))
    return "/".join(names) if names else "–"


def comparison_figure(data: StrategicPackData, lang: str, k: int) -> FigureSpec:
    p = data.period
    instrument = _instrument(data)
    series = st("cmp_y", lang)
    categories, cells = [], []
    for iv in data.interventions:
        m = iv.m(p, "share_improved")
        label = (st("n_is", lang, n=n_text(m.n_units)) if m.usable
                 else f"n {_hidden_text(m, lang, k)}" if m.suppressed else "n = 0")
        cat = f"{wrap_label(iv.short_name)}\n({label})"
        categories.append(cat)
        cells.append(_cell(cat, series, m, scale=100, interval=True, lang=lang))
    return FigureSpec(
        id="comparison", chart="bar", title=comparison_title(share_claim(data), instrument,
                                                             lang, p), x_label="", y_label=series,
        categories=categories, series=[series], cells=cells,
        how_to_read=st("cmp_how", lang, instrument=instrument,
                       **instrument_words(instrument, lang)),
        render="native",
        value_format="pct", y_min=0, y_max=100, suppressed_note=_hidden_note(cells, lang, k),
        series_colours={series: COMPARISON_COLOUR}, horizontal=True,
    )


def comparison_words(data: StrategicPackData, lang: str, k: int) -> TextBlock:
    p = data.period
    bullets = []
    for iv in data.interventions:
        m = iv.m(p, "share_improved")
        if m.suppressed:
            key = "cmp_word_complementary" if m.reason == "complementary" else "cmp_word_hidden"
            bullets.append(st(key, lang, name=iv.short_name, k=k))
        elif m.value is None:
            bullets.append(st("cmp_word_none", lang, name=iv.short_name))
        else:
            text = st("cmp_word", lang, name=iv.short_name, share=fmt_pct(m.value, lang),
                      low=fmt_pct(m.low, lang), high=fmt_pct(m.high, lang),
                      n=n_text(m.n_units))
            if (m.n_units or 0) < FEW_COURSES:
                text += st("cmp_word_few", lang)
            bullets.append(text)
    return TextBlock(heading=st("cmp_words_heading", lang), bullets=bullets)


def composition_figure(data: StrategicPackData, lang: str, k: int) -> FigureSpec:
    p = data.period
    parts = ("staff", "fixed", "per_course")
    names = {key: st(f"comp_{key}", lang) for key in parts}
    series = [names[key] for key in parts]
    categories, cells = [], []
    staff_sum = total_sum = 0.0
    for iv in data.interventions:
        c = iv.costs
        if c is None:
            cat = st("comp_category_hidden", lang, name=iv.short_name, label="–")
        elif c.suppressed:
            label = (st("hidden_dominance", lang) if c.reason == "dominance"
                     else f"n {st('hidden_small', lang, k=k)}")
            cat = st("comp_category_hidden", lang, name=iv.short_name, label=label)
        else:
            cat = st("comp_category", lang, name=iv.short_name,
                     label=fmt_dkk_total(c.total, lang), n=n_text(c.n_citizens))
        categories.append(cat)
        for key in parts:
            if c is None:
                cells.append(Cell(cat, names[key], None))
            elif c.suppressed:  # the whole bar goes: a fixed part alone would mislead
                cells.append(Cell(cat, names[key], None, None, suppressed=True))
            else:
                value = getattr(c, key)
                cells.append(Cell(cat, names[key], None if value is None else value / 1000,
                                  c.n_citizens))
        if c is not None and not c.suppressed and c.total:
            staff_sum += c.staff or 0.0
            total_sum += c.total
    if total_sum:
        title = st("comp_title", lang, share=fmt_pct(staff_sum / total_sum, lang),
                   period=fmt_quarter(p, lang))
    else:
        title = st("comp_title_none", lang, period=fmt_quarter(p, lang))
    top = max([sum(c.value or 0 for c in cells if c.category == cat) for cat in categories]
              + [1.0])
    return FigureSpec(
        id="cost_composition", chart="stacked_bar", title=title, x_label="",
        y_label=st("comp_y", lang), categories=categories, series=series, cells=cells,
        how_to_read=st("comp_how", lang, k=k, share=fmt_pct(data.dominance_share, lang)),
        render="native", value_format="int", y_min=0, y_max=_nice_max(top),
        horizontal=True, series_colours={names[key]: COMPOSITION_COLOURS[key] for key in parts},
    )


def _nice_max(top: float) -> float:
    """A round axis end a little above ``top`` (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 x 10^n)."""
    raw = top * 1.08
    power = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    for mult in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if mult * power >= raw:
            return mult * power
    return 10 * power


def unit_cost_slide(data: StrategicPackData, lang: str, k: int) -> SlideSpec:
    p = data.period
    rows = []
    for iv in data.interventions:
        row = [iv.name]
        for measure in ("cost_per_course", "cost_per_citizen_month",
                        "cost_per_citizen_improved", "cost_per_goal_reached"):
            m = iv.m(p, measure)
            if m.suppressed or m.value is None:
                row.append(_dkk_text(m, lang, k))
                continue
            text = st(f"unit_cell_{measure}", lang, value=fmt_dkk(m.value, lang),
                      n=n_text(m.n_units))
            if m.low is not None:
                interval = interval_dkk(Estimate(iv.short_name, m.value, m.low, m.high), lang,
                                         unit=False)
                text += "\n" + st("unit_cell_interval", lang, interval=interval)
            row.append(text)
        rows.append(row)
    return SlideSpec(
        kind="table", title=unit_title(cost_claim(data.interventions, p), lang, p),
        section=st("costs_section", lang),
        table=TableSpec(columns=st("unit_columns", lang, instrument=_instrument(data))
                        .split("|"), rows=rows, column_widths=[2.6, 1.7, 1.8, 2.5, 2.4]),
        blocks=[], notes=st("unit_note", lang, period=fmt_quarter(p, lang)),
    )


def _line_figure(data: StrategicPackData, measure: str, fig_id: str, lang: str, k: int,
                 scale: float, value_format: str) -> FigureSpec:
    categories = [fmt_quarter(q, lang, axis=True) for q in data.quarters]
    series, cells, colours = [], [], {}
    for i, iv in enumerate(data.interventions):
        name = iv.short_name
        series.append(name)
        colours[name] = LINE_COLOURS[i % len(LINE_COLOURS)]
        for q, cat in zip(data.quarters, categories, strict=True):
            m = iv.m(q, measure)
            if m.suppressed:
                cells.append(Cell(cat, name, None, None, suppressed=True))
            elif m.value is not None:
                cells.append(Cell(cat, name, m.value * scale, m.n))
    return FigureSpec(
        id=fig_id, chart="line", title="", x_label="", y_label="", categories=categories,
        series=series, cells=cells, how_to_read="", render="native",
        value_format=value_format, series_colours=colours, label_last_only=True,  # type: ignore[arg-type]
        suppressed_note=_hidden_note(cells, lang, k), direct_labels=True, gaps=True,
    )


def cost_trend_figure(data: StrategicPackData, lang: str, k: int) -> FigureSpec:
    fig = _line_figure(data, "cost_per_citizen_month", "trend_cost", lang, k, 1.0, "int")
    p, prev = data.period, previous_quarter(data.period)
    # which cost per citizen-month changed most since the quarter before, by the claim
    # rules: costs are counted, not sampled, so each change is its own exact interval;
    # a hidden quarter means nobody is "most", a tie at whole percentages is a tie
    changes, estimates = {}, []
    for iv in data.interventions:
        a, b = iv.m(prev, "cost_per_citizen_month"), iv.m(p, "cost_per_citizen_month")
        if a.suppressed or b.suppressed:
            estimates.append(Estimate(iv.short_name, None, hidden=True))
        elif a.usable and b.usable and a.value:
            changes[iv.short_name] = change = b.value / a.value - 1
            estimates.append(Estimate(iv.short_name, abs(change), abs(change), abs(change)))
    claim = compare_estimates(estimates, better="higher", decimals=SHARE_DECIMALS)
    prev_text = fmt_quarter(prev, lang)

    def signed(change: float) -> str:
        return fmt_pct(change, lang) if change < 0 else "+" + fmt_pct(change, lang)

    best = claim.best
    if best is None:
        fig.title = st("trend_cost_none", lang)
    elif best.value < COST_FLAT and claim.kind != "hidden":  # type: ignore[operator]
        fig.title = st("trend_cost_flat", lang, prev=prev_text)
    elif claim.kind == "hidden":
        fig.title = st("trend_cost_hidden", lang, prev=prev_text,
                       names=join_names(list(claim.hidden_groups), lang))
    elif claim.kind == "similar":
        tied = [e.group for e in claim.ranked
                if fmt_pct(e.value, lang) == fmt_pct(best.value, lang)]
        fig.title = st("trend_cost_similar", lang, names=join_names(tied, lang),
                       prev=prev_text, change=fmt_pct(best.value, lang))
    else:  # clear, or the only intervention with two quarters
        change = changes[best.group]
        key = "trend_cost_up" if change > 0 else "trend_cost_down"
        if claim.kind == "unknown":
            key += "_one"
        fig.title = st(key, lang, name=best.group, prev=prev_text, change=signed(change))
    values = [c.value for c in fig.cells if c.value is not None]
    fig.y_min, fig.y_max = 0.0, _nice_max(max(values + [1.0]))
    fig.y_label = st("trend_cost_y", lang)
    fig.how_to_read = st("trend_cost_how", lang, period=fmt_quarter(p, lang))
    return fig


def result_trend_figure(data: StrategicPackData, lang: str, k: int) -> FigureSpec:
    fig = _line_figure(data, "share_improved", "trend_result", lang, k, 100.0, "pct")
    instrument = _instrument(data)
    recent, earlier = data.quarters[-4:], data.quarters[-8:-4]
    changes = []
    for iv in data.interventions:
        a, b = _pooled_share(iv, earlier), _pooled_share(iv, recent)
        if a and b:
            changes.append((iv, a, b))
    fig.how_to_read = st("trend_res_how", lang)
    if not changes:
        fig.title = st("trend_res_none", lang)
    else:
        # the largest change as printed; on a tie, the one resting on more courses
        iv, (a, n_a, q_a), (b, n_b, q_b) = max(
            changes, key=lambda x: (_printed_shift(x[1][0], x[2][0]), x[1][1] + x[2][1]))
        if _printed_shift(a, b) < SHARE_FLAT * 100:
            fig.title = st("trend_res_same", lang, instrument=instrument)
        else:
            # the pooled shares' intervals (outputs.claims): apart, or "may be chance"
            apart = differ_clearly(wilson_interval(a, n_a), wilson_interval(b, n_b))
            fig.title = st("trend_res_change" if apart else "trend_res_change_chance", lang,
                           name=iv.short_name, latest=fmt_pct(b, lang),
                           earlier=fmt_pct(a, lang),
                           recent=_span_text("recent", q_b, len(recent), lang),
                           before=_span_text("earlier", q_a, len(earlier), lang))
            if q_a < len(earlier) or q_b < len(recent):
                fig.how_to_read += " " + st("trend_res_pooled_note", lang)
    fig.y_min, fig.y_max = 0.0, 100.0
    fig.y_label = st("trend_res_y", lang, instrument=instrument)
    return fig


def target_figure(data: StrategicPackData, lang: str, k: int) -> FigureSpec:
    years = sorted({ty.year for iv in data.interventions for ty in iv.target_years})[-2:]
    series = [str(y) for y in years]
    categories, cells = [], []
    shifts = []
    for iv in data.interventions:
        by_year = {ty.year: ty for ty in iv.target_years}
        ns = " / ".join(
            (n_text(by_year[y].share_clinical.n) if by_year[y].share_clinical.usable
             else st("hidden_small", lang, k=k)) if y in by_year else "–"
            for y in years)
        cat = f"{wrap_label(iv.short_name)}\n(n = {ns})"
        categories.append(cat)
        for y in years:
            if y in by_year:
                cells.append(_cell(cat, str(y), by_year[y].share_clinical, scale=100,
                                   interval=True, lang=lang))
        if len(years) == 2 and all(y in by_year and by_year[y].share_clinical.usable
                                   for y in years):
            first, last = by_year[years[0]].share_clinical, by_year[years[1]].share_clinical
            shifts.append((iv, first, last))
    if not shifts:
        title = st("target_title_none", lang)
    else:
        # a shift whose two intervals stand apart first (outputs.claims): only then is
        # "more" or "fewer" said without "may be chance"; among those, the largest shift
        # as printed (82 % -> 67 % is 15 points even when unrounded it is 15,7), and on a
        # tie the one resting on more citizens, then the first in the deck's order
        def size(shift) -> tuple[float, int]:
            return (_printed_shift(shift[1].value, shift[2].value),
                    (shift[1].n or 0) + (shift[2].n or 0))
        clear = [x for x in shifts if not intervals_overlap(
            Estimate("", x[1].value, x[1].low, x[1].high),
            Estimate("", x[2].value, x[2].low, x[2].high))]
        iv, first, last = max(clear or shifts, key=size)
        a, b = first.value, last.value
        values = {"name": iv.short_name, "a": fmt_pct(a, lang), "b": fmt_pct(b, lang),
                  "y1": years[0], "y2": years[1]}
        if _printed_shift(a, b) < TARGET_FLAT * 100:
            title = st("target_title_even", lang)
        elif not clear:
            title = st("target_title_chance", lang, **values)
        else:
            title = st("target_title_more" if b > a else "target_title_fewer", lang, **values)
    instrument = _instrument(data)
    return FigureSpec(
        id="target_group", chart="bar", title=title, x_label="", y_label=st("target_y", lang),
        categories=categories, series=series, cells=cells,
        how_to_read=st("target_how", lang, instrument=instrument,
                       **instrument_words(instrument, lang)),
        render="native",
        value_format="pct", y_min=0, y_max=100, suppressed_note=_hidden_note(cells, lang, k),
        series_colours={s: YEAR_COLOURS[i % 2] for i, s in enumerate(series[-2:])},
    )


#: Findings listed on the data-quality slide at most (the rest are counted), so the
#: column fits at the body text size.
MAX_QUALITY_LINES = 6


def quality_findings(q: QualityStatus, lang: str, caveats: list[Caveat] | None = None
                     ) -> list[str]:
    """One line per finding, most important first: failing rules of severity error, the
    metrics below target (an intervention whose measurements are mostly late or missing
    is what a leader must know before judging its results), the other failing rules by
    size, then the caveats no listed rule already says."""
    order = {"error": 0, "warning": 1}
    items = sorted(q.failing, key=lambda i: (order.get(i.severity, 2), -i.n_failed))
    rule_lines = [(item.severity == "error",
                   st("quality_item", lang, title=item.title, n=item.n_failed,
                      severity=st(f"severity_{item.severity}", lang))) for item in items]
    lines = [line for is_error, line in rule_lines if is_error]
    lines += [st("quality_metric", lang, metric=st(f"metric_{m.metric}", lang), group=m.group,
                 value=fmt_pct(m.value, lang), target=fmt_pct(m.target, lang))
              for m in q.below_target]
    lines += [line for is_error, line in rule_lines if not is_error]
    listed = {item.rule_id for item in q.failing if item.rule_id}
    if any(m.metric == "completeness" for m in q.below_target):
        listed.add("completeness_below_target")
    if any(m.metric == "timeliness" for m in q.below_target):
        listed.add("timeliness_below_target")
    for caveat in caveats or []:
        if caveat.rule_id in listed:
            continue
        line = caveat.slide_text
        if line not in lines:
            lines.append(line)
    return lines


def quality_slide(data: StrategicPackData, lang: str, k: int,
                  caveats: list[Caveat] | None = None) -> SlideSpec:
    q = data.quality
    checks: list[str] = []
    if not q.has_run:
        checks.append(st("quality_none", lang))
    else:
        checks.append(st("quality_run", lang,
                         date=fmt_date(q.started_at.date() if q.started_at else None, lang),
                         as_of=fmt_date(q.as_of_date, lang)))
        checks.append(st("quality_counts", lang, n_failed=q.n_failed_rules, n_rules=q.n_rules,
                         errors=q.n_errors, warnings=q.n_warnings) if q.n_failed_rules
                      else st("quality_clean", lang))
        if q.n_blocked_scopes:
            checks.append(st("quality_blocked", lang, n=q.n_blocked_scopes))
    findings = quality_findings(q, lang, caveats)
    if len(findings) > MAX_QUALITY_LINES:
        findings = findings[:MAX_QUALITY_LINES] + [
            st("quality_more", lang, n=len(findings) - MAX_QUALITY_LINES)]
    checks += findings
    return SlideSpec(kind="text", title=st("quality_title", lang),
                     blocks=[TextBlock(heading=st("quality_checks_heading", lang),
                                       bullets=checks),
                             TextBlock(heading=st("quality_costs_heading", lang),
                                       bullets=cost_notes(data, lang, k))])


def cost_notes(data: StrategicPackData, lang: str, k: int) -> list[str]:
    """Where the period's cost figures came from, per intervention, in words."""
    p = fmt_quarter(data.period, lang)
    notes = []
    for iv in data.interventions:
        c = iv.costs
        if c is None:
            notes.append(st("cost_missing", lang, name=iv.short_name, period=p))
            continue
        if c.suppressed:
            notes.append(st("cost_hidden", lang, name=iv.short_name, period=p,
                            reason=_reason_text(c.reason, lang, k, data.dominance_share)))
        if c.staff_cost_source == "activity_hours_x_rate":
            notes.append(st("cost_from_activities", lang, name=iv.short_name, period=p))
        elif c.staff_cost_source == "export_amount":
            notes.append(st("cost_no_rate", lang, name=iv.short_name))
        if c.fixed_cost_source == "config":
            notes.append(st("cost_fixed_from_config", lang, name=iv.short_name, period=p))
    return notes or [st("cost_all_export", lang, period=p)]


def map_slide(data: StrategicPackData, iv: InterventionSummary, i: int, lang: str,
              k: int) -> SlideSpec:
    p = data.period
    active = iv.m(p, "citizens_active")
    strip = st("map_strip", lang, period=fmt_quarter(p, lang),
               citizens=_hidden_text(active, lang, k) if active.suppressed
               else n_text(active.value),
               instrument=iv.instrument or "–",
               share=_share_with_n(iv.m(p, "share_improved"), lang, k, "side_improved_cell"),
               cost=_dkk_text(iv.m(p, "cost_per_citizen_month"), lang, k))
    return SlideSpec(kind="result_map", title=st("map_title", lang, name=iv.name),
                     section=st("map_section", lang, i=i, n=len(data.interventions)),
                     result_map=result_map_spec(iv, lang, k),  # type: ignore[arg-type]
                     blocks=[TextBlock(paragraph=strip)],
                     notes=st("map_how", lang) + "\n" + t("rm_how", lang))


def prompts(data: StrategicPackData, lang: str, k: int) -> list[str]:
    """Prompts for prioritising, computed from the period's figures (rules in the code)."""
    p, prev = data.period, previous_quarter(data.period)
    out = []
    for iv in data.interventions:
        a, b = iv.m(prev, "cost_per_citizen_month"), iv.m(p, "cost_per_citizen_month")
        if a.usable and b.usable and a.value and b.value / a.value - 1 > COST_RISE_PROMPT:
            out.append(st("prompt_cost_rise", lang, name=iv.short_name,
                          change="+" + fmt_pct(b.value / a.value - 1, lang),
                          prev=fmt_quarter(prev, lang)))
    lowest = share_claim(data, better="lower")
    if lowest.kind == "clear" and lowest.best is not None:
        out.append(st("prompt_low_result", lang, name=lowest.best.group,
                      share=fmt_pct(lowest.best.value, lang)))
    few = [iv.short_name for iv in data.interventions
           if iv.m(p, "share_improved").suppressed
           or (iv.m(p, "share_improved").usable
               and (iv.m(p, "share_improved").n_units or 0) < FEW_COURSES)]
    if few:
        out.append(st("prompt_few", lang, names=join_names(few, lang)))
    for iv in data.interventions:
        if iv.costs is not None and iv.costs.suppressed:
            out.append(st("prompt_hidden", lang, name=iv.short_name,
                          period=fmt_quarter(p, lang)))
    return out


def recommendation_slide(data: StrategicPackData, lang: str) -> SlideSpec:
    """The recommendation rule and its verdict: the title says whether the figures can
    carry a recommendation (``outputs.strategic_rule``)."""
    rec = recommendation(data)
    title = (st("rule_title_holds", lang, name=rec.intervention) if rec.holds
             else st("rule_title_not", lang, period=fmt_quarter(data.period, lang)))
    return SlideSpec(kind="text", title=title, section=st("rule_heading", lang),
                     blocks=recommendation_blocks(rec, _instrument(data), lang))


def prompt_slide(data: StrategicPackData, lang: str, k: int) -> SlideSpec:
    """What the figures point to, and the standing questions for prioritising."""
    blocks = []
    pointers = prompts(data, lang, k)
    if pointers:
        blocks.append(TextBlock(heading=st("prompt_data_heading", lang), bullets=pointers))
    blocks.append(TextBlock(heading=st("prompt_general_heading", lang),
                            bullets=stl("prompt_general", lang)))
    return SlideSpec(kind="text", title=st("prompt_title", lang), blocks=blocks)


# ====================================================================== the builder


def build_strategic_deck(data: StrategicPackData, opts: DeckOptions,
                         caveats: list[Caveat] | None = None) -> DeckSpec:
    """The leaders' quarterly deck (pure: no I/O). ``caveats`` (e.g. the quality gate's
    warnings for the figures) are added to the data-quality slide."""
    lang, k = opts.language, opts.small_cell_k
    date_text = fmt_date(data.meeting_date, lang)
    period_text = fmt_quarter(data.period, lang)
    slides = [
        SlideSpec(kind="title", title=st("deck_title", lang),
                  subtitle=st("deck_subtitle", lang, period=period_text, date=date_text)),
        summary_slide(data, lang, k),
        *table_pages(side_by_side_slide(data, lang, k)),  # a row per intervention
    ]
    cmp = comparison_figure(data, lang, k)
    slides.append(SlideSpec(kind="figure", title=cmp.title, figures=[cmp],
                            blocks=[comparison_words(data, lang, k)],
                            section=f"{st('cmp_section', lang)} · {period_text}"))
    comp = composition_figure(data, lang, k)
    slides.append(SlideSpec(kind="figure", title=comp.title, figures=[comp],
                            section=f"{st('costs_section', lang)} · {period_text}"))
    slides += table_pages(unit_cost_slide(data, lang, k))
    for fig in (cost_trend_figure(data, lang, k), result_trend_figure(data, lang, k)):
        slides.append(SlideSpec(kind="figure", title=fig.title, figures=[fig],
                                section=st("trend_section", lang)))
    target = target_figure(data, lang, k)
    slides.append(SlideSpec(kind="figure", title=target.title, figures=[target],
                            section=st("target_section", lang)))
    slides.append(quality_slide(data, lang, k, caveats))
    for i, iv in enumerate(data.interventions, start=1):
        if iv.map_nodes:
            slides.append(map_slide(data, iv, i, lang, k))
    slides.append(recommendation_slide(data, lang))
    slides.append(prompt_slide(data, lang, k))
    slides.append(SlideSpec(kind="agreement_sheet", title=st("sheet_title", lang),
                            agreement_sheet=AgreementSheetSpec(
                                headings=stl("sheet_headings", lang),
                                subject=opts.organisation)))
    notes = [c.text for c in caveats or []] + cost_notes(data, lang, k)
    if not data.quality.has_run:
        notes.append(st("quality_none", lang))
    return DeckSpec(
        title=slides[0].title,
        subtitle=slides[0].subtitle,
        language=lang,  # type: ignore[arg-type]
        slides=slides,
        caveats=notes,
        footer=st("footer", lang, organisation=opts.organisation, date=date_text)
        if opts.organisation else date_text,
    )


# ====================================================================== render (I/O)


def strategic_spec(con, config, meeting_id: str, meeting_date: date, *,
                   caveats: list[Caveat] | None = None,
                   rule_titles: Mapping[str, str] | None = None
                   ) -> tuple[StrategicPackData, DeckSpec]:
    """Gather the quarterly summary's data and build its specification (what the deck
    shows; the data also fill the finance workbook)."""
    data = gather_strategic_pack(con, config, meeting_id, meeting_date,
                                 rule_titles=rule_titles)
    return data, build_strategic_deck(data, options_from_config(config), caveats)


def render_strategic_pack(con, config, meeting_id: str, meeting_date: date,
                          out_dir: Path | str, template: Path | str | None = None, *,
                          stem: str | None = None, caveats: list[Caveat] | None = None,
                          rule_titles: Mapping[str, str] | None = None,
                          badge: QualityBadge | None = None) -> list[Path]:
    """Gather, build and write the quarterly summary of the organisation-level series
    ``meeting_id``: ``<stem>.pptx`` and the finance workbook ``<stem>_tabeller.xlsx``
    (``_tables`` in English) in ``out_dir``; ``stem`` defaults to
    ``<meeting_id>_<yyyy-mm-dd>``. ``caveats`` go on the data-quality slide."""
    data, spec = strategic_spec(con, config, meeting_id, meeting_date, caveats=caveats,
                                rule_titles=rule_titles)
    spec.quality_badge = badge
    stem = stem or f"{meeting_id}_{meeting_date.isoformat()}"
    return write_strategic_pack(spec, data, out_dir, stem, template,
                                k=options_from_config(config).small_cell_k)


def write_strategic_pack(spec: DeckSpec, data: StrategicPackData, out_dir: Path | str,
                         stem: str, template: Path | str | None = None, *, k: int = 5
                         ) -> list[Path]:
    """Render a built quarterly summary: ``<stem>.pptx`` and its finance workbook (the
    spec's figures and ``data.tables``) beside it."""
    out_dir = Path(out_dir)
    pptx = render_deck(spec, out_dir / f"{stem}.pptx", template=template, k=k)
    xlsx = write_strategic_xlsx(spec, data, out_dir / workbook_name(stem, spec.language), k=k)
    return [pptx, xlsx]
