"""Checks of the leaders' summary: "størst / flest / lavest / mest" against every
intervention of the quarter, counts and shares in its table, result maps."""

from __future__ import annotations

import re

from tests.support.deck_audit.common import COUNT, check_count
from tests.support.deck_audit.context import DeckContext, previous_quarter
from tests.support.deck_audit.findings import AuditResult
from tests.support.deck_audit.intervention import check_result_map
from tests.support.deck_audit.marts import rows
from tests.support.deck_audit.numbers import (
    NUMBER,
    is_hidden,
    parse_number,
    printed_equals,
    round_half_up,
)
from tests.support.deck_audit.slides import SlideText


def _measures(ctx: DeckContext, quarter: str) -> dict[tuple[str, str], dict]:
    return {(r["intervention_id"], r["measure"]): r
            for r in rows(ctx.con, "strategic_measures", quarter=quarter)}


def check_strategic(ctx: DeckContext, slide: SlideText, res: AuditResult) -> None:
    if ctx.quarter is None:
        return
    now = _measures(ctx, ctx.quarter)
    ivs = [iv.id for iv in ctx.config.interventions]
    for line in slide.lines():
        m = re.fullmatch(rf"Størst andel pålideligt forbedret \(.+\): (?P<name>.+), "
                         rf"(?P<share>{NUMBER}) % af (?P<n>{COUNT}) målte forløb\..*", line)
        if m:
            res.count("superlative")
            shares = {i: now.get((i, "share_improved")) for i in ivs}
            hidden = [i for i, r in shares.items() if r is None or r["is_suppressed"]
                      or r["measure_value"] is None]
            named = ctx.intervention_by_name(m.group("name"))
            if hidden:
                res.add("superlative", slide, line,
                        f"share improved hidden for {hidden}: any of them may be the largest")
            else:
                whole = {i: round_half_up(r["measure_value"] * 100, 0) for i, r in shares.items()}
                top = max(whole.values())
                if [i for i, v in whole.items() if v == top] != [named.id]:
                    res.add("superlative", slide, line, f"shares improved (whole %): {whole}")
        for m in re.finditer(r"(?P<name>[^;:]+?) har (?:både )?flest pålideligt forbedrede",
                             line):
            res.count("superlative")
            named = ctx.intervention_by_name(m.group("name").strip())
            counts = {}
            for i in ivs:
                r = now.get((i, "share_improved"))
                counts[i] = (None if r is None or r["is_suppressed"] or r["measure_value"] is None
                             else round(r["measure_value"] * r["n_units"]))
            hidden = [i for i, v in counts.items() if v is None]
            top = max((v for v in counts.values() if v is not None), default=None)
            if hidden or named is None or counts.get(named.id) != top or \
                    sum(v == top for v in counts.values()) > 1:
                res.add("superlative", slide, line,
                        f"citizens reliably improved (share × measured): {counts}")
        cheap = (re.search(r"; (?P<name>.+?) den laveste pris pr\. forbedret borger", line)
                 or re.search(r"^(?P<name>.+?) har både flest pålideligt forbedrede og den "
                              r"laveste pris", line)
                 or re.search(r"^Lavest pris pr\. pålideligt forbedret borger: (?P<name>.+), ",
                              line)
                 or re.search(r"^(?P<name>.+?) giver flest pålideligt forbedrede borgere pr\. "
                              r"krone", line))
        if cheap:
            res.count("superlative")
            named = ctx.intervention_by_name(cheap.group("name").strip())
            costs = {i: (None if (r := now.get((i, "cost_per_citizen_improved"))) is None
                         or r["is_suppressed"] or r["measure_value"] is None
                         else round(r["measure_value"])) for i in ivs}
            shown = [v for v in costs.values() if v is not None]
            low = min(shown, default=None)
            if (None in costs.values() or named is None or costs.get(named.id) != low
                    or shown.count(low) > 1):
                res.add("superlative", slide, line,
                        f"cost per citizen reliably improved (kr.): {costs}")
        low_share = re.search(rf"^(?P<name>.+?) har den laveste andel pålideligt forbedrede "
                              rf"\((?P<share>{NUMBER}) %\)", line)
        if low_share:
            res.count("superlative")
            named = ctx.intervention_by_name(low_share.group("name"))
            shares = {i: (None if (r := now.get((i, "share_improved"))) is None
                          or r["is_suppressed"] or r["measure_value"] is None
                          else round_half_up(r["measure_value"] * 100, 0)) for i in ivs}
            shown = [v for v in shares.values() if v is not None]
            low = min(shown, default=None)
            if (None in shares.values() or named is None or shares.get(named.id) != low
                    or shown.count(low) > 1):
                res.add("superlative", slide, line, f"shares improved (whole %): {shares}")
        m = re.fullmatch(rf"Pris pr\. borgermåned: (?P<name>.+) (?P<verb>steg|faldt) mest siden "
                         rf".+ \((?P<change>{NUMBER}) %\)", line)
        if m:
            res.count("superlative")
            before = _measures(ctx, previous_quarter(ctx.quarter))
            changes = {}
            for i in ivs:
                a, b = before.get((i, "cost_per_citizen_month")), now.get(
                    (i, "cost_per_citizen_month"))
                usable = all(r is not None and not r["is_suppressed"] and r["measure_value"]
                             for r in (a, b))
                changes[i] = (round_half_up((b["measure_value"] / a["measure_value"] - 1) * 100,
                                            0) if usable else None)
            named = ctx.intervention_by_name(m.group("name"))
            shown = [v for v in changes.values() if v is not None]
            extreme = min(shown) if m.group("verb") == "faldt" else max(shown)
            hidden = [i for i, v in changes.items() if v is None]
            if hidden or named is None or changes[named.id] != extreme or \
                    sum(v == extreme for v in shown) > 1:
                res.add("superlative", slide, line,
                        f"change in cost per citizen-month (whole %): {changes}")
            res.count("direction")
            if named is not None and changes.get(named.id) is not None and (
                    (m.group("verb") == "faldt") != (changes[named.id] < 0)):
                res.add("direction", slide, line, f"change: {changes[named.id]:g} %")
    for chart in slide.charts:
        for category in chart.categories:
            m = re.fullmatch(rf"(?P<name>.+)\n(?P<kr>{NUMBER}) kr\. · n = (?P<n>{COUNT})",
                             category)
            if not m:
                continue
            named = ctx.intervention_by_name(m.group("name"))
            cost = now.get((named.id, "total_cost")) if named else None
            res.count("value")
            if cost is None or cost["is_suppressed"] or not printed_equals(
                    parse_number(m.group("kr")), cost["measure_value"]):
                res.add("value", slide, category.replace("\n", " "),
                        f"total cost: {None if cost is None else cost['measure_value']}")
            r = now.get((named.id, "citizens_active")) if named else None
            if r is None:
                res.add("n_beside_chart", slide, category, "no citizens_active in the mart")
                continue
            res.count("n_beside_chart")
            check_count(res, ctx, slide, category, m.group("n"), r["n_citizens"],
                         bool(r["is_suppressed"]), f"citizens in {named.id}, {ctx.quarter}")
    for table in slide.tables:
        header = table[0]
        if len(header) < 3 or header[1] != "Borgere i forløb":
            continue
        for row in table[1:]:
            named = ctx.intervention_by_name(row[0])
            r = now.get((named.id, "citizens_active")) if named else None
            if r is not None:
                check_count(res, ctx, slide, " | ".join(row), row[1], r["n_citizens"],
                             bool(r["is_suppressed"]), f"citizens in {named.id}")
            share = now.get((named.id, "share_improved")) if named else None
            m = re.fullmatch(rf"(?P<v>{NUMBER}) % af (?P<n>{COUNT}) målte", row[2])
            if share is None:
                continue
            res.count("value")
            if m is None:
                if not share["is_suppressed"] and share["measure_value"] is not None:
                    res.add("value", slide, " | ".join(row),
                            f"share improved {share['measure_value']:.3f} of "
                            f"{share['n_units']:g} measured, printed {row[2]!r}")
                continue
            if share["is_suppressed"] or not printed_equals(
                    parse_number(m.group("v")), share["measure_value"], scale=100):
                res.add("value", slide, " | ".join(row),
                        f"share improved: {share['measure_value']} "
                        f"({'hidden' if share['is_suppressed'] else 'shown'})")
            elif is_hidden(m.group("n")) or parse_number(m.group("n")).value != share["n_units"]:
                res.add("value", slide, " | ".join(row),
                        f"courses measured: {share['n_units']:g}")
    for line in slide.lines():
        m = re.fullmatch(rf"(?P<k>\d+) indsatser med i alt (?P<n>{NUMBER}) borgere i forløb.*",
                         line)
        if m:
            res.count("value")
            active = [now.get((i, "citizens_active")) for i in ivs]
            if any(a is None or a["is_suppressed"] for a in active):
                res.add("small_cells", slide, line, "a summed count is hidden in the mart")
            elif parse_number(m.group("n")).value != sum(a["n_citizens"] for a in active):
                res.add("value", slide, line,
                        f"citizens active: {[a['n_citizens'] for a in active]}")


def check_result_maps_strategic(ctx: DeckContext, slide: SlideText, res: AuditResult) -> None:
    m = re.fullmatch(r"(?P<name>.+): resultatkort", slide.headline)
    if m:
        iv = ctx.intervention_by_name(m.group("name"))
        check_result_map(ctx, slide, res, iv.id if iv else None)
