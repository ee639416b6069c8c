"""The agreement form: the columns of the agreement table on a deck and of the XLSX
register, the meeting key that ties a returned file to its meeting, and the status words.

One owner for the layout, because three layers meet here: ``outputs`` writes the table
and the register, ``transforms.agreements`` reads them back from the inbox, and ``demo``
writes filled-in registers for the demo's earlier meetings.

The meeting key is a line of visible text beside the table (and the first columns of the
register): ``Mødenøgle: <series id> · <meeting date> · forløb <course id>`` (the course
part only on a citizen's sheet). Visible text survives any program that saves the deck
(PowerPoint, LibreOffice, Keynote); hidden properties may not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from datadialog.tabular import write_xlsx_row, xlsx_workbook

#: Columns of the agreement table, in order: (id, Danish heading, English heading).
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("subject", "Borger/tema", "Citizen/theme"),
    ("text", "Det gør vi", "What we do"),
    ("owner", "Hvem", "Who"),
    ("due_on", "Senest", "By when"),
    ("indicator", "Sådan ser vi det i data", "How we see it in the data"),
    ("status", "Status", "Status"),
)
#: Columns the register has in front of the agreement columns (the meeting key per row).
REGISTER_KEY_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("meeting_id", "Møde", "Meeting"),
    ("meeting_date", "Mødedato", "Meeting date"),
    ("course_id", "Forløb", "Course"),
)
#: Sheet name of the XLSX register.
REGISTER_SHEET = "Aftaler"
#: File names of a register: ``<meeting>_<date>_aftaler.xlsx`` (English: ``_agreements``).
REGISTER_SUFFIXES = ("_aftaler.xlsx", "_agreements.xlsx")
#: Empty rows the agreement table on a deck offers per sheet.
BLANK_ROWS = 4

#: Words accepted in the status column (lower case) and the status stored.
STATUS_WORDS: dict[str, str] = {
    "": "open", "åben": "open", "open": "open", "ikke gennemført": "open", "not done": "open",
    "i gang": "open", "in progress": "open",
    "gennemført": "done", "done": "done", "færdig": "done", "ok": "done",
    "droppet": "dropped", "dropped": "dropped", "opgivet": "dropped",
}

_KEY_LABELS = {"da": ("Mødenøgle", "forløb"), "en": ("Meeting key", "course")}
KEY_PATTERN = re.compile(
    r"(?:Mødenøgle|Meeting key):\s*(?P<meeting_id>[A-Za-z0-9_\-]+)\s*·\s*"
    r"(?P<meeting_date>\d{4}-\d{2}-\d{2})(?:\s*·\s*(?:forløb|course)\s+(?P<course_id>\S+))?"
)


@dataclass(frozen=True)
class MeetingKey:
    """Which meeting (and, on a citizen's sheet, which course) a table belongs to."""

    meeting_id: str
    meeting_date: date
    course_id: str | None = None

    def text(self, lang: str = "da") -> str:
        label, course_word = _KEY_LABELS.get(lang, _KEY_LABELS["da"])
        out = f"{label}: {self.meeting_id} · {self.meeting_date.isoformat()}"
        return out + (f" · {course_word} {self.course_id}" if self.course_id else "")


def parse_key(text: str) -> MeetingKey | None:
    """The meeting key in ``text``, or None when there is none."""
    found = KEY_PATTERN.search(text or "")
    if found is None:
        return None
    return MeetingKey(found["meeting_id"], date.fromisoformat(found["meeting_date"]),
                      found["course_id"])


def headings(lang: str) -> list[str]:
    """The agreement table's column headings in ``lang``."""
    return [da if lang == "da" else en for _id, da, en in COLUMNS]


def column_ids_by_heading() -> dict[str, str]:
    """Every heading (both languages, lower case) to its column id."""
    out = {}
    for cid, da, en in (*REGISTER_KEY_COLUMNS, *COLUMNS):
        out[da.lower()] = cid
        out[en.lower()] = cid
    return out


@dataclass(frozen=True)
class RegisterRow:
    """One row of an agreement register (blank agreement cells: a row to fill in)."""

    key: MeetingKey
    subject: str = ""
    text: str = ""
    owner: str = ""
    due_on: date | None = None
    indicator: str = ""
    status: str = ""


def write_register(path, rows: list[RegisterRow], lang: str = "da") -> None:
    """The XLSX register (sheet ``Aftaler``): the meeting key columns, then the agreement
    columns; written whole or not at all, text kept as text (:mod:`datadialog.tabular`)."""
    header = [da if lang == "da" else en for _i, da, en in (*REGISTER_KEY_COLUMNS, *COLUMNS)]
    with xlsx_workbook(path) as book:
        sheet = book.add_worksheet(REGISTER_SHEET)
        bold = book.add_format({"bold": True, "bg_color": "#DCE6F2"})
        dates = book.add_format({"num_format": "dd-mm-yyyy"})
        write_xlsx_row(sheet, 0, 0, header, bold)
        for i, r in enumerate(rows, start=1):
            write_xlsx_row(sheet, i, 0, [r.key.meeting_id, r.key.meeting_date,
                                         r.key.course_id or "", r.subject, r.text, r.owner,
                                         r.due_on, r.indicator, r.status], date_format=dates)
        for col, width in enumerate((22, 12, 12, 16, 44, 16, 12, 30, 12)):
            sheet.set_column(col, col, width)
        sheet.freeze_panes(1, 0)
