"""Reference documentation of every config setting, generated from the typed model.

The descriptions on the pydantic fields are the single source; ``datadialog
config reference`` prints them and ``docs/config.md`` is written from them.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator

from pydantic import BaseModel

from datadialog.config_model import DatadialogConfig

SECTION_HELP = {
    "organisation": "Name, language and time zone of the organisation.",
    "life_areas": "Life areas that goals are set in.",
    "teams": "Teams, the interventions they deliver and their members.",
    "interventions": "Interventions with core elements and the change theory (result map).",
    "instruments": "Measurement instruments and their scoring rules.",
    "measurement_plan": "Which instrument is due at which measurement point.",
    "sources": "How each documentation system's export maps to the canonical tables.",
    "costs": "Cost model inputs per intervention.",
    "meetings": "Meeting series: level, scope, cadence, recipients.",
    "privacy": "Small-cell suppression and pseudonyms.",
    "quality": "Data-quality targets and thresholds.",
    "ingest": "Limits of the export readers and what a corrected re-export does.",
}


def _model_of(annotation: object) -> type[BaseModel] | None:
    """The pydantic model inside a field type (list[X], X | None, dict[str, X]), if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin in (list, dict, typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            found = _model_of(arg)
            if found is not None:
                return found
    return None


def _type_name(annotation: object) -> str:
    text = str(annotation).replace("typing.", "").replace("datadialog.config_model.", "")
    return text.replace("<class '", "").replace("'>", "")


def iter_settings(
    model: type[BaseModel] = DatadialogConfig, prefix: str = ""
) -> Iterator[tuple[str, str, str, str]]:
    """Yield (key path, type, default, description) for every setting, depth first."""
    for name, field in model.model_fields.items():
        key = f"{prefix}.{field.alias or name}" if prefix else (field.alias or name)
        inner = _model_of(field.annotation)
        is_list = typing.get_origin(field.annotation) is list
        if field.is_required():
            default = "required"
        elif field.default_factory is not None:
            default = "(empty)" if is_list else "(defaults)"
        else:
            default = (
                repr(field.default) if not isinstance(field.default, BaseModel) else "(defaults)"
            )
        description = field.description or SECTION_HELP.get(name, "")
        yield key, _type_name(field.annotation), default, description
        if inner is not None:
            yield from iter_settings(inner, key + ("[]" if is_list else ""))


def reference_markdown() -> str:
    lines = [
        "# Configuration reference",
        "",
        "Generated from `datadialog/config_model.py` by `datadialog config reference`.",
        "Every key, its type, its default and what it means (with its unit).",
        "",
        "| key | type | default | meaning |",
        "| --- | --- | --- | --- |",
    ]
    for key, type_name, default, description in iter_settings():
        cell = type_name.replace("|", "\\|")
        lines.append(f"| `{key}` | {cell} | {default} | {description} |")
    return "\n".join(lines) + "\n"
