"""The audit's checks over one deck: the generic ones (every "n = X" on an aggregate
deck, every superlative verified) here, the per-pack ones in :mod:`.intervention`,
:mod:`.leaders` and :mod:`.citizen`.

A check counts every claim it looked at (``AuditResult.count``), so a deck on which a
parser no longer recognises its sentences shows up as "nothing checked", not as "fine".
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.support.deck_audit.chart_values import check_chart_values
from tests.support.deck_audit.citizen import (
    check_bands,
    check_citizen,
    check_goal_title,
    check_one_staff_measurement,
    check_ratings_direction,
)
from tests.support.deck_audit.context import DeckContext, deck_context
from tests.support.deck_audit.findings import AuditResult
from tests.support.deck_audit.intervention import (
    check_basis,
    check_comparison,
    check_dropout_caveat,
    check_fidelity,
    check_goal_attainment,
    check_kik,
    check_progression,
    check_result_map,
    check_target_group,
)
from tests.support.deck_audit.leaders import check_result_maps_strategic, check_strategic
from tests.support.deck_audit.leaders_charts import check_leaders_chart_values
from tests.support.deck_audit.numbers import NUMBER, parse_number
from tests.support.deck_audit.slides import SlideText

RULES = ("n_beside_chart", "superlative", "direction", "small_cells", "value", "bands",
         "chart_values")
#: Words that crown a group (top or bottom); every line holding one must be verified.
SUPERLATIVE = re.compile(r"\b(flest|mest|bedst|størst|højest\w*|lavest\w*|mindst|færrest)\b",
                         re.IGNORECASE)

def check_small_counts(ctx: DeckContext, slide: SlideText, res: AuditResult) -> None:
    """On aggregate decks, no "n = X" with X below k (a group that small is "<k")."""
    if ctx.level == "citizen":
        return
    for line in slide.lines():
        for m in re.finditer(rf"\bn = ({NUMBER})", line):
            res.count("small_cells")
            value = parse_number(m.group(1)).value
            if 0 < value < ctx.k:
                res.add("small_cells", slide, line, f"n below k = {ctx.k} printed as a number")


def _hedged(line: str) -> bool:
    """A sentence that says a group can *not* be crowned, a question, or a prompt."""
    return (line.rstrip().endswith("?") or re.search(r"\b(ikke|ingen)\b", line) is not None
            or line.startswith(("Notér", "Sådan læses")))


_VERIFIED = (
    re.compile(r"^Flest nåede mål inden for "),
    re.compile(r": .+ udviklede sig bedst fra "),
    re.compile(r": .+ udviklede sig mest fra .+, men forskellen kan skyldes tilfældigheder$"),
    re.compile(r"^Størst andel pålideligt forbedret "),
    re.compile(r"har (?:både )?flest pålideligt forbedrede"),
    re.compile(r"^Pris pr\. borgermåned: .+ (?:steg|faldt) mest siden "),
    re.compile(r"^Mindst i spil: "),
    re.compile(r"^Lavest pris pr\. pålideligt forbedret borger: "),
    re.compile(r" giver flest pålideligt forbedrede borgere pr\. krone"),
    re.compile(r" har den laveste andel pålideligt forbedrede \("),
)


def check_unverified_superlatives(ctx: DeckContext, slide: SlideText, res: AuditResult) -> None:
    """Every line that crowns a group must be one the audit verifies (above): a new
    wording with "flest / mest / bedst ..." is reported until a check covers it."""
    for line in slide.lines():
        if not SUPERLATIVE.search(line) or _hedged(line):
            continue
        res.count("superlative")
        if not any(p.search(line) for p in _VERIFIED):
            res.add("superlative", slide, line, "a superlative no audit check verifies")


def audit_context(ctx: DeckContext) -> AuditResult:
    res = AuditResult(ctx.file)
    measures: dict = {}  # the leaders' mart rows per quarter, read once per deck
    for slide in ctx.slides:
        check_small_counts(ctx, slide, res)
        check_unverified_superlatives(ctx, slide, res)
        if ctx.level == "intervention":
            check_basis(ctx, slide, res)
            check_target_group(ctx, slide, res)
            check_goal_attainment(ctx, slide, res)
            check_progression(ctx, slide, res)
            check_comparison(ctx, slide, res)
            check_result_map(ctx, slide, res, ctx.intervention_id)
            check_kik(ctx, slide, res)
            check_dropout_caveat(ctx, slide, res)
            check_fidelity(ctx, slide, res)
            check_chart_values(ctx, slide, res)
        elif ctx.level == "organisation":
            check_strategic(ctx, slide, res)
            check_result_maps_strategic(ctx, slide, res)
            check_leaders_chart_values(ctx, slide, res, measures)
        elif ctx.level == "citizen":
            check_citizen(ctx, slide, res)
            check_bands(ctx, slide, res)
            check_ratings_direction(ctx, slide, res)
            check_goal_title(ctx, slide, res)
    if ctx.level == "citizen":
        check_one_staff_measurement(ctx, res)
    return res


def audit_deck(path: str | Path, con, config) -> AuditResult:
    """Every finding on one written deck, checked against ``con``'s marts."""
    return audit_context(deck_context(path, con, config))
