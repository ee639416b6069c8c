"""What the leaders' summary may say when it compares interventions: its sentences made
from the claims of :mod:`outputs.claims`.

Every comparing sentence of the quarterly summary (the highest share reliably improved,
the cost per citizen improved, the recommendation rule's verdict) is chosen here by the
kind of its claim (``clear``, ``uncertain``, ``similar``, ``hidden``, ``unknown``):
a share is named a share ("den højeste andel", never "flest") with its n; "forskellene
kan skyldes tilfældigheder" whenever intervals overlap; nobody is ranked first when a
figure is hidden or two print the same. The words are in :mod:`outputs.strategic_texts`.
"""

from __future__ import annotations

from outputs.claims import Estimate, EstimateClaim, compare_estimates
from outputs.fmt import fmt_number, fmt_pct, join_names
from outputs.spec import TextBlock
from outputs.strategic_data import StrategicPackData
from outputs.strategic_rule import RULE_QUARTERS, Recommendation
from outputs.strategic_texts import fmt_dkk, fmt_quarter, st

#: A share (0-1) is printed as a whole percentage: shares that print the same are a tie.
SHARE_DECIMALS = 2


def n_text(n: float | None) -> str:
    """A count as a slide prints it ("–" when unknown)."""
    return "–" if n is None else str(int(round(n)))


def share_claim(data: StrategicPackData, better: str = "higher") -> EstimateClaim:
    """Which intervention has the highest (``better="lower"``: lowest) share reliably
    improved in the period, as far as the intervals let us say (``outputs.claims``)."""
    estimates = []
    for iv in data.interventions:
        m = iv.m(data.period, "share_improved")
        estimates.append(Estimate(iv.short_name, None if m.suppressed else m.value, m.low,
                                  m.high, m.n_units, hidden=m.suppressed))
    return compare_estimates(estimates, better=better,  # type: ignore[arg-type]
                             decimals=SHARE_DECIMALS)


def group_names(estimates, lang: str) -> str:
    return join_names([e if isinstance(e, str) else e.group for e in estimates], lang)


def chance(claim: EstimateClaim, lang: str) -> str:
    """ "Forskellene kan skyldes tilfældigheder" when every other group's interval
    overlaps the best's, else the difference from the groups that do."""
    if len(claim.overlapping) == len(claim.ranked) - 1:
        return st("chance_all", lang)
    return st("chance_some", lang, names=group_names(claim.overlapping, lang))


def interval_dkk(e: Estimate, lang: str, unit: bool = True) -> str:
    """ "19.000–52.000 kr." or "over 19.000 kr." (no upper end); "–" without an interval;
    ``unit=False``: without "kr." (table cells under a column of amounts)."""
    if e.low is None:
        return "–"
    if e.high is None:
        low = fmt_dkk(e.low, lang) if unit else fmt_number(e.low, lang, 0)
        return st("unit_interval_open", lang, low=low)
    return st("unit_interval_dkk" if unit else "unit_interval", lang,
              low=fmt_number(e.low, lang, 0), high=fmt_number(e.high, lang, 0))


def share_sentence(claim: EstimateClaim, instrument: str, lang: str) -> str:
    """The summary's sentence on the share reliably improved, from its claim."""
    best = claim.best
    if claim.kind == "hidden" and len(claim.ranked) >= 2:
        return st("sum_share_hidden", lang, names=join_names(list(claim.hidden_groups), lang))
    if best is None:
        return st("sum_no_results", lang)
    values = {"instrument": instrument, "name": best.group, "share": fmt_pct(best.value, lang),
              "n": n_text(best.n)}
    if claim.kind in ("unknown", "hidden"):
        return st("sum_share_one", lang, **values)
    if claim.kind == "similar":
        tied = [e for e in claim.ranked if fmt_pct(e.value, lang) == values["share"]]
        return st("sum_share_similar", lang, instrument=instrument,
                  names=group_names(tied, lang), share=values["share"])
    if claim.kind == "clear":
        return st("sum_share_clear", lang, **values)
    return st("sum_share_uncertain", lang, chance=chance(claim, lang), **values)


def cost_sentence(claim: EstimateClaim, lang: str) -> str:
    """The summary's sentence on the cost per citizen improved, from its claim ("" when
    no intervention has the figure)."""
    best, worst = claim.best, claim.worst
    if claim.kind == "hidden" and len(claim.ranked) >= 2:
        return st("sum_unit_hidden", lang, names=join_names(list(claim.hidden_groups), lang))
    if best is None or worst is None:
        return ""
    if claim.kind in ("unknown", "hidden"):
        return st("sum_unit_one", lang, name=best.group, value=fmt_dkk(best.value, lang),
                  n=n_text(best.n))
    if claim.kind == "similar":
        tied = [e for e in claim.ranked if fmt_dkk(e.value, lang) == fmt_dkk(best.value, lang)]
        return st("sum_unit_similar", lang, names=group_names(tied, lang),
                  value=fmt_dkk(best.value, lang))
    if claim.kind == "clear":
        return st("sum_unit_clear", lang, name=best.group, value=fmt_dkk(best.value, lang),
                  interval=interval_dkk(best, lang), n=n_text(best.n))
    return st("sum_unit_uncertain", lang, name=best.group, value=fmt_dkk(best.value, lang),
              n=n_text(best.n), worst=worst.group, worst_value=fmt_dkk(worst.value, lang),
              worst_n=n_text(worst.n), chance=chance(claim, lang))


def side_title(claim: EstimateClaim, lang: str, period: str) -> str:
    """The side-by-side table's title: the share claim, named as a share with its n."""
    best = claim.best
    if claim.kind == "hidden" and len(claim.ranked) >= 2:
        return st("side_title_hidden", lang, period=fmt_quarter(period, lang))
    if best is None or claim.kind in ("unknown", "hidden"):
        return st("side_title_none", lang, period=fmt_quarter(period, lang))
    share = fmt_pct(best.value, lang)
    if claim.kind == "similar":
        tied = [e for e in claim.ranked if fmt_pct(e.value, lang) == share]
        return st("side_title_similar", lang, names=group_names(tied, lang), share=share)
    values = {"name": best.group, "share": share, "n": n_text(best.n)}
    if claim.kind == "clear":
        return st("side_title_clear", lang, **values)
    if len(claim.overlapping) == len(claim.ranked) - 1:
        return st("side_title_uncertain", lang, **values)
    return st("side_title_uncertain_some", lang, names=group_names(claim.overlapping, lang),
              **values)


def comparison_title(claim: EstimateClaim, instrument: str, lang: str, period: str) -> str:
    """The comparison figure's title, from the share claim."""
    best, worst = claim.best, claim.worst
    if claim.kind == "hidden" and len(claim.ranked) >= 2:
        return st("cmp_title_hidden", lang, instrument=instrument,
                  names=join_names(list(claim.hidden_groups), lang))
    if best is None or worst is None:
        return st("cmp_title_none", lang, period=fmt_quarter(period, lang))
    if claim.kind in ("unknown", "hidden"):
        return st("cmp_title_one", lang, name=best.group, instrument=instrument,
                  share=fmt_pct(best.value, lang))
    share = fmt_pct(best.value, lang)
    if claim.kind == "similar":
        tied = [e for e in claim.ranked if fmt_pct(e.value, lang) == share]
        return st("cmp_title_similar", lang, names=group_names(tied, lang), instrument=instrument,
                  share=share)
    if claim.kind == "clear":
        return st("cmp_title_clear", lang, instrument=instrument, best=best.group, a=share,
                  b=fmt_pct(claim.ranked[1].value, lang))
    if len(claim.overlapping) == len(claim.ranked) - 1:
        return st("cmp_title_overlap", lang, instrument=instrument,
                  low=fmt_pct(worst.value, lang), high=share)
    return st("cmp_title_some", lang, instrument=instrument, best=best.group, a=share,
              names=group_names(claim.overlapping, lang))


def unit_title(claim: EstimateClaim, lang: str, period: str) -> str:
    """The unit-cost slide's title: compares the cost per citizen improved only as far as
    the intervals allow (``outputs.claims``)."""
    best, worst = claim.best, claim.worst
    if claim.kind == "hidden" and len(claim.ranked) >= 2:
        return st("unit_title_hidden", lang, names=join_names(list(claim.hidden_groups), lang))
    if best is None or worst is None or claim.kind in ("unknown", "hidden"):
        return st("unit_title_none", lang, period=fmt_quarter(period, lang))
    value = fmt_dkk(best.value, lang)
    if claim.kind == "similar":
        tied = [e for e in claim.ranked if fmt_dkk(e.value, lang) == value]
        return st("unit_title_similar", lang, names=group_names(tied, lang), value=value)
    if claim.kind == "clear":
        return st("unit_title_clear", lang, name=best.group, value=value,
                  interval=interval_dkk(best, lang))
    if len(claim.overlapping) == len(claim.ranked) - 1:
        return st("unit_title_uncertain", lang, low=value, high=fmt_dkk(worst.value, lang))
    return st("unit_title_uncertain_some", lang, name=best.group, value=value,
              names=group_names(claim.overlapping, lang))


def recommendation_blocks(rec: Recommendation, instrument: str, lang: str) -> list[TextBlock]:
    """The rule in words; then whether it holds and, if not, every reason why."""
    rule = TextBlock(heading=st("rule_rule_heading", lang),
                     bullets=[st("rule_text", lang, instrument=instrument, n=RULE_QUARTERS)])
    if rec.holds:
        quarters = join_names([fmt_quarter(v.quarter, lang) for v in rec.quarters], lang)
        return [rule, TextBlock(heading=st("rule_verdict_heading", lang), bullets=[
            st("rule_holds", lang, name=rec.intervention, quarters=quarters)])]
    bullets = [st("rule_not", lang)]
    for v in rec.quarters:
        claim, quarter = v.claim, fmt_quarter(v.quarter, lang)
        if claim.kind == "hidden":
            bullets.append(st("rule_why_hidden", lang, quarter=quarter,
                              names=join_names(list(claim.hidden_groups), lang)))
        elif claim.missing:
            bullets.append(st("rule_why_missing", lang, quarter=quarter,
                              names=join_names(list(claim.missing), lang)))
        if claim.kind == "unknown" and not claim.missing:
            bullets.append(st("rule_why_unknown", lang, quarter=quarter))
        elif claim.kind == "similar" and claim.best is not None:
            value = fmt_dkk(claim.best.value, lang)
            tied = [e for e in claim.ranked if fmt_dkk(e.value, lang) == value]
            bullets.append(st("rule_why_similar", lang, quarter=quarter,
                              names=group_names(tied, lang)))
        elif claim.kind == "uncertain" and claim.best is not None:
            every = len(claim.overlapping) == len(claim.ranked) - 1
            bullets.append(st("rule_why_overlap_all" if every else "rule_why_overlap", lang,
                              quarter=quarter, name=claim.best.group,
                              value=fmt_dkk(claim.best.value, lang),
                              names=group_names(claim.overlapping, lang)))
    if rec.best_differs:
        names = [v.claim.best.group for v in rec.quarters if v.claim.best is not None]
        bullets.append(st("rule_why_differs", lang,
                          names=join_names(list(dict.fromkeys(names)), lang)))
    if not rec.quality_run:
        bullets.append(st("rule_why_no_quality", lang))
    elif rec.quality_errors:
        bullets.append(st("rule_why_quality", lang, errors=rec.quality_errors))
    return [rule, TextBlock(heading=st("rule_verdict_heading", lang), bullets=bullets)]

