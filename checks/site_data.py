"""What the data steward's site reads of the quality tables and the loads, as plain rows.

The queries are in ``checks/sql/site``: completeness and timeliness per team and
intervention (:func:`scope_rates`, also the numbers of the deck's quality badge via
:func:`scope_badge_rates`), findings per scope, every failing row numbered per rule,
the quarantined records and the loads with their checksums. The site itself is drawn by
:mod:`outputs.site`; :mod:`pipeline.site` puts the two together.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

SITE_SQL = Path(__file__).resolve().parent / "sql" / "site"


def _rows(con: duckdb.DuckDBPyConnection, name: str, *params: Any) -> list[dict[str, Any]]:
    rel = con.execute((SITE_SQL / f"{name}.sql").read_text(encoding="utf-8"), list(params))
    columns = [d[0] for d in rel.description]
    return [dict(zip(columns, row, strict=True)) for row in rel.fetchall()]


@dataclass(frozen=True)
class Rates:
    """Completeness and timeliness of one scope in one run (None: no planned points)."""

    completeness: float | None
    completeness_target: float | None
    timeliness: float | None
    timeliness_target: float | None


def scope_rates(con: duckdb.DuckDBPyConnection, run_id: str) -> dict[tuple[str, str], Rates]:
    """(scope kind, scope id) -> its rates in run ``run_id``, for teams and interventions."""
    return _rates(_rows(con, "scope_rates", run_id))


def _rates(rows: list[dict[str, Any]]) -> dict[tuple[str, str], Rates]:
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for r in rows:
        found.setdefault((r["scope_kind"], r["scope_id"]), {})[r["metric_id"]] = r
    return {
        key: Rates(
            m.get("completeness", {}).get("value"),
            m.get("completeness", {}).get("target"),
            m.get("timeliness", {}).get("value"),
            m.get("timeliness", {}).get("target"),
        )
        for key, m in found.items()
    }


def scope_badge_rates(
    con: duckdb.DuckDBPyConnection, run_id: str | None, scope: tuple[str, str | None]
) -> Rates | None:
    """The rates a deck's quality badge shows for ``scope`` (team or intervention; the
    organisation: the overall rates), or None without a quality run."""
    if run_id is None:
        return None
    if scope[0] == "organisation":
        return _rates(_rows(con, "overall_rates", run_id)).get(("organisation", "all"))
    return scope_rates(con, run_id).get((scope[0], str(scope[1])))


def scope_trends(
    con: duckdb.DuckDBPyConnection, run_id: str
) -> dict[tuple[str, str, str], tuple[float | None, ...]]:
    """(scope kind, scope id, metric) -> its values over the recent runs, oldest first."""
    found: dict[tuple[str, str, str], list[float | None]] = {}
    for r in _rows(con, "scope_trends", run_id):
        found.setdefault((r["scope_kind"], r["scope_id"], r["metric_id"]), []).append(r["value"])
    return {key: tuple(values) for key, values in found.items()}


def scope_findings(con: duckdb.DuckDBPyConnection, run_id: str) -> list[dict[str, Any]]:
    """Per team and intervention: rule, severity, number of failing rows."""
    return _rows(con, "scope_findings", run_id)


def failing_rows(con: duckdb.DuckDBPyConnection, run_id: str) -> list[dict[str, Any]]:
    """Every failing row of the run, numbered per rule (``failure_no``)."""
    return _rows(con, "failing_rows", run_id)


def quarantined(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """The quarantined records of the loads in force."""
    return _rows(con, "quarantine")


def loads(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """The loads in force per target table, with file checksums."""
    return _rows(con, "loads")
