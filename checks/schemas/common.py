"""What the row schemas share: the pseudonym pattern, the earliest plausible year, the
rule docs (:mod:`checks.rule_docs`, re-exported), and :func:`row_check` (a row-level
check named by its rule id)."""

from __future__ import annotations

from collections.abc import Callable

import ibis
from pandera.ibis import Check

from checks.rule_docs import RULE_DOCS

__all__ = ["EARLIEST_YEAR", "PSEUDONYM_PATTERN", "RULE_DOCS", "row_check"]

#: Canonical pseudonym: "P-" and 16 lower-case hex characters (docs/canonical.md).
PSEUDONYM_PATTERN = r"^P-[0-9a-f]{16}$"

#: Earliest plausible date in any staged date column.
EARLIEST_YEAR = 1990


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
