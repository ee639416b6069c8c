"""The two datasets the deck-claims audit reads (issue 14), each built once per session.

``demo``
    the session's demo database (:func:`tests.support.meetings.demo_database`: seed 42,
    120 courses), copied, quality-checked and with every demo meeting's deck prepared.
``strict``
    a second municipality built for the audit: seed 7, 200 courses, and a config whose
    ``privacy.small_cell_k`` is 8, so more cells are hidden and one-group and
    every-group-hidden charts occur (about 35 s).

Each dataset's folder holds a ``built.json`` with its database and decks; later calls in
the session (from any module) read it instead of building again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from checks.run import run_checks
from checks.settings import CheckSettings
from datadialog.config_load import load_config
from datadialog.config_model import DatadialogConfig
from datadialog.db import connect
from demo import generate
from pipeline.demo_run import demo_meetings
from pipeline.meeting import prepare_meetings
from tests.support.meetings import PSEUDONYM_KEY, config_copy, copy_database, demo_database
from transforms.ingest import ingest_files
from transforms.refresh import build_database

AS_OF = date(2026, 10, 31)
STRICT_SEED = 7
STRICT_COURSES = 200
STRICT_K = 8


@dataclass(frozen=True)
class AuditDataset:
    name: str
    database: Path
    config: DatadialogConfig
    decks: dict[str, Path]  # meeting id -> written .pptx


def _strict_config(folder: Path) -> None:
    org = folder / "organisation.yaml"
    text = org.read_text(encoding="utf-8")
    assert "  small_cell_k: 5 " in text
    org.write_text(text.replace("  small_cell_k: 5 ", f"  small_cell_k: {STRICT_K} "),
                   encoding="utf-8")


def _prepare_decks(db: Path, config: DatadialogConfig, outbox: Path) -> dict[str, str]:
    con = connect(db)
    try:
        run_checks(con, config, settings=CheckSettings.from_config(config, errors_block=False))
    finally:
        con.close()
    decks = {}
    for result in prepare_meetings(str(db), config, demo_meetings(config, AS_OF), outbox):
        for deck in result.ready:
            if deck.file.endswith(".pptx"):
                decks[result.meeting_id] = str(Path(result.folder) / deck.file)
    return decks


def audit_dataset(base: Path, name: str) -> AuditDataset:
    """The dataset ``name`` (``demo`` or ``strict``), built on first use in the session
    (``base`` is the session's ``tmp_path_factory.getbasetemp()``)."""
    folder = base / f"audit-{name}"
    marker = folder / "built.json"
    config_dir = folder / "config" if name == "strict" else None
    if not marker.exists():
        folder.mkdir(parents=True, exist_ok=True)
        if name == "strict":
            config_copy(folder, _strict_config)
        config = load_config(config_dir)
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("DATADIALOG_PSEUDONYM_KEY", PSEUDONYM_KEY)
            if name == "demo":
                db = copy_database(demo_database(base), folder / "db")
            else:
                manifest = generate(folder / "exports", seed=STRICT_SEED,
                                    courses=STRICT_COURSES, fmt="mixed", as_of=AS_OF,
                                    config_dir=config_dir)
                db = folder / "strict.duckdb"
                con = connect(db)
                try:
                    reports = ingest_files(con, list(manifest.paths), config)
                finally:
                    con.close()
                assert all(r.status == "loaded" for r in reports), [r.as_dict() for r in reports]
                build_database(db, config, as_of=AS_OF)
            decks = _prepare_decks(db, config, folder / "outbox")
        marker.write_text(json.dumps({"database": str(db), "decks": decks}), encoding="utf-8")
    built = json.loads(marker.read_text(encoding="utf-8"))
    return AuditDataset(name, Path(built["database"]), load_config(config_dir),
                        {k: Path(v) for k, v in built["decks"].items()})
