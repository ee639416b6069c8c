"""Read a pack's data object from the marts (thin: one query file per question).

The queries live in ``outputs/queries/*.sql`` and take named parameters (``$team_id``);
:func:`query` runs one by file name. Each ``gather_*`` function takes a DuckDB
connection and the config and returns the plain data object its builder needs, so the
builders stay testable without a database and the marts stay the only source of numbers.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from outputs.agenda import choose_agenda
from outputs.citizen_pack import (
    AllianceSignal,
    CitizenCase,
    CitizenGoal,
    CitizenPackData,
    FlagReason,
    InstrumentSeries,
    KikElement,
    ScorePoint,
)
from outputs.claims import differ_clearly, round_to, wilson_interval
from outputs.common import AgreementItem, Roles, scale_from_config
from outputs.course_slides import ExpectedCourseData, GroupVsExpected, ValidationRow, VsExpected
from outputs.intervention_pack import (
    FIDELITY_LEVELS,
    GOAL_CATEGORIES,
    AreaAttainment,
    CoreElementInfo,
    DataBasis,
    FidelityLevel,
    GroupComparison,
    GroupStat,
    InterventionPackData,
    NodeValue,
    PointSeries,
    QualityNote,
    Stat,
    map_from_config,
)
from outputs.since_last import (
    ChangeSummary,
    Reading,
    RefusedItem,
    SinceItem,
    change_counts,
    data_since,
    named_reading,
)
from outputs.texts import t
from outputs.trials import FLAT_SHARE, MonthMean, TrialRun

QUERY_DIR = Path(__file__).parent / "queries"
#: Outcome instruments drawn in the progression section at most.
MAX_PROGRESSION_INSTRUMENTS = 2
#: Citizens left off a full agenda named on it, the first in line for next time.
FIRST_IN_LINE = 3


def query(con, name: str, **params: Any) -> list[dict[str, Any]]:
    """Run ``outputs/queries/<name>.sql`` with named parameters; rows as dicts."""
    sql = (QUERY_DIR / f"{name}.sql").read_text(encoding="utf-8")
    cur = con.execute(sql, params)
    columns = [d[0] for d in cur.description]
    return [dict(zip(columns, row, strict=True)) for row in cur.fetchall()]


def _refused(con, meeting_id: str | None, meeting_date: date, agreed_on: date | None
             ) -> list[tuple[date, RefusedItem]]:
    """The agreement rows of the series' last meeting (``agreed_on``; None: the latest
    with a refused row) refused when their file came back, with the meeting's date."""
    if not meeting_id:
        return []
    rows = query(con, "refused_agreements", meeting_id=meeting_id, meeting_date=meeting_date,
                 agreed_on=agreed_on)
    return [(r["agreed_on"], RefusedItem(r["file_name"], r["row_location"] or "",
                                         list(r["rules"]), list(r["reasons"]),
                                         list(r["refused_values"])))
            for r in rows]


def _roles(config, team_id: str | None) -> Roles:
    team = next((tm for tm in config.teams if tm.id == team_id), None)
    lead = next((m.name for m in team.members if m.role == "lead"), None) if team else None
    return Roles(leader=lead)


def _meeting(config, meeting_id: str):
    meeting = next((m for m in config.meetings if m.id == meeting_id), None)
    if meeting is None:
        raise KeyError(f"no meeting series {meeting_id!r} in the config")
    return meeting


# ====================================================================== citizen level


def _readings(score_rows: list[dict[str, Any]], config, norm_group: str | None
              ) -> dict[str, list[Reading]]:
    """Per course, one reading per instrument (scored points, oldest first)."""
    instruments = {i.id: i for i in config.instruments}
    out: dict[str, dict[str, Reading]] = {}
    for r in score_rows:
        inst = instruments.get(r["instrument_id"])
        if inst is None or r["score"] is None or r["measured_on"] is None:
            continue
        per_course = out.setdefault(r["course_id"], {})
        if inst.id not in per_course:
            scale = scale_from_config(inst, norm_group)
            per_course[inst.id] = Reading(scale.short_name, scale.direction,
                                          scale.reliable_change_points, [])
        per_course[inst.id].points.append((r["measured_on"], float(r["score"])))
    return {cid: list(v.values()) for cid, v in out.items()}


def _overdue(agreement: dict[str, Any], meeting_date: date) -> bool:
    """Open with its date before the meeting (the series slide's rule too)."""
    due = agreement["follow_up_on"]
    return (agreement["status"] or "open") == "open" and due is not None and due < meeting_date


def _changes(con, team_id: str | None, intervention_id: str, since: date | None,
             until: date, k: int | None, run_id: str | None) -> ChangeSummary | None:
    if since is None:
        return None
    events = query(con, "citizen_changes", team_id=team_id, intervention_id=intervention_id,
                   since=since, until=until)
    flags = [] if run_id is None else query(
        con, "citizen_quality_flags", team_id=team_id, intervention_id=intervention_id,
        since=since, until=until, run_id=run_id)
    return ChangeSummary(since, until, change_counts(events, k), len(flags))


def gather_citizen_pack(con, config, meeting_id: str, meeting_date: date,
                        max_citizens: int | None = None, meeting_no: int = 0,
                        last_meeting: date | None = None, last_cutoff: date | None = None,
                        cutoff: date | None = None,
                        quality_run_id: str | None = None) -> CitizenPackData:
    """The citizen-level pack data for one meeting of the series ``meeting_id`` (the
    ``meeting_no``-th of the series, from 0: where the rotation of the agenda stands).
    ``last_meeting``: the series' meeting before; ``last_cutoff`` and ``cutoff``: the data
    cut-offs of that meeting's deck and of this one (the summary of what changed);
    ``quality_run_id``: the quality run whose findings mark points and are counted among
    the changes (None: no findings)."""
    meeting = _meeting(config, meeting_id)
    team = next(tm for tm in config.teams if tm.id == meeting.team)
    intervention_id = meeting.intervention or team.interventions[0]
    intervention = config.intervention(intervention_id)
    instruments = {i.id: i for i in config.instruments}
    lang = config.organisation.language
    priorities = {p.id: p for p in config.agenda.priorities}
    chosen = choose_agenda(
        query(con, "citizen_agenda", team_id=team.id, intervention_id=intervention_id),
        list(priorities), max_citizens or config.agenda.max_citizens, meeting_no)
    agenda = [pick.row for pick in chosen.picks]
    reasons = {pick.row["course_id"]: [priorities[p].reason_in(lang) for p in pick.reasons]
               for pick in chosen.picks}
    ids = [row["course_id"] for row in agenda]
    scores = query(con, "citizen_scores", course_ids=ids) if ids else []
    point_flags: dict[str, list[tuple[str, str]]] = {}  # quality findings per form
    for f in (query(con, "citizen_point_flags", course_ids=ids, run_id=quality_run_id)
              if ids and quality_run_id else []):
        point_flags.setdefault(f["form_id"], []).append((f["rule_id"], f["severity"]))
    goals = query(con, "citizen_goals", course_ids=ids) if ids else []
    kik = query(con, "citizen_kik", course_ids=ids) if ids else []
    agreements = (query(con, "citizen_agreements", course_ids=ids, meeting_date=meeting_date)
                  if ids else [])
    flags = query(con, "citizen_flags", course_ids=ids) if ids else []
    alliance = query(con, "citizen_alliance", course_ids=ids) if ids else []
    expected = {(f["course_id"], f["instrument_id"], f["point_id"], f["measured_on"]): f
                for f in flags}
    fidelity = next((i for i in config.instruments if i.kind == "fidelity"), None)
    readings = _readings(scores, config, intervention.norm_group)
    cases = []
    for row in agenda:
        cid = row["course_id"]
        series: dict[str, InstrumentSeries] = {}
        for s in (r for r in scores if r["course_id"] == cid):
            inst = instruments.get(s["instrument_id"])
            if inst is None or inst.kind == "fidelity":
                continue
            if s["instrument_id"] not in series:
                series[s["instrument_id"]] = InstrumentSeries(
                    s["instrument_id"], scale_from_config(inst, intervention.norm_group),
                    s["rater_role"] or inst.rater, [])
            fit = expected.get((cid, s["instrument_id"], s["point_id"], s["measured_on"]), {})
            series[s["instrument_id"]].points.append(
                ScorePoint(s["point_id"], s["measured_on"], s["score"], s["rci_class"],
                           flags=tuple(point_flags.get(s["form_id"], ())),
                           expected=fit.get("expected_score"),
                           band_edge=fit.get("band_edge_score")))
        # KiK has one item per core element of the intervention (item_no = position in
        # interventions[].core_elements); the instrument's further items are unused slots.
        elements = {no: KikElement(el.name, None)
                    for no, el in enumerate(intervention.core_elements, start=1)}
        forms: set[int] = set()
        for k in (r for r in kik if r["course_id"] == cid):
            forms.add(k["form_rank"])
            el = elements.get(k["element_no"])
            if el is None:
                continue
            if k["form_rank"] == 1:
                el.latest = k["rating"]
                el.note = k["note"] or ""
            else:
                el.previous = k["rating"]
        live = [f for f in flags if f["course_id"] == cid and f["is_latest_point"]
                and f["flag"] in ("red", "amber")]
        signal = next((a for a in alliance if a["course_id"] == cid
                       and a["is_alliance_signal"]), None)
        cases.append(CitizenCase(
            course_flag=next((f["course_flag"] for f in flags if f["course_id"] == cid), None),
            flag_reasons=[
                FlagReason(scale_from_config(instruments[f["instrument_id"]],
                                             intervention.norm_group).short_name,
                           f["point_id"], f["score"], f["expected_score"], f["flag_reason"],
                           f["fallback_reason"])
                for f in live if f["instrument_id"] in instruments
            ],
            alliance=AllianceSignal(signal["score"], bool(signal["is_below_cutoff"]),
                                    bool(signal["is_drop"])) if signal else None,
            citizen_id=row["citizen_id"],
            course_id=cid,
            intervention_name=row["intervention_name"] or intervention.name,
            start_date=row["start_date"],
            case_status=row["case_status"],
            series=list(series.values()),
            goals=[CitizenGoal(g["life_area"], g["description"] or "", g["goal_type"],
                               g["baseline_level"], g["latest_level"], g["category"])
                   for g in goals if g["course_id"] == cid],
            kik=[elements[n] for n in sorted(elements)] if forms else [],
            kik_min=fidelity.item_min if fidelity else 1,
            kik_max=fidelity.item_max if fidelity else 5,
            n_kik_forms=len(forms),
            agreements=[AgreementItem(a["agreement_text"], a["owner"], a["follow_up_on"],
                                      a["status"], _overdue(a, meeting_date),
                                      data_since(a["indicator"], readings.get(cid, []),
                                                 a["agreed_on"], lang, cutoff),
                                      agreed_earlier_on=None if a["is_from_last"]
                                      else a["agreed_on"])
                        for a in agreements if a["course_id"] == cid],
            reasons=reasons[cid],
        ))
    since_rows = query(con, "citizen_series_agreements", meeting_id=meeting_id,
                       meeting_date=meeting_date, last_meeting=last_meeting)
    extra = sorted({r["course_id"] for r in since_rows} - set(ids))
    if extra:
        readings.update(_readings(query(con, "citizen_scores", course_ids=extra), config,
                                  intervention.norm_group))
    since_last = [SinceItem(r["agreement_text"], r["owner"], r["follow_up_on"], r["status"],
                            data_since(r["indicator"], readings.get(r["course_id"], []),
                                       r["agreed_on"], lang, cutoff),
                            citizen_id=r["citizen_id"], course_id=r["course_id"])
                  for r in since_rows]
    refused_on = since_rows[0]["agreed_on"] if since_rows else last_meeting
    refused = _refused(con, meeting_id, meeting_date, refused_on)
    return CitizenPackData(
        team_name=team.name,
        intervention_name=intervention.name,
        meeting_date=meeting_date,
        citizens=cases,
        meeting_length_minutes=meeting.length_minutes,
        roles=_roles(config, team.id),
        meeting_id=meeting_id,
        n_flagged_left_out=chosen.n_flagged_left_out,
        first_in_line=[CitizenCase(r["citizen_id"], r["course_id"], "", None, "open")
                       for r in chosen.left_out[:FIRST_IN_LINE]],
        rotation_meetings=chosen.rotation_meetings,
        since_last=since_last,
        refused=[item for _on, item in refused],
        refused_on=refused[0][0] if refused else None,
        last_meeting=last_meeting or (since_rows[0]["agreed_on"] if since_rows else None),
        changes=_changes(con, team.id, intervention_id, last_cutoff, cutoff or meeting_date,
                         None, quality_run_id),
    )


# ====================================================================== intervention level


def outcome_instruments(config, intervention_id: str) -> list[str]:
    """Validated instruments of the intervention's measurement plan, in plan order, that
    are planned at two or more points (so change can be followed)."""
    plan = next((p for p in config.measurement_plan if p.intervention == intervention_id), None)
    if plan is None:
        return []
    kinds = {i.id: i for i in config.instruments}
    counts: dict[str, int] = {}
    for point in plan.points:
        inst = kinds.get(point.instrument)
        if inst is not None and inst.kind == "validated":
            counts[point.instrument] = counts.get(point.instrument, 0) + 1
    return [iid for iid, n in counts.items() if n >= 2]


def _stat(row: dict[str, Any], value_key: str, n_key: str = "n_citizens") -> Stat:
    """A mart cell as a Stat, with its 95 % interval when the row has one (``ci_low``,
    ``ci_high``)."""
    if row.get("is_suppressed"):
        return Stat(None, None, suppressed=True)
    return Stat(row.get(value_key), row.get(n_key),
                interval=_interval(row, "ci_low", "ci_high"), n_courses=row.get("n_courses"))


def _interval(row: dict[str, Any], low: str, high: str) -> tuple[float, float] | None:
    if row.get(low) is None or row.get(high) is None:
        return None
    return (row[low], row[high])


def _quarter(d: date) -> str:
    return f"{d.year}-Q{(d.month - 1) // 3 + 1}"


def goal_attainment(con, intervention_id: str) -> list[AreaAttainment]:
    """Goal attainment per life area (hidden cells as hidden; a category with no goals
    as 0 %), for the intervention pack and the leaders' summary."""
    areas: dict[str, AreaAttainment] = {}
    for r in query(con, "intervention_goal_attainment", intervention_id=intervention_id):
        area = areas.setdefault(r["life_area_id"], AreaAttainment(
            r["life_area_name"] or r["life_area_id"], r["n_goals_in_area"], {}))
        share = None if r["share_goals"] is None else r["share_goals"] * 100
        area.shares[r["category"]] = (Stat(None, None, True) if r["is_suppressed"]
                                      else Stat(share, r["n_citizens"]))
    for area in areas.values():
        for cat in GOAL_CATEGORIES:
            area.shares.setdefault(cat, Stat(0.0, 0))
    return list(areas.values())


def expected_course(con, config, intervention_id: str, scale) -> ExpectedCourseData:
    """Results against expected per team and variant (only kinds with two or more
    groups), and the signals' time-split validation, for the intervention pack."""
    known = {i.id for i in config.instruments}
    intervention = next(i for i in config.interventions if i.id == intervention_id)
    teams = {team.id: team.name for team in config.teams}

    def name(instrument_id: str) -> str:
        return scale(instrument_id).short_name if instrument_id in known else instrument_id

    def group_name(kind: str, group_id: str) -> str:
        """A team or variant as the other slides name it, not its id."""
        if kind == "variant":
            return intervention.variant_name(group_id)
        return teams.get(group_id, group_id) if kind == "team" else group_id

    data = ExpectedCourseData(config.expected_course.min_reference_courses)
    items: dict[tuple[str, str], VsExpected] = {}
    for r in query(con, "intervention_vs_expected", intervention_id=intervention_id):
        item = items.setdefault((r["instrument_id"], r["group_kind"]),
                                VsExpected(name(r["instrument_id"]), r["group_kind"]))
        item.groups.append(GroupVsExpected(group_name(r["group_kind"], r["group_id"]),
                                           r["mean_gap"], r["ci_low"],
                                           r["ci_high"], r["n_citizens"],
                                           bool(r["is_suppressed"])))
    data.vs_expected = [v for v in items.values() if len(v.groups) > 1]
    for r in query(con, "intervention_course_validation", intervention_id=intervention_id):
        data.split_on = r["split_on"]
        data.validation.append(ValidationRow(
            name(r["instrument_id"]), r["n_test_courses"], r["share_non_improvers_flagged"],
            r["n_non_improvers"], r["share_false_alarms"], r["n_improvers"],
            r["n_late_improvers"], r["n_late_improvers_missed"], bool(r["is_suppressed"]),
            n_hits=r["n_non_improvers_flagged"], n_false_alarms=r["n_false_alarms"]))
    return data


def _month_after(month_start: date) -> date:
    """The first day of the month after ``month_start``'s."""
    return (month_start.replace(day=28) + timedelta(days=4)).replace(day=1)


#: Months a trial's run chart shows at most (the latest, up to the meeting).
RUN_CHART_MONTHS = 12


def _month_means(con, iid: str, instrument_id: str, until: date) -> list[MonthMean]:
    """The months whose last day is ``until`` or before (the meeting, or the data
    cut-off): a month not over by then would show a mean over part of it."""
    rows = [r for r in query(con, "intervention_run_chart", intervention_id=iid,
                             instrument_id=instrument_id)
            if _month_after(r["month_start"]) <= until + timedelta(days=1)]
    return [MonthMean(r["month_start"], r["mean_score"], r["n_citizens"],
                      bool(r["is_suppressed"])) for r in rows[-RUN_CHART_MONTHS:]]


def _group_readings(con, config, iid: str, norm_group: str | None, until: date,
                    indicators: list[str | None]) -> list[Reading]:
    """Monthly means of every instrument an indicator text names (for "since last time")."""
    out = []
    for inst in config.instruments:
        scale = scale_from_config(inst, norm_group)
        probe = Reading(scale.short_name, scale.direction, None, [], is_group_mean=True,
                        flat_below=FLAT_SHARE * (scale.score_max - scale.score_min))
        if any(named_reading(text, [probe]) for text in indicators):
            probe.points = [(m.month_start, m.mean) for m in _month_means(con, iid, inst.id, until)
                            if m.mean is not None and not m.suppressed]
            out.append(probe)
    return out


#: The basis rows (mart_intervention_basis_by_quarter.case_status) and the DataBasis
#: count each one gives.
BASIS_FIELDS = {"all": "n_courses", "open": "n_open", "closed_planned": "n_closed_planned",
                "closed_unplanned": "n_closed_unplanned"}


def _complementary(basis_rows: dict[str, dict[str, Any]]) -> frozenset[str]:
    """The DataBasis counts hidden beside a small cell (reason 'complementary')."""
    hidden = {status for status, row in basis_rows.items()
              if row.get("suppression_reason") == "complementary"}
    fields = {BASIS_FIELDS[status] for status in hidden if status in BASIS_FIELDS}
    if "all" in hidden:
        fields.add("n_citizens")
    return frozenset(fields)


def gather_intervention_pack(con, config, meeting_id: str, meeting_date: date,
                             period_start: date, period_end: date,
                             period_label: str | None = None,
                             last_meeting: date | None = None,
                             last_cutoff: date | None = None,
                             cutoff: date | None = None,
                             quality_run_id: str | None = None) -> InterventionPackData:
    """The quarterly pack data for one meeting of the intervention series ``meeting_id``
    (``last_meeting``, ``last_cutoff``, ``cutoff``, ``quality_run_id``: as for
    :func:`gather_citizen_pack`)."""
    meeting = _meeting(config, meeting_id)
    iid = meeting.intervention
    intervention = config.intervention(iid)
    lang = config.organisation.language
    instruments = {i.id: i for i in config.instruments}
    outcomes = outcome_instruments(config, iid)
    main = outcomes[0] if outcomes else None

    def scale(instrument_id: str):
        return scale_from_config(instruments[instrument_id], intervention.norm_group)

    period = _quarter(period_start)
    basis_rows = {r["case_status"]: r for r in query(con, "intervention_basis",
                                                     intervention_id=iid, period=period)}

    def basis_count(status: str, column: str = "n_courses") -> int | None:
        """A count of the data basis: None when hidden, 0 when no course has the status."""
        row = basis_rows.get(status)
        return 0 if row is None else row[column]

    collection = query(con, "intervention_collection", intervention_id=iid, period=period)
    total = next((r for r in collection if r["instrument_id"] is None), None)
    basis = DataBasis(
        period_start, period_end,
        n_citizens=basis_count("all", "n_citizens"),
        **{field: basis_count(status) for status, field in BASIS_FIELDS.items()},
        completeness=total["share_collected"] if total else None,
        timeliness=total["share_on_time"] if total else None,
        completeness_target=config.quality.completeness_target,
        timeliness_target=config.quality.timeliness_target,
        complementary=_complementary(basis_rows),
    )
    notes: list[QualityNote] = []
    for r in collection:
        if (r["instrument_id"] is not None and r["share_collected"] is not None
                and r["share_collected"] < config.quality.completeness_target):
            notes.append(QualityNote("completeness", {
                "instrument": scale(r["instrument_id"]).short_name
                if r["instrument_id"] in instruments else r["instrument_id"],
                "value": r["share_collected"],
                "target": config.quality.completeness_target}))
    if total and total["n_overdue"]:
        notes.append(QualityNote("overdue", {"n": total["n_overdue"]}))

    data = InterventionPackData(
        intervention_name=intervention.name,
        target_group=intervention.target_group,
        period_label=period_label or _quarter(period_end),
        meeting_date=meeting_date,
        basis=basis,
        quality_notes=notes,
        roles=_roles(config, meeting.team) if meeting.team else Roles(),
        meeting_length_minutes=meeting.length_minutes,
        meeting_id=meeting_id,
    )
    if main:
        data.target_scale = scale(main)
        for r in query(con, "intervention_target_group", intervention_id=iid,
                       instrument_id=main, breakdown="gender"):
            group = t(f"gender_{r['group_value']}", lang) if r["group_value"] in (
                "female", "male", "other") else r["group_value"]
            data.target_groups.append(GroupStat(group, str(r["start_year"]),
                                                _stat(r, "mean_baseline")))
    data.goal_attainment = goal_attainment(con, iid)
    data.expected_course = expected_course(con, config, iid, scale)
    for instrument_id in outcomes[:MAX_PROGRESSION_INSTRUMENTS]:
        rows = query(con, "intervention_progression", intervention_id=iid,
                     instrument_id=instrument_id)
        keys = list(dict.fromkeys((r["point_id"], r["occurrence_no"]) for r in rows))
        if not keys:
            continue

        def pick(series: str, key, rows=rows) -> Stat:
            hit = [r for r in rows if (r["point_id"], r["occurrence_no"]) == key
                   and r["series"] == series]
            return _stat(hit[0], "mean_score") if hit else Stat(None, None)

        data.progression.append(PointSeries(
            scale(instrument_id), [key[0] for key in keys],
            cohort=[pick("cohort", key) for key in keys],
            all=[pick("all", key) for key in keys]))
    if main:
        breakdowns = (["variant"] if len(intervention.variants) > 1 else []) + ["age_band"]
        for breakdown in breakdowns:
            rows = query(con, "intervention_comparison", intervention_id=iid,
                         instrument_id=main, breakdown=breakdown)
            keys = list(dict.fromkeys((r["point_id"], r["occurrence_no"]) for r in rows))
            groups: dict[str, list[Stat]] = {}
            intervals: dict[str, list[tuple[float, float] | None]] = {}
            for g in dict.fromkeys(r["group_value"] for r in rows):
                stats, changes = [], []
                for key in keys:
                    hit = [r for r in rows if r["group_value"] == g
                           and (r["point_id"], r["occurrence_no"]) == key]
                    stats.append(_stat(hit[0], "mean_score") if hit else Stat(None, None))
                    changes.append(_interval(hit[0], "ci_change_low", "ci_change_high")
                                   if hit else None)
                if breakdown == "variant":
                    label = intervention.variant_name(g)
                elif re.fullmatch(r"\d+-\d+", str(g)):
                    label = t("age_band_label", lang, band=g)
                else:
                    label = g
                groups[label] = stats
                intervals[label] = changes
            if len(groups) >= 2:
                data.comparisons.append(GroupComparison(
                    "variant" if breakdown == "variant" else "subgroup", breakdown, scale(main),
                    [key[0] for key in keys], groups, intervals))
        data.fidelity_scale = scale(main)
        rows = {r["fidelity_level"]: r for r in query(con, "intervention_fidelity",
                                                      intervention_id=iid, instrument_id=main)}
        data.fidelity = [FidelityLevel(lv, _stat(rows[lv], "mean_improvement"))
                         for lv in FIDELITY_LEVELS if lv in rows]
    data.map_nodes, data.map_links = map_from_config(intervention, config)
    for node in intervention.result_map.nodes:
        if node.indicator is not None:
            data.node_values[node.id] = _node_value(con, config, iid, node.indicator,
                                                    period_end, data)
    kik_rows = {r["element_no"]: r for r in query(con, "intervention_kik", intervention_id=iid)}
    fidelity = next((i for i in config.instruments if i.kind == "fidelity"), None)
    data.kik_max = fidelity.item_max if fidelity else 5
    for no, element in enumerate(intervention.core_elements, start=1):
        r = kik_rows.get(no)
        if r is None:
            stat = Stat(None, None)
        elif r["is_suppressed"]:
            stat = Stat(None, None, suppressed=True)
        else:
            stat = Stat(r["mean_rating"], r["n_citizens"])
        data.core_elements.append(CoreElementInfo(element.name, element.reflection_question,
                                                  stat))
    agreement_rows = query(con, "intervention_agreements", meeting_id=meeting_id,
                           meeting_date=meeting_date, last_meeting=last_meeting)
    data.agreements = [
        AgreementItem(a["agreement_text"], a["owner"], a["follow_up_on"], a["status"],
                      bool(a["is_follow_up_overdue"]))
        for a in agreement_rows
    ]
    readings = _group_readings(con, config, iid, intervention.norm_group, meeting_date,
                               [a["indicator"] for a in agreement_rows])
    data.since_last = [SinceItem(a["agreement_text"], a["owner"], a["follow_up_on"],
                                 a["status"], data_since(a["indicator"], readings,
                                                         a["agreed_on"], lang))
                       for a in agreement_rows]
    data.last_meeting = last_meeting or (agreement_rows[-1]["agreed_on"] if agreement_rows
                                         else None)
    last_rows = [a for a in agreement_rows if a["agreed_on"] == agreement_rows[-1]["agreed_on"]
                 ] if agreement_rows else []
    refused = _refused(con, meeting_id, meeting_date,
                       last_rows[0]["agreed_on"] if last_rows else last_meeting)
    data.refused = [item for _on, item in refused]
    data.refused_on = refused[0][0] if refused else None
    data.changes = _changes(con, None, iid, last_cutoff, cutoff or meeting_date,
                            config.privacy.small_cell_k, quality_run_id)
    for trial in (tr for tr in config.trials if tr.intervention == iid):
        data.trials.append(TrialRun(trial.id, trial.title, trial.starts, trial.expected,
                                    scale(trial.instrument),
                                    _month_means(con, iid, trial.instrument, meeting_date)))
    return data


#: The count behind each result-map share (mart_reliable_change_by_quarter).
SHARE_COUNTS = {"share_improved": "n_improved", "share_recovered": "n_recovered"}


def _few_reached(row: dict[str, Any], measure: str, k: int) -> bool:
    """A share whose result count is 1 to k - 1: the share times its n gives that count
    back ("10 %, n = 20": 2 recovered), so it is hidden, as mart_strategic_overview hides
    the leaders' share improved beside a unit cost hidden for its few units. A share of
    0 stays shown (no one reached it reveals nobody)."""
    count = row[SHARE_COUNTS[measure]]
    return count is not None and 0 < count < k


def _node_value(con, config, iid: str, indicator, period_end: date,
                data: InterventionPackData) -> NodeValue:
    """The value behind one result-map box (rules in docs/decks.md)."""
    instrument = config.instrument(indicator.instrument)
    sign = 1 if instrument.direction == "higher_is_better" else -1
    measure = indicator.measure
    if measure in ("mean_change", "mean_score"):
        rows = [r for r in query(con, "intervention_progression", intervention_id=iid,
                                 instrument_id=indicator.instrument) if r["series"] == "cohort"]
        rows = [r for r in rows if r["is_suppressed"] or r["mean_score"] is not None]
        if not rows:
            return NodeValue(None)
        last = rows[-1]
        if last["is_suppressed"]:
            return NodeValue(None, None, suppressed=True)
        if measure == "mean_score":
            return NodeValue(last["mean_score"], last["n_citizens"])
        change = last["change_since_start"]
        if change is not None and last["mean_score"] is not None:
            # from the two means as the progression chart and its title print them ("fra
            # 2,3 til 1,8" is a fall of 0,5, never 0,6 from the unrounded 2,34 and 1,76)
            end = round_to(last["mean_score"], 1)
            change = round_to(end - round_to(last["mean_score"] - change, 1), 1)
        return NodeValue(None if change is None else change * sign, last["n_citizens"])
    if measure in ("share_improved", "share_recovered"):
        rows = query(con, "intervention_reliable_change", intervention_id=iid,
                     instrument_id=indicator.instrument, period_end_quarter=_quarter(period_end))
        if not rows:
            return NodeValue(None)
        if rows[0]["is_suppressed"]:
            return NodeValue(None, None, suppressed=True)
        key = measure
        k = config.privacy.small_cell_k
        if _few_reached(rows[0], measure, k):
            return NodeValue(None, None, suppressed=True, reason="few_reached")
        value = rows[0][key]
        trend = None
        if (len(rows) > 1 and not rows[1]["is_suppressed"] and rows[1][key] is not None
                and not _few_reached(rows[1], measure, k)):
            diff = value - rows[1][key]
            trend = "up" if diff > 0.02 else "down" if diff < -0.02 else "flat"
            # better or worse than last quarter only when the two quarters' intervals
            # are apart: 6 of 15 against 5 of 14 is no decline (outputs.claims)
            if not differ_clearly(wilson_interval(value, rows[0]["n_courses"]),
                                  wilson_interval(rows[1][key], rows[1]["n_courses"])):
                trend = "flat"
        return NodeValue(value, rows[0]["n_citizens"], trend=trend)
    if measure == "goal_reached":
        reached = total = 0
        for area in data.goal_attainment:
            cells = [area.shares.get(c) for c in ("progression_reached", "maintenance_reached")]
            if area.n_goals is None or any(c is None or c.suppressed for c in cells):
                continue  # an area with a hidden cell is left out of both sides
            reached += sum((c.value or 0) for c in cells) / 100 * area.n_goals
            total += area.n_goals
        if not total:
            return NodeValue(None)
        return NodeValue(reached / total, int(total))
    return NodeValue(None)
