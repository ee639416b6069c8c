"""Write the typed config into the ``ref`` schema, so SQL models read config facts as tables.

Every build calls :func:`write_reference` first: it recreates the ``ref.*`` tables from
``transforms/sql/ddl/reference.sql`` and fills them from a :class:`DatadialogConfig`.
The row builders (``*_rows``) are pure functions of the config and are tested on their own.

A few analysis settings are not (yet) part of the config; they are named constants here,
each with its meaning, and land in ``ref.age_bands``, ``ref.fidelity_levels`` and
``ref.settings`` next to the config values.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pyarrow as pa

from datadialog.config_model import DatadialogConfig, Instrument
from transforms.schema import recreate_reference_tables

#: Scale id of an instrument's total score (a subscale may not use it).
TOTAL_SCALE = "total"

#: Age bands in whole years at course start (inclusive). The 14-15 / 16-17 split is the
#: handbook's youth comparison (fig. 9); children's and adults' bands are coarser.
AGE_BANDS: list[tuple[str, int, int]] = [
    ("0-5", 0, 5),
    ("6-9", 6, 9),
    ("10-13", 10, 13),
    ("14-15", 14, 15),
    ("16-17", 16, 17),
    ("18-24", 18, 24),
    ("25-34", 25, 34),
    ("35-49", 35, 49),
    ("50-64", 50, 64),
    ("65+", 65, 150),
]

#: Fidelity levels by where a course's mean fidelity score lies in the item range
#: (0 = item_min, 1 = item_max). On KiK's 1-5 scale: low below 3, medium 3 to under 4,
#: high 4 and above.
FIDELITY_LEVELS: list[tuple[str, float, float]] = [
    ("low", 0.0, 0.5),
    ("medium", 0.5, 0.75),
    ("high", 0.75, 1.0),
]

#: Goal attainment categories in the handbook's order (fig. 6).
GOAL_CATEGORIES: list[str] = [
    "progression_reached",
    "positive_development",
    "maintenance_reached",
    "no_development",
    "deterioration",
]

#: |RC| above this value is reliable change (Jacobson & Truax: 1.96, p < .05 two-sided).
RELIABLE_CHANGE_Z = 1.96

#: Normal quantile used for all 95 % confidence intervals (means and Wilson shares).
CONFIDENCE_Z = 1.96

#: A form further than tolerance_days from a due date, but within tolerance_days times
#: this factor, is still assigned to the nearest planned point (as early or late);
#: beyond that it is unplanned. Safe range 1-5.
POINT_WINDOW_FACTOR = 3.0


#: MAD x this factor estimates the SD of a normal distribution (1 / Phi^-1(0.75)).
ROBUST_SD_FACTOR = 1.4826


class ReferenceConfigError(ValueError):
    """The config cannot be written as reference tables (e.g. a subscale named 'total')."""


def instrument_rows(config: DatadialogConfig) -> list[tuple]:
    goal_instrument = next((i.id for i in config.instruments if i.scoring == "gas"), None)
    rows = []
    for order, ins in enumerate(config.instruments, start=1):
        rows.append(
            (
                ins.id,
                ins.name,
                ins.kind,
                ins.rater,
                ins.n_items,
                ins.item_min,
                ins.item_max,
                ins.scoring,
                ins.direction,
                1 if ins.direction == "higher_is_better" else -1,
                ins.max_missing_items,
                ins.reliable_change_points,
                ins.items_per_subject,
                ins.gas_rho,
                ins.id == goal_instrument,
                order,
            )
        )
    return rows


def _total_items(ins: Instrument) -> list[int]:
    return sorted(set(ins.total_items)) if ins.total_items else list(range(1, ins.n_items + 1))


def instrument_item_rows(config: DatadialogConfig) -> list[tuple]:
    rows = []
    for ins in config.instruments:
        total = set(_total_items(ins))
        reversed_items = set(ins.reversed_items)
        for item in range(1, ins.n_items + 1):
            rows.append((ins.id, item, item in reversed_items, item in total))
    return rows


def scale_rows(config: DatadialogConfig) -> tuple[list[tuple], list[tuple]]:
    """Return (ref.scales rows, ref.scale_items rows); the total is scale 'total'."""
    scales, members = [], []
    for ins in config.instruments:
        total = _total_items(ins)
        scales.append((ins.id, TOTAL_SCALE, True, len(total), 0))
        members.extend((ins.id, TOTAL_SCALE, item) for item in total)
        for order, sub in enumerate(ins.subscales, start=1):
            if sub.id == TOTAL_SCALE:
                raise ReferenceConfigError(
                    f"instrument {ins.id!r}: a subscale may not be called {TOTAL_SCALE!r}"
                )
            items = sorted(set(sub.items))
            scales.append((ins.id, sub.id, False, len(items), order))
            members.extend((ins.id, sub.id, item) for item in items)
    return scales, members


def norm_group_rows(config: DatadialogConfig) -> tuple[list[tuple], list[tuple]]:
    """Return (ref.norm_groups rows, ref.bands rows)."""
    groups, bands = [], []
    for ins in config.instruments:
        for name, group in ins.norm_groups.items():
            groups.append((ins.id, name, group.cutoff, group.sd, group.reliability))
            ordered = sorted(group.bands, key=lambda b: b.min)
            for order, band in enumerate(ordered, start=1):
                next_min = ordered[order].min if order < len(ordered) else None
                bands.append((ins.id, name, order, band.label, band.min, band.max, next_min))
    return groups, bands


def intervention_rows(config: DatadialogConfig) -> dict[str, list[tuple]]:
    interventions, variants, elements = [], [], []
    for order, inter in enumerate(config.interventions, start=1):
        interventions.append((inter.id, inter.name, inter.target_group, inter.norm_group, order))
        for v_order, variant in enumerate(inter.variants or ["standard"], start=1):
            variants.append((inter.id, variant, v_order))
        for e_no, element in enumerate(inter.core_elements, start=1):
            elements.append((inter.id, e_no, element.id, element.name, element.reflection_question))
    return {"interventions": interventions, "variants": variants, "core_elements": elements}


def plan_rows(config: DatadialogConfig) -> list[tuple]:
    rows = []
    for plan in config.measurement_plan:
        point_order: dict[str, int] = {}
        for point in plan.points:
            point_order.setdefault(point.point, len(point_order) + 1)
            rows.append(
                (
                    plan.intervention,
                    point.point,
                    point_order[point.point],
                    point.instrument,
                    point.anchor,
                    point.offset_days,
                    point.tolerance_days,
                    point.repeat_every_days,
                    point.before_start_grace_days,
                    point.after_end_grace_days,
                )
            )
    return rows


def settings_row(config: DatadialogConfig, as_of: date) -> tuple:
    return (
        config.privacy.small_cell_k,
        RELIABLE_CHANGE_Z,
        CONFIDENCE_Z,
        POINT_WINDOW_FACTOR,
        as_of,
    )


def expected_course_row(config: DatadialogConfig) -> tuple:
    ec = config.expected_course
    return (
        ec.min_reference_courses,
        ec.band_z,
        ec.intake_bands,
        ec.validation_share,
        ec.alliance_instrument,
        ec.alliance_drop_points,
        ROBUST_SD_FACTOR,
    )


def cost_rows(config: DatadialogConfig) -> dict[str, list[tuple]]:
    """ref.cost_rates (one row per configured rate) and ref.cost_settings (one row)."""
    rates = [
        (r.intervention, r.hourly_rate_dkk, r.fixed_per_quarter_dkk) for r in config.costs.rates
    ]
    return {
        "cost_rates": rates,
        "cost_settings": [(config.costs.currency, config.costs.dominance_share)],
    }


def reference_rows(config: DatadialogConfig, as_of: date) -> dict[str, list[tuple]]:
    """All ref tables as {table name: rows}; pure function of the config and the date."""
    scales, scale_items = scale_rows(config)
    groups, bands = norm_group_rows(config)
    return {
        "instruments": instrument_rows(config),
        "instrument_items": instrument_item_rows(config),
        "scales": scales,
        "scale_items": scale_items,
        "norm_groups": groups,
        "bands": bands,
        **intervention_rows(config),
        "life_areas": [(a.id, a.name, n) for n, a in enumerate(config.life_areas, start=1)],
        "measurement_plan": plan_rows(config),
        "goal_categories": [(c, n) for n, c in enumerate(GOAL_CATEGORIES, start=1)],
        "age_bands": [(label, lo, hi, n) for n, (label, lo, hi) in enumerate(AGE_BANDS, 1)],
        "fidelity_levels": [
            (label, lo, hi, n) for n, (label, lo, hi) in enumerate(FIDELITY_LEVELS, 1)
        ],
        "settings": [settings_row(config, as_of)],
        "expected_course_settings": [expected_course_row(config)],
        "agenda_settings": [(config.agenda.alliance_instrument, config.agenda.long_course_days)],
        **cost_rows(config),
    }


def write_reference(
    con: duckdb.DuckDBPyConnection, config: DatadialogConfig, as_of: date
) -> dict[str, int]:
    """Recreate the ref tables and fill them; return {table: rows written}."""
    tables = reference_rows(config, as_of)
    recreate_reference_tables(con)
    for table, rows in tables.items():
        if not rows:
            continue
        target = f"ref.{table}"
        columns = con.table(target).columns
        data = pa.table({name: [row[i] for row in rows] for i, name in enumerate(columns)})
        con.from_arrow(data).insert_into(target)
    return {table: len(rows) for table, rows in tables.items()}
