"""Planted effects: how scores move in the fictitious municipality.

Everything here is a parameter of the *generator*, not of the product: the
product must find these patterns in the data without being told. Levels are in
"item-mean units" (the expected answer of one item); a form's items are drawn
around that level (see :func:`demo.model.draw_items`), so the total
of a ``sum`` instrument moves by ``n_items`` times a level change.

The five effects listed in ``manifest.json`` (see :func:`effect_entries`):

1. ``variant``: in ``ungepraktik`` the ``konfliktraad`` variant (victim-offender
   mediation) lowers YLS/CMI more from start to end, and at the 12-month
   follow-up only about 1 point comes back, against about 5 for ``standard``
   (the handbook's figure 8).
2. ``age_group``: in ``ungepraktik`` the 16-17-year-olds start about 2 points
   higher; the 14-15-year-olds improve more but lose more of the gain at the
   follow-up (figure 9).
3. ``rater_bias``: one staff member in ``voksen_oest`` scores the staff-rated
   instruments (ASI, KiK) about 0.7 points per item higher, in the calibration
   workshops too.
4. ``late_collection``: team ``unge_syd`` collects its measurements 20-40 days
   after they fall due (outside the tolerance window).
5. ``fidelity_outcome``: the more the core elements are in play (KiK), the
   larger the improvement on the outcome instruments.
6. ``off_course``: a few courses go the wrong way early: on every outcome instrument
   (and the SRS) the start-to-end change is mirrored (they worsen at least as much as
   the others improve on average) and reached by the first point after the start;
   their GAS goals slip a step. The expected-course flags must find them.
7. ``late_improver``: a few courses change little, even dip, until the end and then
   improve as usual: a signal must stay live and let them go at the end.
"""

from __future__ import annotations

from dataclasses import dataclass

# ---------------------------------------------------------------- who and where

#: Intervention, instrument and variant that carry effects 1 and 2.
VARIANT_INTERVENTION = "ungepraktik"
VARIANT_INSTRUMENT = "yls_cmi"
VARIANT_TREATED = "konfliktraad"
VARIANT_CONTROL = "standard"

#: Team that collects late (effect 4) and its delay window (days after due).
LATE_TEAM = "unge_syd"
LATE_DAYS = (20, 40)

#: Team of the lenient rater (effect 3), the shift per item (points) and the
#: instrument kinds it applies to (staff-rated validated instruments and KiK).
BIAS_TEAM = "voksen_oest"
RATER_BIAS = 0.7

# ---------------------------------------------------------------- fidelity (effect 5)

#: True fidelity per course ~ Normal(mean, sd) on the KiK 1-5 scale.
FIDELITY_MEAN = 3.7
FIDELITY_SD = 0.6
#: Change multiplier = 1 + slope * z(fidelity), clipped to FIDELITY_CLIP.
FIDELITY_SLOPE = 0.35
FIDELITY_CLIP = (0.2, 1.8)
#: KiK at the mid point sits this much below the course's fidelity.
FIDELITY_MID_DROP = 0.15
#: Courses that end as dropped out keep only this share of the change.
DROPOUT_FACTOR = 0.6

# ---------------------------------------------------------------- off course (effects 6, 7)

#: Share of courses planted off course, and the factor their start-to-end change is
#: multiplied by (-1: they worsen as much as the others improve).
OFF_COURSE_SHARE = 0.05
OFF_COURSE_FACTOR = -1.0
#: Share of courses planted as late improvers, and the share of their change reached
#: at every point before the end (negative: a small dip first).
LATE_IMPROVER_SHARE = 0.05
LATE_IMPROVER_EARLY = -0.2

# ---------------------------------------------------------------- YLS/CMI (effects 1, 2)

YLS_BASE_YOUNG = 19.0  # mean total at start, 14-15-year-olds (points of 0-42)
YLS_BASE_OLDER_EXTRA = 2.0  # 16-17-year-olds start this much higher
YLS_BASE_SD = 2.5
YLS_DROP = {"young": -9.0, "older": -6.0}  # start -> end, standard variant (points)
YLS_DROP_TREATED_EXTRA = -4.0  # konfliktraad lowers this much more
YLS_DROP_SD = 1.5
YLS_REBOUND = {VARIANT_CONTROL: 5.0, VARIANT_TREATED: 1.0}  # end -> fu12, mean over ages
YLS_REBOUND_AGE_FACTOR = {"young": 1.4, "older": 0.6}  # young lose more of the gain
YLS_REBOUND_SD = 1.0
#: Age (start year minus birth year) from which a youth counts as "older".
OLDER_FROM_AGE = 16

# ---------------------------------------------------------------- ASI by gender (fig. 5)

#: Extra severity on ASI item 1 (alcohol) at start, by gender (points).
ASI_ALCOHOL_GENDER = {"male": 0.3, "female": -0.2, "other": 0.0}


@dataclass(frozen=True)
class Trajectory:
    """How one instrument's level moves over a course (item-mean units).

    ``change`` is the mean start-to-end change (sign = direction of
    improvement), ``fu_loss`` the share of the change lost at a follow-up,
    ``item_sd`` the spread of fixed per-item offsets within a citizen, and
    ``other_level`` the level of items outside the total (SDQ prosocial).
    """

    base: float
    base_sd: float
    change: float
    change_sd: float
    fu_loss: float = 0.2
    item_sd: float = 0.0
    other_level: float | None = None


TRAJECTORIES: dict[str, Trajectory] = {
    # ORS: total 0-40 from about 20 at start to about 28 at the end.
    "ors": Trajectory(base=5.0, base_sd=1.1, change=2.0, change_sd=0.7, fu_loss=0.25, item_sd=0.8),
    # SRS: the alliance is mostly good and grows a little.
    "srs": Trajectory(base=8.2, base_sd=0.7, change=0.5, change_sd=0.3, fu_loss=0.0, item_sd=0.5),
    # SDQ parent: total difficulties about 18 at start, about 13 at the end.
    "sdq_p": Trajectory(
        base=0.9, base_sd=0.2, change=-0.25, change_sd=0.1, fu_loss=0.2, item_sd=0.25,
        other_level=1.4,
    ),
    # ASI-like severity 0-4 per domain: about 2.2 at start, 1.5 at the end.
    "asi": Trajectory(base=2.2, base_sd=0.35, change=-0.7, change_sd=0.3, fu_loss=0.2, item_sd=0.4),
}


def default_trajectory(item_min: float, item_max: float, higher_is_better: bool) -> Trajectory:
    """A plausible trajectory for an instrument the generator has no story for."""
    span = item_max - item_min
    sign = 1.0 if higher_is_better else -1.0
    return Trajectory(
        base=item_min + 0.5 * span,
        base_sd=0.12 * span,
        change=sign * 0.2 * span,
        change_sd=0.08 * span,
        fu_loss=0.2,
        item_sd=0.1 * span,
    )


def effect_entries(ds) -> list[dict]:
    """The manifest's ``effects``: what was planted, with the rows concerned."""
    entries: list[dict] = []
    info = ds.effect_info
    if "variant" in info:
        v = info["variant"]
        entries.append(
            {
                "kind": "variant",
                "intervention": VARIANT_INTERVENTION,
                "instrument": VARIANT_INSTRUMENT,
                "parameters": {
                    "variants": [VARIANT_CONTROL, VARIANT_TREATED],
                    "start_to_end_extra_points": YLS_DROP_TREATED_EXTRA,
                    "end_to_fu12_points": dict(YLS_REBOUND),
                    "note": "total score, higher is worse; planted means before rounding",
                },
                "course_refs": {k: list(refs) for k, refs in v.items()},
            }
        )
    if "age_group" in info:
        a = info["age_group"]
        entries.append(
            {
                "kind": "age_group",
                "intervention": VARIANT_INTERVENTION,
                "instrument": VARIANT_INSTRUMENT,
                "parameters": {
                    "groups": {"young": "14-15", "older": "16-17"},
                    "age": "start year minus birth year (also the registration field 'age')",
                    "start_points": {
                        "young": YLS_BASE_YOUNG,
                        "older": YLS_BASE_YOUNG + YLS_BASE_OLDER_EXTRA,
                    },
                    "start_to_end_points_standard": dict(YLS_DROP),
                    "fu12_rebound_factor": dict(YLS_REBOUND_AGE_FACTOR),
                },
                "course_refs": {k: list(refs) for k, refs in a.items()},
            }
        )
    if "rater_bias" in info:
        b = info["rater_bias"]
        entries.append(
            {
                "kind": "rater_bias",
                "intervention": b["intervention"],
                "team": BIAS_TEAM,
                "staff_id": b["staff_id"],
                "instruments": b["instruments"],
                "parameters": {"points_per_item": RATER_BIAS, "also_in_calibration": True},
                "course_refs": list(b["course_refs"]),
            }
        )
    if "late_collection" in info:
        lc = info["late_collection"]
        entries.append(
            {
                "kind": "late_collection",
                "intervention": lc["intervention"],
                "team": LATE_TEAM,
                "parameters": {
                    "days_after_due": list(LATE_DAYS),
                    "note": "every measurement point; clamped to as_of when the window closed",
                },
                "course_refs": list(lc["course_refs"]),
            }
        )
    if "off_course" in info:
        oc = info["off_course"]
        entries.append(
            {
                "kind": "off_course",
                "intervention": None,
                "parameters": {
                    "share_of_courses": OFF_COURSE_SHARE,
                    "change_factor": OFF_COURSE_FACTOR,
                    "applies_to": "every outcome instrument and the SRS; GAS goals slip a step",
                    "note": "form_refs: the planted courses' forms after their first one, "
                    "per instrument (fidelity forms not included)",
                },
                "course_refs": list(oc["course_refs"]),
                "form_refs": off_course_forms(ds, oc["course_refs"]),
            }
        )
        entries.append(
            {
                "kind": "late_improver",
                "intervention": None,
                "parameters": {
                    "share_of_courses": LATE_IMPROVER_SHARE,
                    "share_of_change_before_end": LATE_IMPROVER_EARLY,
                    "note": "the usual change is reached only at the end point",
                },
                "course_refs": list(info["late_improver"]["course_refs"]),
            }
        )
    entries.append(
        {
            "kind": "fidelity_outcome",
            "intervention": None,
            "instrument": "kik",
            "parameters": {
                "fidelity_mean": FIDELITY_MEAN,
                "fidelity_sd": FIDELITY_SD,
                "change_multiplier": f"1 + {FIDELITY_SLOPE} * (fidelity - {FIDELITY_MEAN}) / "
                f"{FIDELITY_SD}, clipped to {list(FIDELITY_CLIP)}",
                "applies_to": "every outcome instrument and the GAS end ratings",
                "dropout_factor": DROPOUT_FACTOR,
            },
            "course_refs": None,
        }
    )
    entries.append(
        {
            "kind": "baseline_by_gender",
            "intervention": None,
            "instrument": "asi",
            "parameters": {"item": 1, "extra_points_at_start": dict(ASI_ALCOHOL_GENDER)},
            "course_refs": None,
        }
    )
    return entries


def off_course_forms(ds, course_refs: list[str]) -> list[str]:
    """Form refs of the planted courses after each instrument's first form (the rows
    where the course is off its expected course), fidelity forms left out."""
    forms = ds.forms
    fidelity = {i.id for i in ds.config.instruments if i.kind == "fidelity"}
    wanted = set(course_refs)
    seen: set[tuple[str, str]] = set()
    refs: list[str] = []
    order = sorted(
        range(len(forms)),
        key=lambda k: (forms["course_ref"][k], forms["measured_on"][k], forms["form_ref"][k]),
    )
    for k in order:
        course, instrument = forms["course_ref"][k], forms["instrument_id"][k]
        if course not in wanted or instrument in fidelity:
            continue
        if (course, instrument) in seen:
            refs.append(str(forms["form_ref"][k]))
        seen.add((course, instrument))
    return sorted(refs)
