"""The audit's checks: one function per kind of slide or claim, each reading the slide's
text, looking up the mart rows behind it and reporting what does not agree.

A check counts every claim it looked at (``AuditResult.count``), so a deck on which a
parser no longer recognises its sentences shows up as "nothing checked", not as "fine".
"""

from __future__ import annotations

import re
from pathlib import Path

from outputs.common import point_label
from tests.support.deck_audit.context import DeckContext, deck_context, previous_quarter
from tests.support.deck_audit.findings import AuditResult
from tests.support.deck_audit.marts import rows
from tests.support.deck_audit.numbers import (
    NUMBER,
    is_hidden,
    parse_number,
    printed_equals,
    round_half_up,
)
from tests.support.deck_audit.slides import SlideText

RULES = ("n_beside_chart", "superlative", "direction", "small_cells", "value", "bands")

_N = rf"(?:{NUMBER}|<\d+)"
#: How a slide may say which way is better, per instrument direction (Danish).
DIRECTION_WORDS = {
    "higher_is_better": ("højere er bedre", "lavere er værre"),
    "higher_is_worse": ("lavere er bedre", "højere er værre"),
}
#: Words that crown a group (top or bottom); every line holding one must be verified.
SUPERLATIVE = re.compile(r"\b(flest|mest|bedst|størst|højest\w*|lavest\w*|mindst|færrest)\b",
                         re.IGNORECASE)


# ====================================================================== helpers


def _hidden_text(k: int) -> str:
    return f"<{k}"


def _check_count(res: AuditResult, ctx: DeckContext, slide: SlideText, text: str,
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


def _n_bounds(cells: list[tuple[int | None, bool, str | None]], k: int
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


def _check_total(res: AuditResult, ctx: DeckContext, slide: SlideText, text: str,
                 printed: str, cells: list[tuple[int | None, bool, str | None]],
                 what: str) -> None:
    """An "n = X" beside a chart against the total of the chart's cells."""
    res.count("n_beside_chart")
    lo, hi, n_hidden = _n_bounds(cells, ctx.k)
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


def _lines(slide: SlideText) -> list[str]:
    return slide.lines()


def _cohort_points(ctx: DeckContext, instrument_id: str) -> list[dict]:
    cells = rows(ctx.con, "progression_cells", intervention_id=ctx.intervention_id,
                 instrument_id=instrument_id)
    return [c for c in cells if c["series"] == "cohort"]


# ====================================================================== intervention pack


def check_basis(ctx: DeckContext, slide: SlideText, res: AuditResult) -> None:
    if slide.title.splitlines()[-1:] != [ctx.text("basis_title")]:
        return
    counts = {r["case_status"]: r for r in rows(ctx.con, "basis_counts",
                                                intervention_id=ctx.intervention_id,
                                                period=ctx.quarter)}

    def mart(status: str, column: str) -> tuple[int | None, bool]:
        r = counts.get(status)
        return (0, False) if r is None else (r[column], bool(r["is_suppressed"]))

    courses = re.compile(rf"^({_N}) forløb \(({_N}) i gang, ({_N}) afsluttet som planlagt, "
                         rf"({_N}) afsluttet uplanlagt\)$")
    for line in _lines(slide):
        m = courses.match(line)
        if m:
            for printed, status in zip(m.groups(), ("all", "open", "closed_planned",
                                                    "closed_unplanned"), strict=True):
                n, hidden = mart(status, "n_courses")
                _check_count(res, ctx, slide, line, printed, n, hidden,
                             f"courses ({status}) in {ctx.quarter}")
        m = re.match(rf"^({_N}) borgere$", line)
        if m:
            n, hidden = mart("all", "n_citizens")
            _check_count(res, ctx, slide, line, m.group(1), n, hidden,
                         f"citizens in {ctx.quarter}")


def check_target_group(ctx: DeckContext, slide: SlideText, res: AuditResult) -> None:
    if not slide.section.startswith(ctx.text("slide_target")) or not slide.charts:
        return
    instrument = ctx.main_instrument
    cells = rows(ctx.con, "target_group_cells", intervention_id=ctx.intervention_id,
                 instrument_id=instrument)
    chart = slide.charts[0]
    years = sorted({str(c["start_year"]) for c in cells})
    labels = {ctx.text(f"gender_{g}") if g in ("female", "male", "other") else g: g
              for g in {c["group_value"] for c in cells}}
    for category in chart.categories:
        head, _, tail = category.partition("\n")
        group = labels.get(head.strip())
        m = re.fullmatch(r"\(n = (.+)\)", tail.strip())
        if group is None or m is None:
            res.add("n_beside_chart", slide, category, f"groups in the mart: {sorted(labels)}")
            continue
        mine = [c for c in cells if c["group_value"] == group]
        printed = [p.strip() for p in m.group(1).split("/")]
        if len(printed) != len(mine):
            res.add("n_beside_chart", slide, category,
                    f"{len(mine)} cells for {group} in years {years}")
            continue
        for p, c in zip(printed, mine, strict=True):
            _check_count(res, ctx, slide, category, p, c["n_citizens"], c["is_suppressed"],
                         f"{group} {c['start_year']}")
    note = slide.frame_after_chart(0)
    m = re.search(rf"n = ({_N}) borgere", note)
    if m:
        _check_total(res, ctx, slide, m.group(0), m.group(1),
                     [(c["n_citizens"], c["is_suppressed"], c["suppression_reason"])
                      for c in cells],
                     f"citizens behind the chart's {len(cells)} cells "
                     f"(mart_target_group_at_start, {instrument}, {'/'.join(years)})")
    title = slide.headline
    m = re.fullmatch(r"(?P<period>\d{4}): (?P<hi>.+) startede med højere .+ end (?P<lo>.+) "
                     rf"\((?P<a>{NUMBER}) mod (?P<b>{NUMBER})\)", title)
    if m:
        res.count("superlative")
        year = [c for c in cells if str(c["start_year"]) == m.group("period")]
        means = {c["group_value"]: c["mean_baseline"] for c in year if not c["is_suppressed"]}
        hi, lo = labels.get(m.group("hi")), labels.get(m.group("lo"))
        if hi not in means or lo not in means or means[hi] <= means[lo]:
            res.add("superlative", slide, title, f"means at start {m.group('period')}: {means}")
        else:
            for key, group in (("a", hi), ("b", lo)):
                if not printed_equals(parse_number(m.group(key)), means[group]):
                    res.add("value", slide, title, f"{group}: {means[group]:.3f}")


def check_goal_attainment(ctx: DeckContext, slide: SlideText, res: AuditResult) -> None:
    if not slide.section.startswith(ctx.text("slide_goals")) or not slide.charts:
        return
    areas = rows(ctx.con, "goal_areas", intervention_id=ctx.intervention_id)
    by_name = {a["life_area_name"] or a["life_area_id"]: a for a in areas}
    chart = slide.charts[0]
    for category in chart.categories:
        m = re.fullmatch(rf"(?P<area>.+) \(n(?: =)? (?P<n>{_N})\)", category)
        area = by_name.get(m.group("area")) if m else None
        if area is None:
            res.add("n_beside_chart", slide, category, f"areas in the mart: {sorted(by_name)}")
            continue
        n = area["n_goals"]
        _check_count(res, ctx, slide, category, m.group("n"), None if n is None else int(n),
                     n is None, f"assessed goals in {m.group('area')}")
    note = slide.frame_after_chart(0)
    m = re.search(rf"n = ({_N}) vurderede mål", note)
    if m:
        _check_total(res, ctx, slide, m.group(0), m.group(1),
                     [(None if a["n_goals"] is None else int(a["n_goals"]),
                       a["n_goals"] is None, "complementary") for a in areas],
                     "assessed goals behind the chart (mart_goal_attainment_by_area)")
    title = slide.headline
    top = re.fullmatch(rf"Flest nåede mål inden for (?P<area>.+) \((?P<share>{NUMBER}) % nået "
                       r"eller fastholdt\)", title)
    same = re.fullmatch(rf"Lige store andele nåede mål inden for (?P<areas>.+) "
                        rf"\((?P<share>{NUMBER}) % nået eller fastholdt\)", title)
    if top or same:
        res.count("superlative")
        hidden = [a["life_area_name"] for a in areas if a["is_reached_hidden"]]
        if hidden:
            res.add("superlative", slide, title,
                    f"reached share hidden in {hidden}: any of them may be the highest")
            return
        shares = {a["life_area_name"]: round_half_up(a["share_reached"] * 100, 0) for a in areas}
        best = max(shares.values())
        leaders = sorted(a for a, v in shares.items() if v == best)
        named = [top.group("area")] if top else re.split(r", | og ", same.group("areas"))
        if sorted(named) != leaders:
            res.add("superlative", slide, title, f"reached shares (whole %): {shares}")
        elif parse_number((top or same).group("share")).value != best:
            res.add("value", slide, title, f"highest reached share: {best:g} %")


def check_progression(ctx: DeckContext, slide: SlideText, res: AuditResult) -> None:
    if not slide.section.startswith(ctx.text("slide_prog_int")):
        return
    m = re.fullmatch(rf"(?P<inst>.+): samme borgere (?P<verb>forbedrede sig|gik tilbage) fra "
                     rf"(?P<a>{NUMBER}) til (?P<b>{NUMBER}) \((?P<p0>.+) til (?P<p1>.+)\)",
                     slide.headline)
    if not m:
        return
    res.count("direction")
    inst = ctx.instrument_by_short_name(m.group("inst"))
    if inst is None:
        res.add("direction", slide, slide.headline, "no instrument of that name in the config")
        return
    cohort = [c for c in _cohort_points(ctx, inst.id)
              if not c["is_suppressed"] and c["mean_score"] is not None]
    by_label = {point_label(c["point_id"], ctx.lang).lower(): c for c in cohort}
    first, last = by_label.get(m.group("p0")), by_label.get(m.group("p1"))
    if first is None or last is None:
        res.add("value", slide, slide.headline, f"shown cohort points: {sorted(by_label)}")
        return
    for key, cell in (("a", first), ("b", last)):
        if not printed_equals(parse_number(m.group(key)), cell["mean_score"]):
            res.add("value", slide, slide.headline,
                    f"cohort mean at {cell['point_id']}: {cell['mean_score']:.3f}")
    change = last["mean_score"] - first["mean_score"]
    better = (change > 0) == (inst.direction == "higher_is_better")
    said_better = m.group("verb") == "forbedrede sig"
    if change != 0 and better != said_better:
        res.add("direction", slide, slide.headline,
                f"{inst.id} ({inst.direction}) went from {first['mean_score']:.2f} to "
                f"{last['mean_score']:.2f}")


def _comparison_labels(ctx: DeckContext, breakdown: str, groups: set[str]) -> dict[str, str]:
    iv = ctx.config.intervention(ctx.intervention_id)
    out = {}
    for g in groups:
        if breakdown == "variant":
            out[iv.variant_name(g)] = g
        elif re.fullmatch(r"\d+-\d+", g):
            out[ctx.text("age_band_label", band=g)] = g
        else:
            out[g] = g
    return out


def check_comparison(ctx: DeckContext, slide: SlideText, res: AuditResult) -> None:
    if slide.section.startswith(ctx.text("slide_variants")):
        breakdown = "variant"
    elif slide.section.startswith(ctx.text("slide_subgroups")):
        breakdown = "age_band"
    else:
        return
    title = slide.headline
    m = re.fullmatch(r"(?P<inst>[^:]+): (?P<best>.+) udviklede sig bedst fra (?P<p0>.+) til "
                     r"(?P<p1>.+) \((?P<best_change>.+) mod (?P<other_change>.+); "
                     r"(?P<dir>.+)\)", title)
    similar = re.fullmatch(r"(?P<inst>[^:]+): grupperne udviklede sig omtrent ens fra "
                           r"(?P<p0>.+) til (?P<p1>.+) \((?P<changes>.+); (?P<dir>.+)\)", title)
    m = m or similar
    if not m:
        return
    inst = ctx.instrument_by_short_name(m.group("inst"))
    res.count("direction")
    if m.group("dir") not in DIRECTION_WORDS[inst.direction]:
        res.add("direction", slide, title, f"{inst.id} is {inst.direction}")
    cells = rows(ctx.con, "comparison_cells", intervention_id=ctx.intervention_id,
                 instrument_id=inst.id, breakdown=breakdown)
    labels = _comparison_labels(ctx, breakdown, {c["group_value"] for c in cells})
    names = {point_label(c["point_id"], ctx.lang).lower() for c in cells}
    if m.group("p0") not in names or m.group("p1") not in names:
        res.add("value", slide, title, f"points of the comparison: {sorted(names)}")
        return

    def at(group: str, point: str) -> dict | None:
        return next((c for c in cells if c["group_value"] == group
                     and point_label(c["point_id"], ctx.lang).lower() == point), None)

    changes: dict[str, float | None] = {}
    for label, group in labels.items():
        a, b = at(group, m.group("p0")), at(group, m.group("p1"))
        if a is None or b is None or a["is_suppressed"] or b["is_suppressed"] \
                or a["mean_score"] is None or b["mean_score"] is None:
            changes[label] = None
        else:
            changes[label] = round(round_half_up(b["mean_score"], 1)
                                   - round_half_up(a["mean_score"], 1), 1)
    printed = re.findall(rf"(steg|faldt) ({NUMBER}) point|(uændret)", title)
    for verb, number, flat in printed:
        res.count("direction")
        if flat:
            continue
        value = parse_number(number).value * (1 if verb == "steg" else -1)
        if value not in [v for v in changes.values() if v is not None]:
            res.add("direction", slide, title, f"changes (printed means, 1 decimal): {changes}")
    if similar:
        return
    res.count("superlative")
    sign = 1 if inst.direction == "higher_is_better" else -1
    hidden = [g for g, v in changes.items() if v is None]
    if hidden:
        res.add("superlative", slide, title,
                f"hidden or missing at {m.group('p0')}/{m.group('p1')}: {hidden}; "
                f"changes: {changes}")
        return
    ranked = sorted(changes.items(), key=lambda x: -sign * x[1])
    best = m.group("best")
    if ranked[0][0] != best or sign * ranked[0][1] <= sign * ranked[1][1]:
        res.add("superlative", slide, title, f"changes (printed means, 1 decimal): {changes}")


def check_result_map(ctx: DeckContext, slide: SlideText, res: AuditResult,
                     intervention_id: str | None) -> None:
    """A result-map box "YLS/CMI, gns. ændring: +6,4 point" against the mart's change of
    the cohort's mean score from start to the last shown point (a change in the score)."""
    if intervention_id is None:
        return
    change_words = ctx.text("measure_mean_change")
    for frame in slide.frames:
        lines = frame.splitlines()
        for i, line in enumerate(lines):
            m = re.fullmatch(rf"(?P<inst>.+), {re.escape(change_words)}: (?P<v>{NUMBER}) "
                             r"point", line)
            if not m:
                continue
            res.count("direction")
            inst = ctx.instrument_by_short_name(m.group("inst"))
            cohort = [c for c in rows(ctx.con, "progression_cells",
                                      intervention_id=intervention_id, instrument_id=inst.id)
                      if c["series"] == "cohort" and (c["is_suppressed"]
                                                      or c["mean_score"] is not None)]
            last = cohort[-1] if cohort else None
            if last is None or last["is_suppressed"] or last["change_since_start"] is None:
                res.add("value", slide, line, "no shown change in the mart")
                continue
            change = last["change_since_start"]
            printed = parse_number(m.group("v"))
            if (printed.value > 0) != (change > 0) and round_half_up(change, 1) != 0:
                res.add("direction", slide, line,
                        f"{inst.id} ({inst.direction}): the cohort's mean went "
                        f"{'up' if change > 0 else 'down'} by {abs(change):.2f} "
                        f"(start to {last['point_id']})")
            elif not printed_equals(printed, change):
                res.add("value", slide, line, f"change {change:.3f}")
            following = lines[i + 1] if i + 1 < len(lines) else ""
            n = re.match(rf"n = ({_N})", following)
            if n:
                _check_count(res, ctx, slide, following, n.group(1), last["n_citizens"],
                             bool(last["is_suppressed"]),
                             f"cohort citizens at {last['point_id']}")


def check_kik(ctx: DeckContext, slide: SlideText, res: AuditResult) -> None:
    if slide.headline != ctx.text("core_title"):
        return
    elements = {r["element_no"]: r for r in rows(ctx.con, "kik_elements",
                                                 intervention_id=ctx.intervention_id)}
    names = [e.name for e in ctx.config.intervention(ctx.intervention_id).core_elements]
    for frame in slide.frames:
        for line in frame.splitlines():
            m = re.fullmatch(rf"(?P<name>.+) \(KiK i gns\. (?P<v>{NUMBER}) af \d+, n = "
                             rf"(?P<n>{_N})\)", line)
            if not m:
                continue
            if m.group("name") not in names:
                res.add("value", slide, line, f"core elements: {names}")
                continue
            row = elements.get(names.index(m.group("name")) + 1)
            if row is None or row["is_suppressed"]:
                res.add("small_cells", slide, line, "hidden in mart_kik_by_element")
                continue
            _check_count(res, ctx, slide, line, m.group("n"), row["n_citizens"], False,
                         f"citizens rated on {m.group('name')}")
            res.count("value")
            if not printed_equals(parse_number(m.group("v")), row["mean_rating"]):
                res.add("value", slide, line, f"mean rating {row['mean_rating']:.3f}")


def check_dropout_caveat(ctx: DeckContext, slide: SlideText, res: AuditResult) -> None:
    for line in _lines(slide):
        m = re.fullmatch(rf"(?P<inst>.+): ved (?P<p>.+) er (?P<all>{_N}) borgere målt, men kun "
                         rf"(?P<cohort>{_N}) har alle målinger.*", line)
        if not m:
            continue
        inst = ctx.instrument_by_short_name(m.group("inst"))
        cells = rows(ctx.con, "progression_cells", intervention_id=ctx.intervention_id,
                     instrument_id=inst.id)
        at = [c for c in cells if point_label(c["point_id"], ctx.lang).lower() == m.group("p")]
        for series in ("all", "cohort"):
            cell = next((c for c in at if c["series"] == series), None)
            if cell is None:
                res.add("value", slide, line, f"no {series} cell at {m.group('p')}")
                continue
            _check_count(res, ctx, slide, line, m.group(series), cell["n_citizens"],
                         bool(cell["is_suppressed"]), f"{series} citizens at {m.group('p')}")


# ====================================================================== leaders' summary


def _measures(ctx: DeckContext, quarter: str) -> dict[tuple[str, str], dict]:
    return {(r["intervention_id"], r["measure"]): r
            for r in rows(ctx.con, "strategic_measures", quarter=quarter)}


def check_strategic(ctx: DeckContext, slide: SlideText, res: AuditResult) -> None:
    if ctx.quarter is None:
        return
    now = _measures(ctx, ctx.quarter)
    ivs = [iv.id for iv in ctx.config.interventions]
    for line in _lines(slide):
        m = re.fullmatch(rf"Størst andel pålideligt forbedret \(.+\): (?P<name>.+), "
                         rf"(?P<share>{NUMBER}) % af (?P<n>{_N}) målte forløb\..*", line)
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
                              line))
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
            m = re.fullmatch(rf"(?P<name>.+)\n.* · n = (?P<n>{_N})", category)
            if not m:
                continue
            named = ctx.intervention_by_name(m.group("name"))
            r = now.get((named.id, "citizens_active")) if named else None
            if r is None:
                res.add("n_beside_chart", slide, category, "no citizens_active in the mart")
                continue
            res.count("n_beside_chart")
            _check_count(res, ctx, slide, category, m.group("n"), r["n_citizens"],
                         bool(r["is_suppressed"]), f"citizens in {named.id}, {ctx.quarter}")
    for table in slide.tables:
        header = table[0]
        if len(header) < 3 or header[1] != "Borgere i forløb":
            continue
        for row in table[1:]:
            named = ctx.intervention_by_name(row[0])
            r = now.get((named.id, "citizens_active")) if named else None
            if r is not None:
                _check_count(res, ctx, slide, " | ".join(row), row[1], r["n_citizens"],
                             bool(r["is_suppressed"]), f"citizens in {named.id}")
            share = now.get((named.id, "share_improved")) if named else None
            m = re.fullmatch(rf"(?P<v>{NUMBER}) % af (?P<n>{_N}) målte", row[2])
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
    for line in _lines(slide):
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


# ====================================================================== citizen pack


def _wrapped(text: str) -> str:
    """A chart category as the plain name ("Fokus på forældre-\\nbarn-samspil")."""
    return re.sub(r"-\n", "-", text).replace("\n", " ")


def check_citizen(ctx: DeckContext, slide: SlideText, res: AuditResult) -> None:
    for i, chart in enumerate(slide.charts):
        above = slide.frame_before_chart(i)
        m = re.search(r"n = (\d+) målinger? for én borger", above)
        if m and chart.series:
            res.count("n_beside_chart")
            score = next((v for name, v in chart.series if name == ctx.text("series_score")),
                         chart.series[-1][1])
            plotted = sum(v is not None for v in score)
            if int(m.group(1)) != plotted:
                res.add("n_beside_chart", slide, m.group(0), f"{plotted} points plotted")
        score = next((v for name, v in chart.series if name == ctx.text("series_score")),
                     chart.series[-1][1] if chart.series else ())
        shown = [v for v in score if v is not None]
        m = re.search(rf"ved seneste måling \((?P<c>{NUMBER}) siden start\)", above)
        if m and len(shown) >= 2:
            res.count("direction")
            change = shown[-1] - shown[0]
            printed = parse_number(m.group("c"))
            if not printed_equals(printed, change):
                res.add("direction", slide, above.splitlines()[0],
                        f"first {shown[0]:g}, latest {shown[-1]:g}: change {change:+g}")
        m = re.match(rf"(?P<least>Mindst) i spil: (?P<el>.+) \((?P<v>{NUMBER}) af \d+\)", above)
        if m and shown:
            res.count("superlative")
            values = {_wrapped(c): v for c, v in zip(chart.categories, score, strict=False)
                      if v is not None}
            low = min(values.values())
            lowest = [c for c, v in values.items() if v == low]
            if lowest != [m.group("el")]:
                res.add("superlative", slide, above.splitlines()[0],
                        f"ratings on the chart: {values}")
    for table in slide.tables:
        header = table[0]
        if "Ændring" not in header or "Første" not in header:
            continue
        a, b, c = header.index("Første"), header.index("Seneste"), header.index("Ændring")
        for row in table[1:]:
            if "–" in (row[a], row[b], row[c]) or not row[c]:
                continue
            res.count("direction")
            change = parse_number(row[b]).value - parse_number(row[a]).value
            if not printed_equals(parse_number(row[c]), change):
                res.add("direction", slide, " | ".join(row).replace("\n", " "),
                        f"latest - first = {change:+g}")


def _configured_edges(ctx: DeckContext, instrument) -> list[float]:
    """Where a band ends on the chart: halfway between one band's max and the next's min,
    and the last band's max (bands of the intervention's norm group)."""
    iv = ctx.config.intervention(ctx.intervention_id)
    group = instrument.norm_groups.get(iv.norm_group)
    bands = list(group.bands) if group is not None and group.bands else []
    edges = [(a.max + b.min) / 2 for a, b in zip(bands, bands[1:], strict=False)]
    return edges + ([float(bands[-1].max)] if bands else [])


def check_bands(ctx: DeckContext, slide: SlideText, res: AuditResult) -> None:
    """A citizen chart's shaded bands (stacked series under the score) end where the
    instrument's configured bands end: two bands drawn as one hide a boundary."""
    score_name = ctx.text("series_score")
    for i, chart in enumerate(slide.charts):
        above = slide.frame_before_chart(i)
        m = re.match(r"(?P<inst>[^:\n]+): ", above)
        inst = ctx.instrument_by_short_name(m.group("inst")) if m else None
        if inst is None:
            continue
        edges = _configured_edges(ctx, inst)
        bands = [(name, values) for name, values in chart.series if name != score_name
                 and name not in (ctx.text("series_improved"), ctx.text("series_deteriorated"))]
        if not edges or not bands:
            continue
        res.count("bands")
        drawn, top = [], 0.0
        for _name, values in bands:
            top += values[0] or 0.0
            drawn.append(top)
        missing = [e for e in edges if not any(abs(e - d) < 1e-6 for d in drawn)]
        if missing:
            names = [name for name, _ in bands]
            res.add("bands", slide, f"{above.splitlines()[0]} | bands {names}",
                    f"{inst.id} bands end at {edges}; the chart's at {drawn}")


_VERDICTS = {"improved": ("pålidelig bedring", "bedring, forbi grænsen"),
             "worse": ("pålidelig forværring",)}


def check_ratings_direction(ctx: DeckContext, slide: SlideText, res: AuditResult) -> None:
    """ "Borgerens egen vurdering peger mod bedring" (or the staff's) only when a rating of
    that rater changed reliably that way in the table beside it; "hverken op eller ned"
    only when none did. A change within the measurement error is no direction."""
    m = re.search(r"(?P<who>Borgerens egen vurdering|Medarbejdernes vurdering) peger "
                  r"(?P<dir>mod bedring|mod forværring|hverken op eller ned)", slide.headline)
    if not m or not slide.tables:
        return
    rater = "(borgeren)" if m.group("who").startswith("Borgerens") else "(medarbejder)"
    table = slide.tables[0]
    header = table[0]
    if "Vurdering" not in header:
        return
    col = header.index("Vurdering")
    verdicts = [row[col] for row in table[1:] if row[0].endswith(rater)]
    res.count("direction")
    improved = any(v in _VERDICTS["improved"] for v in verdicts)
    worse = any(v in _VERDICTS["worse"] for v in verdicts)
    said = m.group("dir")
    ok = (improved and not worse if said == "mod bedring"
          else worse and not improved if said == "mod forværring"
          else not improved and not worse)
    if not ok:
        res.add("direction", slide, slide.headline,
                f"reliable-change verdicts of {rater}: {verdicts}")


def check_one_staff_measurement(ctx: DeckContext, res: AuditResult) -> None:
    """ "medarbejderne har kun én måling endnu" for a citizen whose goal table (slides
    before) shows a goal re-rated since start: the goal ratings are staff measurements."""
    rerated: dict[str, str] = {}  # citizen label -> the re-rated goal row
    for slide in ctx.slides:
        citizen = slide.section.split(" · ")[0]
        for table in slide.tables:
            header = table[0]
            if "Start" not in header or "Seneste" not in header or "Mål" not in header:
                continue
            a, b = header.index("Start"), header.index("Seneste")
            for row in table[1:]:
                if row[a] and row[b] and row[a] != row[b]:
                    rerated.setdefault(citizen, " | ".join(row))
        if "medarbejderne har kun én måling" in slide.headline:
            res.count("value")
            if citizen in rerated:
                res.add("value", slide, slide.headline,
                        f"the goal table rates a goal again since start: {rerated[citizen]}")


# ====================================================================== every deck


def check_small_counts(ctx: DeckContext, slide: SlideText, res: AuditResult) -> None:
    """On aggregate decks, no "n = X" with X below k (a group that small is "<k")."""
    if ctx.level == "citizen":
        return
    for line in _lines(slide):
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
    re.compile(r"^Størst andel pålideligt forbedret "),
    re.compile(r"har (?:både )?flest pålideligt forbedrede"),
    re.compile(r"^Pris pr\. borgermåned: .+ (?:steg|faldt) mest siden "),
    re.compile(r"^Mindst i spil: "),
    re.compile(r"^Lavest pris pr\. pålideligt forbedret borger: "),
)


def check_unverified_superlatives(ctx: DeckContext, slide: SlideText, res: AuditResult) -> None:
    """Every line that crowns a group must be one the audit verifies (above): a new
    wording with "flest / mest / bedst ..." is reported until a check covers it."""
    for line in _lines(slide):
        if not SUPERLATIVE.search(line) or _hedged(line):
            continue
        res.count("superlative")
        if not any(p.search(line) for p in _VERIFIED):
            res.add("superlative", slide, line, "a superlative no audit check verifies")


def audit_context(ctx: DeckContext) -> AuditResult:
    res = AuditResult(ctx.file)
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
        elif ctx.level == "organisation":
            check_strategic(ctx, slide, res)
            check_result_maps_strategic(ctx, slide, res)
        elif ctx.level == "citizen":
            check_citizen(ctx, slide, res)
            check_bands(ctx, slide, res)
            check_ratings_direction(ctx, slide, res)
    if ctx.level == "citizen":
        check_one_staff_measurement(ctx, res)
    return res


def audit_deck(path: str | Path, con, config) -> AuditResult:
    """Every finding on one written deck, checked against ``con``'s marts."""
    return audit_context(deck_context(path, con, config))
