"""Checks of the citizen pack: n under a citizen's chart, the change since start, the
least-in-play core element, shaded bands, which way the ratings point, GAS counts."""

from __future__ import annotations

import re

from outputs.fmt import lower_first
from tests.support.deck_audit.context import DeckContext
from tests.support.deck_audit.findings import AuditResult
from tests.support.deck_audit.numbers import NUMBER, parse_number, printed_equals, round_half_up
from tests.support.deck_audit.slides import SlideText


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
        worded = re.search(rf"ved seneste måling; (?P<w>steg|faldt) (?P<c>{NUMBER}) point "
                           r"\((?:bedre|værre)\) siden start", above)
        if worded and len(shown) >= 2:  # "steg 10 point (bedre)": size and sign of the change
            res.count("direction")
            size = parse_number(worded.group("c"))
            decimals = 0 if size.step >= 1 else 1  # the change of the values as printed
            change = round_half_up(shown[-1], decimals) - round_half_up(shown[0], decimals)
            sign_ok = (change > 0) == (worded.group("w") == "steg")
            if not (sign_ok and printed_equals(size, abs(change))):
                res.add("direction", slide, above.splitlines()[0],
                        f"first {shown[0]:g}, latest {shown[-1]:g}: change {change:+g}")
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
            lowest = [c for c, v in values.items() if v == low]  # in chart order
            later = [lower_first(c) for c in lowest[1:]]  # words in the sentence
            named = ", ".join([lowest[0], *later[:-1]]) + " og " + later[-1] if later else (
                lowest[0])
            if m.group("el") != named:  # every element at the lowest value, and only those
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
        names = [name for name, _ in chart.series]
        if score_name not in names:
            continue
        bands = list(chart.series[:names.index(score_name)])  # stacked under the score
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


_VERDICTS = {"improved": ("pålidelig bedring", "bedring, nu på den raske side af grænsen"),
             "worse": ("pålidelig forværring",)}


_RATERS = {"borgerens egen vurdering": "(borgeren)", "borgerens": "(borgeren)",
           "medarbejdernes vurdering": "(medarbejder)", "medarbejdernes": "(medarbejder)"}
_SAYS = re.compile(r"(?P<who>Borgerens egen vurdering|Medarbejdernes vurdering|borgerens|"
                   r"medarbejdernes)(?: peger)? (?P<dir>mod bedring|mod forværring|hverken op "
                   r"eller ned|hverken mod bedring eller forværring)")

_BOTH = re.compile(r"Borgeren og medarbejderne ser samme retning: (?P<dir>mod bedring|mod "
                   r"forværring|hverken mod bedring eller forværring)")


def _row_verdict(ctx: DeckContext, row: tuple[str, ...], col: int, change_col: int
                 ) -> str | None:
    """better | worse | same | None for one row of the ratings table: the reliable-change
    verdict; on an instrument without a reliable-change rule ("–", GAS) the sign of the
    printed change taken by the instrument's direction; None for an alliance scale (it
    rates the collaboration) or a row with one measurement."""
    inst = ctx.instrument_by_short_name(row[0].split("\n")[0])
    if inst is not None and inst.cutoff_kind == "alliance":
        return None
    verdict = row[col]
    if verdict in _VERDICTS["improved"]:
        return "better"
    if verdict in _VERDICTS["worse"]:
        return "worse"
    if verdict != "–":
        return "same"
    if row[change_col] in ("", "–") or inst is None:
        return None
    change = parse_number(row[change_col]).value
    if inst.direction == "higher_is_worse":
        change = -change
    return "better" if change > 0 else "worse" if change < 0 else "same"


def check_ratings_direction(ctx: DeckContext, slide: SlideText, res: AuditResult) -> None:
    """ "Borgerens egen vurdering peger mod bedring" (or the staff's, or both in one title)
    only when a rating of that rater changed reliably that way in the table beside it, or,
    on a scale with no reliable-change rule ("–", GAS), changed that way at the printed
    precision; "hverken ..." only when none did either way. A change within the
    measurement error is no direction."""
    if not slide.tables or "Vurdering" not in slide.tables[0][0]:
        return
    table = slide.tables[0]
    col, change_col = table[0].index("Vurdering"), table[0].index("Ændring")
    said_by = [(_RATERS[m.group("who").lower()], m.group("dir"))
               for m in _SAYS.finditer(slide.headline)]
    both = _BOTH.search(slide.headline)
    if both:  # "Borgeren og medarbejderne ser samme retning: mod bedring": each side
        said_by += [("(borgeren)", both.group("dir")), ("(medarbejder)", both.group("dir"))]
    for rater, said in said_by:
        rows = [row for row in table[1:] if (row[0].endswith("(borgeren)")
                                             == (rater == "(borgeren)"))]
        verdicts = [_row_verdict(ctx, row, col, change_col) for row in rows]
        res.count("direction")
        improved, worse = "better" in verdicts, "worse" in verdicts
        ok = (improved and not worse if said == "mod bedring"
              else worse and not improved if said == "mod forværring"
              else not improved and not worse)
        if not ok:
            res.add("direction", slide, slide.headline,
                    f"verdicts of {rater}: "
                    + "; ".join(f"{r[0].replace(chr(10), ' ')} {r[change_col]} {r[col]}"
                                for r in rows))


def check_goal_title(ctx: DeckContext, slide: SlideText, res: AuditResult) -> None:
    """ "2 af 3 mål er nået eller fastholdt" / "2 mål er sat, ingen er vurderet endnu"
    against the goal table under it (statuses per goal)."""
    reached_m = re.search(r"(?P<a>\d+) af (?P<b>\d+) mål er nået eller fastholdt$",
                          slide.headline)
    none_m = re.search(r"(?P<n>\d+) mål er sat, ingen er vurderet endnu$", slide.headline)
    if not (reached_m or none_m) or not slide.tables:
        return
    table = slide.tables[0]
    if "Status" not in table[0]:
        return
    status = [row[table[0].index("Status")] for row in table[1:]]
    not_rated = ctx.text("cat_not_assessed")
    reached = {ctx.text("cat_progression_reached"), ctx.text("cat_maintenance_reached")}
    res.count("value")
    rated = [s for s in status if s != not_rated]
    if reached_m:
        a, b = int(reached_m.group("a")), int(reached_m.group("b"))
        if (a, b) != (sum(s in reached for s in rated), len(rated)):
            res.add("value", slide, slide.headline, f"goal statuses in the table: {status}")
    elif int(none_m.group("n")) != len(status) or rated:
        res.add("value", slide, slide.headline, f"goal statuses in the table: {status}")


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
                if row[a] and row[b] not in ("", "–") and row[a] != row[b]:
                    rerated.setdefault(citizen, " | ".join(row))
        if "medarbejderne har kun én måling" in slide.headline:
            res.count("value")
            if citizen in rerated:
                res.add("value", slide, slide.headline,
                        f"the goal table rates a goal again since start: {rerated[citizen]}")
