"""The numbers inside the leaders' summary's native charts against the marts.

The interventions compared (share reliably improved in the quarter) and the two trends
(cost per citizen-month and share reliably improved, per quarter) are native charts:
every plotted value must equal its ``mart_strategic_overview`` cell (shares in percent),
and a cell the mart hides must have no value in the chart (so none in its workbook).
Rule ``chart_values``, as for the intervention pack; one count per chart cell read.
"""

from __future__ import annotations

import re

from outputs.strategic_texts import st
from tests.support.deck_audit.chart_values import _compare
from tests.support.deck_audit.context import DeckContext
from tests.support.deck_audit.findings import AuditResult
from tests.support.deck_audit.marts import rows
from tests.support.deck_audit.slides import ChartText, SlideText

#: A quarter on the trend charts' axis ("4. kvt.\n2024").
_AXIS_QUARTER = re.compile(r"(\d)\. kvt\.\s+(\d{4})")


def _name(category: str) -> str:
    """The intervention's name in a category ("Intensivt\nspædbarnsforløb\n(n = 19)")."""
    return " ".join(line for line in category.split("\n") if not line.startswith("(n"))


def _cell(row: dict | None, scale: float) -> dict | None:
    if row is None:
        return None
    value = row["measure_value"]
    return {"is_suppressed": row["is_suppressed"],
            "value": None if value is None else value * scale}


def _measures(ctx: DeckContext, quarter: str, cache: dict) -> dict[tuple[str, str], dict]:
    if quarter not in cache:
        cache[quarter] = {(r["intervention_id"], r["measure"]): r
                          for r in rows(ctx.con, "strategic_measures", quarter=quarter)}
    return cache[quarter]


def _check_comparison(ctx: DeckContext, slide: SlideText, chart: ChartText,
                      res: AuditResult, cache: dict) -> None:
    now = _measures(ctx, ctx.quarter, cache)
    for name, values in chart.series:
        for category, value in zip(chart.categories, values, strict=True):
            iv = ctx.intervention_by_name(_name(category))
            row = now.get((iv.id, "share_improved")) if iv else None
            _compare(res, slide, f"{name} · {_name(category)}", value, _cell(row, 100.0),
                     "value")


def _check_trend(ctx: DeckContext, slide: SlideText, chart: ChartText, res: AuditResult,
                 measure: str, scale: float, cache: dict) -> None:
    for name, values in chart.series:
        iv = ctx.intervention_by_name(name)
        for category, value in zip(chart.categories, values, strict=True):
            found = _AXIS_QUARTER.fullmatch(category.strip())
            row = None
            if iv is not None and found:
                quarter = f"{found.group(2)}-Q{found.group(1)}"
                row = _measures(ctx, quarter, cache).get((iv.id, measure))
            _compare(res, slide, f"{name} · {category.replace(chr(10), ' ')}", value,
                     _cell(row, scale), "value")


def check_leaders_chart_values(ctx: DeckContext, slide: SlideText, res: AuditResult,
                               cache: dict) -> None:
    """The comparison and trend charts of one slide, cell by cell against the mart
    (``cache``: the mart's rows per quarter, shared by the deck's slides)."""
    if ctx.quarter is None:
        return
    cost_how = st("trend_cost_how", ctx.lang, period="").split(".")[0]
    for i, chart in enumerate(slide.charts):
        if slide.section.startswith(st("cmp_section", ctx.lang)):
            _check_comparison(ctx, slide, chart, res, cache)
        elif slide.section == st("trend_section", ctx.lang):
            cost = cost_how in slide.frame_after_chart(i)
            _check_trend(ctx, slide, chart, res,
                         "cost_per_citizen_month" if cost else "share_improved",
                         1.0 if cost else 100.0, cache)
