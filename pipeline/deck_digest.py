"""The content digest of a deck: what it shows, taken before it is rendered.

A meeting run (:func:`pipeline.meeting.prepare_meeting`) gathers each pack and builds its
specification, then asks :func:`deck_digest` for a SHA-256 over everything the deck and
the files written beside it show: the specification (every slide's text, figure cells,
tables, caveats as worded, the quality badge with its as-of date), the rows of the
agreement register or finance workbook, the deck options, and what turns those into
bytes: the code of ``outputs/`` and ``pipeline/`` (:func:`pipeline.inputs.code_sha256`),
a template given from outside, and the versions of the rendering libraries. When the
digest equals the one recorded in the meeting folder's manifest and the files still have
their recorded SHA-256, the deck is kept instead of rendered again.

Deterministic by construction (:func:`canonical`): dataclasses and mappings by field and
key name (sorted), lists in their own order (the order the deck shows them in), sets
sorted, floats to 9 significant digits and -0.0 as 0.0 (DuckDB's parallel sums may differ
in the last digits from one build to the next; a slide prints at most 7 digits), dates
in ISO form. A value of a type it does not know is an error rather
than a ``repr`` that could hold a memory address.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import math
from collections.abc import Mapping
from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum
from importlib.metadata import PackageNotFoundError, version
from numbers import Integral, Real
from pathlib import Path
from typing import Any

#: Raise when the digest's layout changes (every deck is then rendered once more).
DIGEST_VERSION = 1
#: Libraries that turn a specification into bytes (their upgrade re-renders every deck).
RENDER_LIBRARIES = ("python-pptx", "vl-convert-python", "altair", "xlsxwriter", "openpyxl")
#: Significant digits a float keeps in the digest.
FLOAT_DIGITS = 9


def canonical(value: Any) -> Any:
    """``value`` as plain JSON values, the same for the same content on every run."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, Enum):
        return canonical(value.value)
    if isinstance(value, Integral):
        return int(value)
    if isinstance(value, Real | Decimal):
        number = float(value) + 0.0  # -0.0 -> 0.0
        if math.isnan(number) or math.isinf(number):
            return {"float": str(number)}
        return {"float": format(number, f".{FLOAT_DIGITS}g")}
    if isinstance(value, datetime | date | time):
        return {type(value).__name__: value.isoformat()}
    if isinstance(value, Path):
        return {"path": value.as_posix()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {"dataclass": type(value).__name__,
                "fields": {f.name: canonical(getattr(value, f.name))
                           for f in dataclasses.fields(value)}}
    if isinstance(value, Mapping):
        return {"mapping": sorted([_key(k), canonical(v)] for k, v in value.items())}
    if isinstance(value, list | tuple):
        return [canonical(v) for v in value]
    if isinstance(value, set | frozenset):
        return {"set": sorted((canonical(v) for v in value), key=_dump)}
    raise TypeError(f"no canonical form for a {type(value).__name__} in a deck digest")


def _key(key: Any) -> str:
    return key if isinstance(key, str) else _dump(canonical(key))


def _dump(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


@functools.cache
def library_versions() -> dict[str, str | None]:
    """Versions of the rendering libraries this process loaded (read once: an upgrade on
    disk changes nothing a running process renders)."""
    found: dict[str, str | None] = {}
    for name in RENDER_LIBRARIES:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = None
    return found


def template_sha256(template: str | Path | None) -> str | None:
    """SHA-256 of a template given from outside (the shipped one is part of the code)."""
    if template is None:
        return None
    return hashlib.sha256(Path(template).read_bytes()).hexdigest()


@dataclasses.dataclass(frozen=True)
class RenderContext:
    """What turns a specification into bytes, the same for every deck of a run."""

    code_sha256: str
    template_sha256: str | None
    libraries: dict[str, str | None]


def deck_digest(kind: str, file: str, shows: Mapping[str, Any], context: RenderContext) -> str:
    """SHA-256 (hex) of a deck's content: its kind and file name, what it and the files
    beside it show (``shows``), and the render context."""
    text = _dump(canonical({
        "digest_version": DIGEST_VERSION,
        "kind": kind,
        "file": file,
        "shows": shows,
        "context": context,
    }))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
