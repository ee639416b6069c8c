"""Row schema of ``staging.goals``."""

from __future__ import annotations

from datetime import date

import ibis.expr.datatypes as dt
from pandera.ibis import Column, DataFrameSchema

from checks.schemas.common import EARLIEST_YEAR, row_check
from datadialog.config_model import DatadialogConfig

TABLE = "staging.goals"
SOURCE = "chk_goals"
GOAL_TYPES = ["progression", "maintenance"]


def build(config: DatadialogConfig, as_of: date) -> DataFrameSchema:
    life_areas = [a.id for a in config.life_areas]
    checks = [
        row_check(
            "schema",
            f"goal_type is not one of {', '.join(GOAL_TYPES)}",
            lambda t: t.goal_type.isin(GOAL_TYPES),
            show=("goal_type",),
        ),
        row_check("schema", "weight is not above 0", lambda t: t.weight > 0, show=("weight",)),
        row_check(
            "schema",
            f"set_on before {EARLIEST_YEAR} or after the as-of date {as_of}",
            lambda t: t.set_on.isnull() | t.set_on.between(date(EARLIEST_YEAR, 1, 1), as_of),
            show=("set_on",),
        ),
    ]
    if life_areas:
        checks.append(
            row_check(
                "unknown_reference",
                "life_area is not a life area in the config",
                lambda t: t.life_area.isin(life_areas),
                show=("life_area",),
            )
        )
    return DataFrameSchema(
        {
            "goal_id": Column(dt.string, nullable=False),
            "course_id": Column(dt.string, nullable=False),
            "life_area": Column(dt.string, nullable=False),
            "goal_type": Column(dt.string, nullable=False),
            "set_on": Column(dt.date, nullable=True),
            "weight": Column(dt.float64, nullable=False),
            "description": Column(dt.string, nullable=True),
        },
        checks=checks,
        name=TABLE,
    )
