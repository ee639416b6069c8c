"""Demo exports of a fictitious municipality (``datadialog demo-data``).

Two calls for other code and tests::

    from demo import build_dataset, generate
    from demo.frames import to_frames

    ds = build_dataset(seed=42, courses=400, as_of=date(2026, 10, 31))
    to_frames(ds)["measurements"]      # canonical content, citizen refs

    manifest = generate(out_dir, seed=42, courses=400, fmt="mixed")
    manifest.paths, manifest.defects   # files written, planted defects with rows

The same seed and arguments always give byte-identical files. ``fmt`` picks
the source systems: ``a`` (CSV, fagsystem_a), ``b`` (XLSX, fagsystem_b) or
``mixed`` (the first half of the interventions, costs and calibration in A;
the rest in B, whose Costs and Calibration sheets then hold only their
header). All three carry the same canonical content.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import numpy as np

from datadialog.config_load import load_config
from datadialog.config_model import DatadialogConfig, Source
from demo import agreements as agreements_mod
from demo import defects as defects_mod
from demo import effects as effects_mod
from demo import rows as rows_mod
from demo import write_a, write_b
from demo.agreements import ReturnedMeeting
from demo.frames import canonical_counts, form_points
from demo.manifest import FileEntry, Manifest, load_manifest
from demo.model import Dataset, build_core

DEFAULT_SEED = 42
DEFAULT_COURSES = 400
DEFAULT_AS_OF = date(2026, 10, 31)
FORMATS = ("mixed", "a", "b")
#: Tables that belong to no course; in the mixed format they go to fagsystem A.
UNBOUND_TABLES = ("costs", "calibration_scores")

Progress = Callable[[str, int, int], None]

__all__ = [
    "Dataset", "Manifest", "ReturnedMeeting", "build_dataset", "generate", "load_manifest",
    "form_points",
    "DEFAULT_AS_OF", "DEFAULT_COURSES", "DEFAULT_SEED", "FORMATS",
]


def build_dataset(
    seed: int = DEFAULT_SEED,
    courses: int = DEFAULT_COURSES,
    as_of: date = DEFAULT_AS_OF,
    config: DatadialogConfig | None = None,
    config_dir: str | Path | None = None,
) -> Dataset:
    """The canonical dataset for a seed, with effects and defects planted (nothing written)."""
    cfg = config if config is not None else load_config(config_dir)
    ds = build_core(seed, courses, as_of, cfg)
    defects_mod.plant(ds)
    return ds


def _sources(cfg: DatadialogConfig) -> tuple[Source, Source]:
    csv_src = next((s for s in cfg.sources if s.format == "csv"), None)
    xlsx_src = next((s for s in cfg.sources if s.format == "xlsx"), None)
    if csv_src is None or xlsx_src is None:
        raise ValueError("the demo needs one csv source and one xlsx source in config/sources.yaml")
    return csv_src, xlsx_src


def system_of_interventions(fmt: str, n_interventions: int) -> np.ndarray:
    """'a' or 'b' per intervention index for the chosen format."""
    if fmt == "a":
        return np.array(["a"] * n_interventions)
    if fmt == "b":
        return np.array(["b"] * n_interventions)
    half = (n_interventions + 1) // 2
    return np.array(["a" if i < half else "b" for i in range(n_interventions)])


def _selection(ds: Dataset, table: str, system: str, fmt: str, route: np.ndarray):
    t = ds.tables[table]
    if table in UNBOUND_TABLES:
        home = "b" if fmt == "b" else "a"
        sel = np.arange(len(t)) if system == home else np.arange(0)
        extras = [e for e in ds.extras if e.table == table and system == home]
    else:
        sel = np.flatnonzero(route[t["_iv"]] == system) if len(t) else np.arange(0)
        extras = [e for e in ds.extras if e.table == table and route[e.route_iv] == system]
    return sel, extras


def generate(
    out_dir: str | Path,
    seed: int = DEFAULT_SEED,
    courses: int = DEFAULT_COURSES,
    fmt: str = "mixed",
    as_of: date = DEFAULT_AS_OF,
    config_dir: str | Path | None = None,
    progress: Progress | None = None,
    returned_meetings: list[ReturnedMeeting] | None = None,
) -> Manifest:
    """Write the demo exports and ``manifest.json`` into ``out_dir``; return the manifest.

    ``returned_meetings``: earlier meetings whose agreement registers the meeting leaders
    "returned" (:mod:`demo.agreements`); written beside the exports, listed in the
    manifest under ``returned_agreements``."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}, not {fmt!r}")
    t0 = time.perf_counter()
    cfg = load_config(config_dir)
    src_a, src_b = _sources(cfg)
    route = system_of_interventions(fmt, len(cfg.interventions))
    systems = [s for s in ("a", "b") if fmt in (s, "mixed")]
    n_steps = 2 + (len(src_a.tables) if "a" in systems else 0) + (
        len(src_b.tables) if "b" in systems else 0)
    step = 0

    def tick(label: str) -> None:
        nonlocal step
        step += 1
        if progress is not None:
            progress(label, step, n_steps)

    ds = build_dataset(seed, courses, as_of, config=cfg)
    tick("dataset drawn")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    files: list[FileEntry] = []
    located: dict[str, tuple[FileEntry, str, str | None, list[int]]] = {}
    home_of: dict[tuple[str, str], tuple[FileEntry, str | None]] = {}
    n_q = max(i.n_items for i in cfg.instruments)

    if "a" in systems:
        for mapping in src_a.tables:
            table = mapping.canonical
            name = write_a.file_name(mapping, as_of)
            entry = FileEntry(name, out / name, src_a.id, "csv")
            sel, extras = _selection(ds, table, "a", fmt, route)
            segs = (rows_mod.long_segments(ds, sel, extras) if table == "measurements"
                    else rows_mod.table_segments(ds, table, sel, extras))
            tags: dict[str, list[int]] = {}
            n = write_a.write_table(entry.path, src_a, mapping, segs, tags)
            entry.tables[table] = {"sheet": None, "rows": n}
            entry.finish()
            files.append(entry)
            home_of[("a", table)] = (entry, None)
            for tag, rws in tags.items():
                located[tag] = (entry, table, None, rws)
            tick(f"{name}: {n} rows")

    if "b" in systems:
        name = write_b.file_name(as_of)
        entry = FileEntry(name, out / name, src_b.id, "xlsx")
        book = write_b.Workbook(entry.path, as_of)
        try:
            for mapping in src_b.tables:
                table = mapping.canonical
                # in the mixed format costs and calibration go to A: header-only sheets here
                sheet = mapping.sheet or table
                sel, extras = _selection(ds, table, "b", fmt, route)
                if table == "measurements" and mapping.layout == "wide":
                    segs = rows_mod.wide_segments(ds, sel, extras, n_q)
                elif table == "measurements":
                    segs = rows_mod.long_segments(ds, sel, extras)
                else:
                    segs = rows_mod.table_segments(ds, table, sel, extras)
                tags = {}
                n = book.write_sheet(sheet, src_b, mapping, n_q, segs, tags)
                entry.tables[table] = {"sheet": sheet, "rows": n}
                home_of[("b", table)] = (entry, sheet)
                for tag, rws in tags.items():
                    located[tag] = (entry, table, sheet, rws)
                tick(f"{name} [{sheet}]: {n} rows")
        finally:
            book.close()
        entry.finish()
        files.append(entry)

    defect_entries = []
    for spec in ds.defects:
        if spec.id in located:
            entry, _table, sheet, rws = located[spec.id]
        else:  # no rows (missing_measurement): the file the rows would be in
            system = ("b" if fmt == "b" else "a") if spec.table in UNBOUND_TABLES else str(
                route[spec.route_iv])
            entry, sheet = home_of[(system, spec.table)]
            rws = []
        fmt_name = entry.format
        d = {
            "id": spec.id, "kind": spec.kind, "stage": spec.stage, "table": spec.table,
            "source_id": entry.source_id, "file": entry.name, "sheet": sheet,
            "rows": sorted(set(rws)),
        }
        original = located.get(f"{spec.id}:original")
        if original is not None:
            d["original_rows"] = sorted(set(original[3]))
        keys = spec.resolved_keys(fmt_name)
        if fmt_name == "xlsx" and spec.table == "measurements" and "item_no" in keys:
            keys["column"] = rows_mod.q_name(int(keys["item_no"]))
        d.update(keys)
        defect_entries.append(d)

    returned = agreements_mod.write_returned_registers(out, ds, cfg, returned_meetings or [])
    manifest = Manifest(
        out_dir=out,
        seed=seed,
        as_of=as_of.isoformat(),
        n_courses=courses,
        format=fmt,
        files=files,
        canonical_rows=canonical_counts(ds),
        effects=effects_mod.effect_entries(ds),
        defects=defect_entries,
        returned_agreements=returned,
    )
    manifest.write()
    manifest.seconds = time.perf_counter() - t0
    tick("manifest.json")
    return manifest
