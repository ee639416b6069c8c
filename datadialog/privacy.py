"""Privacy helpers: Danish CPR numbers and the keyed citizen pseudonym.

CPR numbers
    A CPR number is ``ddmmyy-xxxx`` or ``ddmmyyxxxx`` with a real day and month
    (day 30 never in February, day 31 only in 31-day months; 29 February is
    accepted because the century is not known), not glued to further digits; also
    written with blanks, one or two dashes, a slash, a dot or an underscore before
    ``xxxx`` (``ddmmyy xxxx``, ``ddmmyy_xxxx``, an en dash, a no-break or thin space, a
    soft hyphen, a line break inside a wrapped note, also inside ``xxxx``: ``ddmmyy xx
    xx``), with dots, slashes, dashes or blanks in the date (``dd.mm.yy-xxxx``, ``dd mm
    yy xxxx``, ``d.m.yy-xxxx``, ``dd.mm.yyyy-xxxx``, ``dd.mm.19yy xxxx``), the day and
    month joined (``ddmm-yy-xxxx``, ``ddmm yy xxxx``), with an invisible character (a
    zero-width space) between two digits (:data:`CPR_PATTERN` has the details), in the
    decimal digits of any script (full-width ``０１０１９０-１２３４``).
    :data:`CPR_PATTERN` is the Python form; ingest masks in DuckDB with the
    RE2 form (:data:`CPR_RE2`, made from the same parts) in
    ``transforms/sql/ddl/cpr.sql`` (macro ``landing.mask_cpr``), and tests keep the
    two in step. Both read the digits of other scripts as ASCII digits first, and a
    text with a CPR number in it is kept so. A masked number reads :data:`CPR_MASK`.

Pseudonyms
    A citizen's reference in an export is replaced by ``P-`` + the first 16 hex
    characters of HMAC-SHA256(key, ref). The key comes from the environment
    variable named in ``config.privacy.pseudonym_key_env`` or, when that is
    unset, from the key file ``config.privacy.pseudonym_key_file`` (refused when
    group or others may read it). The key file is created (mode 0600, random key)
    only when the caller allows it: ingest allows it for the first load into a
    database that has no key fingerprint yet (``transforms/pseudonym_key.py``).
    The key is never written to the database; its fingerprint
    (:func:`key_fingerprint`) is, so a load with another key is refused
    (:class:`PseudonymKeyMismatch`) instead of giving every citizen a second
    pseudonym. docs/operations.md, "The pseudonym key", says how to keep and rotate it.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import re
import secrets
import stat
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from datadialog.config_model import Privacy

log = logging.getLogger(__name__)

#: What a masked CPR number is replaced by, in free text and in id fields alike.
CPR_MASK = "[CPR]"

#: The digit zero of each of Unicode's sets of decimal digits (category Nd): ASCII,
#: Arabic-Indic, Devanagari ..., full-width (U+FF10), the mathematical digits. Each set
#: is ten code points in a row, 0 to 9. Those of Python 3.11's ``unicodedata`` (Unicode
#: 14) and of DuckDB's RE2 ``\p{Nd}`` (which also knows Kawi, U+11F50, and Nag Mundari,
#: U+1E4F0, of Unicode 15); tests check the list against both, so the two sides read the
#: same digits. A CPR number written in any of them (a word processor's full-width
#: digits, a form in Arabic script) is a CPR number: a text holding such digits is
#: searched with each read as its ASCII digit (:func:`ascii_digits`).
DIGIT_ZEROS = (
    0x30, 0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6,
    0xD66, 0xDE6, 0xE50, 0xED0, 0xF20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0,
    0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0,
    0xA9F0, 0xAA50, 0xABF0, 0xFF10, 0x104A0, 0x10D30, 0x11066, 0x110F0, 0x11136, 0x111D0,
    0x112F0, 0x11450, 0x114D0, 0x11650, 0x116C0, 0x11730, 0x118E0, 0x11950, 0x11C50,
    0x11D50, 0x11DA0, 0x11F50, 0x16A60, 0x16AC0, 0x16B50, 0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC,
    0x1D7F6, 0x1E140, 0x1E2F0, 0x1E4F0, 0x1E950, 0x1FBF0,
)
#: The digits of every set but ASCII, in the order of :data:`DIGIT_ZEROS` (0 to 9 of each).
OTHER_DIGITS = "".join(chr(zero + n) for zero in DIGIT_ZEROS[1:] for n in range(10))
_TO_ASCII_DIGITS = str.maketrans(OTHER_DIGITS, "0123456789" * (len(DIGIT_ZEROS) - 1))
#: Dashes people and word processors put in a CPR number: hyphen-minus, hyphen,
#: non-breaking hyphen, figure dash, en dash, em dash, minus sign, small and full-width
#: hyphen-minus.
DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2212\ufe63\uff0d"
#: What may stand between the date and the serial, one or two of them, with blanks
#: around or not: a dash, a slash or a dot (also full-width), an underscore (ids and
#: file names a system made): ddmmyy-xxxx, ddmmyy--xxxx, ddmmyy/xxxx, ddmmyy.xxxx,
#: ddmmyy_xxxx. Or blanks alone.
SERIAL_SEPARATORS = DASHES + "/\uff0f.\uff0e_"
#: Blanks: space, tab, line break and every other space of Unicode (category Zs: no-break,
#: en/em quads and spaces, figure, punctuation, thin, hair, narrow no-break, medium
#: mathematical, ideographic space ...); a test checks the Zs part against
#: ``unicodedata``.
BLANKS = (
    " \t\r\n\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u202f\u205f\u3000"
)
#: Characters that show nothing: soft hyphen, zero-width space, non-joiner and joiner,
#: word joiner, zero-width no-break space (BOM). They count as blanks, and one may
#: also stand between any two digits of the number (``0101901<zero-width space>234``).
INVISIBLES = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
#: Separators in a date written dd.mm.yy: dot, slash, dash (also full-width); or one
#: blank (dd mm yy).
DATE_SEPARATORS = "-./\uff0d\uff0e\uff0f"
#: The most blanks (invisibles included) on either side of the dash, or alone, before
#: the serial.
MAX_BLANKS = 3


def ascii_digits(text: str) -> str:
    """``text`` with every decimal digit of another script (:data:`DIGIT_ZEROS`) as its
    ASCII digit, one character for one (so a match's place is the same in both)."""
    return text if text.isascii() else text.translate(_TO_ASCII_DIGITS)


def _char(char: str, re2: bool) -> str:
    if char.isascii() and char.isalnum():
        return char
    if char in "\t\r\n":
        return {"\t": r"\t", "\r": r"\r", "\n": r"\n"}[char]
    return f"\\x{{{ord(char):X}}}" if re2 else f"\\u{ord(char):04X}"


def _chars(chars: str, re2: bool) -> str:
    """A character class of ``chars``, written in ASCII: RE2 ``\\x{...}``, Python
    ``\\uXXXX`` for the rest; in code point order, three or more in a row outside ASCII
    as a range (``\\x{2000}-\\x{200D}``)."""
    chars = "".join(sorted(set(chars)))
    out = []
    i = 0
    while i < len(chars):
        run = 1
        while (i + run < len(chars) and ord(chars[i + run]) == ord(chars[i]) + run
               and not chars[i].isascii()):
            run += 1
        if run >= 3:
            out.append(_char(chars[i], re2) + "-" + _char(chars[i + run - 1], re2))
        else:
            run = 1
            out.append(_char(chars[i], re2))
        i += run
    return "[" + "".join(out) + "]"


def _cpr_core(re2: bool) -> str:
    """A CPR number (ASCII digits), without what may stand around it (see
    :data:`CPR_PATTERN`); RE2 or Python syntax. No look-around, no back-references
    (RE2), and every quantifier bounded."""
    g = _chars(INVISIBLES, re2) + "?"  # between any two digits: an invisible
    blank = _chars(BLANKS + INVISIBLES, re2)
    dash = _chars(SERIAL_SEPARATORS, re2) + "{1,2}"
    punct = _chars(DATE_SEPARATORS, re2)
    sep = f"(?:{punct}|{blank})"
    blanks = f"{blank}{{0,{MAX_BLANKS}}}"
    # between yy and the serial: a dash between blanks, or blanks only
    with_dash = f"{blanks}{dash}{blanks}"
    one_dash = _chars(DASHES, re2)
    only_blanks = f"{blank}{{1,{MAX_BLANKS}}}"
    not_empty = f"(?:{with_dash}|{only_blanks})"

    def day_month(between: str) -> str:
        """A real day for the month: 01-29 in every month, 30 not in February, 31 in
        the seven long months; ``between`` stands between day and month."""
        return (
            f"(?:(?:0{g}[1-9]|[12]{g}[0-9]){between}(?:0{g}[1-9]|1{g}[0-2])"
            f"|3{g}0{between}(?:0{g}[13-9]|1{g}[0-2])"
            f"|3{g}1{between}(?:0{g}[13578]|1{g}[02]))"
        )

    # d.m.yy: a one-digit day or month (or both; the other of two digits), between
    # dots, slashes or dashes only (1 1 90 is a row of numbers)
    short_day_month = (
        f"(?:[1-9]{punct}(?:(?:0{g})?[1-9]|1{g}[0-2])"
        f"|(?:0{g}[1-9]|[12]{g}[0-9]){punct}[1-9]"
        f"|3{g}0{punct}[13-9]|3{g}1{punct}[13578])"
    )
    year = f"[0-9]{g}[0-9]"
    long_year = f"(?:1{g}[89]|2{g}0){g}{year}"  # dd.mm.yyyy: 18xx, 19xx, 20xx
    old_year = f"1{g}[89]{g}{year}"  # 18xx, 19xx: dd.mm.yyyy xxxx is no date and time
    # the serial: four digits, a line break or an invisible allowed between any two (a
    # wrapped note); split (after a separator only): also one blank between its two
    # pairs, ddmmyy-xx xx
    gap = r"(?:\r\n|\r|\n|" + _chars(INVISIBLES, re2) + ")?"
    serial = gap.join(["[0-9]"] * 4)
    # after ddmm-yy: four digits together (an invisible allowed): not the day of an ISO
    # date whose year reads as ddmm (2010-03-23 20:15, 2010-03-23<line break>2015)
    whole_serial = g.join(["[0-9]"] * 4)
    split_serial = f"[0-9]{gap}[0-9](?:\\r\\n|{blank})?[0-9]{gap}[0-9]"
    return (
        # ddmmyyxxxx, ddmmyy-xxxx; ddmm-yy-xxxx, ddmm yy xxxx
        f"(?:{day_month(g)}(?:{g}{year}(?:{not_empty}{split_serial}|{g}{serial})"
        f"|(?:{one_dash}{year}{blanks}{one_dash}{blanks}|{blank}{year}{only_blanks})"
        f"{whole_serial})"
        # dd.mm.yy-xxxx, d.m.yy xxxx
        f"|(?:{day_month(sep)}{sep}|{short_day_month}{punct}){year}{not_empty}{split_serial}"
        # dd.mm.yyyy-xxxx, d.m.yyyy-xxxx, dd mm yyyy-xxxx; dd.mm.19yy xxxx: the date's
        # two separators both dots, slashes or dashes, or both blanks (not the end of an
        # ISO date and a year: 2024-03-09 2024-1234)
        f"|(?:{day_month(punct)}{punct}|{short_day_month}{punct}|{day_month(blank)}{blank})"
        f"(?:{long_year}{with_dash}{split_serial}|{old_year}{only_blanks}{serial}))"
    )


#: A CPR number in free text (Python ``re``; digits on either side rule it out): ddmmyy
#: then xxxx, with nothing between (ddmmyyxxxx), or a separator: one or two dashes,
#: slashes or dots with up to three blanks either side, or up to three blanks alone
#: (ddmmyy-xxxx, ddmmyy xxxx, ddmmyy - xxxx, ddmmyy--xxxx, ddmmyy/xxxx,
#: ddmmyy<no-break or thin space>xxxx, ddmmyy<soft hyphen>xxxx); or the date written
#: with separators, dots, slashes, dashes or one blank (dd.mm.yy, dd mm yy), then such
#: a separator and xxxx (dd.mm.yy-xxxx, dd.mm.yy xxxx, dd mm yy xxxx), also a one-digit
#: day or month between dots, slashes or dashes (d.m.yy-xxxx, d.mm.yy xxxx); or the
#: day and month joined, then a dash and yy and a dash, or a blank and yy and blanks,
#: and xxxx in one piece (ddmm-yy-xxxx, ddmm yy xxxx: in one piece, as 2010-03-23 20:15
#: would read as 2010-03-23 20); or dd.mm.yyyy (year 18xx-20xx, the date's separators
#: both dots, slashes or dashes, or both blanks: 2024-03-09 2024-1234 holds no
#: 03-09 2024-1234) then a dash, slash, dot or underscore and xxxx (dd.mm.yyyy-xxxx,
#: d.m.yyyy-xxxx), or with a year 18xx or 19xx blanks alone and xxxx in one piece
#: (dd.mm.19yy xxxx). A line break may split xxxx (ddmmyy-xx<line break>xx, a wrapped
#: note), after a separator also one blank between its pairs (ddmmyy xx xx); an
#: invisible character (soft hyphen, zero-width space ...) may stand between any two
#: digits. So a date and a time written dd.mm.yy hhmm is masked too: it cannot be told
#: from a CPR number, nor can a time in the last century (dd.mm.19yy hhmm) or three
#: numbers of four, two and four digits whose first reads as a day and month (a year
#: 2001-2012 and two numbers, 20mm nn nnnn); dd.mm.20yy hhmm (and hh:mm) is not
#: masked, nor d m yy xxxx (a row of numbers). ASCII digits: :func:`find_cpr` and
#: :func:`mask_cpr` read other scripts' digits (full-width ones) as ASCII first
#: (:func:`ascii_digits`). The examples are written as shapes, not numbers: no
#: CPR-shaped string in the source (tests build theirs).
CPR_PATTERN = re.compile(r"(?<![0-9])" + _cpr_core(re2=False) + r"(?![0-9])")

#: The RE2 form, for DuckDB: ``(^|non-digit)`` number ``(non-digit|$)`` (RE2 has no
#: look-around), the two groups kept by the replacement. ``transforms/sql/ddl/cpr.sql``
#: holds it as one literal (macro ``landing.cpr_regex``), and with ``|`` a decimal digit
#: of another script (:data:`CPR_RE2_OR_OTHER_DIGIT`, ``landing.cpr_or_other_digit``: the
#: one search nearly every value gets); a test checks that the literals are these.
#: :data:`CPR_CORE_RE2`, the number alone (``landing.cpr_core_regex``), is what a whole
#: CPR id must match (``landing.cpr_digits``).
CPR_CORE_RE2 = _cpr_core(re2=True)
CPR_RE2 = "(^|[^0-9])" + CPR_CORE_RE2 + "([^0-9]|$)"
#: A decimal digit that is not ASCII (RE2: not a non-digit, not 0-9).
OTHER_DIGIT_RE2 = r"[^\P{Nd}0-9]"
CPR_RE2_OR_OTHER_DIGIT = CPR_RE2 + "|" + OTHER_DIGIT_RE2


#: One of our own pseudonyms as a token. About 6 in 10 000 of them hold ten digits that
#: read as a CPR number (the hex of a hash); they are hashes, not numbers anyone was
#: given, so masking and finding leave them alone. In SQL, ``landing.mask_cpr`` leaves
#: a value that is one pseudonym as a whole (what an id field holds); a test keeps
#: the two in step on such values.
PSEUDONYM_PATTERN = re.compile(r"(?<![0-9A-Za-z])P-[0-9a-f]{16}(?![0-9A-Za-z])")

#: Shortest key accepted (bytes); a short key makes the pseudonyms guessable.
MIN_KEY_BYTES = 16

PSEUDONYM_PREFIX = "P-"
PSEUDONYM_HEX_CHARS = 16


#: A pseudonym token or a CPR number: scanning left to right, a pseudonym is taken
#: whole before the CPR pattern could look inside it.
_CPR_OR_PSEUDONYM = re.compile(f"(?P<pseudonym>{PSEUDONYM_PATTERN.pattern})|{CPR_PATTERN.pattern}")


def find_cpr(text: str | None) -> list[str]:
    """Every CPR number in ``text`` (empty list for None), as written (digits of any
    script); pseudonyms are not searched."""
    if not text:
        return []
    read = ascii_digits(text)
    return [text[m.start():m.end()] for m in _CPR_OR_PSEUDONYM.finditer(read)
            if not m.group("pseudonym")]


def contains_cpr(text: str | None) -> bool:
    return bool(find_cpr(text))


def mask_cpr(text: str | None) -> tuple[str | None, int]:
    """Return ``text`` with every CPR number replaced by :data:`CPR_MASK`, and the count
    (pseudonyms are left as they are). A text with a CPR number in it comes back with
    the digits of other scripts as ASCII digits (as ``landing.mask_cpr`` does)."""
    if not text:
        return text, 0
    masked = 0

    def replace(match: re.Match) -> str:
        nonlocal masked
        if match.group("pseudonym"):
            return match.group(0)
        masked += 1
        return CPR_MASK

    out = _CPR_OR_PSEUDONYM.sub(replace, ascii_digits(text))
    return (out, masked) if masked else (text, 0)


def mask_text(text: str) -> str:
    """``text`` with CPR numbers masked (for messages, logs and error files)."""
    return mask_cpr(text)[0] or ""


class CprMaskingFormatter(logging.Formatter):
    """A log formatter whose every line (message, arguments, traceback) is CPR-masked.

    Use it on any handler that writes ingest logs: messages are masked where they are
    made, this catches what a message or an exception carries unforeseen.
    """

    def format(self, record: logging.LogRecord) -> str:
        return mask_text(super().format(record))


# ---------------------------------------------------------------- pseudonym key


class PseudonymKeyError(RuntimeError):
    """The pseudonym key cannot be read or is unusable."""


class PseudonymKeyMismatch(PseudonymKeyError):
    """The key is not the one the database's pseudonyms were made with."""


class PseudonymKeyMissing(PseudonymKeyError):
    """No key is set or stored, and making a new one is not allowed here."""


#: The fixed text whose HMAC with the key is the key's fingerprint.
FINGERPRINT_TEXT = b"datadialog-key-fingerprint"
#: Hex characters of a fingerprint shown in messages.
FINGERPRINT_PREFIX = 8


def key_fingerprint(key: bytes) -> str:
    """HMAC-SHA256(key, :data:`FINGERPRINT_TEXT`), hex: names a key without revealing it."""
    return hmac.new(key, FINGERPRINT_TEXT, hashlib.sha256).hexdigest()


def where_key_is_looked_for(privacy: Privacy) -> str:
    """Where :func:`load_pseudonym_key` looks, for messages."""
    return (
        f"environment variable {privacy.pseudonym_key_env}, "
        f"else the key file {privacy.pseudonym_key_file}"
    )


def mismatch_message(key: PseudonymKey, expected: str, privacy: Privacy) -> str:
    """One line: the key is not the database's; the two fingerprints and the way out."""
    return (
        f"pseudonym key mismatch: the key from {key.origin} has fingerprint "
        f"{key.fingerprint[:FINGERPRINT_PREFIX]}, this database was loaded with the key of "
        f"fingerprint {expected[:FINGERPRINT_PREFIX]}; nothing was loaded (it would give "
        f"every citizen a second pseudonym). Use the key of fingerprint "
        f"{expected[:FINGERPRINT_PREFIX]} (after a rotation, the new key; "
        f"{where_key_is_looked_for(privacy)}), or re-key the database from the archived "
        "exports with `datadialog key rotate`"
    )


@dataclass(frozen=True)
class PseudonymKey:
    """The secret key and where it came from (never print :attr:`key`)."""

    key: bytes
    origin: str  # "env:<NAME>" or "file:<path>"
    created: bool = False  # True when the key file was created by this call

    def __repr__(self) -> str:  # keep the key out of logs and tracebacks
        return f"PseudonymKey(origin={self.origin!r}, created={self.created})"

    @property
    def fingerprint(self) -> str:
        """The key's fingerprint (:func:`key_fingerprint`), 64 hex characters."""
        return key_fingerprint(self.key)

    @property
    def notice(self) -> str | None:
        """A message for the user when a new key file was made, else None."""
        if not self.created:
            return None
        where = self.origin.removeprefix("file:")
        return (
            f"Created a new pseudonym key in {where} (readable by you only). Keep it safe and "
            "back it up: later loads need the same key to give a citizen the same pseudonym."
        )


def _key_bytes(text: str, origin: str) -> bytes:
    key = text.strip().encode("utf-8")
    if len(key) < MIN_KEY_BYTES:
        raise PseudonymKeyError(
            f"the pseudonym key from {origin} is too short ({len(key)} bytes; "
            f"use at least {MIN_KEY_BYTES}, e.g. 64 random hex characters)"
        )
    return key


def load_pseudonym_key(
    privacy: Privacy,
    environ: Mapping[str, str] | None = None,
    *,
    create: bool = True,
    expected: str | None = None,
) -> PseudonymKey:
    """Read the key from the environment variable, else from (or into) the key file.

    A key file that group or others may read is refused (the environment variable is
    not checked: where it is set decides who sees it). With ``create=False`` a missing
    key file raises :class:`PseudonymKeyMissing` instead of being made; ``expected``
    (the database's fingerprint) is then named in the message.
    """
    environ = os.environ if environ is None else environ
    value = environ.get(privacy.pseudonym_key_env)
    if value:
        origin = f"env:{privacy.pseudonym_key_env}"
        return PseudonymKey(_key_bytes(value, origin), origin)
    path = Path(privacy.pseudonym_key_file).expanduser()
    if path.exists():
        return read_key_file(path)
    if not create:
        raise PseudonymKeyMissing(_missing_message(privacy, path, expected))
    return create_key_file(path)


def check_pseudonym_key(privacy: Privacy, environ: Mapping[str, str] | None = None) -> None:
    """Raise :class:`PseudonymKeyError` when the configured key is there but unusable
    (too short, a key file others may read or that cannot be read). A missing key is
    no error here: whether one may be made depends on the database. Makes nothing, so
    a command can refuse a bad key before it creates the database."""
    try:
        load_pseudonym_key(privacy, environ, create=False)
    except PseudonymKeyMissing:
        pass


def read_key_file(path: Path) -> PseudonymKey:
    """The key in ``path`` (refused when group or others may read the file)."""
    origin = f"file:{path}"
    try:
        mode = path.stat().st_mode
        if os.name == "posix" and mode & 0o077:
            raise PseudonymKeyError(
                f"the pseudonym key file {path} may be read by others (mode "
                f"{stat.S_IMODE(mode):04o}); make it readable by you only: chmod 600 {path}"
            )
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PseudonymKeyError(f"cannot read the pseudonym key file {path}: {exc}") from None
    return PseudonymKey(_key_bytes(text, origin), origin)


def _missing_message(privacy: Privacy, path: Path, expected: str | None) -> str:
    held = (
        f"this database expects the key with fingerprint {expected[:FINGERPRINT_PREFIX]}"
        if expected
        else "this database already holds pseudonyms"
    )
    return (
        f"no pseudonym key: {privacy.pseudonym_key_env} is not set and the key file {path} "
        f"is missing, but {held}; no new key was made (it would give every citizen a "
        "second pseudonym). Restore the key file from your backup (or set "
        f"{privacy.pseudonym_key_env}); if the key is lost, re-key the database from the "
        "archived exports with `datadialog key rotate --new-key-file PATH`"
    )


def create_key_file(path: Path) -> PseudonymKey:
    """A new random key in ``path`` (mode 0600; a file made meanwhile by another process
    is read instead)."""
    text = secrets.token_hex(32)
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it a moment ago: use theirs
        return read_key_file(path)
    except OSError as exc:
        raise PseudonymKeyError(f"cannot create the pseudonym key file {path}: {exc}") from None
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text + "\n")
    key = PseudonymKey(text.encode("utf-8"), f"file:{path}", created=True)
    log.warning("%s", key.notice)
    return key


# ---------------------------------------------------------------- pseudonym


def pseudonym(ref: str | None, key: bytes) -> str | None:
    """Keyed pseudonym of a citizen reference (surrounding blanks ignored; None stays None)."""
    if ref is None:
        return None
    ref = ref.strip()
    if not ref:
        return None
    digest = hmac.new(key, ref.encode("utf-8"), hashlib.sha256).hexdigest()
    return PSEUDONYM_PREFIX + digest[:PSEUDONYM_HEX_CHARS]


def pseudonym_arrow(key: bytes) -> Callable:
    """A vectorised (Arrow) function mapping a string array to pseudonyms, for DuckDB."""
    cache: dict[str, str | None] = {}

    def apply(refs: pa.Array) -> pa.Array:
        out = []
        for ref in refs.to_pylist():
            if ref is None:
                out.append(None)
                continue
            hit = cache.get(ref)
            if hit is None and ref not in cache:
                hit = cache[ref] = pseudonym(ref, key)
            out.append(hit)
        return pa.array(out, type=pa.string())

    return apply


#: Name of the SQL function :func:`register_pseudonym` adds to a connection.
PSEUDONYM_FUNCTION = "pseudonym"


def register_pseudonym(con, key: bytes) -> None:
    """Add ``pseudonym(varchar) -> varchar`` with ``key`` to a DuckDB connection.

    A function already registered with the same key is kept (checked on a probe
    value); one with another key is replaced.
    """
    from duckdb import sqltypes

    probe = "datadialog-probe"
    # a fresh statement first: an unfinished result can make remove_function a no-op
    exists = con.execute(
        "select count(*) from duckdb_functions() where function_name = ?", [PSEUDONYM_FUNCTION]
    ).fetchall()[0][0]
    if exists:
        current = con.execute(f"select {PSEUDONYM_FUNCTION}(?)", [probe]).fetchall()[0][0]
        if current == pseudonym(probe, key):
            return
        con.remove_function(PSEUDONYM_FUNCTION)
    con.create_function(
        PSEUDONYM_FUNCTION,
        pseudonym_arrow(key),
        [sqltypes.VARCHAR],
        sqltypes.VARCHAR,
        type="arrow",
        side_effects=False,
    )
