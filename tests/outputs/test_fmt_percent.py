"""A share is never shown as 0 % or 100 % by rounding (the review found a team's 985 of
987 measurements as "100 %" beside "Manglende målinger (2)")."""

from __future__ import annotations

import pytest

from datadialog.formats import bounded_percent
from outputs.fmt import fmt_pct


@pytest.mark.parametrize(("share", "decimals", "text"), [
    (985 / 987, 0, ">99\u00a0%"),      # 99.797 % would round to 100
    (3 / 27274, 0, "<1\u00a0%"),       # 0.011 % would round to 0
    (0.994, 0, "99\u00a0%"),
    (0.006, 0, "1\u00a0%"),
    (1.0, 0, "100\u00a0%"),
    (0.0, 0, "0\u00a0%"),
    (0.9996, 1, ">99,9\u00a0%"),
    (0.0004, 1, "<0,1\u00a0%"),
    (0.25, 0, "25\u00a0%"),
])
def test_a_share_never_rounds_onto_an_end(share, decimals, text) -> None:
    assert fmt_pct(share, "da", decimals) == text


def test_the_english_form_and_the_bare_rule() -> None:
    assert fmt_pct(985 / 987, "en") == ">99%"
    assert bounded_percent(985 / 987) == (">", 99.0)
    assert bounded_percent(1 / 3) == ("", pytest.approx(33.333333))
