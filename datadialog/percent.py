"""A share as the percentage a reader sees, never rounded onto 0 % or 100 %.

A team that measured 985 of 987 planned measurements is not at "100 %", least of all
beside "2 missing measurements"; a rule that found 3 faults in 27 274 rows did not find
"0 %". A share strictly between 0 and 1 whose rounding would reach either end is shown as
"<1 %" or ">99 %" (at one decimal: "<0.1 %", ">99.9 %"). Formatting (decimal comma,
spacing) stays with the caller: ``outputs.fmt.fmt_pct``, the quality report, the site.
"""

from __future__ import annotations


def bounded_percent(share: float, decimals: int = 0) -> tuple[str, float]:
    """(prefix, percent) for a share 0-1: the prefix is "<" or ">" when rounding to
    ``decimals`` would show 0 or 100 for a share that is neither, else ""."""
    percent = share * 100
    step = 10.0 ** -decimals
    if 0 < share and round(percent, decimals) <= 0:
        return "<", step
    if share < 1 and round(percent, decimals) >= 100:
        return ">", 100 - step
    return "", percent
