"""Turn the dataset's tables into the row stream one export file receives.

A writer asks for the rows of one canonical table that go to its source system
and gets an iterator of segments:

* :class:`Bulk`: many ordinary rows as typed columns (vectorised formatting);
* :class:`Single`: one row with typed values, raw-text overrides and the tags
  (defect ids) whose row numbers the writer must report.

Rows that carry a patch, and extra rows, always come as :class:`Single`, in
export order: a patched row where it stands, extras right after their anchor
row (or at the end of the stream when the anchor went to the other system).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np

from demo.defects import Extra, Patch, Raw
from demo.model import FORM_COLUMNS, KINDS, Dataset, ranges

CHUNK = 20_000


@dataclass
class Bulk:
    columns: dict[str, np.ndarray]
    n: int


@dataclass
class Single:
    values: dict[str, object]
    raw: dict[str, Raw] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)


Segment = Bulk | Single


def _scalar(v):
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.floating):
        return float(v)
    return v


def _index(ds: Dataset, table: str, sel: np.ndarray, extras: list[Extra]):
    """Patches per row and extras per anchor, restricted to the selection."""
    patches: dict[int, list[Patch]] = {}
    for p in ds.patches:
        if p.table == table:
            patches.setdefault(p.row, []).append(p)
    anchored = np.isin(np.array([e.after for e in extras], dtype=np.int64), sel)
    after: dict[int, list[Extra]] = {}
    tail: list[Extra] = []
    for e, ok in zip(extras, anchored.tolist(), strict=True):
        if ok:
            after.setdefault(e.after, []).append(e)
        else:
            tail.append(e)
    special = np.array(sorted(set(patches) | set(after)), dtype=np.int64)
    return patches, after, tail, special


def _runs(sel: np.ndarray, special: np.ndarray) -> Iterator[tuple[bool, np.ndarray]]:
    """Split ``sel`` into (is_special, rows) pieces, keeping order."""
    is_sp = np.isin(sel, special)
    cuts = np.flatnonzero(is_sp)
    prev = 0
    for c in cuts:
        if c > prev:
            yield False, sel[prev:c]
        yield True, sel[c:c + 1]
        prev = c + 1
    if prev < sel.size:
        yield False, sel[prev:]


def table_segments(ds: Dataset, table: str, sel: np.ndarray, extras: list[Extra]
                   ) -> Iterator[Segment]:
    """Rows of an ordinary (not measurement) table."""
    t = ds.tables[table]
    cols = [c for c in KINDS[table]]
    patches, after, tail, special = _index(ds, table, sel, extras)
    for is_sp, rows in _runs(sel, special):
        if not is_sp:
            for a in range(0, rows.size, CHUNK):
                part = rows[a:a + CHUNK]
                yield Bulk({c: t[c][part] for c in cols}, part.size)
            continue
        r = int(rows[0])
        if r in patches:
            ps = patches[r]
            raw = {k: v for p in ps for k, v in p.raw.items()}
            yield Single({c: _scalar(t[c][r]) for c in cols}, raw, [p.tag for p in ps])
        else:
            yield Single({c: _scalar(t[c][r]) for c in cols})
        for e in after.get(r, []):
            yield _extra_single(e)
    for e in tail:
        yield _extra_single(e)


def _extra_single(e: Extra) -> Single:
    values = {k: v for k, v in e.values.items() if not isinstance(v, Raw)}
    raw = {k: v for k, v in e.values.items() if isinstance(v, Raw)}
    return Single(values, raw, [e.tag])


def _form_values(ds: Dataset, f: int) -> dict[str, object]:
    forms = ds.forms
    return {c: _scalar(forms[c][f]) for c in FORM_COLUMNS}


def long_segments(ds: Dataset, sel: np.ndarray, extras: list[Extra]) -> Iterator[Segment]:
    """Measurements in long layout: one row per item answer, form fields repeated."""
    forms, items = ds.forms, ds.items
    counts_all = items.counts()
    patches, after, tail, special = _index(ds, "measurements", sel, extras)
    for is_sp, rows in _runs(sel, special):
        if not is_sp:
            for a in range(0, rows.size, CHUNK):
                part = rows[a:a + CHUNK]
                counts = counts_all[part]
                flat = np.repeat(items.offsets[:-1][part], counts) + ranges(counts)
                cols = {c: np.repeat(forms[c][part], counts) for c in FORM_COLUMNS}
                cols["item_no"] = items.item_no[flat]
                cols["value"] = items.value[flat]
                yield Bulk(cols, int(flat.size))
            continue
        f = int(rows[0])
        base = _form_values(ds, f)
        ps = patches.get(f, [])
        form_ps = [p for p in ps if p.item_no is None]
        form_raw = {k: v for p in form_ps for k, v in p.raw.items()}
        nos, vals = items.of(f)
        for no, val in zip(nos.tolist(), vals.tolist(), strict=True):
            item_ps = [p for p in ps if p.item_no == no]
            raw = dict(form_raw)
            for p in item_ps:
                raw.update(p.raw)
            yield Single({**base, "item_no": no, "value": val}, raw,
                         [p.tag for p in form_ps + item_ps])
        for e in after.get(f, []):
            yield from _extra_long(e)
    for e in tail:
        yield from _extra_long(e)


def _extra_long(e: Extra) -> Iterator[Single]:
    for no, val in e.items or []:
        s = _extra_single(e)
        s.values["item_no"] = no
        if isinstance(val, Raw):
            s.raw["value"] = val
        else:
            s.values["value"] = val
        yield s


def q_name(no: int) -> str:
    return f"Q{no}"


def wide_segments(ds: Dataset, sel: np.ndarray, extras: list[Extra], n_q: int
                  ) -> Iterator[Segment]:
    """Measurements in wide layout: one row per form, answers in Q1..Qn (NaN = empty)."""
    forms, items = ds.forms, ds.items
    counts_all = items.counts()
    patches, after, tail, special = _index(ds, "measurements", sel, extras)
    qs = [q_name(i) for i in range(1, n_q + 1)]
    for is_sp, rows in _runs(sel, special):
        if not is_sp:
            for a in range(0, rows.size, CHUNK):
                part = rows[a:a + CHUNK]
                counts = counts_all[part]
                flat = np.repeat(items.offsets[:-1][part], counts) + ranges(counts)
                mat = np.full((part.size, n_q), np.nan)
                mat[np.repeat(np.arange(part.size), counts), items.item_no[flat] - 1] = (
                    items.value[flat])
                cols = {c: forms[c][part] for c in FORM_COLUMNS}
                cols.update({q: mat[:, i] for i, q in enumerate(qs)})
                yield Bulk(cols, part.size)
            continue
        f = int(rows[0])
        values = _form_values(ds, f)
        values.update({q: np.nan for q in qs})
        nos, vals = items.of(f)
        for no, val in zip(nos.tolist(), vals.tolist(), strict=True):
            values[q_name(no)] = val
        ps = patches.get(f, [])
        raw: dict[str, Raw] = {}
        for p in ps:
            for k, v in p.raw.items():
                raw[q_name(p.item_no) if k == "value" and p.item_no else k] = v
        yield Single(values, raw, [p.tag for p in ps])
        for e in after.get(f, []):
            yield _extra_wide(e, qs)
    for e in tail:
        yield _extra_wide(e, qs)


def _extra_wide(e: Extra, qs: list[str]) -> Single:
    s = _extra_single(e)
    s.values.update({q: np.nan for q in qs})
    for no, val in e.items or []:
        if isinstance(val, Raw):
            s.raw[q_name(no)] = val
        else:
            s.values[q_name(no)] = val
    return s
