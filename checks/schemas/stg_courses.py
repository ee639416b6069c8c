"""Row schema of ``staging.courses``."""

from __future__ import annotations

from datetime import date

import ibis
import ibis.expr.datatypes as dt
from pandera.ibis import Column, DataFrameSchema

from checks.schemas.common import EARLIEST_YEAR, PSEUDONYM_PATTERN, in_set_or_null, row_check
from datadialog.config_model import DatadialogConfig

TABLE = "staging.courses"
SOURCE = "chk_courses"
END_REASONS = ["completed_planned", "dropped_out", "moved", "referred_on"]


def build(config: DatadialogConfig, as_of: date) -> DataFrameSchema:
    interventions = [i.id for i in config.interventions]
    teams = [t.id for t in config.teams]
    variants = {i.id: (i.variants or ["standard"]) for i in config.interventions}

    def variant_known(t: ibis.Table) -> ibis.Column:
        cases = [(t.intervention_id == iid, t.variant.isin(v)) for iid, v in variants.items()]
        return ibis.cases(*cases, else_=True) if cases else ibis.literal(True)

    return DataFrameSchema(
        {
            "course_id": Column(dt.string, nullable=False),
            "citizen_id": Column(dt.string, nullable=False),
            "intervention_id": Column(dt.string, nullable=False),
            "variant": Column(dt.string, nullable=False),
            "team_id": Column(dt.string, nullable=True),
            "start_date": Column(dt.date, nullable=False),
            "end_date": Column(dt.date, nullable=True),
            "end_reason": Column(dt.string, nullable=True),
        },
        checks=[
            row_check(
                "schema",
                "citizen_id is not a pseudonym (P- and 16 hex characters)",
                lambda t: t.citizen_id.re_search(PSEUDONYM_PATTERN),
            ),
            row_check(
                "unknown_reference",
                "intervention_id is not an intervention in the config",
                lambda t: t.intervention_id.isin(interventions),
                show=("intervention_id",),
            ),
            row_check(
                "unknown_reference",
                "variant is not one of the intervention's variants in the config",
                variant_known,
                show=("intervention_id", "variant"),
            ),
            row_check(
                "unknown_reference",
                "team_id is not a team in the config",
                lambda t: in_set_or_null(t.team_id, teams),
                show=("team_id",),
            ),
            row_check(
                "schema",
                f"end_reason is not one of {', '.join(END_REASONS)}",
                lambda t: in_set_or_null(t.end_reason, END_REASONS),
                show=("end_reason",),
            ),
            row_check(
                "schema",
                f"start_date before {EARLIEST_YEAR} or after the as-of date {as_of}",
                lambda t: t.start_date.between(date(EARLIEST_YEAR, 1, 1), as_of),
                show=("start_date",),
            ),
            row_check(
                "schema",
                f"end_date after the as-of date {as_of}",
                lambda t: t.end_date.isnull() | (t.end_date <= as_of),
                show=("end_date",),
            ),
        ],
        name=TABLE,
    )
