"""Row schemas (Pandera, Ibis backend) for the staged tables, one module per model.

Each module is named after the model it guards (``stg_measurements`` guards
``staging.measurements``) and exposes:

- ``TABLE``: the staged table;
- ``SOURCE``: the run's scoped view of it (``checks/sql/base``), which is what is
  validated, inside DuckDB through Ibis, so no table is pulled into pandas;
- ``build(config, as_of) -> DataFrameSchema``: the schema, with ranges and
  vocabularies taken from the config.

Column types and nullability are column checks. Every value rule is a row check
(:func:`row_check`) whose name is a rule id (``schema``, ``out_of_range``,
``unknown_reference`` ...), so its failure cases are whole rows: the runner turns them
into labelled failures with their keys and lineage (``checks.run``).
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

import ibis
from pandera.ibis import Check

#: Canonical pseudonym: "P-" and 16 lower-case hex characters (docs/canonical.md).
PSEUDONYM_PATTERN = r"^P-[0-9a-f]{16}$"

#: Earliest plausible date in any staged date column.
EARLIEST_YEAR = 1990


#: What each rule id of the schemas checks and what to do about a failure (English, for
#: the data steward; the SQL rules carry theirs in their file headers).
RULE_DOCS: dict[str, tuple[str, str]] = {
    "schema": (
        "A staged value breaks its table's schema: wrong type, missing required value, a "
        "value outside its vocabulary or plausible range.",
        "Correct the value in the source system (or the mapping in config/sources.yaml) and "
        "load again.",
    ),
    "out_of_range": (
        "An item answer lies outside the instrument's item_min..item_max (a GAS level "
        "outside -2..+2). Scoring treats it as missing.",
        "Correct the answer in the source system; check that the export maps the right instrument.",
    ),
    "item_not_in_instrument": (
        "An item number lies outside 1..n_items of the instrument.",
        "Check the instrument's n_items in config/instruments.yaml and the export's item "
        "numbering.",
    ),
    "unknown_reference": (
        "An id (instrument, intervention, variant, team, life area) is not in the config.",
        "Add the id to the config, or map the export's code to a known id in "
        "config/sources.yaml (value_codes).",
    ),
}


def row_check(
    rule_id: str,
    reason: str,
    fn: Callable[[ibis.Table], ibis.Column],
    show: tuple[str, ...] = (),
) -> Check:
    """A row-level check named ``rule_id``; ``fn`` maps the table to a boolean column
    (True = the row passes). A NULL result counts as a failure, so write null-safe rules.
    ``show`` names the columns whose values the failure's reason quotes (never free
    text or ids that could hold a CPR number)."""

    def check(data) -> ibis.Column:
        return fn(data.table).fill_null(False)

    return Check(check, name=rule_id, error=reason, statistics={"show": list(show)})


def in_set_or_null(column: ibis.Column, values: list[str]) -> ibis.Column:
    return column.isnull() | column.isin(values)


def modules() -> list[ModuleType]:
    """The schema modules, one per staged table."""
    from checks.schemas import (
        stg_activities,
        stg_calibration_scores,
        stg_citizens,
        stg_costs,
        stg_courses,
        stg_goal_ratings,
        stg_goals,
        stg_measurements,
        stg_registrations,
    )

    return [
        stg_citizens,
        stg_courses,
        stg_registrations,
        stg_measurements,
        stg_goals,
        stg_goal_ratings,
        stg_activities,
        stg_costs,
        stg_calibration_scores,
    ]
