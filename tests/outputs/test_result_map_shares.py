"""A result-map share whose result count is below k is hidden (the demo's leaders' map
printed "SDQ, andel forbi grænsen: 10 %, n = 20": 2 children). The shares are read by the
real query from hand-made rows of mart_reliable_change_by_quarter."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import duckdb
import pytest

from datadialog.config_load import load_config
from outputs.gather import _node_value
from outputs.intervention_pack import map_from_config, result_map_spec

COLUMNS = ("intervention_id", "instrument_id", "period", "is_suppressed", "n_citizens",
           "n_courses", "n_improved", "n_recovered", "share_improved", "share_recovered")


@pytest.fixture(scope="module")
def config():
    return load_config()


def _con(rows: list[tuple]) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("""create table mart_reliable_change_by_quarter (
        intervention_id varchar, instrument_id varchar, period varchar, is_suppressed boolean,
        n_citizens integer, n_courses integer, n_improved integer, n_recovered integer,
        share_improved double, share_recovered double)""")
    con.executemany(f"insert into mart_reliable_change_by_quarter values "
                    f"({', '.join('?' * len(COLUMNS))})", rows)
    return con


def _box(config, rows: list[tuple], lang: str = "da"):
    """The Børnegrupper map's box "Trivsel i skole og fritid" (SDQ, share recovered) for
    the third quarter of 2026."""
    intervention = config.intervention("boernegrupper")
    node = next(n for n in intervention.result_map.nodes if n.id == "r_trivsel")
    con = _con(rows)
    value = _node_value(con, config, "boernegrupper", node.indicator, date(2026, 9, 30), None)
    nodes, links = map_from_config(intervention, config)
    data = SimpleNamespace(map_nodes=nodes, map_links=links, node_values={"r_trivsel": value})
    spec = result_map_spec(data, lang, config.privacy.small_cell_k)  # type: ignore[arg-type]
    return value, next(n for n in spec.nodes if n.id == "r_trivsel")


def q(period: str, n: int, improved: int, recovered: int) -> tuple:
    return ("boernegrupper", "sdq_p", period, False, n, n, improved, recovered,
            improved / n, recovered / n)


def test_a_share_of_two_children_is_hidden(config) -> None:
    # the demo's quarter: 2 of 20 past the cut-off; the quarter before, 0 of 17
    value, box = _box(config, [q("2026-Q2", 17, 0, 0), q("2026-Q3", 20, 2, 2)])
    assert value.suppressed and value.value is None and value.n is None
    assert box.value_text == "skjult (færre end 5 nåede det)"
    assert box.n is None and box.trend is None and box.status == "no_data"
    _, english = _box(config, [q("2026-Q3", 20, 2, 2)], "en")
    assert english.value_text == "hidden (fewer than 5 reached it)"


def test_a_share_of_five_or_of_none_is_shown(config) -> None:
    # 5 of 20 = 25 %, n = 20, off track (below the 30 % of "watch"); the quarter before,
    # 0 of 17, is shown (no one past the cut-off reveals nobody) and compared: 0 of 17
    # (Wilson 0-18 %) and 5 of 20 (11-47 %) overlap, so "as last time"
    value, box = _box(config, [q("2026-Q2", 17, 0, 0), q("2026-Q3", 20, 6, 5)])
    assert value.value == pytest.approx(0.25) and value.n == 20
    assert (box.value_text, box.n, box.trend, box.status) == ("25\u00a0%", 20, "flat",
                                                              "off_track")
    _, zero = _box(config, [q("2026-Q3", 20, 0, 0)])
    assert (zero.value_text, zero.n, zero.status) == ("0\u00a0%", 20, "off_track")


def test_no_trend_against_a_hidden_quarter(config) -> None:
    # 3 of 16 last quarter is hidden, so this quarter's 10 of 20 is not compared with it
    _, box = _box(config, [q("2026-Q2", 16, 3, 3), q("2026-Q3", 20, 10, 10)])
    assert (box.value_text, box.n, box.trend, box.status) == ("50\u00a0%", 20, None,
                                                              "on_track")


def _misbrug_box(config, start: float, end: float, lang: str = "da"):
    """voksenstoette's box "Mindre misbrug" (ASI-like, mean change, lower is better) from
    hand-made rows of mart_progression_by_point: the cohort at start and at follow-up."""
    con = duckdb.connect()
    con.execute("""create table mart_progression_by_point as select * from (values
        ('cohort', 'start', 1, 1, false, 75, 75, ?::double, 0.0::double, 'voksenstoette',
         'asi', 'total'),
        ('cohort', 'fu3', 3, 1, false, 75, 75, ?::double, ?::double, 'voksenstoette',
         'asi', 'total'))
        t(series, point_id, point_order, occurrence_no, is_suppressed, n_citizens, n_courses,
          mean_score, change_since_start, intervention_id, instrument_id, scale_id)""",
                [start, end, end - start])
    intervention = config.intervention("voksenstoette")
    node = next(n for n in intervention.result_map.nodes if n.id == "r_misbrug")
    value = _node_value(con, config, "voksenstoette", node.indicator, date(2026, 9, 30), None)
    nodes, links = map_from_config(intervention, config)
    data = SimpleNamespace(map_nodes=nodes, map_links=links, node_values={"r_misbrug": value})
    spec = result_map_spec(data, lang, config.privacy.small_cell_k)  # type: ignore[arg-type]
    return next(n for n in spec.nodes if n.id == "r_misbrug")


def test_a_mean_change_is_that_of_the_means_as_printed(config) -> None:
    """The progression title says "fra 2,3 til 1,8" (2,34 and 1,76 rounded): the box
    says "faldt 0,5 point", the difference of the printed means, not 0,6 (0,58 rounded)."""
    box = _misbrug_box(config, 2.34, 1.76)
    assert box.value_text == "faldt 0,5 point (bedre)"
    # an exact change stays as it is
    assert _misbrug_box(config, 2.3, 1.7).value_text == "faldt 0,6 point (bedre)"
