"""A quality run reads built tables (the int_check_* models hold the staged rows the
rules check): an export loaded after the last build is brought in first, so the checks
never judge yesterday's rows."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from datadialog.config_load import load_config
from datadialog.db import connect
from pipeline.quality import ensure_built, loaded_since_build, run_quality
from tests.support.meetings import PSEUDONYM_KEY, copy_database, demo_database
from transforms.ingest import ingest_files
from transforms.sqltext import literal

#: One known form of the demo, again under a new form id, dated after the as-of date.
NEW_FORM_SQL = """
copy (
    with old as (
        select * from read_csv({source}, delim = ';', header = true, all_varchar = true,
                              encoding = 'latin-1', null_padding = true, parallel = false)
        where ForloebID is not null  -- the trailer line (row count)
    )
    select * replace ('NY-FREMTID' as SkemaID, {dated} as Dato)
    from old
    where SkemaID = (select min(SkemaID) from old)
) to {target} (delimiter ';', header true)
"""


def future_form_export(exports: Path, folder: Path, dated: date) -> tuple[Path, int]:
    """A measurement export (as fagsystem A writes it: Windows-1252, CRLF, a row-count
    trailer) holding one new form dated ``dated``; returns it and its item rows."""
    source = next(exports.glob("a_maalinger_*.csv"))
    utf8 = folder / "new.utf8.csv"
    con = connect(":memory:")
    try:
        con.execute(NEW_FORM_SQL.format(source=literal(str(source)), target=literal(str(utf8)),
                                        dated=literal(f"{dated:%d-%m-%Y}")))
    finally:
        con.close()
    lines = utf8.read_text(encoding="utf-8").splitlines()
    n_rows = len(lines) - 1
    lines.append(f"Antal rækker: {n_rows}")
    export = folder / "a_maalinger_20261201.csv"
    export.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    return export, n_rows


def test_a_load_after_the_build_is_built_before_the_checks(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATADIALOG_PSEUDONYM_KEY", PSEUDONYM_KEY)
    base = tmp_path_factory.getbasetemp()
    db = copy_database(demo_database(base), tmp_path / "db")
    config = load_config()
    con = connect(db)
    try:
        first = run_quality(con, config)
        assert first.built is False  # built after the last load: nothing to do
        as_of = con.execute("select as_of_date from ref.settings").fetchone()[0]
        n_forms = con.execute("select count(*) from int_form_headers").fetchone()[0]
        export, n_rows = future_form_export(base / "meetings-demo" / "exports", tmp_path,
                                            as_of + timedelta(days=30))
        assert n_rows > 1  # every item row of the copied form
        [report] = ingest_files(con, [export], config)
        assert (report.status, report.rows_staged) == ("loaded", n_rows)
        assert loaded_since_build(con)

        second = run_quality(con, config)

        assert second.built is True
        assert not loaded_since_build(con)
        assert con.execute("select mode from build_state.runs order by finished_at desc "
                           "limit 1").fetchone() == ("incremental",)
        assert con.execute("select count(*) from int_form_headers").fetchone()[0] == n_forms + 1
        # the new form is judged: one more form dated after the as-of date, 30 days on
        assert (second.check.n_failed("measurement_in_future")
                == first.check.n_failed("measurement_in_future") + 1)
        assert con.execute(
            "select observed from quality.failures where run_id = ? and form_id = 'NY-FREMTID' "
            "and rule_id = 'measurement_in_future'", [second.check.run_id]
        ).fetchall() == [(30.0,)]
        # nothing loaded since: the next run builds nothing
        assert ensure_built(con, config) is False
    finally:
        con.close()


def test_a_build_by_older_models_is_built_again_before_the_checks(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a database built before int_check_scores carried each total's previous total
    # (which rule implausible_jump reads), then the software updated: no export since
    monkeypatch.setenv("DATADIALOG_PSEUDONYM_KEY", PSEUDONYM_KEY)
    db = copy_database(demo_database(tmp_path_factory.getbasetemp()), tmp_path / "db")
    config = load_config()
    con = connect(db)
    try:
        con.execute("alter table int_check_scores drop column previous_score")
        con.execute("update build_state.runs set fingerprint = 'models of an older version'")
        assert not loaded_since_build(con)

        run = run_quality(con, config)

        assert run.built is True
        assert con.execute("select mode from build_state.runs order by finished_at desc "
                           "limit 1").fetchone() == ("full",)
        assert run.check.result("implausible_jump", "int_scores").n_checked > 0
        assert ensure_built(con, config) is False  # built with these models: nothing to do
    finally:
        con.close()
