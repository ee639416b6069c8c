"""Great Expectations (1.x) suites over the core staged tables, with Data Docs built
offline into a folder (``datadialog check --gx-docs DIR``).

GX's SQL datasource for DuckDB is not installed, so each table is validated as a pandas
DataFrame holding only the columns its suite needs (``checks/sql/gx/<table>.sql``, which
also derives the date differences the suites check as numbers). A table larger than
``sample_rows`` is sampled systematically (every k-th row by a hash of its key), so the
result is a sample statement for large tables; the SQL rules and row schemas
(``checks.run``) remain the complete check. The suites come from the config
(instrument ids, item ranges, vocabularies) by :func:`build_suites`, so they live next to
what they check instead of as generated files.

Usage statistics are switched off (``GX_ANALYTICS_ENABLED=False``) before GX is
imported; nothing is fetched from the network.
"""

from __future__ import annotations

import logging
import math
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from checks.run import build_as_of
from checks.schemas.common import PSEUDONYM_PATTERN
from checks.schemas.stg_costs import COST_TYPES, QUARTER_PATTERN
from checks.schemas.stg_courses import END_REASONS
from checks.schemas.stg_measurements import RATER_ROLES
from datadialog.config_model import DatadialogConfig

GX_SQL = Path(__file__).resolve().parent / "sql" / "gx"
TABLES: tuple[str, ...] = (
    "citizens",
    "courses",
    "measurements",
    "goal_ratings",
    "calibration_scores",
    "costs",
)
#: Rows fetched per table at most (larger tables are sampled).
DEFAULT_SAMPLE_ROWS = 200_000


@dataclass(frozen=True)
class ExpectationOutcome:
    table: str
    expectation: str
    column: str | None
    success: bool
    unexpected_count: int | None


@dataclass(frozen=True)
class GxResult:
    success: bool
    docs_index: Path | None
    outcomes: list[ExpectationOutcome]
    rows_validated: dict[str, int]
    sampled: dict[str, bool]

    @property
    def failed(self) -> list[ExpectationOutcome]:
        return [o for o in self.outcomes if not o.success]


def build_suites(config: DatadialogConfig, gx: Any) -> dict[str, list[Any]]:
    """The expectations per table (``gx`` is the imported great_expectations module)."""
    e = gx.expectations
    instruments = [i.id for i in config.instruments]
    item_min = min(i.item_min for i in config.instruments)
    item_max = max(i.item_max for i in config.instruments)
    n_items = max(i.n_items for i in config.instruments)
    return {
        "citizens": [
            e.ExpectColumnValuesToNotBeNull(column="citizen_id"),
            e.ExpectColumnValuesToBeUnique(column="citizen_id"),
            e.ExpectColumnValuesToMatchRegex(column="citizen_id", regex=PSEUDONYM_PATTERN),
            e.ExpectColumnValuesToBeInSet(column="gender", value_set=["female", "male", "other"]),
            e.ExpectColumnValuesToBeBetween(column="birth_year", min_value=1900),
        ],
        "courses": [
            e.ExpectColumnValuesToNotBeNull(column="course_id"),
            e.ExpectColumnValuesToBeUnique(column="course_id"),
            e.ExpectColumnValuesToMatchRegex(column="citizen_id", regex=PSEUDONYM_PATTERN),
            e.ExpectColumnValuesToBeInSet(
                column="intervention_id", value_set=[i.id for i in config.interventions]
            ),
            e.ExpectColumnValuesToBeInSet(column="team_id", value_set=[t.id for t in config.teams]),
            e.ExpectColumnValuesToBeInSet(column="end_reason", value_set=END_REASONS),
            e.ExpectColumnValuesToBeBetween(column="course_days", min_value=0),
            e.ExpectColumnValuesToBeBetween(column="start_days_after_as_of", max_value=0),
        ],
        "measurements": [
            e.ExpectColumnValuesToNotBeNull(column="form_id"),
            e.ExpectColumnValuesToNotBeNull(column="course_id"),
            e.ExpectColumnValuesToBeInSet(column="instrument_id", value_set=instruments),
            e.ExpectColumnValuesToBeInSet(column="rater_role", value_set=RATER_ROLES),
            e.ExpectColumnValuesToBeBetween(column="item_no", min_value=1, max_value=n_items),
            e.ExpectColumnValuesToBeBetween(column="value", min_value=item_min, max_value=item_max),
            e.ExpectColumnValuesToBeBetween(column="days_after_as_of", max_value=0),
        ],
        "goal_ratings": [
            e.ExpectColumnValuesToNotBeNull(column="goal_id"),
            e.ExpectColumnValuesToBeBetween(column="score", min_value=-2, max_value=2),
            e.ExpectColumnValuesToBeBetween(column="days_after_as_of", max_value=0),
        ],
        "calibration_scores": [
            e.ExpectColumnValuesToNotBeNull(column="staff_id"),
            e.ExpectColumnValuesToBeInSet(column="instrument_id", value_set=instruments),
            e.ExpectColumnValuesToBeBetween(column="item_no", min_value=1, max_value=n_items),
            e.ExpectColumnValuesToBeBetween(column="value", min_value=item_min, max_value=item_max),
        ],
        "costs": [
            e.ExpectColumnValuesToBeInSet(
                column="intervention_id", value_set=[i.id for i in config.interventions]
            ),
            e.ExpectColumnValuesToMatchRegex(column="quarter", regex=QUARTER_PATTERN),
            e.ExpectColumnValuesToBeInSet(column="cost_type", value_set=COST_TYPES),
            e.ExpectColumnValuesToBeBetween(column="amount_dkk", min_value=0),
        ],
    }


def fetch(
    con: duckdb.DuckDBPyConnection, table: str, as_of: date, sample_rows: int
) -> tuple[Any, bool]:
    """The suite's columns of a staged table as a pandas DataFrame (sampled when larger
    than ``sample_rows``); returns (frame, sampled)."""
    n = con.table(f"staging.{table}").aggregate("count(*)").fetchall()[0][0]
    every = max(1, math.ceil(n / sample_rows)) if sample_rows > 0 else 1
    sql = (GX_SQL / f"{table}.sql").read_text(encoding="utf-8")
    frame = con.execute(sql, [every, as_of]).df()
    return frame, every > 1


def run_gx(
    con: duckdb.DuckDBPyConnection,
    config: DatadialogConfig,
    docs_dir: Path,
    *,
    as_of: date | None = None,
    sample_rows: int = DEFAULT_SAMPLE_ROWS,
) -> GxResult:
    """Validate the core tables with GX and build the Data Docs into ``docs_dir``."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    import great_expectations as gx

    # GX sets this module logger to INFO on import, so every run printed "Created
    # temporary directory ... for ephemeral docs site"; let it follow its parent's level
    logging.getLogger("great_expectations.data_context.types.base").setLevel(logging.NOTSET)

    as_of = as_of or build_as_of(con)
    docs_dir = docs_dir.resolve()
    docs_dir.mkdir(parents=True, exist_ok=True)
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = {"globally": False}
    context.add_data_docs_site(
        site_name="datadialog",
        site_config={
            "class_name": "SiteBuilder",
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            "store_backend": {
                "class_name": "TupleFilesystemStoreBackend",
                "base_directory": str(docs_dir),
            },
        },
    )
    source = context.data_sources.add_pandas("staging")
    suites = build_suites(config, gx)
    outcomes: list[ExpectationOutcome] = []
    rows: dict[str, int] = {}
    sampled: dict[str, bool] = {}
    definitions = []
    frames = {}
    for table in TABLES:
        frame, was_sampled = fetch(con, table, as_of, sample_rows)
        rows[table] = len(frame)
        sampled[table] = was_sampled
        frames[table] = frame
        asset = source.add_dataframe_asset(table)
        batch = asset.add_batch_definition_whole_dataframe(f"{table}_all")
        suite = context.suites.add(gx.ExpectationSuite(name=f"stg_{table}"))
        for expectation in suites[table]:
            suite.add_expectation(expectation)
        definitions.append(
            (
                table,
                context.validation_definitions.add(
                    gx.ValidationDefinition(name=f"validate_{table}", data=batch, suite=suite)
                ),
            )
        )
    success = True
    for table, definition in definitions:
        if frames[table].empty:  # GX cannot judge columns of an empty frame
            continue
        result = definition.run(batch_parameters={"dataframe": frames[table]})
        success = success and bool(result.success)
        for er in result.results:
            cfg = er.expectation_config
            outcomes.append(
                ExpectationOutcome(
                    table=table,
                    expectation=cfg.type,
                    column=cfg.kwargs.get("column"),
                    success=bool(er.success),
                    unexpected_count=er.result.get("unexpected_count"),
                )
            )
    context.build_data_docs(site_names=["datadialog"])
    index = docs_dir / "index.html"
    return GxResult(
        success=success,
        docs_index=index if index.exists() else None,
        outcomes=outcomes,
        rows_validated=rows,
        sampled=sampled,
    )
