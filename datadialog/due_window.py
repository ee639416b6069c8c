"""How long the due list keeps an overdue measurement: read by the due list
(``checks.due``), the quality report's fix text for missing measurements and the
site's due page, so that all three say the same number."""

from __future__ import annotations

#: Days back an overdue measurement stays on the due list, counted from the day its
#: window closed; older ones are only in the quality report's missing_measurement rows.
DUE_LOOKBACK_DAYS = 180
