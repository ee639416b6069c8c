"""Row schema of ``staging.calibration_scores``: workshop scores of shared cases."""

from __future__ import annotations

from datetime import date

import ibis.expr.datatypes as dt
from pandera.ibis import Column, DataFrameSchema

from checks.schemas.common import EARLIEST_YEAR, row_check
from checks.schemas.stg_measurements import item_known, value_in_range
from datadialog.config_model import DatadialogConfig

TABLE = "staging.calibration_scores"
SOURCE = "chk_calibration"


def build(config: DatadialogConfig, as_of: date) -> DataFrameSchema:
    instruments = [i.id for i in config.instruments]
    return DataFrameSchema(
        {
            "workshop_id": Column(dt.string, nullable=False),
            "workshop_date": Column(dt.date, nullable=False),
            "staff_id": Column(dt.string, nullable=False),
            "instrument_id": Column(dt.string, nullable=False),
            "case_ref": Column(dt.string, nullable=True),
            "item_no": Column(dt.int32, nullable=False),
            "value": Column(dt.float64, nullable=True),
        },
        checks=[
            row_check(
                "unknown_reference",
                "instrument_id is not an instrument in the config",
                lambda t: t.instrument_id.isin(instruments),
                show=("instrument_id",),
            ),
            row_check("schema", "item_no below 1", lambda t: t.item_no >= 1, show=("item_no",)),
            row_check(
                "item_not_in_instrument",
                "item_no beyond the instrument's number of items (n_items)",
                lambda t: item_known(config, t),
                show=("instrument_id", "item_no"),
            ),
            row_check(
                "out_of_range",
                "value outside the instrument's item_min..item_max",
                lambda t: value_in_range(config, t),
                show=("instrument_id", "item_no", "value"),
            ),
            row_check(
                "schema",
                f"workshop_date before {EARLIEST_YEAR} or after the as-of date {as_of}",
                lambda t: t.workshop_date.between(date(EARLIEST_YEAR, 1, 1), as_of),
                show=("workshop_date",),
            ),
        ],
        name=TABLE,
    )
