"""The demo run's own steps: its folder layout, its exports in the inbox, its meetings.

``datadialog demo`` (flow ``demo``) writes everything under one folder, by default
``build/demo``::

    exports/    the generated exports and manifest.json (kept as written)
    inbox/      where a data steward would drop exports; ingest empties it
    archive/    processed exports with checksums.csv
    datadialog.duckdb
    quality/    quality report (HTML), failing rows (CSV), due lists, Data Docs
    outbox/     <meeting>/<date>/ decks + manifest.json
    site/       the data steward's site (open site/index.html)
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from datadialog.config_model import DatadialogConfig
from demo import ReturnedMeeting, generate
from pipeline.calendar import meeting_times

#: Sub-folders and files of a demo folder that a new demo run replaces.
_REPLACED = ("exports", "inbox", "archive", "quality", "outbox", "site", "datadialog.duckdb",
             "datadialog.duckdb.wal")


@dataclass(frozen=True)
class DemoPaths:
    root: Path

    @property
    def exports(self) -> Path:
        return self.root / "exports"

    @property
    def inbox(self) -> Path:
        return self.root / "inbox"

    @property
    def archive(self) -> Path:
        return self.root / "archive"

    @property
    def database(self) -> Path:
        return self.root / "datadialog.duckdb"

    @property
    def quality(self) -> Path:
        return self.root / "quality"

    @property
    def outbox(self) -> Path:
        return self.root / "outbox"

    @property
    def site(self) -> Path:
        return self.root / "site"

    def as_dict(self) -> dict[str, str]:
        names = ("exports", "inbox", "archive", "database", "quality", "outbox", "site")
        return {name: str(getattr(self, name)) for name in names}


def fresh_demo_folder(root: Path) -> DemoPaths:
    """Remove what an earlier demo run wrote under ``root`` (only the demo's own names)."""
    root.mkdir(parents=True, exist_ok=True)
    for name in _REPLACED:
        path = root / name
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)
    return DemoPaths(root)


def stage_demo_exports(paths: DemoPaths, *, seed: int, courses: int, as_of: date,
                       config: DatadialogConfig | None = None) -> dict:
    """Generate the demo exports, and the registers of agreements returned from the
    earlier meetings of each series (:func:`earlier_meetings`), and copy them into the
    inbox, as a data steward and the meeting leaders would."""
    returned = earlier_meetings(config, as_of) if config is not None else []
    manifest = generate(paths.exports, seed=seed, courses=courses, fmt="mixed", as_of=as_of,
                        returned_meetings=returned)
    paths.inbox.mkdir(parents=True, exist_ok=True)
    files = [Path(p) for p in manifest.paths + manifest.returned_paths]
    for path in files:
        shutil.copy2(path, paths.inbox / path.name)
    return {"files": [p.name for p in files], "defects": len(manifest.defects),
            "manifest": str(paths.exports / "manifest.json")}


def last_quarter_end(day: date) -> date:
    """The last day of the last calendar quarter that ended before ``day``."""
    first_of_quarter = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return first_of_quarter - timedelta(days=1)


#: Earlier meetings per series whose agreements come back in the demo.
EARLIER_MEETINGS = {"citizen": 2, "intervention": 1}


def earlier_meetings(config: DatadialogConfig, as_of: date) -> list[ReturnedMeeting]:
    """The meetings before the demo's next one of each citizen and intervention series
    (two and one), whose agreement registers the demo returns."""
    tz = config.organisation.timezone
    out = []
    for meeting_id, next_date in demo_meetings(config, as_of):
        meeting = next(m for m in config.meetings if m.id == meeting_id)
        n = EARLIER_MEETINGS.get(meeting.level, 0)
        if not n:
            continue
        times = meeting_times(meeting, meeting.starts, next_date - timedelta(days=1), tz)
        out += [ReturnedMeeting(meeting_id, t.date()) for t in times[-n:]]
    return out


def demo_meetings(config: DatadialogConfig, as_of: date) -> list[tuple[str, date]]:
    """One meeting per series to prepare in the demo.

    Fortnightly series (citizen, progress): the first meeting after ``as_of``.
    Quarterly series (intervention, organisation): the first meeting after the last
    quarter that ended before ``as_of`` — the meeting that reviews that quarter.
    """
    tz = config.organisation.timezone
    found = []
    for meeting in config.meetings:
        after = as_of if meeting.level in ("citizen", "progress") else last_quarter_end(as_of)
        start = after + timedelta(days=1)
        times = meeting_times(meeting, start, start + timedelta(days=366), tz)
        if times:
            found.append((meeting.id, times[0].date()))
    return found
