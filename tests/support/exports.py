"""The onboarding corpus (tests/fixtures/exports): a system's config folder and files."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.support.paths import FIXTURES, REPO

EXPORTS = FIXTURES / "exports"
SYSTEMS = ("omsorgsjournal", "carelink", "famdok")


def config_dir(system: str, target: Path) -> Path:
    """A config folder in ``target``: the project's config with the system's
    ``sources.yaml`` in place of the demo's (what a steward at a new site starts from)."""
    folder = target / f"config_{system}"
    folder.mkdir(parents=True, exist_ok=True)
    for path in (REPO / "config").glob("*.yaml"):
        if path.name != "sources.yaml":
            shutil.copy(path, folder / path.name)
    for path in (EXPORTS / system / "config").glob("*.yaml"):
        shutil.copy(path, folder / path.name)
    return folder


def export_files(system: str) -> list[Path]:
    """The system's export files (not its config)."""
    return sorted(p for p in (EXPORTS / system).iterdir() if p.is_file())
