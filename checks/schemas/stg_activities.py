"""Row schema of ``staging.activities``."""

from __future__ import annotations

from datetime import date

import ibis.expr.datatypes as dt
from pandera.ibis import Column, DataFrameSchema

from checks.schemas.common import EARLIEST_YEAR, row_check
from datadialog.config_model import DatadialogConfig

TABLE = "staging.activities"
SOURCE = "chk_activities"
#: Longest plausible single activity (minutes): a full day.
MAX_MINUTES = 24 * 60


def build(config: DatadialogConfig, as_of: date) -> DataFrameSchema:
    return DataFrameSchema(
        {
            "course_id": Column(dt.string, nullable=False),
            "activity_date": Column(dt.date, nullable=False),
            "activity_type": Column(dt.string, nullable=False),
            "minutes": Column(dt.float64, nullable=True),
            "staff_id": Column(dt.string, nullable=True),
        },
        checks=[
            row_check(
                "schema",
                f"minutes outside 0..{MAX_MINUTES}",
                lambda t: t.minutes.isnull() | t.minutes.between(0, MAX_MINUTES),
                show=("minutes",),
            ),
            row_check(
                "schema",
                f"activity_date before {EARLIEST_YEAR} or after the as-of date {as_of}",
                lambda t: t.activity_date.between(date(EARLIEST_YEAR, 1, 1), as_of),
                show=("activity_date",),
            ),
        ],
        name=TABLE,
    )
