"""First pass over a text export: checksum, encoding, header line and trailer line.

DuckDB reads only UTF-8 (and Latin-1, which is not Windows-1252), so every CSV
export is streamed once, in chunks, into a UTF-8 copy in a private work folder:

* the SHA-256 of the original bytes is computed on the way;
* encoding ``auto``: a UTF-8 byte-order mark means UTF-8; else UTF-8 is tried
  and, at the first byte that is not UTF-8, the file is read as Windows-1252.
  ``cp1252`` behaves the same but warns when the file turns out to be UTF-8 with
  non-ASCII text (reading it as Windows-1252 would garble every æ, ø, å).
  ``utf-8`` / ``utf-8-sig`` fail at the first invalid byte (line and byte named);
* the header line is parsed (names of the export's columns);
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
from datadialog.privacy import mask_text
from transforms.ingest.model import IngestFileError

#: Bytes read per chunk (memory stays flat whatever the file size).
CHUNK_BYTES = 4 << 20
#: Bytes read from the end of the copy to find the trailer line.
TAIL_BYTES = 64 << 10
UTF8_BOM = codecs.BOM_UTF8


@dataclass
class PreparedText:
    """The UTF-8 copy of a text export and what the first pass learned about it."""

    read_path: Path
    sha256: str
    encoding: str  # encoding the original was read with: utf-8 | cp1252
    header: list[str]  # column names, surrounding blanks removed
    header_raw: list[str] = field(default_factory=list)  # the header fields as written
    trailer: bool = False
    trailer_count: int | None = None
    warnings: list[str] = field(default_factory=list)


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
    def __init__(self, line: int, offset: int):
        self.line = line
        self.offset = offset


def _transcode(path: Path, target: Path, encoding: str, skip: int) -> tuple[str, bool, bool]:
    """Copy ``path`` to ``target`` as UTF-8; return (sha256, any non-blank, any non-ASCII)."""
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    consumed = 0  # bytes of the original handed to the decoder so far
    newlines = 0
    non_blank = False
    non_ascii = False
    with path.open("rb") as src, target.open("w", encoding="utf-8", newline="") as dst:
        first = True
        while True:
            chunk = src.read(CHUNK_BYTES)
            digest.update(chunk)
            data = chunk[skip:] if first else chunk
            first = False
            try:
                text = decoder.decode(data, final=not chunk)
            except UnicodeDecodeError as exc:
                offset = consumed + max(exc.start, 0)
                line = newlines + data[: max(exc.start, 0)].count(b"\n") + 1
                raise _DecodeFailed(line, offset + skip) from None
            consumed += len(data)
            newlines += data.count(b"\n")
            if text:
                if not non_blank and text.strip():
                    non_blank = True
                if not non_ascii and not text.isascii():
                    non_ascii = True
                dst.write(text)
            if not chunk:
                break
    return digest.hexdigest(), non_blank, non_ascii


def _header(read_path: Path, source: Source) -> list[str]:
    """The fields of the first line, as written (a trailing line break removed)."""
    with read_path.open("r", encoding="utf-8", newline="") as handle:
        first = handle.readline()
    reader = csv.reader(io.StringIO(first), delimiter=source.delimiter, quotechar=source.quote)
    row = next(reader, [])
    if row:
        row[-1] = row[-1].rstrip("\r\n")
    return row


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
            digits = match.group(1) if match.groups() else None
            if digits is None:
                runs = re.findall(r"\d+", text)
                digits = runs[-1] if runs else None
            with read_path.open("r+b") as handle:
                handle.truncate(start + line_start)
            count = int(digits) if digits and digits.isdigit() else None
            return True, count, text
        end = line_start - 1
    return False, None, None


def prepare_text(path: Path, source: Source, workdir: Path) -> PreparedText:
    """Make the UTF-8 copy of a CSV export (see module doc); raise :class:`IngestFileError`."""
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(len(UTF8_BOM))
    except OSError as exc:
        raise IngestFileError(f"cannot read the file: {exc.strerror or exc}") from None
    if size == 0:
        raise IngestFileError("the file is empty (0 bytes)")
    has_bom = head == UTF8_BOM
    skip = len(UTF8_BOM) if has_bom else 0
    target = workdir / (path.name + ".utf8")
    failure: _DecodeFailed | None = None
    for encoding in _candidates(source.encoding, has_bom):
        try:
            digest, non_blank, non_ascii = _transcode(path, target, encoding, skip)
        except _DecodeFailed as exc:
            failure = exc
            continue
        except OSError as exc:
            raise IngestFileError(f"cannot read the file: {exc.strerror or exc}") from None
        break
    else:
        assert failure is not None
        raise IngestFileError(
            f"line {failure.line}: not valid UTF-8 text (byte {failure.offset}); "
            f"the source {source.id!r} expects encoding {source.encoding!r}"
        )
    warnings = []
    if source.encoding == "cp1252" and encoding == "utf-8" and non_ascii and not has_bom:
        warnings.append("the file is UTF-8, not Windows-1252 as configured; it was read as UTF-8")
    if not non_blank:
        raise IngestFileError("the file is empty (no text)")
    header = _header(target, source)
    trailer, count, _ = (False, None, None)
    if source.trailer_pattern:
        trailer, count, _ = _cut_trailer(target, source.trailer_pattern)
    return PreparedText(
        read_path=target,
        sha256=digest,
        encoding=encoding,
        header=[mask_text(name.strip()) for name in header],
        header_raw=[mask_text(name) for name in header],
        trailer=trailer,
        trailer_count=count,
        warnings=warnings,
    )
