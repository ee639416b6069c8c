"""One meeting's decks: :func:`prepare_meeting` and the run summary (plain Python).

The Prefect flow ``meeting`` (:mod:`flows.meeting`) orchestrates these.

:func:`prepare_meeting` renders the packs of one meeting for its scope into
``<outbox>/<meeting_id>/<meeting_date>/`` and writes ``manifest.json`` there:

- citizen level: the citizen pack (team, intervention); intervention level: the quarterly
  intervention pack for the last full quarter before the meeting; organisation level:
  the leaders' summary (a hook: :func:`build_leaders_summary` says it is not available
  yet); progress meetings: no pack yet;
- the quality gate of the scope (``checks.run``; team for citizen and progress meetings,
  intervention, or organisation): an ``error`` blocks the decks, with the reasons in the
  manifest; warnings travel into the deck as caveats (those for the marts the pack reads);
- a deck that fails is reported (status ``failed`` and the error) and does not stop the
  other decks, nor (:func:`prepare_meetings`) the other meetings.

The flow ``meeting`` orchestrates one run: load the config, ingest the inbox, build,
check, prepare, deliver (``outputs.delivery``), and ends with a summary (rows, checks,
decks, delivery, seconds per step) as a Prefect artifact. Database steps are retried when
the failure is transient (the database is locked by another process); build, checks and
decks are cached on the input checksums (the loaded files, the config, the code), so a
run on unchanged inputs recomputes nothing and sends nobody the same decks twice.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
import traceback
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from datadialog.config_model import DatadialogConfig, MeetingSeries
from datadialog.db import DatabaseBusyError, connect, database_path
from datadialog.privacy import mask_text
from flows.schedule import deck_run_time, is_meeting_day, meeting_start
from outputs.delivery import (
    DEFAULT_OUTBOX,
    MANIFEST_VERSION,
    file_sha256,
    meeting_folder,
    meeting_teams,
    read_manifest,
    write_manifest,
)

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
QUERY_DIR = ROOT / "outputs" / "queries"
#: Code whose change invalidates cached steps (the step's own files).
CODE_GLOBS: dict[str, tuple[str, ...]] = {
    "build": ("transforms/**/*.py", "transforms/sql/**/*.sql"),
    "checks": ("checks/**/*.py", "checks/sql/**/*.sql"),
    "decks": ("outputs/**/*.py", "outputs/queries/*.sql", "outputs/templates/*", "flows/*.py"),
}
#: Which pack each meeting level gets (organisation and progress: hooks, see below).
DECKS_BY_LEVEL: dict[str, tuple[str, ...]] = {
    "citizen": ("citizen_pack",),
    "intervention": ("intervention_pack",),
    "organisation": ("leaders_summary", "leaders_tables"),
    "progress": ("progress_board",),
}
#: Query files a pack reads (``outputs/queries/<prefix>_*.sql``): their marts pick caveats.
PACK_QUERIES = {"citizen_pack": "citizen", "intervention_pack": "intervention"}
#: Retries of a database step when another process holds the database (then 10 s, 60 s).
DB_RETRIES = 2
DB_RETRY_DELAYS = [10, 60]

_LEVEL_NAMES = {
    "da": {"citizen": "Borgerniveau", "intervention": "Indsatsniveau",
           "organisation": "Organisatorisk niveau", "progress": "Fremdriftsmøde"},
    "en": {"citizen": "Citizen level", "intervention": "Intervention level",
           "organisation": "Organisation level", "progress": "Progress meeting"},
}
_NO_RUN = {
    "da": "Datakvaliteten er ikke kontrolleret for disse data (ingen kontrolkørsel).",
    "en": "The quality of these data has not been checked (no quality run).",
}
_STALE = {
    "da": "Datakvaliteten blev sidst kontrolleret før de seneste data kom ind.",
    "en": "The data quality was last checked before the latest data arrived.",
}


class DeckNotAvailable(Exception):
    """This kind of pack cannot be made yet (the deck is reported as skipped)."""


class MeetingRunError(RuntimeError):
    """A deck failed, or a delivery failed or was refused (the run ends failed)."""


# ---------------------------------------------------------------- quality status


def meeting_scope(meeting: MeetingSeries) -> tuple[str, str | None]:
    """The quality scope whose gate decides a meeting's decks."""
    if meeting.level in ("citizen", "progress") and meeting.team:
        return "team", meeting.team
    if meeting.level == "intervention" and meeting.intervention:
        return "intervention", meeting.intervention
    return "organisation", None


@dataclass
class QualityStatus:
    """What the data-quality checks decided for one scope."""

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
    def unchecked(cls, scope: tuple[str, str | None], note: str | None = None) -> QualityStatus:
        return cls("no quality run", scope[0], scope[1], note=note)

    @classmethod
    def from_gate(cls, gate: Any, run_id: str, checked_at: str | None, n_errors: int = 0,
                  n_warnings: int = 0) -> QualityStatus:
        """From a ``checks.run.Gate``."""
        caveats = {k: list(v) for k, v in gate.caveats.items()}
        status = "blocked" if gate.blocked else ("warnings" if caveats else "ok")
        return cls(status, gate.scope_kind, gate.scope_id, run_id, checked_at,
                   list(gate.reasons), caveats, n_errors, n_warnings)


def quality_gate(
    con, config: DatadialogConfig, scope: tuple[str, str | None], data_cutoff: datetime | None
) -> QualityStatus:
    """The gate of ``scope`` from the latest stored quality run (``checks.run``), or
    "no quality run" when there is none (or the checks package is not there). A run
    older than the data is applied as it is, marked ``stale``."""
    try:
        import duckdb

        from checks.run import decide_gates, discover_rules, settings_of_run
    except ImportError as exc:  # the checks area is optional for this module
        return QualityStatus.unchecked(scope, f"checks not available: {exc}")
    try:
        row = (
            con.table("quality.runs")
            .order("started_at desc, run_id desc")
            .select("run_id, started_at, scope_kind, scope_id, n_errors, n_warnings")
            .limit(1)
            .fetchall()
        )
    except duckdb.CatalogException:
        row = []
    if not row:
        return QualityStatus.unchecked(scope)
    run_id, started_at, run_kind, run_scope_id, n_errors, n_warnings = row[0]
    if run_kind != "organisation" and (run_kind, run_scope_id) != scope:
        return QualityStatus.unchecked(
            scope, f"the latest quality run ({run_id}) covered {run_kind} {run_scope_id} only")
    gates = decide_gates(
        con, run_id, config, settings_of_run(con, run_id),
        {r.rule_id: r for r in discover_rules()}, (run_kind, run_scope_id),
    )
    from checks.run import Gate

    gate = gates.get(scope, Gate(scope_kind=scope[0], scope_id=scope[1], blocked=False))
    status = QualityStatus.from_gate(gate, run_id, started_at.isoformat(timespec="seconds"),
                                     int(n_errors or 0), int(n_warnings or 0))
    if data_cutoff is not None and started_at < data_cutoff and not status.blocked:
        status.status = "stale"
    return status


def run_quality_checks(db_path: str, config: DatadialogConfig,
                       scope: tuple[str, str | None]) -> QualityStatus:
    """Run every data-quality rule (``checks.run.run_checks``) and return ``scope``'s gate."""
    try:
        from checks.run import run_checks
    except ImportError as exc:
        return QualityStatus.unchecked(scope, f"checks not available: {exc}")
    con = connect(db_path)
    try:
        run = run_checks(con, config)
    finally:
        con.close()
    return QualityStatus.from_gate(run.gate(*scope), run.run_id,
                                   datetime.now().isoformat(timespec="seconds"),
                                   run.n_errors, run.n_warnings)


# ---------------------------------------------------------------- inputs


@dataclass(frozen=True)
class Inputs:
    """What a run's results depend on: the loaded files, the config, the code."""

    files: tuple[tuple[str, str], ...]  # (load_id, sha256) of every loaded file
    data_cutoff: datetime | None  # latest load time in staging.loads
    config_sha256: str
    code: tuple[tuple[str, str], ...]  # (step, sha256 of its code)

    def key(self, step: str, *extra: object) -> str:
        """Cache key of ``step``: its code, the files, the config, and ``extra``."""
        code = dict(self.code).get(step, "")
        text = repr((step, code, self.files, self.config_sha256, extra))
        return f"datadialog-{step}-{hashlib.sha256(text.encode()).hexdigest()[:32]}"


def config_sha256(config: DatadialogConfig) -> str:
    return hashlib.sha256(config.model_dump_json().encode("utf-8")).hexdigest()


def code_sha256(step: str, root: Path = ROOT) -> str:
    digest = hashlib.sha256()
    for pattern in CODE_GLOBS[step]:
        for path in sorted(root.glob(pattern)):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def loaded_files(con) -> tuple[list[tuple[str, str]], datetime | None]:
    """(load_id, sha256) of the files in staging (failed loads left out), and the latest
    load time (the data cut-off)."""
    import duckdb

    try:
        rel = con.table("staging.loads").filter("status <> 'failed'")
        files = rel.select("load_id, sha256").order("load_id").fetchall()
        cutoff = rel.aggregate("max(coalesce(finished_at, started_at))").fetchall()[0][0]
    except duckdb.CatalogException:
        return [], None
    return [(a, b) for a, b in files], cutoff


def read_inputs(db_path: str, config: DatadialogConfig) -> Inputs:
    con = connect(db_path, read_only=True, apply_schema=False)
    try:
        files, cutoff = loaded_files(con)
    finally:
        con.close()
    return Inputs(tuple(files), cutoff, config_sha256(config),
                  tuple((step, code_sha256(step)) for step in CODE_GLOBS))


# ---------------------------------------------------------------- decks


@dataclass
class DeckJob:
    """Everything a pack builder needs for one meeting."""

    con: Any
    config: DatadialogConfig
    meeting: MeetingSeries
    meeting_date: date
    folder: Path
    stem: str
    caveats: list[str]
    template: str | Path | None = None


DeckBuilder = Callable[[DeckJob], Path]


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
    """The marts a pack's query files read (None: unknown pack, so every caveat applies)."""
    prefix = PACK_QUERIES.get(pack)
    if prefix is None:
        return None
    found: list[str] = []
    for path in sorted(query_dir.glob(f"{prefix}_*.sql")):
        for name in re.findall(r"\bmart_[a-z0-9_]+\b", path.read_text(encoding="utf-8")):
            if name not in found:
                found.append(name)
    return found


def _caveat_slide(caveats: list[str], lang: str):
    """The caveats under the slide title "Datakvalitet: ...", without the repeated prefix
    (the manifest and the mail keep the full caveat texts)."""
    from checks.texts import slide_caveat
    from outputs.spec import SlideSpec, TextBlock
    from outputs.texts import t

    return SlideSpec(kind="text", title=t("quality_title", lang),
                     blocks=[TextBlock(bullets=[slide_caveat(c, lang) for c in caveats])])


def build_citizen_pack(job: DeckJob) -> Path:
    """Citizen level: gather, build (caveats on a slide after the dialogue steps), render."""
    from outputs.citizen_pack import build_citizen_deck
    from outputs.common import options_from_config
    from outputs.gather import gather_citizen_pack
    from outputs.render import render_deck

    opts = options_from_config(job.config)
    data = gather_citizen_pack(job.con, job.config, job.meeting.id, job.meeting_date)
    spec = build_citizen_deck(data, opts)
    if job.caveats:
        spec.caveats.extend(job.caveats)
        spec.slides.insert(min(3, len(spec.slides)), _caveat_slide(job.caveats, opts.language))
    return render_deck(spec, job.folder / f"{job.stem}.pptx", job.template,
                       k=opts.small_cell_k)


def build_intervention_pack(job: DeckJob) -> Path:
    """Intervention level: the last full quarter before the meeting; caveats as quality
    notes (the pack's own data-quality slide)."""
    from checks.texts import slide_caveat
    from outputs.common import options_from_config
    from outputs.gather import gather_intervention_pack
    from outputs.intervention_pack import QualityNote, build_intervention_deck
    from outputs.render import render_deck

    opts = options_from_config(job.config)
    start, end, quarter, year = previous_quarter(job.meeting_date)
    data = gather_intervention_pack(job.con, job.config, job.meeting.id, job.meeting_date,
                                    start, end, quarter_label(quarter, year, opts.language))
    data.quality_notes.extend(QualityNote("text", {"text": slide_caveat(c, opts.language)})
                              for c in job.caveats)
    spec = build_intervention_deck(data, opts)
    return render_deck(spec, job.folder / f"{job.stem}.pptx", job.template,
                       k=opts.small_cell_k)


def build_leaders_summary(job: DeckJob) -> Path:
    """Organisation level: the leaders' quarterly summary deck; its finance workbook
    (the tables behind every figure) is written beside it by the same call."""
    from outputs.strategic_pack import render_strategic_pack

    deck, *_tables = render_strategic_pack(job.con, job.config, job.meeting.id, job.meeting_date,
                                           job.folder, job.template, stem=job.stem,
                                           caveats=job.caveats)
    return deck


def build_leaders_tables(job: DeckJob) -> Path:
    """The finance workbook written beside the leaders' deck (built by that deck's call)."""
    from outputs.strategic_xlsx import workbook_name

    path = job.folder / workbook_name(job.stem, job.config.organisation.language)
    if not path.exists():
        raise DeckNotAvailable("the leaders' summary deck was not built, so no workbook")
    return path


def build_progress_board(job: DeckJob) -> Path:
    """Progress meetings (PDSA board): no pack yet."""
    raise DeckNotAvailable("no pack is made for progress meetings yet")


DEFAULT_BUILDERS: dict[str, DeckBuilder] = {
    "citizen_pack": build_citizen_pack,
    "intervention_pack": build_intervention_pack,
    "leaders_summary": build_leaders_summary,
    "leaders_tables": build_leaders_tables,
    "progress_board": build_progress_board,
}


# ---------------------------------------------------------------- results


@dataclass
class DeckResult:
    kind: str
    status: str  # ready | blocked | failed | skipped
    file: str | None = None
    sha256: str | None = None
    bytes: int | None = None
    format: str | None = None
    caveats: list[str] = field(default_factory=list)
    error: str | None = None
    seconds: float = 0.0


@dataclass
class MeetingResult:
    meeting_id: str
    meeting_date: date
    level: str
    folder: str
    quality: QualityStatus
    decks: list[DeckResult]
    recipients: list[str]
    data_cutoff: datetime | None
    seconds: float = 0.0
    error: str | None = None  # the meeting could not be prepared at all

    @property
    def manifest_path(self) -> Path:
        return Path(self.folder) / "manifest.json"

    @property
    def ready(self) -> list[DeckResult]:
        return [d for d in self.decks if d.status == "ready"]

    @property
    def failed(self) -> list[DeckResult]:
        return [d for d in self.decks if d.status == "failed"]

    @property
    def blocked(self) -> bool:
        return any(d.status == "blocked" for d in self.decks)

    @property
    def status(self) -> str:
        if self.error or self.failed:
            return "failed"
        if self.blocked:
            return "blocked"
        return "ready" if self.ready else "skipped"

    def line(self) -> str:
        decks = ", ".join(f"{d.kind} {d.status}" for d in self.decks) or "no decks"
        return f"{self.meeting_id} {self.meeting_date:%Y-%m-%d}: {self.status} ({decks})"


def _first_line(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}".strip().splitlines()[0]
    return mask_text(text)[:500]


def find_meeting(config: DatadialogConfig, meeting_id: str) -> MeetingSeries:
    meeting = next((m for m in config.meetings if m.id == meeting_id), None)
    if meeting is None:
        known = ", ".join(m.id for m in config.meetings) or "none"
        raise KeyError(f"no meeting series {meeting_id!r} in the config (known: {known})")
    return meeting


def meeting_name(config: DatadialogConfig, meeting: MeetingSeries) -> str:
    lang = config.organisation.language if config.organisation.language in _LEVEL_NAMES else "en"
    level = _LEVEL_NAMES[lang].get(meeting.level, meeting.level)
    if meeting.team:
        scope = next((t.name for t in config.teams if t.id == meeting.team), meeting.team)
    elif meeting.intervention:
        scope = config.intervention(meeting.intervention).name
    else:
        scope = config.organisation.name
    return f"{level}: {scope}"


def _clear_old_decks(folder: Path, keep: set[str]) -> None:
    """Remove deck files an earlier manifest of this folder listed (no stale deck stays)."""
    old = read_manifest(folder) or {}
    for deck in old.get("decks", []):
        name = deck.get("file")
        if name and name not in keep and "/" not in name and "\\" not in name:
            (folder / name).unlink(missing_ok=True)


def _manifest(result: MeetingResult, meeting: MeetingSeries, config: DatadialogConfig,
              as_of: datetime, inputs_key: str | None) -> dict[str, Any]:
    tz = ZoneInfo(config.organisation.timezone)
    when = datetime.combine(result.meeting_date, meeting_start(meeting).time()).replace(
        tzinfo=tz)
    return {
        "manifest_version": MANIFEST_VERSION,
        "meeting_id": meeting.id,
        "meeting_name": meeting_name(config, meeting),
        "level": meeting.level,
        "team": meeting.team,
        "intervention": meeting.intervention,
        "teams": meeting_teams(config, meeting),
        "language": config.organisation.language,
        "meeting_date": f"{result.meeting_date:%Y-%m-%d}",
        "meeting_time": when.isoformat(),
        "is_scheduled_meeting": is_meeting_day(meeting, result.meeting_date),
        "deck_run_time": deck_run_time(meeting, when).isoformat(),
        "prepared_at": as_of.isoformat(timespec="seconds"),
        "data_cutoff": result.data_cutoff.isoformat() if result.data_cutoff else None,
        "inputs_key": inputs_key,
        "quality": {
            "status": result.quality.status,
            "scope": {"kind": result.quality.scope_kind, "id": result.quality.scope_id},
            "run_id": result.quality.run_id,
            "checked_at": result.quality.checked_at,
            "reasons": result.quality.reasons,
            "caveats": sorted({c for d in result.decks for c in d.caveats}),
            "note": result.quality.note,
        },
        "recipients": list(result.recipients),
        "decks": [
            {k: v for k, v in asdict(d).items() if k != "caveats"} | {"n_caveats": len(d.caveats)}
            for d in result.decks
        ],
        "error": result.error,
        "seconds": round(result.seconds, 3),
    }


def prepare_meeting(
    db_path: str | Path | None,
    config: DatadialogConfig,
    meeting_id: str,
    meeting_date: date,
    outbox_dir: str | Path | None = None,
    as_of: datetime | None = None,
    *,
    quality: QualityStatus | None = None,
    builders: Mapping[str, DeckBuilder] | None = None,
    pdf: bool = False,
    template: str | Path | None = None,
    inputs_key: str | None = None,
) -> MeetingResult:
    """Render the packs of one meeting into its outbox folder and write ``manifest.json``.

    ``quality`` is the scope's gate (default: read from the latest stored quality run);
    ``builders`` maps pack kind -> builder (default :data:`DEFAULT_BUILDERS`); ``pdf``
    adds a PDF of each deck (LibreOffice); ``as_of`` is when the preparation counts as
    made (default now). A failing deck is reported in the result and the manifest; this
    function raises only for an unknown meeting series (KeyError) and for a database
    another process keeps locked (``DatabaseBusyError``, which the flow retries).
    """
    started = time.perf_counter()
    meeting = find_meeting(config, meeting_id)
    as_of = as_of or datetime.now().astimezone()
    builders = {**DEFAULT_BUILDERS, **(builders or {})}
    folder = meeting_folder(outbox_dir or DEFAULT_OUTBOX, meeting.id, meeting_date)
    folder.mkdir(parents=True, exist_ok=True)
    scope = meeting_scope(meeting)
    lang = config.organisation.language if config.organisation.language in _NO_RUN else "en"
    result = MeetingResult(meeting.id, meeting_date, meeting.level, str(folder),
                           quality or QualityStatus.unchecked(scope), [],
                           list(meeting.recipients), None)
    stem = f"{meeting.id}_{meeting_date:%Y-%m-%d}"
    con = None
    try:
        con = connect(database_path(db_path), read_only=True, apply_schema=False)
        _files, result.data_cutoff = loaded_files(con)
        if quality is None:
            result.quality = quality_gate(con, config, scope, result.data_cutoff)
    except DatabaseBusyError:
        raise  # transient: the flow's task retries it
    except Exception as exc:  # the database cannot be read: every deck fails, reported
        result.error = _first_line(exc)
        log.error("meeting %s: %s", meeting.id, result.error)
    extra = {"no quality run": _NO_RUN[lang], "stale": _STALE[lang]}.get(result.quality.status)
    written: set[str] = set()
    for kind in DECKS_BY_LEVEL.get(meeting.level, ()):
        t0 = time.perf_counter()
        caveats = result.quality.caveats_for(pack_marts(kind)) + ([extra] if extra else [])
        deck = DeckResult(kind, "failed", caveats=caveats)
        if result.error:
            deck.error = result.error
        elif result.quality.blocked:
            deck.status = "blocked"
            deck.error = "; ".join(result.quality.reasons)
        else:
            job = DeckJob(con, config, meeting, meeting_date, folder, stem, caveats, template)
            try:
                path = Path(builders[kind](job))
                deck.status, deck.file, deck.format = "ready", path.name, path.suffix[1:]
                deck.sha256, deck.bytes = file_sha256(path), path.stat().st_size
                written.add(path.name)
            except DeckNotAvailable as exc:
                deck.status, deck.error = "skipped", str(exc)
            except Exception as exc:  # one deck's failure must not stop the others
                deck.error = _first_line(exc)
                log.error("meeting %s, %s failed: %s\n%s", meeting.id, kind, deck.error,
                          mask_text(traceback.format_exc()))
        deck.seconds = round(time.perf_counter() - t0, 3)
        result.decks.append(deck)
        if pdf and deck.status == "ready":
            result.decks.append(_pdf_of(folder / deck.file, kind, lang, written))
    if con is not None:
        con.close()
    _clear_old_decks(folder, written)
    result.seconds = time.perf_counter() - started
    manifest = _manifest(result, meeting, config, as_of, inputs_key)
    old = read_manifest(folder)
    if old and "delivery" in old:
        manifest["delivery"] = old["delivery"]
    write_manifest(folder, manifest)
    return result


def _pdf_of(pptx: Path, kind: str, lang: str, written: set[str]) -> DeckResult:
    from outputs.pdf import to_pdf

    t0 = time.perf_counter()
    deck = DeckResult(kind, "failed", format="pdf")
    try:
        path = to_pdf(pptx, language=lang)
        deck.status, deck.file = "ready", path.name
        deck.sha256, deck.bytes = file_sha256(path), path.stat().st_size
        written.add(path.name)
    except Exception as exc:
        deck.error = _first_line(exc)
    deck.seconds = round(time.perf_counter() - t0, 3)
    return deck


def prepare_meetings(
    db_path: str | Path | None,
    config: DatadialogConfig,
    meetings: list[tuple[str, date]],
    outbox_dir: str | Path | None = None,
    as_of: datetime | None = None,
    **options: Any,
) -> list[MeetingResult]:
    """:func:`prepare_meeting` for each (meeting id, date); one meeting's failure is
    reported in its own result and manifest and never stops the next."""
    return [prepare_meeting(db_path, config, mid, day, outbox_dir, as_of, **options)
            for mid, day in meetings]



def summary_markdown(meeting_id: str, meeting_date: date, steps: dict[str, float],
                     ingest: dict[str, int], build: dict[str, Any], quality: QualityStatus,
                     result: MeetingResult, delivery: dict[str, Any] | None,
                     cached: dict[str, bool]) -> str:
    """The run summary (Prefect artifact and log): rows, checks, decks, delivery, time."""
    lines = [
        f"# Meeting {meeting_id} on {meeting_date:%Y-%m-%d}: {result.status}",
        "",
        f"- **Rows**: {ingest['files']} inbox files ({ingest['failed']} failed), "
        f"{ingest['rows_staged']:,} rows staged; {build['models']} models built "
        f"({build['rows']:,} rows){' (cached)' if cached.get('build') else ''}",
        f"- **Checks**: {quality.status} for {quality.scope_kind} {quality.scope_id or ''}"
        f" ({quality.n_errors} error rows, {quality.n_warnings} warning rows overall)"
        f"{' (cached)' if cached.get('check') else ''}",
    ]
    lines += [f"  - blocked: {r}" for r in quality.reasons]
    cutoff = f"{result.data_cutoff:%Y-%m-%d %H:%M}" if result.data_cutoff else "none"
    lines.append(f"- **Data cut-off**: {cutoff}")
    lines.append(f"- **Decks** ({result.folder}){' (cached)' if cached.get('decks') else ''}:")
    lines += [f"  - {d.kind} {d.format or ''}: {d.status}"
              + (f" {d.file} ({d.bytes:,} bytes)" if d.file else "")
              + (f" - {d.error}" if d.error else "") for d in result.decks]
    if not result.decks:
        lines.append("  - none for this meeting level")
    if delivery is not None:
        lines.append(f"- **Delivery**: {delivery['summary']}")
        lines += [f"  - {o['recipient']}: {o['status']}"
                  + (f" after {o['attempts']} attempts" if o["attempts"] > 1 else "")
                  + (f" - {o['error']}" if o.get("error") else "")
                  for o in delivery["outcomes"]]
    total = sum(steps.values())
    lines.append(f"- **Time**: {total:.1f} s (" + ", ".join(
        f"{k} {v:.1f} s" for k, v in steps.items()) + ")")
    return "\n".join(lines)
