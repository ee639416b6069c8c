"""Number, date and cell formatting for slides (Danish by default, English on request).

Danish: decimal comma, thousands point, a space before the percent sign ("12,5 %"),
dates as dd.mm.yyyy. English: decimal point, thousands comma, "12.5%", "6 Jan 2026".
A hidden (suppressed) cell is always shown as "<k" and never as its number.
"""

from __future__ import annotations

from datetime import date

# The language's number, percent and date formats are shared with the quality report
# and the site (datadialog.formats); imported here under their usual names.
from datadialog.formats import EN_MONTHS, MINUS
from datadialog.formats import fmt_date as fmt_date
from datadialog.formats import fmt_number as fmt_number
from datadialog.formats import fmt_pct as fmt_pct
from outputs.spec import Cell, ValueFormat


def with_minus(code: str) -> str:
    """A one-section number format code with a second section for negative numbers that
    writes the minus sign "−": "0.0" -> '0.0;"−"0.0'. (A small negative value that
    rounds to 0 shows "−0,0" as it showed "-0,0" with the plain code; :func:`fmt_number`
    writes it without a sign.)"""
    return f'{code};"{MINUS}"{code}'


#: Excel/PowerPoint number format codes for native charts. The code is stored in the
#: invariant (en-US) syntax; PowerPoint and LibreOffice show it in the viewer's locale,
#: so a Danish installation shows "2,5" and "5.087" (whole numbers with a thousands
#: separator, as :func:`fmt_value` writes them). ``outputs.pdf`` sets the locale of its
#: private LibreOffice profile to the deck's language for the same reason. A second
#: section gives a negative number the minus sign "−" (U+2212) the texts print
#: (:data:`datadialog.formats.MINUS`), not the hyphen-minus of the plain code; the
#: number itself, in the chart's cache and embedded workbook, stays a number.
NUMBER_FORMAT_CODES: dict[str, str] = {
    kind: with_minus(code)
    for kind, code in {"int": "#,##0", "dec1": "0.0", "pct": '0" %"'}.items()}


def fmt_value(value: float | None, value_format: ValueFormat, lang: str) -> str:
    """A figure value in its format; ``pct`` values are already in percent (0-100)."""
    if value is None:
        return "–"
    if value_format == "int":
        return fmt_number(value, lang, 0)
    if value_format == "pct":
        return fmt_pct(value / 100, lang)
    return fmt_number(value, lang, 1)


def fmt_cell(cell: Cell, value_format: ValueFormat, lang: str, k: int) -> str:
    """The text for one cell: "<k" when hidden, else its value."""
    if cell.suppressed:
        return hidden(k)
    if cell.label:
        return cell.label
    return fmt_value(cell.value, value_format, lang)


def hidden(k: int) -> str:
    """How a hidden cell reads on a slide."""
    return f"<{k}"


def fmt_count(n: int | None, k: int) -> str:
    """A count a mart may have hidden: "<k" when hidden (None), else the number (0 is
    shown: no one behind a cell reveals nobody)."""
    return hidden(k) if n is None else str(n)


def fmt_n(n: int | None, k: int) -> str:
    """An n for a label: "<k" when below the small-cell limit."""
    if n is None:
        return "–"
    return hidden(k) if n < k else str(n)


def n_label(n: int | None, k: int, hidden_cell: bool = False) -> str:
    """"n = 12", or "n <5" when the group is below the small-cell limit or hidden."""
    if hidden_cell or n is None or n < k:
        return f"n {hidden(k)}"
    return f"n = {n}"


def fmt_date_short(value: date | None, lang: str) -> str:
    """Compact date for axis labels: 06.01.26 / 6 Jan 26."""
    if value is None:
        return ""
    if lang == "da":
        return value.strftime("%d.%m.%y")
    return f"{value.day} {EN_MONTHS[value.month - 1]} {value.strftime('%y')}"


def fmt_level(level: float | None, lang: str) -> str:
    """A goal level -2..+2 with its sign (0 as "0")."""
    if level is None:
        return "–"
    if level == 0:
        return "0"
    return fmt_number(level, lang, 0, sign=True)


def lower_first(name: str) -> str:
    """A generic name as a word in a sentence: its first letter lower-cased ("Inddragelse
    af netværk" -> "inddragelse af netværk"). A first word that is an acronym or holds
    another capital (ORS, SDQ, KiK, YLS/CMI) or a single letter is kept as written."""
    first = name.split(" ", 1)[0]
    if len(first) < 2 or not first[0].isupper() or any(c.isupper() for c in first[1:]):
        return name
    return name[0].lower() + name[1:]


def join_names(names: list[str], lang: str) -> str:
    """"A, B og C" / "A, B and C"."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + f" {'og' if lang == 'da' else 'and'} {names[-1]}"


#: Danish endings after which a compound takes a linking s ("sværhed" + "score" ->
#: "sværhedsscore", "kvalitet" + "niveau" -> "kvalitetsniveau").
_LINKING_S = ("hed", "else", "ing", "ion", "dom", "skab", "tet", "sel")


def compound(name: str, word: str) -> str:
    """An instrument name glued to a Danish word as one word: an abbreviation (or a name
    with another capital) with a hyphen ("ORS-score", "YLS/CMI-grænsen", "KiK-målinger"),
    a plain Danish word closed up, lower-cased and with a linking s where Danish puts one
    ("Misbrugssværhed" + "score" -> "misbrugssværhedsscore", never "Misbrugssværhed-score").
    A name of several words keeps a hyphen ("trivsel i skolen-score")."""
    if lower_first(name) == name or " " in name:
        return f"{lower_first(name)}-{word}"
    stem = lower_first(name)
    link = "s" if stem.endswith(_LINKING_S) and not stem.endswith("s") else ""
    return f"{stem}{link}{word}"


def instrument_words(name: str, lang: str) -> dict[str, str]:
    """The forms of an instrument's short name a sentence needs, the same placeholders in
    both languages: ``instrument_lc`` mid-sentence ("samme niveau af misbrugssværhed",
    "samme niveau af ORS"), ``instrument_score``, ``instrument_measurements`` and
    ``instrument_limit`` (Danish compounds: "misbrugssværhedsscore", "ORS-målinger",
    "ORS-grænsen"; English: "ORS score", "ORS scores", "the ORS cut-off")."""
    if lang == "da":
        return {"instrument_lc": lower_first(name),
                "instrument_score": compound(name, "score"),
                "instrument_measurements": compound(name, "målinger"),
                "instrument_limit": compound(name, "grænsen")}
    return {"instrument_lc": name, "instrument_score": f"{name} score",
            "instrument_measurements": f"{name} scores",
            "instrument_limit": f"the {name} cut-off"}
