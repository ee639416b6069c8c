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
  other decks, nor (:func:`prepare_meetings`) the other meetings.
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
    write_manifest,
)
from outputs.pdf import to_pdf
from pipeline.calendar import deck_run_time, is_meeting_day, meeting_start
from pipeline.decks import (
    DECKS_BY_LEVEL,
    DEFAULT_BUILDERS,
    DeckBuilder,
    DeckJob,
    DeckNotAvailable,
    pack_marts,
    worded_caveats,
)
from pipeline.inputs import loaded_files
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
    """Remove deck files an earlier manifest of this folder listed (no stale deck stays),
    with the agreement register written beside a removed deck."""
    old = read_manifest(folder) or {}
    for deck in old.get("decks", []):
        name = deck.get("file")
        if name and name not in keep and "/" not in name and "\\" not in name:
            (folder / name).unlink(missing_ok=True)
            if name.endswith(".pptx"):
                for suffix in REGISTER_SUFFIXES:
                    (folder / (name[:-len(".pptx")] + suffix)).unlink(missing_ok=True)


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
            job = DeckJob(con, config, meeting, meeting_date, folder, stem,
                          worded_caveats(caveats, config.organisation.language), template,
                          quality_run_id=result.quality.run_id)
            try:
                path = Path(builders[kind](job))
                deck.status, deck.file, deck.format = "ready", path.name, path.suffix[1:]
                deck.sha256, deck.bytes = file_sha256(path), path.stat().st_size
                deck.caveats = [c.text for c in job.caveats]  # as the deck shows them
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
