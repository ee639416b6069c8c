"""Row schema of ``staging.measurements``: one row per item answer.

Ranges come from the instrument config: ``item_no`` in 1..n_items and ``value`` in
item_min..item_max of the row's instrument (a missing answer is NULL and passes).
Dates against the course (before start, after end, in the future) need the course
and the as-of date: they are SQL rules (``checks/sql/measurement_*.sql``).
"""

from __future__ import annotations

from datetime import date

import ibis
import ibis.expr.datatypes as dt
from pandera.ibis import Column, DataFrameSchema

from checks.schemas.common import EARLIEST_YEAR, in_set_or_null, row_check
from datadialog.config_model import DatadialogConfig

TABLE = "staging.measurements"
SOURCE = "chk_measurements"
RATER_ROLES = ["citizen", "staff", "parent", "teacher"]


def item_known(config: DatadialogConfig, t: ibis.Table) -> ibis.Column:
    """item_no lies in 1..n_items of the row's instrument (unknown instruments pass)."""
    cases = [(t.instrument_id == i.id, t.item_no <= i.n_items) for i in config.instruments]
    return ibis.cases(*cases, else_=True) if cases else ibis.literal(True)


def value_in_range(config: DatadialogConfig, t: ibis.Table) -> ibis.Column:
    """value lies in item_min..item_max of the row's instrument; NULL (missing) passes."""
    cases = [
        (t.instrument_id == i.id, t.value.between(i.item_min, i.item_max))
        for i in config.instruments
    ]
    in_range = ibis.cases(*cases, else_=True) if cases else ibis.literal(True)
    return t.value.isnull() | in_range


def build(config: DatadialogConfig, as_of: date) -> DataFrameSchema:
    instruments = [i.id for i in config.instruments]
    return DataFrameSchema(
        {
            "form_id": Column(dt.string, nullable=False),
            "course_id": Column(dt.string, nullable=False),
            "instrument_id": Column(dt.string, nullable=False),
            "measured_on": Column(dt.date, nullable=False),
            "staff_id": Column(dt.string, nullable=True),
            "rater_role": Column(dt.string, nullable=True),
            "item_no": Column(dt.int32, nullable=False),
            "value": Column(dt.float64, nullable=True),
            "note": Column(dt.string, nullable=True),
        },
        checks=[
            row_check(
                "unknown_reference",
                "instrument_id is not an instrument in the config",
                lambda t: t.instrument_id.isin(instruments),
                show=("instrument_id",),
            ),
            row_check(
                "schema",
                f"rater_role is not one of {', '.join(RATER_ROLES)}",
                lambda t: in_set_or_null(t.rater_role, RATER_ROLES),
                show=("rater_role",),
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
                f"measured_on before {EARLIEST_YEAR}",
                lambda t: t.measured_on >= date(EARLIEST_YEAR, 1, 1),
                show=("measured_on",),
            ),
        ],
        name=TABLE,
    )
