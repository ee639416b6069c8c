"""Any instrument defined in config alone is scored: CORE-OM added to a copy of the config.

CORE-OM (34 items 0-4, clinical score = mean item x 10, cut-off 10, reliable change
5 points, higher is worse) is not in the built-in config and no code knows about it.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest
import yaml

from datadialog.config_load import DEFAULT_CONFIG_DIR, load_config
from tests.support.staging import StagingWriter
from transforms.build import build

CORE_OM = {
    "id": "core_om",
    "name": "CORE-OM",
    "kind": "validated",
    "rater": "citizen",
    "n_items": 34,
    "item_min": 0,
    "item_max": 4,
    "scoring": "mean_x10",
    "direction": "higher_is_worse",
    "max_missing_items": 3,
    "norm_groups": {"adult": {"cutoff": 10}},
    "reliable_change_points": 5,
}


@pytest.fixture(scope="module")
def config_with_core_om(tmp_path_factory: pytest.TempPathFactory):
    folder: Path = tmp_path_factory.mktemp("config")
    for path in DEFAULT_CONFIG_DIR.glob("*.yaml"):
        shutil.copy(path, folder / path.name)
    instruments = yaml.safe_load((folder / "instruments.yaml").read_text(encoding="utf-8"))
    instruments["instruments"].append(CORE_OM)
    (folder / "instruments.yaml").write_text(yaml.safe_dump(instruments), encoding="utf-8")
    plan = yaml.safe_load((folder / "measurement_plan.yaml").read_text(encoding="utf-8"))
    adults = next(p for p in plan["measurement_plan"] if p["intervention"] == "voksenstoette")
    adults["points"] += [
        {"point": "start", "instrument": "core_om", "anchor": "start", "offset_days": 0},
        {"point": "end", "instrument": "core_om", "anchor": "end", "offset_days": 0},
    ]
    (folder / "measurement_plan.yaml").write_text(yaml.safe_dump(plan), encoding="utf-8")
    return load_config(folder)


@pytest.fixture(scope="module")
def con(config_with_core_om):
    con = duckdb.connect()
    w = StagingWriter(con)
    w.course("c1", "p1", "voksenstoette", "2024-01-01", "2024-06-30", "completed_planned")
    w.form("start", "c1", "core_om", "2024-01-02", [1] * 34)  # mean 1.0
    # 4 missing: more than the 3 allowed
    w.form("too_many", "c1", "core_om", "2024-03-01", [None] * 4 + [1] * 30)
    # 3 missing, the other 31 answers sum to 12.4 -> mean 0.4
    w.form("end", "c1", "core_om", "2024-06-28", [None] * 3 + [0.4] * 31)
    w.flush()
    build(con, config_with_core_om, as_of=date(2024, 12, 31))
    yield con
    con.close()


def test_core_om_is_not_built_in() -> None:
    assert "core_om" not in {i.id for i in load_config().instruments}


def test_core_om_scored_from_config_alone(con) -> None:
    rows = con.sql(
        "select form_id, score, no_score_reason, is_clinical, point_id, "
        "change_since_start, improvement_since_start, rci_class "
        "from mart_citizen_progression where instrument_id = 'core_om' order by measured_on"
    ).fetchall()
    start, too_many, end = rows
    # 34 answers of 1: mean 1.0 x 10 = 10, at the cut-off 10 -> clinical side
    assert start[:5] == ("start", pytest.approx(10.0), None, True, "start")
    assert too_many[1:3] == (None, "too_many_missing")
    # mean 0.4 x 10 = 4: down 6 points (>= 5, reliable), now below the cut-off
    assert end[0] == "end" and end[1] == pytest.approx(4.0)
    assert end[3:] == (False, "end", pytest.approx(-6.0), pytest.approx(6.0), "recovered")


def test_core_om_reaches_the_aggregated_marts(con) -> None:
    rows = con.sql(
        "select point_id, is_suppressed from mart_progression_by_point "
        "where instrument_id = 'core_om' and series = 'all' order by point_order"
    ).fetchall()
    assert rows == [("start", True), ("end", True)]  # one citizen: hidden, but present
