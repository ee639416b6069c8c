"""What every audit check shares: how a printed count is judged against the mart (and
against k), the bounds of a chart's total when cells are hidden, the mart's cohort means."""

from __future__ import annotations

from tests.support.deck_audit.context import DeckContext
from tests.support.deck_audit.findings import AuditResult
from tests.support.deck_audit.marts import rows
from tests.support.deck_audit.numbers import NUMBER, is_hidden, parse_number
from tests.support.deck_audit.slides import SlideText

COUNT = rf"(?:{NUMBER}|<\d+)"
#: How a slide may say which way is better, per instrument direction (Danish).
DIRECTION_WORDS = {
    "higher_is_better": ("højere er bedre", "lavere er værre"),
    "higher_is_worse": ("lavere er bedre", "højere er værre"),
}


def check_count(res: AuditResult, ctx: DeckContext, slide: SlideText, text: str,
                printed: str, n: int | None, suppressed: bool, what: str) -> None:
    """A count of citizens as printed against the mart: "<k" when hidden or below k
    (small_cells), else the mart's number (value)."""
    res.count("small_cells")
    k = ctx.k
    hidden_in_mart = suppressed or n is None or 0 < n < k
    if is_hidden(printed):
        if not hidden_in_mart:
            res.add("value", slide, text, f"{what}: {n} (not hidden; k = {k})")
        return
    value = parse_number(printed).value
    if hidden_in_mart and value != 0:
        res.add("small_cells", slide, text,
                f"{what}: {'hidden' if suppressed or n is None else n} (fewer than k = {k}),"
                f" printed as {printed}")
    elif not hidden_in_mart and value != n:
        res.add("value", slide, text, f"{what}: {n}")


def n_bounds(cells: list[tuple[int | None, bool, str | None]], k: int
             ) -> tuple[int, float, int]:
    """(lowest, highest, number hidden) total n of cells (n, hidden, reason): a cell hidden
    as small holds 1 to k-1; one hidden for another reason (complementary) at least 1."""
    lo = hi = 0.0
    n_hidden = 0
    for n, hidden, reason in cells:
        if hidden or n is None:
            n_hidden += 1
            lo += 1
            hi += (k - 1) if reason == "small_cell" else float("inf")
        else:
            lo += n
            hi += n
    return int(lo), hi, n_hidden


def check_total(res: AuditResult, ctx: DeckContext, slide: SlideText, text: str,
                printed: str, cells: list[tuple[int | None, bool, str | None]],
                what: str) -> None:
    """An "n = X" beside a chart against the total of the chart's cells."""
    res.count("n_beside_chart")
    lo, hi, n_hidden = n_bounds(cells, ctx.k)
    if is_hidden(printed):
        if lo >= ctx.k:
            res.add("n_beside_chart", slide, text, f"{what}: at least {lo}, printed hidden")
        return
    value = parse_number(printed).value
    if not lo <= value <= hi:
        shown = f"{lo}" if lo == hi else f"between {lo} and {hi:g}"
        res.add("n_beside_chart", slide, text,
                f"{what}: {shown} ({len(cells)} cells, {n_hidden} hidden)")
    res.count("small_cells")
    if n_hidden == 1 and lo != hi and value == value // 1:
        res.add("small_cells", slide, text,
                f"{what}: exactly one cell is hidden, so {printed} minus the shown cells "
                f"gives it away")


def cohort_points(ctx: DeckContext, instrument_id: str) -> list[dict]:
    cells = rows(ctx.con, "progression_cells", intervention_id=ctx.intervention_id,
                 instrument_id=instrument_id)
    return [c for c in cells if c["series"] == "cohort"]
