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

The package itself is light: :func:`modules` imports the schema modules when a check
run asks for them, since they import Pandera and Ibis (about 1 s), which reading a
run's results (a meeting's gates, the site, the rule docs) does not need.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from checks.rule_docs import RULE_DOCS

__all__ = ["MODULE_NAMES", "RULE_DOCS", "modules"]

#: The schema modules, one per staged table, in the order a run validates them.
MODULE_NAMES = (
    "stg_citizens",
    "stg_courses",
    "stg_registrations",
    "stg_measurements",
    "stg_goals",
    "stg_goal_ratings",
    "stg_activities",
    "stg_costs",
    "stg_calibration_scores",
)


def modules() -> list[ModuleType]:
    """The schema modules, one per staged table (imported on the first call)."""
    return [importlib.import_module(f"{__name__}.{name}") for name in MODULE_NAMES]
