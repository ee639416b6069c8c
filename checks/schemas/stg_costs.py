"""Row schema of ``staging.costs``."""

from __future__ import annotations

from datetime import date

import ibis.expr.datatypes as dt
from pandera.ibis import Column, DataFrameSchema

from checks.schemas.common import row_check
from datadialog.config_model import DatadialogConfig

TABLE = "staging.costs"
SOURCE = "chk_costs"
COST_TYPES = ["staff", "fixed", "per_course"]
QUARTER_PATTERN = r"^(19|20)[0-9]{2}-Q[1-4]$"


def build(config: DatadialogConfig, as_of: date) -> DataFrameSchema:
    interventions = [i.id for i in config.interventions]
    return DataFrameSchema(
        {
            "intervention_id": Column(dt.string, nullable=False),
            "quarter": Column(dt.string, nullable=False),
            "cost_type": Column(dt.string, nullable=False),
            "amount_dkk": Column(dt.float64, nullable=False),
            "hours": Column(dt.float64, nullable=True),
        },
        checks=[
            row_check(
                "unknown_reference",
                "intervention_id is not an intervention in the config",
                lambda t: t.intervention_id.isin(interventions),
                show=("intervention_id",),
            ),
            row_check(
                "schema",
                "quarter is not written YYYY-Qn",
                lambda t: t.quarter.re_search(QUARTER_PATTERN),
                show=("quarter",),
            ),
            row_check(
                "schema",
                f"cost_type is not one of {', '.join(COST_TYPES)}",
                lambda t: t.cost_type.isin(COST_TYPES),
                show=("cost_type",),
            ),
            row_check(
                "schema",
                "amount_dkk is negative",
                lambda t: t.amount_dkk >= 0,
                show=("amount_dkk",),
            ),
            row_check(
                "schema",
                "hours is negative",
                lambda t: t.hours.isnull() | (t.hours >= 0),
                show=("hours",),
            ),
        ],
        name=TABLE,
    )
