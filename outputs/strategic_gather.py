"""Read the leaders' quarterly summary (a
:class:`~outputs.strategic_data.StrategicPackData`) from the marts.

Thin, like ``outputs.gather``: one query file per question
(``outputs/queries/strategic_*.sql``, run with :func:`outputs.gather.query`), and the
rows become the plain data object. The result maps reuse the intervention pack's
reading of the marts (``outputs.gather._node_value``), so a box shows the same value in
both decks. The data-quality status reads the latest run in the ``quality`` schema when
a checks run has written one.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from outputs.common import short_name
from outputs.gather import _meeting, _node_value, goal_attainment, query
from outputs.intervention_pack import map_from_config
from outputs.strategic_data import (
    CostParts,
    InterventionSummary,
    Measure,
    QualityItem,
    QualityMetric,
    QualityStatus,
    StrategicPackData,
    TargetYear,
    period_for_meeting,
    quarter_window,
)
from outputs.strategic_texts import quarter_parts, short_intervention_name

#: Failing rules read for the data-quality slide at most (the slide lists the first few
#: and counts the rest).
MAX_QUALITY_ITEMS = 100


def _measure(row: dict[str, Any], value: str = "measure_value", n: str = "n_citizens",
             low: str = "ci_low", high: str = "ci_high", units: str | None = "n_units"
             ) -> Measure:
    if row.get("is_suppressed"):
        return Measure(suppressed=True, reason=row.get("suppression_reason"))
    return Measure(
        value=row.get(value),
        n=None if row.get(n) is None else int(row[n]),
        n_units=row.get(units) if units else None,
        low=row.get(low),
        high=row.get(high),
    )


def _has_quality(con) -> bool:
    row = con.execute(
        "select count(*) from information_schema.tables "
        "where table_schema = 'quality' and table_name in ('runs', 'results', 'metrics')"
    ).fetchone()
    return bool(row and row[0] == 3)


def gather_quality(con, config, language: str,
                   rule_titles: Mapping[str, str] | None = None) -> QualityStatus:
    """The latest quality run, or ``QualityStatus(has_run=False)``. A failing rule is
    named by ``rule_titles`` (rule id -> title in ``language``, worded by the checks and
    handed in by the meeting run), else by its id."""
    if not _has_quality(con):
        return QualityStatus()
    runs = query(con, "strategic_quality_run")
    if not runs:
        return QualityStatus()
    run = runs[0]
    names = {iv.id: short_intervention_name(iv.name) for iv in config.interventions}
    titles = rule_titles or {}
    return QualityStatus(
        has_run=True,
        started_at=run["started_at"],
        as_of_date=run["as_of_date"],
        n_rules=run["n_rules"] or 0,
        n_failed_rules=run["n_failed_rules"] or 0,
        n_errors=run["n_errors"] or 0,
        n_warnings=run["n_warnings"] or 0,
        n_blocked_scopes=run["n_blocked_scopes"] or 0,
        failing=[QualityItem(titles.get(r["rule_id"], r["rule_id"]), r["severity"],
                             r["n_failed"], r["rule_id"])
                 for r in query(con, "strategic_quality_results", run_id=run["run_id"],
                                max_rows=MAX_QUALITY_ITEMS)],
        below_target=[QualityMetric(r["metric_id"], names.get(r["group_id"], r["group_id"]),
                                    r["value"], r["target"])
                      for r in query(con, "strategic_quality_metrics", run_id=run["run_id"])
                      if r["value"] is not None and r["target"] is not None],
    )


def gather_strategic_pack(con, config, meeting_id: str, meeting_date: date,
                          period: str | None = None,
                          rule_titles: Mapping[str, str] | None = None) -> StrategicPackData:
    """The quarterly summary for one meeting of the organisation-level series
    ``meeting_id``; ``period`` (YYYY-Qn) defaults to the last complete quarter before
    the meeting."""
    meeting = _meeting(config, meeting_id)
    if meeting.level != "organisation":
        raise ValueError(f"meeting series {meeting_id!r} is {meeting.level}-level, "
                         "not organisation-level")
    lang = config.organisation.language
    period = period or period_for_meeting(meeting_date)
    quarters = quarter_window(period)
    instruments = {i.id: i for i in config.instruments}

    headline = {r["intervention_id"]: r["instrument_id"]
                for r in query(con, "strategic_headline")}
    overview = query(con, "strategic_overview", first_quarter=quarters[0], period=period)
    costs = query(con, "strategic_costs", period=period)
    target = query(con, "strategic_target_group")
    period_end = _period_end(period)
    summaries = []
    for iv in config.interventions:
        instrument = headline.get(iv.id)
        summary = InterventionSummary(
            id=iv.id, name=iv.name, short_name=short_intervention_name(iv.name),
            target_group=iv.target_group,
            instrument=short_name(instruments[instrument].name)
            if instrument in instruments else None,
        )
        for r in (r for r in overview if r["intervention_id"] == iv.id):
            summary.measures[(r["quarter"], r["measure"])] = _measure(r)
        row = next((r for r in costs if r["intervention_id"] == iv.id
                    and r["quarter"] == period), None)
        if row is not None:
            hidden = bool(row["is_suppressed"])
            summary.costs = CostParts(
                staff=None if hidden else row["staff_cost_dkk"],
                fixed=None if hidden else row["fixed_cost_dkk"],
                per_course=None if hidden else row["per_course_cost_dkk"],
                total=None if hidden else row["total_cost_dkk"],
                n_citizens=row["n_citizens"], suppressed=hidden,
                reason=row["suppression_reason"],
                staff_cost_source=row["staff_cost_source"],
                fixed_cost_source=row["fixed_cost_source"],
            )
        for r in (r for r in target if r["intervention_id"] == iv.id):
            summary.target_years.append(TargetYear(
                year=int(r["start_year"]),
                share_clinical=_measure(r, value="share_clinical", n="n_with_cutoff",
                                        low="ci_share_clinical_low",
                                        high="ci_share_clinical_high", units=None),
                mean_baseline=_measure(r, value="mean_baseline", units=None),
            ))
        summary.map_nodes, summary.map_links = map_from_config(iv, config)
        summary.goal_attainment = goal_attainment(con, iv.id)
        for node in iv.result_map.nodes:
            if node.indicator is not None:
                summary.node_values[node.id] = _node_value(con, config, iv.id, node.indicator,
                                                           period_end, summary)
        summaries.append(summary)
    return StrategicPackData(
        organisation=config.organisation.name,
        meeting_date=meeting_date,
        period=period,
        quarters=quarters,
        interventions=summaries,
        quality=gather_quality(con, config, lang, rule_titles),
        dominance_share=config.costs.dominance_share,
        tables={
            "overview": query(con, "strategic_overview", first_quarter="0000-Q1",
                              period=period),
            "costs": costs,
            "unit_costs": query(con, "strategic_unit_costs", period=period),
        },
    )


def _period_end(quarter: str) -> date:
    """Last day of a YYYY-Qn quarter."""
    year, q = quarter_parts(quarter)
    if q == 4:
        return date(year, 12, 31)
    return date(year, 3 * q + 1, 1) - timedelta(days=1)
