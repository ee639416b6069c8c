"""The deck-claims audit (issue 14, deliverable 7) over every deck of two datasets.

Every deck of the demo and of the ``strict`` dataset (seed 7, 200 courses, k = 8; see
``tests/support/audit_data.py``) is read back from the written .pptx and each claim it
makes is checked against the marts of the database it was built from
(``tests/support/deck_audit``). One test case per dataset, deck and rule, so a failure
names all three; its message lists file, slide, text and what the marts say.

``KNOWN_FINDINGS`` lists the cases that fail on today's code because of a known defect
(empty since issue 14 landed). Each is ``xfail(strict=True)``: when a fix lands the
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

#: (dataset, meeting, rule) -> a known finding that makes the case fail today (strict
#: xfail). Empty: every finding of issue 14 is fixed; a new defect goes here only with
#: its issue, and leaves when the fix lands.
KNOWN_FINDINGS: dict[tuple[str, str, str], str] = {}


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
    "indsats": {"n_beside_chart": 2, "direction": 4, "small_cells": 20, "value": 6,
                "chart_values": 20},
    "ledelse": {"n_beside_chart": 4, "direction": 4, "superlative": 2, "small_cells": 10,
                "value": 8, "chart_values": 60},
}


@pytest.mark.parametrize("dataset", DATASETS)
@pytest.mark.parametrize("meeting", MEETINGS)
def test_the_audit_checked_the_decks_claims(audits, dataset, meeting) -> None:
    result = audits(dataset, meeting)
    for rule, least in MIN_CHECKED[meeting.split("_")[0]].items():
        assert result.checked.get(rule, 0) >= least, (rule, result.checked)
