"""End to end on the demo data: generate (seed 42, 400 courses, mixed formats, as of
2026-10-31) -> ingest into a temp database -> build -> check. Every defect the manifest
plants for the ``check`` stage must be found by the rule named after its kind
(recall 1), the rule must flag nothing else (precision 1), and no clean row may be
flagged as an error.

Lateness of the team the manifest plants as late on purpose (effect
``late_collection``) is expected, not a defect: late_measurement rows on its courses are
left out of the precision. The report must name the planted high-rating staff member
(effect ``rater_bias``) and the late team.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from checks.report import quality_summary
from checks.run import run_checks
from datadialog.config_load import load_config
from datadialog.db import connect

AS_OF = date(2026, 10, 31)

#: manifest defect kind -> (rule id, the keys that identify a planted row)
RULES = {
    "missing_measurement": ("missing_measurement", ("course_ref", "instrument_id", "point")),
    "late_measurement": ("late_measurement", ("form_ref",)),
    "near_duplicate": ("near_duplicate", ("form_ref",)),
    "out_of_range": ("out_of_range", ("form_ref", "item_no")),
    "straight_lined": ("straight_lined", ("form_ref",)),
    "measurement_before_start": ("measurement_before_start", ("form_ref",)),
    "measurement_in_future": ("measurement_in_future", ("form_ref",)),
}
#: manifest key -> quality.failures column
COLUMNS = {"course_ref": "course_id", "form_ref": "form_id", "instrument_id": "instrument_id",
           "point": "point_id", "item_no": "item_no"}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from demo import generate
    from transforms.build import build
    from transforms.ingest import ingest_files

    root = tmp_path_factory.mktemp("demo")
    manifest = generate(root / "exports", seed=42, courses=400, fmt="mixed", as_of=AS_OF)
    config = load_config()
    exports = sorted(p for p in (root / "exports").iterdir() if p.name != "manifest.json")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(config.privacy.pseudonym_key_env, "demo-test-key-0123456789abcdef")
        con = connect(root / "demo.duckdb")
        reports = ingest_files(con, exports, config)
    assert all(r.status == "loaded" for r in reports), [r.status for r in reports]
    build(con, config, as_of=AS_OF)
    run = run_checks(con, config)
    data = json.loads((root / "exports" / "manifest.json").read_text(encoding="utf-8"))
    yield con, config, run, data, manifest
    con.close()


def _planted(data: dict, kind: str) -> set[tuple]:
    keys = RULES[kind][1]
    return {
        tuple(d[k] for k in keys)
        for d in data["defects"]
        if d["kind"] == kind and d["stage"] == "check"
    }


def _flagged(con, run_id: str, kind: str, skip_courses: set[str]) -> set[tuple]:
    rule_id, keys = RULES[kind]
    columns = ", ".join(COLUMNS[k] for k in keys)
    rows = con.execute(
        f"select {columns}, course_id from quality.failures where run_id = ? and rule_id = ?",
        [run_id, rule_id],
    ).fetchall()
    return {row[:-1] for row in rows if row[-1] not in skip_courses}


def test_every_planted_defect_is_found_and_nothing_else(demo):
    con, _, run, data, _ = demo
    late_effect = next(e for e in data["effects"] if e["kind"] == "late_collection")
    expected_late = set(late_effect["course_refs"])
    lines, scores = [], {}
    for kind in RULES:
        planted = _planted(data, kind)
        skip = expected_late if kind == "late_measurement" else set()
        flagged = _flagged(con, run.run_id, kind, skip)
        found = planted & flagged
        precision = len(found) / len(flagged) if flagged else 1.0
        recall = len(found) / len(planted) if planted else 1.0
        scores[kind] = (precision, recall)
        lines.append(
            f"{kind:26} planted {len(planted)}  flagged {len(flagged)}  "
            f"precision {precision:.2f}  recall {recall:.2f}"
            + (f"  missed {sorted(planted - flagged)}" if planted - flagged else "")
            + (f"  extra {sorted(flagged - planted)[:5]}" if flagged - planted else "")
        )
    print("\n" + "\n".join(lines))
    assert all(_planted(data, kind) for kind in RULES), "the manifest plants every kind"
    assert scores == {kind: (1.0, 1.0) for kind in RULES}, "\n".join(lines)


def test_no_clean_row_is_an_error(demo):
    con, _, run, data, _ = demo
    planted_forms = {d["form_ref"] for d in data["defects"] if "form_ref" in d}
    planted_courses = {d["course_ref"] for d in data["defects"] if "course_ref" in d}
    errors = con.execute(
        "select rule_id, course_id, form_id, reason from quality.failures "
        "where run_id = ? and severity = 'error'",
        [run.run_id],
    ).fetchall()
    clean = [
        e for e in errors
        if e[2] not in planted_forms and (e[2] is not None or e[1] not in planted_courses)
    ]
    assert errors, "the planted errors are there"
    assert clean == []


def test_the_late_team_is_expected_lateness(demo):
    con, _, run, data, _ = demo
    late_effect = next(e for e in data["effects"] if e["kind"] == "late_collection")
    teams = con.execute(
        "select team_id, count(*) from quality.failures where run_id = ? "
        "and rule_id = 'late_measurement' group by team_id order by 2 desc",
        [run.run_id],
    ).fetchall()
    assert teams[0][0] == late_effect["team"]


def test_the_report_names_the_high_rater_and_the_late_team(demo):
    con, config, run, data, _ = demo
    bias = next(e for e in data["effects"] if e["kind"] == "rater_bias")
    late = next(e for e in data["effects"] if e["kind"] == "late_collection")
    summary = quality_summary(con, config, run.run_id)
    assert bias["staff_id"] in summary.flagged_staff
    assert summary.flagged_staff == [bias["staff_id"]]
    assert summary.late_teams == [late["team"]]


def test_forms_land_on_the_points_the_generator_planned(demo):
    """Point assignment against the generator's own plan: every assigned form of the
    demo goes to the measurement point and due date the generator drew it for, so
    timeliness and the late_measurement count rest on the right dates."""
    from datetime import timedelta

    from demo.model import build_core

    con, config, _, _, _ = demo
    forms = build_core(42, 400, AS_OF, config).forms.columns
    epoch = date(1970, 1, 1)
    planned = {
        (ref, instrument): (point, epoch + timedelta(days=int(due)))
        for ref, instrument, point, due in zip(
            forms["form_ref"], forms["instrument_id"], forms["_point"], forms["_due"],
            strict=True,
        )
    }
    assigned = con.execute(
        "select form_id, instrument_id, point_id, due_date from int_form_points "
        "where point_id is not null"
    ).fetchall()
    known = [a for a in assigned if (a[0], a[1]) in planned]
    assert len(known) > 3000 and len(known) >= 0.99 * len(assigned)
    wrong = [a for a in known if planned[(a[0], a[1])] != (a[2], a[3])]
    assert wrong == []


#: Every failing row of a run that a gate reads, one by one (what the gates read before
#: the database counted them: the reference below scans these rows for every scope).
ALL_FAILURES = """
select rule_id, severity, intervention_id, team_id, reason, observed, staff_id,
       instrument_id, point_id
from quality.failures where run_id = ? and severity <> 'info'
order by rule_id, intervention_id nulls first, team_id nulls first, staff_id nulls first,
         instrument_id nulls first, point_id nulls first, observed nulls first, reason
"""


def _reference_gates(con, run_id, config, settings, rules):
    """The gates as decided by one scan of every row per scope (the code before the
    failures were counted in the database and placed on their scopes in one pass)."""
    from collections import defaultdict

    from checks import schemas as schema_pkg
    from checks.run import (
        ALL_FIGURES,
        RATE_RULES,
        UNSCOPED_RULES,
        Gate,
        _rate_group,
        _scopes,
        _what,
    )
    from checks.texts import caveat
    from datadialog.names import short_name

    language = config.organisation.language
    rows = con.execute(ALL_FAILURES, [run_id]).fetchall()
    gates = {}
    for kind, sid in _scopes(config):
        mine = [r for r in rows if kind == "organisation" or r[0] in UNSCOPED_RULES
                or (kind == "intervention" and r[2] == sid) or (kind == "team" and r[3] == sid)]
        errors, warnings = defaultdict(int), defaultdict(list)
        for r in mine:
            if r[0] in RATE_RULES and not _rate_group(r[4]).startswith(
                    "all" if kind == "organisation" else f"{kind} "):
                continue
            if r[1] == "error" and settings.errors_block:
                errors[r[0]] += 1
            else:
                warnings[r[0]].append((r[4], r[5], r[6], r[7], r[8]))
        reasons = []
        for rule_id, n in sorted(errors.items()):
            rule = rules.get(rule_id)
            description, fix = ((rule.description, rule.fix) if rule
                                else schema_pkg.RULE_DOCS.get(rule_id, ("", "")))
            failing = "1 row fails" if n == 1 else f"{n} rows fail"
            reasons.append(f"{failing} {rule_id}: {description} Fix: {fix}")
        caveats = defaultdict(list)
        for rule_id, found in sorted(warnings.items()):
            rule = rules.get(rule_id)
            target = {"completeness_below_target": settings.completeness_target,
                      "timeliness_below_target": settings.timeliness_target}.get(rule_id, 0.0)
            names = {i.id: short_name(i.name) for i in config.instruments}
            text = caveat(rule_id, len(found), _what(rule_id, found, language, names),
                          language, target=round(100 * target))
            for figure in rule.figures if rule else ("all",):
                caveats[ALL_FIGURES if figure == "all" else figure].append(text)
        gates[(kind, sid)] = Gate(kind, sid, blocked=bool(errors), reasons=tuple(reasons),
                                  caveats={k: tuple(v) for k, v in caveats.items()})
    return gates


@pytest.mark.parametrize("errors_block", [True, False])
@pytest.mark.parametrize("language", ["da", "en"])
def test_gates_are_those_of_a_scan_of_every_row_per_scope(demo, errors_block, language):
    """The gates count the failures in the database and place them on their scopes in
    one pass; on the demo's run (errors, rates per scope, quarantine, rater drift,
    thousands of warnings) they are exactly the gates of a scan of every row per scope."""
    from checks.run import decide_gates, discover_rules
    from checks.settings import CheckSettings

    con, config, run, _, _ = demo
    config = config.model_copy(update={"organisation": config.organisation.model_copy(
        update={"language": language})})
    settings = CheckSettings.from_config(config, errors_block=errors_block)
    rules = {r.rule_id: r for r in discover_rules()}
    kinds = {r[0] for r in con.execute(ALL_FAILURES, [run.run_id]).fetchall()}
    assert {"timeliness_below_target", "quarantined_records", "rater_drift",
            "late_measurement", "out_of_range"} <= kinds
    expected = _reference_gates(con, run.run_id, config, settings, rules)
    gates = decide_gates(con, run.run_id, config, settings, rules)
    assert list(gates) == list(expected)
    assert gates == expected
    assert any(g.blocked for g in gates.values()) == errors_block
    assert sum(len(g.caveats) for g in gates.values()) > 20
