"""Fictitious organisations for the national roll-up: the benchmark's and the tests'.

:func:`demo_registry` generates the exports of ``n`` organisations with the demo
generator (seed ``seed + i`` each, so their numbers differ), copies them into each
organisation's inbox and writes ``national.yaml``. All share the demo config folder.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from datadialog.config_load import DEFAULT_CONFIG_DIR
from datadialog.national_config import NationalRegistry, Organisation, write_registry
from demo import generate


def organisation_id(i: int) -> str:
    return f"org_{i:03d}"


def demo_registry(base: Path, n: int, *, courses: int, as_of: date, seed: int = 1000,
                  k: int = 5, config_dir: Path | None = None) -> Path:
    """Make ``n`` organisations under ``base`` (exports in their inboxes); the registry."""
    base = base.resolve()
    orgs = []
    for i in range(1, n + 1):
        root = base / "organisations" / organisation_id(i)
        manifest = generate(root / "exports", seed=seed + i, courses=courses, fmt="a",
                            as_of=as_of)
        (root / "inbox").mkdir(parents=True, exist_ok=True)
        for path in map(Path, manifest.paths):
            shutil.copy2(path, root / "inbox" / path.name)
        orgs.append(Organisation(
            id=organisation_id(i), name=f"Demo Kommune {i}",
            config_dir=str(config_dir or DEFAULT_CONFIG_DIR), inbox=str(root / "inbox"),
            database=str(root / "datadialog.duckdb"), outbox=str(root / "outbox"),
        ))
    registry = NationalRegistry(exchange=str(base / "exchange"), out_dir=str(base / "national"),
                                small_cell_k=k, organisations=orgs)
    return write_registry(registry, base / "national.yaml")
