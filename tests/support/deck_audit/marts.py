"""The mart rows the audit compares claims with. Each query is a file in ``sql/``
(named parameters ``$name``); the audit aggregates here, the decks never do."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

SQL = Path(__file__).parent / "sql"


@cache
def _sql(name: str) -> str:
    return (SQL / f"{name}.sql").read_text(encoding="utf-8")


def rows(con, name: str, **params: Any) -> list[dict[str, Any]]:
    """The rows of ``sql/<name>.sql`` as dicts."""
    cur = con.execute(_sql(name), params)
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
