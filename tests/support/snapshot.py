"""What a rendered deck and a built database hold, as plain JSON-able data.

Used by the layout test that compares ``make demo``'s output before and after a code move:
a deck's snapshot is its slide count and, per slide, every text frame, table cell, native
chart's categories and series values, and the SHA-256 of every picture; a database's is
a checksum of every model's rows (int_* and mart_*) (sorted, so row order does not count).

One text is not the same from day to day: the leaders' summary says when the latest
quality run ran ("Kørt 05.12.2026 på data til og med 31.10.2026."), and that is the wall
clock of the check step, not the demo's fixed as-of date (the ingest that the stale-run
gate compares it with stamps its loads by the wall clock too). :func:`quality_run_masks`
gives that exact sentence, built from the run stored in the database, and the same
sentence with :data:`RUN_DATE` in place of the date; :func:`deck_snapshot` swaps the one
for the other. Only a deck that shows the stored run's date in that sentence matches a
snapshot holding the placeholder: another date there (the as-of date, an older run) or
any other change to the sentence still differs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pptx import Presentation
from pptx.util import Emu

from outputs.fmt import fmt_date
from outputs.strategic_texts import st

#: What a snapshot holds in place of the quality run's date (see the module's docstring).
RUN_DATE = "<kørselsdato>"


def _shape_snapshot(shape) -> dict[str, Any] | None:
    if shape.shape_type is not None and shape.shape_type == 6:  # group
        return {"group": [s for s in map(_shape_snapshot, shape.shapes) if s]}
    if getattr(shape, "has_chart", False) and shape.has_chart:
        chart = shape.chart
        plot = chart.plots[0] if len(chart.plots) else None
        return {"chart": {
            "type": str(chart.chart_type),
            "categories": [str(c) for c in plot.categories] if plot is not None else [],
            "series": [[s.name, [None if v is None else round(v, 6) for v in s.values]]
                       for p in chart.plots for s in p.series],
        }}
    if getattr(shape, "has_table", False) and shape.has_table:
        return {"table": [[c.text for c in row.cells] for row in shape.table.rows]}
    if shape.shape_type == 13:  # picture
        return {"picture": hashlib.sha256(shape.image.blob).hexdigest()[:16]}
    if shape.has_text_frame and shape.text_frame.text.strip():
        return {"text": shape.text_frame.text}
    return None


def deck_snapshot(path: Path, masks: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Slide count and what each slide shows (texts, tables, charts, picture hashes);
    in every text, table cell and note, each key of ``masks`` replaced by its value."""
    prs = Presentation(str(path))
    slides = []
    for slide in prs.slides:
        shapes = [s for s in map(_shape_snapshot, slide.shapes) if s]
        notes = slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""
        slides.append({"shapes": shapes, "notes": notes})
    slides = _masked(slides, masks or {})
    return {"n_slides": len(slides), "width": Emu(prs.slide_width), "slides": slides}


def _masked(value: Any, masks: Mapping[str, str]) -> Any:
    if isinstance(value, str):
        for real, placeholder in masks.items():
            value = value.replace(real, placeholder)
        return value
    if isinstance(value, list):
        return [_masked(v, masks) for v in value]
    if isinstance(value, dict):
        return {k: v if k in ("picture", "type") else _masked(v, masks)
                for k, v in value.items()}
    return value


def quality_run_masks(con, lang: str) -> dict[str, str]:
    """The sentence "Kørt <date> på data til og med <as-of>." of the latest stored
    organisation-wide quality run (the leaders' summary's quality line, in ``lang``) ->
    the same sentence with :data:`RUN_DATE` for the run's date. Empty when no run."""
    run = con.execute(
        "select started_at, as_of_date from quality.runs where scope_kind = 'organisation' "
        "order by started_at desc, run_id desc limit 1").fetchone()
    if run is None:
        return {}
    started, as_of = run
    return {st("quality_run", lang, date=fmt_date(started.date(), lang),
               as_of=fmt_date(as_of, lang)):
            st("quality_run", lang, date=RUN_DATE, as_of=fmt_date(as_of, lang))}


def _steady(value: Any) -> Any:
    """Floats to 7 significant digits, -0.0 as 0.0: DuckDB's parallel sums may differ in
    the last bits and in the sign of a zero, and fits (slopes, robust SDs) and costs in
    the tens of thousands carry such differences past a fixed number of decimals."""
    return float(f"{value:.7g}") + 0.0 if isinstance(value, float) else value


def mart_checksums(con) -> dict[str, str]:
    """SHA-256 (first 16 hex digits) of every model's rows (int_* and mart_*), sorted.
    A ``load_id`` column (lineage, as the int_check_* models carry it) is left out: load
    ids hold the time of the load and a random part, different in every run."""
    names = [r[0] for r in con.execute(
        "select table_name from information_schema.tables where table_schema = 'main' "
        "and (table_name like 'mart\\_%' escape '\\' or table_name like 'int\\_%' escape '\\') "
        "order by table_name").fetchall()]
    out = {}
    for name in names:
        columns = con.table(name).columns
        select = "* exclude (load_id)" if "load_id" in columns else "*"
        rows = con.execute(f'select {select} from "{name}"').fetchall()
        text = "\n".join(sorted(repr(tuple(map(_steady, r))) for r in rows))
        out[name] = hashlib.sha256(text.encode()).hexdigest()[:16]
    return out
