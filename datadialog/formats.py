"""Numbers, percentages and dates in the organisation's language, for every text a
reader sees: decks and their figures (``outputs.fmt``), the data steward's site and the
quality report (``checks.report``).

Danish: decimal comma, thousands point, a space before the percent sign ("12,5 %"),
dates as dd.mm.yyyy. English: decimal point, thousands comma, "12.5%", "6 Jan 2026".
A negative number has the minus sign "−" (U+2212) in both languages.

A share is never rounded onto 0 % or 100 %: a team that measured 985 of 987 planned
measurements is not at "100 %", least of all beside "2 missing measurements", and a
rule that found 3 faults in 27 274 rows did not find "0 %". A share strictly between 0
and 1 whose rounding would reach either end is shown as "<1 %" or ">99 %" (at one
decimal: "<0,1 %", ">99,9 %"; :func:`bounded_percent`).
"""

from __future__ import annotations

import math
from datetime import date

EN_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


#: The minus sign a reader sees (U+2212, "−7,0"), not the hyphen-minus: it is as wide as
#: the plus sign and is not taken for a hyphen or a dash. Files for machines (the CSV
#: exports, XLSX cells) hold numbers as numbers and never go through :func:`fmt_number`.
MINUS = "\u2212"


def fmt_number(value: float | None, lang: str, decimals: int = 1, sign: bool = False) -> str:
    """``value`` rounded to ``decimals`` with the language's separators ("–" for None),
    a negative value with the minus sign :data:`MINUS` ("−7,0"), with ``sign`` a positive
    one with "+" and one that rounds to 0 with "±"."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{abs(value):,.{decimals}f}"
    if lang == "da":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    rounded_zero = round(abs(value), decimals) == 0
    if value < 0 and not rounded_zero:
        text = MINUS + text
    elif sign and not rounded_zero:
        text = "+" + text
    elif sign:
        text = "±" + text
    return text


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


def fmt_pct(share: float | None, lang: str, decimals: int = 0) -> str:
    """A share 0-1 as a percentage ("25 %" in Danish, "25%" in English)."""
    if share is None:
        return "–"
    prefix, percent = bounded_percent(share, decimals)  # never 0 % or 100 % by rounding
    number = prefix + fmt_number(percent, lang, decimals)
    return f"{number}\u00a0%" if lang == "da" else f"{number}%"


def fmt_date(value: date | None, lang: str) -> str:
    """A date as the decks write it: 31.10.2026 / 31 Oct 2026 ("–" for None)."""
    if value is None:
        return "–"
    if lang == "da":
        return value.strftime("%d.%m.%Y")
    return f"{value.day} {EN_MONTHS[value.month - 1]} {value.year}"
