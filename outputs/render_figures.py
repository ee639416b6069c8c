"""Figures on slides: a chart (native or picture) with its head, n and "how to read".

A figure with ``render="image"`` becomes a PNG drawn by :func:`outputs.charts.render_png`
(with the finding and the numbers as its alternative text); any other becomes an
editable chart: a line chart with ``direct_labels`` by :func:`outputs.native_lines.trend_chart`,
the rest by :func:`outputs.native_chart.add_chart`. The numbers behind every
figure go into the slide notes.
"""

from __future__ import annotations

import io
import re

from pptx.util import Inches

from outputs import charts
from outputs.native_chart import add_chart, insert_chart
from outputs.native_lines import trend_chart
from outputs.pptx_xml import safe_text
from outputs.render_tables import draw_table
from outputs.render_text import Box, Para, add_text, draw_blocks, paras_height
from outputs.spec import FigureSpec, SlideSpec
from outputs.style import INK, MIN_PT, MUTED, SIDE_PT, SMALL_PT
from outputs.texts import t


def merged_sentences(texts: list[str]) -> list[str]:
    """The sentences of several texts, each once, in reading order: a sentence one text
    adds goes right after the sentence it follows there (two progression charts whose
    how-to-read differ only by the shading sentence read as one text)."""
    merged: list[str] = []
    for text in texts:
        previous = None
        for sentence in re.split(r"(?<=[.!?])\s+", text.strip()):
            if sentence and sentence not in merged:
                at = merged.index(previous) + 1 if previous in merged else len(merged)
                merged.insert(at, sentence)
            previous = sentence
    return merged


def how_paras(figs: list[FigureSpec], lang: str) -> list[Para]:
    """One "how to read" line for the figures of a slide (each sentence once)."""
    hows = merged_sentences([f.how_to_read for f in figs if f.how_to_read])
    if not hows:
        return []
    return [Para(t("how_to_read", lang) + ": " + " ".join(hows), pt=MIN_PT, colour=MUTED)]


def figure_notes(fig: FigureSpec, lang: str, k: int) -> str:
    """The slide-notes text of a figure: its finding, how to read it, n and the numbers."""
    parts = [fig.title]
    if fig.how_to_read:
        parts.append(f"{t('how_to_read', lang)}: {fig.how_to_read}")
    if fig.n_note:
        parts.append(fig.n_note)
    parts.append(f"{t('notes_data', lang)}:\n{charts.table_text(fig, lang, k)}")
    return "\n".join(parts)


def draw_chart(slide, fig: FigureSpec, box: Box, lang: str, k: int) -> None:
    if fig.render == "image":
        png = charts.render_png(fig, box.w / 12700, box.h / 12700, lang, k)
        pic = slide.shapes.add_picture(io.BytesIO(png), box.x, box.y, box.w, box.h)
        pic._element.nvPicPr.cNvPr.set(
            "descr", safe_text(charts.chart_alt_text(fig, lang, k))
        )
    elif fig.chart == "line" and fig.direct_labels:
        xml, xlsx = trend_chart(fig, box.w, box.h, lang, k)
        insert_chart(slide.shapes, xml, xlsx, box.x, box.y, box.w, box.h)
    else:
        add_chart(slide.shapes, fig, box.x, box.y, box.w, box.h)


def n_paras(fig: FigureSpec) -> list[Para]:
    text = " · ".join(x for x in (fig.n_note, fig.suppressed_note) if x)
    return [Para(text, pt=MIN_PT, colour=MUTED)] if text else []


def _head_paras(fig: FigureSpec) -> list[Para]:
    return [Para(fig.title, pt=SMALL_PT, bold=True, colour=INK)] + [
        Para(p.text, pt=MIN_PT, colour=MUTED) for p in n_paras(fig)]


def chart_with_head(slide, fig: FigureSpec, box: Box, lang: str, k: int) -> None:
    """The figure's own finding (and n) above its chart, for a figure that shares the
    slide with something else and so is not what the slide title is about."""
    head = _head_paras(fig)
    head_box, chart_box = box.take_top(paras_height(head, box.w), gap=int(Inches(0.05)))
    add_text(slide.shapes, head_box, head)
    draw_chart(slide, fig, chart_box, lang, k)


def draw_figure_slide(slide, s: SlideSpec, body: Box, lang: str, k: int) -> list[str]:
    """One figure, alone or beside a table or text; returns the notes."""
    fig = s.figures[0]
    own_head = s.table is not None and bool(fig.title) and fig.title != s.title
    how = ([] if own_head else n_paras(fig)) + how_paras([fig], lang)
    area, strip = body.take_bottom(paras_height(how, body.w), gap=int(Inches(0.1)))
    if s.table is not None:
        left, right = area.split_h(0.56, int(Inches(0.3)))
        draw_table(slide, s.table, left)
        if own_head:
            chart_with_head(slide, fig, right, lang, k)
        else:
            draw_chart(slide, fig, right, lang, k)
    elif s.blocks:
        left, right = area.split_h(0.66, int(Inches(0.3)))
        draw_chart(slide, fig, left, lang, k)
        draw_blocks(slide, s.blocks, right, max_pt=SIDE_PT)
    else:
        draw_chart(slide, fig, area, lang, k)
    add_text(slide.shapes, strip, how)
    return [figure_notes(fig, lang, k)]


def draw_figures(slide, s: SlideSpec, body: Box, lang: str, k: int) -> list[str]:
    """Several figures side by side, each with its own head; returns the notes."""
    figs = s.figures
    how = how_paras(figs, lang)
    area, strip = body.take_bottom(paras_height(how, body.w), gap=int(Inches(0.1)))
    columns = area.columns(len(figs), int(Inches(0.35)))
    for fig, col in zip(figs, columns, strict=True):
        head = _head_paras(fig)
        head_box, chart_box = col.take_top(paras_height(head, col.w), gap=int(Inches(0.05)))
        add_text(slide.shapes, head_box, head)
        draw_chart(slide, fig, chart_box, lang, k)
    add_text(slide.shapes, strip, how)
    return [figure_notes(f, lang, k) for f in figs]
