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


def shown_total(cells: list[tuple[int | None, bool]]) -> tuple[int, int]:
    """(citizens in the shown cells, number of hidden cells) of a chart's cells (n, hidden):
    a hidden cell is not plotted, so it is no part of the chart's n."""
    total = sum(n for n, hidden in cells if not hidden and n is not None)
    return total, sum(1 for n, hidden in cells if hidden or n is None)


def check_total(res: AuditResult, ctx: DeckContext, slide: SlideText, text: str,
                printed: str, cells: list[tuple[int | None, bool]], what: str) -> None:
    """An "n = X" beside a chart against the chart's n: the citizens (or goals) behind
    the plotted cells. A total that counts exactly one hidden cell too gives it away."""
    res.count("n_beside_chart")
    total, n_hidden = shown_total(cells)
    if is_hidden(printed):
        if total >= ctx.k:
            res.add("n_beside_chart", slide, text,
                    f"{what}: {total} in the shown cells, printed hidden")
        return
    value = parse_number(printed).value
    if value != total:
        res.add("n_beside_chart", slide, text,
                f"{what}: {total} in the {len(cells) - n_hidden} shown cells "
                f"({n_hidden} hidden cells, not plotted)")
    res.count("small_cells")
    if n_hidden == 1 and total < value < total + ctx.k:
        res.add("small_cells", slide, text,
                f"{what}: one cell is hidden, and {printed} minus the {total} shown gives "
                f"it away")


def cohort_points(ctx: DeckContext, instrument_id: str) -> list[dict]:
    cells = rows(ctx.con, "progression_cells", intervention_id=ctx.intervention_id,
                 instrument_id=instrument_id)
    return [c for c in cells if c["series"] == "cohort"]
