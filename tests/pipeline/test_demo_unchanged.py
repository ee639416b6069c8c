"""The demo's decks and models are what they were before the code moved (issue 12).

The demo pipeline (seed 42, 120 courses, export date 2026-10-31) is ingested, built for
that date, checked with ``errors_block=False`` (as ``make demo`` does) and every demo
meeting is prepared; the snapshot of every deck (slide count, texts, tables, native chart
values, picture hashes) and the checksum of every int_/mart_ table must equal
``tests/fixtures/demo_snapshot.json``, which was written from the tree before the layout
change (regenerate it only when a deck or a model is meant to change:
``DATADIALOG_WRITE_SNAPSHOT=1 pytest tests/pipeline/test_demo_unchanged.py``).
"""

from __future__ import annotations

import difflib
import json
import os
from pathlib import Path

import pytest

from datadialog.db import connect
from tests.support.paths import FIXTURES
from tests.support.snapshot import deck_snapshot, mart_checksums

SNAPSHOT = FIXTURES / "demo_snapshot.json"


@pytest.fixture(scope="module")
def demo_output(small_demo) -> dict:
    con = connect(small_demo.db)
    try:
        models = mart_checksums(con)
    finally:
        con.close()
    decks = {}
    for result in small_demo.results:
        for deck in result.ready:
            if deck.file.endswith(".pptx"):
                decks[deck.file] = deck_snapshot(Path(result.folder) / deck.file)
    return {"models": models, "decks": decks}


def test_demo_decks_and_models_are_unchanged(demo_output) -> None:
    if os.environ.get("DATADIALOG_WRITE_SNAPSHOT"):
        SNAPSHOT.write_text(json.dumps(demo_output, indent=1, ensure_ascii=False) + "\n",
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


def _lines(slide: dict) -> list[str]:
    return json.dumps(slide, indent=1, ensure_ascii=False).splitlines()
