"""The demo's decks and models are what they were before the code moved (issue 12).

The demo pipeline (seed 42, 120 courses, export date 2026-10-31) is ingested, built for
that date, checked with ``errors_block=False`` (as ``make demo`` does), the agreement
registers the demo returns for the earlier meetings are read back (issue 15), and every
demo meeting is prepared; the snapshot of every deck (slide count, texts, tables, native chart
values, picture hashes) and the checksum of every int_/mart_ table must equal
``tests/fixtures/demo_snapshot.json``, which was written from the tree before the layout
change (regenerate it only when a deck or a model is meant to change:
``DATADIALOG_WRITE_SNAPSHOT=1 pytest tests/pipeline/test_demo_unchanged.py``).

The one text that follows the wall clock, the date of the quality run in the leaders'
summary ("Kørt <date> på data til og med 31.10.2026."), is held in the snapshot as
``<kørselsdato>``; it is replaced only where the deck shows the date of the run stored
in the database, in that sentence (``tests.support.snapshot.quality_run_masks``).
"""

from __future__ import annotations

import difflib
import json
import os
from pathlib import Path

import pytest
from pptx import Presentation

from datadialog.db import connect
from tests.support.paths import FIXTURES
from tests.support.snapshot import RUN_DATE, deck_snapshot, mart_checksums, quality_run_masks

SNAPSHOT = FIXTURES / "demo_snapshot.json"


@pytest.fixture(scope="module")
def demo_output(small_demo) -> dict:
    con = connect(small_demo.db)
    try:
        models = mart_checksums(con)
        masks = quality_run_masks(con, small_demo.config.organisation.language)
    finally:
        con.close()
    decks, paths = {}, {}
    for result in small_demo.results:
        for deck in result.ready:
            if deck.file.endswith(".pptx"):
                paths[deck.file] = Path(result.folder) / deck.file
                decks[deck.file] = deck_snapshot(paths[deck.file], masks)
    return {"models": models, "decks": decks, "paths": paths, "returned": small_demo.returned,
            "manifest": small_demo.manifest, "db": small_demo.db, "masks": masks}


def test_demo_decks_and_models_are_unchanged(demo_output) -> None:
    snapshot = {"models": demo_output["models"], "decks": demo_output["decks"]}
    if os.environ.get("DATADIALOG_WRITE_SNAPSHOT"):
        SNAPSHOT.write_text(json.dumps(snapshot, indent=1, ensure_ascii=False) + "\n",
                            encoding="utf-8")
    expected = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert sorted(demo_output["decks"]) == sorted(expected["decks"])
    assert demo_output["models"] == expected["models"]
    for name, deck in expected["decks"].items():
        got = demo_output["decks"][name]
        assert got["n_slides"] == deck["n_slides"], name
        for i, (a, b) in enumerate(zip(got["slides"], deck["slides"], strict=True)):
            if a != b:
                diff = difflib.unified_diff(_lines(b), _lines(a), "before", "now", lineterm="")
                pytest.fail(f"{name} slide {i + 1} differs:\n" + "\n".join(diff))


def test_the_leaders_summary_shows_the_stored_quality_runs_date(demo_output) -> None:
    """The snapshot holds the quality run's date as a placeholder: the deck must show
    that run's own date, in the one sentence the placeholder stands for."""
    assert len(demo_output["masks"]) == 1
    [(real, placeholder)] = demo_output["masks"].items()
    assert RUN_DATE in placeholder and RUN_DATE not in real
    shown = [name for name, deck in demo_output["decks"].items()
             if placeholder in json.dumps(deck, ensure_ascii=False)]
    assert shown and all(name.startswith("ledelse_") for name in shown), shown


def _lines(slide: dict) -> list[str]:
    return json.dumps(slide, indent=1, ensure_ascii=False).splitlines()


def test_the_demo_returns_agreements_and_every_pack_opens_with_them(demo_output) -> None:
    """Issue 15: the registers the demo returns are in staging.agreements, and every
    citizen and intervention pack's "since last time" lists them with a status."""
    manifest = demo_output["manifest"]
    listed = manifest.to_dict()["returned_agreements"]
    # three citizen series x 2 earlier meetings, two intervention series x 1
    assert len(listed) == 8
    assert all(not r.problems for r in demo_output["returned"])
    con = connect(demo_output["db"])
    try:
        per_meeting = dict(con.execute(
            "select meeting_id || ' ' || agreed_on::varchar, count(*) from staging.agreements "
            "group by all").fetchall())
    finally:
        con.close()
    assert per_meeting == {f"{r['meeting']} {r['date']}": r["agreements"] for r in listed}
    statuses = ("gennemført", "ikke gennemført endnu", "ikke gennemført, fristen er overskredet")
    packs = {name: path for name, path in demo_output["paths"].items()
             if name.startswith(("borger_", "indsats_"))}
    assert len(packs) == 5
    for name, path in packs.items():
        prs = Presentation(str(path))
        # the title shape holds the section line, then the title
        since = next(s for s in prs.slides if s.shapes.title is not None
                     and "\nSiden sidst:" in s.shapes.title.text)
        table = next(sh.table for sh in since.shapes if sh.has_table)
        rows = [[c.text for c in row.cells] for row in list(table.rows)[1:]]
        assert len(rows) >= 2, name
        assert all(row[4] in statuses for row in rows), (name, rows)
        # the done agreement and at least one not done are shown
        assert {"gennemført"} < {row[4] for row in rows}, (name, rows)
