"""What the row schemas share: the pseudonym pattern, the earliest plausible year, the
rule docs, and :func:`row_check` (a row-level check named by its rule id)."""

from __future__ import annotations

from collections.abc import Callable

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

    def passes(table: ibis.Table) -> ibis.Column:
        return fn(table).fill_null(False)

    def check(data) -> ibis.Column:
        return passes(data.table)

    row = Check(check, name=rule_id, error=reason, statistics={"show": list(show)})
    # the same test on a table, for checks.run.failing_rows: every row check of a table
    # evaluated in one query
    row.passes = passes
    return row


def in_set_or_null(column: ibis.Column, values: list[str]) -> ibis.Column:
    return column.isnull() | column.isin(values)
