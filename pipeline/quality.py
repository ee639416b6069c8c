"""The quality run, written once: build when needed, check, report, due lists, the site.

``datadialog check`` (CLI), the Prefect flow ``check`` and the meeting run all call
:func:`run_quality`; the meeting run then reads the gate of its scope
(:class:`QualityStatus`). A run:

1. builds the models when the tables the rules read are missing, and refreshes them
   when an export was loaded since the last build or they were built for another date
   (:func:`ensure_built`);
2. runs every rule for the scope (``checks.run.run_checks``) and stores the results;
3. optionally writes the HTML report and the failing rows (``out_dir``), the due lists
   per team (``due_weeks``) and the data steward's site (``site_dir``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path

import duckdb

from checks.due import DueFile, write_due_lists
from checks.report import QualitySummary, write_report
from checks.run import (
    CheckRun,
    Gate,
    build_as_of,
    decide_gates,
    discover_rules,
    export_failures,
    latest_covering_run,
    latest_run_id,
    missing_build,
    run_checks,
    run_scope,
    settings_of_run,
)
from checks.settings import CheckSettings
from datadialog.config_model import DatadialogConfig
from datadialog.db import connect
from pipeline.site import write_site
from transforms.build import build
from transforms.build_state import fingerprint, last_build
from transforms.refresh import refresh

Scope = tuple[str, str | None]


def ensure_built(
    con: duckdb.DuckDBPyConnection, config: DatadialogConfig, as_of: date | None = None
) -> bool:
    """Bring the models up to date before a quality run: build them when the tables the
    rules read are missing; refresh them (only what changed, ``transforms.refresh``)
    when an export was loaded after the last build or ``as_of`` differs from the
    build's as-of date; build them again when the models or the config changed since
    (the rules read columns a newer model may have added). Returns True when it built."""
    if missing_build(con):
        build(con, config, as_of=as_of)
        return True
    built_on = build_as_of(con)
    last = last_build(con)
    if ((as_of is None or as_of == built_on) and not loaded_since_build(con)
            and last is not None and last[0] == fingerprint(config)):
        return False
    refresh(con, config, as_of=as_of or built_on)
    return True


def loaded_since_build(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether a load of exports, or of returned agreements, finished after the last
    build (the rules read built tables, the int_check_* models carry the staged rows
    they check, and the decks read the agreements through the marts)."""
    row = con.execute(
        "select greatest((select max(finished_at) from staging.loads), "
        "(select max(loaded_at) from staging.agreements)) "
        "> coalesce((select max(finished_at) from build_state.runs), timestamp '-infinity')"
    ).fetchone()
    return bool(row and row[0])


@dataclass
class QualityRun:
    """What one quality run did and wrote."""

    check: CheckRun
    built: bool
    report: Path | None = None
    failures_csv: Path | None = None
    n_failing_rows: int = 0
    summary: QualitySummary | None = None
    due: list[DueFile] | None = None
    site: Path | None = None  # the site's index.html

    def as_dict(self) -> dict:
        """Plain values (the flow ``check``'s result): the run, what was written."""
        run = self.check
        out: dict = {
            "run": {
                "run_id": run.run_id,
                "as_of": run.as_of.isoformat(),
                "n_errors": run.n_errors,
                "n_warnings": run.n_warnings,
                "blocked": {g.label: list(g.reasons) for g in run.blocked},
                "seconds": round(run.seconds, 2),
            },
        }
        if self.summary is not None:
            out["report"] = {
                "report": str(self.report),
                "failures_csv": str(self.failures_csv),
                "failing_rows": self.n_failing_rows,
                "flagged_staff": self.summary.flagged_staff,
                "late_teams": self.summary.late_teams,
            }
        if self.due is not None:
            out["due"] = [{"team": f.team_id, "due": f.n_due, "overdue": f.n_overdue,
                           "csv": str(f.csv)} for f in self.due]
        if self.site is not None:
            out["site"] = str(self.site)
        return out


def run_quality(
    con: duckdb.DuckDBPyConnection,
    config: DatadialogConfig,
    *,
    as_of: date | None = None,
    scope: Scope = ("organisation", None),
    settings: CheckSettings | None = None,
    out_dir: Path | None = None,
    due_weeks: int | None = None,
    site_dir: Path | None = None,
    outbox: Path | None = None,
    on_rule: Callable[[str], None] | None = None,
    on_step: Callable[[str], None] | None = None,
) -> QualityRun:
    """Build if needed, run every rule for ``scope``, then write what was asked for:
    ``out_dir`` the report (``quality_<run>.html``) and the failing rows
    (``failures_<run>.csv``); ``due_weeks`` the due lists in ``out_dir/due``;
    ``site_dir`` the data steward's site (:mod:`pipeline.site`; decks linked from
    ``outbox``). ``on_rule`` is called per rule, ``on_step`` per step (progress
    displays)."""
    step = on_step or (lambda name: None)
    step("build")
    built = ensure_built(con, config, as_of)
    step("checks")
    check = run_checks(con, config, settings=settings, scope_kind=scope[0], scope_id=scope[1],
                       on_rule=on_rule)
    result = QualityRun(check, built)
    if out_dir is not None:
        step("report")
        result.report = out_dir / f"quality_{check.run_id}.html"
        result.failures_csv = out_dir / f"failures_{check.run_id}.csv"
        result.summary = write_report(con, config, result.report, check.run_id)
        result.n_failing_rows = export_failures(con, check.run_id, result.failures_csv)
        if due_weeks is not None:
            step("due lists")
            result.due = write_due_lists(con, out_dir / "due", weeks=due_weeks,
                                         language=config.organisation.language)
    if site_dir is not None:
        step("site")
        due_dir = out_dir / "due" if out_dir is not None else None
        write_site(con, config, site_dir, outbox=outbox, due_dir=due_dir)
        result.site = site_dir / "index.html"
    return result


# ---------------------------------------------------------------- a scope's gate


@dataclass
class QualityStatus:
    """What the data-quality checks decided for one scope (what a meeting's decks get)."""

    status: str  # ok | warnings | blocked | stale | no quality run
    scope_kind: str
    scope_id: str | None
    run_id: str | None = None
    checked_at: str | None = None
    reasons: list[str] = field(default_factory=list)
    #: Caveat texts per mart (``*``: every figure).
    caveats: dict[str, list[str]] = field(default_factory=dict)
    n_errors: int = 0
    n_warnings: int = 0
    note: str | None = None

    @property
    def blocked(self) -> bool:
        return bool(self.reasons)

    def caveats_for(self, marts: list[str] | None) -> list[str]:
        """Caveats for a deck reading ``marts`` (None: every caveat), without repeats."""
        keys = ["*", *(marts if marts is not None else sorted(self.caveats))]
        out: list[str] = []
        for key in keys:
            for text in self.caveats.get(key, []):
                if text not in out:
                    out.append(text)
        return out

    def digest(self) -> str:
        return hashlib.sha256(repr(sorted(asdict(self).items())).encode()).hexdigest()[:16]

    @classmethod
    def unchecked(cls, scope: Scope, note: str | None = None) -> QualityStatus:
        return cls("no quality run", scope[0], scope[1], note=note)

    @classmethod
    def from_gate(cls, gate: Gate, run_id: str, checked_at: str | None, n_errors: int = 0,
                  n_warnings: int = 0) -> QualityStatus:
        caveats = {k: list(v) for k, v in gate.caveats.items()}
        status = "blocked" if gate.blocked else ("warnings" if caveats else "ok")
        return cls(status, gate.scope_kind, gate.scope_id, run_id, checked_at,
                   list(gate.reasons), caveats, n_errors, n_warnings)


def quality_gate(
    con, config: DatadialogConfig, scope: Scope, data_cutoff: datetime | None
) -> QualityStatus:
    """The gate of ``scope`` from the latest stored quality run that covers it (one over
    the organisation, or one of that very scope), or "no quality run" when there is
    none. A later run of another scope (``check --scope team:x``) does not stand in for
    it: it checked none of this scope's rows, and taking it as the latest would lift the
    scope's block. A run older than the data is applied as it is, marked ``stale``."""
    try:
        row = latest_covering_run(con, *scope)
        other = latest_run_id(con) if row is None else None
    except duckdb.CatalogException:
        row, other = None, None
    if row is None:
        note = None
        if other is not None:
            kind, sid = run_scope(con, other)
            note = f"the latest quality run ({other}) covered {kind} {sid} only"
        return QualityStatus.unchecked(scope, note)
    run_id, started_at, run_kind, run_scope_id, n_errors, n_warnings = row
    gates = decide_gates(
        con, run_id, config, settings_of_run(con, run_id),
        {r.rule_id: r for r in discover_rules()}, (run_kind, run_scope_id),
    )
    gate = gates.get(scope, Gate(scope_kind=scope[0], scope_id=scope[1], blocked=False))
    status = QualityStatus.from_gate(gate, run_id, started_at.isoformat(timespec="seconds"),
                                     int(n_errors or 0), int(n_warnings or 0))
    if data_cutoff is not None and started_at < data_cutoff and not status.blocked:
        status.status = "stale"
    return status


def run_quality_checks(db_path: str, config: DatadialogConfig, scope: Scope) -> QualityStatus:
    """A quality run over the organisation (the meeting run's check step); ``scope``'s gate."""
    con = connect(db_path)
    try:
        run = run_quality(con, config).check
    finally:
        con.close()
    return QualityStatus.from_gate(run.gate(*scope), run.run_id,
                                   datetime.now().isoformat(timespec="seconds"),
                                   run.n_errors, run.n_warnings)
