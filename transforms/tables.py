"""The canonical staging tables: their load order and their keys (docs/canonical.md)."""

from __future__ import annotations

#: Canonical tables in load order: what a table refers to is loaded before it, so
#: cross-file references within one batch resolve (citizens, then courses, ...).
TABLE_ORDER: list[str] = [
    "citizens",
    "courses",
    "goals",
    "registrations",
    "measurements",
    "goal_ratings",
    "activities",
    "costs",
    "calibration_scores",
]

#: Key columns of each staging table (docs/canonical.md). Tables without a key
#: identify a record by all its values (see docs/canonical.md, "Ingest rules").
TABLE_KEYS: dict[str, list[str]] = {
    "citizens": ["citizen_id"],
    "courses": ["course_id"],
    "registrations": [],
    "measurements": ["form_id", "item_no"],
    "goals": ["goal_id"],
    "goal_ratings": ["goal_id", "rated_on"],
    "activities": [],
    "costs": ["intervention_id", "quarter", "cost_type"],
    "calibration_scores": ["workshop_id", "staff_id", "instrument_id", "case_ref", "item_no"],
}
