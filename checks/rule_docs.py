"""What each rule id of the row schemas (``checks/schemas``) checks and what to do about
a failure. Apart from the schemas, so that reading a run's results (the gates of a
meeting run, the site) does not import Pandera and Ibis (about 1 s)."""

from __future__ import annotations

#: What each rule id of the schemas checks and what to do about a failure (English, for
#: the data steward; the SQL rules carry theirs in their file headers).
RULE_DOCS: dict[str, tuple[str, str]] = {
    "schema": (
        "A staged value breaks its table's schema: wrong type, missing required value, a "
        "value outside its vocabulary or plausible range.",
        "Correct the value in the source system (or the mapping in config/sources.yaml) and "
        "load again.",
    ),
    "out_of_range": (
        "An item answer lies outside the instrument's item_min..item_max (a GAS level "
        "outside -2..+2). Scoring treats it as missing.",
        "Correct the answer in the source system; check that the export maps the right instrument.",
    ),
    "item_not_in_instrument": (
        "An item number lies outside 1..n_items of the instrument.",
        "Check the instrument's n_items in config/instruments.yaml and the export's item "
        "numbering.",
    ),
    "unknown_reference": (
        "An id (instrument, intervention, variant, team, life area) is not in the config.",
        "Add the id to the config, or map the export's code to a known id in "
        "config/sources.yaml (value_codes).",
    ),
}
