"""The deck-claims audit (issue 14): read what a written deck *says* and check it
against the marts of the database it was built from.

- :mod:`.slides` reads every slide's text from the .pptx (text frames, groups, tables,
  native charts' titles, categories, series names and values);
- :mod:`.numbers` reads Danish numbers, percentages, signed changes and "<k";
- :mod:`.context` what a deck is for (meeting, intervention, quarter, k);
- :mod:`.marts` the mart rows a check compares with (SQL in ``sql/*.sql``);
- :mod:`.common`, :mod:`.intervention`, :mod:`.chart_values`, :mod:`.leaders`,
  :mod:`.citizen` the checks,
  one function per kind of claim, each adding :class:`~.findings.Finding` rows (file,
  slide, text, what the marts say);
- :mod:`.rules` the checks every deck gets, and :func:`audit_deck`, which runs them all.

Rules (``Finding.rule``):

``n_beside_chart``
    an "n = X" beside or under a chart equals that chart's n: the citizens (or goals)
    behind its plotted cells, from the mart the chart reads (a hidden cell is not
    plotted and not counted); a citizen's "n = 2 målinger" equals the points plotted.
``superlative``
    "flest / mest / bedst / størst / laveste / mindst": the named group is the top (or
    bottom) of every group of that chart, untied at the printed precision, and no group
    is hidden.
``direction``
    a signed change, "steg / faldt", "forbedrede / gik tilbage", "(lavere er bedre)"
    agree with the sign of the change in the marts and the instrument's ``direction``.
``small_cells``
    a count of fewer than k citizens is printed as "<k", and a total beside exactly one
    hidden cell does not give that cell away by subtraction.
``value``
    a number a sentence quotes equals the mart's value at the printed precision (and a
    citizen slide's "staff have only one measurement" is not said beside a goal table
    that shows a goal re-rated).
``bands``
    a citizen chart's shaded bands end where the instrument's configured bands (of the
    intervention's norm group) end: no two bands drawn as one.
``chart_values``
    the intervention pack's native progression, comparison, fidelity and expected-course
    charts hold exactly the mart's numbers, cell by cell; a cell the mart hides has no
    value in the chart; a cut-off line sits at the number its label prints.

A direction claim also covers "Borgerens egen vurdering peger mod bedring": said only
when a rating of that rater changed reliably that way in the table beside it.
"""

from tests.support.deck_audit.findings import AuditResult, Finding
from tests.support.deck_audit.rules import RULES, audit_deck
from tests.support.deck_audit.slides import ChartText, SlideText, read_deck

__all__ = ["RULES", "AuditResult", "ChartText", "Finding", "SlideText", "audit_deck",
           "read_deck"]
