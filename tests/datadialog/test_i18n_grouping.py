"""Whole numbers in texts: five digits and more in groups of three, in the language's
way; a year or a four-digit count as written."""

from __future__ import annotations

from datadialog.i18n import grouped, lookup

TEXTS = {"checked": ("Kontrolleret {n} rækker i {year}", "Checked {n} rows in {year}")}


def test_a_large_count_is_grouped_and_a_year_is_not() -> None:
    assert lookup(TEXTS, "checked", "da", n=27274, year=2026) == (
        "Kontrolleret 27.274 rækker i 2026")
    assert lookup(TEXTS, "checked", "en", n=1042771, year=2026) == (
        "Checked 1,042,771 rows in 2026")
    assert lookup(TEXTS, "checked", "da", n=9999, year=2026) == (
        "Kontrolleret 9999 rækker i 2026")


def test_negative_numbers_flags_and_text_are_left_as_they_are() -> None:
    # a negative number with the minus sign U+2212, grouped or not
    assert grouped(-45904, "da") == "\u221245.904"
    assert grouped(-5, "da") == "\u22125"
    assert lookup(TEXTS, "checked", "da", n=True, year="2026") == (
        "Kontrolleret True rækker i 2026")
    assert lookup(TEXTS, "checked", "da", n="12345", year=2026) == (
        "Kontrolleret 12345 rækker i 2026")
