"""Tables on slides: a :class:`~outputs.spec.TableSpec` and the agreement sheet.

A table is one graphic frame written as XML from ready ``a:tc`` strings (much faster
than filling a python-pptx table cell by cell). Column widths start from the spec's
relative widths and give every column at least its longest word; the font shrinks
until the table fits its box.
"""

from __future__ import annotations

from dataclasses import replace
from xml.sax.saxutils import escape

from pptx.oxml import parse_xml
from pptx.util import Inches

from datadialog.agreement_form import BLANK_ROWS
from outputs.pptx_xml import NSDECLS
from outputs.render_text import (
    AVG_CHAR,
    LINE,
    Box,
    Para,
    add_text,
    para_xml,
    text_lines,
    word_width,
)
from outputs.spec import AgreementSheetSpec, TableSpec
from outputs.style import ACCENT, BORDER_GREY, INK, MIN_PT, MUTED, PALE, SMALL_PT, WHITE
from outputs.table_pages import cut_text
from outputs.texts import t

#: python-pptx's default table style (Medium Style 2, Accent 1); our fills override it.
_TABLE_STYLE = "{5C22544A-7EE6-4342-B048-85BDC9FD1C3A}"


def table_cell_xml(paras: list[Para], fill: str, margins: tuple[int, int, int, int],
                   anchor: str | None = None, border: str | None = None) -> str:
    """One ``a:tc``: its paragraphs, margins (EMU: left, right, top, bottom), fill and
    optionally a thin border on all four sides (drawn before the fill, as the schema
    wants)."""
    lines = ""
    if border:
        lines = "".join(f'<a:{side} w="12700"><a:solidFill><a:srgbClr val="{border}"/>'
                        f"</a:solidFill></a:{side}>" for side in ("lnL", "lnR", "lnT", "lnB"))
    left, right, top, bottom = margins
    anchor_attr = f' anchor="{anchor}"' if anchor else ""
    # a text body needs at least one paragraph: an empty cell gets one sized for writing in
    body = ("".join(para_xml(p) for p in paras)
            or f'<a:p><a:endParaRPr sz="{SMALL_PT * 100}"/></a:p>')
    return (f'<a:tc><a:txBody><a:bodyPr/><a:lstStyle/>{body}'
            f'</a:txBody><a:tcPr marL="{left}" marR="{right}" marT="{top}" marB="{bottom}"'
            f'{anchor_attr}>{lines}<a:solidFill><a:srgbClr val="{fill}"/></a:solidFill>'
            "</a:tcPr></a:tc>")


def add_table_xml(shapes, box: Box, widths: list[int], heights: list[int],
                  rows: list[list[str]], name: str = "Table"):
    """Append a table graphic frame built from ready ``a:tc`` strings (one list per row);
    much faster than filling a python-pptx table cell by cell. Returns the element."""
    shape_id = shapes._next_shape_id
    grid = "".join(f'<a:gridCol w="{w}"/>' for w in widths)
    trs = "".join(f'<a:tr h="{h}">{"".join(cells)}</a:tr>'
                  for h, cells in zip(heights, rows, strict=True))
    xml = (f"<p:graphicFrame {NSDECLS}><p:nvGraphicFramePr>"
           f'<p:cNvPr id="{shape_id}" name="{escape(name)} {shape_id - 1}"/>'
           '<p:cNvGraphicFramePr><a:graphicFrameLocks noGrp="1"/></p:cNvGraphicFramePr>'
           f'<p:nvPr/></p:nvGraphicFramePr><p:xfrm><a:off x="{box.x}" y="{box.y}"/>'
           f'<a:ext cx="{sum(widths)}" cy="{sum(heights)}"/></p:xfrm><a:graphic>'
           '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/table">'
           f'<a:tbl><a:tblPr firstRow="1" bandRow="1"><a:tableStyleId>{_TABLE_STYLE}'
           f"</a:tableStyleId></a:tblPr><a:tblGrid>{grid}</a:tblGrid>{trs}</a:tbl>"
           "</a:graphicData></a:graphic></p:graphicFrame>")
    frame = parse_xml(xml)
    shapes._spTree.append(frame)
    return frame


def draw_table(slide, table: TableSpec | None, box: Box, pt: float = SMALL_PT) -> None:
    """``table`` in ``box``: a header row on the accent colour, striped rows below."""
    if table is None:
        return
    n_cols = len(table.columns)
    rel = table.column_widths or [1.0] * n_cols
    pad = int(Inches(0.2))

    def col_widths(size: float) -> list[int]:
        need = [max([word_width(table.columns[c], size, bold=True)]
                    + [word_width(r[c], size) for r in table.rows]) + pad
                for c in range(n_cols)]
        widths = [int(box.w * r / sum(rel)) for r in rel]
        for _ in range(n_cols):  # give narrow columns what they need, from the wide ones
            short = [c for c in range(n_cols) if widths[c] < need[c]]
            if not short:
                break
            for c in short:
                widths[c] = need[c]
            spare = [c for c in range(n_cols) if c not in short]
            excess = sum(widths) - box.w
            room = sum(widths[c] - need[c] for c in spare if widths[c] > need[c])
            for c in spare:
                if room > 0 and widths[c] > need[c]:
                    widths[c] -= int(excess * (widths[c] - need[c]) / room)
        # the rounding above can leave a few EMU too many: take them from the widest
        widest = max(range(n_cols), key=lambda c: widths[c] - need[c])
        extra = sum(widths) - box.w
        if 0 < extra <= widths[widest] - need[widest]:
            widths[widest] -= extra
        return widths

    def fitted_widths(size: float) -> list[int]:
        widths = col_widths(size)
        if sum(widths) > box.w:  # the longest words do not fit even at the smallest size:
            widths = [w * box.w // sum(widths) for w in widths]  # share the box, words wrap
        return widths

    def row_heights(size: float) -> list[int]:
        heights = []
        widths_at = fitted_widths(size)
        for r, row in enumerate([table.columns, *table.rows]):
            lines = max(text_lines(str(c), w - pad, size, 0.66 if r == 0 else AVG_CHAR)
                        for c, w in zip(row, widths_at, strict=True))
            heights.append(int(lines * size * LINE * 12700 + Inches(0.16)))
        return heights

    main = max(range(n_cols), key=lambda c: rel[c])  # the column the table is about

    def squeezed(size: float) -> bool:
        """The widest-planned column left with under 60 % of its share: the others took
        it for their longest words, and its text wraps a word a line ("Gennemg-å")."""
        return col_widths(size)[main] < 0.6 * box.w * rel[main] / sum(rel)

    while pt > MIN_PT and (sum(row_heights(pt)) > box.h or sum(col_widths(pt)) > box.w
                           or squeezed(pt)):
        pt -= 1
    if sum(row_heights(pt)) > box.h:  # too long even at MIN_PT: cut the longest cells
        table = cut_to_fit(table, fitted_widths(pt), pad, pt, box.h)
    heights = row_heights(pt)
    widths = fitted_widths(pt)
    margins = (int(Inches(0.08)), int(Inches(0.08)), int(Inches(0.04)), int(Inches(0.04)))
    rows = []
    for r, row in enumerate([table.columns, *table.rows]):
        fill = ACCENT if r == 0 else (PALE if r % 2 == 0 else WHITE)
        colour = WHITE if r == 0 else INK
        rows.append([table_cell_xml([Para(line, pt=pt, bold=r == 0, colour=colour)
                                     for line in str(v).split("\n")], fill, margins)
                     for v in row])
    add_table_xml(slide.shapes, box, widths, heights, rows)


def _cut_to_lines(text: str, lines: int, width: int, pt: float) -> str:
    """``text`` cut at a word with an ellipsis to at most ``lines`` lines in ``width``."""
    if text_lines(text, width, pt) <= lines:
        return text
    lo, hi = 1, len(text)  # the longest cut that fits
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if text_lines(cut_text(text, mid), width, pt) <= lines:
            lo = mid
        else:
            hi = mid - 1
    return cut_text(text, lo)


def cut_to_fit(table: TableSpec, widths: list[int], pad: int, pt: float,
               height: int) -> TableSpec:
    """``table`` with its longest cells cut (at a word, with an ellipsis) so that its rows
    fit ``height`` at ``pt``: every row keeps the lines it needs up to a common cap, the
    largest cap the height allows, so short rows stay whole and the long ones share what
    is left (:mod:`outputs.table_pages` splits a long table; this is the last resort for
    long texts)."""
    line_h = pt * LINE * 12700
    row_pad = int(Inches(0.16))
    head = max(text_lines(str(c), w - pad, pt, 0.66) for c, w in
               zip(table.columns, widths, strict=True))
    room = height - (head * line_h + row_pad) - len(table.rows) * row_pad
    budget = max(int(room // line_h), len(table.rows))
    needs = [max(text_lines(str(c), w - pad, pt) for c, w in zip(row, widths, strict=True))
             for row in table.rows]
    cap = 1
    while cap < max(needs, default=1) and sum(min(n, cap + 1) for n in needs) <= budget:
        cap += 1
    rows = [[_cut_to_lines(str(c), cap, w - pad, pt) for c, w in zip(row, widths, strict=True)]
            for row in table.rows]
    return replace(table, rows=rows)


def draw_agreement_sheet(slide, sheet: AgreementSheetSpec, body: Box, lang: str) -> None:
    """The agreement table to fill in (``sheet.columns``), else the question sheet."""
    if sheet.columns:
        draw_agreement_table(slide, sheet, body, lang)
        return
    draw_question_sheet(slide, sheet, body, lang)


def draw_agreement_table(slide, sheet: AgreementSheetSpec, body: Box, lang: str) -> None:
    """The handbook's questions as one line on top, the editable table (header and
    ``BLANK_ROWS`` rows with the citizen or theme written in), and under it how to return
    the deck and the meeting key that ties it to this meeting."""
    prompts = [Para(" · ".join(sheet.headings), pt=MIN_PT, colour=MUTED)]
    top, rest = body.take_top(int(Inches(0.62)), gap=int(Inches(0.08)))
    add_text(slide.shapes, top, prompts)
    table_box, strip = rest.take_bottom(int(Inches(0.62)), gap=int(Inches(0.1)))
    rel = [1.6, 3.4, 1.3, 1.2, 2.6, 1.1][:len(sheet.columns)]
    widths = [int(table_box.w * r / sum(rel)) for r in rel]
    widths[-1] = table_box.w - sum(widths[:-1])
    head_h = int(Inches(0.45))
    row_h = (table_box.h - head_h) // BLANK_ROWS
    margins = (int(Inches(0.08)), int(Inches(0.08)), int(Inches(0.04)), int(Inches(0.04)))
    rows = [[table_cell_xml([Para(text, pt=SMALL_PT, bold=True, colour=WHITE)], ACCENT,
                            margins) for text in sheet.columns]]
    for _ in range(BLANK_ROWS):
        subject = sheet.row_subject or sheet.subject
        first = [Para(subject, pt=SMALL_PT, colour=INK)] if subject else []
        rows.append([table_cell_xml(first, PALE, margins, anchor="t", border=BORDER_GREY)]
                    + [table_cell_xml([], WHITE, margins, anchor="t", border=BORDER_GREY)
                       for _ in sheet.columns[1:]])
    add_table_xml(slide.shapes, table_box, widths, [head_h] + [row_h] * BLANK_ROWS, rows,
                  name="Agreement table")
    lines = [Para(t("sheet_return_hint", lang), pt=MIN_PT, colour=MUTED)]
    if sheet.key:
        lines.append(Para(sheet.key, pt=MIN_PT, colour=MUTED))
    add_text(slide.shapes, strip, lines)


def draw_question_sheet(slide, sheet: AgreementSheetSpec, body: Box, lang: str) -> None:
    """The agreement sheet: one row per heading, an empty answer cell to write in."""
    headings = sheet.headings
    widths = [int(body.w * 0.36), body.w - int(body.w * 0.36)]
    head_h = int(Inches(0.45))
    row_h = (body.h - head_h) // max(len(headings), 1)
    margins = (int(Inches(0.1)), int(Inches(0.1)), int(Inches(0.05)), int(Inches(0.05)))
    header = [t("sheet_question", lang), t("sheet_answer", lang)]
    rows = [[table_cell_xml([Para(text, pt=SMALL_PT, bold=True, colour=WHITE)], ACCENT,
                            margins)
             for text in header]]
    for heading in headings:
        rows.append([
            table_cell_xml([Para(heading, pt=SMALL_PT, bold=True, colour=ACCENT)], PALE,
                           margins, anchor="t", border=BORDER_GREY),
            table_cell_xml([], WHITE, margins, anchor="t", border=BORDER_GREY),
        ])
    add_table_xml(slide.shapes, body, widths, heights=[head_h] + [row_h] * len(headings),
                  rows=rows, name="Agreement sheet")
