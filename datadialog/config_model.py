"""Typed model of the configuration tree under ``config/``.

Each YAML file in the config folder holds one or more top-level sections of
:class:`DatadialogConfig`; ``datadialog.config_load`` merges the files and
validates them here. Every field carries a description (meaning and unit) that
``datadialog init`` writes out as a comment.

Cross-references (a measurement plan naming an instrument, a meeting naming a
team ...) are checked in :meth:`DatadialogConfig.check_references`, so an error
points at the key that names the unknown thing.
"""

from __future__ import annotations

import fnmatch
import re
import unicodedata
from datetime import date
from typing import Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from datadialog.config_patterns import date_format_problem, regex_problem

ID_PATTERN = r"^[a-z][a-z0-9_]*$"

#: Canonical staging tables a source may map to, with their columns.
#: ``required`` columns must be mapped; the rest are optional.
CANONICAL_TABLES: dict[str, dict[str, list[str]]] = {
    "citizens": {
        "required": ["citizen_ref"],
        "optional": ["gender", "birth_year"],
    },
    "courses": {
        "required": ["course_ref", "citizen_ref", "intervention_id", "start_date"],
        "optional": ["team_id", "variant", "end_date", "end_reason"],
    },
    "registrations": {
        "required": ["course_ref", "field", "value"],
        "optional": ["registered_on", "stage"],
    },
    "measurements": {
        "required": ["form_ref", "course_ref", "instrument_id", "measured_on", "item_no", "value"],
        "optional": ["staff_id", "rater_role", "note", "point_label"],
    },
    "goals": {
        "required": ["goal_ref", "course_ref", "life_area", "goal_type"],
        "optional": ["set_on", "weight", "description"],
    },
    "goal_ratings": {
        "required": ["goal_ref", "rated_on", "score"],
        "optional": ["staff_id"],
    },
    "activities": {
        "required": ["course_ref", "activity_date", "activity_type"],
        "optional": ["minutes", "staff_id"],
    },
    "costs": {
        "required": ["intervention_id", "quarter", "cost_type", "amount_dkk"],
        "optional": ["hours"],
    },
    "calibration_scores": {
        "required": [
            "workshop_id",
            "workshop_date",
            "staff_id",
            "instrument_id",
            "item_no",
            "value",
        ],
        "optional": ["case_ref"],
    },
}


#: Id columns a source may declare the kind of (id_kind) or build (derived).
ID_COLUMNS: tuple[str, ...] = ("citizen_ref", "course_ref", "form_ref", "goal_ref")


class Strict(BaseModel):
    """Base: unknown keys are errors, so a typo never passes silently."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# ---------------------------------------------------------------- organisation


#: An address as it may stand in a mail header: no spaces, line breaks, brackets, commas.
_ADDRESS_PART = r"[^@\s<>,;:\"()\[\]\\]+"
_EMAIL = re.compile(rf"{_ADDRESS_PART}@{_ADDRESS_PART}\.{_ADDRESS_PART}")


class Member(Strict):
    name: str = Field(description="Display name of the person.")
    email: str = Field(description="E-mail address decks are sent to.")
    role: Literal["staff", "lead", "leader", "data_steward"] = Field(
        "staff", description="Role in the practice; leaders get the strategic summary."
    )

    @field_validator("name")
    @classmethod
    def _name_shape(cls, value: str) -> str:
        # The name goes into a mail header ("To: Name <address>"): a line break there
        # would end the header, so control characters are refused here, not at send time.
        if not value.strip():
            raise ValueError("a display name cannot be empty")
        bad = sorted({f"U+{ord(c):04X}" for c in value if unicodedata.category(c) == "Cc"})
        if bad:
            raise ValueError(f"a display name cannot hold control characters "
                             f"({', '.join(bad)}: a line break or tab): {value!r}")
        return value

    @field_validator("email")
    @classmethod
    def _email_shape(cls, value: str) -> str:
        if not _EMAIL.fullmatch(value):
            raise ValueError(f"not an e-mail address: {value!r}")
        return value


class Team(Strict):
    id: str = Field(pattern=ID_PATTERN, description="Short id used in exports and config.")
    name: str = Field(description="Team name as shown on slides.")
    interventions: list[str] = Field(description="Ids of the interventions the team delivers.")
    members: list[Member] = Field(default_factory=list, description="People in the team.")


class Organisation(Strict):
    name: str = Field(description="Name of the organisation (municipality or provider).")
    language: Literal["da", "en"] = Field("da", description="Language of slides and reports.")
    timezone: str = Field("Europe/Copenhagen", description="IANA time zone for schedules.")


# ---------------------------------------------------------------- interventions


class Phase(Strict):
    id: str = Field(pattern=ID_PATTERN, description="Phase id.")
    name: str = Field(description="Phase name as shown on slides.")


class CoreElement(Strict):
    id: str = Field(
        pattern=ID_PATTERN, description="Core element id; KiK item order follows the list."
    )
    name: str = Field(description="Core element name as shown on slides.")
    reflection_question: str | None = Field(
        None, description="Question used when reflecting on this core element."
    )


class Indicator(Strict):
    instrument: str = Field(description="Instrument id whose scores measure this result.")
    measure: Literal[
        "mean_change", "share_improved", "share_recovered", "mean_score", "goal_reached"
    ] = Field("mean_change", description="Which figure from the marts annotates the box.")


class ResultNode(Strict):
    id: str = Field(pattern=ID_PATTERN, description="Node id, referenced by links.")
    label: str = Field(description="Text in the box.")
    kind: Literal["core_element", "result"] = Field(description="Activity side or result side.")
    term: Literal["short", "medium", "long"] | None = Field(
        None,
        description="For results: short (resources), medium (behaviour), long (life situation).",
    )
    indicator: Indicator | None = Field(None, description="How the result is measured.")

    @model_validator(mode="after")
    def _result_has_term(self) -> ResultNode:
        if self.kind == "result" and self.term is None:
            raise ValueError("a result node needs a term (short, medium or long)")
        return self


class ResultLink(Strict):
    source: str = Field(alias="from", description="Node id the arrow starts at.")
    target: str = Field(alias="to", description="Node id the arrow points to.")


class ResultMap(Strict):
    nodes: list[ResultNode] = Field(description="Boxes of the change theory.")
    links: list[ResultLink] = Field(default_factory=list, description="Arrows between boxes.")

    @model_validator(mode="after")
    def _links_known(self) -> ResultMap:
        known = {n.id for n in self.nodes}
        for i, link in enumerate(self.links):
            for end in (link.source, link.target):
                if end not in known:
                    raise ValueError(f"links[{i}] names unknown node {end!r}")
        return self


class Intervention(Strict):
    id: str = Field(pattern=ID_PATTERN, description="Intervention id used in exports and config.")
    name: str = Field(description="Intervention name as shown on slides.")
    target_group: str = Field(description="Who the intervention is for.")
    variants: list[str] = Field(
        default_factory=list, description="Variant ids compared in the marts."
    )
    variant_names: dict[str, str] = Field(
        default_factory=dict,
        description="Name shown on slides per variant id, e.g. konfliktraad: Forløb med "
        "konfliktråd (a variant without one is shown by its id).",
    )
    norm_group: str = Field("adult", description="Norm group used for bands and cut-offs.")
    phases: list[Phase] = Field(default_factory=list, description="Phases of a course.")
    core_elements: list[CoreElement] = Field(description="Principles that must not be left out.")
    result_map: ResultMap = Field(description="The change theory as boxes and arrows.")

    @model_validator(mode="after")
    def _variant_names_known(self) -> Intervention:
        unknown = sorted(set(self.variant_names) - set(self.variants))
        if unknown:
            raise ValueError(
                f"variant_names names variants that are not in variants: {', '.join(unknown)}"
            )
        return self

    def variant_name(self, variant: str) -> str:
        """The variant as shown on slides: its name, else its id."""
        return self.variant_names.get(variant, variant)


# ---------------------------------------------------------------- instruments


class Band(Strict):
    label: str = Field(description="Band key, e.g. normal / borderline / abnormal.")
    name: str | None = Field(
        None, description="Band name on slides (default: the label's standard Danish name)."
    )
    min: float = Field(description="Lowest total score in the band (inclusive).")
    max: float = Field(description="Highest total score in the band (inclusive).")


class NormGroup(Strict):
    cutoff: float | None = Field(None, description="Clinical cut-off on the total score.")
    bands: list[Band] = Field(default_factory=list, description="Score bands, lowest first.")
    sd: float | None = Field(None, description="Baseline SD of the total, for the RCI (points).")
    reliability: float | None = Field(
        None, ge=0, le=1, description="Reliability r of the total, for the RCI (0-1)."
    )


class Subscale(Strict):
    id: str = Field(pattern=ID_PATTERN, description="Subscale id.")
    items: list[int] = Field(description="Item numbers (1-based) in the subscale.")


class Instrument(Strict):
    id: str = Field(pattern=ID_PATTERN, description="Instrument id used in exports and config.")
    name: str = Field(description="Instrument name as shown on slides.")
    kind: Literal["validated", "dialogue", "fidelity"] = Field(description="Type of instrument.")
    rater: Literal["citizen", "staff", "parent", "teacher"] = Field(description="Who fills it in.")
    n_items: int = Field(
        ge=1, description="Number of items (numbered 1..n; no item texts shipped)."
    )
    item_min: float = Field(description="Lowest allowed item answer.")
    item_max: float = Field(description="Highest allowed item answer.")
    scoring: Literal["sum", "mean", "mean_x10", "gas"] = Field(
        "sum", description="How items combine into the total."
    )
    direction: Literal["higher_is_better", "higher_is_worse"] = Field(
        description="Whether a rising total is improvement."
    )
    reversed_items: list[int] = Field(default_factory=list, description="Items scored max+min-x.")
    max_missing_items: int = Field(0, ge=0, description="Missing items tolerated (then prorated).")
    subscales: list[Subscale] = Field(default_factory=list, description="Named subsets of items.")
    norm_groups: dict[str, NormGroup] = Field(
        default_factory=dict, description="Cut-offs, bands and RCI parameters per norm group."
    )
    reliable_change_points: float | None = Field(
        None, description="Published reliable change in points, used instead of SD and r."
    )
    items_per_subject: bool = Field(
        False, description="True when items are per subject (KiK: one item per core element)."
    )
    total_items: list[int] | None = Field(
        None, description="Items counted in the total (default all; SDQ leaves out prosocial)."
    )
    gas_rho: float = Field(0.3, ge=0, lt=1, description="GAS: assumed correlation between goals.")
    cutoff_kind: Literal["clinical", "alliance"] = Field(
        "clinical",
        description="What the cut-off marks: the clinical side (outcome instruments) or an "
        "alliance alert (SRS: a discussion item, not a clinical range).",
    )

    @model_validator(mode="after")
    def _items_consistent(self) -> Instrument:
        if self.item_min >= self.item_max:
            raise ValueError("item_min must be below item_max")
        for item in self.reversed_items:
            if not 1 <= item <= self.n_items:
                raise ValueError(f"reversed item {item} outside 1..{self.n_items}")
        for sub in self.subscales:
            bad = [i for i in sub.items if not 1 <= i <= self.n_items]
            if bad:
                raise ValueError(f"subscale {sub.id!r} has items outside 1..{self.n_items}: {bad}")
        if self.max_missing_items >= self.n_items and not self.items_per_subject:
            raise ValueError("max_missing_items must be below n_items")
        return self


# ---------------------------------------------------------------- measurement plan


class PlannedPoint(Strict):
    point: str = Field(
        pattern=ID_PATTERN, description="Measurement point id (start, mid, end, fu3 ...)."
    )
    instrument: str = Field(description="Instrument id measured at this point.")
    anchor: Literal["start", "end"] = Field(description="Counted from course start or course end.")
    offset_days: int = Field(description="Days after the anchor the measurement is due.")
    tolerance_days: int = Field(
        14, ge=0, description="Days either side of the due date still on time."
    )
    repeat_every_days: int | None = Field(
        None,
        ge=1,
        description="For ongoing measures (e.g. ORS per session): repeat interval in days.",
    )
    before_start_grace_days: int | None = Field(
        None,
        ge=0,
        le=30,
        description="Days this instrument's forms may be dated before the course start "
        "(e.g. an intake form filled in before the first session) without the error "
        "measurement_before_start; default quality.before_start_grace_days; days, 0-30. "
        "The largest of an instrument's plan rows counts.",
    )
    after_end_grace_days: int | None = Field(
        None,
        ge=0,
        le=400,
        description="Days this instrument's forms may be dated after the course end "
        "(e.g. an exit form filled in at a later meeting) without the error "
        "measurement_after_end; days, 0-400. The largest of an instrument's plan rows "
        "counts; where the intervention has end-anchored follow-up points, the larger of "
        "this and the follow-up window counts; default: the follow-up window, else "
        "quality.after_end_grace_days.",
    )


class InterventionPlan(Strict):
    intervention: str = Field(description="Intervention id the plan belongs to.")
    points: list[PlannedPoint] = Field(description="Instrument by measurement point.")


# ---------------------------------------------------------------- sources


class TableMapping(Strict):
    canonical: str = Field(description="Canonical table this file or sheet fills.")
    file_pattern: str = Field(description="Glob matched against the file name.")
    sheet: str | None = Field(None, description="Sheet name (XLSX sources).")
    optional_sheet: bool = Field(
        False,
        description="XLSX: the workbook may leave this sheet out or empty (e.g. costs "
        "exported only some months): no warning then.",
    )
    layout: Literal["long", "wide"] = Field(
        "long", description="Long: one row per value; wide: items as columns."
    )
    columns: dict[str, str] = Field(description="Canonical column -> column name in the export.")
    item_columns: str | None = Field(
        None,
        description="Wide layout: regex (Python re) on column names; group 1 is the item number.",
    )
    constants: dict[str, str] = Field(
        default_factory=dict, description="Canonical column -> fixed value."
    )
    value_codes: dict[str, dict[str, str]] = Field(
        default_factory=dict, description="Canonical column -> {export code: canonical value}."
    )
    id_kind: dict[str, Literal["cpr", "person", "source"]] = Field(
        default_factory=dict,
        description="Id column -> what it holds: cpr (a CPR number, with or without the "
        "hyphen: pseudonymised by the keyed hash, never stored; an invalid one is "
        "quarantined, rule invalid_cpr), person (the system's own number of a person, e.g. "
        "course_ref mapped to the citizen-number column: pseudonymised by the keyed hash; "
        "citizen_ref always is) or source (the system's own id, the default: stored as it "
        "is; a CPR-shaped value is quarantined, rule cpr_in_id). Columns: "
        + ", ".join(ID_COLUMNS) + ".",
    )
    derived: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Id column -> export columns it is built from when the export has no "
        "such id (e.g. course_ref: [Borgernummer, Indsats]); the values are joined and "
        "pseudonymised by the keyed hash, so no source person id lands. Every table that "
        "refers to the id must build it from the same values. Columns: "
        + ", ".join(ID_COLUMNS) + ".",
    )
    derive_citizens: bool = Field(
        False,
        description="Courses: the system exports no citizens table; each course's citizen "
        "is added to staging.citizens (gender and birth year unknown).",
    )

    @field_validator("item_columns")
    @classmethod
    def _item_columns_compile(cls, value: str | None) -> str | None:
        problem = regex_problem(value, item_group=True) if value is not None else None
        if problem:
            raise ValueError(problem)
        return value

    @model_validator(mode="after")
    def _ids_known(self) -> TableMapping:
        spec = CANONICAL_TABLES.get(self.canonical)
        if spec is None:
            return self
        known = set(spec["required"]) | set(spec["optional"])
        for key, what in (("id_kind", self.id_kind), ("derived", self.derived)):
            bad = sorted(c for c in what if c not in ID_COLUMNS or c not in known)
            if bad:
                raise ValueError(
                    f"{key} names {bad}: not id columns of table {self.canonical!r} "
                    f"(id columns: {', '.join(c for c in ID_COLUMNS if c in known)})"
                )
        both = sorted(set(self.derived) & set(self.columns))
        if both:
            raise ValueError(f"{both} both mapped in columns and derived: keep one")
        for column, parts in self.derived.items():
            if not parts:
                raise ValueError(f"derived.{column} names no export columns")
        if self.derive_citizens and self.canonical != "courses":
            raise ValueError("derive_citizens is for a courses table only")
        return self

    @model_validator(mode="after")
    def _canonical_known(self) -> TableMapping:
        if self.canonical not in CANONICAL_TABLES:
            raise ValueError(
                f"unknown canonical table {self.canonical!r}; "
                f"choose one of {sorted(CANONICAL_TABLES)}"
            )
        spec = CANONICAL_TABLES[self.canonical]
        known = set(spec["required"]) | set(spec["optional"])
        mapped = set(self.columns) | set(self.constants) | set(self.derived)
        unknown = sorted(mapped - known)
        if unknown:
            raise ValueError(f"columns {unknown} are not in canonical table {self.canonical!r}")
        missing = [c for c in spec["required"] if c not in mapped]
        if self.layout == "wide":
            missing = [c for c in missing if c not in ("item_no", "value")]
            if not self.item_columns:
                raise ValueError(
                    "a wide layout needs item_columns (regex with the item number as group 1)"
                )
        if missing:
            raise ValueError(
                f"table {self.canonical!r} (file_pattern {self.file_pattern!r}): required "
                f"canonical columns not mapped: {missing}"
            )
        return self


class Source(Strict):
    id: str = Field(pattern=ID_PATTERN, description="Source system id.")
    name: str = Field(description="Name of the documentation system.")
    format: Literal["csv", "xlsx", "parquet"] = Field(description="File format of the export.")
    encoding: Literal["auto", "utf-8", "utf-8-sig", "cp1252"] = Field(
        "auto",
        description="Text encoding (CSV); auto detects UTF-8 (with/without BOM) or Windows-1252.",
    )
    delimiter: str = Field(";", min_length=1, max_length=1, description="Field separator (CSV).")
    quote: str = Field('"', min_length=1, max_length=1, description="Quote character (CSV).")
    decimal: Literal[",", "."] = Field(",", description="Decimal mark in numbers.")
    date_format: str = Field(
        "%d-%m-%Y",
        description="Format of dates in DuckDB's strptime directives (not all Python's: no "
        "%e), with the day, month and year, e.g. %d-%m-%Y.",
    )
    trailer_pattern: str | None = Field(
        None,
        description="Regex (Python re) of a trailer line (e.g. a row count) that is not data.",
    )
    tables: list[TableMapping] = Field(description="One entry per exported table.")
    takes_over: list[str] = Field(
        default_factory=list,
        description="Ids of sources whose staged rows this source's records may replace "
        "when they share a key (a move from that system to this one, delivering the same "
        "refs). Otherwise a record whose key another source's row holds is quarantined "
        "(rule key_of_other_source).",
    )

    @field_validator("date_format")
    @classmethod
    def _date_format_reads(cls, value: str, info: ValidationInfo) -> str:
        problem = date_format_problem(value, xlsx=info.data.get("format") == "xlsx")
        if problem:
            raise ValueError(problem)
        return value

    @field_validator("trailer_pattern")
    @classmethod
    def _trailer_pattern_compiles(cls, value: str | None) -> str | None:
        problem = regex_problem(value) if value is not None else None
        if problem:
            raise ValueError(problem)
        return value


# ---------------------------------------------------------------- costs, meetings, privacy


class Rate(Strict):
    intervention: str = Field(description="Intervention id.")
    hourly_rate_dkk: float = Field(gt=0, description="Cost of one staff hour (DKK).")
    fixed_per_quarter_dkk: float = Field(0, ge=0, description="Fixed cost per quarter (DKK).")


class Costs(Strict):
    currency: Literal["DKK"] = Field("DKK", description="Currency of all amounts.")
    rates: list[Rate] = Field(default_factory=list, description="Rates per intervention.")
    dominance_share: float = Field(
        0.5,
        gt=0,
        le=1,
        description="Hide a cost total when one course makes up more than this share.",
    )


class MeetingSeries(Strict):
    id: str = Field(pattern=ID_PATTERN, description="Meeting series id.")
    name: str | None = Field(
        None,
        min_length=1,
        description="Name of the meeting series as readers see it (the data steward's "
        "site). Default: worded from the level and the team's or intervention's name in "
        "the organisation's language ('Borgerrettet refleksionsmøde · Familieteam Nord', "
        "'Refleksionsmøde om indsatsen · Praktikforløb for unge', 'Ledelsens kvartalsmøde').",
    )
    level: Literal["citizen", "intervention", "organisation", "progress"] = Field(
        description="Meeting level."
    )
    intervention: str | None = Field(
        None, description="Intervention in scope (not for organisation)."
    )
    team: str | None = Field(None, description="Team in scope (citizen level).")
    rrule: str = Field(description="iCalendar RRULE of the meeting times.")
    starts: date = Field(description="First date the rule counts from.")
    time: str = Field("09:00", pattern=r"^\d{2}:\d{2}$", description="Local start time HH:MM.")
    lead_days: int = Field(
        2, ge=0, le=30, description="Days before the meeting the deck is delivered."
    )
    length_minutes: int = Field(30, ge=5, description="Planned meeting length (minutes).")
    recipients: list[str] = Field(
        default_factory=list, description="E-mail addresses of recipients."
    )

    @field_validator("rrule")
    @classmethod
    def _rrule_parses(cls, value: str) -> str:
        from dateutil.rrule import rrulestr

        try:
            rrulestr(value, dtstart=None)
        except (ValueError, TypeError) as exc:
            raise ValueError(f"not a valid RRULE: {exc}") from exc
        return value


class AgendaPriority(Strict):
    """One reason to put a citizen on the citizen-level agenda (highest first)."""

    id: str = Field(
        pattern=ID_PATTERN,
        description="Priority id: the mart mart_citizen_agenda_flags has a column is_<id> "
        "that is true for the courses this priority picks.",
    )
    reason: str = Field(description="Why the citizen is on the agenda, in Danish (on the slide).")
    reason_en: str | None = Field(None, description="The same in English (default: reason).")

    def reason_in(self, lang: str) -> str:
        return self.reason_en if lang == "en" and self.reason_en else self.reason


def _default_priorities() -> list[AgendaPriority]:
    return [
        AgendaPriority(id="deteriorated", reason="pålidelig forværring i seneste måling",
                       reason_en="reliable deterioration at the latest measurement"),
        AgendaPriority(id="low_alliance", reason="lav alliance (SRS under grænsen)",
                       reason_en="low alliance (SRS below the cut-off)"),
        AgendaPriority(id="overdue", reason="en måling er overskredet",
                       reason_en="a measurement is overdue"),
        AgendaPriority(id="long_course", reason="langt forløb: tid at tale om afslutning",
                       reason_en="long course: time to talk about the end"),
        AgendaPriority(id="open_agreement", reason="åben aftale fra et tidligere møde",
                       reason_en="open agreement from an earlier meeting"),
    ]


class Agenda(Strict):
    """How citizens are chosen for a citizen-level meeting (docs/loop.md)."""

    max_citizens: int = Field(
        4, ge=1, le=12, description="Citizens on one agenda at most (30 minutes: about 4)."
    )
    priorities: list[AgendaPriority] = Field(
        default_factory=_default_priorities,
        description="Reasons in order of priority; the rest of the open courses follow in "
        "rotation, so every citizen comes up within ceil(rest / free places) meetings.",
    )
    alliance_instrument: str | None = Field(
        "srs", description="Instrument whose latest score below its cut-off is low alliance."
    )
    long_course_days: int = Field(
        365, ge=30, le=3650, description="An open course older than this (days) is long."
    )


class ImprovementTrial(Strict):
    """An improvement trial (prøvehandling, PDSA) followed at intervention meetings."""

    id: str = Field(pattern=ID_PATTERN, description="Trial id.")
    intervention: str = Field(description="Intervention id the trial runs in.")
    title: str = Field(description="What is tried, as shown on slides.")
    starts: date = Field(description="Date the change was made (marked on the run chart).")
    instrument: str = Field(description="Instrument whose score should move (the indicator).")
    expected: str = Field("", description="What we expect to see, in the team's words.")


class Privacy(Strict):
    small_cell_k: int = Field(
        5, ge=2, le=20, description="Hide aggregated cells with fewer citizens."
    )
    pseudonym_display: Literal["pseudonym", "initials"] = Field(
        "pseudonym", description="How citizens are named on slides."
    )
    pseudonym_key_env: str = Field(
        "DATADIALOG_PSEUDONYM_KEY", description="Environment variable holding the pseudonym key."
    )
    pseudonym_key_file: str = Field(
        "~/.config/datadialog/pseudonym.key",
        description="Key file used when the variable is unset.",
    )


class Quality(Strict):
    completeness_target: float = Field(
        0.90, ge=0, le=1, description="Share of due measurements collected."
    )
    timeliness_target: float = Field(
        0.75, ge=0, le=1, description="Share collected within tolerance."
    )
    consistency_threshold: float = Field(
        0.33, ge=0, description="Allowed change vs mean of 3 prior periods."
    )
    outlier_sd_moderate: float = Field(2.0, gt=0, description="Moderate outlier at this many SD.")
    outlier_sd_extreme: float = Field(3.0, gt=0, description="Extreme outlier at this many SD.")
    outlier_modified_z: float = Field(3.5, gt=0, description="Modified z-score threshold.")
    errors_block: bool = Field(
        True, description="An error-level finding blocks its scope's decks (false: a caveat)."
    )
    before_start_grace_days: int = Field(
        0,
        ge=0,
        le=30,
        description="Days a form may be dated before its course start (an intake form filled "
        "in the days before) without the error measurement_before_start; days, 0-30.",
    )
    after_end_grace_days: int = Field(
        30,
        ge=0,
        le=400,
        description="For interventions without an end-anchored follow-up point: days after "
        "the course end a form may still be dated (rule measurement_after_end); days, 0-400.",
    )
    failing_rows_kept_runs: int = Field(
        7,
        ge=1,
        le=10_000,
        description="Check runs per scope (organisation, intervention, team) whose failing "
        "rows stay in quality.failures; an older run keeps its counts (quality.runs, results, "
        "metrics) and its failures CSV, not its rows in the database; runs, 1-10000.",
    )


class ExpectedCourse(Strict):
    """The expected course (forventet forløb) and its off-course flags (docs/expected_course.md).

    Per intervention, instrument and measurement point the score is fitted linearly on
    the intake (baseline) score over the organisation's closed courses; the tolerance
    band is ``band_z`` robust residual SDs on the worse side of the expected score.
    """

    min_reference_courses: int = Field(
        30, ge=3, le=10_000,
        description="Fewer closed reference courses at a point: flag by reliable change.",
    )
    band_z: float = Field(
        1.645, gt=0, le=4,
        description="Band edge at this many robust residual SDs below the expected score.",
    )
    intake_bands: int = Field(
        5, ge=1, le=20, description="Intake bands (quantiles of the reference intake) shown."
    )
    validation_share: float = Field(
        0.3, gt=0, lt=1,
        description="Newest share of closed courses held out for the time-split validation.",
    )
    alliance_instrument: str | None = Field(
        "srs", description="Instrument read as the alliance signal (not an outcome); null: none."
    )
    alliance_drop_points: float = Field(
        1.0, gt=0, description="A fall of at least this many points since last time is a signal."
    )


#: Settings of ``ingest`` that are gone -> what a config that still sets one is told
#: (config_load drops them with a warning naming the file, so such a config still loads).
RETIRED_INGEST_KEYS: dict[str, str] = {
    "csv_batch_lines": "a CSV export always loads whole (DuckDB's memory limit while "
    "loading keeps its memory flat); remove the key from the config",
}


class Ingest(Strict):
    """Limits of the ingest readers and what a corrected re-export does.

    A file over a limit is refused (or, for a CSV field or line, its record is
    quarantined) with a message naming the key to raise; the rest of the batch loads.
    """

    xlsx_max_rows: int = Field(
        1_048_576,
        ge=1,
        le=1_048_576,
        description="Most rows (header included) a workbook sheet may span, counted to its "
        "last cell; rows. Safe range 1-1048576 (Excel's own maximum).",
    )
    xlsx_max_columns: int = Field(
        1_000,
        ge=1,
        le=16_384,
        description="Most columns a workbook sheet may span (A to its last cell's column); "
        "columns. Safe range 1-16384 (XFD, Excel's maximum).",
    )
    xlsx_max_cells: int = Field(
        20_000_000,
        ge=1,
        le=500_000_000,
        description="Most cells of a sheet's area, rows x columns from A1 to its last cell "
        "(the reader allocates every cell of it, about 60 bytes each, empty or not); cells. "
        "Safe range up to about reader_memory_mb x 15 000.",
    )
    xlsx_max_xml_mb: int = Field(
        1_000,
        ge=1,
        le=20_000,
        description="Most uncompressed size of a workbook's XML parts together (checked in "
        "the ZIP directory before the workbook is opened); MB (10^6 bytes). Safe range 1-20000.",
    )
    reader_memory_mb: int = Field(
        4_096,
        ge=64,
        le=262_144,
        description="Memory the XLSX reader process may take beyond its start-up (address "
        "space limit, RLIMIT_AS); a workbook that needs more is refused; MB (2^20 bytes). "
        "Safe range 64 up to the machine's free memory.",
    )
    reader_timeout_s: float = Field(
        600,
        gt=0,
        le=86_400,
        description="Longest time the XLSX reader process may take for one workbook before it "
        "is stopped and the file refused; seconds. Safe range 10-86400.",
    )
    csv_max_field_bytes: int = Field(
        1_048_576,
        ge=1_024,
        le=1_073_741_824,
        description="Longest field of a CSV record; a record with a longer field is "
        "quarantined (rule field_too_long) with its line number; bytes (UTF-8). "
        "Safe range 1024 up to csv_max_line_bytes.",
    )
    csv_max_line_bytes: int = Field(
        8_388_608,
        ge=1_024,
        le=1_073_741_824,
        description="Longest CSV record (all its fields and separators, quoted line breaks "
        "included); a longer record is quarantined (rule line_too_long) with its line "
        "number; bytes (UTF-8). Safe range csv_max_field_bytes up to about 100 MB.",
    )
    reexport: Literal["replace", "keep_and_flag"] = Field(
        "replace",
        description="What a corrected re-export (a file with a loaded file's name and other "
        "content) does with the earlier version's rows it no longer has: replace (they are "
        "removed and counted as rows_removed) or keep_and_flag (they stay staged and get a "
        "warning in staging.quarantine, rule removed_in_reexport).",
    )

    @model_validator(mode="after")
    def _field_within_line(self) -> Ingest:
        if self.csv_max_field_bytes > self.csv_max_line_bytes:
            raise ValueError(
                "csv_max_field_bytes must not be larger than csv_max_line_bytes"
            )
        return self


class LifeArea(Strict):
    id: str = Field(pattern=ID_PATTERN, description="Life area id used in goal exports.")
    name: str = Field(description="Life area name as shown on slides.")


#: The table a canonical table's rows refer to (its foreign key's table).
TABLE_PARENTS: dict[str, str] = {
    "courses": "citizens",
    "registrations": "courses",
    "measurements": "courses",
    "goals": "courses",
    "activities": "courses",
    "goal_ratings": "goals",
}


def _pattern_example(pattern: str, star: str) -> str:
    """A file name ``pattern`` matches: ``*`` as ``star``, ``?`` as x, a set as its first."""
    return re.sub(r"\[!?([^\]])[^\]]*\]", r"\1", pattern).replace("*", star).replace("?", "x")


def _patterns_overlap(a: str, b: str) -> bool:
    """Whether two file globs can match one name (tested on names each pattern
    matches; exact for the patterns sources use: a prefix, a star, a suffix)."""
    a, b = a.lower(), b.lower()
    for star in ("", "x", "_20240101"):
        if fnmatch.fnmatchcase(_pattern_example(a, star), b):
            return True
        if fnmatch.fnmatchcase(_pattern_example(b, star), a):
            return True
    return False


class DatadialogConfig(Strict):
    organisation: Organisation
    life_areas: list[LifeArea] = Field(default_factory=list)
    teams: list[Team]
    interventions: list[Intervention]
    instruments: list[Instrument]
    measurement_plan: list[InterventionPlan]
    sources: list[Source]
    costs: Costs = Costs()
    meetings: list[MeetingSeries] = Field(default_factory=list)
    agenda: Agenda = Field(
        default_factory=Agenda,
        description="Who is on a citizen-level agenda and why: priorities, then rotation.")
    trials: list[ImprovementTrial] = Field(
        default_factory=list,
        description="Improvement trials (PDSA) followed on run charts at intervention level.")
    privacy: Privacy = Privacy()
    quality: Quality = Quality()
    ingest: Ingest = Ingest()
    expected_course: ExpectedCourse = Field(
        ExpectedCourse(),
        description="Expected course and off-course flags (docs/expected_course.md).",
    )

    def instrument(self, instrument_id: str) -> Instrument:
        return next(i for i in self.instruments if i.id == instrument_id)

    def intervention(self, intervention_id: str) -> Intervention:
        return next(i for i in self.interventions if i.id == intervention_id)

    def source_problems(self) -> list[tuple[str, str]]:
        """(where, message) for source mappings that would fail at ingest, as far as the
        config alone tells: file patterns two tables (or sources) both match, and tables
        whose references no source fills (courses need citizens, measurements need
        courses ...). ``where`` names the source and table by id and name."""
        problems: list[tuple[str, str]] = []
        entries = [(s, t) for s in self.sources for t in s.tables]
        for i, (source_a, table_a) in enumerate(entries):
            for source_b, table_b in entries[i + 1 :]:
                if source_a.format != source_b.format:
                    continue
                if source_a.id == source_b.id and source_a.format == "xlsx":
                    continue  # one workbook, several sheets: meant to share the pattern
                if not _patterns_overlap(table_a.file_pattern, table_b.file_pattern):
                    continue
                problems.append((
                    f"sources[{source_a.id}].tables[{table_a.canonical}]",
                    f"file_pattern {table_a.file_pattern!r} and {table_b.file_pattern!r} "
                    f"(sources[{source_b.id}].tables[{table_b.canonical}]) can match the "
                    "same file name; a file must match one table: make the patterns distinct",
                ))
        filled = {t.canonical for _, t in entries}
        derived_citizens = any(t.derive_citizens for _, t in entries)
        for source, table in entries:
            parent = TABLE_PARENTS.get(table.canonical)
            if parent is None or parent in filled:
                continue
            if parent == "citizens" and (table.derive_citizens or derived_citizens):
                continue
            hint = (
                " (or set derive_citizens: true on the courses table when the system exports "
                "no citizens)" if parent == "citizens" else ""
            )
            problems.append((
                f"sources[{source.id}].tables[{table.canonical}]",
                f"its rows refer to {parent}, but no source has a {parent} table: every row "
                f"would be quarantined; map the {parent} export{hint}",
            ))
        return problems

    def check_references(self) -> list[tuple[tuple[str | int, ...], str]]:
        """Return (key path, message) for every reference to an unknown id."""
        problems: list[tuple[tuple[str | int, ...], str]] = []
        interventions = {i.id for i in self.interventions}
        instruments = {i.id for i in self.instruments}
        teams = {t.id for t in self.teams}

        def unique(section: str, ids: list[str]) -> None:
            seen: set[str] = set()
            for idx, value in enumerate(ids):
                if value in seen:
                    problems.append(((section, idx, "id"), f"duplicate id {value!r}"))
                seen.add(value)

        unique("teams", [t.id for t in self.teams])
        unique("interventions", [i.id for i in self.interventions])
        unique("instruments", [i.id for i in self.instruments])
        unique("sources", [s.id for s in self.sources])
        source_ids = {s.id for s in self.sources}
        for si, source in enumerate(self.sources):
            for j, other in enumerate(source.takes_over):
                if other not in source_ids or other == source.id:
                    problems.append((("sources", si, "takes_over", j),
                                     f"not another source's id: {other!r}"))
        unique("meetings", [m.id for m in self.meetings])
        unique("trials", [tr.id for tr in self.trials])
        if self.agenda.alliance_instrument and self.agenda.alliance_instrument not in instruments:
            problems.append((("agenda", "alliance_instrument"),
                             f"unknown instrument {self.agenda.alliance_instrument!r}"))
        seen_priorities: set[str] = set()
        for pi, priority in enumerate(self.agenda.priorities):
            if priority.id in seen_priorities:
                problems.append((("agenda", "priorities", pi, "id"),
                                 f"duplicate id {priority.id!r}"))
            seen_priorities.add(priority.id)
        for ti, trial in enumerate(self.trials):
            if trial.intervention not in interventions:
                problems.append((("trials", ti, "intervention"),
                                 f"unknown intervention {trial.intervention!r}"))
            if trial.instrument not in instruments:
                problems.append((("trials", ti, "instrument"),
                                 f"unknown instrument {trial.instrument!r}"))

        for ti, team in enumerate(self.teams):
            for j, iid in enumerate(team.interventions):
                if iid not in interventions:
                    problems.append(
                        (("teams", ti, "interventions", j), f"unknown intervention {iid!r}")
                    )
        unique("life_areas", [a.id for a in self.life_areas])
        for ii, inter in enumerate(self.interventions):
            for ni, node in enumerate(inter.result_map.nodes):
                if node.indicator and node.indicator.instrument not in instruments:
                    problems.append(
                        (
                            (
                                "interventions",
                                ii,
                                "result_map",
                                "nodes",
                                ni,
                                "indicator",
                                "instrument",
                            ),
                            f"unknown instrument {node.indicator.instrument!r}",
                        )
                    )
        for pi, plan in enumerate(self.measurement_plan):
            if plan.intervention not in interventions:
                problems.append(
                    (
                        ("measurement_plan", pi, "intervention"),
                        f"unknown intervention {plan.intervention!r}",
                    )
                )
            for qi, point in enumerate(plan.points):
                if point.instrument not in instruments:
                    problems.append(
                        (
                            ("measurement_plan", pi, "points", qi, "instrument"),
                            f"unknown instrument {point.instrument!r}",
                        )
                    )
        for ri, rate in enumerate(self.costs.rates):
            if rate.intervention not in interventions:
                problems.append(
                    (
                        ("costs", "rates", ri, "intervention"),
                        f"unknown intervention {rate.intervention!r}",
                    )
                )
        for mi, meeting in enumerate(self.meetings):
            if meeting.intervention is not None and meeting.intervention not in interventions:
                problems.append(
                    (
                        ("meetings", mi, "intervention"),
                        f"unknown intervention {meeting.intervention!r}",
                    )
                )
            if meeting.team is not None and meeting.team not in teams:
                problems.append((("meetings", mi, "team"), f"unknown team {meeting.team!r}"))
            if meeting.level in ("citizen", "progress") and meeting.team is None:
                problems.append(
                    (("meetings", mi, "team"), f"a {meeting.level}-level meeting needs a team")
                )
            if meeting.level == "intervention" and meeting.intervention is None:
                problems.append(
                    (("meetings", mi, "intervention"), "an intervention-level meeting needs one")
                )
            if meeting.team is not None and meeting.team in teams:
                scope = [t for t in self.teams if t.id == meeting.team]
            elif meeting.intervention is not None:
                scope = [t for t in self.teams if meeting.intervention in t.interventions]
            else:
                scope = list(self.teams)
            allowed = {m.email.lower() for t in scope for m in t.members}
            for ri, addr in enumerate(meeting.recipients):
                if addr != addr.strip():
                    why = "has spaces around it"
                elif not _EMAIL.fullmatch(addr):
                    why = "is not an e-mail address"
                elif addr.lower() not in allowed:
                    why = "is not a member of the meeting's team(s)"
                else:
                    continue
                problems.append((("meetings", mi, "recipients", ri), f"{addr!r} {why}"))
        alliance = self.expected_course.alliance_instrument
        if alliance is not None and alliance not in instruments:
            problems.append(
                (
                    ("expected_course", "alliance_instrument"),
                    f"unknown instrument {alliance!r}",
                )
            )
        return problems
