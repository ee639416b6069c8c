"""Faults of a source mapping that a load can tell from its own typing: a ``date_format``
(or ``decimal`` mark) that does not fit the export.

A wrong date format quarantines every record of a file as ``invalid_date`` and nothing
in the balance says why. When the dates (or decimal numbers) of a column failed in all,
or nearly all, of its values that are not empty (:data:`FAULT_SHARE`, at least
:data:`MIN_FAILED` records), the load reports a :class:`FormatFault` naming the config
key to fix, the format configured, examples from the file (as landed: CPR numbers
masked) and, when one of :data:`COMMON_DATE_FORMATS` (or the other decimal mark)
reads every failing value sampled, that one. The records stay quarantined; a file
with a few bad values is not a fault. Read while the file's typed rows (``_stg``) are
there (transforms.ingest.load); the SQL is in ``transforms/sql/staging/load/``
(format_failures.sql, count_parsed.sql, read_sample.sql).
"""

from __future__ import annotations

import duckdb

from datadialog.config_model import Source, TableMapping
from transforms.ingest.model import FormatFault
from transforms.sqltext import ident, model, set_variables

#: A column is a fault when at least this share of its values that are not empty
#: failed to parse (all, or all but one in twenty) ...
FAULT_SHARE = 0.95
#: ... in at least this many records (a handful: two bad dates in a small file are the
#: export's, not the config's).
MIN_FAILED = 5
#: Date formats tried on the failing values, in this order; the first that reads every
#: one sampled (as a date from MIN_YEAR to MAX_YEAR) is suggested.
_FOUR_DIGIT_YEARS = ("%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y")
COMMON_DATE_FORMATS: tuple[str, ...] = (
    *_FOUR_DIGIT_YEARS, "%Y%m%d",
    "%d-%m-%y", "%d.%m.%y", "%d/%m/%y", "%Y/%m/%d",
    # the same with a time of day (seconds or not); ISO's T as well
    *(f"{f} {t}" for f in _FOUR_DIGIT_YEARS for t in ("%H:%M:%S", "%H:%M")),
    "%Y-%m-%dT%H:%M:%S",
)
#: Years a suggested format must read the examples into (DuckDB's %Y reads '26' as 26).
MIN_YEAR, MAX_YEAR = 1900, 2100
#: Failing values shown in the message.
EXAMPLES = 2

#: Columns counted per cell of a wide form (the answers); the others per record.
CELL_COLUMNS = ("value",)
#: rule -> the source setting that reads the values
SETTING_OF_RULE = {"invalid_date": "date_format", "invalid_number": "decimal"}


def format_faults(
    con: duckdb.DuckDBPyConnection, source: Source, mapping: TableMapping, sheet: str | None
) -> list[FormatFault]:
    """The format faults of the table typed in ``_stg`` (one per setting, its columns
    in the mapping's order; ``rows_in`` and ``rows_quarantined`` are the caller's to fill
    in)."""
    failures = con.execute(model("staging/load/format_failures.sql")).fetchall()
    if not failures:
        return []
    typed = {d[0] for d in con.execute("select * from _stg limit 0").description}
    candidates = [row for row in failures if row[0] in typed and row[4] >= MIN_FAILED]
    if not candidates:
        return []
    order = list(mapping.columns)
    candidates.sort(key=lambda row: order.index(row[0]) if row[0] in order else len(order))
    counts = ", ".join(
        (f"count({ident(c)})" if c in CELL_COLUMNS else
         f"count(distinct row_no) filter (where {ident(c)} is not null)") + f" as {ident(c)}"
        for c, *_ in candidates
    )
    parsed_row = con.execute(model("staging/load/count_parsed.sql", counts=counts)).fetchone()
    parsed = dict(zip([c for c, *_ in candidates], parsed_row, strict=True))
    by_setting: dict[str, list[tuple]] = {}
    for column, rule, export_columns, n_failed, _n_records, sample in candidates:
        n_values = n_failed + parsed[column]
        if n_failed < FAULT_SHARE * n_values:
            continue
        by_setting.setdefault(SETTING_OF_RULE[rule], []).append(
            (export_columns, n_failed, n_values, sample)
        )
    faults = []
    for setting, columns in by_setting.items():
        sample = list(dict.fromkeys(v for *_, values in columns for v in values))
        configured = source.date_format if setting == "date_format" else source.decimal
        suggestion, examples = _suggestion(con, setting, configured, sample)
        faults.append(
            FormatFault(
                source_id=source.id,
                canonical_table=mapping.canonical,
                sheet=sheet,
                setting=setting,
                configured=configured,
                columns=[(", ".join(names), n_failed, n_values)
                         for names, n_failed, n_values, _ in columns],
                examples=examples,
                suggestion=suggestion,
            )
        )
    return faults


def _suggestion(
    con: duckdb.DuckDBPyConnection, setting: str, configured: str, sample: list[str]
) -> tuple[str | None, list[str]]:
    """The first setting that reads (nearly) every failing value sampled (at least
    :data:`FAULT_SHARE` of them: a few may be wrong in the export too), and
    :data:`EXAMPLES` values it reads; else None and the first values sampled. A masked
    CPR number is never a date nor a number: left out of the count."""
    sample = [v for v in sample if "[CPR" not in v] or sample
    if setting == "date_format":
        tried = [f for f in COMMON_DATE_FORMATS if f != configured]
    else:
        tried = [mark for mark in (",", ".") if mark != configured]
    sql = model("staging/load/read_sample.sql")
    for candidate in tried:
        set_variables(con, sql, {
            "sample_values": sample,
            "candidate_format": candidate if setting == "date_format" else "%Y-%m-%d",
            "candidate_decimal": candidate if setting == "decimal" else ".",
            "min_year": MIN_YEAR,
            "max_year": MAX_YEAR,
        })
        rows = con.execute(sql).fetchall()
        read = [value for value, as_date, as_number in rows
                if (as_date if setting == "date_format" else as_number)]
        if read and len(read) >= FAULT_SHARE * len(rows):
            return candidate, read[:EXAMPLES]
    return None, sample[:EXAMPLES]
