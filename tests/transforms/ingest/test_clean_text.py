"""staging.clean_text (transforms/sql/ddl/staging.sql) gives what nullif(trim(s), '')
gives, for every kind of value: its fast path (ASCII values without a space at either
end returned as they are) must never skip a value trim would change."""

from __future__ import annotations

import duckdb

from transforms.schema import ensure_schema

#: Every Unicode space separator (category Zs), the ones DuckDB's trim removes.
SPACE_SEPARATORS = [" ", "\u00a0", "\u1680", *map(chr, range(0x2000, 0x200B)), "\u202f",
                    "\u205f", "\u3000"]

VALUES = [
    None, "", "a", "abc", "S00000001", "31-10-2023", "æble", "Ærø", "\t", "\ta\t", "\n",
    "a\r\n", "x y", " ", "   ", " a", "a ", " a ", "1,5", "€", "ø ", " ø", "a\u0301",
    # around the fast path's first test (s >= '!'): the bytes just below and above it
    "!", "! ", " !", "!a", "\x1fa", "\x7f", "~ ", "a\x7f", "\x00a", "\u0080a", "a\u0080",
    *SPACE_SEPARATORS,
    *(f"{s}a" for s in SPACE_SEPARATORS),
    *(f"a{s}" for s in SPACE_SEPARATORS),
    *(f"{s}æ{s}" for s in SPACE_SEPARATORS),
    *(f"{s}{s}" for s in SPACE_SEPARATORS),
]


def test_clean_text_is_nullif_trim() -> None:
    con = duckdb.connect()
    ensure_schema(con)
    con.execute("create table v (s varchar)")
    con.executemany("insert into v values (?)", [[v] for v in VALUES])
    rows = con.execute(
        "select s, staging.clean_text(s), nullif(trim(s), '') from v"
    ).fetchall()
    assert len(rows) == len(VALUES)
    differing = [(s, fast, plain) for s, fast, plain in rows if fast != plain]
    assert differing == []
    # and the fast path is taken only where it may be: a space at an end is removed
    assert con.execute("select staging.clean_text(' a\u3000')").fetchone()[0] == "a"
    assert con.execute("select staging.clean_text('\u00a0')").fetchone()[0] is None


NUMBER_TEXTS = [None, "", "9", "12", "1,5", "1.5", "1.234,5", "1,2,3", ",", ".", "-3,0", "1e3",
                " 4 ", "æ", "1,5e2"]


def test_number_text_is_the_comma_replaced_unless_there_is_a_point() -> None:
    """staging.number_text returns a text without a comma as it is (no replace): the
    same as replacing every comma, for both decimal marks."""
    con = duckdb.connect()
    ensure_schema(con)
    con.execute("create table v (t varchar)")
    con.executemany("insert into v values (?)", [[v] for v in NUMBER_TEXTS])
    for mark in (",", "."):
        rows = con.execute(
            "select t, staging.number_text(t, ?), case when regexp_matches(t, '[eE]') then "
            "null when ? <> ',' then t "
            "when not contains(t, '.') then replace(t, ',', '.') end from v",
            [mark, mark],
        ).fetchall()
        assert len(rows) == len(NUMBER_TEXTS)
        assert [(t, fast) for t, fast, plain in rows if fast != plain] == []
    values = dict(con.execute("select t, staging.number_text(t, ',') from v").fetchall())
    assert values["1,5"] == "1.5" and values["9"] == "9" and values["1.5"] is None
    # an exponent is not a number of an export (Excel's scientific notation rounds)
    assert values["1e3"] is None and values["1,5e2"] is None
    assert con.execute("select staging.to_int('1E3', '.'), staging.to_number('2e0', '.'), "
                       "staging.to_number('12', '.')").fetchone() == (None, None, 12.0)
