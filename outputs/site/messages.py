"""The ingest's quarantine messages (``staging.quarantine.message``) in Danish.

The message is written in English by ``transforms/sql/staging/load/quarantine_rows.sql``
from the record's rule code and a few values (the date format, the decimal mark, the
column, the earlier row ...). :data:`QUARANTINE_MESSAGES_DA` holds per rule the English
message as a pattern and its Danish text with the same values; the site shows the
Danish text in a Danish organisation. A message no pattern reads is shown as written
(a test holds every rule of the SQL to a pattern).
"""

from __future__ import annotations

import re

#: Rule code -> [(the English message as a regular expression, the Danish text with the
#: pattern's named groups as {placeholders})], tried in order.
QUARANTINE_MESSAGES_DA: dict[str, list[tuple[str, str]]] = {
    "missing_required": [(r"a required value is empty", "en påkrævet værdi er tom")],
    "invalid_date": [
        (r"not a quarter written YYYY-Qn", "ikke et kvartal skrevet som ÅÅÅÅ-Kn (fx 2026-K1)"),
        (r"not a date in the format (?P<format>.*)", "ikke en dato i formatet {format}"),
    ],
    "invalid_number": [
        (r"not a whole number", "ikke et helt tal"),
        (r"not a number with decimal mark '(?P<mark>.*)'",
         "ikke et tal med decimaltegnet '{mark}'"),
    ],
    "unknown_code": [(
        r"not a code in the config's sources\.yaml value_codes nor a canonical value",
        "ikke en kode i opsætningens sources.yaml (value_codes) og heller ikke en kendt værdi",
    )],
    "unknown_citizen": [(r"the citizen is in no loaded citizens table",
                         "borgeren findes ikke i nogen indlæst borgertabel")],
    "unknown_course": [(r"the course is in no loaded courses table",
                        "forløbet findes ikke i nogen indlæst forløbstabel")],
    "unknown_goal": [(r"the goal is in no loaded goals table",
                      "målet findes ikke i nogen indlæst måltabel")],
    "cpr_in_id": [(
        r"the id holds a CPR number \(masked here\); if this column's ids are CPR numbers, "
        r"declare it in config/sources\.yaml \(id_kind: \{(?P<column>.*): cpr\}\) so they are "
        r"pseudonymised, else correct it at the source",
        "id'et indeholder et CPR-nummer (skjult her). Er kolonnens id'er CPR-numre, så angiv "
        "det i config/sources.yaml (id_kind: {{{column}: cpr}}), så de pseudonymiseres; "
        "ellers ret det i fagsystemet",
    )],
    "invalid_cpr": [(
        r"the column is declared as CPR numbers \(id_kind: cpr\) but this value is not a "
        r"valid one \(not shown\)",
        "kolonnen er angivet som CPR-numre (id_kind: cpr), men værdien er ikke et gyldigt "
        "CPR-nummer (vises ikke)",
    )],
    "duplicate_key": [(r"the same key as the earlier record \(row\) (?P<row>.*)",
                       "samme nøgle som den tidligere række {row}")],
    "field_too_long": [(
        r"a field too long to load \(cut to its first 100 characters here\), "
        r"line (?P<line>\d+): (?P<size>[\d,]+) bytes, over the limit of (?P<limit>[\d,]+) "
        r"\((?P<key>.*)\)",
        "et felt for langt til at blive indlæst (her afkortet til de første 100 tegn), "
        "linje {line}: {size} byte, over grænsen på {limit} ({key})",
    )],
    "line_too_long": [(
        r"a record too long to load \(its fields cut to 100 characters here\), "
        r"line (?P<line>\d+): (?P<size>[\d,]+) bytes, over the limit of (?P<limit>[\d,]+) "
        r"\((?P<key>.*)\)",
        "en række for lang til at blive indlæst (felterne her afkortet til 100 tegn), "
        "linje {line}: {size} byte, over grænsen på {limit} ({key})",
    )],
    "item_out_of_instrument": [(r"item number outside the instrument's items ?(?P<detail>.*)",
                                "spørgsmålsnummeret findes ikke i redskabet {detail}")],
}

_STRFTIME_DA = {"%Y": "ÅÅÅÅ", "%y": "ÅÅ", "%m": "MM", "%d": "DD", "%H": "TT", "%M": "MM"}


def _danish_value(name: str, value: str) -> str:
    if name == "format":  # %d-%m-%Y -> DD-MM-ÅÅÅÅ
        for code, shown in _STRFTIME_DA.items():
            value = value.replace(code, shown)
    elif name in ("size", "limit"):  # 1,234,567 -> 1.234.567
        value = value.replace(",", ".")
    return value


def quarantine_message(rule: str, message: str | None, language: str) -> str:
    """The quarantine message of a record in ``language`` (the stored English one in
    English, or when no pattern of :data:`QUARANTINE_MESSAGES_DA` reads it)."""
    message = message or ""
    if language != "da":
        return message
    for pattern, danish in QUARANTINE_MESSAGES_DA.get(rule, []):
        found = re.fullmatch(pattern, message)
        if found:
            values = {k: _danish_value(k, v or "") for k, v in found.groupdict().items()}
            return danish.format(**values).strip()
    return message
