"""A data-quality caveat as the deck builders receive it: plain data, worded upstream.

The quality checks word their caveats; the meeting run hands each deck the caveats of
the marts it reads, already split into what a slide shows and which rule said it, so
the deck builders never read the checks' texts themselves.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Caveat:
    #: The whole caveat ("Datakvalitet: ..."): mails, the manifest, notes under figures.
    text: str
    #: The caveat as a bullet on a slide already titled "Datakvalitet".
    slide_text: str
    #: The quality rule it came from (None: a caveat from elsewhere, e.g. no quality run).
    rule_id: str | None = None
