"""The numbers inside the intervention pack's native charts against the marts.

Since the progression, comparison, fidelity and results-vs-expected charts are native
(editable) charts, their values are in the deck: every plotted value must equal its
mart cell, a cell the mart hides (``is_suppressed``) must have no value in the chart
(so none in its workbook either), and a cut-off line must sit at the number its label
prints. Rule ``chart_values``; one count per chart cell read.
"""

from __future__ import annotations

import re

from outputs.common import point_label
from tests.support.deck_audit.context import DeckContext
from tests.support.deck_audit.findings import AuditResult
from tests.support.deck_audit.intervention import _comparison_labels
from tests.support.deck_audit.marts import rows
from tests.support.deck_audit.numbers import parse_number
from tests.support.deck_audit.slides import ChartText, SlideText

RULE = "chart_values"
_CUTOFF = re.compile(r"^(?:Grænseværdi|Alliancegrænse) (?P<v>\S+)$")


def _head(category: str) -> str:
    return category.split("\n")[0].strip()


def _compare(res: AuditResult, slide: SlideText, where: str, value: float | None,
             cell: dict | None, column: str) -> None:
    """One chart value against its mart row (``None``: no such row)."""
    res.count(RULE)
    if cell is None:
        if value is not None:
            res.add(RULE, slide, f"{where}: {value}", "no mart cell")
        return
    if cell["is_suppressed"]:
        if value is not None:
            res.add(RULE, slide, f"{where}: {value}", "hidden in the mart: no value allowed")
        return
    expected = cell[column]
    if (value is None) != (expected is None) or (
            value is not None and abs(value - expected) > 1e-9 * max(1.0, abs(expected))):
        res.add(RULE, slide, f"{where}: {value}", f"{column} = {expected}")


def _check_cutoff(res: AuditResult, slide: SlideText, name: str,
                  values: tuple[float | None, ...]) -> bool:
    """A cut-off series: flat, at the number its name prints. True when ``name`` is one."""
    m = _CUTOFF.match(name)
    if not m:
        return False
    res.count(RULE)
    level = parse_number(m.group("v")).value
    if any(v is None or abs(v - level) > 1e-9 for v in values):
        res.add(RULE, slide, f"{name}: {values}", f"a flat line at {level:g}")
    return True


def _instrument(ctx: DeckContext, slide: SlideText):
    return ctx.instrument_by_short_name(slide.headline.split(":")[0].strip())


def _point_cells(cells: list[dict], category: str, lang: str) -> list[dict]:
    return [c for c in cells if point_label(c["point_id"], lang) == _head(category)]


def check_progression_values(ctx: DeckContext, slide: SlideText, chart: ChartText,
                             res: AuditResult) -> None:
    inst = _instrument(ctx, slide)
    if inst is None:
        res.add(RULE, slide, slide.headline, "no instrument of that name")
        return
    cells = rows(ctx.con, "progression_cells", intervention_id=ctx.intervention_id,
                 instrument_id=inst.id)
    cohort_prefix = ctx.text("series_cohort", n="").split("(")[0]
    for name, values in chart.series:
        if _check_cutoff(res, slide, name, values):
            continue
        series = ("all" if name == ctx.text("series_all")
                  else "cohort" if name.startswith(cohort_prefix) else None)
        if series is None:
            res.add(RULE, slide, name, "a series the progression chart does not have")
            continue
        for category, value in zip(chart.categories, values, strict=True):
            at = [c for c in _point_cells(cells, category, ctx.lang) if c["series"] == series]
            _compare(res, slide, f"{name} · {_head(category)}", value,
                     at[0] if len(at) == 1 else None, "mean_score")


def check_comparison_values(ctx: DeckContext, slide: SlideText, chart: ChartText,
                            res: AuditResult, breakdown: str) -> None:
    inst = _instrument(ctx, slide)
    if inst is None:
        return
    cells = rows(ctx.con, "comparison_cells", intervention_id=ctx.intervention_id,
                 instrument_id=inst.id, breakdown=breakdown)
    labels = _comparison_labels(ctx, breakdown, {c["group_value"] for c in cells})
    for name, values in chart.series:
        if _check_cutoff(res, slide, name, values):
            continue
        group = labels.get(re.sub(r" \(n[^)]*\)$", "", name))
        if group is None:
            res.add(RULE, slide, name, f"groups in the mart: {sorted(labels)}")
            continue
        for category, value in zip(chart.categories, values, strict=True):
            at = [c for c in _point_cells(cells, category, ctx.lang)
                  if c["group_value"] == group]
            _compare(res, slide, f"{name} · {_head(category)}", value,
                     at[0] if len(at) == 1 else None, "mean_score")


def check_fidelity_values(ctx: DeckContext, slide: SlideText, chart: ChartText,
                          res: AuditResult) -> None:
    levels = {ctx.text(f"fid_level_{r['fidelity_level']}"): r
              for r in rows(ctx.con, "fidelity_levels", intervention_id=ctx.intervention_id,
                            instrument_id=ctx.main_instrument)}
    for name, values in chart.series:
        for category, value in zip(chart.categories, values, strict=True):
            _compare(res, slide, f"{name} · {_head(category)}", value,
                     levels.get(_head(category)), "mean_improvement")


def check_vs_expected_values(ctx: DeckContext, slide: SlideText, chart: ChartText,
                             res: AuditResult) -> None:
    inst = _instrument(ctx, slide)
    if inst is None:
        return
    cells = rows(ctx.con, "vs_expected_cells", intervention_id=ctx.intervention_id,
                 instrument_id=inst.id)
    # the slide names teams and variants as the config does; the mart holds their ids
    intervention = next(i for i in ctx.config.interventions if i.id == ctx.intervention_id)
    team_names = {team.id: team.name for team in ctx.config.teams}

    def label(cell) -> str:
        if cell["group_kind"] == "variant":
            return intervention.variant_name(cell["group_id"])
        return team_names.get(cell["group_id"], cell["group_id"])

    heads = {_head(c) for c in chart.categories}
    kinds = {c["group_kind"] for c in cells
             if heads <= {label(x) for x in cells if x["group_kind"] == c["group_kind"]}}
    if len(kinds) != 1:
        res.add(RULE, slide, slide.headline, f"no one group kind holds {sorted(heads)}")
        return
    by_group = {label(c): c for c in cells if c["group_kind"] in kinds}
    for name, values in chart.series:
        for category, value in zip(chart.categories, values, strict=True):
            _compare(res, slide, f"{name} · {_head(category)}", value,
                     by_group.get(_head(category)), "mean_gap")


def check_chart_values(ctx: DeckContext, slide: SlideText, res: AuditResult) -> None:
    """Every native chart of the progression, comparison, fidelity and expected-course
    slides, cell by cell against its mart."""
    for chart in slide.charts:
        if slide.section.startswith(ctx.text("slide_prog_int")):
            check_progression_values(ctx, slide, chart, res)
        elif slide.section.startswith(ctx.text("slide_variants")):
            check_comparison_values(ctx, slide, chart, res, "variant")
        elif slide.section.startswith(ctx.text("slide_subgroups")):
            check_comparison_values(ctx, slide, chart, res, "age_band")
        elif slide.section.startswith(ctx.text("slide_fidelity")):
            check_fidelity_values(ctx, slide, chart, res)
        elif slide.section.startswith("Forventet forløb"):
            check_vs_expected_values(ctx, slide, chart, res)
