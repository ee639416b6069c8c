"""The data steward's site, gathered: quality, lineage, teams and interventions.

:func:`write_site` reads the latest quality run (``checks.report``,
``checks.site_data``), the due list (``checks.due``), the loads, the SQL models' header
contracts (``transforms.build``) and the deck specifications of each meeting's last deck
(the same builders the decks use, :mod:`pipeline.decks`), puts them in one
:class:`~outputs.site.model.SiteData` per language and has :mod:`outputs.site.render`
write the pages. ``datadialog site`` calls it; the quality run and the meeting run
refresh it.

Lineage, like dbt's exposures: a figure id names the query files its numbers come from
(:data:`FIGURE_QUERIES`); a query file names the marts it reads; a model's SQL names the
models and staging tables beneath it; ``staging.loads`` names the files, with checksums,
that filled each staging table.
"""

from __future__ import annotations

import functools
import logging
import os
import re
from datetime import date
from pathlib import Path

import duckdb

from checks.due import by_overdue, due_list
from checks.report import quality_summary
from checks.run import CheckError, build_as_of, latest_covering_run, missing_build
from checks.site_data import (
    failing_rows,
    loads,
    quarantined,
    scope_findings,
    scope_rates,
    scope_trends,
)
from checks.texts import RULE_TITLES, rule_help, rule_title
from datadialog.config_model import DatadialogConfig, MeetingSeries
from datadialog.db import connect, database_path
from datadialog.names import display_names
from datadialog.privacy import mask_text
from outputs.common import meeting_name
from outputs.delivery import DEFAULT_OUTBOX, read_manifest
from outputs.site.model import (
    DeckLink,
    DeckPage,
    FigureLineage,
    Load,
    RuleFindings,
    ScopeQuality,
    SiteData,
    page_file,
)
from outputs.site.render import LANGUAGES
from outputs.site.render import write_site as render_site
from outputs.spec import DeckSpec, FigureSpec
from outputs.strategic_pack import strategic_spec
from pipeline.decks import QUERY_DIR, DeckJob, citizen_pack_spec, intervention_pack_spec
from transforms.build import Model, discover_models

#: Per pack: the first part of a figure's id (before ``:``; for citizen figures the part
#: after the course id) -> the query files (``outputs/queries``) its numbers come from.
FIGURE_QUERIES: dict[str, dict[str, tuple[str, ...]]] = {
    "intervention_pack": {
        "target_group": ("intervention_target_group",),
        "goal_attainment": ("intervention_goal_attainment",),
        "progression": ("intervention_progression", "intervention_reliable_change"),
        "comparison": ("intervention_comparison",),
        "fidelity": ("intervention_fidelity",),
        "vs_expected": ("intervention_vs_expected",),  # results against expected
        "trial": ("intervention_run_chart",),  # an improvement trial's run chart
    },
    "citizen_pack": {
        "kik": ("citizen_kik",),
        # <course>:<instrument>: the citizen's scores and expected band (marts only)
        "*": ("citizen_scores", "citizen_flags"),
    },
    "leaders_summary": {
        "comparison": ("strategic_overview",),
        "cost_composition": ("strategic_costs",),
        "trend_cost": ("strategic_overview",),
        "trend_result": ("strategic_overview",),
        "target_group": ("strategic_target_group",),
    },
}
#: Per pack: the figures (first part of the id) built from costs and courses only, no
#: instrument's scores, though their mart also holds results (mart_strategic_overview):
#: a failing row about a measurement cannot change them (FigureLineage.measurements).
NO_MEASUREMENT_FIGURES: dict[str, frozenset[str]] = {
    "leaders_summary": frozenset({"cost_composition", "trend_cost"}),
}
#: Rules about measurements not made (or made late): their page links the due list.
DUE_RULES = ("missing_measurement", "late_measurement", "timeliness_below_target",
             "completeness_below_target")
log = logging.getLogger(__name__)
_MART = re.compile(r"\b(mart_[a-z0-9_]+)\b")
_STAGING = re.compile(r"\bstaging\.([a-z_]+)\b")


def figure_queries(pack: str, figure_id: str) -> tuple[str, ...]:
    """The query files behind a figure of ``pack`` (KeyError for a figure not known:
    a new figure must be added to :data:`FIGURE_QUERIES`)."""
    known = FIGURE_QUERIES[pack]
    if pack == "citizen_pack":
        return known.get(figure_id.split(":")[-1], known["*"])
    return known[figure_id.split(":")[0]]


def query_marts(query: str, query_dir: Path = QUERY_DIR) -> tuple[str, ...]:
    return _marts_named((query_dir / f"{query}.sql").read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=512)
def _marts_named(sql: str) -> tuple[str, ...]:
    """The marts a query's SQL names, in order (by text: the site asks for every figure's
    queries, the same few files again and again)."""
    return tuple(dict.fromkeys(_MART.findall(sql)))


@functools.lru_cache(maxsize=512)
def _staging_named(sql: str) -> tuple[str, ...]:
    """The staging tables a model's SQL names, in order (by text, as above: a site of 250
    figures looked through the same models' SQL 2 000 times, 0.25 s)."""
    return tuple(dict.fromkeys(_STAGING.findall(sql)))


def models_beneath(marts: tuple[str, ...], models: dict[str, Model]) -> list[Model]:
    """The marts and every model they are built from, nearest first."""
    seen: list[str] = []
    queue = list(marts)
    while queue:
        name = queue.pop(0)
        if name in seen or name not in models:
            continue
        seen.append(name)
        queue.extend(models[name].depends_on)
    return [models[n] for n in seen]


def figure_instruments(pack: str, fig: FigureSpec,
                       instruments: dict[str, str]) -> frozenset[str]:
    """The instruments (ids) whose scores a figure shows: a citizen's figure by its id
    (``<course>:<instrument>``); any other by the instruments its title, axis label and
    how-to name (``instruments``: id -> the short name the decks write, "ORS",
    "Misbrugssværhed"). Empty when none is named (costs, goals): such a figure is taken
    to read every instrument, unless :data:`NO_MEASUREMENT_FIGURES` says it reads none.
    The specifications carry no instrument of their own, so the names their texts print
    are what tells."""
    if pack == "citizen_pack":
        instrument = fig.id.partition(":")[2]
        return frozenset({instrument} & instruments.keys())
    text = " ".join((fig.title, fig.y_label, fig.how_to_read))
    return frozenset(i for i, name in instruments.items()
                     if name and _names(name).search(text))


@functools.lru_cache(maxsize=64)
def _names(name: str) -> re.Pattern[str]:
    """An instrument's short name as a word ("ORS", "ORS-score"; not "GASTRO"), a long
    name also as the first part of a compound ("misbrugssværhedsscore")."""
    end = "" if len(name) >= 6 else r"(?![^\W\d_])"
    return re.compile(rf"(?<![\w]){re.escape(name)}{end}", re.IGNORECASE)


def _lineage(pack: str, deck: str, page: str, spec: DeckSpec, models: dict[str, Model],
             loads_by_table: dict[str, list[Load]],
             instruments: dict[str, str] | None = None) -> list[FigureLineage]:
    found = []
    for slide, fig in ((s, f) for s in spec.slides for f in s.figures):
        queries = figure_queries(pack, fig.id)
        marts = tuple(dict.fromkeys(m for q in queries for m in query_marts(q)))
        chain = models_beneath(marts, models)
        sources = tuple(dict.fromkeys(t for m in chain for t in _staging_named(m.sql)))
        found.append(FigureLineage(
            anchor=_anchor(deck, fig.id), page=page, deck=deck, figure_id=fig.id,
            title=fig.title or slide.title, queries=queries, marts=marts,
            models=tuple((m.name, m.layer) for m in chain if m.name not in marts),
            sources=sources,
            loads=tuple(ld for t in sources for ld in loads_by_table.get(t, [])),
            instruments=figure_instruments(pack, fig, instruments or {}),
            measurements=fig.id.split(":")[0] not in NO_MEASUREMENT_FIGURES.get(pack, ()),
            interventions=None if fig.interventions is None else frozenset(fig.interventions),
        ))
    return found


def _anchor(deck: str, figure_id: str) -> str:
    return "fig-" + "".join(c if c.isalnum() or c in "-_" else "-" for c in f"{deck}-{figure_id}")


def _last_deck(outbox: Path, meeting_id: str) -> tuple[date | None, dict | None, Path | None]:
    """The latest dated folder of a meeting series in the outbox, with its manifest."""
    folder = outbox / meeting_id
    dated = sorted(p for p in folder.glob("????-??-??") if p.is_dir()) if folder.is_dir() else []
    for path in reversed(dated):
        manifest = read_manifest(path)
        if manifest is not None:
            return date.fromisoformat(path.name), manifest, path
    return None, None, None


def _pages(con, config: DatadialogConfig, outbox: Path, lang_dir: Path, as_of: date,
           lang: str) -> list[tuple[DeckPage, str]]:
    """One page per team (citizen meetings), intervention (intervention meetings) and
    leaders' series (organisation meetings): the specification of its last deck,
    rebuilt from the marts, and links to the decks. A deck that cannot be built leaves
    its page with a note (and the reason in the log), not the site unwritten."""
    cfg = _with_language(config, lang)
    found = []
    for meeting in config.meetings:
        if meeting.level == "citizen" and meeting.team:
            kind, scope_id, pack = "team", meeting.team, "citizen_pack"
            name = next((t.name for t in config.teams if t.id == meeting.team), meeting.team)
        elif meeting.level == "intervention" and meeting.intervention:
            kind, scope_id, pack = "intervention", meeting.intervention, "intervention_pack"
            name = config.intervention(meeting.intervention).name
        elif meeting.level == "organisation":
            kind, scope_id, pack = "organisation", meeting.id, "leaders_summary"
            name = config.organisation.name
        else:
            continue
        day, manifest, folder = _last_deck(outbox, meeting.id)
        page = DeckPage(kind, scope_id, name, meeting.id, day or as_of, None,
                        meeting_name=meeting_name(config, meeting, lang))
        if manifest is not None:
            page.decks = [
                DeckLink(d["file"], os.path.relpath(folder / d["file"], lang_dir), d["status"])
                for d in manifest.get("decks", []) if d.get("file")
            ]
        try:
            page.spec = _spec(con, cfg, meeting, page.meeting_date, pack)
        except Exception as exc:  # one deck's failure must not stop the site
            page.note = text_of_failure(exc, lang)
            log.warning("site: no figures for %s: %s", meeting.id, page.note)
        else:
            if kind == "organisation":
                page.name = page.spec.title
        found.append((page, pack))
    return found


def text_of_failure(exc: BaseException, lang: str) -> str:
    """Why a page has no figures, in one line (CPR numbers masked)."""
    first = mask_text(f"{type(exc).__name__}: {exc}".strip().splitlines()[0])[:300]
    lead = "Figurerne kunne ikke laves" if lang == "da" else "The figures could not be made"
    return f"{lead}: {first}"


def _spec(con, config: DatadialogConfig, meeting: MeetingSeries, day: date,
          pack: str) -> DeckSpec:
    if pack == "leaders_summary":
        titles = {rule_id: rule_title(rule_id, config.organisation.language)
                  for rule_id in RULE_TITLES}
        data, spec = strategic_spec(con, config, meeting.id, day, rule_titles=titles)
        # every figure of the summary shows the interventions it gathered, no other
        shown = tuple(iv.id for iv in data.interventions)
        for fig in (f for slide in spec.slides for f in slide.figures):
            if fig.interventions is None:
                fig.interventions = shown
        return spec
    job = DeckJob(con, config, meeting, day, Path("."), meeting.id, [])
    return citizen_pack_spec(job) if pack == "citizen_pack" else intervention_pack_spec(job)


def _with_language(config: DatadialogConfig, lang: str) -> DatadialogConfig:
    if config.organisation.language == lang:
        return config
    return config.model_copy(
        update={"organisation": config.organisation.model_copy(update={"language": lang})})


def site_data(con: duckdb.DuckDBPyConnection, config: DatadialogConfig, lang: str,
              lang_dir: Path, outbox: Path, due_dir: Path | None = None) -> SiteData:
    """Everything one language's pages show."""
    as_of = build_as_of(con)
    try:  # the site shows the whole organisation: its newest organisation-wide run (a
        # run of one team checked none of the others' rows)
        row = latest_covering_run(con, "organisation", None)
    except duckdb.CatalogException:  # built, never checked: quality.runs does not exist
        row = None
    run_id = row[0] if row else None
    site = SiteData(lang, config.organisation.name, as_of, run_id, None, None, None, None,
                    None, 0, 0)
    site.names = display_names(config)
    instruments = {sid: name for (kind, sid), name in site.names.items() if kind == "instrument"}
    model_list = discover_models()
    models = {m.name: m for m in model_list}
    site.loads = [Load(r["canonical_table"], r["file_name"], r["sheet"], r["sha256"],
                       r["loaded_at"], int(r["rows_in"]), int(r["rows_staged"]),
                       int(r["rows_quarantined"])) for r in loads(con)]
    loads_by_table: dict[str, list[Load]] = {}
    for ld in site.loads:
        loads_by_table.setdefault(ld.canonical_table, []).append(ld)
    for page, pack in _pages(con, config, outbox, lang_dir, as_of, lang):
        site.pages.append(page)
        if page.spec is not None:
            site.lineage += _lineage(pack, page.meeting_id, page_file(page.kind, page.scope_id),
                                     page.spec, models, loads_by_table, instruments)
    site.quarantine = quarantined(con)
    site.due = by_overdue(due_list(con, as_of=as_of).to_pylist())
    site.missing_rule_title = rule_title("missing_measurement", lang)
    if due_dir is not None and due_dir.is_dir():
        site.due_files = [(p.name, os.path.relpath(p, lang_dir))
                          for p in sorted(due_dir.glob("due_*.xlsx"))]
    if run_id is None:
        return site
    summary = quality_summary(con, config, run_id)
    summary.language = lang
    site.run_started_at = summary.started_at
    site.completeness, site.completeness_target = (summary.completeness,
                                                   summary.completeness_target)
    site.timeliness, site.timeliness_target = summary.timeliness, summary.timeliness_target
    site.n_errors, site.n_warnings = summary.n_errors, summary.n_warnings
    rows_by_rule: dict[str, list[dict]] = {}
    for row in failing_rows(con, run_id):
        rows_by_rule.setdefault(row["rule_id"], []).append(row)
    site.rules = [
        RuleFindings(r.rule_id, rule_title(r.rule_id, lang), r.severity, r.table_name,
                     r.n_failed, r.n_checked, *rule_help(r.rule_id, lang, r.description, r.fix),
                     tuple(row for row in rows_by_rule.get(r.rule_id, [])
                           if row["table_name"] == r.table_name),
                     r.rule_id in DUE_RULES)
        for r in summary.rules
    ]
    # the report's lines, names and numbers: one wording for the report and the site
    site.rater_lines = summary.rater_lines()
    site.workshop_lines = summary.workshop_lines()
    trends, _quiet = summary.shown_trends()
    site.trends = [(summary.trend_label(t), t.values, t.target, summary.trend_value(t))
                   for t in trends]
    trends_by_scope = scope_trends(con, run_id)
    findings = scope_findings(con, run_id)
    rates = scope_rates(con, run_id)
    names = site.names
    quarantine: dict[tuple[str, str], dict[str, int]] = {}
    for q in site.quarantine:
        for kind in ("team", "intervention"):
            if q[f"{kind}_id"]:
                per_rule = quarantine.setdefault((kind, q[f"{kind}_id"]), {})
                per_rule[q["rule"]] = per_rule.get(q["rule"], 0) + 1
    drifting: dict[str, list[str]] = {}
    for rater in summary.raters:
        if rater.team_id and rater.staff_id not in drifting.get(rater.team_id, []):
            drifting.setdefault(rater.team_id, []).append(rater.staff_id)
    scopes = sorted(set(rates) | {(f["scope_kind"], f["scope_id"]) for f in findings}
                    | set(quarantine))
    for kind, sid in scopes:
        r = rates.get((kind, sid))
        site.scopes.append(ScopeQuality(
            kind, sid, names.get((kind, sid), sid),
            r.completeness if r else None, r.completeness_target if r else None,
            r.timeliness if r else None, r.timeliness_target if r else None,
            tuple((f["rule_id"], f["severity"], int(f["n_failed"])) for f in findings
                  if (f["scope_kind"], f["scope_id"]) == (kind, sid)),
            trends_by_scope.get((kind, sid, "completeness"), ()),
            trends_by_scope.get((kind, sid, "timeliness"), ()),
            tuple(sorted(quarantine.get((kind, sid), {}).items(), key=lambda x: (-x[1], x[0]))),
            tuple(drifting.get(sid, [])) if kind == "team" else (),
        ))
    return site


def refresh_site(db_path: str | Path, config: DatadialogConfig, out_dir: Path, *,
                 outbox: Path | None = None, due_dir: Path | None = None) -> Path:
    """Rewrite the site from the database file (read-only); returns its index.html."""
    con = connect(database_path(db_path), read_only=True)
    try:
        write_site(con, config, out_dir, outbox=outbox, due_dir=due_dir)
    finally:
        con.close()
    return out_dir / "index.html"


def write_site(con: duckdb.DuckDBPyConnection, config: DatadialogConfig, out_dir: Path, *,
               outbox: Path | None = None, due_dir: Path | None = None) -> list[Path]:
    """Write the site (every language) into ``out_dir``; returns the files written.
    Raises :class:`checks.run.CheckError` when the database has not been built (nothing
    is written then)."""
    missing = missing_build(con)
    if missing:
        raise CheckError(f"the database is not built (missing {', '.join(missing[:3])}): "
                         "run datadialog build (or datadialog check) first")
    outbox = Path(outbox or DEFAULT_OUTBOX)
    sites = [site_data(con, config, lang, out_dir / lang, outbox, due_dir)
             for lang in LANGUAGES]
    default = config.organisation.language if config.organisation.language in LANGUAGES \
        else "da"
    return render_site(sites, out_dir, default)



