"""Planted defects: a handful of seeded problems the pipeline must catch.

Each defect has a ``stage``:

* ``ingest``: ingest must quarantine the row (CPR as citizen id, unknown
  citizen or course, invalid date or number, unknown code, exact duplicate) or
  transform it (CPR inside a note is masked; a missing ORS item is staged as
  NULL, never 0);
* ``check``: the row is valid and staged; a data-quality check must flag it
  (missing, late, near-duplicate, out-of-range, straight-lined, before start,
  in the future).

Defects are chosen independently of the output format, so ``--format a``,
``b`` and ``mixed`` carry the same canonical content; instances alternate
between the two halves of the interventions (the halves that go to fagsystem A
and B in the mixed format). No course carries more than one defect, the
effect-carrying forms (YLS/CMI, ASI of the lenient rater, GAS) are left alone,
and team ``unge_syd`` (which is late on purpose) gets no timing defects.

Ingest defects that add rows live in :class:`Extra` (not canonical content);
defects that change how an existing row is written live in :class:`Patch`
(``exclude=True`` when the row is not canonical content). Check defects change
the canonical tables themselves and carry a :class:`Patch` only to find their
rows again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import numpy as np

from demo import effects as fx
from demo import texts
from demo.model import (
    DEFAULT_PROFILE,
    FORM_COLUMNS,
    PROFILES,
    Dataset,
    Items,
    Table,
    from_day,
    to_day,
)


@dataclass(frozen=True)
class Raw:
    """Text written verbatim instead of a formatted value (one per file format)."""

    csv: str
    xlsx: str

    def text(self, fmt: str) -> str:
        return self.csv if fmt == "csv" else self.xlsx


@dataclass
class Patch:
    """Marks an export row (a form for measurements, optionally one item)."""

    defect: str
    table: str
    row: int
    item_no: int | None = None
    raw: dict[str, Raw] = field(default_factory=dict)
    exclude: bool = False
    role: str = "target"  # "original" marks the row a duplicate copies

    @property
    def tag(self) -> str:
        return self.defect if self.role == "target" else f"{self.defect}:{self.role}"


@dataclass
class Extra:
    """A row that only exists in the export (inserted after export row ``after``)."""

    defect: str
    table: str
    after: int
    route_iv: int
    values: dict[str, object]
    items: list[tuple[int, object]] | None = None

    @property
    def tag(self) -> str:
        return self.defect


@dataclass
class DefectSpec:
    id: str
    kind: str
    stage: str
    table: str
    route_iv: int
    keys: dict

    def resolved_keys(self, fmt: str) -> dict:
        return {k: (v.text(fmt) if isinstance(v, Raw) else v) for k, v in self.keys.items()}


#: How many instances of each kind are planted.
COUNTS = {
    "missing_measurement": 3, "late_measurement": 3, "near_duplicate": 3, "out_of_range": 3,
    "straight_lined": 2, "measurement_before_start": 2, "measurement_in_future": 2,
    "cpr_in_citizen_id": 2, "cpr_in_note": 4, "unknown_citizen": 2, "unknown_course": 2,
    "invalid_date": 3, "invalid_number": 3, "unknown_code": 2, "exact_duplicate": 2,
    "missing_item": 3,
}
CHECK_KINDS = ["missing_measurement", "late_measurement", "near_duplicate", "out_of_range",
               "straight_lined", "measurement_before_start", "measurement_in_future"]
INGEST_KINDS = ["cpr_in_citizen_id", "cpr_in_note", "unknown_citizen", "unknown_course",
                "invalid_date", "invalid_number", "unknown_code", "exact_duplicate", "missing_item"]
PLAIN_INSTRUMENTS = ("ors", "srs", "sdq_p")
INVALID_NUMBERS = ["x", "7,5,1", "?"]
UNKNOWN_CODE = Raw(csv="WHO-5", xlsx="WHO5")


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def iso(day: int) -> str:
    return from_day(day).isoformat()


def plant(ds: Dataset) -> None:
    """Plant every defect into ``ds`` (deterministic per seed)."""
    _Planter(ds).run()


class _Planter:
    def __init__(self, ds: Dataset):
        self.ds = ds
        self.rng = ds.streams["defects"]
        self.used = np.zeros(ds.n_courses, dtype=bool)  # courses that already carry a defect
        self.n_ivs = len(ds.interventions)
        self.half = (self.n_ivs + 1) // 2
        self.today = to_day(ds.as_of)
        self.instruments = {i.id: i for i in ds.config.instruments}
        courses = ds.tables["courses"]
        self.c_team = courses["team_id"]
        self.c_start = courses["start_date"].astype(np.int64)
        self.c_iv = courses["_iv"]
        self.next_id = 0
        self.next_form = len(ds.forms)
        self.next_course = ds.n_courses

    # ------------------------------------------------------------------ helpers
    def new_id(self, kind: str, stage: str, table: str, route_iv: int, **keys) -> str:
        self.next_id += 1
        did = f"D{self.next_id:03d}"
        self.ds.defects.append(DefectSpec(did, kind, stage, table, int(route_iv), keys))
        return did

    def group_of(self, iv: np.ndarray) -> np.ndarray:
        return (iv >= self.half).astype(np.int64)

    def pick_form(self, i: int, mask: np.ndarray) -> int | None:
        """A random form matching ``mask`` on an unused course, alternating system halves."""
        forms = self.ds.forms
        ok = mask & ~self.used[forms["_course"]]
        want = i % 2
        pref = ok & (self.group_of(forms["_iv"]) == want)
        pool = np.flatnonzero(pref) if pref.any() else np.flatnonzero(ok)
        if pool.size == 0:
            return None
        f = int(pool[self.rng.integers(0, pool.size)])
        self.used[forms["_course"][f]] = True
        return f

    def form_mask(self, instruments=PLAIN_INSTRUMENTS, point: str | None = None,
                  timing: bool = False) -> np.ndarray:
        forms = self.ds.forms
        vocab = [i.id for i in self.ds.config.instruments]
        codes = [vocab.index(name) for name in instruments if name in vocab]
        m = np.isin(forms["_ins"], codes)
        if point is not None:
            m &= forms["_point"] == point
        if timing:
            m &= self.c_team[forms["_course"]] != fx.LATE_TEAM
        return m

    def form_keys(self, f: int) -> dict:
        forms = self.ds.forms
        return {
            "form_ref": str(forms["form_ref"][f]),
            "course_ref": str(forms["course_ref"][f]),
            "instrument_id": str(forms["instrument_id"][f]),
        }

    def item_range(self, f: int) -> tuple[int, int]:
        ins = self.instruments[str(self.ds.forms["instrument_id"][f])]
        return int(ins.item_min), int(ins.item_max)

    def patch(self, did: str, table: str, row: int, **kw) -> None:
        self.ds.patches.append(Patch(did, table, int(row), **kw))

    # ------------------------------------------------------------------ run
    def run(self) -> None:
        self.missing_measurement()
        for kind in CHECK_KINDS[1:] + INGEST_KINDS:
            getattr(self, kind)()

    # ------------------------------------------------------------------ check stage
    def missing_measurement(self) -> None:
        ds = self.ds
        forms = ds.forms
        mask = self.form_mask(PLAIN_INSTRUMENTS + ("kik",), timing=True)
        mask &= forms["_due"] + forms["_tol"] < self.today - 7
        drop = []
        for i in range(COUNTS["missing_measurement"]):
            f = self.pick_form(i, mask)
            if f is None:
                break
            self.new_id("missing_measurement", "check", "measurements", int(forms["_iv"][f]),
                        course_ref=str(forms["course_ref"][f]),
                        point=str(forms["_point"][f]),
                        instrument_id=str(forms["instrument_id"][f]),
                        due_date=iso(int(forms["_due"][f])),
                        tolerance_days=int(forms["_tol"][f]))
            drop.append(f)
        keep_mask = np.ones(len(forms), dtype=bool)
        keep_mask[drop] = False
        keep = np.flatnonzero(keep_mask)
        ds.tables["measurements"] = forms.take(keep)
        ds.items = ds.items.take(keep)
        self.next_form = len(ds.forms) + len(drop)  # keep the dropped numbers unused

    def late_measurement(self) -> None:
        forms = self.ds.forms
        mask = self.form_mask(point="start", timing=True)
        mask &= forms["_due"] + forms["_tol"] + 30 < self.today
        for i in range(COUNTS["late_measurement"]):
            f = self.pick_form(i, mask)
            if f is None:
                return
            new = int(forms["_due"][f] + forms["_tol"][f] + self.rng.integers(10, 31))
            forms["measured_on"][f] = new
            did = self.new_id("late_measurement", "check", "measurements", int(forms["_iv"][f]),
                              **self.form_keys(f), point=str(forms["_point"][f]),
                              due_date=iso(int(forms["_due"][f])),
                              tolerance_days=int(forms["_tol"][f]), measured_on=iso(new))
            self.patch(did, "measurements", f)

    def near_duplicate(self) -> None:
        ds = self.ds
        forms = ds.forms
        mask = self.form_mask(("ors", "srs"), timing=True)
        mask &= forms["measured_on"] + 2 <= self.today
        new_rows = []
        for i in range(COUNTS["near_duplicate"]):
            f = self.pick_form(i, mask)
            if f is None:
                break
            nos, vals = ds.items.of(f)
            lo, hi = self.item_range(f)
            new_vals = vals.copy()
            k = int(self.rng.integers(1, 3))
            changed = sorted(self.rng.choice(nos.size, size=k, replace=False).tolist())
            for j in changed:
                step = 1 if new_vals[j] < hi else -1
                if self.rng.random() < 0.5 and new_vals[j] > lo:
                    step = -1
                new_vals[j] += step
            day = int(forms["measured_on"][f] + self.rng.integers(0, 3))
            self.next_form += 1
            ref = f"S{self.next_form:08d}"
            row = len(forms) + len(new_rows)
            new_rows.append((f, ref, day, nos, new_vals))
            did = self.new_id("near_duplicate", "check", "measurements", int(forms["_iv"][f]),
                              **self.form_keys(f),
                              original_form_ref=str(forms["form_ref"][f]),
                              measured_on=iso(day),
                              original_measured_on=iso(int(forms["measured_on"][f])),
                              differing_items=[int(nos[j]) for j in changed])
            self.ds.defects[-1].keys["form_ref"] = ref
            self.patch(did, "measurements", row)
            self.patch(did, "measurements", f, role="original")
        if not new_rows:
            return
        src = np.array([r[0] for r in new_rows])
        add = forms.take(src)
        add.columns["form_ref"] = np.array([r[1] for r in new_rows], dtype=object)
        add.columns["measured_on"] = np.array([r[2] for r in new_rows], dtype=np.int32)
        add.columns["note"] = np.array([None] * len(new_rows), dtype=object)
        ds.tables["measurements"] = Table("measurements", {
            k: np.concatenate([forms.columns[k], add.columns[k]]) for k in forms.columns
        })
        items = ds.items
        counts = np.array([r[3].size for r in new_rows])
        ds.items = Items(
            np.concatenate([items.offsets, items.offsets[-1] + np.cumsum(counts)]),
            np.concatenate([items.item_no] + [r[3] for r in new_rows]),
            np.concatenate([items.value] + [r[4] for r in new_rows]),
        )

    def out_of_range(self) -> None:
        forms = self.ds.forms
        mask = self.form_mask()
        for i in range(COUNTS["out_of_range"]):
            f = self.pick_form(i, mask)
            if f is None:
                return
            lo, hi = self.item_range(f)
            a, b = self.ds.items.offsets[f], self.ds.items.offsets[f + 1]
            j = int(a + self.rng.integers(0, b - a))
            value = hi + (2 if hi > 2 else 1) if self.rng.random() < 0.7 else lo - 1
            self.ds.items.value[j] = value
            item_no = int(self.ds.items.item_no[j])
            did = self.new_id("out_of_range", "check", "measurements", int(forms["_iv"][f]),
                              **self.form_keys(f), item_no=item_no, value=value,
                              item_min=lo, item_max=hi)
            self.patch(did, "measurements", f, item_no=item_no)

    def straight_lined(self) -> None:
        forms = self.ds.forms
        biased = self.ds.effect_info.get("rater_bias", {}).get("staff_id")
        for i in range(COUNTS["straight_lined"]):
            inst = "sdq_p" if i % 2 == 0 else "asi"
            mask = self.form_mask((inst,))
            if biased is not None:
                mask &= forms["staff_id"] != biased
            if not mask.any():
                mask = self.form_mask(("sdq_p", "asi"))
            f = self.pick_form(i, mask)
            if f is None:
                return
            lo, hi = self.item_range(f)
            value = (lo + hi) // 2
            a, b = self.ds.items.offsets[f], self.ds.items.offsets[f + 1]
            self.ds.items.value[a:b] = value
            did = self.new_id("straight_lined", "check", "measurements", int(forms["_iv"][f]),
                              **self.form_keys(f), value=value, n_items=int(b - a))
            self.patch(did, "measurements", f)

    def measurement_before_start(self) -> None:
        forms = self.ds.forms
        mask = self.form_mask(point="start", timing=True)
        for i in range(COUNTS["measurement_before_start"]):
            f = self.pick_form(i, mask)
            if f is None:
                return
            start = int(self.c_start[forms["_course"][f]])
            new = start - int(self.rng.integers(3, 11))
            forms["measured_on"][f] = new
            did = self.new_id("measurement_before_start", "check", "measurements",
                              int(forms["_iv"][f]), **self.form_keys(f),
                              start_date=iso(start), measured_on=iso(new))
            self.patch(did, "measurements", f)

    def measurement_in_future(self) -> None:
        forms = self.ds.forms
        base = self.form_mask(timing=True)
        near = base & (forms["_due"] + forms["_tol"] >= self.today + 3)
        for i in range(COUNTS["measurement_in_future"]):
            f = self.pick_form(i, near if (near & ~self.used[forms["_course"]]).any() else base)
            if f is None:
                return
            room = max(1, min(5, int(forms["_due"][f] + forms["_tol"][f]) - self.today))
            new = self.today + int(self.rng.integers(1, room + 1))
            forms["measured_on"][f] = new
            did = self.new_id("measurement_in_future", "check", "measurements",
                              int(forms["_iv"][f]), **self.form_keys(f), measured_on=iso(new),
                              as_of=self.ds.as_of.isoformat())
            self.patch(did, "measurements", f)

    # ------------------------------------------------------------------ ingest stage
    def cpr(self, birth_year: int, dash: bool) -> str:
        day = int(self.rng.integers(1, 29))
        month = int(self.rng.integers(1, 13))
        serial = int(self.rng.integers(1000, 10000))
        head = f"{day:02d}{month:02d}{birth_year % 100:02d}"
        return f"{head}-{serial}" if dash else f"{head}{serial}"

    def iv_for(self, i: int, age_ok=None) -> int:
        """An intervention index from the half for instance ``i`` (with courses)."""
        present = sorted(set(self.c_iv.tolist()))
        want = [k for k in present if (k >= self.half) == (i % 2 == 1)]
        cands = [k for k in (want or present) if age_ok is None or age_ok(k)]
        cands = cands or present
        return int(cands[int(self.rng.integers(0, len(cands)))])

    def anchor(self, table: str, iv: int) -> int:
        t = self.ds.tables[table]
        rows = np.flatnonzero(t["_iv"] == iv)
        return int(rows[self.rng.integers(0, rows.size)]) if rows.size else len(t) - 1

    def extra_course(self, did: str, iv: int, citizen_ref: str) -> dict:
        self.next_course += 1
        courses = self.ds.tables["courses"]
        teams = courses["team_id"][courses["_iv"] == iv]
        team = str(teams[self.rng.integers(0, teams.size)])
        values = {
            "course_ref": f"F{self.next_course:07d}",
            "citizen_ref": citizen_ref,
            "intervention_id": self.ds.interventions[iv],
            "variant": "standard",
            "team_id": team,
            "start_date": self.today - int(self.rng.integers(5, 61)),
            "end_date": -1,
            "end_reason": None,
        }
        self.ds.extras.append(Extra(did, "courses", self.anchor("courses", iv), iv, values))
        return values

    def cpr_in_citizen_id(self) -> None:
        year = self.ds.as_of.year
        for i in range(COUNTS["cpr_in_citizen_id"]):
            def adult(k: int) -> bool:
                lo, _ = PROFILES.get(self.ds.interventions[k], DEFAULT_PROFILE)["age"]
                return lo >= 18
            iv = self.iv_for(i, adult)
            lo, hi = PROFILES.get(self.ds.interventions[iv], DEFAULT_PROFILE)["age"]
            birth = year - int(self.rng.integers(lo, hi + 1))
            ref = self.cpr(birth, dash=i % 2 == 0)
            gender = "female" if self.rng.random() < 0.5 else "male"
            did = self.new_id("cpr_in_citizen_id", "ingest", "citizens", iv,
                              citizen_ref_sha256=sha(ref), with_dash="-" in ref)
            self.ds.extras.append(Extra(did, "citizens", self.anchor("citizens", iv), iv,
                                        {"citizen_ref": ref, "gender": gender,
                                         "birth_year": birth}))
            did2 = self.new_id("cpr_in_citizen_id", "ingest", "courses", iv,
                               citizen_ref_sha256=sha(ref), with_dash="-" in ref)
            course = self.extra_course(did2, iv, ref)
            self.ds.defects[-1].keys["course_ref"] = course["course_ref"]

    def cpr_in_note(self) -> None:
        forms = self.ds.forms
        mask = self.form_mask(("ors", "srs", "kik"))
        for i in range(COUNTS["cpr_in_note"]):
            f = self.pick_form(i, mask)
            if f is None:
                return
            dash = i < COUNTS["cpr_in_note"] // 2
            number = self.cpr(int(self.rng.integers(1950, 2000)), dash)
            forms["note"][f] = texts.CPR_NOTE.format(cpr=number)
            did = self.new_id("cpr_in_note", "ingest", "measurements", int(forms["_iv"][f]),
                              **self.form_keys(f), with_dash=dash, cpr_sha256=sha(number))
            self.patch(did, "measurements", f)

    def unknown_citizen(self) -> None:
        for i in range(COUNTS["unknown_citizen"]):
            iv = self.iv_for(i)
            ref = f"B{9_000_000 + int(self.rng.integers(0, 999_999)):07d}"
            did = self.new_id("unknown_citizen", "ingest", "courses", iv, citizen_ref=ref)
            course = self.extra_course(did, iv, ref)
            self.ds.defects[-1].keys["course_ref"] = course["course_ref"]

    def extra_form(self, did: str, after: int, iv: int, values: dict, items) -> None:
        self.ds.extras.append(Extra(did, "measurements", after, iv, values, items))

    def unknown_course(self) -> None:
        forms = self.ds.forms
        ors = self.instruments.get("ors")
        for i in range(COUNTS["unknown_course"]):
            iv = self.iv_for(i)
            after = self.anchor("measurements", iv)
            self.next_form += 1
            self.next_course += 1
            values = {
                "form_ref": f"S{self.next_form:08d}",
                "course_ref": f"F{9_000_000 + self.next_course:07d}",
                "instrument_id": "ors",
                "measured_on": int(forms["measured_on"][after]),
                "staff_id": str(forms["staff_id"][after]),
                "rater_role": "citizen",
                "note": None,
            }
            n = ors.n_items if ors else 4
            items = [(k + 1, float(self.rng.integers(3, 9))) for k in range(n)]
            did = self.new_id("unknown_course", "ingest", "measurements", iv,
                              form_ref=values["form_ref"], course_ref=values["course_ref"])
            self.extra_form(did, after, iv, values, items)

    def invalid_date(self) -> None:
        ds = self.ds
        for i in range(COUNTS["invalid_date"]):
            table = "goal_ratings" if i == COUNTS["invalid_date"] - 1 else "activities"
            t = ds.tables[table]
            mask = ~self.used[t["_course"]]
            if table == "goal_ratings":  # only ratings after the baseline
                first = np.ones(len(t), dtype=bool)
                first[1:] = t["goal_ref"][1:] != t["goal_ref"][:-1]
                mask &= ~first
            pref = mask & (self.group_of(t["_iv"]) == i % 2)
            pool = np.flatnonzero(pref if pref.any() else mask)
            if pool.size == 0:
                continue
            r = int(pool[self.rng.integers(0, pool.size)])
            self.used[t["_course"][r]] = True
            col = "rated_on" if table == "goal_ratings" else "activity_date"
            year = from_day(int(t[col][r])).year
            raw = Raw(csv=f"{30 + i % 2}-02-{year}", xlsx=f"{year}-13-{i + 1:02d}")
            keys = {"course_ref": str(ds.tables["courses"]["course_ref"][t["_course"][r]]),
                    "column": col, "value": raw}
            if table == "goal_ratings":
                keys["goal_ref"] = str(t["goal_ref"][r])
            did = self.new_id("invalid_date", "ingest", table, int(t["_iv"][r]), **keys)
            self.patch(did, table, r, raw={col: raw}, exclude=True)

    def invalid_number(self) -> None:
        forms = self.ds.forms
        mask = self.form_mask(("ors", "srs"))
        for i in range(COUNTS["invalid_number"]):
            f = self.pick_form(i, mask)
            if f is None:
                return
            nos, _ = self.ds.items.of(f)
            item_no = int(nos[self.rng.integers(0, nos.size)])
            text = INVALID_NUMBERS[i % len(INVALID_NUMBERS)]
            did = self.new_id("invalid_number", "ingest", "measurements", int(forms["_iv"][f]),
                              **self.form_keys(f), item_no=item_no, value=text)
            self.patch(did, "measurements", f, item_no=item_no, raw={"value": Raw(text, text)},
                       exclude=True)

    def unknown_code(self) -> None:
        forms = self.ds.forms
        mask = self.form_mask(("ors",))
        for i in range(COUNTS["unknown_code"]):
            f = self.pick_form(i, mask)
            if f is None:
                return
            self.next_form += 1
            values = {
                "form_ref": f"S{self.next_form:08d}",
                "course_ref": str(forms["course_ref"][f]),
                "instrument_id": UNKNOWN_CODE,
                "measured_on": int(forms["measured_on"][f]),
                "staff_id": str(forms["staff_id"][f]),
                "rater_role": "citizen",
                "note": None,
            }
            items = [(k + 1, float(self.rng.integers(0, 6))) for k in range(5)]
            did = self.new_id("unknown_code", "ingest", "measurements", int(forms["_iv"][f]),
                              form_ref=values["form_ref"], course_ref=values["course_ref"],
                              column="instrument_id", value=UNKNOWN_CODE)
            self.extra_form(did, f, int(forms["_iv"][f]), values, items)

    def exact_duplicate(self) -> None:
        forms = self.ds.forms
        mask = self.form_mask(("ors", "srs", "sdq_p", "kik"))
        for i in range(COUNTS["exact_duplicate"]):
            f = self.pick_form(i, mask)
            if f is None:
                return
            values = {c: _scalar(forms[c][f]) for c in FORM_COLUMNS}
            nos, vals = self.ds.items.of(f)
            items = list(zip(nos.tolist(), vals.tolist(), strict=True))
            did = self.new_id("exact_duplicate", "ingest", "measurements", int(forms["_iv"][f]),
                              **self.form_keys(f))
            self.extra_form(did, f, int(forms["_iv"][f]), values, items)
            self.patch(did, "measurements", f, role="original")

    def missing_item(self) -> None:
        forms = self.ds.forms
        mask = self.form_mask(("ors",))
        for i in range(COUNTS["missing_item"]):
            f = self.pick_form(i, mask)
            if f is None:
                return
            a, b = self.ds.items.offsets[f], self.ds.items.offsets[f + 1]
            j = int(a + self.rng.integers(0, b - a))
            self.ds.items.value[j] = np.nan
            item_no = int(self.ds.items.item_no[j])
            did = self.new_id("missing_item", "ingest", "measurements", int(forms["_iv"][f]),
                              **self.form_keys(f), item_no=item_no)
            self.patch(did, "measurements", f, item_no=item_no)


def _scalar(v):
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.floating):
        return float(v)
    return v
