"""Row-level quality rules on hand-made staging rows (demo config, as-of 2025-10-01).

Every expected failure below is worked out by hand from the rows and the instrument and
plan config (ORS items 0-10, ASI 0-4, SDQ 0-2; plan tolerances and follow-ups).
"""

from __future__ import annotations

from datetime import date

import duckdb
import ibis
import pytest

from checks import schemas as schema_pkg
from checks.run import CheckRun, _failure_columns, _row_failures, failing_rows, run_checks
from checks.settings import CheckSettings
from datadialog.config_load import load_config
from tests.support.checks import build_and_check, insert_rows, pseudonym
from tests.support.staging import StagingWriter

AS_OF = date(2025, 10, 1)


@pytest.fixture(scope="module")
def config():
    return load_config()


@pytest.fixture(scope="module")
def checked(tmp_path_factory, config) -> tuple[duckdb.DuckDBPyConnection, CheckRun]:
    con = duckdb.connect(str(tmp_path_factory.mktemp("rules") / "rules.duckdb"))
    w = StagingWriter(con)
    # out of range: ORS item 3 = 11 (0-10), ASI item 7 = 5 (0-4); R3 sits on the limits
    w.course("C_RANGE", pseudonym(1), "voksenstoette", "2025-03-03", team_id="voksen_oest")
    w.form("R1", "C_RANGE", "ors", "2025-03-03", [5, 6, 11, 8], staff_id="s1")
    w.form("R2", "C_RANGE", "asi", "2025-03-03", [1, 2, 3, 2, 1, 2, 5], staff_id="s1")
    w.form("R3", "C_RANGE", "ors", "2025-06-01", [10, 0, 10, 0], staff_id="s1")
    # dates: D1 14 days before start; D3 after the as-of date (not after the end: the
    # spaedbarn fu6 point allows 182 + 30 x 3 = 272 days after the end)
    w.course(
        "C_DATES", pseudonym(2), "spaedbarn", "2025-02-03", "2025-04-30", "completed_planned",
        team_id="familie_nord",
    )
    w.form("D1", "C_DATES", "ors", "2025-01-20", [5, 5, 6, 6], staff_id="s2")
    w.form("D2", "C_DATES", "srs", "2025-02-03", [8, 9, 8, 9], staff_id="s2")
    w.form("D3", "C_DATES", "ors", "2025-10-05", [6, 6, 7, 7], staff_id="s2")
    # after the end: boernegrupper allows 182 + 30 x 3 = 272 days; A1 is 290 days after
    w.course(
        "C_AFTER", pseudonym(3), "boernegrupper", "2024-01-08", "2024-03-31", "completed_planned",
        team_id="boern_vest",
    )
    w.form("A1", "C_AFTER", "ors", "2025-01-15", [4, 5, 6, 7], staff_id="s3")
    # near duplicates: DU2 is DU1 one day later with item 4 one point off; DU4 copies DU3
    # four days later (outside the default 2 days)
    w.course("C_DUP", pseudonym(4), "voksenstoette", "2025-05-05", team_id="voksen_vest")
    w.form("DU1", "C_DUP", "ors", "2025-05-05", [5, 6, 7, 8], staff_id="s4")
    w.form("DU2", "C_DUP", "ors", "2025-05-06", [5, 6, 7, 9], staff_id="s4")
    w.form("DU3", "C_DUP", "srs", "2025-05-05", [8, 8, 9, 9], staff_id="s4")
    w.form("DU4", "C_DUP", "srs", "2025-05-09", [8, 8, 9, 9], staff_id="s4")
    # straight lines: ASI (7 items) all 2 is flagged; ORS (4 items) all 5 is not
    w.course("C_LINE", pseudonym(5), "voksenstoette", "2025-05-05", team_id="voksen_vest")
    w.form("L1", "C_LINE", "asi", "2025-05-05", [2] * 7, staff_id="s5")
    w.form("L2", "C_LINE", "ors", "2025-05-05", [5] * 4, staff_id="s5")
    # schema: unknown rater role, item 9 on a 4-item ORS, unknown team, bad gender
    w.course("C_SCHEMA", pseudonym(6), "ungepraktik", "2025-04-01", team_id="nowhere")
    w.form("S1", "C_SCHEMA", "ors", "2025-04-01", {1: 5, 9: 5}, staff_id="s6",
           rater_role="robot")
    w.citizen("not-a-pseudonym", gender="x", birth_year=1990)
    # orphans: a form of a course that is not staged
    w.form("O1", "C_MISSING", "ors", "2025-04-01", [5, 5, 5, 5], staff_id="s7")
    w.flush()
    insert_rows(con, "goal_ratings", [{"goal_id": "G-none", "rated_on": date(2025, 5, 1),
                                       "score": 3}])
    insert_rows(con, "costs", [{"intervention_id": "spaedbarn", "quarter": "2025Q1",
                                "cost_type": "staff", "amount_dkk": 100.0}])
    run = build_and_check(con, config, AS_OF)
    return con, run


def failing(con, run: CheckRun, rule_id: str, key: str = "form_id", table: str = "%") -> list:
    rows = con.execute(
        f"select {key} from quality.failures where run_id = ? and rule_id = ? "
        "and table_name like ? order by 1",
        [run.run_id, rule_id, table],
    ).fetchall()
    return [r[0] for r in rows]


def test_out_of_range_names_form_and_item(checked):
    con, run = checked
    key = "form_id || '#' || item_no"
    assert failing(con, run, "out_of_range", key, "staging.measurements") == ["R1#3", "R2#7"]
    assert run.result("out_of_range", "staging.measurements").severity == "error"


def test_out_of_range_of_a_gas_level(checked):
    con, run = checked
    rows = con.execute(
        "select table_name, reason from quality.failures where run_id = ? "
        "and rule_id = 'out_of_range' and table_name = 'staging.goal_ratings'",
        [run.run_id],
    ).fetchall()
    assert rows == [("staging.goal_ratings", "score outside -2..2 (goal_id=G-none, score=3)")]


def test_dates_against_course_and_as_of(checked):
    con, run = checked
    assert failing(con, run, "measurement_before_start") == ["D1"]
    assert failing(con, run, "measurement_in_future") == ["D3"]
    assert failing(con, run, "measurement_after_end") == ["A1"]
    observed = con.execute(
        "select observed from quality.failures where run_id = ? and rule_id = ?",
        [run.run_id, "measurement_before_start"],
    ).fetchone()[0]
    assert observed == 14


def test_near_duplicate_lists_the_later_copy(checked):
    con, run = checked
    assert failing(con, run, "near_duplicate") == ["DU2"]
    reason = con.execute(
        "select reason from quality.failures where run_id = ? and rule_id = 'near_duplicate'",
        [run.run_id],
    ).fetchone()[0]
    assert reason == (
        "near copy of form DU1 (1 days apart, 3 of 4 answers identical, 4 within tolerance)"
    )


def test_straight_lined_only_on_long_instruments(checked):
    con, run = checked
    assert failing(con, run, "straight_lined") == ["L1"]


def test_schema_checks_name_rule_and_row(checked):
    con, run = checked
    assert failing(con, run, "item_not_in_instrument", "form_id || '#' || item_no") == ["S1#9"]
    rows = con.execute(
        "select rule_id, table_name, reason from quality.failures where run_id = ? "
        "and rule_id in ('schema', 'unknown_reference') order by table_name, reason",
        [run.run_id],
    ).fetchall()
    role = "rater_role is not one of citizen, staff, parent, teacher (rater_role=robot)"
    assert rows == [
        ("schema", "staging.citizens", "citizen_id is not a pseudonym (P- and 16 hex characters)"),
        ("schema", "staging.citizens", "gender is not one of female, male, other (gender=x)"),
        ("schema", "staging.costs", "quarter is not written YYYY-Qn (quarter=2025Q1)"),
        ("unknown_reference", "staging.courses",
         "team_id is not a team in the config (team_id=nowhere)"),
        ("schema", "staging.measurements", role),
        ("schema", "staging.measurements", role),
    ]  # fmt: skip


def test_orphans(checked):
    con, run = checked
    # O1's course and G-none's goal are not staged; a citizen without a course is fine
    assert failing(con, run, "orphan_row", "table_name || ':' || coalesce(form_id, '-')") == [
        "staging.goal_ratings:-",
        "staging.measurements:O1",
    ]


def test_results_count_what_was_checked(checked):
    con, run = checked
    # 15 forms staged (R1-R3, D1-D3, A1, DU1-DU4, L1-L2, S1, O1)
    res = run.result("measurement_before_start")
    assert (res.n_checked, res.n_failed, res.status) == (15, 1, "fail")
    stored = con.execute(
        "select n_checked, n_failed, failure_rate, status from quality.results "
        "where run_id = ? and rule_id = 'near_duplicate'",
        [run.run_id],
    ).fetchone()
    assert stored == (15, 1, pytest.approx(1 / 15), "warn")


def test_failures_carry_scope_and_lineage(checked):
    con, run = checked
    row = con.execute(
        "select intervention_id, team_id, course_id, file_name, row_no from quality.failures "
        "where run_id = ? and rule_id = 'measurement_before_start'",
        [run.run_id],
    ).fetchone()
    assert row[:4] == ("spaedbarn", "familie_nord", "C_DATES", "hand-made")
    first_row = con.execute(
        "select min(row_no) from staging.measurements where form_id = 'D1'"
    ).fetchone()[0]
    assert row[4] == first_row


def test_changing_near_duplicate_days_changes_the_outcome(checked, config):
    con, _ = checked
    wider = CheckSettings.from_config(config, near_duplicate_days=5)
    run = run_checks(con, config, settings=wider)
    assert failing(con, run, "near_duplicate") == ["DU2", "DU4"]
    exact = CheckSettings.from_config(config, near_duplicate_item_tolerance=0.0)
    run = run_checks(con, config, settings=exact)
    # DU2 differs in one of four items: 3/4 = 0.75 below the 0.8 share when only exact
    # answers count as equal
    assert failing(con, run, "near_duplicate") == []


def test_changing_before_start_grace_changes_the_outcome(checked, config):
    con, _ = checked
    run = run_checks(con, config, settings=CheckSettings.from_config(
        config, before_start_grace_days=14))
    assert failing(con, run, "measurement_before_start") == []


def test_a_form_restaged_in_part_names_one_real_record(tmp_path, config):
    """A correction export restages one of a form's rows: the failure names that row's
    file and record number as a pair, never one export's file with another's row."""
    con = duckdb.connect(str(tmp_path / "lineage.duckdb"))
    w = StagingWriter(con)
    w.course(
        "C_DATES", pseudonym(2), "spaedbarn", "2025-02-03", "2025-04-30", "completed_planned",
        team_id="familie_nord",
    )
    w.form("D1", "C_DATES", "ors", "2025-01-20", [5, 5, 6, 6], staff_id="s2")
    w.flush()
    con.execute(
        "insert into staging.loads (load_id, batch_id, source_id, file_name, sha256, "
        "started_at, status) values ('fix', 'fix', 'test', 'rettelse.csv', '', "
        "timestamp '2025-05-01 08:00:00', 'loaded')"
    )
    # item 4 came again, alone, as record 1 of the correction; items 1-3 keep their
    # records (2 and up) of the hand-made load
    con.execute("update staging.measurements set row_no = row_no + 10")
    con.execute(
        "update staging.measurements set load_id = 'fix', row_no = 1 "
        "where form_id = 'D1' and item_no = 4"
    )
    run = build_and_check(con, config, AS_OF)
    row = con.execute(
        "select file_name, row_no from quality.failures "
        "where run_id = ? and rule_id = 'measurement_before_start'",
        [run.run_id],
    ).fetchone()
    assert row == ("rettelse.csv", 1)


def test_row_checks_in_one_query_find_what_each_check_finds(checked, config):
    """checks.run.failing_rows (every row check of a table in one scan) returns, check
    by check, the same rows as that check's own Pandera failure cases."""

    from checks.run import failing_rows
    from checks.schemas import stg_measurements

    con, _ = checked
    table = ibis.duckdb.from_connection(con).table("measurements", database="staging")
    schema = stg_measurements.build(config, AS_OF)
    found = failing_rows(table, schema.checks)
    assert [check.name for check, _ in found] == [check.name for check in schema.checks]
    by_reason = {}
    for check, cases in found:
        own = check(table).failure_cases.to_pyarrow()
        assert cases.column_names == own.column_names
        assert sorted(cases.to_pylist(), key=repr) == sorted(own.to_pylist(), key=repr)
        by_reason[check.error] = sorted(f"{r['form_id']}#{r['item_no']}" for r in cases.to_pylist())
    # R1 item 3 = 11 on ORS (0-10), R2 item 7 = 5 on ASI (0-4); S1 answers item 9 of the
    # 4-item ORS and is rated by a 'robot' (both its rows)
    assert by_reason["value outside the instrument's item_min..item_max"] == ["R1#3", "R2#7"]
    assert by_reason["item_no beyond the instrument's number of items (n_items)"] == ["S1#9"]
    assert by_reason["rater_role is not one of citizen, staff, parent, teacher"] == [
        "S1#1", "S1#9"
    ]
    assert by_reason["item_no below 1"] == []


def test_failure_rows_read_from_the_needed_columns_are_the_same(checked, config):
    """run_schemas fetches a failing row's keys, dates, observed values and shown values
    only (no free text): the failure rows are those made from the whole rows."""
    con, _ = checked
    settings = CheckSettings.from_config(config)
    backend = ibis.duckdb.from_connection(con)
    n_rows = 0
    for module in schema_pkg.modules():
        schema_name, name = module.TABLE.split(".")
        table = backend.table(name, database=schema_name)
        checks = module.build(config, AS_OF).checks
        columns = _failure_columns(table, checks)
        if module.TABLE == "staging.measurements":
            assert "note" in table.columns and "note" not in columns
        rows = {}
        for label, chosen in (("all", None), ("needed", columns)):
            rows[label] = [
                row
                for check, cases in failing_rows(table, checks, chosen)
                for row in _row_failures(check, module.TABLE, settings, cases)
            ]
        assert rows["needed"] == rows["all"], module.TABLE
        n_rows += len(rows["all"])
    assert n_rows >= 4  # out of range (2), item beyond the instrument, rater role (2)


def _pandera_column_failures(table, schema, settings):
    """What Pandera's own validation of the whole schema reports (two queries per
    non-nullable column), as failure rows."""
    from pandera.errors import SchemaErrors
    from pandera.ibis import DataFrameSchema

    from checks.run import _column_failure

    try:
        DataFrameSchema(schema.columns, name=schema.name).validate(table, lazy=True)
    except SchemaErrors as exc:
        return [_column_failure(err, "staging.costs", settings) for err in exc.schema_errors]
    return []


@pytest.mark.parametrize("case", ["nulls and NaN", "a wrong type and a missing column",
                                  "clean"])
def test_column_rules_in_one_query_report_what_pandera_reports(config, case):
    """checks.run.column_failures (nulls of every non-nullable column counted in one
    query, types by Pandera) gives the same failure rows as Pandera validating the
    whole schema. staging.costs: intervention_id, quarter, cost_type and amount_dkk
    are not nullable; hours is."""

    from checks.run import column_failures
    from checks.schemas import stg_costs

    rows = {
        "nulls and NaN": """
            select * from (values
                ('spaedbarn', '2025-Q1', 'staff', 100.0, 2.0),
                (null, '2025-Q1', 'staff', 'nan'::double, null),
                (null, null, 'fixed', null, null),
                ('spaedbarn', '2025-Q2', 'fixed', 5.0, 'nan'::double)
            ) t(intervention_id, quarter, cost_type, amount_dkk, hours)""",
        "a wrong type and a missing column": """
            select * from (values ('spaedbarn', '2025-Q1', '100', 1.0),
                                  ('spaedbarn', '2025-Q2', null, 2.0)
            ) t(intervention_id, quarter, amount_dkk, hours)""",
        "clean": """
            select * from (values ('spaedbarn', '2025-Q1', 'staff', 100.0, null)
            ) t(intervention_id, quarter, cost_type, amount_dkk, hours)""",
    }[case]
    con = duckdb.connect()
    con.execute(f"create table raw as {rows}")
    # typed as staging.costs types them (the wrong type: amount_dkk as text)
    con.execute("create table costs as select * replace (amount_dkk::"
                + ("varchar" if case.startswith("a wrong") else "double")
                + " as amount_dkk, hours::double as hours) from raw")
    table = ibis.duckdb.from_connection(con).table("costs")
    schema = stg_costs.build(config, AS_OF)
    settings = CheckSettings.from_config(config)
    n_checked, found = column_failures(table, schema, "staging.costs", settings)
    expected = _pandera_column_failures(table, schema, settings)
    assert n_checked == {"nulls and NaN": 4, "a wrong type and a missing column": 2,
                         "clean": 1}[case]
    assert sorted(found, key=repr) == sorted(expected, key=repr)
    reasons = sorted(r["reason"] for r in found)
    if case == "nulls and NaN":
        # NaN counts as null (row 2's amount); hours is nullable, its NaN is fine
        assert reasons == [
            "column amount_dkk: not_nullable failed (2 rows)",
            "column intervention_id: not_nullable failed (2 rows)",
            "column quarter: not_nullable failed (1 row)",
        ]
        assert sorted(r["observed"] for r in found) == [1.0, 2.0, 2.0]
    elif case == "clean":
        assert found == []
    else:
        # cost_type missing; amount_dkk text (and its null counted, as Pandera does)
        assert reasons == [
            "column amount_dkk: expected type float64, found string",
            "column amount_dkk: not_nullable failed (1 row)",
            "column cost_type: missing",
        ], reasons
