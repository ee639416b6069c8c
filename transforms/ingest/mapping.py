"""From ``config/sources.yaml`` to what the SQL needs: which source and tables a file
feeds, the select list that renames export columns, and the small code tables.

Everything here is a pure function of the config and the file's column names.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from datadialog.config_model import CANONICAL_TABLES, DatadialogConfig, Source, TableMapping
from transforms.ingest.model import IngestFileError
from transforms.sqltext import ident, literal
from transforms.tables import TABLE_ORDER

#: File name endings each source format reads.
FORMAT_SUFFIXES: dict[str, tuple[str, ...]] = {
    "csv": (".csv", ".tsv", ".txt"),
    "xlsx": (".xlsx", ".xlsm"),
    "parquet": (".parquet", ".pq"),
}

#: Canonical values of the coded columns that are fixed by docs/canonical.md.
FIXED_VOCABULARIES: dict[str, list[str]] = {
    "gender": ["female", "male", "other"],
    "end_reason": ["completed_planned", "dropped_out", "moved", "referred_on"],
    "stage": ["start", "during", "end"],
    "rater_role": ["citizen", "staff", "parent", "teacher"],
    "goal_type": ["progression", "maintenance"],
    "cost_type": ["staff", "fixed", "per_course"],
}

#: Columns whose values are mapped through value_codes (or must already be canonical).
CODED_COLUMNS: dict[str, list[str]] = {
    "citizens": ["gender"],
    "courses": ["intervention_id", "team_id", "end_reason"],
    "registrations": ["stage"],
    "measurements": ["instrument_id", "rater_role", "point_label"],
    "goals": ["life_area", "goal_type"],
    "goal_ratings": [],
    "activities": [],
    "costs": ["intervention_id", "cost_type"],
    "calibration_scores": ["instrument_id"],
}


@dataclass(frozen=True)
class FilePlan:
    """A file, the source it belongs to and the table mappings it feeds (in load order)."""

    path: Path
    source: Source
    mappings: tuple[TableMapping, ...]

    @property
    def rank(self) -> int:
        return min(TABLE_ORDER.index(m.canonical) for m in self.mappings)


#: The name a reader gives a column whose header cell is empty (DuckDB: column1,
#: the workbook reader: column_2).
UNNAMED_COLUMN = re.compile(r"column_?\d+$")


def _matches(name: str, pattern: str) -> bool:
    return fnmatch.fnmatchcase(name.lower(), pattern.lower())


def plan_file(path: Path, config: DatadialogConfig, source_id: str | None = None) -> FilePlan:
    """Find the source and table mappings of ``path`` by file name; raise IngestFileError."""
    sources = config.sources
    if source_id is not None:
        sources = [s for s in sources if s.id == source_id]
        if not sources:
            known = ", ".join(s.id for s in config.sources)
            raise IngestFileError(f"unknown source {source_id!r} (config has: {known})")
    name = path.name
    found: list[tuple[Source, list[TableMapping]]] = []
    for source in sources:
        if not name.lower().endswith(FORMAT_SUFFIXES[source.format]):
            continue
        mappings = [m for m in source.tables if _matches(name, m.file_pattern)]
        if mappings:
            found.append((source, mappings))
    if not found:
        patterns = ", ".join(
            f"{s.id}: {' '.join(sorted({m.file_pattern for m in s.tables}))}" for s in sources
        )
        if source_id is not None:
            raise IngestFileError(
                f"the file name matches no table of source {source_id!r} (its file_pattern "
                f"and format in sources.yaml: {patterns}, {sources[0].format})"
            )
        raise IngestFileError(
            f"no source in the config's sources.yaml matches this file name ({patterns})"
        )
    if len(found) > 1:
        ids = ", ".join(s.id for s, _ in found)
        raise IngestFileError(
            f"the file name matches several sources ({ids}); name one with --source"
        )
    source, mappings = found[0]
    if source.format in ("csv", "parquet") and len(mappings) > 1:
        tables = ", ".join(m.canonical for m in mappings)
        raise IngestFileError(
            f"the file name matches several tables of source {source.id!r} ({tables}); "
            "make the file_pattern entries distinct"
        )
    for mapping in mappings:
        if mapping.layout == "wide" and mapping.canonical != "measurements":
            raise IngestFileError(
                f"source {source.id!r}: the wide layout is supported for measurements only"
            )
    mappings.sort(key=lambda m: TABLE_ORDER.index(m.canonical))
    return FilePlan(path=path, source=source, mappings=tuple(mappings))


def order_plans(plans: list[FilePlan]) -> list[FilePlan]:
    """Citizens before courses before the rest; within a rank by file name (export date)."""
    return sorted(plans, key=lambda p: (p.rank, p.path.name, str(p.path)))


# ---------------------------------------------------------------- columns


def landing_table(mapping: TableMapping) -> str:
    if mapping.canonical == "measurements" and mapping.layout == "wide":
        return "measurement_forms"
    return mapping.canonical


def landing_tables(canonical: str) -> list[str]:
    """The landing tables a canonical table's staging model reads (both shapes of
    measurements: long answers and wide forms)."""
    if canonical == "measurements":
        return ["measurements", "measurement_forms"]
    return [canonical]


def canonical_columns(mapping: TableMapping) -> list[str]:
    """Columns of the renamed view: the canonical mapping columns of the table."""
    spec = CANONICAL_TABLES[mapping.canonical]
    columns = spec["required"] + spec["optional"]
    if landing_table(mapping) == "measurement_forms":
        columns = [c for c in columns if c not in ("item_no", "value")]
    return columns


def item_columns(mapping: TableMapping, header: list[str]) -> list[tuple[int, str]]:
    """(item number, export column) of a wide layout, by the item_columns regex."""
    if not mapping.item_columns:
        return []
    pattern = re.compile(mapping.item_columns)
    items: dict[int, str] = {}
    for name in header:
        match = pattern.fullmatch(name) or pattern.match(name)
        if not match:
            continue
        try:
            number = int(match.group(1))
        except (IndexError, TypeError, ValueError):
            raise IngestFileError(
                f"item_columns {mapping.item_columns!r} must capture the item number as group 1"
            ) from None
        if number in items:
            raise IngestFileError(f"columns {items[number]!r} and {name!r} are both item {number}")
        items[number] = name
    return sorted(items.items())


@dataclass(frozen=True)
class Renaming:
    """Select-list fragments of ``landing/renamed.sql`` for one mapping and file."""

    columns: str
    header_test: str
    used_columns: list[str]  # export columns read from the file
    items: list[tuple[int, str]]
    warnings: list[str]


def renaming(
    mapping: TableMapping, header: list[str], where: str, header_raw: list[str] | None = None
) -> Renaming:
    """Check the header against the mapping and build the renamed.sql fragments.

    ``where`` names the file (and sheet) for messages. A required canonical column
    whose export column is absent is an error; an absent optional one is a warning
    and its values are missing (null). ``header_raw`` is the header as written
    (blanks around names kept): a repeated header line repeats exactly that.
    """
    written = dict(zip(header, header_raw or header, strict=False))
    present = set(header)
    _check_repeated(mapping, header_raw or header, where)
    required = set(CANONICAL_TABLES[mapping.canonical]["required"])
    select: list[str] = []
    tests: list[str] = []
    used: list[str] = []
    warnings: list[str] = []
    missing_required = []
    for column in canonical_columns(mapping):
        export = mapping.columns.get(column)
        if column in mapping.derived:
            parts = mapping.derived[column]
            absent = [p for p in parts if p not in present]
            if absent:
                missing_required.append(
                    ", ".join(repr(p) for p in absent) + f" (to build {column})"
                )
                continue
            select.append(f"{derived_key(parts)} as {ident(column)}")
            for part in parts:
                tests.append(f"coalesce({ident(part)} = {literal(written.get(part, part))}, false)")
                used.append(part)
        elif export is not None and export in present:
            value = ident(export)
            kind = id_kind(mapping, column, export)
            if kind == "cpr":
                value = cpr_id(value)
            elif kind == "person" and column != "citizen_ref":
                # a person's number in another id column: its keyed pseudonym (the
                # citizen ref itself is pseudonymised where it lands)
                value = f"pseudonym(staging.clean_text({value}))"
            select.append(f"{value} as {ident(column)}")
            # plain equality: four times cheaper per row than comparing trimmed text
            as_written = literal(written.get(export, export))
            tests.append(f"coalesce({ident(export)} = {as_written}, false)")
            used.append(export)
        elif export is not None:
            if column in required:
                missing_required.append(f"{export!r} (for {column})")
            else:
                warnings.append(f"{where}column {export!r} is not in the file; {column} left empty")
            select.append(f"cast(null as varchar) as {ident(column)}")
        elif column in mapping.constants:
            select.append(f"{literal(mapping.constants[column])} as {ident(column)}")
        else:
            select.append(f"cast(null as varchar) as {ident(column)}")
    if missing_required:
        unnamed = sum(bool(UNNAMED_COLUMN.match(h)) for h in header)
        raise IngestFileError(
            f"{where}missing required column{'s' if len(missing_required) > 1 else ''} "
            + ", ".join(missing_required)
            + f" (the file has: {', '.join(header[:30])})"
            + (f"; {unnamed} of its {len(header)} header cells are empty: the column "
               "names must be in the first row (a title row above them is not read)"
               if unnamed * 2 >= len(header) else "")
        )
    items: list[tuple[int, str]] = []
    if landing_table(mapping) == "measurement_forms":
        items = item_columns(mapping, header)
        if not items:
            raise IngestFileError(
                f"{where}no item columns matching {mapping.item_columns!r} "
                f"(the file has: {', '.join(header[:30])})"
            )
        keys = ", ".join(str(n) for n, _ in items)
        values = ", ".join(f"cast({ident(name)} as varchar)" for _, name in items)
        select.append(f"map([{keys}], [{values}]) as items")
        used.extend(name for _, name in items)
    if not tests:
        tests = ["false"]
    return Renaming(
        columns=",\n        ".join(select),
        header_test="\n        and ".join(tests),
        used_columns=used,
        items=items,
        warnings=warnings,
    )


#: What a declared CPR id column (id_kind: cpr) lands as when its value is not a valid
#: CPR number: staging quarantines it (rule invalid_cpr); the value itself never lands.
INVALID_CPR = "[CPR?]"


def id_kind(mapping: TableMapping, column: str, export: str) -> str | None:
    """What an id column holds: as declared (id_kind), else, for another id mapped to
    the citizen ref's export column (course_ref: Borgernummer), the citizen ref's kind:
    a person's number, so it is pseudonymised too."""
    declared = mapping.id_kind.get(column)
    if declared is not None or column == "citizen_ref":
        return declared
    if export == mapping.columns.get("citizen_ref"):
        return mapping.id_kind.get("citizen_ref") or "person"
    return None


def cpr_id(column_sql: str) -> str:
    """SQL of a declared CPR id: the keyed pseudonym of its ten digits (hyphen or not),
    :data:`INVALID_CPR` for a value that is not a CPR number, null for an empty one."""
    return (
        f"case when staging.clean_text({column_sql}) is null then null "
        f"when landing.cpr_digits({column_sql}) is not null "
        f"then pseudonym(landing.cpr_digits({column_sql})) "
        f"else {literal(INVALID_CPR)} end"
    )


def derived_key(parts: list[str]) -> str:
    """SQL of an id built from several export columns: their cleaned values (a CPR
    number as its ten digits) joined by the unit separator and pseudonymised by the
    keyed hash; null when any of them is empty (then the required id is missing)."""
    values = [
        f"coalesce(landing.cpr_digits({ident(p)}), staging.clean_text({ident(p)}))"
        for p in parts
    ]
    empty = " or ".join(f"staging.clean_text({ident(p)}) is null" for p in parts)
    return (
        f"case when {empty} then null "
        f"else pseudonym('key' || chr(31) || concat_ws(chr(31), {', '.join(values)})) end"
    )


def _check_repeated(mapping: TableMapping, header_raw: list[str], where: str) -> None:
    """A mapped export column that the header names twice is an error: which of the
    columns holds the values is anyone's guess (unmapped repeats do not matter)."""
    names = [name.strip() for name in header_raw]
    for column, export in mapping.columns.items():
        positions = [i for i, name in enumerate(names, start=1) if name == export]
        if len(positions) > 1:
            listed = ", ".join(str(p) for p in positions[:-1]) + f" and {positions[-1]}"
            raise IngestFileError(
                f"{where}header columns {listed} are all named {export!r}; which one holds "
                f"{column} is ambiguous"
            )


# ---------------------------------------------------------------- code tables


def vocabularies(config: DatadialogConfig) -> dict[str, list[str]]:
    """Canonical values of every coded column."""
    vocab = dict(FIXED_VOCABULARIES)
    vocab["instrument_id"] = [i.id for i in config.instruments]
    vocab["intervention_id"] = [i.id for i in config.interventions]
    vocab["team_id"] = [t.id for t in config.teams]
    vocab["life_area"] = [a.id for a in config.life_areas]
    # a point label maps to a measurement point of the plan (start, mid, end, fu3 ...)
    vocab["point_label"] = list(
        dict.fromkeys(p.point for plan in config.measurement_plan for p in plan.points)
    )
    return vocab


def value_code_problems(config: DatadialogConfig) -> list[tuple[str, str]]:
    """(where, message) for value_codes that every load of the table would refuse: a
    code mapped to a value that is not canonical (:func:`code_rows` stops the load on
    it), or codes for a column the table does not code. ``datadialog config check`` and
    ``sources try`` list them all at once, before any file is read."""
    vocab = vocabularies(config)
    problems: list[tuple[str, str]] = []
    for source in config.sources:
        for table in source.tables:
            where = f"sources[{source.id}].tables[{table.canonical}]"
            coded = CODED_COLUMNS.get(table.canonical, [])
            for column, codes in table.value_codes.items():
                if column not in coded:
                    problems.append((where, (
                        f"value_codes.{column}: {column} is not a coded column of "
                        f"{table.canonical} (coded: {', '.join(coded) or 'none'})")))
                    continue
                allowed = vocab[column]
                for code, value in codes.items():
                    if value not in allowed:
                        problems.append((where, (
                            f"value_codes.{column} maps {code!r} to {value!r}, which is not "
                            f"a canonical value ({', '.join(allowed)})")))
            for column, value in table.constants.items():
                if column not in coded:
                    continue
                allowed = vocab[column]
                codes = table.value_codes.get(column, {})
                if value not in allowed and str(value).strip() not in map(str, codes):
                    problems.append((where, (
                        f"constants.{column} is {value!r}, which is neither a canonical "
                        f"value ({', '.join(allowed)}) nor a code in value_codes.{column}: "
                        "every record would be quarantined (unknown_code)")))
    return problems


def unused_code_warnings(config: DatadialogConfig) -> list[tuple[str, str]]:
    """(where, message) for value_codes of a column the table neither maps to an export
    column nor sets as a constant: the codes are never used (a mapping left out?)."""
    return [
        (f"sources[{source.id}].tables[{table.canonical}]",
         f"value_codes.{column}: {column} is not mapped (columns) nor set (constants), so "
         "these codes are never used; map the export's column in columns, or remove them")
        for source in config.sources
        for table in source.tables
        for column in table.value_codes
        if column in CODED_COLUMNS.get(table.canonical, [])
        and column not in table.columns and column not in table.constants
        and column not in table.derived
    ]


def team_warnings(config: DatadialogConfig) -> list[tuple[str, str]]:
    """(where, message) for a courses table that gives its courses no team (team_id
    neither mapped to a column nor set as a constant) while meeting series are held per
    team: those meetings' decks would show no citizen. A warning, not a problem: an
    organisation without teams holds no team meetings."""
    team_meetings = sorted(m.id for m in config.meetings if m.team)
    if not team_meetings:
        return []
    return [
        (f"sources[{source.id}].tables[courses]",
         "no team_id (in columns or constants): every course loads without a team, so "
         f"the team meetings ({', '.join(team_meetings)}) will show no citizen; map the "
         "export's team column, or set constants: {team_id: <team id>}")
        for source in config.sources
        for table in source.tables
        if table.canonical == "courses"
        and "team_id" not in table.columns and "team_id" not in table.constants
    ]


def config_findings(config: DatadialogConfig) -> tuple[list[tuple[str, str]],
                                                      list[tuple[str, str]]]:
    """What ``config check`` and ``sources try`` say about the source mappings before a
    file is read: (problems a load would fail on, warnings)."""
    problems = config.source_problems() + value_code_problems(config)
    return problems, team_warnings(config) + unused_code_warnings(config)


def code_rows(mapping: TableMapping, config: DatadialogConfig) -> list[tuple[str, str, str]]:
    """(column, export code, canonical value) for the coded columns of a mapping.

    The source's value_codes come first; every canonical value also maps to itself,
    so an export that already writes canonical values needs no codes.
    """
    vocab = vocabularies(config)
    rows: list[tuple[str, str, str]] = []
    for column in CODED_COLUMNS[mapping.canonical]:
        allowed = vocab[column]
        codes = mapping.value_codes.get(column, {})
        for code, value in codes.items():
            if value not in allowed:
                raise IngestFileError(
                    f"config: value_codes.{column} maps {code!r} to {value!r}, "
                    f"which is not a canonical value ({', '.join(allowed)})"
                )
            rows.append((column, str(code).strip(), value))
        for value in allowed:
            if value not in codes:
                rows.append((column, value, value))
    return rows


def code_maps(mapping: TableMapping, config: DatadialogConfig) -> dict:
    """SQL parameters from the config: ``codes_<column>`` (MAP export code -> canonical
    value), ``n_items`` (MAP instrument -> items) and ``per_subject`` (instrument ids)."""
    maps: dict = {
        f"codes_{column}": {"key": [], "value": []} for column in CODED_COLUMNS[mapping.canonical]
    }
    for column, code, value in code_rows(mapping, config):
        entry = maps[f"codes_{column}"]
        if code not in entry["key"]:
            entry["key"].append(code)
            entry["value"].append(value)
    maps["n_items"] = {
        "key": [i.id for i in config.instruments],
        "value": [i.n_items for i in config.instruments],
    }
    maps["per_subject"] = [i.id for i in config.instruments if i.items_per_subject]
    return maps


def columns_table(mapping: TableMapping, items: list[tuple[int, str]]) -> pa.Table:
    """(canonical column, item number, export column): names used in quarantine rows."""
    names = [(column, None, export) for column, export in mapping.columns.items()]
    names += [(column, None, "+".join(parts)) for column, parts in mapping.derived.items()]
    names += [("value", number, export) for number, export in items]
    return pa.table(
        {
            "column_name": pa.array([n[0] for n in names], pa.string()),
            "item_no": pa.array([n[1] for n in names], pa.int32()),
            "export_column": pa.array([n[2] for n in names], pa.string()),
        }
    )
