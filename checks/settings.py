"""Thresholds and severities of the data-quality rules, in one typed place.

:class:`CheckSettings` holds every threshold a rule reads. Defaults come from
``config.quality`` where the config has the value (completeness and timeliness
targets, outlier limits: the WHO data quality review defaults); the rest are named
here with their meaning, unit and safe range. :meth:`CheckSettings.from_config` builds
the settings for a config, and keyword overrides change single thresholds::

    settings = CheckSettings.from_config(config, near_duplicate_days=5)

The runner hands the numeric thresholds to the SQL rules as the one-row relation
``chk_params`` (column = field name) and the severities as ``chk_rules``; no SQL
file contains a magic number of its own.

Severity decides what a failure does (see ``checks.run``):

- ``error``: blocks the decks of the scope (intervention, team) the failing row
  belongs to, with a message saying why and what to fix;
- ``warning``: the decks are made, with a caveat on the figures the rule affects;
- ``info``: listed in the quality report only.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, replace
from typing import Literal

from datadialog.config_model import DatadialogConfig

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[str, ...] = ("error", "warning", "info")

#: Default severity of every rule id (a rule's SQL file or schema check is named so).
DEFAULT_SEVERITY: dict[str, Severity] = {
    # row schemas (checks/schemas): types, required fields, vocabularies, ranges
    "schema": "error",  # a staged value breaks its table's schema (type, null, vocabulary)
    "out_of_range": "error",  # an item answer outside the instrument's item_min..item_max
    "item_not_in_instrument": "error",  # item number outside 1..n_items
    "unknown_reference": "error",  # an id (instrument, intervention, team ...) not in config
    "cpr_in_text": "error",  # a CPR-shaped number in a free-text field (privacy)
    # relations and dates (checks/sql)
    "orphan_row": "error",  # a row whose course / goal / citizen is not staged
    "quarantined_records": "warning",  # records ingest quarantined: left out of every figure
    "point_label_off_window": "warning",  # a form's point label and its date disagree
    "course_end_before_start": "error",
    "course_end_reason_mismatch": "warning",  # end date without reason or the reverse
    "course_overlap": "warning",  # two courses of a citizen in one intervention overlap
    "form_header_conflict": "error",  # a form's item rows disagree on date, course ...
    "measurement_before_start": "error",
    "measurement_after_end": "error",
    "measurement_in_future": "error",
    "event_outside_course": "warning",  # goal ratings and activities outside the course
    # completeness and timeliness
    "missing_measurement": "warning",
    "late_measurement": "warning",
    "early_measurement": "info",
    "completeness_below_target": "warning",
    "timeliness_below_target": "warning",
    # reliability
    "near_duplicate": "warning",
    "straight_lined": "warning",
    "implausible_jump": "warning",
    "outlier_extreme": "warning",
    "outlier_moderate": "info",
    "rater_drift": "warning",
    "calibration_agreement": "warning",
    "calibration_deviation": "warning",
    "attrition": "info",
    "rater_gap": "info",
}


@dataclass(frozen=True)
class CheckSettings:
    """Every threshold of the quality rules. Units and safe ranges in the comments."""

    # ------------------------------------------------------------ completeness, timeliness
    #: Share of due measurements that must be collected (0-1; config.quality).
    completeness_target: float = 0.90
    #: Share of collected measurements that must lie inside the tolerance window
    #: (0-1; config.quality). Divided by collected, not by due, so a team that collects
    #: late is told apart from a team that does not collect.
    timeliness_target: float = 0.75
    #: Groups (intervention, team, staff member, month) with fewer due measurements
    #: are not judged against the targets (too few to say anything; 1-50).
    rate_min_due: int = 5

    # ------------------------------------------------------------ dates
    #: Days a form may lie before its course start before it is an error (0-30).
    before_start_grace_days: int = 0
    #: For interventions without an end-anchored follow-up point: days after the course
    #: end a form may still be dated (0-400). With follow-up points the limit is the
    #: latest follow-up due date plus its assignment window. An instrument's plan rows
    #: may set their own after_end_grace_days (ref.measurement_plan): the larger of it
    #: and the follow-up window counts, and it replaces this default.
    after_end_grace_days: int = 30
    #: Days before course start / after course end a goal rating or activity may lie
    #: (0-120).
    event_grace_days: int = 30

    # ------------------------------------------------------------ duplicates, straight lines
    #: Two forms of the same course and instrument at most this many days apart can be
    #: near duplicates (0-14).
    near_duplicate_days: int = 2
    #: ... when at least this share of the items both forms answered are equal (0-1) ...
    near_duplicate_equal_share: float = 0.8
    #: ... two answers counting as equal when they differ by at most this share of the
    #: item range (0.1: one point on ORS's 0-10, 0.4 on ASI's 0-4, none on SDQ's 0-2;
    #: 0 = exactly equal; 0-0.3) ...
    near_duplicate_item_tolerance: float = 0.1
    #: ... and they have at least this many items answered in common (1-10).
    near_duplicate_min_items: int = 2
    #: A form is straight-lined when it answers at least this many items and all with the
    #: same value (instruments with items per subject, GAS and KiK, are left out; 3-20).
    straight_line_min_items: int = 5

    # ------------------------------------------------------------ jumps and outliers
    #: A change in the total between two adjacent forms of a course larger than this many
    #: times the instrument's reliable change is implausible (1-5).
    jump_rc_multiple: float = 2.0
    #: Outliers: |z| at or above this many SD is moderate (config.quality).
    outlier_sd_moderate: float = 2.0
    #: ... and at or above this many SD extreme (config.quality).
    outlier_sd_extreme: float = 3.0
    #: ... or a modified z = 0.6745 (x - median) / MAD at or above this is extreme too
    #: (config.quality; Iglewicz & Hoaglin).
    outlier_modified_z: float = 3.5
    #: Instrument and measurement point cells with fewer scored forms are not searched
    #: for outliers (10-100).
    outlier_min_n: int = 20

    # ------------------------------------------------------------ raters
    #: Rater drift: a staff member's mean within-point residual (SD units) differing from
    #: the rest of the team's by at least this much (0.2-1.5) ...
    drift_threshold_sd: float = 0.5
    #: ... with the confidence interval of the difference excluding 0. Normal quantile of
    #: the intervals of rater drift and calibration deviation (1.96 = 95 %; 1.64-3.3).
    confidence_z: float = 1.96
    #: ... judged only with at least this many forms on each side (5-50).
    drift_min_forms: int = 10
    #: Calibration: Krippendorff's alpha (interval) below this flags an item or an
    #: instrument for the next workshop (0.667 = Krippendorff's lowest acceptable; 0-1).
    calibration_alpha_min: float = 0.667
    #: Calibration: items scored by fewer raters x cases are not judged (4-50).
    calibration_min_values: int = 6
    #: Calibration: a staff member whose mean deviation from the other raters of the same
    #: case is at least this share of the item range (0.05-0.5) ...
    calibration_deviation_share: float = 0.1
    #: ... over at least this many scored items (3-100).
    calibration_min_items: int = 5
    #: Citizen vs staff: a course whose citizen-rated and staff-rated improvement (in
    #: baseline SD units) differ by at least this much (0.5-3).
    rater_gap_sd: float = 1.5

    # ------------------------------------------------------------ attrition
    #: Share of courses measured at one point but missing at the next (both due) above
    #: which the progression figures get a caveat (0-1).
    attrition_max_share: float = 0.3
    #: Point pairs with fewer courses measured at the first point are not judged (5-50).
    attrition_min_n: int = 10

    # ------------------------------------------------------------ gate
    #: When False, errors do not block decks; they become caveats like warnings
    #: (for demos and first loads; keep True in production).
    errors_block: bool = True
    #: Severity per rule id (see DEFAULT_SEVERITY).
    severities: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_SEVERITY))

    def __post_init__(self) -> None:
        for rule, severity in self.severities.items():
            if severity not in SEVERITIES:
                raise ValueError(f"rule {rule!r}: severity must be one of {SEVERITIES}")
        for name in (
            "completeness_target",
            "timeliness_target",
            "near_duplicate_equal_share",
            "calibration_alpha_min",
            "attrition_max_share",
        ):
            value = getattr(self, name)
            if not 0 <= value <= 1:
                raise ValueError(f"{name} must lie between 0 and 1, not {value}")

    @classmethod
    def from_config(cls, config: DatadialogConfig, **overrides: object) -> CheckSettings:
        """Settings with the config's quality targets, then ``overrides`` on top."""
        quality = config.quality
        base = cls(
            completeness_target=quality.completeness_target,
            timeliness_target=quality.timeliness_target,
            outlier_sd_moderate=quality.outlier_sd_moderate,
            outlier_sd_extreme=quality.outlier_sd_extreme,
            outlier_modified_z=quality.outlier_modified_z,
            errors_block=quality.errors_block,
            before_start_grace_days=quality.before_start_grace_days,
            after_end_grace_days=quality.after_end_grace_days,
        )
        return base.with_overrides(**overrides)

    def with_overrides(self, **overrides: object) -> CheckSettings:
        severities = dict(self.severities)
        severities.update(overrides.pop("severities", None) or {})  # type: ignore[arg-type]
        known = {f.name for f in fields(self)}
        unknown = sorted(set(overrides) - known)
        if unknown:
            raise ValueError(f"unknown check settings: {unknown}")
        return replace(self, severities=severities, **overrides)  # type: ignore[arg-type]

    def severity(self, rule_id: str) -> str:
        return self.severities.get(rule_id, "warning")

    def params(self) -> dict[str, object]:
        """The numeric thresholds (everything but the severities), by field name."""
        values = asdict(self)
        values.pop("severities")
        return values
