"""The demo export generator: determinism, manifest truth, effects, format contract, CLI.

The files are read back here with plain readers (Python's csv module in
Windows-1252 with ``;``, python-calamine for the workbook) and the column names
and codes of ``config/sources.yaml``, independently of the generator's writers.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from datetime import date, datetime
from pathlib import Path
from time import perf_counter

import numpy as np
import pandas as pd
import pytest
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

from cli.app import app
from datadialog.config_load import load_config
from demo import FORMATS, build_dataset, form_points, generate, load_manifest
from demo.effects import effect_entries
from demo.frames import to_frames
from demo.model import COLUMNS

CFG = load_config()
SOURCES = {s.id: s for s in CFG.sources}
INSTRUMENTS = {i.id: i for i in CFG.instruments}
CPR_DASH = re.compile(r"(?<!\d)(\d{6}-\d{4})(?!\d)")
CPR_PLAIN = re.compile(r"(?<!\d)(\d{10})(?!\d)")


# ---------------------------------------------------------------- reading the exports


class Export:
    """Reads an output folder the way an outsider would (records, sheets, header maps)."""

    def __init__(self, out_dir: Path):
        self.dir = out_dir
        self.manifest = load_manifest(out_dir)
        self._cache: dict[tuple[str, str | None], list[list]] = {}

    def records(self, file: str, sheet: str | None) -> list[list]:
        key = (file, sheet)
        if key not in self._cache:
            path = self.dir / file
            if sheet is None:
                with open(path, encoding="cp1252", newline="") as fh:
                    self._cache[key] = list(csv.reader(fh, delimiter=";", quotechar='"'))
            else:
                wb = CalamineWorkbook.from_path(str(path))
                self._cache[key] = wb.get_sheet_by_name(sheet).to_python()
        return self._cache[key]

    def record(self, file: str, sheet: str | None, row: int) -> dict:
        recs = self.records(file, sheet)
        return dict(zip(recs[0], recs[row], strict=False))

    def data_rows(self, file: str, sheet: str | None) -> list[dict]:
        """Every data record as a dict (repeated headers and the trailer skipped)."""
        recs = self.records(file, sheet)
        header = recs[0]
        body = recs[1:-1] if sheet is None else recs[1:]
        return [dict(zip(header, r, strict=False)) for r in body if r != header]

    def locations(self, table: str) -> list[tuple[str, str | None, str]]:
        """(file, sheet, source id) of every file/sheet holding ``table``."""
        return [(f["name"], t["sheet"], f["source_id"])
                for f in self.manifest["files"] for name, t in f["tables"].items() if name == table]


def mapping(source_id: str, table: str):
    return next(t for t in SOURCES[source_id].tables if t.canonical == table)


def col(source_id: str, table: str, canonical: str) -> str:
    return mapping(source_id, table).columns[canonical]


def decode(source_id: str, table: str, canonical: str, value):
    codes = mapping(source_id, table).value_codes.get(canonical)
    return codes.get(value, value) if codes else value


def as_date(source_id: str, value) -> date:
    if SOURCES[source_id].format == "csv":
        return datetime.strptime(value, SOURCES[source_id].date_format).date()
    assert isinstance(value, date), f"expected a date cell, got {value!r}"
    return value


def as_number(source_id: str, value) -> float | None:
    if value == "" or value is None:
        return None
    if SOURCES[source_id].format == "csv":
        return float(value.replace(",", "."))
    return float(value)


def item_cells(source_id: str, recs: list[dict]) -> dict[int, object]:
    """item_no -> raw answer cell of one form (A: one record per item; B: Q columns)."""
    if SOURCES[source_id].format == "csv":
        no = col(source_id, "measurements", "item_no")
        val = col(source_id, "measurements", "value")
        return {int(r[no]): r[val] for r in recs}
    pattern = re.compile(mapping(source_id, "measurements").item_columns)
    (rec,) = recs
    out = {}
    for name, cell in rec.items():
        m = pattern.match(str(name))
        if m and cell != "":
            out[int(m.group(1))] = cell
    return out


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, tuple[Path, object, float]]:
    """One 400-course run per format (seed 42), with its wall time."""
    out = {}
    for fmt in FORMATS:
        folder = tmp_path_factory.mktemp(f"demo_{fmt}")
        t0 = perf_counter()
        manifest = generate(folder, seed=42, courses=400, fmt=fmt)
        out[fmt] = (folder, manifest, perf_counter() - t0)
    return out


@pytest.fixture(scope="module")
def dataset():
    return build_dataset(seed=42, courses=400)


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


# ---------------------------------------------------------------- determinism and speed


def test_generation_time_400_courses(runs):
    for fmt, (_, manifest, seconds) in runs.items():
        rows = sum(t["rows"] for f in manifest.to_dict()["files"] for t in f["tables"].values())
        print(f"demo-data --format {fmt}: 400 courses, {rows} data rows in {seconds:.2f} s")
        assert seconds < 15


def test_same_seed_gives_identical_bytes(runs, tmp_path):
    folder, _, _ = runs["mixed"]
    generate(tmp_path / "again", seed=42, courses=400, fmt="mixed")
    first, second = _digests(folder), _digests(tmp_path / "again")
    assert sorted(first) == sorted(second)
    assert len(first) == 11  # 9 CSV files, 1 workbook, manifest.json
    assert first == second


def test_workbook_zip_entries_have_fixed_timestamps(runs):
    import zipfile

    folder, _, _ = runs["b"]
    with zipfile.ZipFile(folder / "b_export_20261031.xlsx") as zf:
        stamps = {info.date_time for info in zf.infolist()}
    assert len(stamps) == 1 and next(iter(stamps))[0] == 1980


def test_other_seed_gives_other_files(runs, tmp_path):
    folder, _, _ = runs["mixed"]
    generate(tmp_path / "other", seed=43, courses=400, fmt="mixed")
    first, other = _digests(folder), _digests(tmp_path / "other")
    assert sorted(first) == sorted(other)
    assert all(first[name] != other[name] for name in first)


# ---------------------------------------------------------------- file layout


def test_file_names_match_source_patterns(runs):
    from fnmatch import fnmatch

    for fmt, (folder, manifest, _) in runs.items():
        data = manifest.to_dict()
        for f in data["files"]:
            assert (folder / f["name"]).is_file()
            for table in f["tables"]:
                assert fnmatch(f["name"], mapping(f["source_id"], table).file_pattern)
        sources = {f["source_id"] for f in data["files"]}
        assert sources == {"a": {"fagsystem_a"}, "b": {"fagsystem_b"},
                           "mixed": {"fagsystem_a", "fagsystem_b"}}[fmt]


def test_csv_layout_crlf_trailer_and_repeated_headers(runs):
    folder, manifest, _ = runs["a"]
    exp = Export(folder)
    for f in manifest.to_dict()["files"]:
        raw = (folder / f["name"]).read_bytes()
        raw.decode("cp1252")  # Windows-1252 throughout
        assert raw.endswith(b"\r\n")
        (table, info), = f["tables"].items()
        recs = exp.records(f["name"], None)
        header = recs[0]
        columns = mapping("fagsystem_a", table).columns
        assert header == [columns[c] for c in columns if c in dict(COLUMNS[table])]
        assert recs[-1] == [f"Antal rækker: {info['rows']}"]
        repeats = [i for i, r in enumerate(recs) if r == header and i > 0]
        assert repeats == [5001 * k for k in range(1, len(repeats) + 1)]
        assert len(recs) - 2 - len(repeats) == info["rows"]
    big = exp.records("a_maalinger_20261031.csv", None)
    assert len(big) > 10_002 and big[5001] == big[0] and big[10_002] == big[0]


def test_csv_formats_dates_decimals_and_multiline_notes(runs):
    folder, _, _ = runs["a"]
    exp = Export(folder)
    costs = exp.data_rows("a_omkostninger_20261031.csv", None)
    assert all(re.fullmatch(r"\d+,\d\d", r["BeloebKr"]) for r in costs)
    assert any("," in r["Timer"] for r in costs if r["Timer"])
    courses = exp.data_rows("a_forloeb_20261031.csv", None)
    assert all(re.fullmatch(r"\d\d-\d\d-\d{4}", r["Startdato"]) for r in courses)
    notes = [r["Note"] for r in exp.data_rows("a_maalinger_20261031.csv", None) if r["Note"]]
    assert any("\n" in n for n in notes) and any(";" in n for n in notes)
    assert any('"' in n for n in notes)
    minutes = {r["Minutter"] for r in exp.data_rows("a_aktiviteter_20261031.csv", None)}
    assert "7,5" in minutes


def test_workbook_is_wide_with_real_dates(runs):
    folder, _, _ = runs["b"]
    exp = Export(folder)
    recs = exp.records("b_export_20261031.xlsx", "Forms")
    n_q = max(i.n_items for i in CFG.instruments)
    assert recs[0][-n_q:] == [f"Q{i}" for i in range(1, n_q + 1)]
    codes = mapping("fagsystem_b", "measurements").value_codes["instrument_id"]
    for rec in exp.data_rows("b_export_20261031.xlsx", "Forms")[:300]:
        assert isinstance(rec["Completed"], date)
        instrument = decode("fagsystem_b", "measurements", "instrument_id", rec["Tool"])
        if rec["Tool"] not in codes:
            continue
        filled = [i for i in range(1, n_q + 1) if rec[f"Q{i}"] != ""]
        assert max(filled) <= INSTRUMENTS[instrument].n_items
    wb = CalamineWorkbook.from_path(str(folder / "b_export_20261031.xlsx"))
    assert wb.sheet_names == [t.sheet for t in SOURCES["fagsystem_b"].tables]


# ---------------------------------------------------------------- manifest truth


def _check_defect(exp: Export, d: dict) -> None:
    src, table = d["source_id"], d["table"]
    is_csv = SOURCES[src].format == "csv"
    recs = [exp.record(d["file"], d["sheet"], r) for r in d["rows"]]
    kind = d["kind"]

    def c(name: str) -> str:
        return col(src, table, name)

    if kind == "missing_measurement":
        assert d["rows"] == []
        due = date.fromisoformat(d["due_date"])
        for file, sheet, s in exp.locations("measurements"):
            for r in exp.data_rows(file, sheet):
                if r[col(s, "measurements", "course_ref")] != d["course_ref"]:
                    continue
                inst = decode(s, "measurements", "instrument_id",
                              r[col(s, "measurements", "instrument_id")])
                if inst == d["instrument_id"]:
                    when = as_date(s, r[col(s, "measurements", "measured_on")])
                    assert abs((when - due).days) > d["tolerance_days"], d
        return
    assert recs, d
    if table == "measurements" and kind not in ("unknown_code",):
        for r in recs:
            assert r[c("form_ref")] == d["form_ref"]
            assert r[c("course_ref")] == d["course_ref"]
            if "instrument_id" in d:
                code = r[c("instrument_id")]
                assert decode(src, table, "instrument_id", code) == d["instrument_id"]
    if kind in ("out_of_range", "missing_item", "invalid_number"):
        if is_csv:
            (r,) = recs
            assert r[c("item_no")] == str(d["item_no"])
            cell = r[c("value")]
        else:
            assert d["column"] == f"Q{d['item_no']}"
            cell = recs[0][d["column"]]
        if kind == "out_of_range":
            value = as_number(src, cell)
            assert value == d["value"] and not d["item_min"] <= value <= d["item_max"]
        elif kind == "missing_item":
            assert cell == ""
        else:
            assert cell == d["value"]
    elif kind == "straight_lined":
        cells = item_cells(src, recs)
        assert len(cells) == d["n_items"] and {as_number(src, v) for v in cells.values()} == {
            d["value"]}
    elif kind in ("late_measurement", "measurement_before_start", "measurement_in_future"):
        when = {as_date(src, r[c("measured_on")]) for r in recs}
        assert when == {date.fromisoformat(d["measured_on"])}
        (when,) = when
        if kind == "late_measurement":
            assert (when - date.fromisoformat(d["due_date"])).days > d["tolerance_days"]
        elif kind == "measurement_before_start":
            assert when < date.fromisoformat(d["start_date"])
        else:
            assert when > date.fromisoformat(d["as_of"])
    elif kind == "near_duplicate":
        orig = [exp.record(d["file"], d["sheet"], r) for r in d["original_rows"]]
        assert {r[c("form_ref")] for r in orig} == {d["original_form_ref"]}
        gap = as_date(src, recs[0][c("measured_on")]) - as_date(src, orig[0][c("measured_on")])
        assert 0 <= gap.days <= 2
        new, old = item_cells(src, recs), item_cells(src, orig)
        assert sorted(new) == sorted(old)
        diff = [k for k in new if as_number(src, new[k]) != as_number(src, old[k])]
        assert diff == d["differing_items"]
        assert all(abs(as_number(src, new[k]) - as_number(src, old[k])) == 1 for k in diff)
    elif kind == "exact_duplicate":
        orig = [exp.record(d["file"], d["sheet"], r) for r in d["original_rows"]]
        assert recs == orig
        assert min(d["rows"]) > max(d["original_rows"])
    elif kind == "unknown_code":
        for r in recs:
            assert r[c("form_ref")] == d["form_ref"] and r[c("instrument_id")] == d["value"]
            assert d["value"] not in mapping(src, table).value_codes["instrument_id"]
    elif kind == "unknown_course":
        assert {r[c("course_ref")] for r in recs} == {d["course_ref"]}
        for file, sheet, s in exp.locations("courses"):
            refs = {r[col(s, "courses", "course_ref")] for r in exp.data_rows(file, sheet)}
            assert d["course_ref"] not in refs
    elif kind == "cpr_in_note":
        notes = {r[c("note")] for r in recs}
        assert len(notes) == 1
        found = (CPR_DASH if d["with_dash"] else CPR_PLAIN).findall(notes.pop())
        assert [hashlib.sha256(x.encode()).hexdigest() for x in found] == [d["cpr_sha256"]]
    elif kind == "cpr_in_citizen_id":
        (r,) = recs
        ref = r[c("citizen_ref")]
        assert (CPR_DASH if d["with_dash"] else CPR_PLAIN).fullmatch(ref)
        assert hashlib.sha256(ref.encode()).hexdigest() == d["citizen_ref_sha256"]
        if table == "courses":
            assert r[c("course_ref")] == d["course_ref"]
    elif kind == "unknown_citizen":
        (r,) = recs
        assert r[c("course_ref")] == d["course_ref"] and r[c("citizen_ref")] == d["citizen_ref"]
        for file, sheet, s in exp.locations("citizens"):
            refs = {x[col(s, "citizens", "citizen_ref")] for x in exp.data_rows(file, sheet)}
            assert d["citizen_ref"] not in refs
    elif kind == "invalid_date":
        (r,) = recs
        cell = r[c(d["column"])]
        assert cell == d["value"] and isinstance(cell, str)
        with pytest.raises(ValueError):
            datetime.strptime(cell, SOURCES[src].date_format)
        if table == "goal_ratings":
            assert r[c("goal_ref")] == d["goal_ref"]
        else:
            assert r[c("course_ref")] == d["course_ref"]
    else:  # pragma: no cover - a new kind needs a check here
        raise AssertionError(f"no check for defect kind {kind}")


@pytest.mark.parametrize("fmt", FORMATS)
def test_manifest_defects_are_where_the_manifest_says(runs, fmt):
    folder, manifest, _ = runs[fmt]
    exp = Export(folder)
    defects = exp.manifest["defects"]
    kinds = {d["kind"] for d in defects}
    assert kinds == {
        "missing_measurement", "late_measurement", "near_duplicate", "out_of_range",
        "straight_lined", "measurement_before_start", "measurement_in_future",
        "cpr_in_citizen_id", "cpr_in_note", "unknown_citizen", "unknown_course", "invalid_date",
        "invalid_number", "unknown_code", "exact_duplicate", "missing_item",
    }
    for d in defects:
        assert d["stage"] in ("ingest", "check")
        assert (d["sheet"] is None) == (SOURCES[d["source_id"]].format == "csv")
        _check_defect(exp, d)
    # no two defects share a row of the same file and sheet
    seen: set[tuple] = set()
    for d in defects:
        for r in d["rows"]:
            key = (d["file"], d["sheet"], r)
            assert key not in seen or d["kind"] == "cpr_in_citizen_id", d
            seen.add(key)
    if fmt == "mixed":
        by_kind: dict[str, set] = {}
        for d in defects:
            by_kind.setdefault(d["kind"], set()).add(d["source_id"])
        # straight-lining is planted on SDQ/ASI forms, which only B's interventions use
        assert by_kind.pop("straight_lined") == {"fagsystem_b"}
        assert all(s == {"fagsystem_a", "fagsystem_b"} for s in by_kind.values())


def test_manifest_has_no_cpr_numbers(runs):
    for folder, _, _ in runs.values():
        text = (folder / "manifest.json").read_text(encoding="utf-8")
        # word-bounded: a digit run inside a SHA-256 hex digest is not a CPR number
        assert not re.search(r"\b\d{6}-?\d{4}\b", text)


def test_manifest_counts_and_files(runs):
    for folder, manifest, _ in runs.values():
        data = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        assert data["seed"] == 42 and data["as_of"] == "2026-10-31" and data["n_courses"] == 400
        for f in data["files"]:
            assert hashlib.sha256((folder / f["name"]).read_bytes()).hexdigest() == f["sha256"]
        assert data == manifest.to_dict()
        kinds = {e["kind"] for e in data["effects"]}
        assert {"variant", "age_group", "rater_bias", "late_collection",
                "fidelity_outcome"} <= kinds


def test_every_format_holds_the_same_rows(runs):
    """Non-measurement tables: rows per table equal across a, b and mixed (A + B)."""
    per_fmt = {}
    for fmt, (_, manifest, _) in runs.items():
        counts: dict[str, int] = {}
        for f in manifest.to_dict()["files"]:
            for table, t in f["tables"].items():
                counts[table] = counts.get(table, 0) + t["rows"]
        per_fmt[fmt] = counts
    for fmt in per_fmt:  # measurements differ: long in A, one row per form in B
        per_fmt[fmt].pop("measurements")
    assert per_fmt["a"] == per_fmt["mixed"] == per_fmt["b"]


# ---------------------------------------------------------------- round trip to canonical


def _read_back(exp: Export, table: str) -> list[tuple]:
    """Canonical tuples of ``table`` from the files, quarantine-stage defect rows left out."""
    quarantined = [d for d in exp.manifest["defects"] if d["stage"] == "ingest"
                   and d["table"] == table and d["kind"] not in ("cpr_in_note", "missing_item")]
    # a wide row with one bad item cell loses only that item (row-level quarantine)
    drop = {(d["file"], d["sheet"], r) for d in quarantined if "column" not in d or
            not str(d["column"]).startswith("Q") for r in d["rows"]}
    drop_items = {(d["form_ref"], d["item_no"]) for d in quarantined if "item_no" in d}
    kinds = dict(COLUMNS[table])
    out = []
    for file, sheet, src in exp.locations(table):
        recs = exp.records(file, sheet)
        header = recs[0]
        n = len(recs) - (1 if sheet is None else 0)
        m = mapping(src, table)
        for row in range(1, n):
            if recs[row] == header or (file, sheet, row) in drop:
                continue
            rec = dict(zip(header, recs[row], strict=False))
            base = []
            for name, _ in COLUMNS[table]:
                if name in ("item_no", "value") and m.layout == "wide":
                    continue
                cell = rec[m.columns[name]]
                base.append(_canonical_cell(src, table, name, kinds[name], cell))
            if table == "measurements" and m.layout == "wide":
                instrument = base[2]
                n_items = INSTRUMENTS[instrument].n_items
                for no in range(1, n_items + 1):
                    cell = rec[f"Q{no}"]
                    if (base[0], no) in drop_items:
                        continue
                    if cell == "" and not any(
                        d["kind"] == "missing_item" and d["form_ref"] == base[0]
                        and d["item_no"] == no for d in exp.manifest["defects"]
                    ):
                        continue
                    value = as_number(src, cell)
                    out.append((*base[:6], no, value, base[6]))
            else:
                out.append(tuple(base))
    return sorted(out, key=repr)


def _canonical_cell(src: str, table: str, name: str, kind: str, cell):
    if cell == "" or cell is None:
        return None
    if kind == "date":
        return as_date(src, cell)
    if kind in ("num", "money"):
        return as_number(src, cell)
    if kind == "int":
        return int(float(cell)) if not isinstance(cell, str) else int(cell)
    return decode(src, table, name, str(cell))


def _frame_tuples(frame: pd.DataFrame) -> list[tuple]:
    rows = []
    for rec in frame.itertuples(index=False):
        rows.append(tuple(None if (isinstance(v, float) and np.isnan(v)) else
                          (int(v) if isinstance(v, np.integer) else
                           float(v) if isinstance(v, np.floating) else v) for v in rec))
    return sorted(rows, key=repr)


@pytest.mark.parametrize("fmt", FORMATS)
def test_files_read_back_to_the_canonical_dataset(runs, dataset, fmt):
    """What a correct ingest stages from the files equals ``build_dataset`` (refs, not ids)."""
    folder, _, _ = runs[fmt]
    exp = Export(folder)
    for table in COLUMNS:
        got = _read_back(exp, table)
        want = _frame_tuples(to_frames(dataset)[table])
        assert len(got) == len(want), table
        assert got == want, table


# ---------------------------------------------------------------- planted effects


def _totals(ds) -> pd.DataFrame:
    """Form totals of the courses that follow the usual course: the planted off-course
    courses and late improvers (effects 6 and 7) are left out, as they overlay the others."""
    m = to_frames(ds)["measurements"]
    tot = m.groupby(["form_ref", "course_ref", "instrument_id"], as_index=False)["value"].sum()
    planted = set(ds.effect_info["off_course"]["course_refs"]) | set(
        ds.effect_info["late_improver"]["course_refs"])
    tot = tot[~tot["course_ref"].isin(planted)]
    return tot.merge(form_points(ds)[["form_ref", "point"]], on="form_ref")


@pytest.fixture(scope="module", params=[(42, 400), (7, 2000)], ids=["seed42-400", "seed7-2000"])
def effect_data(request):
    seed, n = request.param
    return build_dataset(seed=seed, courses=n)


def test_youth_variant_and_age_effects(effect_data):
    ds = effect_data
    courses = to_frames(ds)["courses"].merge(to_frames(ds)["citizens"], on="citizen_ref")
    courses["age"] = [d.year for d in courses["start_date"]] - courses["birth_year"]
    tot = _totals(ds)
    yls = tot[tot.instrument_id == "yls_cmi"].pivot_table(
        index="course_ref", columns="point", values="value", aggfunc="first")
    yls = yls.join(courses.set_index("course_ref")[["variant", "age"]])
    assert yls["age"].between(14, 17).all()
    yls["drop"] = yls["end"] - yls["start"]
    yls["back"] = yls["fu12"] - yls["end"]
    by_variant = yls.groupby("variant")[["drop", "back"]].mean()
    assert by_variant.loc["konfliktraad", "drop"] < by_variant.loc["standard", "drop"] - 1.0
    assert by_variant.loc["konfliktraad", "back"] < 2.0 < by_variant.loc["standard", "back"]
    older = yls["age"] >= 16
    assert yls.loc[older, "start"].mean() > yls.loc[~older, "start"].mean() + 1.0
    assert yls.loc[~older, "drop"].mean() < yls.loc[older, "drop"].mean() - 1.0
    assert yls.loc[~older, "back"].mean() > yls.loc[older, "back"].mean() + 1.0
    ids = ds.effect_info
    assert set(ids["variant"]["konfliktraad"]) == set(yls.index[yls.variant == "konfliktraad"]) | (
        set(ids["variant"]["konfliktraad"]) - set(yls.index))


def test_lenient_rater_and_late_team(effect_data):
    ds = effect_data
    bias = ds.effect_info["rater_bias"]
    m = to_frames(ds)["measurements"].merge(to_frames(ds)["courses"][["course_ref", "team_id"]])
    asi = m[(m.instrument_id == "asi") & (m.team_id == "voksen_oest")]
    lenient = asi.staff_id == bias["staff_id"]
    assert asi[lenient].value.mean() > asi[~lenient].value.mean() + 0.25
    cal = to_frames(ds)["calibration_scores"]
    case = cal[cal.case_ref.isin(cal.case_ref[cal.staff_id == bias["staff_id"]])]
    mine = case[case.staff_id == bias["staff_id"]].set_index(["case_ref", "item_no"]).value
    peers = case[case.staff_id != bias["staff_id"]].groupby(["case_ref", "item_no"]).value.mean()
    assert len(mine) == 3 * INSTRUMENTS["asi"].n_items  # three yearly workshops
    assert (mine - peers).mean() > 0.3
    fp = form_points(ds).merge(to_frames(ds)["courses"][["course_ref", "team_id"]])
    delay = np.array([(a - b).days for a, b in zip(fp.measured_on, fp.due_date, strict=True)])
    late = np.abs(delay) > fp.tolerance_days.to_numpy()
    unge = (fp.team_id == "unge_syd").to_numpy()
    assert 20 <= np.median(delay[unge]) <= 40 and late[unge].mean() > 0.7
    assert late[~unge].sum() <= 5  # only the planted late / early / future defects


def test_fidelity_goes_with_outcome_and_goal_categories(effect_data):
    ds = effect_data
    tot = _totals(ds)
    m = to_frames(ds)["measurements"]
    kik = m[m.instrument_id == "kik"].groupby("course_ref")["value"].mean()
    ors = tot[tot.instrument_id == "ors"].pivot_table(
        index="course_ref", columns="point", values="value", aggfunc="first")
    change = (ors["end"] - ors["start"]).rename("change").to_frame().join(kik.rename("kik"))
    assert change.dropna().corr().iloc[0, 1] > 0.2
    assert ors["end"].mean() > ors["start"].mean() + 4
    goals = to_frames(ds)["goals"].merge(to_frames(ds)["goal_ratings"], on="goal_ref")
    goals = goals.sort_values(["goal_ref", "rated_on"])
    first, last = goals.groupby("goal_ref").first(), goals.groupby("goal_ref").last()
    closed = last.rated_on > first.rated_on
    kind, base, end = first.goal_type[closed], first.score[closed], last.score[closed]
    cats = set()
    for k, b, e in zip(kind, base, end, strict=True):
        if k == "progression":
            cats.add("reached" if e >= 0 else "progress" if e > b
                     else "none" if e == b else "worse")
        else:
            cats.add("kept" if e >= 0 else "worse")
    assert cats == {"reached", "progress", "none", "worse", "kept"}
    assert set(first.score[first.goal_type == "maintenance"]) == {0}
    assert set(first.score[first.goal_type == "progression"]) <= {-1, -2}


def test_target_groups_and_open_courses(dataset):
    courses = to_frames(dataset)["courses"].merge(to_frames(dataset)["citizens"], on="citizen_ref")
    age = np.array([d.year for d in courses.start_date]) - courses.birth_year.to_numpy()
    ranges = {"spaedbarn": (18, 40), "ungepraktik": (14, 17), "boernegrupper": (6, 12),
              "voksenstoette": (20, 65)}
    for iv, (lo, hi) in ranges.items():
        a = age[(courses.intervention_id == iv).to_numpy()]
        assert a.size >= 90 and lo <= a.min() and a.max() <= hi, iv
    assert set(courses.team_id) == {"familie_nord", "unge_syd", "boern_vest", "voksen_oest",
                                    "voksen_vest"}
    open_share = courses.end_date.isna().mean()
    assert 0.05 < open_share < 0.4
    assert courses.end_reason.isna().sum() == courses.end_date.isna().sum()
    assert courses.citizen_ref.duplicated().sum() >= 2  # a few citizens with two courses
    starts = courses.start_date
    assert min(starts) >= date(2023, 10, 31) and max(starts) < date(2026, 10, 31)


# ---------------------------------------------------------------- CLI


def test_cli_demo_data_writes_files(tmp_path):
    out = tmp_path / "cli"
    result = CliRunner().invoke(app, ["demo-data", str(out), "--courses", "60", "--format", "a",
                                      "--seed", "3", "--as-of", "2026-06-30"])
    assert result.exit_code == 0, result.output
    manifest = load_manifest(out)
    assert manifest["format"] == "a" and manifest["n_courses"] == 60
    assert manifest["as_of"] == "2026-06-30"
    names = sorted(p.name for p in out.iterdir())
    assert "a_maalinger_20260630.csv" in names and "manifest.json" in names
    assert not any(n.endswith(".xlsx") for n in names)


def test_cli_demo_data_takes_the_config_option_every_command_takes(tmp_path):
    """--config, as every other command spells it (--config-dir still works); a config
    folder that is not there is named."""
    repo_config = Path(__file__).resolve().parents[2] / "config"
    for option in ("--config", "--config-dir"):
        out = tmp_path / option.strip("-")
        result = CliRunner().invoke(app, ["demo-data", str(out), "--courses", "20", "--format",
                                          "a", option, str(repo_config)])
        assert result.exit_code == 0, result.output
        assert (out / "manifest.json").exists()
    missing = CliRunner().invoke(app, ["demo-data", str(tmp_path / "x"), "--courses", "20",
                                       "--config", str(tmp_path / "no-config")])
    assert missing.exit_code != 0


def test_cli_rejects_unknown_format(tmp_path):
    result = CliRunner().invoke(app, ["demo-data", str(tmp_path), "--format", "c"])
    assert result.exit_code != 0
    assert not any(tmp_path.iterdir())


def test_off_course_and_late_improvers_are_planted(effect_data):
    ds = effect_data
    entries = {e["kind"]: e for e in effect_entries(ds)}
    off = set(entries["off_course"]["course_refs"])
    late = set(entries["late_improver"]["course_refs"])
    assert off and late and not off & late
    assert 0.02 < len(off) / ds.n_courses < 0.09  # about 5 %
    m = to_frames(ds)["measurements"]
    tot = m.groupby(["form_ref", "course_ref", "instrument_id"], as_index=False)["value"].sum()
    tot = tot.merge(form_points(ds)[["form_ref", "point"]], on="form_ref")
    ors = tot[tot.instrument_id == "ors"].pivot_table(
        index="course_ref", columns="point", values="value", aggfunc="first")
    change = (ors["end"] - ors["start"]).dropna()
    # ORS (higher is better): the usual courses improve, the planted ones worsen
    assert change[change.index.isin(off)].mean() < -3
    assert change[~change.index.isin(off | late)].mean() > 3
    # late improvers stand still (a small dip) at mid, then end where the others do
    mid = (ors["mid"] - ors["start"]).dropna()
    assert mid[mid.index.isin(late)].mean() < 1 < 2 < mid[~mid.index.isin(off | late)].mean()
    assert change[change.index.isin(late)].mean() > 3
    # the manifest's form refs are the planted courses' forms after their first one
    forms = to_frames(ds)["measurements"].drop_duplicates("form_ref").set_index("form_ref")
    refs = entries["off_course"]["form_refs"]
    assert refs and set(forms.loc[refs, "course_ref"]) <= off
