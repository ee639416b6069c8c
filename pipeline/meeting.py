"""One meeting's decks: :func:`prepare_meeting`, its manifest and the run summary.

The Prefect flow ``meeting`` (:mod:`flows.meeting`) runs these as tasks.

:func:`prepare_meeting` renders the packs of one meeting for its scope into
``<outbox>/<meeting_id>/<meeting_date>/`` and writes ``manifest.json`` there:

- which packs a level gets and how each is built: :mod:`pipeline.decks`;
- the quality gate of the scope (:mod:`pipeline.quality`; team for citizen and progress
  meetings, intervention, or organisation): an ``error`` blocks the decks, with the
  reasons in the manifest; warnings travel into the deck as caveats (those for the marts
  the pack reads);
- a deck that fails is reported (status ``failed`` and the error) and does not stop the
  other decks, nor (:func:`prepare_meetings`) the other meetings;
- a deck is rendered only when what it shows changed: its content digest
  (:mod:`pipeline.deck_digest`, taken after gathering, before rendering) is recorded in the
  manifest, and a deck whose digest equals the recorded one, with its file and the files
  beside it still as recorded (SHA-256), is kept: ``ready`` with ``unchanged`` true and
  the time it was rendered (``force=True`` renders every deck).
"""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from datadialog.agreement_form import REGISTER_SUFFIXES
from datadialog.config_model import DatadialogConfig, MeetingSeries
from datadialog.db import DatabaseBusyError, connect, database_path
from datadialog.privacy import mask_text
from outputs.delivery import (
    DEFAULT_OUTBOX,
    MANIFEST_VERSION,
    file_sha256,
    meeting_folder,
    meeting_teams,
    read_manifest,
    since_text,
    write_manifest,
)
from outputs.pdf import to_pdf
from pipeline.calendar import deck_run_time, is_meeting_day, meeting_start
from pipeline.deck_digest import RenderContext, deck_digest, library_versions, template_sha256
from pipeline.decks import (
    DECKS_BY_LEVEL,
    DEFAULT_BUILDERS,
    DRAFTERS,
    DeckBuilder,
    DeckDraft,
    DeckJob,
    DeckNotAvailable,
    pack_marts,
    worded_caveats,
)
from pipeline.inputs import code_sha256, loaded_files
from pipeline.quality import QualityStatus, quality_gate

log = logging.getLogger(__name__)

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


class MeetingRunError(RuntimeError):
    """A deck failed, or a delivery failed or was refused (the run ends failed)."""


def meeting_scope(meeting: MeetingSeries) -> tuple[str, str | None]:
    """The quality scope whose gate decides a meeting's decks."""
    if meeting.level in ("citizen", "progress") and meeting.team:
        return "team", meeting.team
    if meeting.level == "intervention" and meeting.intervention:
        return "intervention", meeting.intervention
    return "organisation", None


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
    #: ready, but kept from an earlier run: the same content digest, the file untouched
    unchanged: bool = False
    rendered_at: str | None = None  # when the file was rendered (ISO; earlier when unchanged)
    digest: str | None = None  # content digest of a drafted deck (pipeline.deck_digest)
    beside: list[dict[str, str]] = field(default_factory=list)  # written with it: file, sha256

    def state(self) -> str:
        """The status, or "unchanged since <time>" for a deck kept from an earlier run."""
        if self.unchanged:
            return f"unchanged since {since_text(self.rendered_at)}"
        return self.status


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
        decks = ", ".join(f"{d.kind} {d.state()}" for d in self.decks) or "no decks"
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


def _clear_old_decks(folder: Path, old: Mapping[str, Any], keep: set[str]) -> None:
    """Remove deck files the earlier manifest ``old`` of this folder listed (no stale deck
    stays), with the files written beside a removed deck (agreement register, workbook);
    a file in ``keep`` (written or kept by this run) stays."""
    for deck in old.get("decks", []):
        name = deck.get("file")
        if not name or name in keep or not _plain_name(name):
            continue
        (folder / name).unlink(missing_ok=True)
        beside = [b.get("file") for b in deck.get("beside") or []]
        if name.endswith(".pptx"):
            beside += [name[:-len(".pptx")] + suffix for suffix in REGISTER_SUFFIXES]
        for other in beside:
            if other and other not in keep and _plain_name(other):
                (folder / other).unlink(missing_ok=True)


def _plain_name(name: str) -> bool:
    return "/" not in name and "\\" not in name and name not in ("", ".", "..")


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
    force: bool = False,
) -> MeetingResult:
    """Render the packs of one meeting into its outbox folder and write ``manifest.json``.

    ``quality`` is the scope's gate (default: read from the latest stored quality run);
    ``builders`` maps pack kind -> builder (default: the drafted packs of
    :data:`pipeline.decks.DRAFTERS`, rendered only when their content changed, and
    :data:`DEFAULT_BUILDERS` for the rest; a builder given here renders on every run);
    ``pdf`` adds a PDF of each deck (LibreOffice); ``as_of`` is when the preparation
    counts as made (default now); ``force`` renders every deck even when its content is
    unchanged. A failing deck is reported in the result and the manifest; this
    function raises only for an unknown meeting series (KeyError) and for a database
    another process keeps locked (``DatabaseBusyError``, which the flow retries).
    """
    started = time.perf_counter()
    meeting = find_meeting(config, meeting_id)
    as_of = as_of or datetime.now().astimezone()
    custom = dict(builders or {})
    builders = {**DEFAULT_BUILDERS, **custom}
    folder = meeting_folder(outbox_dir or DEFAULT_OUTBOX, meeting.id, meeting_date)
    folder.mkdir(parents=True, exist_ok=True)
    scope = meeting_scope(meeting)
    lang = config.organisation.language if config.organisation.language in _NO_RUN else "en"
    result = MeetingResult(meeting.id, meeting_date, meeting.level, str(folder),
                           quality or QualityStatus.unchecked(scope), [],
                           list(meeting.recipients), None)
    stem = f"{meeting.id}_{meeting_date:%Y-%m-%d}"
    old = read_manifest(folder) or {}
    recorded = {(d.get("kind"), d.get("format")): d for d in old.get("decks", [])}
    stamp = as_of.isoformat(timespec="seconds")
    con = None
    try:
        con = connect(database_path(db_path), read_only=True)
        _files, result.data_cutoff = loaded_files(con)
        if quality is None:
            result.quality = quality_gate(con, config, scope, result.data_cutoff)
    except DatabaseBusyError:
        raise  # transient: the flow's task retries it
    except Exception as exc:  # the database cannot be read: every deck fails, reported
        result.error = _first_line(exc)
        log.error("meeting %s: %s", meeting.id, result.error)
    extra = {"no quality run": _NO_RUN[lang], "stale": _STALE[lang]}.get(result.quality.status)
    context: RenderContext | None = None
    written: set[str] = set()  # files this run wrote or kept
    kept: dict[str, str | None] = {}  # files kept from an earlier run -> when rendered
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
            job = DeckJob(con, config, meeting, meeting_date, folder, stem,
                          worded_caveats(caveats, config.organisation.language), template,
                          quality_run_id=result.quality.run_id)
            try:
                if kind in DRAFTERS and kind not in custom:
                    draft = DRAFTERS[kind](job)
                    context = context or _render_context(template)
                    old_deck = recorded.get((kind, Path(draft.file).suffix[1:]))
                    _write_or_keep(draft, deck, folder, old_deck, context, force, stamp)
                else:
                    path = Path(builders[kind](job))
                    _ready(deck, path, unchanged=path.name in kept,
                           rendered_at=kept.get(path.name, stamp))
                deck.caveats = [c.text for c in job.caveats]  # as the deck shows them
                for name in [deck.file, *(b["file"] for b in deck.beside)]:
                    written.add(name)
                    if deck.unchanged:
                        kept[name] = deck.rendered_at
            except DeckNotAvailable as exc:
                deck.status, deck.error = "skipped", str(exc)
            except Exception as exc:  # one deck's failure must not stop the others
                deck.error = _first_line(exc)
                log.error("meeting %s, %s failed: %s\n%s", meeting.id, kind, deck.error,
                          mask_text(traceback.format_exc()))
        deck.seconds = round(time.perf_counter() - t0, 3)
        result.decks.append(deck)
        if pdf and deck.status == "ready" and deck.format == "pptx":  # not the workbook
            earlier = recorded.get((kind, "pdf")) if deck.unchanged else None
            result.decks.append(_pdf_of(folder / deck.file, kind, lang, written, stamp,
                                        earlier))
    if con is not None:
        con.close()
    _clear_old_decks(folder, old, written)
    result.seconds = time.perf_counter() - started
    manifest = _manifest(result, meeting, config, as_of, inputs_key)
    if "delivery" in old:
        manifest["delivery"] = old["delivery"]
    write_manifest(folder, manifest)
    return result


def _render_context(template: str | Path | None) -> RenderContext:
    """What turns a specification into bytes in this run (the same for all its decks)."""
    return RenderContext(code_sha256("decks"), template_sha256(template), library_versions())


def _ready(deck: DeckResult, path: Path, *, unchanged: bool, rendered_at: str | None,
           beside: list[dict[str, str]] | None = None) -> None:
    deck.status, deck.file, deck.format = "ready", path.name, path.suffix[1:]
    deck.sha256, deck.bytes = file_sha256(path), path.stat().st_size
    deck.unchanged, deck.rendered_at, deck.beside = unchanged, rendered_at, beside or []


def _write_or_keep(draft: DeckDraft, deck: DeckResult, folder: Path,
                   old: Mapping[str, Any] | None, context: RenderContext, force: bool,
                   stamp: str) -> None:
    """Render ``draft``, or keep the earlier file when its content digest is the recorded
    one and the deck and the files beside it are on disk as recorded."""
    deck.digest = deck_digest(deck.kind, draft.file, draft.shows, context)
    if not force and old is not None and _still_as_recorded(folder, old, draft, deck.digest):
        _ready(deck, folder / draft.file, unchanged=True, rendered_at=old.get("rendered_at"),
               beside=[dict(b) for b in old.get("beside", [])])
        return
    path = Path(draft.write())
    beside = [{"file": name, "sha256": file_sha256(folder / name)}
              for name in draft.beside if (folder / name).is_file()]
    _ready(deck, path, unchanged=False, rendered_at=stamp, beside=beside)


def _still_as_recorded(folder: Path, old: Mapping[str, Any], draft: DeckDraft,
                       digest: str) -> bool:
    """The earlier manifest entry ``old`` has this digest, and its deck and the files
    beside it are on disk with their recorded SHA-256."""
    if old.get("status") != "ready" or old.get("digest") != digest \
            or old.get("file") != draft.file:
        return False
    beside = old.get("beside") or []
    if sorted(b.get("file") for b in beside) != sorted(draft.beside):
        return False
    files = [(draft.file, old.get("sha256"))] + [(b["file"], b.get("sha256")) for b in beside]
    return all(_same_file(folder / name, sha) for name, sha in files)


def _same_file(path: Path, sha256: str | None) -> bool:
    return sha256 is not None and path.is_file() and file_sha256(path) == sha256


def _pdf_of(pptx: Path, kind: str, lang: str, written: set[str], stamp: str,
            earlier: Mapping[str, Any] | None = None) -> DeckResult:
    """The PDF of a ready deck: the earlier one when the deck was kept unchanged and the
    PDF is on disk as recorded, else converted now."""
    t0 = time.perf_counter()
    deck = DeckResult(kind, "failed", format="pdf")
    try:
        name = pptx.with_suffix(".pdf").name
        if (earlier is not None and earlier.get("status") == "ready"
                and earlier.get("file") == name
                and _same_file(pptx.parent / name, earlier.get("sha256"))):
            _ready(deck, pptx.parent / name, unchanged=True,
                   rendered_at=earlier.get("rendered_at"))
        else:
            _ready(deck, to_pdf(pptx, language=lang), unchanged=False, rendered_at=stamp)
        written.add(deck.file)
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


def run_summary(result: MeetingResult, delivery: dict[str, Any] | None,
                cached: dict[str, bool], steps: dict[str, float]) -> dict[str, Any]:
    """What the flow ``meeting`` returns: plain values only."""
    return {
        "meeting_id": result.meeting_id,
        "meeting_date": f"{result.meeting_date:%Y-%m-%d}",
        "status": result.status,
        "folder": result.folder,
        "decks": [asdict(d) for d in result.decks],
        "quality": result.quality.status,
        "delivery": delivery,
        "cached": cached,
        "seconds": {k: round(v, 3) for k, v in steps.items()},
    }


def run_problems(result: MeetingResult, delivery: dict[str, Any] | None) -> list[str]:
    """What makes a meeting run fail: a failed deck, an unreadable database, a delivery
    that failed or was refused (a deck blocked by data quality is not a failure)."""
    problems = [f"{d.kind}: {d.error}" for d in result.failed]
    if result.error:
        problems.append(result.error)
    if delivery is not None and not delivery["ok"]:
        problems.append(delivery["summary"])
    return problems


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
    lines += [f"  - {d.kind} {d.format or ''}: {d.state()}"
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
