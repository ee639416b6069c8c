"""Agreements back from the meeting: read a returned deck (.pptx) or register (.xlsx),
validate each row, and store the meeting's agreements in ``staging.agreements``.

The layout of the agreement table and of the register, and the meeting key that ties a
file to its meeting, are :mod:`datadialog.agreement_form`'s. A row counts as an
agreement when it has any of "what we do", "who", "by when" or "how we see it" filled
in (the pre-filled citizen/theme cell alone is an empty row). An agreement needs a text,
an owner and a by-when date; a row that lacks one is quarantined with its rule (file,
slide or sheet row, column) in ``staging.quarantine``, so rows read = agreements stored +
rows quarantined. A returned file replaces the agreements of the courses (or, at
intervention level, the themes without a course) it has filled rows for, in its meeting:
returned again it never doubles them, and a deck and a register of the same meeting each
keep the courses only they hold. A file with no filled row changes nothing. The deletes
and the inserts run in one transaction, so a crash leaves the database as it was.

The meeting key must name a meeting: a series the config has (rule
``agreement_meeting_unknown``) on a date the series meets by its calendar, or one it has
agreements stored for already (``agreement_meeting_date``, the message naming the nearest
meetings); a course (*Forløb*) must be staged (``agreement_course_unknown``): returned
files are read after the exports of the same inbox run. Such rows are quarantined like
the other refusals. The file's name is CPR-masked before it is stored, logged or
archived, as an export's is.
"""

from __future__ import annotations

import hashlib
import logging
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import openpyxl
from pptx import Presentation

from datadialog.agreement_form import (
    COLUMNS,
    REGISTER_KEY_COLUMNS,
    REGISTER_SHEET,
    STATUS_WORDS,
    MeetingKey,
    column_ids_by_heading,
    parse_key,
)
from datadialog.config_model import DatadialogConfig, MeetingSeries
from datadialog.db import rollback
from datadialog.privacy import mask_text
from datadialog.tabular import append_csv_rows
from transforms.ingest import (
    ERROR_SUFFIX,
    FAILED_FOLDER,
    LEDGER_HEADER,
    free_name,
    is_returned_file,
)
from transforms.ingest.readers import whole_number_text
from transforms.schema import ensure_schema
from transforms.sqltext import model, set_variables

#: A child of the ingest's logger: ``datadialog ingest`` writes these lines to its log.
log = logging.getLogger("transforms.ingest.agreements")

#: Source ids written to staging.quarantine for the two kinds of returned file.
SOURCE_DECK, SOURCE_REGISTER = "returned_deck", "agreement_register"
_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y", "%d-%m-%y", "%d.%m.%y")
_FILLED = ("text", "owner", "due_on", "indicator")
_HEADING = {cid: da for cid, da, _en in (*REGISTER_KEY_COLUMNS, *COLUMNS)}
#: Asked of a meeting key's series and date: (a meeting of the series by its calendar, the
#: series' last meeting before the date, its first after). pipeline.calendar.meeting_days
#: is the one the CLI and the flow give (transforms does not import pipeline).
MeetingDays = Callable[[MeetingSeries, date], tuple[bool, date | None, date | None]]
#: Rules of a meeting key that names no meeting: returned again under the same name, the
#: file's rows refused by them are cleared whatever meeting they were filed under.
KEY_RULES = ("agreement_meeting_unknown", "agreement_meeting_date")
#: The columns an agreement table on a deck, and a register, must keep.
_DECK_COLUMNS = tuple(cid for cid, _da, _en in COLUMNS)
_REGISTER_COLUMNS = tuple(cid for cid, _da, _en in (*REGISTER_KEY_COLUMNS, *COLUMNS))


class AgreementFileError(ValueError):
    """A returned file that cannot be read as agreements at all (no table, no key)."""


@dataclass
class ReturnedRow:
    """One filled-in row of an agreement table, as read (cells as text or dates)."""

    key: MeetingKey
    location: str  # "dias 9, række 2" / "række 3"
    row_no: int  # a running number within the file, from 1
    cells: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Agreement:
    meeting_id: str
    agreed_on: date
    course_id: str | None
    subject: str | None
    text: str
    owner: str
    due_on: date
    indicator: str | None
    status: str
    location: str


@dataclass(frozen=True)
class AgreementProblem:
    file_name: str
    location: str
    row_no: int
    column: str
    rule: str
    value: str
    message: str

    def __str__(self) -> str:
        return (f"{self.file_name}, {self.location}, kolonne '{self.column}': {self.message} "
                f"[{self.rule}]")


@dataclass
class ReturnedFile:
    """What reading one returned file gave."""

    file_name: str
    meeting_id: str
    agreed_on: date
    rows_in: int
    stored: list[Agreement]
    problems: list[AgreementProblem]
    #: agreements of the same courses stored from another file, now replaced: file -> n
    replaced: dict[str, int] = field(default_factory=dict)
    #: a file with no filled row: the meeting's stored agreements, kept as they were
    kept: int = 0


# ====================================================================== reading


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        # a CPR number typed into a number cell lost its leading zero: give it back,
        # so the masking sees ten digits
        return whole_number_text(int(value))
    text = str(value).strip()
    if text.startswith("'") and text[1:2] in ("=", "+", "-", "@"):
        text = text[1:]  # the register writes formula-leading text with a quote
    return text


def _columns(header: list[str]) -> dict[int, str] | None:
    """Column index -> column id, when ``header`` is an agreement table's header."""
    known = column_ids_by_heading()
    found = {i: known[h.strip().lower()] for i, h in enumerate(header)
             if h.strip().lower() in known}
    return found if {"text", "owner", "due_on"} <= set(found.values()) else None


def _headings_kept(header: list[str], columns: dict[int, str], where: str,
                   needed: tuple[str, ...]) -> None:
    """Refuse an agreement table whose headings were edited: a column whose heading is not
    one of the form's would be left out unseen (a 'Status' column renamed: every status
    read as open). ``needed``: the column ids the table must have."""
    unknown = [h.strip() for i, h in enumerate(header) if i not in columns and h.strip()]
    missing = [_HEADING[c] for c in needed if c not in columns.values()]
    if unknown or missing:
        said = []
        if unknown:
            said.append("ukendte overskrifter " + ", ".join(f"'{h}'" for h in unknown))
        if missing:
            said.append("mangler " + ", ".join(f"'{h}'" for h in missing))
        raise AgreementFileError(
            f"{where}: aftaletabellens overskrifter er ændret ({'; '.join(said)}); skriv "
            "overskrifterne som i den tomme tabel (" + ", ".join(
                f"'{_HEADING[c]}'" for c in needed) + ") og send filen igen")


def read_deck(path: Path) -> list[ReturnedRow]:
    """The filled-in rows of every agreement table in a returned deck."""
    try:
        prs = Presentation(str(path))
    except Exception as exc:  # python-pptx raises several kinds for a damaged package
        raise AgreementFileError(f"{path.name}: kan ikke læses som PowerPoint ({exc})") from exc
    rows: list[ReturnedRow] = []
    n_tables = 0
    for slide_no, slide in enumerate(prs.slides, start=1):
        texts = [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]
        for shape in slide.shapes:
            if not shape.has_table:
                continue
            table = shape.table
            header = [cell.text for cell in table.rows[0].cells]
            columns = _columns(header)
            if columns is None:
                continue
            _headings_kept(header, columns, f"{path.name}, dias {slide_no}", _DECK_COLUMNS)
            n_tables += 1
            key = next((k for k in map(parse_key, texts) if k is not None), None)
            if key is None:
                raise AgreementFileError(
                    f"{path.name}, dias {slide_no}: aftaletabellen har ingen mødenøgle "
                    "(linjen 'Mødenøgle: ...' under tabellen er slettet)")
            for r, row in enumerate(list(table.rows)[1:], start=1):
                cells = {cid: _text(row.cells[i].text) for i, cid in columns.items()}
                if any(cells.get(c) for c in _FILLED):
                    rows.append(ReturnedRow(key, f"dias {slide_no}, række {r}", len(rows) + 1,
                                            cells))
    if n_tables == 0:
        raise AgreementFileError(
            f"{path.name}: ingen aftaletabel fundet i præsentationen (kun de borgerrettede og "
            "indsatsens refleksionsmøders præsentationer har aftaletabeller)")
    return rows


def read_register(path: Path) -> list[ReturnedRow]:
    """The filled-in rows of an agreement register (sheet ``Aftaler``)."""
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise AgreementFileError(f"{path.name}: kan ikke læses som XLSX ({exc})") from exc
    try:
        if REGISTER_SHEET not in book.sheetnames:
            raise AgreementFileError(f"{path.name}: arket '{REGISTER_SHEET}' mangler")
        values = list(book[REGISTER_SHEET].iter_rows(values_only=True))
    finally:
        book.close()
    if not values:
        raise AgreementFileError(f"{path.name}: arket '{REGISTER_SHEET}' er tomt")
    header = [_text(v) for v in values[0]]
    columns = _columns(header)
    if columns is None or not {"meeting_id", "meeting_date"} <= set(columns.values()):
        raise AgreementFileError(
            f"{path.name}: første række er ikke aftaleregistrets overskrifter (" + ", ".join(
                f"'{_HEADING[c]}'" for c in _REGISTER_COLUMNS) + "); slet rækker over dem, "
            "eller skriv dem som i det tomme register")
    _headings_kept(header, columns, f"{path.name}, række 1", _REGISTER_COLUMNS)
    rows: list[ReturnedRow] = []
    for excel_row, raw in enumerate(values[1:], start=2):
        cells = {cid: (raw[i] if i < len(raw) else None) for i, cid in columns.items()}
        texts = {cid: _text(v) for cid, v in cells.items()}
        if not any(texts.get(c) for c in _FILLED):
            continue
        location = f"række {excel_row}"
        try:
            meeting_date = _date(cells.get("meeting_date"))
        except ValueError:
            meeting_date = None
        if not texts.get("meeting_id") or meeting_date is None:
            raise AgreementFileError(f"{path.name}, {location}: mødenøglen (Møde, Mødedato) "
                                     "mangler eller er ikke en dato")
        key = MeetingKey(mask_text(texts["meeting_id"]), meeting_date,
                         mask_text(texts.get("course_id") or "") or None)
        texts["due_on"] = cells.get("due_on")  # keep a date cell a date
        rows.append(ReturnedRow(key, location, len(rows) + 1, texts))
    return rows


def _date(value: object) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


# ====================================================================== validating


def validate(file_name: str, rows: list[ReturnedRow]) -> tuple[list[Agreement],
                                                               list[AgreementProblem]]:
    """Agreements from the rows, and a problem for every row that cannot be one (a row
    with several problems is reported once per problem, quarantined once)."""
    accepted: list[Agreement] = []
    problems: list[AgreementProblem] = []
    for row in rows:
        cells = row.cells
        found: list[tuple[str, str, str, str]] = []  # column id, rule, value, message
        text = mask_text(_text(cells.get("text")))
        owner = mask_text(_text(cells.get("owner")))
        if not text:
            found.append(("text", "agreement_text_missing", "",
                          "aftalen siger ikke, hvad vi gør"))
        if not owner:
            found.append(("owner", "agreement_owner_missing", "",
                          "aftalen har ingen ansvarlig (Hvem)"))
        due_on = None
        raw_due = cells.get("due_on")
        try:
            due_on = _date(raw_due)
            if due_on is None:
                found.append(("due_on", "agreement_date_missing", "",
                              "aftalen har ingen dato (Senest)"))
        except ValueError:
            found.append(("due_on", "agreement_date_invalid", mask_text(_text(raw_due)),
                          "datoen kan ikke læses (skriv fx 24-11-2026)"))
        status_word = _text(cells.get("status")).lower()
        status = STATUS_WORDS.get(status_word)
        if status is None:
            found.append(("status", "agreement_status_unknown", mask_text(status_word),
                          "ukendt status (brug åben, gennemført eller droppet)"))
        for column, rule, value, message in found:
            problems.append(AgreementProblem(file_name, row.location, row.row_no,
                                             _HEADING[column], rule, value, message))
        if found:
            continue
        accepted.append(Agreement(
            row.key.meeting_id, row.key.meeting_date, row.key.course_id,
            mask_text(_text(cells.get("subject"))) or None, text, owner, due_on,  # type: ignore[arg-type]
            mask_text(_text(cells.get("indicator"))) or None, status or "open", row.location))
    return accepted, problems


# ====================================================================== storing


def _load_id(key: tuple[str, date]) -> str:
    return f"agreements:{key[0]}:{key[1].isoformat()}"


def _agreement_id(a: Agreement, n: int) -> str:
    raw = f"{a.meeting_id}|{a.agreed_on.isoformat()}|{a.course_id or ''}|{n}"
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:16]


def read_returned_file(path: Path) -> tuple[tuple[str, date], list[ReturnedRow]]:
    """The meeting (series id, date) a returned file belongs to, and its filled rows."""
    is_deck = path.suffix.lower() == ".pptx"
    rows = read_deck(path) if is_deck else read_register(path)
    keys = {(r.key.meeting_id, r.key.meeting_date) for r in rows}
    if len(keys) > 1:
        names = ", ".join(f"{m} {d.isoformat()}" for m, d in sorted(keys))
        raise AgreementFileError(f"{path.name}: rækkerne hører til flere møder ({names}); "
                                 "én fil er ét møde")
    if not keys:
        key = _key_of_empty(path, is_deck)
        return key, []
    return keys.pop(), rows


def _key_of_empty(path: Path, is_deck: bool) -> tuple[str, date]:
    """The meeting of a file returned with no agreements (it clears the meeting)."""
    found = re.search(r"^(?P<m>[A-Za-z0-9_\-]+?)_(?P<d>\d{4}-\d{2}-\d{2})", path.name)
    if is_deck:
        prs = Presentation(str(path))
        for slide in prs.slides:
            for shape in slide.shapes:
                key = parse_key(shape.text_frame.text) if shape.has_text_frame else None
                if key is not None:
                    return key.meeting_id, key.meeting_date
    if found:
        return found["m"], date.fromisoformat(found["d"])
    raise AgreementFileError(f"{path.name}: ingen aftaler og ingen mødenøgle")


def store_returned_file(con, path: Path, config: DatadialogConfig | None = None,
                        meeting_days: MeetingDays | None = None) -> ReturnedFile:
    """Read, validate and store one returned file: its agreements replace those of the
    same courses (themes) of its meeting; a file without a filled row changes nothing.

    With ``config``, the meeting key's series must be one of the config's, and with
    ``meeting_days`` too, its date a meeting of the series (every row of a file whose key
    names no meeting is quarantined); the
    courses are always checked against ``staging.courses``. The file is named by its
    CPR-masked name in everything stored."""
    meeting, rows = read_returned_file(path)
    file_name = mask_text(path.name)
    accepted, problems = validate(file_name, rows)
    accepted, problems = _courses_without_cpr(file_name, rows, accepted, problems)
    if config is not None:
        accepted, problems = _meeting_named(con, config, meeting_days, file_name, meeting,
                                            rows, accepted, problems)
    accepted, problems = _courses_staged(con, file_name, rows, accepted, problems)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    source = SOURCE_DECK if path.suffix.lower() == ".pptx" else SOURCE_REGISTER
    load_id = _load_id(meeting)
    if not rows:
        kept = con.execute(model("agreements/count_meeting.sql"),
                           [meeting[0], meeting[1]]).fetchone()[0]
        return ReturnedFile(file_name, meeting[0], meeting[1], 0, [], [], kept=kept)
    courses = sorted({r.key.course_id or "" for r in rows})
    params = {"meeting_id": meeting[0], "agreed_on": meeting[1], "load_id": load_id,
              "courses": courses, "file_name": file_name, "key_rules": list(KEY_RULES)}
    replaced_sql = model("agreements/replaced_by_file.sql")
    set_variables(con, replaced_sql, params)
    replaced = dict(con.execute(replaced_sql).fetchall())
    con.execute("begin transaction")
    try:
        clear = model("agreements/clear_meeting.sql")
        set_variables(con, clear, params)
        con.execute(clear)
        insert = model("agreements/insert_agreement.sql")
        for n, a in enumerate(accepted, start=1):
            con.execute(insert, [_agreement_id(a, n), a.meeting_id, a.course_id, a.subject,
                                 a.agreed_on, a.text, a.owner, a.due_on, a.indicator, a.status,
                                 file_name, digest, a.location])
        refuse = model("agreements/insert_quarantine.sql")
        for p in problems:
            con.execute(refuse, [load_id, source, file_name, None, p.row_no, p.column,
                                 p.value, p.rule, f"{p.location}: {p.message}"])
        con.execute("commit")
    except BaseException:
        rollback(con)
        raise
    quarantined = len({p.row_no for p in problems})
    assert len(accepted) + quarantined == len(rows)
    return ReturnedFile(file_name, meeting[0], meeting[1], len(rows), accepted, problems,
                        replaced=replaced)


def _courses_without_cpr(file_name: str, rows: list[ReturnedRow],
                         accepted: list[Agreement], problems: list[AgreementProblem]
                         ) -> tuple[list[Agreement], list[AgreementProblem]]:
    """Move the agreements whose course cell held a CPR number (masked when read: a
    register's Forløb typed by hand) to the problems, rule agreement_course_cpr: no course
    is named so. (Whether a course exists is :func:`_courses_staged`'s question.)"""
    row_of = {r.location: r for r in rows}
    kept: list[Agreement] = []
    for a in accepted:
        if a.course_id is None or "[CPR]" not in a.course_id:
            kept.append(a)
            continue
        problems.append(AgreementProblem(
            file_name, a.location, row_of[a.location].row_no, _HEADING["course_id"],
            "agreement_course_cpr", a.course_id,
            "forløbet er et CPR-nummer (skjult her); skriv forløbets id fra den tomme fil"))
    return kept, problems


def _meeting_named(con, config: DatadialogConfig, meeting_days: MeetingDays | None,
                   file_name: str, meeting: tuple[str, date],
                   rows: list[ReturnedRow], accepted: list[Agreement],
                   problems: list[AgreementProblem]
                   ) -> tuple[list[Agreement], list[AgreementProblem]]:
    """Refuse every row of a file whose meeting key names no meeting: a series the config
    does not have (agreement_meeting_unknown), or a date that is no meeting of the series
    by its calendar nor one it has agreements stored for (agreement_meeting_date). Stored,
    such rows were never shown, or hid the real last meeting's on "since last time"."""
    series_id, day = meeting
    series = next((m for m in config.meetings if m.id == series_id), None)
    if series is None:
        known = ", ".join(sorted(m.id for m in config.meetings))
        column, rule, value = "meeting_id", "agreement_meeting_unknown", series_id
        message = (f"mødeserien '{series_id}' findes ikke i konfigurationen (serierne er "
                   f"{known}); skriv Møde som i den tomme fil og send filen igen")
    else:
        is_meeting, before, after = (meeting_days(series, day) if meeting_days is not None
                                     else (True, None, None))
        if is_meeting or _has_agreements(con, series_id, day):
            return accepted, problems
        column, rule, value = "meeting_date", "agreement_meeting_date", day.isoformat()
        message = (f"{day:%d.%m.%Y} er ikke et møde i {series_id} efter kalenderen "
                   f"({series.rrule}); {_nearest(before, after)}; ret Mødedato og send "
                   "filen igen")
    for row in rows:
        problems.append(AgreementProblem(file_name, row.location, row.row_no, _HEADING[column],
                                         rule, value, message))
    return [], sorted(problems, key=lambda p: p.row_no)


def _has_agreements(con, series_id: str, day: date) -> bool:
    """The series has agreements stored for ``day``: a meeting it had (stored before the
    date was checked), whose file returned again, to mark an agreement done, is read."""
    stored = con.execute(model("agreements/count_meeting.sql"), [series_id, day]).fetchone()
    return bool(stored and stored[0])


def _nearest(before: date | None, after: date | None) -> str:
    found = [d for d in (before, after) if d is not None]
    if not found:
        return "serien har intet møde efter kalenderen"
    return ("nærmeste møder: " if len(found) > 1 else "nærmeste møde: ") + " og ".join(
        f"{d:%d.%m.%Y}" for d in found)


def _courses_staged(con, file_name: str, rows: list[ReturnedRow], accepted: list[Agreement],
                    problems: list[AgreementProblem]
                    ) -> tuple[list[Agreement], list[AgreementProblem]]:
    """Move the agreements whose course (Forløb) is not in staging.courses to the
    problems, rule agreement_course_unknown: no deck would ever show them. (The inbox's
    exports are loaded before its returned files, so a course of the same run is there.)"""
    ids = sorted({a.course_id for a in accepted if a.course_id is not None})
    if not ids:
        return accepted, problems
    known = {r[0] for r in con.execute(model("agreements/known_courses.sql"), [ids]).fetchall()}
    row_of = {r.location: r for r in rows}
    kept: list[Agreement] = []
    for a in accepted:
        if a.course_id is None or a.course_id in known:
            kept.append(a)
            continue
        problems.append(AgreementProblem(
            file_name, a.location, row_of[a.location].row_no, _HEADING["course_id"],
            "agreement_course_unknown", a.course_id,
            f"forløbet '{a.course_id}' findes ikke i de indlæste data; skriv forløbets id "
            "fra den tomme fil (eller indlæs eksporten med forløbet) og send filen igen"))
    return kept, sorted(problems, key=lambda p: p.row_no)


def read_inbox_agreements(con, inbox: Path, archive: Path | None = None,
                          config: DatadialogConfig | None = None,
                          meeting_days: MeetingDays | None = None
                          ) -> tuple[list[ReturnedFile], list[str]]:
    """Store every returned deck and register in ``inbox`` (in name order), after the
    export ingest has loaded the folder's exports (their courses are checked against
    staging.courses; ``config`` and ``meeting_days``: the meeting keys against the series
    and their calendars, see
    :func:`store_returned_file`). With ``archive``, a file read goes to
    ``<archive>/agreements/`` (a name already there gets ``.1``, ``.2`` ..., and a line
    ``name,sha256,,agreements`` in ``<archive>/checksums.csv``) and a file that cannot
    be read to ``<inbox>/failed/`` with ``<name>.error.txt`` beside it, as the export
    ingest does; without, files stay. A CPR number in a file's name is masked in the
    archive, the ledger and every message, as an export's is. Returns what was stored,
    and one message per file that could not be read."""
    inbox = Path(inbox)
    if not inbox.is_dir():
        return [], []
    files = sorted(p for p in inbox.iterdir() if p.is_file() and is_returned_file(p))
    if files:
        ensure_schema(con)
    done: list[ReturnedFile] = []
    failed: list[str] = []
    for path in files:
        read = False
        try:
            done.append(store_returned_file(con, path, config, meeting_days))
            folder = Path(archive) / "agreements" if archive is not None else None
            read = True
            r = done[-1]
            log.info("%s: agreements of %s %s: %d of %d stored, %d row(s) quarantined%s",
                     r.file_name, r.meeting_id, r.agreed_on.isoformat(),
                     len(r.stored), r.rows_in, len({p.row_no for p in r.problems}),
                     "".join(f"; replaces {n} from {f}" for f, n in r.replaced.items()))
        except AgreementFileError as exc:
            failed.append(mask_text(str(exc)))
            folder = inbox / FAILED_FOLDER if archive is not None else None
            log.warning("agreements not read: %s", failed[-1])
        if folder is None:
            continue
        folder.mkdir(parents=True, exist_ok=True)
        name = mask_text(path.name)  # as an export's: never a CPR number in a file name
        target = free_name(folder / name)
        shutil.move(str(path), target)
        if read:
            sha = hashlib.sha256(target.read_bytes()).hexdigest()
            append_csv_rows(Path(archive) / "checksums.csv", LEDGER_HEADER,
                            [(name, sha, "", "agreements")])
        else:
            target.with_name(target.name + ERROR_SUFFIX).write_text(failed[-1] + "\n",
                                                                    encoding="utf-8")
    return done, failed
