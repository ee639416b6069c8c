"""What a reader sees instead of an id: teams, interventions and instruments by their
configured names, in the decks' figures, the data steward's site and the quality report
(``checks.report``). A meeting series' name is worded with the deck titles
(``outputs.common.meeting_name``).
"""

from __future__ import annotations

from datadialog.config_model import DatadialogConfig

#: (kind, id) -> the name a reader sees; kind is team, intervention or instrument.
Names = dict[tuple[str, str], str]


def short_name(instrument_name: str) -> str:
    """The instrument's name up to the first bracket or comma ("ORS (Outcome ...)" -> "ORS")."""
    for sep in (" (", ","):
        if sep in instrument_name:
            instrument_name = instrument_name.split(sep, 1)[0]
    return instrument_name.strip()


def display_names(config: DatadialogConfig) -> Names:
    """Every team, intervention and instrument (by its short name) of the config."""
    names: Names = {("team", t.id): t.name for t in config.teams}
    names |= {("intervention", i.id): i.name for i in config.interventions}
    names |= {("instrument", i.id): short_name(i.name) for i in config.instruments}
    return names
