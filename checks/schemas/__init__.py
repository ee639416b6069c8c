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

from types import ModuleType

from checks.rule_docs import RULE_DOCS
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

__all__ = ["RULE_DOCS", "modules"]


def modules() -> list[ModuleType]:
    """The schema modules, one per staged table."""
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
