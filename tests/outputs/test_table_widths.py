"""A table keeps room for the column it is about: the review found a citizen's agreements
beside the step's prompts at 18 pt, the agreement column squeezed to 1.43 in of its
planned 2.9 in by the others' longest words ("Misbrugssværhed:" took 2.6 in), wrapping
"Gennemg-å" and "Hann-e" in LibreOffice."""

from __future__ import annotations

from datetime import date

from pptx import Presentation

from outputs.common import AgreementItem, since_last_slide
from outputs.render import render_deck
from outputs.spec import DeckSpec


def test_the_main_column_keeps_most_of_its_share_by_a_smaller_font(tmp_path) -> None:
    items = [AgreementItem("Gennemgå seneste måling med borgeren og aftal ét delmål",
                           "Hanne Dahl", date(2026, 11, 5), "done",
                           data="Misbrugssværhed: ingen ny måling endnu")]
    slide = since_last_slide("P-035444: aftaler fra sidste møde", items, "da")
    spec = DeckSpec(title="t", subtitle="", language="da", slides=[slide])
    deck = Presentation(str(render_deck(spec, tmp_path / "since.pptx")))
    frame = next(s for s in deck.slides[0].shapes if s.has_table)
    widths = [c.width for c in frame.table.columns]
    planned = sum(widths) * 4.5 / sum(slide.table.column_widths)  # the agreement's share
    assert widths[0] >= 0.6 * planned  # 1.99 in (was 1.43 in of 2.93)
    sizes = {r.font.size.pt for c in frame.table.rows[1].cells
             for p in c.text_frame.paragraphs for r in p.runs}
    assert sizes == {16.0}  # the room came from a smaller font (18 pt before)
