"""Plain data objects of an ingest run: what happened to each file and table."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from datadialog.privacy import mask_text

#: Staging column -> the mapping column it comes from, where the names differ.
STAGING_TO_MAPPING: dict[str, str] = {
    "citizen_id": "citizen_ref",
    "course_id": "course_ref",
    "form_id": "form_ref",
    "goal_id": "goal_ref",
}

#: Lineage columns every staging table carries.
LINEAGE_COLUMNS: list[str] = ["load_id", "row_no"]


class IngestFileError(Exception):
    """A file that cannot be loaded at all; ``str()`` is one line for the user."""


@dataclass
class FormatFault:
    """A source setting that does not fit the export: the dates (``date_format``) or
    decimal numbers (``decimal``) of a table failed to parse in every, or nearly every,
    value of a column (transforms.ingest.diagnose decides; the records stay quarantined).

    ``columns``: (export column, values that failed, values that were not empty) per
    column; ``examples``: one or two failing values as landed (CPR numbers masked, never
    the raw field); ``suggestion``: a format (or decimal mark) that reads every sampled
    failing value, or None.
    """

    source_id: str
    canonical_table: str
    sheet: str | None
    setting: str  # "date_format" | "decimal"
    configured: str
    columns: list[tuple[str, int, int]]
    examples: list[str]
    suggestion: str | None = None
    #: records of the table, and how many of them are quarantined (for any reason)
    rows_in: int = 0
    rows_quarantined: int = 0

    @property
    def key(self) -> str:
        """The config key to fix, as ``datadialog config check`` names keys."""
        return f"sources[{self.source_id}].{self.setting}"

    @property
    def all_quarantined(self) -> bool:
        """Every record of the table is in quarantine: nothing of it was staged."""
        return self.rows_in > 0 and self.rows_quarantined == self.rows_in

    @property
    def text(self) -> str:
        """The one-line message (without the file name), CPR-masked."""
        if self.setting == "date_format":
            what, fits = "dates", f"date_format {self.configured!r}"
            hint = (f"{self.suggestion!r} reads them" if self.suggestion else
                    "none of the common formats reads them: write the export's own")
        else:
            what, fits = "numbers", f"decimal mark {self.configured!r}"
            hint = (f"decimal {self.suggestion!r} reads them" if self.suggestion else
                    "neither decimal mark reads them")
        counts = ", ".join(f"{n_failed:,} of {n_values:,} in {'column ' if i == 0 else ''}"
                           f"{column!r}" for i, (column, n_failed, n_values)
                           in enumerate(self.columns))
        examples = ", ".join(repr(v) for v in self.examples)
        where = f"sheet {self.sheet!r}: " if self.sheet else ""
        held = (f"all {self.rows_in:,} records" if self.all_quarantined
                else f"{self.rows_quarantined:,} of its {self.rows_in:,} records")
        return mask_text(
            f"{where}the {what} do not fit the {fits} of source {self.source_id}: "
            f"{counts} failed (e.g. {examples}); {hint}. Fix {self.key} in the config "
            "(sources.yaml), then load the file again with `datadialog ingest --reload`; "
            f"until then {held} are in quarantine"
        )


@dataclass
class TableReport:
    """Counts for one target table of one file (an XLSX file fills several)."""

    canonical_table: str
    sheet: str | None = None
    rows_in: int = 0
    rows_staged: int = 0
    rows_unchanged: int = 0
    rows_quarantined: int = 0
    cpr_masked: int = 0
    #: a corrected re-export: records of the earlier version it no longer has, removed
    #: from staging (ingest.reexport replace) ...
    rows_removed: int = 0
    #: ... and the staged rows of other tables that referred to them, quarantined
    dependents_quarantined: int = 0
    #: ingest.reexport keep_and_flag: those records kept staged, flagged instead
    rows_flagged: int = 0
    #: courses with derive_citizens: citizens added to staging.citizens from them
    citizens_derived: int = 0
    #: lines of the file that are not data and were left out: repeated header lines
    #: (every mapped field equals its column name) and a trailer line (trailer_pattern)
    header_lines_skipped: int = 0
    trailer_skipped: bool = False
    #: a date_format or decimal mark that does not fit the export (diagnose)
    format_faults: list[FormatFault] = field(default_factory=list)
    #: every record quarantined for want of the table it refers to: (rule, parent table),
    #: e.g. ("unknown_citizen", "citizens") for courses loaded before their citizens
    missing_parent: tuple[str, str] | None = None

    @property
    def balanced(self) -> bool:
        """rows_in = staged + unchanged + quarantined (the re-export counts are apart:
        they are rows of the earlier version, not of this file)."""
        return self.rows_in == self.rows_staged + self.rows_unchanged + self.rows_quarantined


@dataclass
class FileReport:
    """What one ``ingest_files`` call did with one file.

    status: ``loaded`` (in one committed transaction), ``skipped`` (this content was
    loaded before: nothing written) or ``failed`` (nothing written but a
    ``staging.loads`` row with the one-line ``error``).
    """

    path: Path
    status: str = "failed"
    source_id: str | None = None
    load_id: str | None = None
    sha256: str | None = None
    rows_in: int = 0
    rows_staged: int = 0
    rows_unchanged: int = 0
    rows_quarantined: int = 0
    cpr_masked: int = 0
    rows_removed: int = 0  # see TableReport
    dependents_quarantined: int = 0
    rows_flagged: int = 0
    citizens_derived: int = 0  # see TableReport
    error: str | None = None
    note: str | None = None  # e.g. "already loaded (load ...)" for a skipped file
    warnings: list[str] = field(default_factory=list)
    tables: list[TableReport] = field(default_factory=list)
    replaced_load_ids: list[str] = field(default_factory=list)
    #: a re-load (ingest --reload): the counts of the loads it replaced
    previous: dict | None = None
    #: the source's trailer_pattern when the text export does not end with that line
    #: (the file may be cut short: it then replaces no earlier version)
    missing_trailer: str | None = None
    #: the trailer counts more records than the file has ("the trailer says 194 rows,
    #: the file has 150 data records"): cut short, so it replaces no earlier version
    short_of_trailer: str | None = None
    seconds: float = 0.0

    @property
    def format_faults(self) -> list[FormatFault]:
        """The date_format or decimal settings of its source that do not fit the file."""
        return [fault for table in self.tables for fault in table.format_faults]

    @property
    def fault_lines(self) -> list[str]:
        """One line per format fault, naming the file (CPR-masked)."""
        return [f"{self.file_name}: {fault.text}" for fault in self.format_faults]

    @property
    def quarantined_by_config(self) -> bool:
        """Loaded, but a table of it (a CSV file, a sheet) had every record quarantined
        and a format fault says why: the config is at fault, not the export's records
        (``datadialog ingest`` exits 1)."""
        return self.status == "loaded" and any(f.all_quarantined for f in self.format_faults)

    @property
    def missing_parents(self) -> list[tuple[str, str, str | None]]:
        """(rule, parent table, sheet) of every table of it whose records were all
        quarantined because the table they refer to was not loaded (yet): load that
        export, then this file again with ``--reload`` (``datadialog ingest`` exits 1)."""
        return [(*t.missing_parent, t.sheet) for t in self.tables if t.missing_parent]

    @property
    def file_name(self) -> str:
        """The file's name as stored and shown: a CPR number in it is masked."""
        return mask_text(self.path.name)

    @property
    def balanced(self) -> bool:
        return self.rows_in == self.rows_staged + self.rows_unchanged + self.rows_quarantined

    def as_dict(self) -> dict:
        """Plain values only (for flows and JSON)."""
        return {
            "file": str(self.path),
            "status": self.status,
            "source_id": self.source_id,
            "load_id": self.load_id,
            "sha256": self.sha256,
            "rows_in": self.rows_in,
            "rows_staged": self.rows_staged,
            "rows_unchanged": self.rows_unchanged,
            "rows_quarantined": self.rows_quarantined,
            "cpr_masked": self.cpr_masked,
            "rows_removed": self.rows_removed,
            "dependents_quarantined": self.dependents_quarantined,
            "rows_flagged": self.rows_flagged,
            "citizens_derived": self.citizens_derived,
            "error": self.error,
            "note": self.note,
            "warnings": list(self.warnings),
            "tables": [asdict(t) for t in self.tables],
            "replaced_load_ids": list(self.replaced_load_ids),
            "previous": dict(self.previous) if self.previous else None,
            "format_faults": self.fault_lines,
            "quarantined_by_config": self.quarantined_by_config,
            "seconds": round(self.seconds, 3),
        }

    @property
    def skipped_lines(self) -> str:
        """What the file held that is not data, in words ('' when nothing)."""
        headers = sum(t.header_lines_skipped for t in self.tables)
        trailers = sum(1 for t in self.tables if t.trailer_skipped)
        parts = []
        if headers:
            parts.append(f"{headers} repeated header line{'s' if headers > 1 else ''}")
        if trailers:
            parts.append(f"{trailers} trailer line{'s' if trailers > 1 else ''}")
        return " and ".join(parts)

    def add(self, table: TableReport) -> None:
        self.tables.append(table)
        self.rows_in += table.rows_in
        self.rows_staged += table.rows_staged
        self.rows_unchanged += table.rows_unchanged
        self.rows_quarantined += table.rows_quarantined
        self.cpr_masked += table.cpr_masked
        self.rows_removed += table.rows_removed
        self.dependents_quarantined += table.dependents_quarantined
        self.rows_flagged += table.rows_flagged
        self.citizens_derived += table.citizens_derived
