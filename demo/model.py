"""The canonical demo dataset: a fictitious municipality, drawn from one seed.

:func:`build_core` returns a :class:`Dataset` whose tables hold the canonical
content (canonical column names, citizen *refs*, not pseudonyms) in the order
the exports write it. Everything is vectorised with numpy so that 100 000
courses stay fast; each part of the model draws from its own child stream of
``numpy.random.SeedSequence(seed)``, so the same seed always gives the same data.

Representation inside a :class:`Table`: text columns are numpy object arrays
(``None`` = empty), dates are int32 day numbers since 1970-01-01 (``-1`` =
empty), numbers are float64 (``NaN`` = empty), integers int64. Columns whose
name starts with ``_`` are helpers (routing, measurement point, due date) and
not part of the canonical content.

Measurements are held per *form* (one row per completed form) with the item
answers in :class:`Items` (ragged: ``offsets[f]:offsets[f+1]`` are the items of
form ``f``). The long canonical table repeats the form's fields, note included,
on every item row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from datadialog.config_model import DatadialogConfig
from demo import effects as fx
from demo import texts

EPOCH = date(1970, 1, 1)
NULL_DAY = -1

#: Canonical columns per table with their kind (str | date | int | num | money).
COLUMNS: dict[str, list[tuple[str, str]]] = {
    "citizens": [("citizen_ref", "str"), ("gender", "str"), ("birth_year", "int")],
    "courses": [
        ("course_ref", "str"), ("citizen_ref", "str"), ("intervention_id", "str"),
        ("variant", "str"), ("team_id", "str"), ("start_date", "date"), ("end_date", "date"),
        ("end_reason", "str"),
    ],
    "registrations": [
        ("course_ref", "str"), ("registered_on", "date"), ("stage", "str"), ("field", "str"),
        ("value", "str"),
    ],
    "measurements": [
        ("form_ref", "str"), ("course_ref", "str"), ("instrument_id", "str"),
        ("measured_on", "date"), ("staff_id", "str"), ("rater_role", "str"), ("item_no", "int"),
        ("value", "num"), ("note", "str"),
    ],
    "goals": [
        ("goal_ref", "str"), ("course_ref", "str"), ("life_area", "str"), ("goal_type", "str"),
        ("set_on", "date"), ("weight", "num"), ("description", "str"),
    ],
    "goal_ratings": [
        ("goal_ref", "str"), ("rated_on", "date"), ("score", "int"), ("staff_id", "str"),
    ],
    "activities": [
        ("course_ref", "str"), ("activity_date", "date"), ("activity_type", "str"),
        ("minutes", "num"), ("staff_id", "str"),
    ],
    "costs": [
        ("intervention_id", "str"), ("quarter", "str"), ("cost_type", "str"),
        ("amount_dkk", "money"), ("hours", "num"),
    ],
    "calibration_scores": [
        ("workshop_id", "str"), ("workshop_date", "date"), ("staff_id", "str"),
        ("instrument_id", "str"), ("case_ref", "str"), ("item_no", "int"), ("value", "num"),
    ],
}
KINDS: dict[str, dict[str, str]] = {t: dict(cols) for t, cols in COLUMNS.items()}
TABLES = list(COLUMNS)
#: Form-level columns of measurements (everything except item_no and value).
FORM_COLUMNS = [c for c, _ in COLUMNS["measurements"] if c not in ("item_no", "value")]

END_REASONS = ["completed_planned", "dropped_out", "moved", "referred_on"]
END_REASON_P = [0.70, 0.18, 0.05, 0.07]
COST_TYPES = ["staff", "fixed", "per_course"]

#: Per intervention: age range at start, gender shares, course length (days).
PROFILES: dict[str, dict] = {
    "spaedbarn": {"age": (18, 40), "age_mean": 29, "female": 0.82, "other": 0.01,
                  "days": (180, 365)},
    "ungepraktik": {"age": (14, 17), "female": 0.3, "other": 0.02, "days": (120, 270)},
    "boernegrupper": {"age": (6, 12), "female": 0.5, "other": 0.01, "days": (120, 180)},
    "voksenstoette": {"age": (20, 65), "age_mean": 41, "female": 0.45, "other": 0.01,
                      "days": (150, 365)},
}
DEFAULT_PROFILE = {"age": (18, 65), "female": 0.5, "other": 0.01, "days": (120, 300)}
MIN_COURSE_DAYS = 120
RETURN_SHARE = 0.04  # share of courses whose citizen had an earlier course
NOTE_SHARE = {"kik": 0.3, "ors": 0.04, "srs": 0.04}
NOTE_SHARE_OTHER = 0.01
PER_COURSE_DKK = {"spaedbarn": 1800.0, "ungepraktik": 3200.0, "boernegrupper": 900.0,
                  "voksenstoette": 1200.0}
STAFF_OVERHEAD = 1.5  # paid hours per hour of registered activity
WORKSHOPS = 3

STREAMS = [
    "staff", "courses", "citizens", "levels", "forms", "goals", "registrations",
    "activities", "costs", "calibration", "notes", "defects", "signals",
]


def to_day(d: date) -> int:
    return (d - EPOCH).days


def from_day(n: int) -> date:
    return EPOCH + timedelta(days=int(n))


def years_of(days: np.ndarray) -> np.ndarray:
    """Calendar year of day numbers."""
    return days.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970


def ranges(counts: np.ndarray) -> np.ndarray:
    """Concatenated ``arange(c)`` for every count (vectorised)."""
    counts = np.asarray(counts, dtype=np.int64)
    total = int(counts.sum())
    starts = np.repeat(np.cumsum(counts) - counts, counts)
    return np.arange(total, dtype=np.int64) - starts


def obj(values) -> np.ndarray:
    """A 1-d numpy object array (text column)."""
    out = np.empty(len(values), dtype=object)
    out[:] = list(values)
    return out


def choose(rng: np.random.Generator, weights: dict, size: int) -> np.ndarray:
    """Draw ``size`` keys of ``weights`` (a {value: weight} dict) as an object array."""
    keys = list(weights)
    p = np.array([weights[k] for k in keys], dtype=float)
    idx = rng.choice(len(keys), size=size, p=p / p.sum())
    return obj(keys)[idx] if size else obj([])


@dataclass
class Table:
    """Columns of one table in export order (see the module docstring)."""

    name: str
    columns: dict[str, np.ndarray]

    def __len__(self) -> int:
        return len(next(iter(self.columns.values()))) if self.columns else 0

    def take(self, idx: np.ndarray) -> Table:
        return Table(self.name, {k: v[idx] for k, v in self.columns.items()})

    def __getitem__(self, column: str) -> np.ndarray:
        return self.columns[column]


@dataclass
class Items:
    """Item answers of the forms: ``offsets`` (F+1), ``item_no`` and ``value`` (flat)."""

    offsets: np.ndarray
    item_no: np.ndarray
    value: np.ndarray

    def counts(self) -> np.ndarray:
        return np.diff(self.offsets)

    def take(self, forms: np.ndarray) -> Items:
        counts = self.counts()[forms]
        flat = np.repeat(self.offsets[:-1][forms], counts) + ranges(counts)
        offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        return Items(offsets, self.item_no[flat], self.value[flat])

    def of(self, form: int) -> tuple[np.ndarray, np.ndarray]:
        a, b = self.offsets[form], self.offsets[form + 1]
        return self.item_no[a:b], self.value[a:b]


@dataclass
class Dataset:
    """The canonical demo dataset plus what the writers need to plant defects.

    ``tables`` are the export tables (measurements per form, items in
    ``items``); :attr:`frames` gives the canonical content as pandas frames.
    ``patches`` and ``extras`` (see :mod:`demo.defects`) say which
    export rows carry raw text, which rows are not canonical, and which extra
    rows only exist in the files.
    """

    seed: int
    as_of: date
    n_courses: int
    config: DatadialogConfig
    interventions: list[str]
    tables: dict[str, Table]
    items: Items
    staff: Table
    effect_info: dict = field(default_factory=dict)
    patches: list = field(default_factory=list)
    extras: list = field(default_factory=list)
    defects: list = field(default_factory=list)
    streams: dict = field(default_factory=dict)

    def __repr__(self) -> str:
        sizes = ", ".join(f"{k}={len(v)}" for k, v in self.tables.items())
        return (f"Dataset(seed={self.seed}, as_of={self.as_of}, n_courses={self.n_courses}, "
                f"{sizes}, defects={len(self.defects)})")

    @property
    def forms(self) -> Table:
        return self.tables["measurements"]

    def excluded_rows(self, table: str) -> set[int]:
        """Export rows (forms for measurements) that are not canonical content."""
        return {p.row for p in self.patches if p.table == table and p.exclude and p.item_no is None}

    def excluded_items(self) -> set[tuple[int, int]]:
        return {
            (p.row, p.item_no)
            for p in self.patches
            if p.table == "measurements" and p.exclude and p.item_no is not None
        }


# ====================================================================== building


def build_core(seed: int, n_courses: int, as_of: date, config: DatadialogConfig) -> Dataset:
    """Draw the whole canonical dataset (before defects) for one seed."""
    if n_courses < 1:
        raise ValueError("courses must be at least 1")
    children = np.random.SeedSequence(seed).spawn(len(STREAMS))
    rng = {name: np.random.default_rng(s) for name, s in zip(STREAMS, children, strict=True)}
    b = _Builder(config, as_of, rng)
    b.staff_members()
    b.courses(n_courses)
    b.citizens()
    b.levels()
    b.form_stubs()
    b.goals()
    b.form_values()
    b.registrations()
    b.activities()
    b.costs()
    b.calibration()
    ds = Dataset(
        seed=seed,
        as_of=as_of,
        n_courses=n_courses,
        config=config,
        interventions=b.ivs,
        tables=b.tables,
        items=b.items,
        staff=b.staff,
        effect_info=b.effect_info,
        streams=rng,
    )
    return ds


class _Builder:
    """Holds the intermediate arrays while the dataset is drawn (one method per part)."""

    def __init__(self, config: DatadialogConfig, as_of: date, rng: dict):
        self.cfg = config
        self.as_of = as_of
        self.today = to_day(as_of)
        self.rng = rng
        self.ivs = [i.id for i in config.interventions]
        self.delivery = [t for t in config.teams if any(m.role == "staff" for m in t.members)]
        self.team_ids = [t.id for t in self.delivery]
        self.teams_of = {
            iv: [ti for ti, t in enumerate(self.delivery) if iv in t.interventions]
            for iv in self.ivs
        }
        self.instruments = {i.id: i for i in config.instruments}
        self.inst_ids = [i.id for i in config.instruments]
        self.point_ids: list[str] = []
        self.tables: dict[str, Table] = {}
        self.effect_info: dict = {}

    # ------------------------------------------------------------------ staff
    def staff_members(self) -> None:
        rng = self.rng["staff"]
        ids, teams = [], []
        for ti, _team in enumerate(self.delivery):
            for _ in range(int(rng.integers(2, 5))):
                ids.append(f"M{len(ids) + 1:02d}")
                teams.append(ti)
        self.staff_id = obj(ids)
        self.staff_team = np.array(teams, dtype=np.int64)
        self.staff = Table("staff", {"staff_id": self.staff_id,
                                     "team_id": obj(self.team_ids)[teams]})
        self.biased_staff = -1
        if fx.BIAS_TEAM in self.team_ids:
            members = np.flatnonzero(self.staff_team == self.team_ids.index(fx.BIAS_TEAM))
            self.biased_staff = int(members[rng.integers(0, len(members))])

    # ------------------------------------------------------------------ courses
    def courses(self, n: int) -> None:
        rng = self.rng["courses"]
        active = [k for k, iv in enumerate(self.ivs) if self.teams_of[iv]]
        if not active:
            raise ValueError("no intervention has a delivery team in the config")
        k = len(active)
        counts = [n // k + (1 if i < n % k else 0) for i in range(k)]
        iv = rng.permutation(np.repeat(np.array(active, dtype=np.int64), counts))
        try:
            first = self.as_of.replace(year=self.as_of.year - 3)
        except ValueError:  # 29 February
            first = self.as_of.replace(year=self.as_of.year - 3, day=28)
        start = np.sort(rng.integers(to_day(first), self.today - 14 + 1, size=n))
        reason = rng.choice(len(END_REASONS), size=n, p=END_REASON_P)
        days = np.zeros(n, dtype=np.int64)
        team = np.zeros(n, dtype=np.int64)
        variant = np.empty(n, dtype=object)
        for ivk in active:
            m = iv == ivk
            lo, hi = self.profile(ivk)["days"]
            days[m] = rng.integers(lo, hi + 1, size=m.sum())
            options = self.teams_of[self.ivs[ivk]]
            team[m] = np.array(options)[rng.integers(0, len(options), size=m.sum())]
            variants = self.cfg.interventions[ivk].variants or ["standard"]
            variant[m] = obj(variants)[rng.integers(0, len(variants), size=m.sum())]
        short = reason != 0
        days[short] = np.maximum(
            MIN_COURSE_DAYS, np.round(days[short] * rng.uniform(0.5, 0.9, size=short.sum()))
        ).astype(np.int64)
        end = start + days
        closed = end <= self.today
        staff = np.zeros(n, dtype=np.int64)
        for ti in range(len(self.delivery)):
            m = team == ti
            members = np.flatnonzero(self.staff_team == ti)
            staff[m] = members[rng.integers(0, len(members), size=m.sum())]
        self.n = n
        self.c_iv = iv
        self.c_start = start
        self.c_planned_end = end
        self.c_end = np.where(closed, end, NULL_DAY)
        self.c_closed = closed
        self.c_reason = np.where(closed, reason, -1)
        self.c_team = team
        self.c_staff = staff
        self.c_variant = variant
        self.course_ref = obj([f"F{i + 1:07d}" for i in range(n)])

    def profile(self, ivk: int) -> dict:
        return PROFILES.get(self.ivs[ivk], DEFAULT_PROFILE)

    # ------------------------------------------------------------------ citizens
    def citizens(self) -> None:
        rng = self.rng["citizens"]
        n = self.n
        age = np.zeros(n, dtype=np.int64)
        gender = np.empty(n, dtype=object)
        for ivk in np.unique(self.c_iv):
            m = self.c_iv == ivk
            p = self.profile(int(ivk))
            lo, hi = p["age"]
            if "age_mean" in p:
                a = np.round(rng.normal(p["age_mean"], (hi - lo) / 4, size=m.sum()))
                age[m] = np.clip(a, lo, hi).astype(np.int64)
            else:
                age[m] = rng.integers(lo, hi + 1, size=m.sum())
            female, other = p["female"], p["other"]
            gender[m] = choose(rng, {"female": female, "male": 1 - female - other, "other": other},
                               int(m.sum()))
        year = years_of(self.c_start)
        birth = year - age
        citizen = np.arange(n)
        used = np.zeros(n, dtype=bool)
        by_iv = {int(k): np.flatnonzero(self.c_iv == k) for k in np.unique(self.c_iv)}
        for j in np.flatnonzero(rng.random(n) < RETURN_SHARE):
            if used[j]:
                continue
            same = by_iv[int(self.c_iv[j])]
            m = int(np.searchsorted(same, j))
            if m == 0:
                continue
            lo, hi = self.profile(int(self.c_iv[j]))["age"]
            for i in same[rng.integers(0, m, size=12)]:
                new_age = year[j] - birth[i]
                if (self.c_closed[i] and not used[i] and citizen[i] == i
                        and self.c_end[i] + 30 < self.c_start[j] and lo <= new_age <= hi):
                    citizen[j] = i
                    used[i] = used[j] = True
                    break
        self.c_citizen = citizen
        self.c_age = year - birth[citizen]
        self.c_gender = gender[citizen]
        keep = np.unique(citizen)
        refs = obj([f"B{c + 1:07d}" for c in keep])
        self.citizen_ref_of_course = obj([None] * n)
        ref_of = dict(zip(keep.tolist(), refs.tolist(), strict=True))
        self.citizen_ref_of_course[:] = [ref_of[c] for c in citizen.tolist()]
        self.tables["citizens"] = Table("citizens", {
            "citizen_ref": refs,
            "gender": gender[keep],
            "birth_year": birth[keep].astype(np.int64),
            "_iv": self.c_iv[keep],
        })
        self.tables["courses"] = Table("courses", {
            "course_ref": self.course_ref,
            "citizen_ref": self.citizen_ref_of_course,
            "intervention_id": obj(self.ivs)[self.c_iv],
            "variant": self.c_variant,
            "team_id": obj(self.team_ids)[self.c_team],
            "start_date": self.c_start.astype(np.int32),
            "end_date": self.c_end.astype(np.int32),
            "end_reason": obj(END_REASONS + [None])[self.c_reason],
            "_iv": self.c_iv,
            "_course": np.arange(n),
        })

    # ------------------------------------------------------------------ latent levels
    def levels(self) -> None:
        rng = self.rng["levels"]
        n = self.n
        f = np.clip(rng.normal(fx.FIDELITY_MEAN, fx.FIDELITY_SD, size=n), 1.3, 5.0)
        mult = np.clip(1 + fx.FIDELITY_SLOPE * (f - fx.FIDELITY_MEAN) / fx.FIDELITY_SD,
                       *fx.FIDELITY_CLIP)
        mult = np.where(self.c_reason == END_REASONS.index("dropped_out"),
                        mult * fx.DROPOUT_FACTOR, mult)
        self.fidelity = f
        self.mult = mult
        # Effects 6 and 7: off-course courses and late improvers (own stream, so the
        # other draws stay as they were).
        signals = self.rng["signals"].random(n)
        self.off_course = signals < fx.OFF_COURSE_SHARE
        self.late_improver = (signals >= fx.OFF_COURSE_SHARE) & (
            signals < fx.OFF_COURSE_SHARE + fx.LATE_IMPROVER_SHARE)
        self.effect_info["off_course"] = {"course_refs": self.course_ref[self.off_course].tolist()}
        self.effect_info["late_improver"] = {
            "course_refs": self.course_ref[self.late_improver].tolist()}
        # Effects 1 and 2: YLS/CMI in the youth programme.
        self.older = self.c_age >= fx.OLDER_FROM_AGE
        if fx.VARIANT_INTERVENTION in self.ivs:
            uk = self.ivs.index(fx.VARIANT_INTERVENTION)
            u = self.c_iv == uk
            treated = u & (self.c_variant == fx.VARIANT_TREATED)
            self.effect_info["variant"] = {
                fx.VARIANT_CONTROL: self.course_ref[u & ~treated].tolist(),
                fx.VARIANT_TREATED: self.course_ref[treated].tolist(),
            }
            self.effect_info["age_group"] = {
                "young": self.course_ref[u & ~self.older].tolist(),
                "older": self.course_ref[u & self.older].tolist(),
            }
            grp = np.where(self.older, "older", "young")
            self.yls_base = (fx.YLS_BASE_YOUNG + fx.YLS_BASE_OLDER_EXTRA * self.older
                             + rng.normal(0, fx.YLS_BASE_SD, size=n))
            drop = np.where(self.older, fx.YLS_DROP["older"], fx.YLS_DROP["young"])
            drop = drop + np.where(treated, fx.YLS_DROP_TREATED_EXTRA, 0.0)
            self.yls_drop = (drop + rng.normal(0, fx.YLS_DROP_SD, size=n)) * mult
            reb = np.where(treated, fx.YLS_REBOUND[fx.VARIANT_TREATED],
                           fx.YLS_REBOUND[fx.VARIANT_CONTROL])
            factor = np.array([fx.YLS_REBOUND_AGE_FACTOR[g] for g in grp])
            self.yls_rebound = reb * factor + rng.normal(0, fx.YLS_REBOUND_SD, size=n)
            self.yls_courses = u
        else:
            self.yls_courses = np.zeros(n, dtype=bool)
        if self.biased_staff >= 0:
            team_ivs = self.delivery[self.team_ids.index(fx.BIAS_TEAM)].interventions
            self.bias_instruments = sorted(
                {p.instrument for plan in self.cfg.measurement_plan if plan.intervention in team_ivs
                 for p in plan.points
                 if self.instruments[p.instrument].rater == "staff"
                 and self.instruments[p.instrument].kind in ("validated", "fidelity")}
            )
            m = self.c_staff == self.biased_staff
            self.effect_info["rater_bias"] = {
                "intervention": team_ivs[0] if len(team_ivs) == 1 else team_ivs,
                "staff_id": str(self.staff_id[self.biased_staff]),
                "instruments": self.bias_instruments,
                "course_refs": self.course_ref[m].tolist(),
            }
        else:
            self.bias_instruments = []
        if fx.LATE_TEAM in self.team_ids:
            lt = self.team_ids.index(fx.LATE_TEAM)
            m = self.c_team == lt
            self.effect_info["late_collection"] = {
                "intervention": self.delivery[lt].interventions[0],
                "course_refs": self.course_ref[m].tolist(),
            }

    # ------------------------------------------------------------------ forms (dates)
    def form_stubs(self) -> None:
        """Which forms exist and when they were filled in (values come later)."""
        rng = self.rng["forms"]
        late_team = self.team_ids.index(fx.LATE_TEAM) if fx.LATE_TEAM in self.team_ids else -1
        parts: dict[str, list] = {k: [] for k in
                                  ("course", "inst", "point", "order", "due", "measured", "tol",
                                   "frac", "fu")}
        plans = {p.intervention: p.points for p in self.cfg.measurement_plan}
        duration = (self.c_planned_end - self.c_start).astype(float)
        for ivk, iv in enumerate(self.ivs):
            cidx = np.flatnonzero(self.c_iv == ivk)
            entries = plans.get(iv, [])
            if cidx.size == 0 or not entries:
                continue
            late = self.c_team[cidx] == late_team
            by_point: dict[str, list[int]] = {}
            for e_no, e in enumerate(entries):
                by_point.setdefault(e.point, []).append(e_no)
            for point, e_nos in by_point.items():
                first = entries[e_nos[0]]
                tol = min(entries[e].tolerance_days for e in e_nos)
                size = cidx.size
                if first.anchor == "start" and first.offset_days == 0:
                    delay = rng.integers(0, min(7, tol) + 1, size=size)
                elif first.anchor == "end" and first.offset_days == 0:
                    delay = rng.integers(-min(7, tol // 2), min(3, tol) + 1, size=size)
                else:
                    delay = rng.integers(-(tol // 2), tol // 2 + 1, size=size)
                delay = np.where(late, rng.integers(fx.LATE_DAYS[0], fx.LATE_DAYS[1] + 1,
                                                    size=size), delay)
                for e_no in e_nos:
                    e = entries[e_no]
                    if e.anchor == "start":
                        due = self.c_start[cidx] + e.offset_days
                        ok = due <= self.today
                        ok &= ~self.c_closed[cidx] | (due <= self.c_end[cidx] + e.tolerance_days)
                    else:
                        due = self.c_end[cidx] + e.offset_days
                        ok = self.c_closed[cidx] & (due <= self.today)
                    measured = np.maximum(due + delay, self.c_start[cidx])
                    future = measured > self.today
                    overdue = due + e.tolerance_days < self.today
                    measured = np.where(future & overdue, self.today, measured)
                    ok &= ~(future & ~overdue)
                    if e.anchor == "start":
                        frac = np.where(e.offset_days == 0, 0.0,
                                        np.minimum(1.0, e.offset_days / duration[cidx]))
                        fu = np.zeros(size, dtype=bool)
                    else:
                        frac = np.ones(size)
                        fu = np.full(size, e.offset_days > 0)
                    sel = np.flatnonzero(ok)
                    if point not in self.point_ids:
                        self.point_ids.append(point)
                    parts["course"].append(cidx[sel].astype(np.int32))
                    parts["inst"].append(np.full(sel.size, self.inst_ids.index(e.instrument),
                                                 dtype=np.int16))
                    parts["point"].append(np.full(sel.size, self.point_ids.index(point),
                                                  dtype=np.int16))
                    parts["order"].append(np.full(sel.size, e_no, dtype=np.int16))
                    parts["due"].append(due[sel].astype(np.int32))
                    parts["measured"].append(measured[sel].astype(np.int32))
                    parts["tol"].append(np.full(sel.size, e.tolerance_days, dtype=np.int16))
                    parts["frac"].append(frac[sel].astype(np.float32))
                    parts["fu"].append(fu[sel])
        s = {k: (np.concatenate(v) if v else np.array([], dtype=np.int32))
             for k, v in parts.items()}
        parts.clear()
        order = np.lexsort((s["order"], s["course"], s["measured"]))
        self.stubs = {k: s.pop(k)[order] for k in list(s)}
        self.stubs["course"] = self.stubs["course"].astype(np.int64)

    # ------------------------------------------------------------------ goals (GAS)
    def goals(self) -> None:
        rng = self.rng["goals"]
        st = self.stubs
        gas_ids = {i.id for i in self.cfg.instruments if i.scoring == "gas"}
        is_gas = np.isin(st["inst"], [self.inst_ids.index(g) for g in gas_ids])
        base_stub = np.flatnonzero(is_gas & (st["frac"] == 0))
        # one baseline GAS form per course (the earliest, stubs are sorted by date)
        courses, first = np.unique(st["course"][base_stub], return_index=True)
        base_stub = base_stub[first]
        set_on = st["measured"][base_stub]
        k = rng.choice([1, 2, 3], size=courses.size, p=[0.35, 0.45, 0.2])
        areas = [a.id for a in self.cfg.life_areas] or ["daily_living"]
        na = len(areas)
        k = np.minimum(k, na)
        weights = np.ones((courses.size, na))
        favoured = {"spaedbarn": "family_relations", "ungepraktik": "school_work",
                    "boernegrupper": "social_network", "voksenstoette": "health"}
        for ivk, iv in enumerate(self.ivs):
            if favoured.get(iv) in areas:
                weights[self.c_iv[courses] == ivk, areas.index(favoured[iv])] = 3.0
        keys = np.log(weights) + rng.gumbel(size=weights.shape)
        ranked = np.argsort(-keys, axis=1)
        g_course_pos = np.repeat(np.arange(courses.size), k)
        g_no = ranges(k)
        g_course = courses[g_course_pos]
        g_area = ranked[g_course_pos, g_no]
        ng = g_course.size
        progression = rng.random(ng) < 0.7
        base = np.where(progression, np.where(rng.random(ng) < 0.75, -1, -2), 0)
        m = self.mult[g_course]
        end_prog = np.round(base + 1.6 * m + rng.normal(0, 1.0, size=ng))
        end_main = np.round(0.2 * m + rng.normal(0, 0.8, size=ng))
        end = np.clip(np.where(progression, end_prog, end_main), -2, 2).astype(np.int64)
        mid = np.clip(np.round((base + end) / 2 + rng.normal(0, 0.3, size=ng)), -2, 2)
        # effects 6 and 7: off-course goals slip a step; late improvers stand still midway
        off, late = self.off_course[g_course], self.late_improver[g_course]
        end = np.where(off, np.clip(base - 1, -2, 2), end).astype(np.int64)
        mid = np.where(off, np.clip(base - 1, -2, 2), np.where(late, base, mid))
        weight = np.where(rng.random(ng) < 0.15, 2.0, 1.0)
        desc = np.empty(ng, dtype=object)
        for ai, area in enumerate(areas):
            prog_t, main_t = texts.GOAL_TEXTS.get(area, texts.DEFAULT_GOAL_TEXTS)
            for is_prog, pool in ((True, prog_t), (False, main_t)):
                sel = (g_area == ai) & (progression == is_prog)
                desc[sel] = obj(pool)[rng.integers(0, len(pool), size=sel.sum())]
        self.g_course = g_course
        self.g_base = base.astype(np.int64)
        self.g_mid = mid.astype(np.int64)
        self.g_end = end
        self.g_first = np.full(self.n, -1, dtype=np.int64)
        self.g_count = np.zeros(self.n, dtype=np.int64)
        self.g_first[courses] = np.cumsum(k) - k
        self.g_count[courses] = k
        goal_ref = obj([f"G{i + 1:07d}" for i in range(ng)])
        self.tables["goals"] = Table("goals", {
            "goal_ref": goal_ref,
            "course_ref": self.course_ref[g_course],
            "life_area": obj(areas)[g_area],
            "goal_type": np.where(progression, "progression", "maintenance").astype(object),
            "set_on": np.repeat(set_on, k).astype(np.int32),
            "weight": weight,
            "description": desc,
            "_iv": self.c_iv[g_course],
            "_course": g_course,
        })
        # ratings: baseline on the set date, mid-course, and at each later GAS form
        mid_day = self.c_start + (np.where(self.c_closed, self.c_end, self.c_planned_end)
                                  - self.c_start) // 2
        later = np.flatnonzero(is_gas & (st["frac"] > 0))
        r_goal, r_day, r_score = [np.arange(ng)], [np.repeat(set_on, k)], [self.g_base]
        gm = mid_day[g_course]
        has_mid = gm <= self.today
        has_mid &= gm > np.repeat(set_on, k)
        r_goal.append(np.flatnonzero(has_mid))
        r_day.append(gm[has_mid])
        r_score.append(self.g_mid[has_mid])
        cnt = self.g_count[st["course"][later]]
        gs = np.repeat(self.g_first[st["course"][later]], cnt) + ranges(cnt)
        r_goal.append(gs)
        r_day.append(np.repeat(st["measured"][later], cnt))
        r_score.append(np.where(np.repeat(st["frac"][later], cnt) >= 1, self.g_end[gs],
                                self.g_mid[gs]))
        rg = np.concatenate(r_goal)
        rd = np.concatenate(r_day)
        rs = np.concatenate(r_score)
        # a later form on the same day as the mid rating replaces it (key goal+date)
        order = np.lexsort((-np.arange(rg.size), rd, rg))
        rg, rd, rs = rg[order], rd[order], rs[order]
        keep = np.ones(rg.size, dtype=bool)
        keep[1:] = (rg[1:] != rg[:-1]) | (rd[1:] != rd[:-1])
        rg, rd, rs = rg[keep], rd[keep], rs[keep]
        self.tables["goal_ratings"] = Table("goal_ratings", {
            "goal_ref": goal_ref[rg],
            "rated_on": rd.astype(np.int32),
            "score": rs.astype(np.int64),
            "staff_id": self.staff_id[self.c_staff[g_course[rg]]],
            "_iv": self.c_iv[g_course[rg]],
            "_course": g_course[rg],
        })

    # ------------------------------------------------------------------ forms (values)
    def form_values(self) -> None:
        rng = self.rng["levels"]
        st = self.stubs
        nst = st["course"].size
        codes = np.unique(st["inst"]).tolist()
        core = np.array([len(i.core_elements) for i in self.cfg.interventions], dtype=np.int64)
        sel_of, cnt_of = {}, {}
        n_items = np.zeros(nst, dtype=np.int64)
        for code in codes:
            ins = self.instruments[self.inst_ids[code]]
            sel = np.flatnonzero(st["inst"] == code)
            courses = st["course"][sel]
            if ins.scoring == "gas":
                cnt = self.g_count[courses]
            elif ins.items_per_subject:
                cnt = np.minimum(core[self.c_iv[courses]], ins.n_items)
            else:
                cnt = np.full(sel.size, ins.n_items, dtype=np.int64)
            n_items[sel] = cnt
        if (n_items == 0).any():  # e.g. a GAS form without goals: no form at all
            keep = n_items > 0
            self.stubs = st = {k: v[keep] for k, v in st.items()}
            n_items = n_items[keep]
            nst = int(keep.sum())
        for code in codes:
            sel = np.flatnonzero(st["inst"] == code)
            sel_of[code], cnt_of[code] = sel, n_items[sel]
        offsets = np.concatenate([[0], np.cumsum(n_items)]).astype(np.int64)
        item_no = np.zeros(int(offsets[-1]), dtype=np.int16)
        value = np.zeros(int(offsets[-1]), dtype=np.float32)
        for code in codes:
            ins = self.instruments[self.inst_ids[code]]
            sel, cnt = sel_of[code], cnt_of[code]
            within = ranges(cnt)
            flat = np.repeat(offsets[:-1][sel], cnt) + within
            item_no[flat] = within + 1
            courses = st["course"][sel]
            if ins.scoring == "gas":
                gidx = np.repeat(self.g_first[courses], cnt) + within
                fr = np.repeat(st["frac"][sel], cnt)
                value[flat] = np.where(fr == 0, self.g_base[gidx],
                                       np.where(fr >= 1, self.g_end[gidx], self.g_mid[gidx]))
                continue
            uc, pos = np.unique(courses, return_inverse=True)
            ni = int(cnt.max()) if cnt.size else ins.n_items
            level = self.item_levels(ins, sel, courses, ni, rng)  # (len(sel), ni)
            K = max(1, int(round(ins.item_max - ins.item_min)))
            u = rng.random((uc.size, ni, K), dtype=np.float32)
            item_sd = self.trajectory(ins).item_sd if ins.kind != "fidelity" else 0.5
            offs = rng.normal(0, item_sd, size=(uc.size, ni))
            p = np.clip((level + offs[pos] - ins.item_min) / K, 0.005, 0.995).astype(np.float32)
            vals = ins.item_min + (u[pos] < p[:, :, None]).sum(axis=2)
            mask = np.arange(ni)[None, :] < cnt[:, None]
            value[flat] = vals[mask]
        self.items = Items(offsets, item_no, value)
        self.forms_table(st)

    def trajectory(self, ins) -> fx.Trajectory:
        return fx.TRAJECTORIES.get(ins.id) or fx.default_trajectory(
            ins.item_min, ins.item_max, ins.direction == "higher_is_better"
        )

    def item_levels(self, ins, sel, courses, ni, rng) -> np.ndarray:
        """Expected answer per stub and item (before per-item offsets)."""
        st = self.stubs
        frac = st["frac"][sel]
        fu = st["fu"][sel]
        if ins.kind == "fidelity":
            lvl = self.fidelity[courses] - np.where(frac < 1, fx.FIDELITY_MID_DROP, 0.0)
        else:
            tr = self.trajectory(ins)
            uc, pos = np.unique(courses, return_inverse=True)
            base = rng.normal(tr.base, tr.base_sd, size=uc.size)[pos]
            change = rng.normal(tr.change, tr.change_sd, size=uc.size)[pos] * self.mult[courses]
            rebound = -change * tr.fu_loss
            if ins.id == fx.VARIANT_INSTRUMENT:
                y = self.yls_courses[courses]
                n_total = len(ins.total_items or range(ins.n_items))
                base = np.where(y, self.yls_base[courses] / n_total, base)
                change = np.where(y, self.yls_drop[courses] / n_total, change)
                rebound = np.where(y, self.yls_rebound[courses] / n_total, rebound)
            # effects 6 and 7: off course = the change mirrored (and its follow-up loss),
            # at least the instrument's mean change, reached by the first point after
            # the start; late improvers reach only a small (negative) share before the end
            off = self.off_course[courses]
            off_change = (fx.OFF_COURSE_FACTOR * np.sign(tr.change)
                          * np.maximum(np.abs(change), abs(tr.change)))
            change = np.where(off, off_change, change)
            rebound = np.where(off, -change * tr.fu_loss, rebound)
            reached = np.where(self.late_improver[courses] & (frac < 1),
                               fx.LATE_IMPROVER_EARLY, frac)
            reached = np.where(off & (frac > 0), 1.0, reached)
            lvl = base + change * reached + np.where(fu, rebound, 0.0)
        if ins.id in self.bias_instruments:
            lvl = lvl + np.where(self.c_staff[courses] == self.biased_staff, fx.RATER_BIAS, 0.0)
        lvl = np.clip(lvl, ins.item_min, ins.item_max)
        level = np.repeat(lvl[:, None], ni, axis=1)
        if ins.total_items is not None:
            tr = self.trajectory(ins)
            other = [i - 1 for i in range(1, ni + 1) if i not in ins.total_items]
            if other:
                mid = (ins.item_min + ins.item_max) / 2
                level[:, other] = tr.other_level if tr.other_level is not None else mid
        rev = [i - 1 for i in ins.reversed_items if i <= ni]
        if rev:
            level[:, rev] = ins.item_min + ins.item_max - level[:, rev]
        if ins.id == "asi":
            extra = np.array([fx.ASI_ALCOHOL_GENDER.get(g, 0.0) for g in self.c_gender[courses]])
            level[:, 0] += np.where(frac == 0, extra, extra * 0.5)
        return level

    def forms_table(self, st: dict) -> None:
        rng = self.rng["notes"]
        nst = st["course"].size
        courses = st["course"]
        code = st["inst"].astype(np.int64)
        ins = [self.instruments[i] for i in self.inst_ids]
        share = np.array([NOTE_SHARE.get(i.id, NOTE_SHARE_OTHER) for i in ins])[code]
        is_kik = np.array([i.kind == "fidelity" for i in ins])[code]
        has = rng.random(nst) < share
        note = np.empty(nst, dtype=object)
        for pool, m in ((texts.KIK_NOTES, has & is_kik), (texts.FORM_NOTES, has & ~is_kik)):
            note[m] = obj(pool)[rng.integers(0, len(pool), size=m.sum())]
        self.tables["measurements"] = Table("measurements", {
            "form_ref": obj([f"S{i + 1:08d}" for i in range(nst)]),
            "course_ref": self.course_ref[courses],
            "instrument_id": obj(self.inst_ids)[code],
            "measured_on": st["measured"].astype(np.int32),
            "staff_id": self.staff_id[self.c_staff[courses]],
            "rater_role": obj([i.rater for i in ins])[code],
            "note": note,
            "_iv": self.c_iv[courses],
            "_course": courses,
            "_ins": code,
            "_point": obj(self.point_ids)[st["point"].astype(np.int64)],
            "_due": st["due"].astype(np.int32),
            "_tol": st["tol"].astype(np.int64),
        })

    # ------------------------------------------------------------------ registrations
    def registrations(self) -> None:
        rng = self.rng["registrations"]
        n = self.n
        c = np.arange(n)
        parts = []  # (course, day, stage, field order, field, value)

        def add(courses, days, stage, order, fld, vals):
            parts.append((courses, days, np.full(courses.size, stage, dtype=object),
                          np.full(courses.size, order), np.full(courses.size, fld, dtype=object),
                          vals))

        add(c, self.c_start, "start", 0, texts.FIELD_AGE, obj([str(a) for a in self.c_age]))
        referral = np.empty(n, dtype=object)
        for ivk in np.unique(self.c_iv):
            m = self.c_iv == ivk
            w = texts.REFERRALS.get(self.ivs[int(ivk)], texts.DEFAULT_REFERRALS)
            referral[m] = choose(rng, w, int(m.sum()))
        add(c, self.c_start, "start", 1, texts.FIELD_REFERRAL, referral)
        education = np.empty(n, dtype=object)
        housing = np.empty(n, dtype=object)
        child, youth = self.c_age < 13, (self.c_age >= 13) & (self.c_age < 18)
        adult = self.c_age >= 18
        for m, w in ((child, texts.EDUCATION_CHILD), (youth, texts.EDUCATION_YOUTH),
                     (adult, texts.EDUCATION_ADULT)):
            education[m] = choose(rng, w, int(m.sum()))
        for m, w in ((~adult, texts.HOUSING_MINOR), (adult, texts.HOUSING_ADULT)):
            housing[m] = choose(rng, w, int(m.sum()))
        add(c, self.c_start, "start", 2, texts.FIELD_EDUCATION, education)
        add(c, self.c_start, "start", 3, texts.FIELD_HOUSING, housing)
        # during: moving into the second phase
        phase_day = self.c_start + rng.integers(14, 31, size=n)
        second = obj([(p[1].id if len(p) > 1 else None)
                      for p in (self.cfg.interventions[int(i)].phases for i in self.c_iv)])
        m = (phase_day <= self.today) & (second != None)  # noqa: E711
        m &= ~self.c_closed | (phase_day < self.c_end)
        add(c[m], phase_day[m], "during", 4, texts.FIELD_PHASE, second[m])
        # end: bridged to another service, professional assessment of success
        cl = np.flatnonzero(self.c_closed)
        planned = self.c_reason[cl] == 0
        bridged = np.where(rng.random(cl.size) < np.where(planned, 0.35, 0.55), texts.YES, texts.NO)
        success = np.clip(np.round(2.4 + 1.0 * planned + 0.8 * (self.mult[cl] - 1)
                                   + rng.normal(0, 0.8, size=cl.size)), 1, 5).astype(int)
        add(cl, self.c_end[cl], "end", 5, texts.FIELD_BRIDGED, bridged.astype(object))
        add(cl, self.c_end[cl], "end", 6, texts.FIELD_SUCCESS, obj([str(s) for s in success]))
        course, day, stage, order, fld, val = (np.concatenate(x) for x in zip(*parts, strict=True))
        o = np.lexsort((order, day, course))
        self.tables["registrations"] = Table("registrations", {
            "course_ref": self.course_ref[course[o]],
            "registered_on": day[o].astype(np.int32),
            "stage": stage[o],
            "field": fld[o],
            "value": val[o],
            "_iv": self.c_iv[course[o]],
            "_course": course[o],
        })

    # ------------------------------------------------------------------ activities
    def activities(self) -> None:
        rng = self.rng["activities"]
        last = np.where(self.c_closed, self.c_end, self.today)
        interval = rng.integers(7, 15, size=self.n)
        count = np.maximum(1, (last - self.c_start) // interval)
        course = np.repeat(np.arange(self.n), count)
        k = ranges(count)
        day = self.c_start[course] + k * interval[course] + rng.integers(0, 3, size=course.size)
        day = np.minimum(day, last[course])
        atype = np.empty(course.size, dtype=object)
        minutes = np.zeros(course.size)
        for ivk in np.unique(self.c_iv):
            m = self.c_iv[course] == ivk
            spec = texts.ACTIVITIES.get(self.ivs[int(ivk)], texts.DEFAULT_ACTIVITIES)
            names = list(spec)
            t = rng.choice(len(names), size=m.sum(), p=_norm([spec[x][0] for x in names]))
            idx = np.flatnonzero(m)
            atype[idx] = obj(names)[t]
            for ti, name in enumerate(names):
                opts = np.array(spec[name][1], dtype=float)
                sub = idx[t == ti]
                minutes[sub] = opts[rng.integers(0, opts.size, size=sub.size)]
        staff = self.c_staff[course].copy()
        other = rng.random(course.size) < 0.1
        team = self.c_team[course[other]]
        swap = np.empty(other.sum(), dtype=np.int64)
        for ti in np.unique(team):
            members = np.flatnonzero(self.staff_team == ti)
            mm = team == ti
            swap[mm] = members[rng.integers(0, members.size, size=mm.sum())]
        staff[other] = swap
        o = np.lexsort((day, course))
        self.act_course, self.act_day, self.act_minutes = course[o], day[o], minutes[o]
        self.tables["activities"] = Table("activities", {
            "course_ref": self.course_ref[course[o]],
            "activity_date": day[o].astype(np.int32),
            "activity_type": atype[o],
            "minutes": minutes[o],
            "staff_id": self.staff_id[staff[o]],
            "_iv": self.c_iv[course[o]],
            "_course": course[o],
        })

    # ------------------------------------------------------------------ costs
    def quarters(self) -> list[tuple[str, int, int]]:
        """The 12 complete quarters before as_of: (label, first day, last day)."""
        y, q = self.as_of.year, (self.as_of.month - 1) // 3  # current quarter (0-based)
        out = []
        for _ in range(12):
            q -= 1
            if q < 0:
                y, q = y - 1, 3
            first = date(y, 3 * q + 1, 1)
            nxt = date(y + (q == 3), (3 * q + 3) % 12 + 1, 1)
            out.append((f"{y}-Q{q + 1}", to_day(first), to_day(nxt) - 1))
        return out[::-1]

    def costs(self) -> None:
        rng = self.rng["costs"]
        rates = {r.intervention: r for r in self.cfg.costs.rates}
        rows: dict[str, list] = {k: [] for k in ("iv", "quarter", "type", "amount", "hours")}
        quarters = self.quarters()
        act_iv = self.c_iv[self.act_course]
        for ivk, iv in enumerate(self.ivs):
            if not (self.c_iv == ivk).any():
                continue
            rate = rates.get(iv)
            hourly = rate.hourly_rate_dkk if rate else 500.0
            fixed = rate.fixed_per_quarter_dkk if rate else 40000.0
            for label, first, last in quarters:
                m = (act_iv == ivk) & (self.act_day >= first) & (self.act_day <= last)
                hours = np.round(self.act_minutes[m].sum() / 60 * STAFF_OVERHEAD * 4) / 4
                active = ((self.c_iv == ivk) & (self.c_start <= last)
                          & ((self.c_end == NULL_DAY) | (self.c_end >= first))).sum()
                per_course = round(active * PER_COURSE_DKK.get(iv, 1000.0)
                                   * rng.uniform(0.9, 1.1), 2)
                for ct, amount, h in (("staff", round(hours * hourly, 2), hours),
                                      ("fixed", float(fixed), np.nan),
                                      ("per_course", per_course, np.nan)):
                    rows["iv"].append(iv)
                    rows["quarter"].append(label)
                    rows["type"].append(ct)
                    rows["amount"].append(amount)
                    rows["hours"].append(h)
        self.tables["costs"] = Table("costs", {
            "intervention_id": obj(rows["iv"]),
            "quarter": obj(rows["quarter"]),
            "cost_type": obj(rows["type"]),
            "amount_dkk": np.array(rows["amount"], dtype=float),
            "hours": np.array(rows["hours"], dtype=float),
            "_iv": np.array([self.ivs.index(i) for i in rows["iv"]], dtype=np.int64),
        })

    # ------------------------------------------------------------------ calibration
    def team_instrument(self, team) -> str | None:
        """The instrument a team calibrates on: its first staff-rated validated one, else KiK."""
        plans = {p.intervention: p.points for p in self.cfg.measurement_plan}
        for iv in team.interventions:
            for p in plans.get(iv, []):
                ins = self.instruments[p.instrument]
                if ins.rater == "staff" and ins.kind == "validated":
                    return ins.id
        kik = [i.id for i in self.cfg.instruments if i.kind == "fidelity"]
        return kik[0] if kik else None

    def calibration(self) -> None:
        rng = self.rng["calibration"]
        cols: dict[str, list] = {k: [] for k in
                                 ("workshop", "day", "staff", "inst", "case", "item", "value")}
        for w in range(WORKSHOPS):
            day = self.today - 45 - 365 * (WORKSHOPS - 1 - w)
            year = from_day(day).year
            for ti, team in enumerate(self.delivery):
                inst_id = self.team_instrument(team)
                if inst_id is None:
                    continue
                ins = self.instruments[inst_id]
                if ins.items_per_subject:
                    core = self.cfg.intervention(team.interventions[0]).core_elements
                    ni = min(ins.n_items, len(core))
                else:
                    ni = ins.n_items
                lo, hi = int(ins.item_min), int(ins.item_max)
                if hi - lo == 1:
                    true = (rng.random(ni) < 0.45).astype(float) + lo
                else:
                    draw = rng.normal((lo + hi) / 2, (hi - lo) / 4, size=ni)
                    true = np.clip(np.round(draw), lo, hi)
                for s in np.flatnonzero(self.staff_team == ti):
                    if hi - lo == 1:
                        flip = rng.random(ni) < 0.08
                        v = np.where(flip, lo + hi - true, true)
                    else:
                        v = true + rng.choice([-1, 0, 1], size=ni, p=[0.08, 0.84, 0.08])
                    if s == self.biased_staff and inst_id in self.bias_instruments:
                        v = v + (rng.random(ni) < fx.RATER_BIAS)
                    v = np.clip(v, lo, hi)
                    cols["workshop"] += [f"KAL-{year}"] * ni
                    cols["day"] += [day] * ni
                    cols["staff"] += [self.staff_id[s]] * ni
                    cols["inst"] += [inst_id] * ni
                    cols["case"] += [f"CASE-{year}-{ti + 1:02d}"] * ni
                    cols["item"] += list(range(1, ni + 1))
                    cols["value"] += v.tolist()
        self.tables["calibration_scores"] = Table("calibration_scores", {
            "workshop_id": obj(cols["workshop"]),
            "workshop_date": np.array(cols["day"], dtype=np.int32),
            "staff_id": obj(cols["staff"]),
            "instrument_id": obj(cols["inst"]),
            "case_ref": obj(cols["case"]),
            "item_no": np.array(cols["item"], dtype=np.int64),
            "value": np.array(cols["value"], dtype=float),
        })


def _norm(w: list[float]) -> np.ndarray:
    a = np.array(w, dtype=float)
    return a / a.sum()
