"""Which packs a meeting gets, and the builder of each: gather, build, render.

Every builder takes a :class:`DeckJob` (the open database, the config, the meeting, its
folder and the data-quality caveats of the marts the pack reads, as
:class:`outputs.caveats.Caveat`) and returns the file it wrote. The packs that render
(:data:`DRAFTERS`) are split in two: ``draft_*`` gathers the data and builds the
specification (a :class:`DeckDraft`: what the deck will show, and how to write it), and
the draft's ``write`` renders it; ``build_*`` does both.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb

from checks.run import CheckError, build_as_of, course_caveats, latest_covering_run
from checks.site_data import scope_badge_rates
from checks.texts import RULE_TITLES, caveat_rule, rule_title, slide_caveat
from datadialog.agreement_form import REGISTER_SUFFIXES, MeetingKey, RegisterRow, write_register
from datadialog.config_model import DatadialogConfig, MeetingSeries
from outputs.caveats import Caveat
from outputs.citizen_pack import CitizenPackData, build_citizen_deck, display_names
from outputs.common import DeckOptions, options_from_config
from outputs.gather import gather_citizen_pack, gather_intervention_pack
from outputs.intervention_pack import QualityNote, build_intervention_deck
from outputs.render import render_deck
from outputs.spec import DeckSpec, QualityBadge, SlideSpec, TextBlock
from outputs.strategic_pack import strategic_spec, write_strategic_pack
from outputs.strategic_xlsx import workbook_name
from outputs.texts import t
from pipeline.calendar import meeting_times
from transforms.build import SQL_DIR, Model, discover_models

QUERY_DIR = Path(__file__).resolve().parent.parent / "outputs" / "queries"
#: Which pack each meeting level gets (progress meetings: none yet, see below).
DECKS_BY_LEVEL: dict[str, tuple[str, ...]] = {
    "citizen": ("citizen_pack",),
    "intervention": ("intervention_pack",),
    "organisation": ("leaders_summary", "leaders_tables"),
    "progress": ("progress_board",),
}
#: Query files a pack reads (``outputs/queries/<prefix>_*.sql``): their marts pick caveats.
PACK_QUERIES = {"citizen_pack": "citizen", "intervention_pack": "intervention"}


class DeckNotAvailable(Exception):
    """This kind of pack cannot be made yet (the deck is reported as skipped)."""


@dataclass
class DeckJob:
    """Everything a pack builder needs for one meeting."""

    con: Any
    config: DatadialogConfig
    meeting: MeetingSeries
    meeting_date: date
    folder: Path
    stem: str
    caveats: list[Caveat]  # a builder that scopes them further leaves its own here
    template: str | Path | None = None
    quality_run_id: str | None = None  # the run the caveats come from


DeckBuilder = Callable[[DeckJob], Path]


@dataclass
class DeckDraft:
    """A pack gathered and specified, not yet written: what it shows and how to write it.

    ``shows`` holds everything the deck and the files beside it show (the specification
    with its caveats and badge, the register's rows or the workbook's tables, the deck
    options): :func:`pipeline.deck_digest.deck_digest` is taken over it."""

    file: str  # the deck's file name in the meeting folder
    shows: dict[str, Any]
    write: Callable[[], Path]  # renders the deck and the files beside it; returns the deck
    beside: tuple[str, ...] = ()  # files the same write puts beside the deck


DeckDrafter = Callable[[DeckJob], DeckDraft]


def worded_caveats(texts: list[str], lang: str) -> list[Caveat]:
    """The checks' caveat texts as the deck builders take them."""
    return [Caveat(text, slide_caveat(text, lang), caveat_rule(text, lang)) for text in texts]


def previous_quarter(day: date) -> tuple[date, date, int, int]:
    """(first day, last day, quarter, year) of the last full quarter before ``day``."""
    q = (day.month - 1) // 3  # quarters before this one in the year
    year = day.year if q else day.year - 1
    quarter = q if q else 4
    start = date(year, 3 * (quarter - 1) + 1, 1)
    end = date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1) - timedelta(days=1)
    return start, end, quarter, year


def quarter_label(quarter: int, year: int, lang: str) -> str:
    return f"{quarter}. kvartal {year}" if lang == "da" else f"Q{quarter} {year}"


def pack_marts(pack: str, query_dir: Path = QUERY_DIR) -> list[str] | None:
    """The marts a pack's query files read, and the marts those are built from (a caveat
    on ``mart_citizen_measurement_status`` also concerns the collection figures made of
    it); None for an unknown pack, so every caveat applies. Worked out once per version
    of the query and model files (their names and modification times): every meeting
    asks, and reading every model costs a few tens of milliseconds."""
    prefix = PACK_QUERIES.get(pack)
    if prefix is None:
        return None
    return list(_pack_lineage(_stamp(sorted(query_dir.glob(f"{prefix}_*.sql"))),
                              _stamp(sorted(SQL_DIR.glob("*/*.sql")))))


def _stamp(paths: list[Path]) -> tuple[tuple[str, int], ...]:
    return tuple((str(p), p.stat().st_mtime_ns) for p in paths)


@functools.lru_cache(maxsize=32)
def _pack_lineage(queries: tuple[tuple[str, int], ...],
                  models_stamp: tuple[tuple[str, int], ...]) -> tuple[str, ...]:
    """:func:`pack_marts` of the query files ``queries`` (``models_stamp``: the model
    files, part of the cache key only)."""
    found: list[str] = []
    for path, _mtime in queries:
        for name in re.findall(r"\bmart_[a-z0-9_]+\b", Path(path).read_text(encoding="utf-8")):
            if name not in found:
                found.append(name)
    models = {m.name: m for m in discover_models()}
    for name in list(found):
        for upstream in _upstream(name, models):
            if upstream.startswith("mart_") and upstream not in found:
                found.append(upstream)
    return tuple(found)


def _upstream(name: str, models: dict[str, Model]) -> list[str]:
    """Every model ``name`` is built from, nearest first."""
    seen: list[str] = []
    queue = list(models[name].depends_on) if name in models else []
    while queue:
        nxt = queue.pop(0)
        if nxt not in seen:
            seen.append(nxt)
            queue.extend(models[nxt].depends_on if nxt in models else ())
    return seen


def deck_badge(job: DeckJob) -> QualityBadge | None:
    """The quality badge of a meeting's data slides: completeness and timeliness of the
    meeting's scope (team, intervention, or everything) in the quality run the deck reads
    (:func:`quality_run_of`), the numbers the site shows
    (:func:`checks.site_data.scope_badge_rates`), and the date the data are as of. None
    without a build or a quality run."""
    try:
        rates = scope_badge_rates(job.con, quality_run_of(job), _scope_of(job.meeting))
        as_of = build_as_of(job.con)
    except (duckdb.CatalogException, CheckError):
        return None
    if rates is None:
        return QualityBadge(None, None, as_of)
    return QualityBadge(rates.completeness, rates.timeliness, as_of)


def quality_run_of(job: DeckJob) -> str | None:
    """The quality run a deck reads its badge, caveats and flagged points from: the run
    its gate was decided by, else the newest run that covers its scope (an organisation
    run or one of that very team or intervention). The newest run of all will not do:
    after ``check --scope team:a`` the leaders' badge showed team a's timeliness as the
    organisation's, and team b's points lost their flags."""
    if job.quality_run_id is not None:
        return job.quality_run_id
    try:
        row = latest_covering_run(job.con, *_scope_of(job.meeting))
    except duckdb.CatalogException:  # built, never checked
        return None
    return row[0] if row else None


def _scope_of(meeting: MeetingSeries) -> tuple[str, str | None]:
    if meeting.level in ("citizen", "progress") and meeting.team:
        return "team", meeting.team
    if meeting.level == "intervention" and meeting.intervention:
        return "intervention", meeting.intervention
    return "organisation", None


def earlier_meetings(config: DatadialogConfig, meeting: MeetingSeries, day: date) -> list[date]:
    """The series' meetings before ``day``, oldest first."""
    return [m.date() for m in meeting_times(meeting, meeting.starts, day - timedelta(days=1),
                                            config.organisation.timezone)]


def loop_dates(job: DeckJob) -> dict[str, Any]:
    """What a pack needs to close the loop: the series' meeting before this one, its data
    cut-off (that meeting minus ``lead_days``: when its deck was made) and this one's.

    This one's cut-off is no later than the data's as-of date (with a database): a form
    dated after it is a date error (rule measurement_in_future), not something that
    happened since last time; and no earlier than the last cut-off (nothing new)."""
    earlier = earlier_meetings(job.config, job.meeting, job.meeting_date)
    lead = timedelta(days=job.meeting.lead_days)
    last = earlier[-1] if earlier else None
    last_cutoff = last - lead if last else None
    cutoff = job.meeting_date - lead
    if job.con is not None:
        cutoff = min(cutoff, build_as_of(job.con))
        cutoff = max(cutoff, last_cutoff) if last_cutoff else cutoff
    return {"last_meeting": last, "last_cutoff": last_cutoff, "cutoff": cutoff}


def register_name(stem: str, lang: str) -> str:
    """The agreement register written beside a deck: ``<stem>_aftaler.xlsx``."""
    return stem + REGISTER_SUFFIXES[0 if lang == "da" else 1]


def write_agreement_register(job: DeckJob, subjects: list[tuple[str | None, str]]) -> Path:
    """The XLSX register beside the deck, for those who prefer a spreadsheet to the
    deck's agreement tables: one row per (course id, name) with the meeting key filled in,
    agreement cells blank (a row left blank is no agreement). Not a deck of the manifest:
    returned to the inbox like the deck (docs/loop.md)."""
    lang = job.config.organisation.language
    rows = [RegisterRow(MeetingKey(job.meeting.id, job.meeting_date, course_id), name)
            for course_id, name in subjects]
    path = job.folder / register_name(job.stem, lang)
    write_register(path, rows, lang)
    return path


def _caveat_slide(caveats: list[Caveat], lang: str) -> SlideSpec:
    """The caveats under the slide title "Datakvalitet: ...", without the repeated prefix
    (the manifest and the mail keep the full caveat texts)."""
    return SlideSpec(kind="text", title=t("quality_title", lang),
                     blocks=[TextBlock(bullets=[c.slide_text for c in caveats])])


def agenda_caveats(job: DeckJob, course_ids: list[str]) -> list[Caveat]:
    """A citizen pack's caveats: the team's own (rates, raters) as the gate words them, and
    for rules that flag courses, only the rows of the citizens on the agenda."""
    if job.quality_run_id is None:
        return job.caveats
    marts = pack_marts("citizen_pack")
    scoped = course_caveats(job.con, job.quality_run_id, course_ids,
                            None if marts is None else set(marts),
                            job.config.organisation.language)
    kept = [c for c in job.caveats if c.rule_id not in scoped.rules]
    return kept + worded_caveats(list(scoped.texts), job.config.organisation.language)


def _citizen_pack(job: DeckJob) -> tuple[DeckSpec, CitizenPackData, DeckOptions]:
    """Citizen level: gather, build (caveats on a slide after the dialogue steps; agenda-
    scoped, see :func:`agenda_caveats`)."""
    opts = options_from_config(job.config)
    opts = replace(opts, rule_titles={rule_id: rule_title(rule_id, opts.language)
                                      for rule_id in RULE_TITLES})
    meeting_no = len(earlier_meetings(job.config, job.meeting, job.meeting_date))
    data = gather_citizen_pack(job.con, job.config, job.meeting.id, job.meeting_date,
                               meeting_no=meeting_no, quality_run_id=quality_run_of(job),
                               **loop_dates(job))
    spec = build_citizen_deck(data, opts)
    caveats = job.caveats = agenda_caveats(job, [c.course_id for c in data.citizens])
    if caveats:
        spec.caveats.extend(c.text for c in caveats)
        spec.slides.insert(min(3, len(spec.slides)), _caveat_slide(caveats, opts.language))
    return spec, data, opts


def citizen_pack_spec(job: DeckJob) -> DeckSpec:
    """The citizen pack's spec (what the site shows of it)."""
    return _citizen_pack(job)[0]


def draft_citizen_pack(job: DeckJob) -> DeckDraft:
    """Citizen level: the spec with its quality badge, to be rendered with the agreement
    register beside it (one row per citizen on the agenda)."""
    spec, data, opts = _citizen_pack(job)
    spec.quality_badge = deck_badge(job)
    names = display_names(data.citizens, opts.pseudonym_display)
    subjects = [(c.course_id, n) for c, n in zip(data.citizens, names, strict=True)]
    return _drafted(job, spec, opts, subjects)


def intervention_pack_spec(job: DeckJob) -> DeckSpec:
    """Intervention level: the last full quarter before the meeting; caveats as quality
    notes (the pack's own data-quality slide)."""
    opts = options_from_config(job.config)
    start, end, quarter, year = previous_quarter(job.meeting_date)
    data = gather_intervention_pack(job.con, job.config, job.meeting.id, job.meeting_date,
                                    start, end, quarter_label(quarter, year, opts.language),
                                    quality_run_id=quality_run_of(job), **loop_dates(job))
    data.quality_notes.extend(QualityNote("text", {"text": c.slide_text}) for c in job.caveats)
    return build_intervention_deck(data, opts)


def draft_intervention_pack(job: DeckJob) -> DeckDraft:
    """Intervention level: the spec (:func:`intervention_pack_spec`) with its quality
    badge, to be rendered with the agreement register beside it."""
    spec = intervention_pack_spec(job)
    spec.quality_badge = deck_badge(job)
    opts = options_from_config(job.config)
    return _drafted(job, spec, opts, [(None, t("sheet_theme_all", opts.language))])


def _drafted(job: DeckJob, spec: DeckSpec, opts: DeckOptions,
             subjects: list[tuple[str | None, str]]) -> DeckDraft:
    """A citizen or intervention deck and its agreement register, not yet written."""
    deck = job.folder / f"{job.stem}.pptx"

    def write() -> Path:
        path = render_deck(spec, deck, job.template, k=opts.small_cell_k)
        write_agreement_register(job, subjects)
        return path

    return DeckDraft(deck.name, {"spec": spec, "register": subjects, "options": opts}, write,
                     (register_name(job.stem, opts.language),))


def build_citizen_pack(job: DeckJob) -> Path:
    """Citizen level: the spec rendered, with its quality badge, and the agreement register
    beside it."""
    return draft_citizen_pack(job).write()


def build_intervention_pack(job: DeckJob) -> Path:
    """Intervention level: the spec rendered, with its quality badge, and the agreement
    register beside it."""
    return draft_intervention_pack(job).write()


def draft_leaders_summary(job: DeckJob) -> DeckDraft:
    """Organisation level: the leaders' quarterly summary deck, to be rendered with its
    finance workbook (the tables behind every figure) beside it."""
    opts = options_from_config(job.config)
    titles = {rule_id: rule_title(rule_id, opts.language) for rule_id in RULE_TITLES}
    data, spec = strategic_spec(job.con, job.config, job.meeting.id, job.meeting_date,
                                caveats=job.caveats, rule_titles=titles)
    spec.quality_badge = deck_badge(job)

    def write() -> Path:
        deck, *_tables = write_strategic_pack(spec, data, job.folder, job.stem, job.template,
                                              k=opts.small_cell_k)
        return deck

    workbook = {"period": data.period, "tables": data.tables}
    return DeckDraft(f"{job.stem}.pptx", {"spec": spec, "workbook": workbook, "options": opts},
                     write, (workbook_name(job.stem, opts.language),))


def build_leaders_summary(job: DeckJob) -> Path:
    """Organisation level: the leaders' quarterly summary deck; its finance workbook
    (the tables behind every figure) is written beside it by the same call."""
    return draft_leaders_summary(job).write()


def build_leaders_tables(job: DeckJob) -> Path:
    """The finance workbook written beside the leaders' deck (built by that deck's call)."""
    path = job.folder / workbook_name(job.stem, job.config.organisation.language)
    if not path.exists():
        raise DeckNotAvailable("the leaders' summary deck was not built, so no workbook")
    return path


def build_progress_board(job: DeckJob) -> Path:
    """Progress meetings (PDSA board): no pack yet."""
    raise DeckNotAvailable("no pack is made for progress meetings yet")


#: Packs that are gathered and specified before they are written: a meeting run renders
#: one only when its content digest changed (:mod:`pipeline.deck_digest`).
DRAFTERS: dict[str, DeckDrafter] = {
    "citizen_pack": draft_citizen_pack,
    "intervention_pack": draft_intervention_pack,
    "leaders_summary": draft_leaders_summary,
}

DEFAULT_BUILDERS: dict[str, DeckBuilder] = {
    "citizen_pack": build_citizen_pack,
    "intervention_pack": build_intervention_pack,
    "leaders_summary": build_leaders_summary,
    "leaders_tables": build_leaders_tables,
    "progress_board": build_progress_board,
}
