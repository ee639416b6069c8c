"""Small fagsystem_a exports and a config whose date_format does not fit them (the
tests of format faults: transforms.ingest.diagnose)."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.support.paths import REPO

COURSES_HEADER = "ForloebID;BorgerID;Indsats;Variant;Team;Startdato;Slutdato;Afslutningsaarsag"
CITIZENS = "BorgerID;Koen;Foedselsaar\r\n" + "".join(
    f"B{i:03d};K;1990\r\n" for i in range(1, 51)
) + "Antal rækker: 50\r\n"


def config_with(tmp_path: Path, old: str, new: str) -> Path:
    """The demo config with one edit of sources.yaml (the first match: fagsystem_a)."""
    folder = tmp_path / "config"
    shutil.copytree(REPO / "config", folder)
    path = folder / "sources.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


def wrong_date_format(tmp_path: Path) -> Path:
    return config_with(tmp_path, 'date_format: "%d-%m-%Y"', 'date_format: "%Y-%m-%d"')


def courses_file(folder: Path, start_dates: list[str], name: str = "a_forloeb_20261031.csv"
                 ) -> Path:
    """A courses export of fagsystem_a (cp1252, ';', its trailer line): one course per
    start date."""
    lines = [COURSES_HEADER] + [
        f"C{i:03d};B{i:03d};spaedbarn;;familie_nord;{start};;"
        for i, start in enumerate(start_dates, start=1)
    ] + [f"Antal rækker: {len(start_dates)}"]
    path = folder / name
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    return path


def citizens_file(folder: Path) -> Path:
    path = folder / "a_borgere_20261031.csv"
    path.write_bytes(CITIZENS.encode("cp1252"))
    return path


def dates(n: int) -> list[str]:
    """n dates written dd-mm-yyyy (the demo export's format)."""
    return [f"{1 + i % 28:02d}-{1 + i % 12:02d}-2025" for i in range(n)]
