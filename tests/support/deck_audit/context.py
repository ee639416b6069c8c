"""What the audit knows about a deck besides its text: the meeting it was written for,
the intervention and quarter it covers, k, and names as the slides print them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from outputs.common import short_name
from outputs.gather import outcome_instruments
from outputs.texts import t
from tests.support.deck_audit.slides import SlideText, read_deck

_QUARTER = re.compile(r"(\d)\. kvartal (\d{4})")


@dataclass
class DeckContext:
    file: str
    slides: list[SlideText]
    con: object  # a DuckDB connection to the deck's database
    config: object  # the DatadialogConfig the deck was built with
    level: str  # citizen | intervention | organisation
    intervention_id: str | None
    quarter: str | None  # "2026-Q3": the quarter an intervention or leaders' deck covers

    @property
    def k(self) -> int:
        return self.config.privacy.small_cell_k

    @property
    def lang(self) -> str:
        return self.config.organisation.language

    def text(self, key: str, **values) -> str:
        return t(key, self.lang, **values)

    @property
    def main_instrument(self) -> str | None:
        if self.intervention_id is None:
            return None
        outcomes = outcome_instruments(self.config, self.intervention_id)
        return outcomes[0] if outcomes else None

    def instrument_by_short_name(self, name: str):
        """The config instrument whose short name (as slides print it) is ``name``."""
        return next((i for i in self.config.instruments if short_name(i.name) == name), None)

    def intervention_by_name(self, name: str):
        """An intervention by its full name or the first word(s) the leaders' deck uses."""
        exact = [iv for iv in self.config.interventions if iv.name == name]
        if exact:
            return exact[0]
        starts = [iv for iv in self.config.interventions if iv.name.startswith(name)]
        return starts[0] if len(starts) == 1 else None


def previous_quarter(quarter: str) -> str:
    year, q = int(quarter[:4]), int(quarter[-1])
    return f"{year - 1}-Q4" if q == 1 else f"{year}-Q{q - 1}"


def deck_context(path: str | Path, con, config) -> DeckContext:
    """Read a deck and what it was written for (from its file name, ``<meeting>_<date>``)."""
    path = Path(path)
    meeting_id = re.sub(r"_\d{4}-\d{2}-\d{2}$", "", path.stem)
    meeting = next(m for m in config.meetings if m.id == meeting_id)
    slides = read_deck(path)
    quarter = None
    first = "\n".join(slides[0].frames) + "\n" + slides[0].title if slides else ""
    found = _QUARTER.search(first)
    if found:
        quarter = f"{found.group(2)}-Q{found.group(1)}"
    return DeckContext(path.name, slides, con, config, meeting.level, meeting.intervention,
                       quarter)
