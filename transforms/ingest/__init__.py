"""Ingest: export files -> ``landing.*`` (as received) -> ``staging.*`` (typed) + quarantine.

Public API (the connection is passed in; see ``datadialog.db.connect``)::

    ingest_files(con, paths, config, source_id=None, progress=None, key=None, reload=False)
        -> list[FileReport]
    ingest_inbox(con, config, inbox=None, archive=None, progress=None, key=None)
        -> list[FileReport]

Each file is loaded in its own transaction (see :mod:`transforms.ingest.load`);
the rules (row numbers, units of the counts, re-exports, incremental loads) are in
docs/canonical.md, "Ingest rules".
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

import duckdb

from datadialog.agreement_form import REGISTER_SUFFIXES
from datadialog.config_model import DatadialogConfig
from datadialog.privacy import PseudonymKey, mask_text, register_pseudonym
from datadialog.tabular import append_csv_rows
from transforms.ingest.load import Batch, Progress, _fail, load_file, new_id
from transforms.ingest.mapping import FilePlan, order_plans, plan_file
from transforms.ingest.model import FileReport, IngestFileError, TableReport
from transforms.ingest.prepare import sha256_file
from transforms.ingest.workbook import warm_up
from transforms.pseudonym_key import key_for_database, record_fingerprint
from transforms.schema import ensure_schema

# A library logs, the application decides where to (see cli.ingest).
logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = [
    "DEFAULT_ARCHIVE",
    "DEFAULT_INBOX",
    "FileReport",
    "IngestFileError",
    "Progress",
    "TableReport",
    "WORKDIR_PREFIX",
    "expand_paths",
    "ingest_files",
    "ingest_inbox",
    "is_returned_file",
    "own_files",
    "remove_stale_workdirs",
]

#: Folder ``ingest_inbox`` reads by default (relative to the working folder).
DEFAULT_INBOX = Path("data") / "inbox"
#: Folder processed inbox files are moved to, in a sub-folder per load date.
DEFAULT_ARCHIVE = Path("data") / "archive"
#: Sub-folder of the inbox that failed files are moved to (with ``<name>.error.txt``).
FAILED_FOLDER = "failed"
ERROR_SUFFIX = ".error.txt"
#: The manifest ``datadialog demo-data`` writes beside its exports: never an export, so
#: a folder of demo exports loads without it (named on its own, it still fails).
DEMO_MANIFEST = "manifest.json"
#: Columns of ``<archive>/checksums.csv`` (a file name that starts like a formula is
#: written with a quote in front: :mod:`datadialog.tabular`).
LEDGER_HEADER = ("name", "sha256", "load_id", "status")


#: Prefix of the private folders holding UTF-8 copies of the exports being loaded
#: (``datadialog-ingest-<pid>-<random>`` in the system temp folder, mode 0700).
WORKDIR_PREFIX = "datadialog-ingest-"


def remove_stale_workdirs(root: Path | None = None) -> list[Path]:
    """Delete work folders left by a load that was killed (its process is gone).

    They hold copies of exports, CPR numbers included, so they must not linger.
    """
    root = Path(root or tempfile.gettempdir())
    removed = []
    for folder in root.glob(f"{WORKDIR_PREFIX}*-*"):
        pid_text = folder.name[len(WORKDIR_PREFIX) :].split("-", 1)[0]
        if not pid_text.isdigit() or not folder.is_dir():
            continue
        pid = int(pid_text)
        if pid == os.getpid() or process_alive(pid):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` runs (one of another user counts as running)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files named, and the files directly inside named folders (hidden files, error notes
    and the demo's ``manifest.json`` left out)."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out.extend(
                p
                for p in sorted(path.iterdir())
                if p.is_file() and not p.name.startswith(".") and not p.name.endswith(ERROR_SUFFIX)
                and p.name != DEMO_MANIFEST
            )
        else:
            out.append(path)
    return out


def own_files(con: duckdb.DuckDBPyConnection, config: DatadialogConfig) -> set[Path]:
    """The database's file, its WAL and the pseudonym key file (resolved): never an
    export, so a folder that holds them loads without them, and an inbox never moves
    them to ``failed/`` or the archive."""
    own: set[Path] = set()
    row = con.execute(
        "select path from duckdb_databases() where database_name = current_database()"
    ).fetchone()
    if row and row[0]:
        db = Path(row[0]).resolve()
        own |= {db, db.with_name(db.name + ".wal")}
    if config.privacy.pseudonym_key_file:
        own.add(Path(config.privacy.pseudonym_key_file).expanduser().resolve())
    return own


def ingest_files(
    con: duckdb.DuckDBPyConnection,
    paths: Iterable[str | Path],
    config: DatadialogConfig,
    source_id: str | None = None,
    progress: Progress | None = None,
    key: PseudonymKey | None = None,
    reload: bool = False,
    follow_links: bool = True,
) -> list[FileReport]:
    """Load export files (any order: they are sorted so references resolve).

    Files (or folders of files) are matched to sources by name, ordered citizens,
    courses, goals, the rest, and loaded one transaction each. A bad file gets a
    ``failed`` report with a one-line error; the other files still load. A file
    whose content was loaded before is ``skipped``.

    The key (``key``, else the configured one) must be the one the database's
    pseudonyms were made with: another raises ``PseudonymKeyMismatch``, a missing one
    ``PseudonymKeyMissing``, before anything is loaded (transforms.pseudonym_key).
    The first load into an empty database records the key's fingerprint.

    ``reload``: a file loaded before (same content, or same name) is loaded again and
    its earlier loads are replaced as by a corrected re-export (after a mapping fix);
    the report's ``previous`` holds their counts.

    ``follow_links=False`` (the inbox): a symbolic link fails unread, so a link dropped
    in the inbox to a file elsewhere (any file the process may read) is not loaded.
    """
    own = own_files(con, config)
    files = [path for path in expand_paths(paths) if path.resolve() not in own]
    if not files:
        return []  # nothing to load: no key is read, nor a key file made
    ensure_schema(con)
    key = key_for_database(con, config.privacy, key)
    record_fingerprint(con, key)
    register_pseudonym(con, key.key)
    now = datetime.now()
    remove_stale_workdirs()
    prefix = f"{WORKDIR_PREFIX}{os.getpid()}-"
    with tempfile.TemporaryDirectory(prefix=prefix) as workdir:
        batch = Batch(con, config, new_id("B", now), Path(workdir), progress, reload=reload)
        reports: list[FileReport] = []
        plans: list[FilePlan] = []
        for path in files:
            try:
                if not follow_links and path.is_symlink():
                    raise IngestFileError(
                        "a symbolic link, not an export file: put the file itself in the "
                        "inbox (links are not followed there)")
                if not path.exists():
                    raise IngestFileError("file not found")
                if not path.is_file():
                    raise IngestFileError("not a file")
                plans.append(plan_file(path, config, source_id))
            except IngestFileError as exc:
                report = FileReport(path=path, load_id=new_id("L", now))
                try:
                    report.sha256 = (sha256_file(path) if path.is_file()
                                     and (follow_links or not path.is_symlink()) else None)
                except OSError:
                    report.sha256 = None
                _fail(batch, report, now, str(exc))
                reports.append(report)
        if any(plan.source.format == "xlsx" for plan in plans):
            warm_up()  # the workbook reader's server imports while the first files load
        for plan in order_plans(plans):
            reports.append(load_file(batch, plan))
    return reports


def ingest_inbox(
    con: duckdb.DuckDBPyConnection,
    config: DatadialogConfig,
    inbox: str | Path | None = None,
    archive: str | Path | None = None,
    progress: Progress | None = None,
    key: PseudonymKey | None = None,
) -> list[FileReport]:
    """Load every export in the inbox, then move it away.

    Loaded and skipped files go to ``<archive>/<load date>/`` and get a line
    ``name,sha256,load_id,status`` in ``<archive>/checksums.csv``; failed files go to
    ``<inbox>/failed/`` with ``<name>.error.txt`` (the one-line error) beside them.
    Returned decks and agreement registers are left where they are: they are read after
    the exports (:func:`transforms.agreements.read_inbox_agreements`), so their courses
    can be checked against what the same run staged.
    """
    inbox = Path(inbox) if inbox is not None else DEFAULT_INBOX
    archive = Path(archive) if archive is not None else DEFAULT_ARCHIVE
    inbox.mkdir(parents=True, exist_ok=True)
    files = [p for p in expand_paths([inbox]) if not is_returned_file(p)]
    reports = ingest_files(con, files, config, progress=progress, key=key, follow_links=False)
    day = archive / f"{datetime.now():%Y-%m-%d}"
    ledger = archive / "checksums.csv"
    for report in reports:
        if not report.path.exists():
            continue
        if report.status == "failed":
            failed = inbox / FAILED_FOLDER
            failed.mkdir(parents=True, exist_ok=True)
            target = free_name(failed / report.file_name)
            shutil.move(str(report.path), target)
            target.with_name(target.name + ERROR_SUFFIX).write_text(
                mask_text(report.error or "failed") + "\n", encoding="utf-8"
            )
            continue
        day.mkdir(parents=True, exist_ok=True)
        target = free_name(day / report.file_name)
        shutil.move(str(report.path), target)
        append_csv_rows(ledger, LEDGER_HEADER,
                        [(report.file_name, report.sha256, report.load_id, report.status)])
    return reports


def is_returned_file(path: Path) -> bool:
    """A deck (.pptx) or an agreement register (``*_aftaler.xlsx``) left in the inbox: no
    export, read by :mod:`transforms.agreements` after the exports."""
    name = path.name.lower()
    return name.endswith(".pptx") or name.endswith(REGISTER_SUFFIXES)


def free_name(path: Path) -> Path:
    """``path``, or ``name.1.ext``, ``name.2.ext`` ... when it is taken (an archived or
    failed file is never overwritten by a later one of the same name)."""
    if not path.exists():
        return path
    n = 1
    while True:
        candidate = path.with_name(f"{path.stem}.{n}{path.suffix}")
        if not candidate.exists():
            return candidate
        n += 1
