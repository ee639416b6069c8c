"""Read an XLSX workbook within limits, in a process of its own.

A workbook is a ZIP archive of XML parts. The reader (python-calamine) makes every
cell of a sheet's area, from A1 to its last cell, whether the cell is empty or not:
one cell at ``XFD1048576`` in a 51 KB file asks for about 17 billion cells
(hundreds of GiB). So before the workbook is opened, this module checks it against
``ingest.*`` of the config (:class:`datadialog.config_model.Ingest`), reading only
the ZIP directory and streaming the mapped sheets' XML once:

* the uncompressed size of the XML parts together (``ingest.xlsx_max_xml_mb``);
* per mapped sheet, the real extent of its cells (the last row and column any cell
  has, whatever the sheet's ``<dimension ref=...>`` says): rows
  (``ingest.xlsx_max_rows``), columns (``ingest.xlsx_max_columns``) and the area
  rows x columns (``ingest.xlsx_max_cells``).

A workbook over a limit is refused with one line naming the sheet, the limit and
its config key. A workbook within them is read in a child process (forkserver:
started once, forked for each workbook) with an address-space limit
(``ingest.reader_memory_mb``) and a time limit (``ingest.reader_timeout_s``); it
hands back, per mapped sheet, the header and an Arrow table of every column as
text (:func:`transforms.ingest.readers.sheet_arrow`). Whatever happens to the child
(abort, memory exhausted, killed, timed out) becomes an :class:`IngestFileError`
for that file only.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import re
import resource
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

import pyarrow as pa

from datadialog.config_model import Ingest, Source
from datadialog.privacy import mask_text
from transforms.ingest import readers
from transforms.ingest.model import IngestFileError

#: Bytes of a sheet's XML decompressed and scanned at a time.
SCAN_CHUNK = 1 << 20
#: Most bytes of the small XML parts parsed whole (workbook.xml and its relations).
MAX_INDEX_BYTES = 32 << 20
MB = 1_000_000

_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"

#: A cell's reference (the attribute r of <c>, with or without a namespace prefix).
_CELL_REF = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?c\b[^>]*?\br="([A-Z]{1,3})([0-9]{1,7})"')
#: Any cell, and any row (to bound cells and rows written without a reference).
_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
_ROW = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")
_ROW_REF = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?row\b[^>]*?\br="([0-9]{1,7})"')


def column_number(letters: bytes | str) -> int:
    """``A`` -> 1, ``Z`` -> 26, ``AA`` -> 27, ``XFD`` -> 16384."""
    n = 0
    for ch in letters if isinstance(letters, str) else letters.decode("ascii"):
        n = n * 26 + (ord(ch) - 64)
    return n


def column_letters(number: int) -> str:
    out = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        out = chr(65 + rest) + out
    return out


@dataclass
class Extent:
    """Where a sheet's cells reach: the last row and column (1-based) and the cells."""

    rows: int = 0
    columns: int = 0
    cells: int = 0

    @property
    def area(self) -> int:
        return self.rows * self.columns

    @property
    def last_cell(self) -> str:
        return f"{column_letters(self.columns)}{self.rows}" if self.area else "none"


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> the path of its XML part in the archive (from xl/workbook.xml)."""
    names = set(archive.namelist())
    book = _find_part(names, "xl/workbook.xml")
    if book is None:
        raise IngestFileError("not a readable XLSX workbook (it has no xl/workbook.xml)")
    rels_path = str(PurePosixPath(book).parent / "_rels" / (PurePosixPath(book).name + ".rels"))
    targets: dict[str, str] = {}
    if rels_path in names:
        for rel in _parse(archive, rels_path).iter(f"{_NS_PKG_REL}Relationship"):
            target = rel.get("Target") or ""
            if target.startswith("/"):
                part = target.lstrip("/")
            else:
                part = os.path.normpath(str(PurePosixPath(book).parent / target)).replace("\\", "/")
            targets[rel.get("Id") or ""] = part
    parts = {}
    for sheet in _parse(archive, book).iter(f"{_NS_MAIN}sheet"):
        name = sheet.get("name")
        rid = sheet.get(f"{_NS_REL}id")
        if name is not None and rid in targets:
            parts[name] = targets[rid]
    return parts


def _find_part(names: set[str], wanted: str) -> str | None:
    if wanted in names:
        return wanted
    lowered = [n for n in names if n.lower() == wanted.lower()]
    return lowered[0] if lowered else None


def _parse(archive: zipfile.ZipFile, part: str) -> ElementTree.Element:
    if archive.getinfo(part).file_size > MAX_INDEX_BYTES:
        raise IngestFileError(
            f"not a readable XLSX workbook ({part} is over {MAX_INDEX_BYTES:,} bytes)"
        )
    try:
        return ElementTree.fromstring(archive.read(part))
    except ElementTree.ParseError as exc:
        raise IngestFileError(f"not a readable XLSX workbook ({part}: {exc})") from None


def scan_extent(archive: zipfile.ZipFile, part: str) -> Extent:
    """The real extent of a sheet's cells, read from its XML in chunks (memory stays flat).

    Cells and rows without a reference (allowed, rare) are counted on top of the
    last reference, so the extent is never smaller than what the reader makes.
    """
    extent = Extent()
    max_col_letters = b""
    cells = refs = rows = row_refs = 0
    carry = b""
    with archive.open(part) as handle:
        while True:
            data = handle.read(SCAN_CHUNK)
            chunk = carry + data
            # a tag never holds '<': everything before the last '<' is whole tags
            cut = len(chunk) if not data else chunk.rfind(b"<")
            if cut < 0:  # a long run of text: no tag starts in it
                carry = b""
                continue
            body, carry = chunk[:cut], chunk[cut:]
            if len(carry) > SCAN_CHUNK:  # an unclosed tag this long is not a cell reference
                carry = b""
            for col, row in _CELL_REF.findall(body):
                refs += 1
                if (len(col), col) > (len(max_col_letters), max_col_letters):
                    max_col_letters = col
                if len(row) > 7 or int(row) > extent.rows:
                    extent.rows = int(row)
            for row in _ROW_REF.findall(body):
                row_refs += 1
                extent.rows = max(extent.rows, int(row))
            cells += len(_CELL.findall(body))
            rows += len(_ROW.findall(body))
            if not data:
                break
    extent.cells = cells
    extent.columns = (column_number(max_col_letters) if max_col_letters else 0) + (cells - refs)
    extent.rows += rows - row_refs
    if extent.cells == 0:
        extent.rows = extent.columns = 0
    return extent


def check_workbook(path: Path, wanted: list[str], limits: Ingest) -> None:
    """Refuse a workbook over a limit (see module doc) before it is opened."""
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise IngestFileError(
            f"not a readable XLSX workbook (a damaged ZIP archive: {exc})"
        ) from None
    except OSError as exc:
        raise IngestFileError(f"cannot read the file: {exc.strerror or exc}") from None
    with archive:
        infos = archive.infolist()
        xml_bytes = sum(
            i.file_size for i in infos if i.filename.lower().endswith((".xml", ".rels"))
        )
        if xml_bytes > limits.xlsx_max_xml_mb * MB:
            raise IngestFileError(
                f"the workbook's XML parts are {xml_bytes / MB:,.0f} MB uncompressed, over the "
                f"limit of {limits.xlsx_max_xml_mb:,} MB (ingest.xlsx_max_xml_mb; raise it to "
                "load this file)"
            )
        parts = sheet_parts(archive)
        names = set(archive.namelist())
        for name in wanted:
            sheet = _match(list(parts), name)
            if sheet is None or parts[sheet] not in names:
                continue  # the reader says what is missing
            try:
                extent = scan_extent(archive, parts[sheet])
            except (zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
                raise IngestFileError(
                    f"sheet {mask_text(sheet)!r}: cannot be read (a damaged ZIP archive: {exc})"
                ) from None
            _check_extent(mask_text(sheet), extent, limits)


def _match(sheets: list[str], name: str) -> str | None:
    """The sheet the reader will take for ``name`` (readers.find_sheet's rule)."""
    if name in sheets:
        return name
    lowered = [s for s in sheets if s.strip().lower() == name.strip().lower()]
    return lowered[0] if lowered else None


def _check_extent(sheet: str, extent: Extent, limits: Ingest) -> None:
    reach = f"its cells reach {extent.last_cell}"
    over = None
    if extent.rows > limits.xlsx_max_rows:
        over = (f"{extent.rows:,} rows", f"{limits.xlsx_max_rows:,} rows", "xlsx_max_rows")
    elif extent.columns > limits.xlsx_max_columns:
        over = (
            f"{extent.columns:,} columns",
            f"{limits.xlsx_max_columns:,} columns",
            "xlsx_max_columns",
        )
    elif extent.area > limits.xlsx_max_cells:
        over = (
            f"{extent.rows:,} x {extent.columns:,} = {extent.area:,} cells",
            f"{limits.xlsx_max_cells:,} cells",
            "xlsx_max_cells",
        )
    if over:
        raise IngestFileError(
            f"sheet {sheet!r}: {reach}: {over[0]}, over the limit of {over[1]} "
            f"(ingest.{over[2]}; raise it to load this sheet)"
        )


# ---------------------------------------------------------------- the reader process


@dataclass
class SheetData:
    """A sheet as the reader hands it back: every column as text (see sheet_arrow)."""

    sheet: str
    header: list[str]
    header_raw: list[str]
    table: pa.Table | None  # row_no + every column; None for an empty sheet
    trailer: bool = False
    trailer_count: int | None = None
    warnings: list[str] = field(default_factory=list)  # header cells holding a CPR number


@dataclass
class Book:
    sheet_names: list[str]
    sheets: dict[str, SheetData | None] = field(default_factory=dict)  # wanted name -> sheet


def _read_book(path: Path, wanted: list[str], source: Source) -> Book:
    """Open the workbook and read the wanted sheets (in the reader process)."""
    workbook = readers.open_workbook(path)
    book = Book(list(workbook.sheet_names))
    for name in wanted:
        sheet = readers.find_sheet(workbook, name)
        if sheet is None:
            book.sheets[name] = None
            continue
        rows = readers.read_sheet(workbook, sheet)
        if not rows.header:
            book.sheets[name] = SheetData(sheet, [], [], None)
            continue
        table, trailer, count = readers.sheet_arrow(rows, rows.header, source)
        book.sheets[name] = SheetData(
            sheet, rows.header, rows.header_raw, table, trailer, count, rows.warnings
        )
        del rows
    return book


def _limit_memory(extra_bytes: int) -> None:
    """Address space of this process: what it has now plus ``extra_bytes``."""
    try:
        with open("/proc/self/statm") as handle:
            now = int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        now = 0
    limit = now + extra_bytes
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _limit_cpu(seconds: float) -> None:
    """CPU seconds of this process: a backstop should the parent that times it be gone."""
    limit = int(seconds) + 5
    _soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (limit, hard))


def _reader_main(
    path: str, wanted: list[str], source: Source, out: str, extra: int, seconds: float
) -> None:
    """The reader process: read, then write the result (or the one-line error) to ``out``."""
    _limit_memory(extra)
    _limit_cpu(seconds)
    try:
        payload: dict = {"book": _read_book(Path(path), wanted, source)}
    except IngestFileError as exc:
        payload = {"error": str(exc)}
    except MemoryError:
        payload = {"error": "out of memory"}
    with open(out, "wb") as handle:
        pickle.dump(payload, handle, protocol=pickle.HIGHEST_PROTOCOL)


def _context():
    """The forkserver context, its server preloaded with this module (so a reader starts
    in milliseconds, not the second a fresh interpreter takes to import it)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    return context


def warm_up() -> None:
    """Start the reader's server now (it imports in the background while CSVs load)."""
    from multiprocessing import forkserver

    _context()
    forkserver.ensure_running()


def read_workbook(
    path: Path, wanted: list[str], source: Source, limits: Ingest, workdir: Path
) -> Book:
    """Check the workbook against the limits, then read its wanted sheets in a child
    process; raise :class:`IngestFileError` when it cannot be read, for any reason."""
    readers.check_zip_head(path)
    check_workbook(path, wanted, limits)
    out = workdir / f"reader-{os.getpid()}-{time.monotonic_ns()}.pickle"
    process = _context().Process(
        target=_reader_main,
        args=(
            str(path), wanted, source, str(out), limits.reader_memory_mb << 20,
            limits.reader_timeout_s,
        ),
        name="datadialog-xlsx-reader",
        daemon=True,
    )
    try:
        process.start()
        process.join(limits.reader_timeout_s)
        if process.is_alive():
            process.kill()
            process.join()
            raise IngestFileError(
                f"the XLSX reader took longer than {limits.reader_timeout_s:g} s and was "
                "stopped (ingest.reader_timeout_s; raise it to load this file)"
            )
        code = process.exitcode
        if code != 0 or not out.exists():
            how = f"signal {-code}" if code is not None and code < 0 else f"exit code {code}"
            raise IngestFileError(
                f"the XLSX reader stopped ({how}) before it finished, most likely over its "
                f"memory limit of {limits.reader_memory_mb:,} MB (ingest.reader_memory_mb; "
                "raise it to load this file)"
            )
        with out.open("rb") as handle:
            payload = pickle.load(handle)
    finally:
        if process.is_alive():
            process.kill()
        out.unlink(missing_ok=True)
    if "error" in payload:
        message = payload["error"]
        if message == "out of memory":
            message = (
                f"the XLSX reader ran out of memory (over its limit of "
                f"{limits.reader_memory_mb:,} MB: ingest.reader_memory_mb; raise it to load "
                "this file)"
            )
        raise IngestFileError(message)
    return payload["book"]
