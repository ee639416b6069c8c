"""LibreOffice opens the rendered decks: one small deck per pack type is converted to PDF
(about 5-10 s each), its pages rendered to PNG, and the .pptx re-opened."""

from __future__ import annotations

import subprocess

import pytest
from pptx import Presentation

from datadialog.config_load import load_config
from outputs.citizen_pack import build_citizen_deck
from outputs.common import DeckOptions
from outputs.intervention_pack import build_intervention_deck
from outputs.pdf import to_pdf, to_png_pages
from outputs.render import render_deck
from tests.support.deck_samples import sample_citizen_pack, sample_intervention_pack


def _pdf_text(pdf) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout


@pytest.mark.slow
def test_citizen_deck_converts_to_pdf(tmp_path) -> None:
    spec = build_citizen_deck(sample_citizen_pack(1), DeckOptions(language="da"))
    pptx = render_deck(spec, tmp_path / "citizen.pptx")
    pdf = to_pdf(pptx, tmp_path / "pdf", language="da")
    pages = to_png_pages(pdf, tmp_path / "png")
    assert len(pages) == len(spec.slides) == len(Presentation(str(pptx)).slides)
    assert all(p.stat().st_size > 1000 for p in pages)
    text = _pdf_text(pdf)
    assert "Dialogen i fire trin" in text
    # the native chart's data labels follow the Danish locale of the private profile
    assert "34,5" in text and "34.5" not in text
    assert "Aftalepapir: P-3fa2c4" in text


@pytest.mark.slow
def test_intervention_deck_converts_to_pdf(tmp_path) -> None:
    spec = build_intervention_deck(sample_intervention_pack(load_config()),
                                   DeckOptions(language="en"))
    pptx = render_deck(spec, tmp_path / "intervention.pptx")
    pdf = to_pdf(pptx, tmp_path, language="en")
    pages = to_png_pages(pdf, tmp_path)
    assert len(pages) == len(spec.slides)
    text = _pdf_text(pdf)
    assert "Result map: where are we on track?" in text
    assert "Off track" in text and "<5" in text
    assert "Fidelity and outcomes" in text
