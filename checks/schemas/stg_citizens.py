"""Row schema of ``staging.citizens``."""

from __future__ import annotations

from datetime import date

import ibis.expr.datatypes as dt
from pandera.ibis import Column, DataFrameSchema

from checks.schemas.common import PSEUDONYM_PATTERN, in_set_or_null, row_check
from datadialog.config_model import DatadialogConfig

TABLE = "staging.citizens"
SOURCE = "chk_citizens"
GENDERS = ["female", "male", "other"]


def build(config: DatadialogConfig, as_of: date) -> DataFrameSchema:
    return DataFrameSchema(
        {
            "citizen_id": Column(dt.string, nullable=False),
            "gender": Column(dt.string, nullable=True),
            "birth_year": Column(dt.int32, nullable=True),
        },
        checks=[
            row_check(
                "schema",
                "citizen_id is not a pseudonym (P- and 16 hex characters)",
                lambda t: t.citizen_id.re_search(PSEUDONYM_PATTERN),
            ),
            row_check(
                "schema",
                f"gender is not one of {', '.join(GENDERS)}",
                lambda t: in_set_or_null(t.gender, GENDERS),
                show=("gender",),
            ),
            row_check(
                "schema",
                f"birth_year outside 1900..{as_of.year}",
                lambda t: t.birth_year.isnull() | t.birth_year.between(1900, as_of.year),
                show=("birth_year",),
            ),
        ],
        name=TABLE,
    )
