"""First pass over a text export: checksum, encoding, header line and trailer line.

DuckDB reads only UTF-8 (and Latin-1, which is not Windows-1252), so every CSV
export is streamed once, in chunks, into a UTF-8 copy in a private work folder:

* encoding ``auto``: a UTF-8 byte-order mark means UTF-8; else UTF-8 is tried
  and, at the first byte that is not UTF-8, the file is read as Windows-1252.
  ``cp1252`` behaves the same but warns when the file turns out to be UTF-8 with
  non-ASCII text (reading it as Windows-1252 would garble every æ, ø, å).
  ``utf-8`` / ``utf-8-sig`` fail at the first invalid byte (line and byte named);
* files that are not text are recognised by their first bytes (gzip, ZIP/XLSX,
  Parquet, PDF, UTF-16/32) or by a NUL byte, and text that mixes UTF-8 and
  Windows-1252 is refused, each with a message naming the line (and column);
* the header line is parsed (names of the export's columns) and checked (empty,
  an unclosed quote, another delimiter than the source's);
* a last non-blank line matching the source's ``trailer_pattern`` is cut off
  the copy; its number (group 1, else the last run of digits) is returned so the
  load can compare it with the data records.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from datadialog.config_model import Source
from datadialog.privacy import CPR_MASK, mask_cpr, mask_text
from transforms.ingest.model import IngestFileError

#: Bytes read per chunk (memory stays flat whatever the file size).
CHUNK_BYTES = 4 << 20
#: Bytes read from the end of the copy to find the trailer line.
TAIL_BYTES = 64 << 10
UTF8_BOM = codecs.BOM_UTF8
#: Longest header line read (characters); a longer first line is not a CSV header.
MAX_HEADER_CHARS = 1 << 20
#: Delimiters recognised when a header line has one field only (a wrong delimiter).
OTHER_DELIMITERS = (";", ",", "\t", "|")

#: What the first bytes of a file that is not CSV text say it is.
SIGNATURES: list[tuple[bytes, str]] = [
    (b"\x1f\x8b", "the file is gzip-compressed, not CSV text: unpack it and load the file inside"),
    (b"PK\x03\x04", "the file is a ZIP archive (an XLSX workbook?), not CSV text"),
    (b"PAR1", "the file is a Parquet file, not CSV text"),
    (b"%PDF", "the file is a PDF document, not CSV text"),
    (b"\xff\xfe\x00\x00", "line 1: the file is UTF-32 text; export it as UTF-8 or Windows-1252"),
    (b"\x00\x00\xfe\xff", "line 1: the file is UTF-32 text; export it as UTF-8 or Windows-1252"),
    (b"\xff\xfe", "line 1: the file is UTF-16 text; export it as UTF-8 or Windows-1252"),
    (b"\xfe\xff", "line 1: the file is UTF-16 text; export it as UTF-8 or Windows-1252"),
]
#: UTF-8 forms of the Latin-1 letters (Ã + a continuation byte: æ ø å é ü ...) and of
#: the typographic punctuation Windows-1252 has (– — ‘ ’ “ ” … €): in a file read as
#: Windows-1252 they mean part of it was written as UTF-8.
_UTF8_IN_CP1252 = re.compile(
    rb"\xc3[\x80-\xbf]|\xc2[\xa0-\xbf]|\xe2\x80[\x93\x94\x98\x99\x9c\x9d\xa6]|\xe2\x82\xac"
)
#: Byte table: 0x80 for the bytes Windows-1252 reads otherwise than Latin-1 (0x80-0x9F:
#: € ‚ ƒ „ … and five undefined ones), 0 for the rest. A chunk whose translation has
#: no 0x80 reads the same in both, and Latin-1 decodes it without a table look-up per
#: byte (translate and find: 4 ms per 4 MiB chunk, against 9 ms saved in decoding).
_CP1252_ONLY = bytes(0x80 if 0x80 <= b <= 0x9F else 0 for b in range(256))


@dataclass
class PreparedText:
    """The UTF-8 copy of a text export and what the first pass learned about it."""

    read_path: Path  # the copy
    encoding: str  # encoding the original was read with: utf-8 | cp1252
    header: list[str]  # column names, surrounding blanks removed
    header_raw: list[str] = field(default_factory=list)  # the header fields as written
    trailer: bool = False
    trailer_count: int | None = None
    warnings: list[str] = field(default_factory=list)


def physical_line(path: Path, logical: int, quote: str) -> int:
    """The line of the text file ``path`` on which DuckDB's CSV line ``logical`` starts.

    DuckDB numbers the lines of its CSV errors by record: a record whose quoted field
    holds line breaks counts as one line (a blank line as one too), so after a
    multi-line note its number falls behind the file's. Read only when an error names
    a line; a quote character inside a field is written twice, so an odd count of them
    on a line opens or closes a quoted field. Returns ``logical`` when the file has
    fewer records (or the source no quote character)."""
    if logical <= 1 or not quote:
        return logical
    mark = quote.encode("utf-8")
    records = 0
    inside = False
    with path.open("rb") as text:
        for physical, raw in enumerate(text, start=1):
            if not inside:
                records += 1
                if records == logical:
                    return physical
            if raw.count(mark) % 2:
                inside = not inside
    return logical


def lone_cr_line(path: Path, quote: str) -> int | None:
    """The first line of the text file ``path`` holding a carriage return (CR) that ends
    no line and stands outside a quoted field (None: no such CR). DuckDB's reader stops
    at one with "The CSV Parser state machine reached an invalid state", naming no line;
    a CR inside a quoted field is text and reads as such. Read only after that error;
    quote parity is followed as in :func:`physical_line`."""
    mark = quote.encode("utf-8") if quote else b""
    inside = False
    with path.open("rb") as text:
        for line_no, raw in enumerate(text, start=1):
            body = raw[:-2] if raw.endswith(b"\r\n") else raw.rstrip(b"\n")
            start = 0
            while (at := body.find(b"\r", start)) >= 0:
                before = body[:at].count(mark) if mark else 0
                if not (inside ^ bool(before % 2)):
                    return line_no
                start = at + 1
            if mark and raw.count(mark) % 2:
                inside = not inside
    return None


def cpr_header_warnings(header: list[str], where: str = "") -> list[str]:
    """A warning per header cell (as written) that holds a CPR number, naming the column
    by its position, never by the number: the name is masked wherever it is kept or
    shown, so without a warning the column would go unremarked (``where``: the sheet)."""
    warnings = []
    for position, name in enumerate(header, start=1):
        masked, found = mask_cpr(name.strip())
        if not found:
            continue
        if masked == CPR_MASK:  # the name is the number
            warnings.append(
                f"{where}column {position}'s header looks like a CPR number; its name "
                "was not stored"
            )
        else:
            warnings.append(
                f"{where}column {position}'s header holds a CPR number; its name was "
                f"stored masked ({masked!r})"
            )
    return warnings


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def _candidates(encoding: str, has_bom: bool) -> list[str]:
    if has_bom or encoding in ("utf-8", "utf-8-sig"):
        return ["utf-8"]
    return ["utf-8", "cp1252"]


class _DecodeFailed(Exception):
    """A byte the encoding cannot read: where it is (1-based line and column)."""

    def __init__(self, line: int, column: int, offset: int, byte: int):
        self.line = line
        self.column = column
        self.offset = offset
        self.byte = byte
        self.switched_from: _DecodeFailed | None = None  # the first encoding's failure


class _NotText(Exception):
    """A NUL byte: the message says where."""


class _MixedText(Exception):
    """UTF-8 bytes in text read as Windows-1252: where, and what they read as UTF-8."""

    def __init__(self, line: int, column: int, sample: str, utf8_failed: _DecodeFailed | None):
        self.line = line
        self.column = column
        self.sample = sample
        self.utf8_failed = utf8_failed  # where reading it as UTF-8 failed


#: Bytes of a line kept to count the column of an error (a longer line counts from here).
LINE_TAIL_BYTES = 4096


def _locate(
    path: Path, skip: int, at: int, encoding: str, newline: bytes = b"\n"
) -> tuple[int, int]:
    """Line and column of byte ``at`` of the text (the file after ``skip`` bytes of
    byte-order mark); the column counts characters, from 1; lines end at ``newline``
    (``\r`` in a file whose lines end in CR only).

    Only a failing file is read again for this, so a good file's pass over its bytes
    does not count lines.
    """
    newlines = 0
    line_start = b""  # bytes of the line before ``at`` (the last LINE_TAIL_BYTES)
    done = 0
    with path.open("rb") as handle:
        handle.seek(skip)
        while done < at:
            chunk = handle.read(min(CHUNK_BYTES, at - done))
            if not chunk:
                break
            newlines += chunk.count(newline)
            cut = chunk.rfind(newline)
            line_start = chunk[cut + 1 :] if cut >= 0 else line_start + chunk
            line_start = line_start[-LINE_TAIL_BYTES:]
            done += len(chunk)
    return newlines + 1, len(line_start.decode(encoding, errors="replace")) + 1


def _may_hold_utf8(data: bytes) -> bool:
    """Whether ``data`` has a lead byte of _UTF8_IN_CP1252 (three byte searches are
    ten times faster than the regex, which then runs only where it may match)."""
    return b"\xc3" in data or b"\xc2" in data or b"\xe2" in data


@dataclass
class _Copy:
    """What a transcoding pass learned."""

    encoding: str  # the encoding the file was read with
    non_blank: bool  # any text besides blanks
    non_ascii: bool  # any character outside ASCII
    switched_at: _DecodeFailed | None = None  # where UTF-8 failed, when read on as fallback
    cr_only: bool = False  # its lines end in CR alone (old Mac): LF in the copy


def _ends_lines_in_cr(data: bytes) -> bool:
    """Whether the first chunk of a file ends its lines in CR alone: more CRs that are
    not part of a CRLF than LFs of any kind (a note with a line break typed in another
    program may hold an LF or a CRLF; a line ending is in every line)."""
    first_cr = data.find(b"\r")
    if first_cr < 0 or data[first_cr + 1:first_cr + 2] == b"\n":
        return False  # no CR, or the first line (the header) ends in CRLF
    first_lf = data.find(b"\n")
    if 0 <= first_lf < first_cr:
        return False  # the header ends in LF
    crlf = data.count(b"\r\n")
    lone_cr = data.count(b"\r") - crlf
    return lone_cr > data.count(b"\n")


def _transcode(
    path: Path, target: Path, encoding: str, skip: int, fallback: str | None = None
) -> _Copy:
    """Copy ``path`` to ``target`` as UTF-8, read as ``encoding``.

    A file whose first chunk has more lone CRs than LFs ends its lines in CR alone
    (old Mac; an LF there is inside a quoted note): each CR is written as LF, so that
    every line counted in the copy (a record's line in an error, the trailer line) is
    the file's line.
    When the bytes stop being ``encoding`` where everything before them was ASCII
    (which reads the same in UTF-8 and Windows-1252), the rest is read as
    ``fallback`` without starting over: a Windows-1252 export whose first letter
    outside ASCII comes late is read once, not twice.
    Raises _DecodeFailed at a byte the encoding cannot read, _NotText at a NUL byte
    and, reading Windows-1252, _MixedText at bytes that are UTF-8.
    """
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    consumed = 0  # bytes of the text (after the byte-order mark) decoded so far
    non_blank = False
    non_ascii = False
    switched_at = None
    cr_only = False
    newline = b"\n"
    with path.open("rb") as src, target.open("w", encoding="utf-8", newline="") as dst:
        first = True
        while True:
            chunk = src.read(CHUNK_BYTES)
            data = chunk[skip:] if first else chunk
            if first and _ends_lines_in_cr(data):
                cr_only, newline = True, b"\r"
            first = False
            nul = data.find(b"\x00")
            if nul >= 0:
                line, column = _locate(path, skip, consumed + nul, encoding, newline)
                raise _NotText(
                    f"line {line}: a NUL byte (0x00) at column {column}: not plain text "
                    "(UTF-16 without a byte-order mark, or a binary or damaged file?)"
                )
            while True:  # once more with the fallback when the encoding switches here
                if encoding == "cp1252" and _may_hold_utf8(data):
                    found = _UTF8_IN_CP1252.search(data)
                    if found:
                        line, column = _locate(
                            path, skip, consumed + found.start(), "cp1252", newline
                        )
                        sample = found.group(0).decode("utf-8", "replace")
                        raise _MixedText(line, column, sample, switched_at)
                if encoding == "cp1252" and data.translate(_CP1252_ONLY).find(0x80) < 0:
                    # no byte where Windows-1252 and Latin-1 differ: the same text
                    # (Windows-1252 keeps no state between chunks)
                    text = data.decode("latin-1")
                    break
                pending = decoder.getstate()[0]  # bytes of the previous chunk not decoded yet
                try:
                    text = decoder.decode(data, final=not chunk)
                    break
                except UnicodeDecodeError as exc:
                    # exc.object is pending + data (a sequence cut off at the end, say)
                    combined = exc.object
                    at = min(max(exc.start, 0), len(combined) - 1)
                    text_offset = consumed - len(pending) + at
                    line, column = _locate(path, skip, text_offset, encoding, newline)
                    failed = _DecodeFailed(line, column, text_offset + skip, combined[at])
                    ascii_so_far = not non_ascii and not pending and data[:at].isascii()
                    failed.switched_from = switched_at
                    if fallback is None or switched_at is not None or not ascii_so_far:
                        raise failed from None
                    switched_at, encoding = failed, fallback
                    decoder = codecs.getincrementaldecoder(fallback)(errors="strict")
            if text:
                if not non_blank and text.strip():
                    non_blank = True
                if not non_ascii and not text.isascii():
                    non_ascii = True
                dst.write(text.replace("\r", "\n") if cr_only else text)
            consumed += len(data)
            if not chunk:
                break
    return _Copy(encoding, non_blank, non_ascii, switched_at, cr_only)


def _header(read_path: Path, source: Source) -> list[str]:
    """The fields of the first line, as written (a trailing line break removed).

    Raises IngestFileError for a first line that cannot be a header: empty, longer
    than MAX_HEADER_CHARS, with an unclosed quote, or one field that holds another
    delimiter than the source's.
    """
    with read_path.open("r", encoding="utf-8", newline="") as handle:
        first = handle.readline(MAX_HEADER_CHARS + 1)
    line = first.rstrip("\r\n")
    if len(first) > MAX_HEADER_CHARS:
        raise IngestFileError(
            f"line 1: the first line is longer than {MAX_HEADER_CHARS:,} characters; "
            "it cannot be the header line of a CSV export"
        )
    if not line.strip(" \t" if source.delimiter != "\t" else " "):
        raise IngestFileError("line 1: the first line is empty; it must name the columns")
    if source.trailer_pattern and re.fullmatch(source.trailer_pattern, line.strip()):
        raise IngestFileError(
            f"line 1: the file holds only a trailer line ({mask_text(line.strip())!r}), "
            "no header line and no records"
        )
    if source.quote and line.count(source.quote) % 2:
        raise IngestFileError(
            f"line 1: the header line has a quote ({source.quote}) that is never closed"
        )
    try:
        reader = csv.reader(io.StringIO(line), delimiter=source.delimiter, quotechar=source.quote)
        row = next(reader, [])
    except csv.Error as exc:
        raise IngestFileError(f"line 1: the header line cannot be read ({exc})") from None
    if len(row) == 1:
        others = [d for d in OTHER_DELIMITERS if d != source.delimiter and d in row[0]]
        if others:
            shown = {"\t": "tab"}.get(others[0], others[0])
            mine = {"\t": "tab"}.get(source.delimiter, source.delimiter)
            raise IngestFileError(
                f"line 1: the header line is one column, {mask_text(row[0][:80])!r}: it looks "
                f"separated by {shown!r}, but the source {source.id!r} uses {mine!r}"
            )
    return row


#: A number in a trailer line, thousands grouped or not: "1957", "1.957" (Danish),
#: "1,957", "1 957" (also with a no-break space).
_TRAILER_NUMBER = re.compile(r"\d{1,3}(?:[.,\u00a0 ]\d{3})+(?!\d)|\d+")


def trailer_count(match: re.Match, text: str) -> int | None:
    """The record count of a trailer line that ``match`` (its trailer_pattern) read:
    the pattern's group 1 when it has one, else the line's last number; thousands
    separators dropped ("I alt 1.957 poster" is 1957)."""
    if match.groups():
        found = match.group(1)
    else:
        numbers = _TRAILER_NUMBER.findall(text)
        found = numbers[-1] if numbers else None
    digits = re.sub(r"[.,\u00a0 ]", "", found or "")
    if found and not _TRAILER_NUMBER.fullmatch(found.strip()):
        return None
    return int(digits) if digits.isdigit() else None


def _cut_trailer(read_path: Path, pattern: str) -> tuple[bool, int | None, str | None]:
    """Remove a trailer line at the end of ``read_path``; return (found, count, line)."""
    size = read_path.stat().st_size
    start = max(0, size - TAIL_BYTES)
    with read_path.open("rb") as handle:
        handle.seek(start)
        tail = handle.read()
    lines = tail.split(b"\n")
    # walk back over blank lines to the last line with content
    end = len(tail)
    for raw in reversed(lines):
        line_start = end - len(raw)
        text = raw.decode("utf-8", errors="replace").strip()
        if text:
            match = re.fullmatch(pattern, text)
            if not match:
                return False, None, None
            with read_path.open("r+b") as handle:
                handle.truncate(start + line_start)
            return True, trailer_count(match, text), text
        end = line_start - 1
    return False, None, None


def _signature(head: bytes) -> str | None:
    for magic, message in SIGNATURES:
        if head.startswith(magic):
            return message
    return None


def prepare_text(path: Path, source: Source, workdir: Path) -> PreparedText:
    """Make the UTF-8 copy of a CSV export (see module doc); raise :class:`IngestFileError`."""
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise IngestFileError(f"cannot read the file: {exc.strerror or exc}") from None
    if size == 0:
        raise IngestFileError("the file is empty (0 bytes)")
    not_csv = _signature(head)
    if not_csv:
        raise IngestFileError(not_csv)
    has_bom = head.startswith(UTF8_BOM)
    skip = len(UTF8_BOM) if has_bom else 0
    target = workdir / (mask_text(path.name) + ".utf8")
    failures: list[_DecodeFailed] = []
    candidates = _candidates(source.encoding, has_bom)
    copy = None
    for n, encoding in enumerate(candidates):
        fallback = candidates[n + 1] if n + 1 < len(candidates) else None
        try:
            copy = _transcode(path, target, encoding, skip, fallback)
        except _DecodeFailed as exc:
            if exc.switched_from is not None:  # failed in the fallback too: both tried
                failures += [exc.switched_from, exc]
                break
            failures.append(exc)
            continue
        except _NotText as exc:
            raise IngestFileError(str(exc)) from None
        except _MixedText as exc:  # only read as Windows-1252 after UTF-8 failed
            bad = exc.utf8_failed or failures[0]
            raise IngestFileError(
                f"line {exc.line}: UTF-8 text ({exc.sample!r} at column {exc.column}), but line "
                f"{bad.line} is not UTF-8 (byte 0x{bad.byte:02X} at column {bad.column}): the "
                "file mixes encodings; export it again in one encoding"
            ) from None
        except OSError as exc:
            raise IngestFileError(f"cannot read the file: {exc.strerror or exc}") from None
        break
    if copy is None:
        raise IngestFileError(_decode_message(failures, source, has_bom))
    encoding = copy.encoding
    non_blank, non_ascii = copy.non_blank, copy.non_ascii
    warnings = []
    if source.encoding == "cp1252" and encoding == "utf-8" and non_ascii and not has_bom:
        warnings.append("the file is UTF-8, not Windows-1252 as configured; it was read as UTF-8")
    if not non_blank:
        raise IngestFileError("the file is empty (no text)")
    header = _header(target, source)
    warnings.extend(cpr_header_warnings(header))
    trailer, count = False, None
    if source.trailer_pattern:
        trailer, count, _ = _cut_trailer(target, source.trailer_pattern)
    return PreparedText(
        read_path=target,
        encoding=encoding,
        header=[mask_text(name.strip()) for name in header],
        header_raw=[mask_text(name) for name in header],
        trailer=trailer,
        trailer_count=count,
        warnings=warnings,
    )


@dataclass
class Oversized:
    """A CSV record with a field (or in all) over the limit: quarantined, its long
    fields cut to :data:`KEPT_CHARS` characters in the copy so the record still loads."""

    record_no: int  # the record's number (row_no): data records counted from 1
    line_no: int  # the line it starts on in the file
    column: str  # the export column of the longest field
    value: str  # that field's first KEPT_CHARS characters
    rule: str  # field_too_long | line_too_long
    detail: str  # "line N: B bytes (limit L, ingest.csv_max_field_bytes)"


#: Characters of an over-long field kept (in the copy and in the quarantine).
KEPT_CHARS = 100


def _utf8_size(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-8"))


def cut_oversized(
    prepared: PreparedText, source: Source, max_field: int, max_line: int
) -> list[Oversized]:
    """Rewrite the UTF-8 copy with every field of an over-long record cut short.

    Run only when DuckDB found a record longer than it reads (its max_line_size is
    ``max_field`` at first): the copy is parsed once with Python's csv module. A
    record with a field over ``max_field`` bytes (``field_too_long``) or over
    ``max_line`` bytes in all (``line_too_long``) is listed and its fields longer than
    :data:`KEPT_CHARS` are cut to that; every other record is written as it reads.
    """
    csv.field_size_limit(1 << 30)
    target = prepared.read_path.with_name(prepared.read_path.name + ".cut")
    found: list[Oversized] = []
    header = prepared.header
    with (
        prepared.read_path.open("r", encoding="utf-8", newline="") as src,
        target.open("w", encoding="utf-8", newline="") as dst,
    ):
        reader = csv.reader(src, delimiter=source.delimiter, quotechar=source.quote or None,
                            doublequote=True, strict=False)
        writer = csv.writer(dst, delimiter=source.delimiter, quotechar=source.quote or '"',
                            doublequote=True, lineterminator="\n")
        record_no = 0
        last_line = 0
        for n, row in enumerate(reader):
            first_line, last_line = last_line + 1, reader.line_num
            if n == 0 or not row:
                writer.writerow(row)
                continue
            record_no += 1
            sizes = [_utf8_size(f) if len(f) * 4 > KEPT_CHARS else len(f) for f in row]
            line = sum(sizes) + len(sizes) - 1
            longest = max(range(len(row)), key=sizes.__getitem__)
            if sizes[longest] > max_field or line > max_line:
                if sizes[longest] > max_field:
                    rule, size, limit, key = (
                        "field_too_long", sizes[longest], max_field, "csv_max_field_bytes",
                    )
                else:
                    rule, size, limit, key = "line_too_long", line, max_line, "csv_max_line_bytes"
                column = header[longest] if longest < len(header) else f"column_{longest + 1}"
                found.append(
                    Oversized(
                        record_no=record_no,
                        line_no=first_line,
                        column=column,
                        value=mask_text(row[longest][:KEPT_CHARS]),
                        rule=rule,
                        detail=f"line {first_line}: {size:,} bytes, over the limit of "
                        f"{limit:,} (ingest.{key})",
                    )
                )
                row = [f[:KEPT_CHARS] for f in row]
            writer.writerow(row)
    target.replace(prepared.read_path)
    return found


def _decode_message(failures: list[_DecodeFailed], source: Source, has_bom: bool) -> str:
    """One line for a file no candidate encoding could read (the last failure named)."""
    bad = failures[-1]
    if len(failures) > 1:
        what = "not valid UTF-8 nor Windows-1252 text"
    else:
        what = "not valid UTF-8 text"
    why = ", although the file starts with a UTF-8 byte-order mark" if has_bom else ""
    return (
        f"line {bad.line}: {what} (byte 0x{bad.byte:02X} at column {bad.column}, "
        f"byte offset {bad.offset}){why}; the source {source.id!r} expects encoding "
        f"{source.encoding!r}"
    )
