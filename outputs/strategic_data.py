"""The data of the leaders' quarterly summary (:class:`StrategicPackData`) and its quarters.

Plain data objects, filled by :func:`outputs.strategic_gather.gather_strategic_pack`
from the marts and read by the deck builder (:mod:`outputs.strategic_pack`) and the
finance workbook (:mod:`outputs.strategic_xlsx`). The period is the last complete
quarter before the meeting (:func:`period_for_meeting`); the trend figures show the
``TREND_QUARTERS`` quarters ending with it (:func:`quarter_window`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from outputs.intervention_pack import AreaAttainment, MapNodeInput, NodeValue
from outputs.strategic_texts import quarter_parts

#: Quarters shown in the trend figures (the period and the ones before it).
TREND_QUARTERS = 8


@dataclass(frozen=True)
class Measure:
    """One value of a mart row with its n; hidden values carry neither value nor n."""

    value: float | None = None
    n: int | None = None  # citizens behind the value
    n_units: float | None = None  # courses measured, goals assessed, units divided by
    low: float | None = None  # 95 % interval (shares)
    high: float | None = None
    suppressed: bool = False
    reason: str | None = None  # small_cell | dominance | complementary

    @property
    def usable(self) -> bool:
        return not self.suppressed and self.value is not None


@dataclass
class CostParts:
    """The period quarter's cost of one intervention by kind (mart_costs_by_quarter)."""

    staff: float | None
    fixed: float | None
    per_course: float | None
    total: float | None
    n_citizens: int | None = None
    suppressed: bool = False
    reason: str | None = None
    staff_cost_source: str | None = None
    fixed_cost_source: str | None = None


@dataclass
class TargetYear:
    """Citizens who started in one year (mart_target_group_at_start, breakdown all)."""

    year: int
    share_clinical: Measure
    mean_baseline: Measure


@dataclass
class InterventionSummary:
    id: str
    name: str
    short_name: str
    target_group: str = ""
    instrument: str | None = None  # headline instrument, short name ("ORS")
    measures: dict[tuple[str, str], Measure] = field(default_factory=dict)  # (quarter, m)
    costs: CostParts | None = None
    target_years: list[TargetYear] = field(default_factory=list)
    # the result map (read by outputs.intervention_pack.result_map_spec)
    map_nodes: list[MapNodeInput] = field(default_factory=list)
    map_links: list[tuple[str, str]] = field(default_factory=list)
    node_values: dict[str, NodeValue] = field(default_factory=dict)
    goal_attainment: list[AreaAttainment] = field(default_factory=list)

    def m(self, quarter: str, measure: str) -> Measure:
        return self.measures.get((quarter, measure), Measure())


@dataclass(frozen=True)
class QualityItem:
    title: str
    severity: str  # error | warning | info
    n_failed: int
    rule_id: str = ""


@dataclass(frozen=True)
class QualityMetric:
    metric: str  # completeness | timeliness
    group: str  # display name of the group (an intervention)
    value: float
    target: float


@dataclass
class QualityStatus:
    """The latest data-quality run (``quality.runs``), or ``has_run=False``."""

    has_run: bool = False
    started_at: datetime | None = None
    as_of_date: date | None = None
    n_rules: int = 0
    n_failed_rules: int = 0
    n_errors: int = 0
    n_warnings: int = 0
    n_blocked_scopes: int = 0
    failing: list[QualityItem] = field(default_factory=list)
    below_target: list[QualityMetric] = field(default_factory=list)


@dataclass
class StrategicPackData:
    organisation: str
    meeting_date: date
    period: str  # the quarter reported on, YYYY-Qn
    quarters: list[str]  # trend window, oldest first, ending with the period
    interventions: list[InterventionSummary]
    quality: QualityStatus = field(default_factory=QualityStatus)
    dominance_share: float = 0.5
    #: raw mart rows for the finance workbook: sheet key -> rows (dicts)
    tables: dict[str, list[dict]] = field(default_factory=dict)


# ====================================================================== quarters


def previous_quarter(quarter: str) -> str:
    year, q = quarter_parts(quarter)
    return f"{year - 1}-Q4" if q == 1 else f"{year}-Q{q - 1}"


def quarter_window(period: str, n: int = TREND_QUARTERS) -> list[str]:
    """The ``n`` quarters ending with ``period``, oldest first."""
    out = [period]
    while len(out) < n:
        out.append(previous_quarter(out[-1]))
    return out[::-1]


def period_for_meeting(meeting_date: date) -> str:
    """The last complete quarter before the meeting's quarter."""
    return previous_quarter(f"{meeting_date.year}-Q{(meeting_date.month - 1) // 3 + 1}")
