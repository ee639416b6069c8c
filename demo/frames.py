"""The canonical content of a :class:`~demo.model.Dataset` as pandas frames.

One frame per canonical table, canonical column names (``citizen_ref``,
``course_ref`` ... as in ``CANONICAL_TABLES``, citizen refs not pseudonyms),
only the rows a correct ingest stages: rows that ingest must quarantine
(ingest-stage defects) are left out, a missing ORS item is a NaN value, and
check-stage defects are included as they are. Dates are ``datetime.date``
objects (``None`` = empty), text is ``object`` (``None`` = empty), numbers are
float64 (NaN = empty), integers int64. Notes are as exported: the CPR numbers
planted by the ``cpr_in_note`` defect are still in them (ingest masks them).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from demo.model import COLUMNS, Dataset, from_day


def _dates(days: np.ndarray) -> np.ndarray:
    uniq, inv = np.unique(days, return_inverse=True)
    lut = np.empty(uniq.size, dtype=object)
    lut[:] = [from_day(d) if d >= 0 else None for d in uniq.tolist()]
    return lut[inv.reshape(-1)]


def _series(values: np.ndarray, kind: str) -> pd.Series:
    if kind == "date":
        return pd.Series(_dates(values), dtype=object)
    if kind == "str":
        return pd.Series(values, dtype=object)
    if kind == "int":
        return pd.Series(values.astype(np.int64))
    return pd.Series(values.astype(np.float64))


def to_frames(ds: Dataset) -> dict[str, pd.DataFrame]:
    """Canonical tables as pandas DataFrames (rows that ingest must stage); made once per
    dataset and kept on it."""
    if "_frames" not in ds.__dict__:
        ds.__dict__["_frames"] = _frames(ds)
    return ds.__dict__["_frames"]


def _frames(ds: Dataset) -> dict[str, pd.DataFrame]:
    out: dict[str, pd.DataFrame] = {}
    for table, cols in COLUMNS.items():
        if table == "measurements":
            out[table] = measurement_frame(ds)
            continue
        t = ds.tables[table]
        keep = np.setdiff1d(np.arange(len(t)), np.array(sorted(ds.excluded_rows(table)), dtype=int))
        out[table] = pd.DataFrame({c: _series(t[c][keep], k) for c, k in cols})
    return out


def measurement_frame(ds: Dataset) -> pd.DataFrame:
    forms, items = ds.forms, ds.items
    counts = items.counts()
    form_of_item = np.repeat(np.arange(len(forms)), counts)
    keep = np.ones(form_of_item.size, dtype=bool)
    for form, item_no in ds.excluded_items():
        a, b = items.offsets[form], items.offsets[form + 1]
        keep[a:b] &= items.item_no[a:b] != item_no
    kinds = dict(COLUMNS["measurements"])
    data = {}
    for c, _ in COLUMNS["measurements"]:
        if c == "item_no":
            data[c] = _series(items.item_no[keep], "int")
        elif c == "value":
            data[c] = _series(items.value[keep], "num")
        else:
            data[c] = _series(forms[c][form_of_item[keep]], kinds[c])
    return pd.DataFrame(data)


def form_points(ds: Dataset) -> pd.DataFrame:
    """Per form: measurement point, due date and tolerance (not canonical; for tests)."""
    forms = ds.forms
    return pd.DataFrame({
        "form_ref": pd.Series(forms["form_ref"], dtype=object),
        "course_ref": pd.Series(forms["course_ref"], dtype=object),
        "instrument_id": pd.Series(forms["instrument_id"], dtype=object),
        "point": pd.Series(forms["_point"], dtype=object),
        "due_date": _series(forms["_due"], "date"),
        "tolerance_days": pd.Series(forms["_tol"].astype(np.int64)),
        "measured_on": _series(forms["measured_on"], "date"),
    })


def canonical_counts(ds: Dataset) -> dict[str, int]:
    """Rows per canonical table (cheap: no frames built)."""
    out = {}
    for table in COLUMNS:
        if table == "measurements":
            out[table] = int(ds.items.offsets[-1]) - len(ds.excluded_items())
        else:
            out[table] = len(ds.tables[table]) - len(ds.excluded_rows(table))
    return out
