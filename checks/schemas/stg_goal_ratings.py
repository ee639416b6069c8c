"""Row schema of ``staging.goal_ratings``: GAS levels -2..+2."""

from __future__ import annotations

from datetime import date

import ibis.expr.datatypes as dt
from pandera.ibis import Column, DataFrameSchema

from checks.schemas.common import EARLIEST_YEAR, row_check
from datadialog.config_model import DatadialogConfig

TABLE = "staging.goal_ratings"
SOURCE = "chk_goal_ratings"
#: Goal attainment levels (Kiresuk & Sherman): -2 .. +2.
SCORE_MIN, SCORE_MAX = -2, 2


def build(config: DatadialogConfig, as_of: date) -> DataFrameSchema:
    return DataFrameSchema(
        {
            "goal_id": Column(dt.string, nullable=False),
            "rated_on": Column(dt.date, nullable=False),
            "score": Column(dt.int32, nullable=False),
            "staff_id": Column(dt.string, nullable=True),
        },
        checks=[
            row_check(
                "out_of_range",
                f"score outside {SCORE_MIN}..{SCORE_MAX}",
                lambda t: t.score.between(SCORE_MIN, SCORE_MAX),
                show=("goal_id", "score"),
            ),
            row_check(
                "schema",
                f"rated_on before {EARLIEST_YEAR} or after the as-of date {as_of}",
                lambda t: t.rated_on.between(date(EARLIEST_YEAR, 1, 1), as_of),
                show=("rated_on",),
            ),
        ],
        name=TABLE,
    )
