"""What the site shows, as plain data gathered before any HTML is drawn.

:mod:`pipeline.site` fills a :class:`SiteData` per language from the quality tables,
the loads, the SQL models' header contracts and the deck specifications; the renderer
(:mod:`outputs.site.render`) only formats it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from outputs.spec import DeckSpec


@dataclass(frozen=True)
class RuleFindings:
    """One rule of the run with findings, and its failing rows."""

    rule_id: str
    title: str
    severity: str  # error | warning | info
    table_name: str
    n_failed: int
    n_checked: int
    description: str
    fix: str
    rows: tuple[dict[str, Any], ...] = ()  # failing_rows.sql, numbered by failure_no
    concerns_due_list: bool = False  # missing or late measurements: the due list helps


@dataclass(frozen=True)
class ScopeQuality:
    """One team or intervention: its rates, findings per rule, and its trend."""

    kind: str  # team | intervention
    scope_id: str
    name: str
    completeness: float | None
    completeness_target: float | None
    timeliness: float | None
    timeliness_target: float | None
    findings: tuple[tuple[str, str, int], ...] = ()  # (rule_id, severity, n failing rows)
    completeness_trend: tuple[float | None, ...] = ()  # oldest run first
    timeliness_trend: tuple[float | None, ...] = ()
    quarantine: tuple[tuple[str, int], ...] = ()  # (ingest rule, records) placed here
    raters: tuple[str, ...] = ()  # staff whose ratings drift from the team's (rater_drift)


@dataclass(frozen=True)
class Load:
    """One file's load into one staging table."""

    canonical_table: str
    file_name: str
    sheet: str | None
    sha256: str
    loaded_at: datetime | None
    rows_in: int
    rows_staged: int
    rows_quarantined: int


@dataclass(frozen=True)
class FigureLineage:
    """Where one deck figure's numbers come from: query files, marts, the models below
    them (nearest first) and the staging tables and loads at the bottom."""

    anchor: str  # the figure's id on the lineage page
    page: str  # the team or intervention page that shows the figure
    deck: str  # meeting series id
    figure_id: str
    title: str
    queries: tuple[str, ...]
    marts: tuple[str, ...]
    models: tuple[tuple[str, str], ...]  # (model, layer), nearest first
    sources: tuple[str, ...]  # staging tables
    loads: tuple[Load, ...]
    #: the instruments (ids) whose scores the figure shows; empty when not known (a
    #: figure of costs or goals, or one whose texts name no instrument)
    instruments: frozenset[str] = frozenset()
    #: False for a figure built from no instrument's scores (costs only,
    #: pipeline.site.NO_MEASUREMENT_FIGURES): a failing row of a measurement cannot
    #: change it, whatever models its mart reads
    measurements: bool = True
    #: the interventions whose numbers the figure shows (FigureSpec.interventions); None
    #: when not said (those of its page)
    interventions: frozenset[str] | None = None


#: Tables whose failing rows are about a measurement (a form, a score, a planned point),
#: without the "staging." prefix; a row naming an instrument is one too.
MEASUREMENT_TABLES = frozenset({"measurements", "int_scores", "int_point_status",
                                "int_form_points", "calibration_scores"})


@dataclass(frozen=True)
class DeckLink:
    label: str
    href: str  # relative to the page
    status: str


@dataclass
class DeckPage:
    """A team's or an intervention's page: the figures of its last deck."""

    kind: str  # team | intervention | organisation (scope_id: the meeting series)
    scope_id: str
    name: str
    meeting_id: str
    meeting_date: date | None
    spec: DeckSpec | None
    decks: list[DeckLink] = field(default_factory=list)
    note: str = ""  # why there are no figures, when there are none
    meeting_name: str = ""  # the meeting series as readers see it (default: its id)


#: A figure of the lineage placed on its page: (position in the lineage, figure, page
#: kind, every relation it reads: staging tables, models and marts).
_PlacedFigure = tuple[int, FigureLineage, str, frozenset[str]]


@dataclass
class SiteData:
    language: str
    organisation: str
    as_of: date  # the data as of (the build's date)
    run_id: str | None
    run_started_at: datetime | None
    completeness: float | None
    completeness_target: float | None
    timeliness: float | None
    timeliness_target: float | None
    n_errors: int
    n_warnings: int
    rules: list[RuleFindings] = field(default_factory=list)
    scopes: list[ScopeQuality] = field(default_factory=list)
    rater_lines: list[str] = field(default_factory=list)
    workshop_lines: list[str] = field(default_factory=list)
    trends: list[tuple[str, tuple[float | None, ...], float | None, str]] = field(
        default_factory=list)  # (label, values, target, last value formatted)
    quarantine: list[dict[str, Any]] = field(default_factory=list)
    due: list[dict[str, Any]] = field(default_factory=list)  # due_list.sql rows
    due_files: list[tuple[str, str]] = field(default_factory=list)  # (label, href)
    #: the missing_measurement rule's title (the due page names it when no row failed it)
    missing_rule_title: str = "missing_measurement"
    loads: list[Load] = field(default_factory=list)
    lineage: list[FigureLineage] = field(default_factory=list)
    pages: list[DeckPage] = field(default_factory=list)
    #: (kind, id) -> display name, kind team | intervention | instrument (the config's)
    names: dict[tuple[str, str], str] = field(default_factory=dict)

    def affected_figures(self, row: dict[str, Any], table_name: str) -> list[FigureLineage]:
        """The deck figures a failing row can change: the figure reads the row's table
        (directly or through the models beneath it) and shows the row's intervention or
        team (a page of another scope is not affected; the leaders' summary shows them
        all). A citizen's figure (id ``<course>:<instrument>``) is affected only by a row
        of that course and, when the row names one, that instrument. Any other figure
        whose instruments are known is affected only by a row of one of them (a GAS score
        cannot change an ORS figure of the same intervention); a row of no instrument,
        or a figure of none known, as by table and scope. A figure built from no
        instrument's scores (costs: ``measurements`` False) is not affected by a row about
        a measurement (:data:`MEASUREMENT_TABLES`, or a row naming an instrument), and a
        figure that names its interventions only by a row of one of them. In the order of
        :attr:`lineage`."""
        table = table_name.removeprefix("staging.")
        by_scope = self._figures_by_scope()
        candidates = list(by_scope.get(("organisation", None), []))
        for scope in {("intervention", row.get("intervention_id")), ("team", row.get("team_id"))}:
            candidates += by_scope.get(scope, [])
        about_measurement = bool(row.get("instrument_id")) or table in MEASUREMENT_TABLES
        hits = []
        for _, fig, kind, reads in sorted(candidates, key=lambda c: c[0]):
            if kind == "team" and not _same_citizen_figure(fig.figure_id, row):
                continue
            if about_measurement and not fig.measurements:
                continue
            if fig.interventions is not None and row.get("intervention_id") \
                    and row["intervention_id"] not in fig.interventions:
                continue
            if row.get("instrument_id") and fig.instruments \
                    and row["instrument_id"] not in fig.instruments:
                continue
            if table in reads:
                hits.append(fig)
        return hits

    def _figures_by_scope(self) -> dict[tuple[str, str | None], list[_PlacedFigure]]:
        """The lineage's figures by the scope of the page that shows them ((kind, id);
        every organisation page under ("organisation", None)), each as
        :data:`_PlacedFigure`; a figure of no page is left out. Worked out
        once for the pages and figures as they are (a site of 2 000 failing rows asked
        for it per row, finding each figure's page by name: 3.7 s of a 6 s refresh)."""
        key = (len(self.pages), len(self.lineage))
        cached = self.__dict__.get("_by_scope")
        if cached is not None and cached[0] == key:
            return cached[1]
        pages: dict[str, DeckPage] = {}
        for page in self.pages:
            pages.setdefault(_page_file(page), page)  # the first page of a name, as before
        by_scope: dict[tuple[str, str | None], list[_PlacedFigure]] = {}
        for n, fig in enumerate(self.lineage):
            page = pages.get(fig.page)
            if page is None:
                continue
            scope = (("organisation", None) if page.kind == "organisation"
                     else (page.kind, page.scope_id))
            reads = frozenset((*fig.sources, *(m for m, _ in fig.models), *fig.marts))
            by_scope.setdefault(scope, []).append((n, fig, page.kind, reads))
        self.__dict__["_by_scope"] = (key, by_scope)
        return by_scope


def _same_citizen_figure(figure_id: str, row: dict[str, Any]) -> bool:
    course, _, instrument = figure_id.partition(":")
    if row.get("course_id") != course:
        return False
    return not row.get("instrument_id") or row["instrument_id"] == instrument


def _page_file(page: DeckPage) -> str:
    return page_file(page.kind, page.scope_id)


def page_file(kind: str, scope_id: str) -> str:
    """The file name of a team's or an intervention's page."""
    return f"{kind}-{_slug(scope_id)}.html"


def rule_file(rule_id: str) -> str:
    return f"rule-{_slug(rule_id)}.html"


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in text)
