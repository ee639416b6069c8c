"""Checks of the intervention pack: data basis, target group, goal attainment,
progression, comparisons, result map, KiK per core element, drop-out caveat."""

from __future__ import annotations

import re

from outputs.common import point_label
from outputs.fmt import join_names, lower_first
from tests.support.deck_audit.common import (
    COUNT,
    DIRECTION_WORDS,
    check_count,
    check_total,
    cohort_points,
)
from tests.support.deck_audit.context import DeckContext
from tests.support.deck_audit.findings import AuditResult
from tests.support.deck_audit.marts import rows
from tests.support.deck_audit.numbers import NUMBER, parse_number, printed_equals, round_half_up
from tests.support.deck_audit.slides import SlideText


def check_basis(ctx: DeckContext, slide: SlideText, res: AuditResult) -> None:
    if slide.title.splitlines()[-1:] != [ctx.text("basis_title")]:
        return
    counts = {r["case_status"]: r for r in rows(ctx.con, "basis_counts",
                                                intervention_id=ctx.intervention_id,
                                                period=ctx.quarter)}

    def mart(status: str, column: str) -> tuple[int | None, bool]:
        r = counts.get(status)
        return (0, False) if r is None else (r[column], bool(r["is_suppressed"]))

    courses = re.compile(rf"^({COUNT}) forløb \(({COUNT}) i gang, ({COUNT}) afsluttet som "
                         rf"planlagt, ({COUNT}) afsluttet uplanlagt\)$")
    for line in slide.lines():
        m = courses.match(line)
        if m:
            for printed, status in zip(m.groups(), ("all", "open", "closed_planned",
                                                    "closed_unplanned"), strict=True):
                n, hidden = mart(status, "n_courses")
                check_count(res, ctx, slide, line, printed, n, hidden,
                             f"courses ({status}) in {ctx.quarter}")
        m = re.match(rf"^(?:Indsamlede målinger|Til tiden) i perioden: ({NUMBER}) %", line)
        if m:
            res.count("value")
            total = rows(ctx.con, "collection_total", intervention_id=ctx.intervention_id,
                         period=ctx.quarter)
            key = "share_on_time" if line.startswith("Til tiden") else "share_collected"
            value = total[0][key] if total and not total[0]["is_suppressed"] else None
            if value is None or not printed_equals(parse_number(m.group(1)), value, scale=100):
                res.add("value", slide, line, f"{key} in {ctx.quarter}: {value}")
        m = re.match(rf"^({COUNT}) borgere$", line)
        if m:
            n, hidden = mart("all", "n_citizens")
            check_count(res, ctx, slide, line, m.group(1), n, hidden,
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
            check_count(res, ctx, slide, category, p, c["n_citizens"], c["is_suppressed"],
                         f"{group} {c['start_year']}")
    note = slide.frame_after_chart(0)
    m = re.search(rf"n = ({COUNT}) borgere", note)
    if m:
        check_total(res, ctx, slide, m.group(0), m.group(1),
                     [(c["n_citizens"], c["is_suppressed"]) for c in cells],
                     f"citizens behind the plotted cells (mart_target_group_at_start, "
                     f"{instrument}, {'/'.join(years)})")
    title = slide.headline
    m = re.fullmatch(r"(?P<period>\d{4}): (?P<hi>.+) startede med højere .+ end (?P<lo>.+) "
                     rf"\((?P<a>{NUMBER}) mod (?P<b>{NUMBER})\)(?P<chance>{CHANCE})?", title)
    if m:
        res.count("superlative")
        year = [c for c in cells if str(c["start_year"]) == m.group("period")]
        shown = {c["group_value"]: c for c in year if not c["is_suppressed"]}
        means = {g: c["mean_baseline"] for g, c in shown.items()}
        hi, lo = labels.get(m.group("hi")), labels.get(m.group("lo"))
        if hi not in means or lo not in means or means[hi] <= means[lo]:
            res.add("superlative", slide, title, f"means at start {m.group('period')}: {means}")
        else:
            for key, group in (("a", hi), ("b", lo)):
                if not printed_equals(parse_number(m.group(key)), means[group]):
                    res.add("value", slide, title, f"{group}: {means[group]:.3f}")
            check_chance(res, slide, title, bool(m.group("chance")),
                         _ci(shown[hi], "ci_low", "ci_high"), _ci(shown[lo], "ci_low", "ci_high"))


def check_goal_attainment(ctx: DeckContext, slide: SlideText, res: AuditResult) -> None:
    if not slide.section.startswith(ctx.text("slide_goals")) or not slide.charts:
        return
    areas = rows(ctx.con, "goal_areas", intervention_id=ctx.intervention_id)
    by_name = {a["life_area_name"] or a["life_area_id"]: a for a in areas}
    chart = slide.charts[0]
    for category in chart.categories:
        m = re.fullmatch(rf"(?P<area>.+) \(n(?: =)? (?P<n>{COUNT})\)", category)
        area = by_name.get(m.group("area")) if m else None
        if area is None:
            res.add("n_beside_chart", slide, category, f"areas in the mart: {sorted(by_name)}")
            continue
        n = area["n_goals"]
        check_count(res, ctx, slide, category, m.group("n"), None if n is None else int(n),
                     n is None, f"assessed goals in {m.group('area')}")
    note = slide.frame_after_chart(0)
    m = re.search(rf"n = ({COUNT}) vurderede mål", note)
    if m:
        check_total(res, ctx, slide, m.group(0), m.group(1),
                     [(None if a["n_goals"] is None else int(a["n_goals"]),
                       a["n_goals"] is None) for a in areas],
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
        # a generic name in the sentence starts lower-case (outputs.fmt.lower_first)
        if sorted(named) != sorted(lower_first(a) for a in leaders):
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
    cohort = [c for c in cohort_points(ctx, inst.id)
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


_PAIR_SAME = re.compile(rf"(?P<noun>fald|stigning) på (?P<a>{NUMBER})(?: point)? mod "
                        rf"(?P<b>{NUMBER})(?: point)?")
_PAIR_ONE = re.compile(rf"(?P<noun>fald|stigning) på (?P<v>{NUMBER}) point|ingen ændring")


def _runner_up(text: str) -> tuple[str, str | None]:
    """The pair of changes and the group(s) the second is named for, over more than two
    groups: "fald på 0,7 point mod 0,6 for 18-24 år" -> ("fald på 0,7 point mod 0,6",
    "18-24 år"); without a name the text and None."""
    head, sep, who = text.rpartition(" for ")
    return (head, who) if sep and " mod " in head else (text, None)


def _printed_changes(text: str) -> list[float | None]:
    """The signed changes a comparison title prints: "fald på 7,4 mod 1,0 point", "fald på
    0,7 point mod stigning på 0,2 point", "fald på 8,5 point mod ingen ændring" (each
    with " for <runner-up>" over more than two groups: "fald på 0,7 point mod 0,6 for
    18-24 år"), or the similar title's "A faldt 0,7 point, B uændret" (None: no change,
    nothing to check)."""
    text = _runner_up(text)[0]
    same = _PAIR_SAME.fullmatch(text)
    if same:
        sign = -1 if same.group("noun") == "fald" else 1
        return [sign * parse_number(same.group(k)).value for k in ("a", "b")]
    parts = text.split(" mod ")
    if len(parts) == 2 and all(_PAIR_ONE.fullmatch(p) for p in parts):
        out: list[float | None] = []
        for part in parts:
            one = _PAIR_ONE.fullmatch(part)
            out.append(None if one is None or one.group("noun") is None else
                       (-1 if one.group("noun") == "fald" else 1)
                       * parse_number(one.group("v")).value)
        return out
    return [None if flat else parse_number(number).value * (1 if verb == "steg" else -1)
            for verb, number, flat in re.findall(rf"(steg|faldt) ({NUMBER}) point|(uændret)",
                                                 text)]


def check_comparison(ctx: DeckContext, slide: SlideText, res: AuditResult) -> None:
    if slide.section.startswith(ctx.text("slide_variants")):
        breakdown = "variant"
    elif slide.section.startswith(ctx.text("slide_subgroups")):
        breakdown = "age_band"
    else:
        return
    title = slide.headline
    m = re.fullmatch(r"(?P<inst>[^:]+): (?P<best>.+) udviklede sig (?P<word>bedst|mest) fra "
                     r"(?P<p0>.+) til (?P<p1>.+) \((?P<changes>.+ mod .+); (?P<dir>.+)\)"
                     r"(?P<chance>, men forskellen kan skyldes tilfældigheder)?", title)
    if m and (m.group("word") == "mest") != bool(m.group("chance")):
        res.add("superlative", slide, title, "'bedst' goes without the chance clause, "
                                             "'mest' with it")
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
    for value in _printed_changes(m.group("changes")):
        res.count("direction")
        if value is None:
            continue
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
        return
    # the group the best is set against: named over more than two groups, and then every
    # group whose change prints as the second best's
    named = _runner_up(m.group("changes"))[1]
    runners = [g for g, v in ranked[1:] if v == ranked[1][1]]
    if (named is None) != (len(changes) <= 2) or (
            named is not None and named != join_names(runners, ctx.lang)):
        res.add("superlative", slide, title,
                f"the runner-up over {len(changes)} groups: {runners}")
    # the change's interval (since the first point) of the best against every other group
    first_point = min(cells, key=lambda c: (c["point_order"], c["occurrence_no"]))["point_id"]
    from_start = point_label(first_point, ctx.lang).lower() == m.group("p0")
    intervals = {label: _ci(at(group, m.group("p1")), "ci_change_low", "ci_change_high")
                 if from_start else None for label, group in labels.items()}
    apart = all(intervals_apart(intervals[best], iv)
                for label, iv in intervals.items() if label != best)
    res.count("superlative")
    if apart == bool(m.group("chance")):
        res.add("superlative", slide, title, f"intervals of the changes: {intervals}")


def check_result_map(ctx: DeckContext, slide: SlideText, res: AuditResult,
                     intervention_id: str | None) -> None:
    """A result-map box "YLS/CMI, gns. ændring: +6,4 point" (a signed change) or "...:
    faldt 6,4 point (bedre)" (in words) against the mart's change of the cohort's mean
    score from start to the last shown point (of the two means as printed, as the
    progression title gives them), and the instrument's direction."""
    if intervention_id is None:
        return
    change_words = re.escape(ctx.text("measure_mean_change"))
    for frame in slide.frames:
        lines = frame.splitlines()
        for i, line in enumerate(lines):
            m = re.fullmatch(rf"(?P<inst>.+), {change_words}: (?:(?P<v>{NUMBER}) point|"
                             rf"(?P<verb>steg|faldt) (?P<w>{NUMBER}) point \((?P<judge>bedre|"
                             rf"værre)\)|(?P<flat>uændret))", line)
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
            # the change of the two means as the progression chart prints them
            # ("fra 2,3 til 1,8": a fall of 0,5)
            end = last["mean_score"]
            change = round(round_half_up(end, 1)
                           - round_half_up(end - last["change_since_start"], 1), 1)
            went = (f"{inst.id} ({inst.direction}): the cohort's mean went "
                    f"{'up' if change > 0 else 'down'} by {abs(change):.2f} "
                    f"(start to {last['point_id']})")
            if m.group("flat"):
                if round_half_up(change, 1) != 0:
                    res.add("direction", slide, line, went)
            elif m.group("verb"):
                printed = parse_number(m.group("w"))
                better = (change > 0) == (inst.direction == "higher_is_better")
                if (m.group("verb") == "steg") != (change > 0) or \
                        (m.group("judge") == "bedre") != better:
                    res.add("direction", slide, line, went)
                elif not printed_equals(printed, abs(change)):
                    res.add("value", slide, line, f"change {change:.3f}")
            else:
                printed = parse_number(m.group("v"))
                if (printed.value > 0) != (change > 0) and round_half_up(change, 1) != 0:
                    res.add("direction", slide, line, went)
                elif not printed_equals(printed, change):
                    res.add("value", slide, line, f"change {change:.3f}")
            following = lines[i + 1] if i + 1 < len(lines) else ""
            n = re.match(rf"n = ({COUNT})", following)
            if n:
                check_count(res, ctx, slide, following, n.group(1), last["n_citizens"],
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
                             rf"(?P<n>{COUNT})\)", line)
            if not m:
                continue
            if m.group("name") not in names:
                res.add("value", slide, line, f"core elements: {names}")
                continue
            row = elements.get(names.index(m.group("name")) + 1)
            if row is None or row["is_suppressed"]:
                res.add("small_cells", slide, line, "hidden in mart_kik_by_element")
                continue
            check_count(res, ctx, slide, line, m.group("n"), row["n_citizens"], False,
                         f"citizens rated on {m.group('name')}")
            res.count("value")
            if not printed_equals(parse_number(m.group("v")), row["mean_rating"]):
                res.add("value", slide, line, f"mean rating {row['mean_rating']:.3f}")


def check_dropout_caveat(ctx: DeckContext, slide: SlideText, res: AuditResult) -> None:
    for line in slide.lines():
        m = re.fullmatch(rf"(?P<inst>.+): ved (?P<p>.+) er (?P<all>{COUNT}) borgere målt, men kun "
                         rf"(?P<cohort>{COUNT}) har alle målinger.*", line)
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
            check_count(res, ctx, slide, line, m.group(series), cell["n_citizens"],
                         bool(cell["is_suppressed"]), f"{series} citizens at {m.group('p')}")


def check_fidelity(ctx: DeckContext, slide: SlideText, res: AuditResult) -> None:
    """ "Borgere med høj KiK udviklede sig bedre end borgere med lav KiK (+4,1 mod +2,0
    point)", "... udviklede sig mere end borgere med ... , men forskellen kan skyldes
    tilfældigheder", "... udviklede sig ikke bedre end borgere med ...": the improvements
    (positive = better) per KiK level in mart_fidelity_outcome, and "bedre" only where
    their intervals are apart."""
    m = re.fullmatch(rf"Borgere med høj KiK udviklede sig (?P<word>bedre|mere|ikke bedre) "
                     rf"end borgere med (?P<other>.+) \((?P<high>{NUMBER}) mod (?P<low>{NUMBER}) "
                     rf"point\)(?P<chance>, men forskellen kan skyldes tilfældigheder)?",
                     slide.headline)
    if not m:
        return
    res.count("direction")
    levels = {r["fidelity_level"]: r for r in rows(ctx.con, "fidelity_levels",
                                                  intervention_id=ctx.intervention_id,
                                                  instrument_id=ctx.main_instrument)}
    other = "low" if m.group("other").startswith("lav") else "medium"
    high, low = levels.get("high"), levels.get(other)
    if high is None or low is None or high["is_suppressed"] or low["is_suppressed"]:
        res.add("superlative", slide, slide.headline, f"hidden or missing: high / {other}")
        return
    for key, row in (("high", high), ("low", low)):
        if not printed_equals(parse_number(m.group(key)), row["mean_improvement"]):
            res.add("value", slide, slide.headline,
                    f"{row['fidelity_level']}: {row['mean_improvement']:.3f}")
    more = high["mean_improvement"] > low["mean_improvement"]
    if more != (m.group("word") != "ikke bedre"):
        res.add("direction", slide, slide.headline,
                f"improvement high {high['mean_improvement']:.2f}, {other} "
                f"{low['mean_improvement']:.2f}")
    if more:
        if (m.group("word") == "mere") != bool(m.group("chance")):
            res.add("superlative", slide, slide.headline,
                    "'bedre' goes without the chance clause, 'mere' with it")
        check_chance(res, slide, slide.headline, bool(m.group("chance")),
                     _ci(high, "ci_low", "ci_high"), _ci(low, "ci_low", "ci_high"))


#: The clause a title adds when two figures' intervals overlap (or are unknown).
CHANCE = r"; forskellen kan skyldes tilfældigheder"


def _ci(row: dict | None, low: str, high: str) -> tuple[float, float] | None:
    if row is None or row.get(low) is None or row.get(high) is None:
        return None
    return (row[low], row[high])


def intervals_apart(a: tuple[float, float] | None, b: tuple[float, float] | None) -> bool:
    """Both 95 % intervals known and sharing no point: a difference beyond chance."""
    return a is not None and b is not None and (a[0] > b[1] or b[0] > a[1])


def check_chance(res: AuditResult, slide: SlideText, title: str, said: bool,
                 a: tuple[float, float] | None, b: tuple[float, float] | None) -> None:
    """The title says "kan skyldes tilfældigheder" exactly when the intervals overlap."""
    res.count("superlative")
    if intervals_apart(a, b) == said:
        res.add("superlative", slide, title, f"intervals {a} and {b}")
