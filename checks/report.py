"""The quality report: a one-page HTML summary of a check run, with each metric's trend
across runs, and the same content as a plain data object a deck turns into a slide.

:func:`quality_summary` reads ``quality.*`` (queries in ``checks/sql/report``) into a
:class:`QualitySummary`; :func:`render_html` draws it (inline CSS and SVG sparklines, no
scripts, no network); :func:`write_report` does both into a file. The summary names what
the data steward and the meeting leader act on: the staff members whose ratings stand
out (rater drift in the courses, deviation in the calibration workshops), the teams
below the completeness or timeliness target, the calibration items for the next
workshop, and the scopes whose decks are blocked.

Everything reads in the organisation's language, as the data steward's site (which
takes its rater, workshop and trend lines from the summary): a rule's description and
fix (:func:`checks.texts.rule_help`), numbers, per cent and dates
(:mod:`datadialog.formats`: "+0,57", "27.274", "12 %", 31.10.2026) and teams,
interventions and instruments by name (:mod:`datadialog.names`).
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import duckdb

from checks.run import latest_run_id
from checks.texts import report_text, rule_help, rule_title
from datadialog.atomic_write import write_text
from datadialog.config_model import DatadialogConfig
from datadialog.formats import fmt_date, fmt_number, fmt_pct
from datadialog.names import Names, display_names

REPORT_SQL = Path(__file__).resolve().parent / "sql" / "report"


@dataclass(frozen=True)
class RuleLine:
    rule_id: str
    title: str
    table_name: str
    severity: str
    n_failed: int
    n_checked: int
    fix: str
    description: str = ""


@dataclass(frozen=True)
class RaterFlag:
    staff_id: str
    instrument_id: str
    source: str  # rater_drift | calibration_deviation
    difference: float  # SD units (drift) or points per item (calibration)
    ci_low: float | None
    ci_high: float | None
    team_id: str | None = None


@dataclass(frozen=True)
class TeamFlag:
    team_id: str
    metric_id: str  # completeness | timeliness
    value: float
    target: float
    numerator: int
    denominator: int


@dataclass(frozen=True)
class WorkshopItem:
    instrument_id: str
    item_no: int
    alpha: float


@dataclass(frozen=True)
class Trend:
    """One metric over the recent runs, oldest first."""

    metric_id: str
    group_kind: str
    group_id: str
    values: tuple[float | None, ...]
    run_ids: tuple[str, ...]
    target: float | None = None

    @property
    def label(self) -> str:
        return self.metric_id if self.group_kind == "all" else f"{self.metric_id} {self.group_id}"

    @property
    def last(self) -> float | None:
        return self.values[-1] if self.values else None


@dataclass(frozen=True)
class Slide:
    """What a deck needs for a quality slide: plain texts and one small table."""

    title: str
    subtitle: str
    bullets: tuple[str, ...]
    table_header: tuple[str, ...]
    table_rows: tuple[tuple[str, ...], ...]
    how_to_read: str


@dataclass(frozen=True)
class SignalValidation:
    """The time-split validation of one instrument's off-course signals
    (mart_expected_course_validation); None values where the mart hides a small group."""

    intervention_id: str
    instrument_id: str
    split_on: date | None
    n_test: int | None
    hit_rate: float | None
    false_alarm_rate: float | None
    n_late_improvers: int | None
    n_late_missed: int | None


@dataclass
class QualitySummary:
    run_id: str
    started_at: datetime
    as_of: date
    scope_kind: str
    scope_id: str | None
    n_errors: int
    n_warnings: int
    n_blocked_scopes: int
    completeness: float | None
    completeness_target: float | None
    timeliness: float | None
    timeliness_target: float | None
    language: str = "da"
    #: (kind, id) -> the name a reader sees (teams, interventions, instruments:
    #: datadialog.names); an id without a name is shown as the id
    names: Names = field(default_factory=dict)
    errors_block: bool = True  # whether the run's errors blocked decks (quality.errors_block)
    rules: list[RuleLine] = field(default_factory=list)
    raters: list[RaterFlag] = field(default_factory=list)
    teams: list[TeamFlag] = field(default_factory=list)
    workshop_items: list[WorkshopItem] = field(default_factory=list)
    errors_by_scope: list[tuple[str, str | None, str, int]] = field(default_factory=list)
    trends: list[Trend] = field(default_factory=list)
    signals: list[SignalValidation] = field(default_factory=list)

    # ------------------------------------------------------------ named findings

    @property
    def flagged_staff(self) -> list[str]:
        return sorted({r.staff_id for r in self.raters})

    @property
    def late_teams(self) -> list[str]:
        return sorted({t.team_id for t in self.teams if t.metric_id == "timeliness"})

    @property
    def incomplete_teams(self) -> list[str]:
        return sorted({t.team_id for t in self.teams if t.metric_id == "completeness"})

    def trend(self, label: str) -> Trend:
        return next(t for t in self.trends if t.label == label)

    # ------------------------------------------------------------ texts

    def t(self, key: str, **values: object) -> str:
        return report_text(key, self.language, **values)

    def name(self, kind: str, item_id: str) -> str:
        """A team's, an intervention's or an instrument's name (its id when unnamed)."""
        return self.names.get((kind, item_id), item_id)

    def number(self, value: float | None, decimals: int = 0, sign: bool = False) -> str:
        """A number in the report's language ("+0,57" / "+0.57", "27.274" / "27,274")."""
        return fmt_number(value, self.language, decimals, sign=sign)

    def pct(self, share: float | None) -> str:
        """A share 0-1 in per cent ("12 %" / "12%"; never 0 % or 100 % by rounding)."""
        return fmt_pct(share, self.language)

    def date(self, day: date | None) -> str:
        """A date as the decks write it (31.10.2026 / 31 Oct 2026)."""
        return fmt_date(day, self.language)

    def rule_help(self, rule: RuleLine) -> tuple[str, str]:
        """What a rule checks and how a failure is fixed, in the report's language."""
        return rule_help(rule.rule_id, self.language, rule.description, rule.fix)

    def trend_value(self, trend: Trend) -> str:
        """A trend's latest value: a rate in per cent, else two decimals (alpha)."""
        value = trend.last
        if value is None:
            return "–"
        if trend.metric_id in ("completeness", "timeliness") or trend.metric_id.startswith(
                "rule:"):
            return self.pct(value)
        return self.number(value, 2)

    def rater_lines(self) -> list[str]:
        """One line per staff member standing out (instruments by name, numbers in the
        report's language: "+0,57 point/spm.")."""
        lines = []
        for r in self.raters:
            drift = r.source == "rater_drift"
            unit = "SD" if drift else ("points/item" if self.language == "en" else "point/spm.")
            lines.append(
                self.t(
                    "rater_line",
                    staff=r.staff_id,
                    instrument=self.name("instrument", r.instrument_id),
                    direction=self.t("higher" if r.difference > 0 else "lower"),
                    value=f"{self.number(r.difference, 2, True)} {unit}",
                    source=self.t("source_drift" if drift else "source_calibration"),
                )
            )
        return lines

    def team_lines(self) -> list[str]:
        return [
            self.t(
                "team_line",
                team=self.name("team", t.team_id),
                metric=self.t(t.metric_id).lower(),
                value=self.pct(t.value),
                target=self.pct(t.target),
            )
            for t in self.teams
        ]

    def severity(self, severity: str) -> str:
        """A rule's severity in the report's language."""
        return self.t(f"severity_{severity}")

    def trend_label(self, trend: Trend) -> str:
        """A trend's measure in words: metric (and team or instrument by name), or rule
        title."""
        if trend.metric_id.startswith("rule:"):
            rule = rule_title(trend.metric_id.removeprefix("rule:"), self.language)
            name = self.t("metric_rule", rule=rule)
        elif trend.metric_id in ("completeness", "timeliness"):
            name = self.t(trend.metric_id)
        elif trend.metric_id == "calibration_alpha":
            name = self.t("metric_calibration_alpha")
        else:
            name = trend.metric_id
        if trend.group_kind == "all":
            return name
        return f"{name}, {self.name(trend.group_kind, trend.group_id)}"

    def shown_trends(self) -> tuple[list[Trend], int]:
        """Trends for the report, in order, and how many rule trends are left out
        because the rule found nothing in any run."""
        quiet = [
            t for t in self.trends if t.metric_id.startswith("rule:") and not any(t.values)
        ]
        shown = [t for t in self.trends if t not in quiet]
        return sorted(shown, key=_trend_order), len(quiet)

    def scope_error_lines(self) -> list[str]:
        """One line per scope with errors: its rules and counts; the organisation (the
        leaders' decks, which see every row) first, so the list holds every scope the
        "blocked" tile counts."""
        order = {"organisation": 0, "intervention": 1, "team": 2}
        scopes = sorted({(k, i) for k, i, _, _ in self.errors_by_scope},
                        key=lambda scope: (order.get(scope[0], 3), scope[1] or ""))
        return [
            (f"{self.t('scope_' + kind)} {self.name(kind, sid)}: " if sid
             else f"{self.t('scope_' + kind)}: ")
            + ", ".join(
                f"{rule_title(rule, self.language)} ({self.number(n)})"
                for k, i, rule, n in self.errors_by_scope
                if (k, i) == (kind, sid)
            )
            for kind, sid in scopes
        ]

    def workshop_lines(self) -> list[str]:
        """One line per calibration item below the limit (as :meth:`rater_lines`)."""
        return [
            self.t(
                "workshop_line", instrument=self.name("instrument", w.instrument_id),
                item=w.item_no, alpha=self.number(w.alpha, 2),
            )
            for w in self.workshop_items
        ]

    def slide(self, max_rules: int = 6) -> Slide:
        """The summary as a slide: headline bullets and the rules with most findings."""
        bullets = [
            f"{self.t('completeness')}: {self.pct(self.completeness)} "
            f"({self.t('target')} {self.pct(self.completeness_target)})",
            f"{self.t('timeliness')}: {self.pct(self.timeliness)} "
            f"({self.t('target')} {self.pct(self.timeliness_target)})",
            *self.team_lines(),
            *self.rater_lines(),
        ]
        rows = tuple(
            (r.title, self.severity(r.severity), self.number(r.n_failed),
             self.number(r.n_checked))
            for r in self.rules[:max_rules]
        )
        return Slide(
            title=self.t("title"),
            subtitle=self.t("subtitle", run_id=self.run_id, as_of=self.date(self.as_of)),
            bullets=tuple(bullets),
            table_header=(self.t("rule"), self.t("severity"), self.t("found"), self.t("checked")),
            table_rows=rows,
            how_to_read=self.t("how_to_read"),
        )


def _query(con: duckdb.DuckDBPyConnection, name: str, run_id: str) -> list[dict]:
    rel = con.execute((REPORT_SQL / f"{name}.sql").read_text(encoding="utf-8"), [run_id])
    columns = [d[0] for d in rel.description]
    return [dict(zip(columns, row, strict=True)) for row in rel.fetchall()]


def signal_validation(con: duckdb.DuckDBPyConnection) -> list[SignalValidation]:
    """The off-course signals' validation from the built marts (none before a build)."""
    built = con.execute(
        "select count(*) from information_schema.tables where table_schema = 'main' "
        "and table_name = 'mart_expected_course_validation'"
    ).fetchone()
    if not built or not built[0]:
        return []
    rel = con.execute((REPORT_SQL / "signal_validation.sql").read_text(encoding="utf-8"))
    columns = [d[0] for d in rel.description]
    return [SignalValidation(**dict(zip(columns, row, strict=True))) for row in rel.fetchall()]


def quality_summary(
    con: duckdb.DuckDBPyConnection,
    config: DatadialogConfig,
    run_id: str | None = None,
) -> QualitySummary:
    """The summary of a run (default: the latest) from the stored quality tables."""
    run_id = run_id or latest_run_id(con)
    if run_id is None:
        raise LookupError("no check run is stored in quality.runs: run the checks first")
    head = _query(con, "headline", run_id)
    if not head:
        raise LookupError(f"no check run {run_id!r} in quality.runs")
    h = head[0]
    language = config.organisation.language
    summary = QualitySummary(
        run_id=run_id,
        started_at=h["started_at"],
        as_of=h["as_of_date"],
        scope_kind=h["scope_kind"],
        scope_id=h["scope_id"],
        n_errors=int(h["n_errors"] or 0),
        n_warnings=int(h["n_warnings"] or 0),
        n_blocked_scopes=int(h["n_blocked_scopes"] or 0),
        completeness=h["completeness"],
        completeness_target=h["completeness_target"],
        timeliness=h["timeliness"],
        timeliness_target=h["timeliness_target"],
        language=language,
        names=display_names(config),
        errors_block=bool(h["errors_block"]),
    )
    summary.rules = [
        RuleLine(
            r["rule_id"],
            rule_title(r["rule_id"], language),
            r["table_name"],
            r["severity"],
            int(r["n_failed"]),
            int(r["n_checked"]),
            r["fix"] or "",
            r["description"] or "",
        )
        for r in _query(con, "rule_lines", run_id)
    ]
    summary.raters = [
        RaterFlag(
            r["staff_id"],
            r["instrument_id"],
            r["rule_id"],
            float(r["observed"]),
            r["ci_low"],
            r["ci_high"],
            r["team_id"],
        )
        for r in _query(con, "raters", run_id)
    ]
    summary.teams = [
        TeamFlag(
            r["team_id"],
            r["metric_id"],
            r["value"],
            r["target"],
            int(r["numerator"]),
            int(r["denominator"]),
        )
        for r in _query(con, "teams_below", run_id)
    ]
    summary.workshop_items = [
        WorkshopItem(r["instrument_id"], int(r["item_no"]), float(r["alpha"]))
        for r in _query(con, "workshop_items", run_id)
    ]
    summary.errors_by_scope = [
        (r["scope_kind"], r["scope_id"], r["rule_id"], int(r["n_failed"]))
        for r in _query(con, "errors_by_scope", run_id)
    ]
    series: dict[tuple[str, str, str], list[dict]] = {}
    for r in _query(con, "trend", run_id):
        series.setdefault((r["metric_id"], r["group_kind"], r["group_id"]), []).append(r)
    summary.trends = [
        Trend(
            metric_id=key[0],
            group_kind=key[1],
            group_id=key[2],
            values=tuple(r["value"] for r in rows),
            run_ids=tuple(r["run_id"] for r in rows),
            target=rows[-1]["target"],
        )
        for key, rows in series.items()
        if any(r["value"] is not None for r in rows)
    ]
    summary.signals = signal_validation(con)
    return summary


# ---------------------------------------------------------------- HTML


def sparkline(
    values: tuple[float | None, ...],
    target: float | None = None,
    width: int = 120,
    height: int = 28,
) -> str:
    """An inline SVG line of the values (None: a gap); a dashed line at the target."""
    points = [v for v in values if v is not None]
    if not points:
        return ""
    lo = min(points + ([target] if target is not None else []))
    hi = max(points + ([target] if target is not None else []))
    span = hi - lo or 1.0
    step = width / max(len(values) - 1, 1)

    def y(v: float) -> float:
        return height - 3 - (v - lo) / span * (height - 6)

    coords = [f"{i * step:.1f},{y(v):.1f}" for i, v in enumerate(values) if v is not None]
    parts = [
        f'<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="trend">'
    ]
    if target is not None:
        parts.append(
            f'<line x1="0" x2="{width}" y1="{y(target):.1f}" y2="{y(target):.1f}" '
            'stroke="#999" stroke-dasharray="3,3"/>'
        )
    if len(coords) > 1:
        parts.append(
            f'<polyline fill="none" stroke="#1f5f8b" stroke-width="2" points="{" ".join(coords)}"/>'
        )
    last_x, last_y = coords[-1].split(",")
    parts.append(f'<circle cx="{last_x}" cy="{last_y}" r="2.5" fill="#1f5f8b"/>')
    parts.append("</svg>")
    return "".join(parts)


_CSS = """
body { font-family: "DejaVu Sans", Arial, sans-serif; margin: 24px; color: #222; }
body { max-width: 1000px; }
h1 { font-size: 22px; margin: 0; } h2 { font-size: 16px; margin: 18px 0 6px; }
.sub { color: #666; margin-bottom: 12px; }
.tiles { display: flex; gap: 12px; flex-wrap: wrap; }
.tile { border: 1px solid #ddd; border-radius: 6px; padding: 8px 12px; min-width: 140px; }
.tile .v { font-size: 22px; font-weight: bold; } .bad { color: #b3261e; }
table { border-collapse: collapse; font-size: 13px; width: 100%; }
th, td { text-align: left; padding: 3px 8px; border-bottom: 1px solid #eee; }
td.n { text-align: right; } .cols { display: flex; gap: 24px; } .cols > div { flex: 1; }
ul { margin: 4px 0; padding-left: 18px; font-size: 13px; } .read { color: #555; font-size: 12px; }
"""


def render_html(summary: QualitySummary) -> str:
    """The one-page report (self-contained HTML)."""
    s = summary
    e = html.escape

    def tile(label: str, value: str, bad: bool) -> str:
        cls = "v bad" if bad else "v"
        return f'<div class="tile"><div>{e(label)}</div><div class="{cls}">{e(value)}</div></div>'

    below = lambda v, t: v is not None and t is not None and v < t  # noqa: E731
    tiles = [
        tile(
            f"{s.t('completeness')} ({s.t('target')} {s.pct(s.completeness_target)})",
            s.pct(s.completeness),
            below(s.completeness, s.completeness_target),
        ),
        tile(
            f"{s.t('timeliness')} ({s.t('target')} {s.pct(s.timeliness_target)})",
            s.pct(s.timeliness),
            below(s.timeliness, s.timeliness_target),
        ),
        tile(s.t("errors"), s.number(s.n_errors), s.n_errors > 0),
        tile(s.t("warnings"), s.number(s.n_warnings), False),
    ]
    scope_lines = s.scope_error_lines()
    if s.errors_block:
        tiles.append(tile(s.t("blocked"), s.number(s.n_blocked_scopes), s.n_blocked_scopes > 0))
        scopes_title, scopes_empty, scopes_note = s.t("blocked"), "blocked_none", ""
    else:
        tiles.append(tile(s.t("with_errors"), s.number(len(scope_lines)), bool(scope_lines)))
        scopes_title, scopes_empty = s.t("with_errors"), "with_errors_none"
        scopes_note = f'<p class="read">{e(s.t("with_errors_note"))}</p>'

    def bullet_list(lines: list[str], empty_key: str) -> str:
        if not lines:
            return f"<ul><li>{e(s.t(empty_key))}</li></ul>"
        return "<ul>" + "".join(f"<li>{e(line)}</li>" for line in lines) + "</ul>"

    def rule_row(r: RuleLine) -> str:
        description, fix = s.rule_help(r)
        what = f'<div class="read">{e(description)}</div>' if description else ""
        return (
            f"<tr><td>{e(r.title)}{what}</td><td>{e(r.rule_id)}</td>"
            f"<td>{e(s.severity(r.severity))}</td><td class=\"n\">{e(s.number(r.n_failed))}</td>"
            f'<td class="n">{e(s.number(r.n_checked))}</td><td>{e(fix)}</td></tr>'
        )

    rule_rows = "".join(rule_row(r) for r in s.rules)
    trends, n_quiet = s.shown_trends()
    n_runs = max((len(t.values) for t in trends), default=0)
    trend_rows = "".join(
        f"<tr><td>{e(s.trend_label(t))}</td>"
        f"<td>{sparkline(t.values, t.target) if len(t.values) > 1 else ''}</td>"
        f'<td class="n">{e(s.trend_value(t))}</td><td class="n">{len(t.values)}</td></tr>'
        for t in trends
    )
    trend_notes = [s.t("trend_first_run")] if n_runs == 1 else []
    if n_quiet:
        trend_notes.append(s.t("trend_hidden_rules", n=n_quiet))
    trend_note = "".join(f'<p class="read">{e(note)}</p>' for note in trend_notes)
    signal_rows = "".join(
        f"<tr><td>{e(s.name('intervention', v.intervention_id))}</td>"
        f"<td>{e(s.name('instrument', v.instrument_id))}</td>"
        f'<td class="n">{"&lt;" if v.n_test is None else e(s.number(v.n_test))}</td>'
        f'<td class="n">{e(s.pct(v.hit_rate))}</td>'
        f'<td class="n">{e(s.pct(v.false_alarm_rate))}</td>'
        f'<td class="n">{e(s.number(v.n_late_improvers))} '
        f"({e(s.number(v.n_late_missed))})</td></tr>"
        for v in s.signals
    )
    split = next((v.split_on for v in s.signals if v.split_on), None)
    signal_header = "".join(f"<th>{e(c)}</th>" for c in s.t("signals_columns").split("|"))
    signals_html = (
        f'<p class="read">{e(s.t("signals_note", split=s.date(split)))}'
        f"</p><table><tr>{signal_header}</tr>{signal_rows}</table>"
        if s.signals
        else f"<ul><li>{e(s.t('signals_none'))}</li></ul>"
    )
    return f"""<!doctype html>
<html lang="{e(s.language)}"><head><meta charset="utf-8">
<title>{e(s.t("title"))} {e(s.run_id)}</title><style>{_CSS}</style></head><body>
<h1>{e(s.t("title"))}</h1>
<div class="sub">{e(s.t("subtitle", run_id=s.run_id, as_of=s.date(s.as_of)))}</div>
<div class="tiles">{"".join(tiles)}</div>
<div class="cols"><div>
<h2>{e(s.t("teams"))}</h2>{bullet_list(s.team_lines(), "teams_none")}
<h2>{e(s.t("raters"))}</h2>{bullet_list(s.rater_lines(), "raters_none")}
</div><div>
<h2>{e(s.t("workshop"))}</h2>{bullet_list(s.workshop_lines()[:10], "workshop_none")}
<h2>{e(scopes_title)}</h2>{bullet_list(scope_lines, scopes_empty)}{scopes_note}
</div></div>
<h2>{e(s.t("rules"))}</h2>
<table><tr><th>{e(s.t("rule"))}</th><th>id</th><th>{e(s.t("severity"))}</th>
<th>{e(s.t("found"))}</th><th>{e(s.t("checked"))}</th><th>{e(s.t("fix"))}</th></tr>{rule_rows}
</table>
<h2>{e(s.t("trends"))}</h2>{trend_note}
<table><tr><th>{e(s.t("trend_metric"))}</th><th>{e(s.t("trend_line"))}</th>
<th>{e(s.t("trend_last"))}</th><th>{e(s.t("trend_runs"))}</th></tr>{trend_rows}</table>
<h2>{e(s.t("signals"))}</h2>{signals_html}
<p class="read">{e(s.t("how_to_read"))}</p>
</body></html>
"""


def _trend_order(t: Trend) -> tuple:
    kind = (
        0
        if t.metric_id in ("completeness", "timeliness")
        else (1 if t.metric_id == "calibration_alpha" else 2)
    )
    return (kind, t.group_kind != "all", t.metric_id, t.group_id)


def write_report(
    con: duckdb.DuckDBPyConnection,
    config: DatadialogConfig,
    path: Path,
    run_id: str | None = None,
) -> QualitySummary:
    """Write the HTML report of a run (default: the latest) to ``path``, whole or not at
    all (a full disk leaves no 0-byte report: :mod:`datadialog.atomic_write`)."""
    summary = quality_summary(con, config, run_id)
    write_text(path, render_html(summary))
    return summary
