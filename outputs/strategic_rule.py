"""The one recommendation rule of the leaders' quarterly summary.

The deck may point at one intervention as the best value for money only when the data
can carry it; otherwise it says that they cannot, and why. The rule (stated on the
slide, documented in ``docs/strategic.md``):

    An intervention is named best value when, in each of the last ``RULE_QUARTERS``
    quarters, its cost per citizen reliably improved (headline instrument) is the
    lowest, every intervention's figure is shown (none hidden, none missing), and its
    95 % interval lies wholly below every other intervention's interval; and the latest
    data-quality check has run and found no errors.

The comparison itself is made by :func:`outputs.claims.compare_estimates` (the one place
that decides what a comparison may say): the rule holds in a quarter only when its claim
is ``clear``. :func:`recommendation` returns a :class:`Recommendation` with the reasons
when the rule does not hold; the words are in ``outputs.strategic_texts``.
"""

from __future__ import annotations

from dataclasses import dataclass

from outputs.claims import Estimate, EstimateClaim, compare_estimates
from outputs.strategic_data import InterventionSummary, StrategicPackData, previous_quarter

#: The measure the rule judges value for money on.
RULE_MEASURE = "cost_per_citizen_improved"
#: Quarters (the period and the ones before it) in which the same intervention must be
#: clearly cheapest per citizen improved: one quarter's figures rest on few citizens.
RULE_QUARTERS = 2
#: Whole kroner: the precision the deck prints a unit cost at (ties at it are ties).
DKK_DECIMALS = 0


def cost_estimates(interventions: list[InterventionSummary], quarter: str,
                   measure: str = RULE_MEASURE) -> list[Estimate]:
    """Each intervention's unit cost in ``quarter`` as an estimate (short names)."""
    out = []
    for iv in interventions:
        m = iv.m(quarter, measure)
        out.append(Estimate(iv.short_name, None if m.suppressed else m.value, m.low, m.high,
                            m.n_units, hidden=m.suppressed))
    return out


def cost_claim(interventions: list[InterventionSummary], quarter: str) -> EstimateClaim:
    """Which intervention is cheapest per citizen improved in ``quarter``, if any."""
    return compare_estimates(cost_estimates(interventions, quarter), better="lower",
                             decimals=DKK_DECIMALS)


@dataclass(frozen=True)
class QuarterVerdict:
    quarter: str
    claim: EstimateClaim


@dataclass(frozen=True)
class Recommendation:
    """The rule's verdict: ``holds`` with the intervention it names, or the reasons why
    the data cannot carry a recommendation (``quarters`` with their claims, and whether
    the data-quality check is in the way)."""

    holds: bool
    intervention: str | None = None  # short name, when the rule holds
    quarters: tuple[QuarterVerdict, ...] = ()
    quality_errors: int = 0
    quality_run: bool = True
    #: every quarter is clear, but not for the same intervention
    best_differs: bool = False


def rule_quarters(period: str, n: int = RULE_QUARTERS) -> list[str]:
    """The ``n`` quarters the rule looks at, the period first."""
    out = [period]
    while len(out) < n:
        out.append(previous_quarter(out[-1]))
    return out


def recommendation(data: StrategicPackData) -> Recommendation:
    """The rule of the module doc applied to the period's figures."""
    verdicts = tuple(QuarterVerdict(q, cost_claim(data.interventions, q))
                     for q in rule_quarters(data.period))
    clear = all(v.claim.kind == "clear" and not v.claim.missing for v in verdicts)
    names = {v.claim.best.group for v in verdicts if v.claim.best is not None}
    quality_ok = data.quality.has_run and data.quality.n_errors == 0
    holds = clear and len(names) == 1 and quality_ok
    return Recommendation(
        holds=holds,
        intervention=verdicts[0].claim.best.group if holds and verdicts[0].claim.best
        else None,
        quarters=verdicts,
        quality_errors=data.quality.n_errors,
        quality_run=data.quality.has_run,
        best_differs=clear and len(names) > 1,
    )
