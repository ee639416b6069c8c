"""The deck-claims audit (issue 14, deliverable 7) over every deck of two datasets.

Every deck of the demo and of the ``strict`` dataset (seed 7, 200 courses, k = 8; see
``tests/support/audit_data.py``) is read back from the written .pptx and each claim it
makes is checked against the marts of the database it was built from
(``tests/support/deck_audit``). One test case per dataset, deck and rule, so a failure
names all three; its message lists file, slide, text and what the marts say.

``KNOWN_FINDINGS`` lists the cases that fail on today's code because of defects issue 14
names and others are fixing now. Each is ``xfail(strict=True)``: when a fix lands the
case passes, the strict xfail fails, and the entry is to be removed from the list.
"""

from __future__ import annotations

import pytest

from datadialog.db import connect
from tests.support.audit_data import STRICT_K, audit_dataset
from tests.support.deck_audit import RULES, AuditResult, audit_deck, read_deck

DATASETS = ("demo", "strict")
#: The demo's meetings (config/meetings.yaml); a test below checks the list is complete.
MEETINGS = ("borger_familie_nord", "borger_unge_syd", "borger_voksen_oest",
            "indsats_ungepraktik", "indsats_voksenstoette", "ledelse_kvartal")

_RESULT_MAP_SIGN = ("#14 finding: the result map prints the change of a lower-is-better "
                    "score with the improvement's sign ('YLS/CMI, gns. ændring: +6,4 point' "
                    "for a falling risk score)")
_TARGET_N = ("#14 finding: the target-group note counts the quarter's active citizens "
             "('n = 10 borgere'), not the citizens behind the chart's cells")
_KIK_TIE = ("#14 finding: 'Mindst i spil' crowns one core element where two share the "
            "lowest rating")
_GAS_ONCE = ("#14 finding: a citizen slide says staff have only one measurement while the "
             "goal table before it shows a goal re-rated (goal ratings never become GAS "
             "points)")
_RATINGS_DIRECTION = ("#14 finding: 'Borgerens egen vurdering peger mod bedring' beside a "
                      "table whose citizen ratings show no reliable change")
_MERGED_BANDS = ("#14 finding: the youth risk chart (YLS/CMI) draws moderate and high risk "
                 "as one band")
_LEADERS_BEST = ("#14 finding: the leaders' summary names the largest share improved / "
                 "most improved / lowest cost while other interventions' figures are hidden")

#: (dataset, meeting, rule) -> the issue-14 finding that makes it fail today.
KNOWN_FINDINGS: dict[tuple[str, str, str], str] = {
    ("demo", "borger_familie_nord", "superlative"): _KIK_TIE,
    ("demo", "borger_familie_nord", "value"): _GAS_ONCE,
    ("demo", "borger_familie_nord", "direction"): _RATINGS_DIRECTION,
    ("demo", "borger_unge_syd", "value"): _GAS_ONCE,
    ("demo", "borger_unge_syd", "direction"): _RATINGS_DIRECTION,
    ("demo", "borger_unge_syd", "bands"): _MERGED_BANDS,
    ("demo", "borger_voksen_oest", "value"): _GAS_ONCE,
    ("demo", "indsats_ungepraktik", "n_beside_chart"): _TARGET_N,
    ("demo", "indsats_ungepraktik", "direction"): _RESULT_MAP_SIGN,
    ("demo", "indsats_voksenstoette", "n_beside_chart"): _TARGET_N,
    ("demo", "indsats_voksenstoette", "direction"): _RESULT_MAP_SIGN,
    ("demo", "ledelse_kvartal", "superlative"): _LEADERS_BEST,
    ("demo", "ledelse_kvartal", "direction"): _RESULT_MAP_SIGN,
    ("strict", "borger_familie_nord", "superlative"): _KIK_TIE,
    ("strict", "borger_voksen_oest", "superlative"): _KIK_TIE,
    ("strict", "borger_familie_nord", "direction"): _RATINGS_DIRECTION,
    ("strict", "borger_unge_syd", "direction"): _RATINGS_DIRECTION,
    ("strict", "borger_voksen_oest", "direction"): _RATINGS_DIRECTION,
    ("strict", "borger_unge_syd", "bands"): _MERGED_BANDS,
    ("strict", "indsats_ungepraktik", "n_beside_chart"): _TARGET_N,
    ("strict", "indsats_ungepraktik", "direction"): _RESULT_MAP_SIGN,
    ("strict", "indsats_voksenstoette", "n_beside_chart"): _TARGET_N,
    ("strict", "indsats_voksenstoette", "direction"): _RESULT_MAP_SIGN,
    ("strict", "ledelse_kvartal", "superlative"): _LEADERS_BEST,
    ("strict", "ledelse_kvartal", "direction"): _RESULT_MAP_SIGN,
}


def _cases():
    for dataset in DATASETS:
        for meeting in MEETINGS:
            for rule in RULES:
                reason = KNOWN_FINDINGS.get((dataset, meeting, rule))
                marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
                yield pytest.param(dataset, meeting, rule, marks=marks,
                                   id=f"{dataset}-{meeting}-{rule}")


@pytest.fixture(scope="module")
def audits(tmp_path_factory):
    """Audit every deck of a dataset on first use (datasets built once per session)."""
    base = tmp_path_factory.getbasetemp()
    done: dict[tuple[str, str], AuditResult] = {}

    def get(dataset: str, meeting: str) -> AuditResult:
        if (dataset, meeting) not in done:
            data = audit_dataset(base, dataset)
            con = connect(data.database, read_only=True)
            try:
                for mid, path in data.decks.items():
                    done[(dataset, mid)] = audit_deck(path, con, data.config)
            finally:
                con.close()
        return done[(dataset, meeting)]

    return get


@pytest.mark.parametrize(("dataset", "meeting", "rule"), list(_cases()))
def test_deck_claims_agree_with_the_marts(audits, dataset, meeting, rule) -> None:
    result = audits(dataset, meeting)
    assert not result.of(rule), "\n" + result.report(rule)


def test_every_meeting_has_an_audited_deck(tmp_path_factory) -> None:
    for dataset in DATASETS:
        data = audit_dataset(tmp_path_factory.getbasetemp(), dataset)
        assert sorted(data.decks) == sorted(MEETINGS), dataset
        assert sorted(m.id for m in data.config.meetings
                      if m.level != "progress") == sorted(MEETINGS)


def test_strict_dataset_hides_more(tmp_path_factory) -> None:
    """The second dataset really is stricter: k = 8 is on its slides."""
    data = audit_dataset(tmp_path_factory.getbasetemp(), "strict")
    assert data.config.privacy.small_cell_k == STRICT_K
    text = "\n".join(line for s in read_deck(data.decks["indsats_ungepraktik"])
                     for line in s.lines())
    assert f"<{STRICT_K}" in text and "<5" not in text


#: Claims each rule must have looked at, per deck kind (at least): proof that the
#: parsers still recognise the decks' sentences and a pass is not "nothing checked".
MIN_CHECKED = {
    "borger": {"n_beside_chart": 2, "direction": 2, "value": 2},
    "indsats": {"n_beside_chart": 2, "direction": 4, "small_cells": 20, "value": 6},
    "ledelse": {"n_beside_chart": 4, "direction": 4, "superlative": 2, "small_cells": 10,
                "value": 8},
}


@pytest.mark.parametrize("dataset", DATASETS)
@pytest.mark.parametrize("meeting", MEETINGS)
def test_the_audit_checked_the_decks_claims(audits, dataset, meeting) -> None:
    result = audits(dataset, meeting)
    for rule, least in MIN_CHECKED[meeting.split("_")[0]].items():
        assert result.checked.get(rule, 0) >= least, (rule, result.checked)
