"""Look-up of user-facing texts kept as (Danish, English) pairs.

The text tables themselves live next to what uses them (``outputs/texts.py``,
``outputs/strategic_texts.py``, ``checks/texts.py``); this module only picks the language.
Danish (``da``) is the default; any other language gets the English text.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from datadialog.formats import MINUS, fmt_number

T = TypeVar("T")


def pick(pair: tuple[T, T], lang: str) -> T:
    """The Danish (``da``) or English member of a pair."""
    return pair[0] if lang == "da" else pair[1]


#: A whole number from this size on is written in groups of three (27.274; 27,274 in
#: English); four digits are not (a year, 1187 citizens), as Danish house styles allow.
GROUPED_FROM = 10_000


def grouped(n: int, lang: str) -> str:
    """``n`` with the language's thousands separator (from :data:`GROUPED_FROM` on), a
    negative number with the minus sign "−" whether grouped or not."""
    text = str(abs(n)) if abs(n) < GROUPED_FROM else fmt_number(abs(n), lang, 0)
    return MINUS + text if n < 0 else text


def lookup(table: Mapping[str, tuple[str, str]], key: str, lang: str, **values: object) -> str:
    """The text ``key`` of ``table`` in ``lang``, with ``{placeholders}`` filled in when
    values are given (a text looked up without values is returned as written); a whole
    number is written with the language's thousands separator (:func:`grouped`)."""
    text = pick(table[key], lang)
    if not values:
        return text
    shown = {k: grouped(v, lang) if type(v) is int else v for k, v in values.items()}
    return text.format(**shown)


def lookup_list(table: Mapping[str, tuple[list[str], list[str]]], key: str, lang: str) -> list[str]:
    """A copy of the list of texts ``key`` of ``table`` in ``lang``."""
    return list(pick(table[key], lang))
