"""Decks read marts; they never aggregate. Every figure a deck shows comes from a mart
that applies the one suppression macro, so a deck query only selects and filters: no
``group by``, no aggregate function (a ranking window such as ``dense_rank()`` is fine),
and no table outside the marts, but for the quality store (``quality.*``: the checks'
own results, which the leaders' summary lists; no citizen is counted there)."""

from __future__ import annotations

import re

import pytest

from tests.support.paths import REPO
from transforms.build import list_marts
from transforms.national import NATIONAL_MODELS

QUERIES = sorted((REPO / "outputs" / "queries").glob("*.sql"))
AGGREGATES = re.compile(
    r"\b(group\s+by|count|sum|avg|mean|min|max|median|quantile\w*|stddev\w*|var_\w+|"
    r"string_agg|array_agg|list_agg|any_value|arg_max|arg_min|bool_and|bool_or|"
    r"first|last|mode|histogram|approx_\w+)\s*\(|\bgroup\s+by\b",
    re.IGNORECASE,
)
RELATION = re.compile(r"\b(?:from|join)\s+([a-z_][a-z0-9_.]*)", re.IGNORECASE)


def _code(path) -> str:
    """The query without its comments."""
    return "\n".join(line.split("--", 1)[0] for line in path.read_text("utf-8").splitlines())


def test_there_are_queries() -> None:
    assert len(QUERIES) > 20


@pytest.mark.parametrize("path", QUERIES, ids=lambda p: p.stem)
def test_a_deck_query_only_selects_from_marts(path) -> None:
    code = _code(path)
    assert not AGGREGATES.search(code), f"{path.name} aggregates: {AGGREGATES.search(code)[0]}"
    ctes = set(re.findall(r"\b([a-z_][a-z0-9_]*)\s+as\s*\(", code, re.IGNORECASE))
    # the national deck reads the roll-up's marts (they apply the same macro) and its
    # coverage table (organisations and their status; no citizen is counted there)
    marts = set(list_marts()) | set(NATIONAL_MODELS) | {"national_coverage"}
    for name in RELATION.findall(code):
        readable = name in ctes or name in marts or name.startswith("quality.")
        assert readable, f"{path.name} reads {name}, not a mart"


def test_the_guard_catches_an_aggregate(tmp_path) -> None:
    bad = tmp_path / "bad.sql"
    bad.write_text("select team_id, count(*) as n from mart_citizen_courses group by team_id\n")
    assert AGGREGATES.search(_code(bad))
