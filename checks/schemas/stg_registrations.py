"""Row schema of ``staging.registrations``."""

from __future__ import annotations

from datetime import date

import ibis.expr.datatypes as dt
from pandera.ibis import Column, DataFrameSchema

from checks.schemas.common import EARLIEST_YEAR, in_set_or_null, row_check
from datadialog.config_model import DatadialogConfig

TABLE = "staging.registrations"
SOURCE = "chk_registrations"
STAGES = ["start", "during", "end"]


def build(config: DatadialogConfig, as_of: date) -> DataFrameSchema:
    return DataFrameSchema(
        {
            "course_id": Column(dt.string, nullable=False),
            "registered_on": Column(dt.date, nullable=True),
            "stage": Column(dt.string, nullable=True),
            "field": Column(dt.string, nullable=False),
            "value": Column(dt.string, nullable=True),
        },
        checks=[
            row_check(
                "schema",
                f"stage is not one of {', '.join(STAGES)}",
                lambda t: in_set_or_null(t.stage, STAGES),
                show=("stage",),
            ),
            row_check(
                "schema",
                f"registered_on before {EARLIEST_YEAR} or after the as-of date {as_of}",
                lambda t: (
                    t.registered_on.isnull()
                    | t.registered_on.between(date(EARLIEST_YEAR, 1, 1), as_of)
                ),
                show=("registered_on",),
            ),
        ],
        name=TABLE,
    )
