"""Render a :class:`~outputs.spec.DeckSpec` to a .pptx file on a template.

:func:`render_deck` is the entry point. The template supplies theme, fonts, colours and
layouts (:mod:`outputs.render_slides`); everything below a slide's title is drawn in a
body area computed from the title placeholder and the slide size: text
(:mod:`outputs.render_text`), tables and the agreement sheet
(:mod:`outputs.render_tables`), figures (:mod:`outputs.render_figures`), the result map
(:mod:`outputs.result_map`) and the dialogue steps (here).

Every string passes through :func:`outputs.pptx_xml.safe_text`, which masks CPR
numbers: the decks are built from pseudonymised marts, and this is the last line of
defence.
"""

from __future__ import annotations

from pathlib import Path

from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR
from pptx.util import Inches

from datadialog.atomic_write import replacing
from outputs.fmt import fmt_date, fmt_pct
from outputs.pptx_xml import rgb, safe_text, save_package, scrub_creation_ids
from outputs.render_figures import draw_figure_slide, draw_figures
from outputs.render_slides import SlideMaker
from outputs.render_tables import draw_agreement_sheet, draw_table
from outputs.render_text import (
    Box,
    Para,
    add_text,
    draw_blocks,
    fit_blocks,
    fit_pt,
    paras_height,
    write_paras,
)
from outputs.result_map import draw_result_map
from outputs.spec import DeckSpec, SlideSpec
from outputs.style import (
    ACCENT,
    BODY_PT,
    COVER_TITLE_MIN_PT,
    COVER_TITLE_PT,
    MIN_PT,
    MUTED,
    PALE,
    SIDE_PT,
    SMALL_PT,
    WHITE,
)

#: Slide kinds that show data: they carry the quality badge.
DATA_SLIDES = ("figure", "figures", "table", "result_map")
#: Name of the badge's text box (tests and readers find it by this name).
BADGE_SHAPE = "Datakvalitet"
#: Name of the text box below a result map (how to read it, or the quarter's line).
RESULT_MAP_HOW_SHAPE = "result_map_how"
BADGE_WORDS = {
    "da": "Datakvalitet i alt: fuldstændighed {completeness} · rettidighed {timeliness} · "
          "data pr. {as_of}",
    "en": "Data quality overall: completeness {completeness} · timeliness {timeliness} · "
          "data as of {as_of}",
}


class DeckRenderer(SlideMaker):
    def __init__(self, spec: DeckSpec, template: Path | str | None = None, k: int = 5):
        super().__init__(template)
        self.spec = spec
        self.lang = spec.language
        self.k = k

    def render(self) -> Presentation:
        for slide_spec in self.spec.slides:
            self.render_slide(slide_spec)
        scrub_creation_ids(self.prs)
        self.prs.core_properties.title = safe_text(self.spec.title)
        self.prs.core_properties.author = "datadialog"
        self.prs.core_properties.language = "da-DK" if self.lang == "da" else "en-GB"
        return self.prs

    def render_slide(self, s: SlideSpec):
        if s.kind == "title":
            return self._slide_title(s)
        slide = self.new_slide(self.layout_plain)
        self.write_title(slide, s.title, s.section)
        body = self.body_box(slide)
        notes = [s.notes] if s.notes else []
        if s.kind == "text":
            draw_blocks(slide, s.blocks, body)
        elif s.kind == "figure":
            notes += draw_figure_slide(slide, s, body, self.lang, self.k)
        elif s.kind == "figures":
            notes += draw_figures(slide, s, body, self.lang, self.k)
        elif s.kind == "table":
            self._draw_table_slide(slide, s, body)
        elif s.kind == "result_map":
            # the strip below the map is as tall as its text needs (the how-to grew
            # past a fixed 0.55 in and ran into the quality badge and off the slide)
            paras = fit_blocks(s.blocks, body, max_pt=MIN_PT) if s.blocks else []
            rest, strip = body.take_bottom(paras_height(paras, body.w) if paras else 0,
                                           gap=int(Inches(0.05)))
            draw_result_map(slide.shapes, s.result_map, rest)
            if paras:
                add_text(slide.shapes, strip, paras).name = RESULT_MAP_HOW_SHAPE
        elif s.kind == "agreement_sheet":
            draw_agreement_sheet(slide, s.agreement_sheet, body, self.lang)
        elif s.kind == "dialogue":
            self._draw_dialogue(slide, s, body)
        else:
            raise ValueError(f"unknown slide kind {s.kind!r}")
        if s.kind in DATA_SLIDES and self.spec.quality_badge is not None:
            self._draw_badge(slide, body)
        self.write_notes(slide, "\n\n".join(n for n in notes if n))
        return slide

    def _draw_badge(self, slide, body: Box) -> None:
        """The quality badge in the strip below the body, right-aligned: completeness
        and timeliness of the deck's data and the date the data are as of."""
        badge = self.spec.quality_badge
        words = BADGE_WORDS.get(self.lang, BADGE_WORDS["en"])
        line = words.format(
            completeness=fmt_pct(badge.completeness, self.lang),
            timeliness=fmt_pct(badge.timeliness, self.lang),
            as_of=fmt_date(badge.as_of, self.lang),
        )
        strip = Box(body.x, body.y + body.h, body.w, self.prs.slide_height - body.y - body.h)
        shape = add_text(slide.shapes, strip, [Para(line, pt=MIN_PT, colour=MUTED, align="r")],
                         margin=0.0)
        shape.name = BADGE_SHAPE

    def _slide_title(self, s: SlideSpec):
        slide = self.new_slide(self.layout_title, keep_subtitle=True)
        title = slide.shapes.title
        if title is not None:
            tf = title.text_frame
            tf.clear()
            pt = fit_pt(s.title, int(title.width), int(title.height), COVER_TITLE_PT,
                        COVER_TITLE_MIN_PT)
            write_paras(tf, [Para(s.title, pt=pt, bold=True, colour=ACCENT)])
        lines = [x for x in (s.subtitle, self.spec.footer) if x]
        subtitle = next(
            (ph for ph in slide.placeholders if "SUBTITLE" in str(ph.placeholder_format.type)),
            None,
        )
        paras = [Para(x, pt=BODY_PT if i == 0 else SMALL_PT, colour=MUTED)
                 for i, x in enumerate(lines)]
        if subtitle is not None:
            subtitle.text_frame.clear()
            write_paras(subtitle.text_frame, paras)
        elif paras:
            body = self.body_box(slide)
            add_text(slide.shapes, body.take_bottom(int(Inches(1.2)))[1], paras)
        self.write_notes(slide, s.notes)
        return slide

    def _draw_table_slide(self, slide, s: SlideSpec, body: Box) -> None:
        if s.blocks:
            main, side = body.split_h(0.7, int(Inches(0.35)))
            draw_table(slide, s.table, main, pt=SIDE_PT)
            draw_blocks(slide, s.blocks, side, max_pt=SIDE_PT)
        else:
            draw_table(slide, s.table, body, pt=BODY_PT)

    def _draw_dialogue(self, slide, s: SlideSpec, body: Box) -> None:
        steps = s.steps
        strip_paras = fit_blocks(s.blocks, body, SMALL_PT) if s.blocks else []
        area, strip = body.take_bottom(paras_height(strip_paras, body.w) if strip_paras else 0,
                                       gap=int(Inches(0.15)) if strip_paras else 0)
        columns = area.columns(len(steps), int(Inches(0.25)))
        head_h = int(Inches(0.9))
        pt = SIDE_PT
        while pt > MIN_PT and any(
            paras_height([Para(p, pt=pt, bullet=True, space_before=6) for p in st.prompts],
                         col.w - int(Inches(0.3))) > col.h - head_h
            for st, col in zip(steps, columns, strict=True)
        ):
            pt -= 1
        for st, col in zip(steps, columns, strict=True):
            head = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, col.x, col.y, col.w, head_h)
            head.fill.solid()
            head.fill.fore_color.rgb = rgb(ACCENT)
            head.line.fill.background()
            head.shadow.inherit = False
            head.text_frame.vertical_anchor = MSO_ANCHOR.MIDDLE
            write_paras(head.text_frame, [Para(f"{st.number}. {st.name}", pt=BODY_PT, bold=True,
                                               colour=WHITE, align="c")])
            panel = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, col.x, col.y + head_h, col.w,
                                           col.h - head_h)
            panel.fill.solid()
            panel.fill.fore_color.rgb = rgb(PALE)
            panel.line.fill.background()
            panel.shadow.inherit = False
            tf = panel.text_frame
            tf.vertical_anchor = MSO_ANCHOR.TOP
            tf.margin_left = tf.margin_right = Inches(0.15)
            tf.margin_top = Inches(0.12)
            write_paras(tf, [Para(p, pt=pt, bullet=True, space_before=6) for p in st.prompts])
        if strip_paras:
            add_text(slide.shapes, strip, strip_paras)


def render_deck(spec: DeckSpec, out: Path | str, template: Path | str | None = None,
                k: int = 5) -> Path:
    """Render ``spec`` onto ``template`` and save it to ``out`` (.pptx), whole or not at
    all (:func:`datadialog.atomic_write.replacing`); returns the path."""
    out = Path(out)
    prs = DeckRenderer(spec, template, k).render()
    with replacing(out) as tmp:
        save_package(prs, tmp)
    return out
