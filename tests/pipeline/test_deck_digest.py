"""The deck digest's canonical form: the same content gives the same digest on every run,
and any change a deck can show changes it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pytest

from outputs.spec import Cell
from pipeline.deck_digest import RenderContext, canonical, deck_digest

CONTEXT = RenderContext("code-1", None, {"python-pptx": "1.0.2"})


@dataclass
class Row:
    name: str
    value: float | None


def digest(shows: dict, context: RenderContext = CONTEXT) -> str:
    return deck_digest("citizen_pack", "m_2026-11-11.pptx", shows, context)


def test_canonical_form_by_hand() -> None:
    assert canonical({"b": -0.0, "a": [1, 2.5, None, True]}) == {"mapping": [
        ["a", [1, {"float": "2.5"}, None, True]], ["b", {"float": "0"}]]}
    assert canonical(Row("ORS", 1 / 3)) == {"dataclass": "Row", "fields": {
        "name": "ORS", "value": {"float": "0.333333333"}}}
    assert canonical(date(2026, 11, 2)) == {"date": "2026-11-02"}
    assert canonical(datetime(2026, 11, 2, 9, 30)) == {"datetime": "2026-11-02T09:30:00"}
    assert canonical({("2026-Q3", "mean"): 2}) == {
        "mapping": [['["2026-Q3","mean"]', 2]]}  # tuple keys (strategic measures)
    with pytest.raises(TypeError, match="no canonical form for a object"):
        canonical({"x": object()})


def test_same_content_same_digest() -> None:
    a = {"rows": [Row("a", 0.1 + 0.2)], "tags": {"x", "y"}, "k": 5}
    b = {"k": 5, "tags": {"y", "x"}, "rows": [Row("a", 0.3)]}  # key and set order, float noise
    assert digest(a) == digest(b)
    assert digest({"cell": Cell("x", "s", -0.0)}) == digest({"cell": Cell("x", "s", 0.0)})
    assert digest({"v": 0.3}) != digest({"v": "0.3"})  # a number and its text differ


@pytest.mark.parametrize("changed", [
    {"rows": [Row("a", 0.3000001)]},  # the 7th significant digit
    {"rows": [Row("b", 0.3)]},
    {"rows": [Row("a", None)]},
    {"rows": [Row("a", 0.3), Row("a", 0.3)]},
])
def test_any_change_changes_the_digest(changed) -> None:
    assert digest(changed) != digest({"rows": [Row("a", 0.3)]})


def test_row_order_counts_and_so_does_the_render_context() -> None:
    rows = [Row("a", 1.0), Row("b", 2.0)]
    assert digest({"rows": rows}) != digest({"rows": rows[::-1]})  # the deck shows the order
    assert digest({"rows": rows}) != digest({"rows": rows}, RenderContext("code-2", None, {}))
    assert deck_digest("citizen_pack", "a.pptx", {}, CONTEXT) != deck_digest(
        "citizen_pack", "b.pptx", {}, CONTEXT)
