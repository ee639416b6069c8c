"""CPR detection and masking (Python and SQL agree), the pseudonym key and pseudonyms."""

from __future__ import annotations

import hashlib
import hmac
import os
import stat
import sys
import unicodedata
from pathlib import Path

import duckdb
import pytest

from datadialog.config_model import Privacy
from datadialog.db import connect
from datadialog.privacy import (
    CPR_CORE_RE2,
    CPR_RE2,
    CPR_RE2_OR_OTHER_DIGIT,
    DIGIT_ZEROS,
    OTHER_DIGIT_RE2,
    OTHER_DIGITS,
    PseudonymKeyError,
    ascii_digits,
    find_cpr,
    load_pseudonym_key,
    mask_cpr,
    pseudonym,
    register_pseudonym,
)
from transforms.schema import DDL_DIR, ensure_schema

KEY = "unit-test-key-0123456789abcdef"

CASES = [
    # (text, masked)
    ("0101901234", "[CPR]"),
    ("010190-1234", "[CPR]"),
    ("note: 311299-1234, ring", "note: [CPR], ring"),
    ("3112991234;0202021234", "[CPR];[CPR]"),
    ("a 0101011234,0202021234,0303031234 b", "a [CPR],[CPR],[CPR] b"),
    ("2902001234", "[CPR]"),  # 29 February: the century is unknown, so accepted
    ("3002001234", "3002001234"),  # 30 February
    ("3104991234", "3104991234"),  # 31 April
    ("0013991234", "0013991234"),  # month 13
    ("0001991234", "0001991234"),  # day 0
    ("12345678", "12345678"),  # a phone number
    ("01019012345", "01019012345"),  # 11 digits: not a CPR number
    ("X0101901234", "X[CPR]"),  # letters around are fine, digits are not
    # other spellings found in real notes (a review put each in an export's Note field)
    ("ring 070790 6802", "ring [CPR]"),  # a space
    ("070790  -  6802", "[CPR]"),  # blanks around the dash
    ("050590-\n4680 i noten", "[CPR] i noten"),  # a line break in a wrapped note
    ("050590\r\n4680", "[CPR]"),
    ("111190\u20111358", "[CPR]"),  # non-breaking hyphen
    ("121290\u20131359;131290\u22121360", "[CPR];[CPR]"),  # en dash, minus sign
    ("08.08.90-7913", "[CPR]"),  # dots in the date, then a dash
    ("10/10/90 - 2469", "[CPR]"),
    ("31-12-99-1234", "[CPR]"),
    ("31.04.90-1234", "31.04.90-1234"),  # 31 April
    # a date and a time written dd.mm.yy hhmm cannot be told from dd.mm.yy xxxx: masked
    ("målt 01.02.24 1030", "målt [CPR]"),
    ("målt 01.02.2024 1030", "målt 01.02.2024 1030"),  # ... but not with a 4-digit year 20yy
    ("målt 01.02.2024 10:30", "målt 01.02.2024 10:30"),
    ("01022024 10:30", "01022024 10:30"),  # ddmmyyyy hh:mm: no blank in a glued serial
    ("01.01.2024-1234", "[CPR]"),  # a four-digit year
    ("010190    1234", "010190    1234"),  # four blanks: two numbers
    # a line break inside the serial (a note wrapped in the number; a review found these
    # unmasked in a quoted free-text field)
    ("0505901\n357", "[CPR]"),
    ("010190-12\n34", "[CPR]"),
    ("ring 010190-1\r\n234 i dag", "ring [CPR] i dag"),
    ("010190-123\r4", "[CPR]"),
    ("010190-12\n\n34", "010190-12\n\n34"),  # an empty line between: two numbers
    ("010190-12  34", "010190-12  34"),  # two blanks inside the serial: two numbers
    ("010190-1 234", "010190-1 234"),  # one blank, not between the pairs
    ("01019012 34", "01019012 34"),  # a blank between the pairs, no separator before
    # the decimal digits of other scripts: full-width (a word processor, an IME),
    # Arabic-Indic, Devanagari, mathematical; a text with a CPR number keeps its digits
    # as ASCII
    ("\uff10\uff11\uff10\uff11\uff19\uff10-\uff11\uff12\uff13\uff14", "[CPR]"),
    ("nr. \uff10\uff11\uff10\uff11\uff19\uff10\uff11\uff12\uff13\uff14.", "nr. [CPR]."),
    ("\u0660\u0661\u0660\u0661\u0669\u0660-\u0661\u0662\u0663\u0664", "[CPR]"),
    ("\u0966\u0967\u0966\u0967\u096f\u0966\u0967\u0968\u0969\u096a", "[CPR]"),
    ("\U0001d7ce\U0001d7cf\U0001d7ce\U0001d7cf\U0001d7d7\U0001d7ce-1234", "[CPR]"),
    ("01\uff10190-1234", "[CPR]"),  # mixed
    ("\uff12\uff10\uff12\uff16-\uff11\uff10-\uff13\uff11 og \uff10\uff11\uff10\uff11"
     "\uff19\uff10\uff11\uff12\uff13\uff14", "2026-10-31 og [CPR]"),
    ("\uff10\uff11.\uff10\uff11.\uff19\uff10\uff0d\uff11\uff12\uff13\uff14", "[CPR]"),
    ("010190\u00a01234", "[CPR]"),  # a no-break space
    ("010190\u3000-\u30001234", "[CPR]"),  # ideographic spaces around the dash
    # ... and what stays: a full-width date, a phone number, a 31 April, a number glued
    # to digits of another script
    ("\uff12\uff10\uff12\uff16-\uff11\uff10-\uff13\uff11",
     "\uff12\uff10\uff12\uff16-\uff11\uff10-\uff13\uff11"),
    ("\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18",
     "\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18"),
    ("\uff13\uff11\uff10\uff14\uff19\uff10\uff11\uff12\uff13\uff14",
     "\uff13\uff11\uff10\uff14\uff19\uff10\uff11\uff12\uff13\uff14"),
    ("\uff11\uff10\uff11\uff10\uff11\uff19\uff10\uff11\uff12\uff13\uff14",
     "\uff11\uff10\uff11\uff10\uff11\uff19\uff10\uff11\uff12\uff13\uff14"),
    ("2026-10-31", "2026-10-31"),
    ("bel\u00f8b 1.234.567,89 kr", "bel\u00f8b 1.234.567,89 kr"),
    ("m\u00e5lt 2026-10-31 kl. 10:30, 12345678", "m\u00e5lt 2026-10-31 kl. 10:30, 12345678"),
    ("05-02-2024", "05-02-2024"),
    ("", ""),
    # spellings a QA run found unmasked (landing, staging notes, `sources try`)
    ("010190-12 34", "[CPR]"),  # a blank between the serial's pairs
    ("ring 010190 12 34 i dag", "ring [CPR] i dag"),
    ("01 01 90 1234", "[CPR]"),  # blanks in the date
    ("cpr 01 01 90-1234.", "cpr [CPR]."),
    ("010190\u00ad1234", "[CPR]"),  # a soft hyphen
    ("010190   1234", "[CPR]"),  # three blanks
    ("01.01.90 1234", "[CPR]"),  # a dotted date and a blank
    ("010190/1234", "[CPR]"),  # a slash
    ("010190--1234", "[CPR]"),  # a doubled dash
    ("01.01.1990-1234", "[CPR]"),  # a four-digit year
    ("01-01-1990 - 1234", "[CPR]"),
    ("0101901\u200b234", "[CPR]"),  # a zero-width space inside the digits
    ("01\u200b01\u206090\ufeff12\u200d34", "[CPR]"),  # invisibles between any two
    ("010190\u20091234", "[CPR]"),  # a thin space
    ("010190\u200a-\u20091234", "[CPR]"),  # hair and thin spaces around the dash
    ("010190.1234", "[CPR]"),  # a dot
    ("note 010190\u00ad1234; 01 01 90 12 34 slut", "note [CPR]; [CPR] slut"),
    # ... and near misses that stay: a date alone, phone numbers of 8 digits (also in
    # pairs), amounts, a 31 April, a year outside 18xx-20xx, three dashes, an 11-digit
    # run in pairs, ordinary numbers
    ("født 01.01.1990", "født 01.01.1990"),
    ("01 01 90", "01 01 90"),
    ("tlf 12 34 56 78", "tlf 12 34 56 78"),
    ("tlf +45 20 11 45 67", "tlf +45 20 11 45 67"),
    ("beløb 12.345,00 kr og 101.901.234 kr", "beløb 12.345,00 kr og 101.901.234 kr"),
    ("31.04.90 1234", "31.04.90 1234"),
    ("30 02 90 1234", "30 02 90 1234"),
    ("01.01.2190-1234", "01.01.2190-1234"),
    ("010190---1234", "010190---1234"),
    ("01 01 90 12345", "01 01 90 12345"),
    ("101901234", "101901234"),  # nine digits in a text are a number
    ("2024-01-01 1234", "2024-01-01 1234"),
    # spellings a QA run found unmasked (notes and form ids in staging.measurements):
    # an underscore before the serial, the day and month joined (ddmm-yy-xxxx,
    # ddmm yy xxxx), a one-digit day or month (d.m.yy), dd/mm/19yy and a blank
    ("010185_1234", "[CPR]"),
    ("fil_010185_1234.csv", "fil_[CPR].csv"),
    ("01.01.85_1234 og 010185 _ 1234", "[CPR] og [CPR]"),
    ("0101-85-1234", "[CPR]"),
    ("cpr 0101-85 - 1234.", "cpr [CPR]."),
    ("0101 85 1234", "[CPR]"),
    ("0101\u00a085\u00a01234", "[CPR]"),
    ("1.1.85-1234", "[CPR]"),
    ("1/1/85 1234", "[CPR]"),
    ("1-1-85-1234", "[CPR]"),
    ("15.1.85-1234", "[CPR]"),
    ("1.12.85-1234", "[CPR]"),
    ("31.1.85/1234", "[CPR]"),
    ("01/01/1985 1234", "[CPR]"),
    ("født 1.1.1985-1234", "født [CPR]"),
    ("01.01.1985_1234", "[CPR]"),
    ("01 01 1985-1234", "[CPR]"),
    ("01.01.1985\u00a0\u00a01234", "[CPR]"),
    # ... masked though it may be something else: a time in the last century, as
    # dd.mm.yy hhmm above; three numbers of 4, 2 and 4 digits, the first a day and month
    ("målt 01.02.1999 1030", "målt [CPR]"),
    ("2010 87 2012", "[CPR]"),
    # ... and their near misses: an underscore after a year, an invalid day or month,
    # one-digit parts between blanks, a date and a time with a four-digit year 20yy,
    # an ISO date whose year reads as ddmm followed by a time or a number (on the next
    # line too), the end of an ISO date and a case number, school years, phone numbers
    # of 4 + 4 digits, times
    ("2024_1234", "2024_1234"),
    ("sag 2024_1234 af 2024-01-15", "sag 2024_1234 af 2024-01-15"),
    ("01-01-2024 12:34", "01-01-2024 12:34"),
    ("01012024_1234", "01012024_1234"),
    ("320185_1234", "320185_1234"),
    ("310485_1234", "310485_1234"),
    ("0113-85-1234", "0113-85-1234"),
    ("3002 85 1234", "3002 85 1234"),
    ("1.13.85-1234", "1.13.85-1234"),
    ("31.4.85-1234", "31.4.85-1234"),
    ("30.2.85 1234", "30.2.85 1234"),
    ("32.1.85-1234", "32.1.85-1234"),
    ("1 1 85 1234", "1 1 85 1234"),
    ("1.2.2024 1030 og 1.2.2024 10:30", "1.2.2024 1030 og 1.2.2024 10:30"),
    ("01/02/2024 1030", "01/02/2024 1030"),
    ("01.01.2190 1234", "01.01.2190 1234"),
    ("0101-1985-1234", "0101-1985-1234"),
    ("0101-85-12345", "0101-85-12345"),
    ("2010-03-23 20:15", "2010-03-23 20:15"),
    ("2010-03-23 20 15", "2010-03-23 20 15"),
    ("2010-03-23\n20:15", "2010-03-23\n20:15"),
    ("2010-03-23 2015", "2010-03-23 2015"),
    ("2024-03-09 2024-1234", "2024-03-09 2024-1234"),
    ("2008-03-11 2008_7478", "2008-03-11 2008_7478"),
    ("skoleår 2010/11 2012/13, 2010-11 2012-13", "skoleår 2010/11 2012/13, 2010-11 2012-13"),
    ("tlf 2011 4567", "tlf 2011 4567"),
    ("tlf 2011 4567 / 3012 8899", "tlf 2011 4567 / 3012 8899"),
    ("F0000275", "F0000275"),
    ("kl. 9.30-10.15 og 10.30-1130", "kl. 9.30-10.15 og 10.30-1130"),
    ("1.1.85", "1.1.85"),
    # a pseudonym (a hash) whose hex holds a CPR-like 0809314799 is not a CPR number
    ("P-96b0809314799c0b", "P-96b0809314799c0b"),
    # ... but the same digits outside that shape are
    ("Q-96b0809314799c0b", "Q-96b[CPR]c0b"),
    ("P-96b0809314799c0", "P-96b[CPR]c0"),  # 15 hex characters: not a pseudonym
]


@pytest.mark.parametrize(("text", "masked"), CASES)
def test_python_masking(text: str, masked: str) -> None:
    out, n = mask_cpr(text)
    assert out == masked
    assert n == masked.count("[CPR]")
    assert len(find_cpr(text)) == n


def test_python_leaves_pseudonyms_inside_a_text_alone() -> None:
    text = "P-96b0809314799c0b moved; old ref 0101901234, P-96b0809314799c0bb"
    assert mask_cpr(text) == (
        "P-96b0809314799c0b moved; old ref [CPR], P-96b[CPR]c0bb", 2
    )
    assert find_cpr(text) == ["0101901234", "0809314799"]


def test_the_digit_sets_are_unicodes() -> None:
    """DIGIT_ZEROS holds every zero of Unicode's decimal digits as Python knows them, each
    set ten digits in a row; and its sets are exactly the digits DuckDB's RE2 takes for
    \\p{Nd} (landing.cpr_or_other_digit's search), so no digit DuckDB finds is left
    unread as ASCII."""
    every = [chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF]
    zeros = [ord(c) for c in every
             if unicodedata.category(c) == "Nd" and unicodedata.decimal(c) == 0]
    assert set(zeros) <= set(DIGIT_ZEROS) and list(DIGIT_ZEROS) == sorted(DIGIT_ZEROS)
    for zero in zeros:
        assert [unicodedata.decimal(chr(zero + n)) for n in range(10)] == list(range(10))
    con = duckdb.connect()
    rows = con.execute(
        "select c from unnest($c) as u(c) where regexp_matches(c, $re)",
        {"c": every, "re": OTHER_DIGIT_RE2},
    ).fetchall()
    assert "".join(sorted(c for (c,) in rows)) == OTHER_DIGITS
    assert OTHER_DIGITS == "".join(chr(z + n) for z in DIGIT_ZEROS[1:] for n in range(10))
    assert ascii_digits(OTHER_DIGITS) == "0123456789" * (len(DIGIT_ZEROS) - 1)


def test_the_sql_patterns_are_the_python_ones() -> None:
    """transforms/sql/ddl/cpr.sql holds privacy.CPR_RE2, CPR_RE2_OR_OTHER_DIGIT and
    CPR_CORE_RE2 as they are (written from them), and the digits of OTHER_DIGITS."""
    text = (DDL_DIR / "cpr.sql").read_text(encoding="utf-8")
    assert f"landing.cpr_regex() as\n'{CPR_RE2}';" in text
    assert f"landing.cpr_or_other_digit() as\n'{CPR_RE2_OR_OTHER_DIGIT}';" in text
    assert f"landing.cpr_core_regex() as\n'{CPR_CORE_RE2}';" in text
    assert f"        '{OTHER_DIGITS}',  -- noqa: LT05\n" in text
    assert f"repeat('0123456789', {len(DIGIT_ZEROS) - 1})" in text
    con = connect(":memory:")
    ensure_schema(con)
    assert con.execute(
        "select landing.cpr_regex(), landing.cpr_or_other_digit(), landing.cpr_core_regex()"
    ).fetchone() == (CPR_RE2, CPR_RE2_OR_OTHER_DIGIT, CPR_CORE_RE2)
    every_digit = "".join(chr(zero + n) for zero in DIGIT_ZEROS for n in range(10))
    assert con.execute("select landing.ascii_digits(?)", ["x" + every_digit + "æ"]).fetchone() == (
        "x" + "0123456789" * len(DIGIT_ZEROS) + "æ",)
    assert ascii_digits(every_digit) == "0123456789" * len(DIGIT_ZEROS)


def test_a_cpr_id_in_other_digits_gives_the_same_pseudonym_digits() -> None:
    """landing.cpr_digits (id columns declared as CPR numbers): every spelling, in any
    script's digits, gives the same ten ASCII digits, so the same pseudonym."""
    con = connect(":memory:")
    ensure_schema(con)
    spellings = ["0101901234", " 010190-1234 ", "\uff10\uff11\uff10\uff11\uff19\uff10-"
                 "\uff11\uff12\uff13\uff14", "\u0660\u0661\u0660\u0661\u0669\u0660"
                 "\u0661\u0662\u0663\u0664", "010190-12\n34", "010190\u00a01234"]
    rows = con.execute("select landing.cpr_digits(t) from unnest($t) as u(t)",
                       {"t": [*spellings, "3002001234", "x0101901234", "0101901234 0202021234",
                              "\uff11\uff12\uff13", None]}).fetchall()
    assert [r[0] for r in rows] == ["0101901234"] * len(spellings) + [None] * 5


def test_blanks_are_every_unicode_space() -> None:
    """BLANKS holds every space of Unicode (category Zs: thin, hair, en, em ... spaces) and
    no character is both a blank or an invisible and a separator or a digit."""
    from datadialog.privacy import BLANKS, DATE_SEPARATORS, INVISIBLES, SERIAL_SEPARATORS

    spaces = {chr(c) for c in range(sys.maxunicode + 1)
              if unicodedata.category(chr(c)) == "Zs"}
    assert spaces <= set(BLANKS)
    assert set(BLANKS) - spaces == set("\t\r\n")
    assert not set(BLANKS + INVISIBLES) & set(SERIAL_SEPARATORS + DATE_SEPARATORS + "0123456789")
    assert {unicodedata.category(c) for c in INVISIBLES} == {"Cf"}


def test_a_cpr_id_in_the_new_spellings_gives_the_same_digits() -> None:
    """landing.cpr_digits reads the spellings a QA run found as the ten digits (a
    four-digit year without its century), so an id column of CPR numbers gives one
    pseudonym for all of them."""
    con = connect(":memory:")
    ensure_schema(con)
    spellings = ["010190-12 34", "010190 12 34", "01 01 90 1234", "01 01 90-1234",
                 "010190\u00ad1234", "010190   1234", "01.01.90 1234", "010190/1234",
                 "010190--1234", "01.01.1990-1234", "0101901\u200b234", "010190\u20091234",
                 # a QA run's: underscore, ddmm-yy-xxxx, ddmm yy xxxx, d.m.yy, dd/mm/19yy
                 "010190_1234", "0101-90-1234", "0101 90 1234", "1.1.90-1234",
                 "1/01/90 1234", "01.1.90-1234", "01/01/1990 1234", "1.1.1990_1234",
                 "0\u200b1.1.90-1234", "1.1.90-12\n34"]
    rows = con.execute("select landing.cpr_digits(t) from unnest($t) as u(t)",
                       {"t": [*spellings, "01.01.2190-1234", "010119901234", "01 01 90",
                              "1 1 90 1234", "01/01/2024 1234"]}
                       ).fetchall()
    assert [r[0] for r in rows] == ["0101901234"] * len(spellings) + [None] * 5
    # a one-digit month after a two-digit day, a one-digit day before a two-digit month
    rows = con.execute("select landing.cpr_digits(t) from unnest($t) as u(t)",
                       {"t": ["15.1.90-1234", "31.1.1990 1234", "9.12.90-1234"]}).fetchall()
    assert [r[0] for r in rows] == ["1501901234", "3101901234", "0912901234"]


def test_sql_macro_agrees_with_python() -> None:
    con = connect(":memory:")
    ensure_schema(con)
    texts = [t for t, _ in CASES]
    rows = con.execute(
        "select t, landing.mask_cpr(t), landing.count_cpr(landing.mask_cpr(t)) "
        "from unnest($texts) as u(t)",
        {"texts": texts},
    ).fetchall()
    for text, masked_sql, count in rows:
        masked_py, n = mask_cpr(text)
        assert masked_sql == masked_py, text
        assert count == n, text
    assert con.execute("select landing.mask_cpr(null)").fetchone()[0] is None


def test_key_from_environment() -> None:
    key = load_pseudonym_key(Privacy(), environ={"DATADIALOG_PSEUDONYM_KEY": KEY})
    assert key.key == KEY.encode()
    assert key.origin == "env:DATADIALOG_PSEUDONYM_KEY"
    assert not key.created and key.notice is None
    assert KEY not in repr(key)


def test_key_file_created_once_with_mode_0600(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "pseudonym.key"
    privacy = Privacy(pseudonym_key_file=str(path))
    first = load_pseudonym_key(privacy, environ={})
    assert first.created and path.exists()
    assert "Created a new pseudonym key" in (first.notice or "")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert len(path.read_text().strip()) == 64
    second = load_pseudonym_key(privacy, environ={})
    assert not second.created
    assert second.key == first.key


def test_short_key_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PseudonymKeyError, match="too short"):
        load_pseudonym_key(Privacy(), environ={"DATADIALOG_PSEUDONYM_KEY": "short"})


def test_pseudonym_is_keyed_hmac() -> None:
    expected = "P-" + hmac.new(KEY.encode(), b"B001", hashlib.sha256).hexdigest()[:16]
    assert pseudonym("B001", KEY.encode()) == expected
    assert pseudonym("  B001 ", KEY.encode()) == expected
    assert pseudonym("B001", b"another-key-0123456789") != expected
    assert pseudonym(None, KEY.encode()) is None
    assert pseudonym("  ", KEY.encode()) is None


def test_pseudonym_sql_function() -> None:
    con = duckdb.connect()
    register_pseudonym(con, KEY.encode())
    register_pseudonym(con, KEY.encode())  # registering again replaces it
    rows = con.execute("select pseudonym(r) from (values ('B001'), (null)) v(r)").fetchall()
    assert rows == [(pseudonym("B001", KEY.encode()),), (None,)]
    other = b"another-key-0123456789abcdef"
    register_pseudonym(con, other)  # another key replaces the function
    assert con.execute("select pseudonym('B001')").fetchone() == (pseudonym("B001", other),)


def test_an_empty_inbox_makes_no_key_file(tmp_path: Path, monkeypatch) -> None:
    from datadialog.config_load import load_config
    from transforms.ingest import ingest_inbox

    monkeypatch.delenv("DATADIALOG_PSEUDONYM_KEY", raising=False)
    path = tmp_path / "keys" / "pseudonym.key"
    config = load_config()
    config = config.model_copy(
        update={"privacy": config.privacy.model_copy(update={"pseudonym_key_file": str(path)})}
    )
    con = connect(tmp_path / "empty.duckdb")
    try:
        assert ingest_inbox(con, config, inbox=tmp_path / "inbox", archive=tmp_path / "a") == []
    finally:
        con.close()
    assert not path.exists()
    assert not path.parent.exists()
