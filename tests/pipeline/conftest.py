"""The small demo (seed 42, 120 courses, export date 2026-10-31), built once per session:
ingested with the agreements returned from the series' earlier meetings, built for that
date, checked with ``errors_block=False`` (as ``make demo`` does), and every demo meeting
prepared."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from checks.run import run_checks
from checks.settings import CheckSettings
from datadialog.config_load import load_config
from datadialog.config_model import DatadialogConfig
from datadialog.db import connect
from demo import generate
from pipeline.demo_run import demo_meetings, earlier_meetings
from pipeline.meeting import MeetingResult, prepare_meetings
from transforms.agreements import store_returned_file
from transforms.ingest import ingest_files
from transforms.refresh import build_database

SMALL_DEMO_AS_OF = date(2026, 10, 31)


@dataclass
class SmallDemo:
    config: DatadialogConfig
    db: Path
    results: list[MeetingResult]
    manifest: Any  # demo.manifest.Manifest of the exports (with returned agreements)
    returned: list[Any]  # what reading each returned agreement file gave


@pytest.fixture(scope="session")
def small_demo(tmp_path_factory) -> SmallDemo:
    base = tmp_path_factory.mktemp("small-demo")
    config = load_config()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DATADIALOG_PSEUDONYM_KEY", "snapshot-test-key-3f9a")
        manifest = generate(base / "exports", seed=42, courses=120, fmt="mixed",
                            as_of=SMALL_DEMO_AS_OF,
                            returned_meetings=earlier_meetings(config, SMALL_DEMO_AS_OF))
        db = base / "demo.duckdb"
        con = connect(db)
        try:
            reports = ingest_files(con, list(manifest.paths), config)
            assert all(r.status == "loaded" for r in reports)
            returned = [store_returned_file(con, p) for p in manifest.returned_paths]
        finally:
            con.close()
        build_database(db, config, as_of=SMALL_DEMO_AS_OF)
        con = connect(db)
        try:
            run_checks(con, config, settings=CheckSettings.from_config(config, errors_block=False))
        finally:
            con.close()
        results = prepare_meetings(str(db), config, demo_meetings(config, SMALL_DEMO_AS_OF),
                                   base / "outbox")
    return SmallDemo(config, db, results, manifest, returned)
