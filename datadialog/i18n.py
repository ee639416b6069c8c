"""Look-up of user-facing texts kept as (Danish, English) pairs.

The text tables themselves live next to what uses them (``outputs/texts.py``,
``outputs/strategic_texts.py``, ``checks/texts.py``); this module only picks the language.
Danish (``da``) is the default; any other language gets the English text.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

T = TypeVar("T")


def pick(pair: tuple[T, T], lang: str) -> T:
    """The Danish (``da``) or English member of a pair."""
    return pair[0] if lang == "da" else pair[1]


def lookup(table: Mapping[str, tuple[str, str]], key: str, lang: str, **values: object) -> str:
    """The text ``key`` of ``table`` in ``lang``, with ``{placeholders}`` filled in when
    values are given (a text looked up without values is returned as written)."""
    text = pick(table[key], lang)
    return text.format(**values) if values else text


def lookup_list(table: Mapping[str, tuple[list[str], list[str]]], key: str, lang: str) -> list[str]:
    """A copy of the list of texts ``key`` of ``table`` in ``lang``."""
    return list(pick(table[key], lang))
