"""Comparisons of estimates with intervals (outputs.claims.compare_estimates): a group is
called best only when it prints best, nobody is hidden, and its interval stands clear."""

from __future__ import annotations

from outputs.claims import Estimate, compare_estimates, intervals_overlap


def share(group: str, value: float | None, low: float | None = None,
          high: float | None = None, n: int = 10, hidden: bool = False) -> Estimate:
    return Estimate(group, value, low, high, n, hidden=hidden)


def test_highest_share_with_overlapping_intervals_is_uncertain() -> None:
    # the demo quarter: Børnegrupper 55 % of 11 against Spædbarn 47 % of 19
    claim = compare_estimates([share("Spædbarn", 0.47, 0.27, 0.68, 19),
                               share("Børnegrupper", 0.55, 0.28, 0.79, 11),
                               share("Praktik", 0.36, 0.16, 0.61, 14)],
                              better="higher", decimals=2)
    assert claim.kind == "uncertain"
    assert claim.best.group == "Børnegrupper" and claim.best.n == 11
    assert [e.group for e in claim.overlapping] == ["Spædbarn", "Praktik"]
    assert claim.worst.group == "Praktik"


def test_clear_only_when_no_interval_overlaps_the_best() -> None:
    claim = compare_estimates([share("A", 0.70, 0.60, 0.80), share("B", 0.30, 0.20, 0.40),
                               share("C", 0.50, 0.41, 0.59)], better="higher", decimals=2)
    assert claim.kind == "clear" and claim.best.group == "A" and claim.overlapping == ()
    # C's interval reaches 0.60: touching is overlapping, so no longer clear
    claim = compare_estimates([share("A", 0.70, 0.60, 0.80), share("C", 0.50, 0.41, 0.60)],
                              better="higher", decimals=2)
    assert claim.kind == "uncertain" and [e.group for e in claim.overlapping] == ["C"]


def test_lower_is_better_for_costs() -> None:
    # cost per citizen improved: 28.644 kr. (9 of 19) against 50.331 kr. (5 of 14)
    a = Estimate("Spædbarn", 28644.0, 17000.0, 52000.0, 9)
    b = Estimate("Praktik", 50331.0, 28000.0, 120000.0, 5)
    claim = compare_estimates([b, a], better="lower", decimals=0)
    assert claim.kind == "uncertain" and claim.best.group == "Spædbarn"
    c = Estimate("Praktik", 80000.0, 60000.0, 120000.0, 5)
    assert compare_estimates([c, a], better="lower", decimals=0).kind == "clear"


def test_a_tie_at_the_printed_precision_is_similar() -> None:
    # 0.554 and 0.546 both print as 55 %
    claim = compare_estimates([share("A", 0.554, 0.5, 0.6), share("B", 0.546, 0.5, 0.6)],
                              better="higher", decimals=2)
    assert claim.kind == "similar"
    claim = compare_estimates([Estimate("A", 30000.4), Estimate("B", 29999.6)],
                              better="lower", decimals=0)
    assert claim.kind == "similar"


def test_a_hidden_group_means_nobody_is_best() -> None:
    claim = compare_estimates([share("A", 0.90, 0.80, 0.95), share("B", 0.10, 0.05, 0.20),
                               share("C", None, hidden=True)], better="higher", decimals=2)
    assert claim.kind == "hidden" and claim.hidden_groups == ("C",)
    assert [e.group for e in claim.ranked] == ["A", "B"]  # what is known, best first


def test_groups_without_a_figure_are_left_out_and_listed() -> None:
    claim = compare_estimates([share("A", 0.90, 0.80, 0.95), share("B", None),
                               share("C", 0.10, 0.05, 0.20)], better="higher", decimals=2)
    assert claim.kind == "clear" and claim.missing == ("B",)
    claim = compare_estimates([share("A", 0.9, 0.8, 0.95), share("B", None)],
                              better="higher", decimals=2)
    assert claim.kind == "unknown" and claim.best.group == "A"
    assert compare_estimates([], better="higher", decimals=2).kind == "unknown"


def test_an_unknown_interval_never_makes_a_difference_clear() -> None:
    assert intervals_overlap(Estimate("A", 1.0), Estimate("B", 100.0, 90.0, 110.0))
    claim = compare_estimates([Estimate("A", 10.0, 9.0, None), Estimate("B", 100.0, 90.0, 110.0)],
                              better="lower", decimals=0)
    assert claim.kind == "uncertain"
