"""The quality badge: on every slide that shows data, not on the others, with the
deck's completeness, timeliness and data date in the deck's language."""

from __future__ import annotations

from datetime import date

from pptx import Presentation

from outputs.citizen_pack import build_citizen_deck
from outputs.common import DeckOptions
from outputs.render import BADGE_SHAPE, DATA_SLIDES, render_deck
from outputs.spec import QualityBadge
from tests.support.deck_samples import sample_citizen_pack


def _badges(path):
    prs = Presentation(str(path))
    return [[s.text_frame.text for s in slide.shapes if s.name == BADGE_SHAPE]
            for slide in prs.slides]


def test_badge_on_data_slides_only(tmp_path):
    spec = build_citizen_deck(sample_citizen_pack(2), DeckOptions(language="da"))
    spec.quality_badge = QualityBadge(0.875, 0.5, date(2026, 10, 31))
    badges = _badges(render_deck(spec, tmp_path / "d.pptx"))
    kinds = [s.kind for s in spec.slides]
    assert any(k in DATA_SLIDES for k in kinds) and any(k not in DATA_SLIDES for k in kinds)
    for kind, found in zip(kinds, badges, strict=True):
        if kind in DATA_SLIDES:
            # 0.875 -> "88 %" (rounded half up), 0.5 -> "50 %", date as 31.10.2026
            assert found == ["Datakvalitet i alt: fuldstændighed 88\u00a0% · "
                             "rettidighed 50\u00a0% · data pr. 31.10.2026"], kind
        else:
            assert found == [], kind


def test_badge_in_english_and_without_rates(tmp_path):
    spec = build_citizen_deck(sample_citizen_pack(1), DeckOptions(language="en"))
    spec.quality_badge = QualityBadge(None, 0.75, date(2026, 10, 31))
    found = [b for b in _badges(render_deck(spec, tmp_path / "e.pptx")) if b]
    assert found and all(b == ["Data quality overall: completeness – · timeliness 75% · "
                               "data as of 31 Oct 2026"] for b in found)


def test_no_badge_without_a_quality_run(tmp_path):
    spec = build_citizen_deck(sample_citizen_pack(1), DeckOptions(language="da"))
    assert spec.quality_badge is None
    assert all(b == [] for b in _badges(render_deck(spec, tmp_path / "n.pptx")))
