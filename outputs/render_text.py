"""Text on slides: boxes, measuring, paragraphs and text boxes written as XML.

Sizes are estimated, not measured: :func:`text_lines` wraps at an average glyph width,
which is enough to shrink a text until it fits its box. Paragraphs (:class:`Para`) are
written directly as DrawingML (python-pptx's property API is much slower), and every
string passes through :func:`outputs.pptx_xml.safe_text`.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

from lxml import etree
from pptx.enum.text import MSO_ANCHOR
from pptx.oxml import parse_xml
from pptx.oxml.ns import qn
from pptx.util import Inches

from outputs.pptx_xml import NSDECLS, safe_text
from outputs.spec import TextBlock
from outputs.style import ACCENT, BODY_PT, BULLET_FONT, INK, MIN_PT, SMALL_PT

#: Average glyph width as a share of the font size (Verdana / DejaVu Sans are wide).
AVG_CHAR = 0.60
LINE = 1.22  # line height as a multiple of the font size


@dataclass(frozen=True)
class Box:
    x: int
    y: int
    w: int
    h: int

    def split_h(self, share: float, gap: int) -> tuple[Box, Box]:
        left_w = int((self.w - gap) * share)
        return (Box(self.x, self.y, left_w, self.h),
                Box(self.x + left_w + gap, self.y, self.w - left_w - gap, self.h))

    def columns(self, n: int, gap: int) -> list[Box]:
        w = (self.w - gap * (n - 1)) // n
        return [Box(self.x + i * (w + gap), self.y, w, self.h) for i in range(n)]

    def take_top(self, h: int, gap: int = 0) -> tuple[Box, Box]:
        h = min(h, self.h)
        return Box(self.x, self.y, self.w, h), Box(self.x, self.y + h + gap, self.w,
                                                   max(self.h - h - gap, 0))

    def take_bottom(self, h: int, gap: int = 0) -> tuple[Box, Box]:
        """(rest above, strip at the bottom)."""
        h = min(h, self.h)
        return (Box(self.x, self.y, self.w, max(self.h - h - gap, 0)),
                Box(self.x, self.y + self.h - h, self.w, h))


# ====================================================================== text measuring


def text_lines(text: str, width: int, pt: float, char_w: float = AVG_CHAR) -> int:
    """Estimated wrapped line count of ``text`` in a box ``width`` EMU wide."""
    chars = max(int((width / 12700) / (pt * char_w)), 1)
    lines = 0
    for para in text.split("\n"):
        words, current = para.split(), 0
        count = 1
        for word in words:
            size = len(word)
            if current and current + 1 + size <= chars:
                current += 1 + size
                continue
            if current:
                count += 1
            while size > chars:  # a word longer than the line breaks inside
                size -= chars
                count += 1
            current = size
        lines += count
    return lines


def word_width(text: str, pt: float, bold: bool = False) -> int:
    """EMU width of the longest word of ``text`` (a column must be at least this wide)."""
    longest = max((len(w) for w in str(text).split()), default=0)
    # bold DejaVu Sans runs wider than its average in lower-case words ("Redskab" is
    # 4.8 em): 0.66 em a character let LibreOffice break such a header inside the word
    return int(longest * pt * (0.72 if bold else AVG_CHAR) * 12700)


def text_height(text: str, width: int, pt: float) -> int:
    """Estimated height (EMU) of ``text`` at ``pt`` in a box ``width`` EMU wide."""
    return int(text_lines(text, width, pt) * pt * LINE * 12700) + int(Inches(0.12))


def fit_pt(text: str, width: int, height: int, max_pt: float, min_pt: float = MIN_PT) -> float:
    pt = max_pt
    while pt > min_pt and text_height(text, width, pt) > height:
        pt -= 1
    return pt


# ====================================================================== paragraphs


@dataclass
class Para:
    text: str
    pt: float = SMALL_PT
    bold: bool = False
    colour: str = INK
    bullet: bool = False
    space_before: float = 0
    align: str = "l"


_A_P, _A_PPR, _A_R, _A_RPR, _A_T = qn("a:p"), qn("a:pPr"), qn("a:r"), qn("a:rPr"), qn("a:t")
_A_FILL, _A_RGB = qn("a:solidFill"), qn("a:srgbClr")
_A_SPCBEF, _A_SPCPTS = qn("a:spcBef"), qn("a:spcPts")
_A_BUFONT, _A_BUCHAR = qn("a:buFont"), qn("a:buChar")


def _para_element(para: Para):
    """One ``a:p`` built directly with lxml (python-pptx's property API is much slower)."""
    p = etree.Element(_A_P)
    ppr = etree.SubElement(p, _A_PPR, algn={"l": "l", "c": "ctr", "r": "r"}[para.align])
    if para.bullet:
        indent = int(para.pt * 1.1 * 12700)
        ppr.set("marL", str(indent))
        ppr.set("indent", str(-indent))
    if para.space_before:
        before = etree.SubElement(ppr, _A_SPCBEF)
        etree.SubElement(before, _A_SPCPTS, val=str(int(para.space_before * 100)))
    if para.bullet:
        etree.SubElement(ppr, _A_BUFONT, typeface=BULLET_FONT)
        etree.SubElement(ppr, _A_BUCHAR, char="•")
    run = etree.SubElement(p, _A_R)
    rpr = etree.SubElement(run, _A_RPR, sz=str(int(round(para.pt * 100))),
                           b="1" if para.bold else "0", dirty="0")
    fill = etree.SubElement(rpr, _A_FILL)
    etree.SubElement(fill, _A_RGB, val=para.colour)
    etree.SubElement(run, _A_T).text = safe_text(para.text)
    return p


def para_xml(para: Para) -> str:
    """The same ``a:p`` as :func:`_para_element`, as a string (for XML written in one go)."""
    ppr = f'<a:pPr algn="{ {"l": "l", "c": "ctr", "r": "r"}[para.align]}"'
    if para.bullet:
        indent = int(para.pt * 1.1 * 12700)
        ppr += f' marL="{indent}" indent="{-indent}"'
    inner = ""
    if para.space_before:
        inner += f'<a:spcBef><a:spcPts val="{int(para.space_before * 100)}"/></a:spcBef>'
    if para.bullet:
        inner += f'<a:buFont typeface="{BULLET_FONT}"/><a:buChar char="•"/>'
    ppr += f">{inner}</a:pPr>" if inner else "/>"
    return (f'<a:p>{ppr}<a:r><a:rPr sz="{int(round(para.pt * 100))}" b="{int(para.bold)}" '
            f'dirty="0"><a:solidFill><a:srgbClr val="{para.colour}"/></a:solidFill></a:rPr>'
            f"<a:t>{escape(safe_text(para.text))}</a:t></a:r></a:p>")


def write_paras(text_frame, paras: list[Para]) -> None:
    """Replace the text frame's paragraphs with ``paras``."""
    text_frame.word_wrap = True
    body = text_frame._txBody
    for old in body.findall(_A_P):
        body.remove(old)
    for para in paras:
        body.append(_para_element(para))


_ANCHORS = {MSO_ANCHOR.TOP: "t", MSO_ANCHOR.MIDDLE: "ctr", MSO_ANCHOR.BOTTOM: "b"}


def add_text(shapes, box: Box, paras: list[Para], anchor=MSO_ANCHOR.TOP, margin: float = 0.05):
    """A text box with ``paras`` in ``box``, written as one piece of XML (the same shape
    python-pptx's add_textbox makes, with wrapping, margins and anchor set)."""
    shape_id = shapes._next_shape_id
    inset = int(Inches(margin))
    body = "".join(para_xml(p) for p in paras) or "<a:p/>"
    xml = (f'<p:sp {NSDECLS}><p:nvSpPr><p:cNvPr id="{shape_id}" name="TextBox '
           f'{shape_id - 1}"/><p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr><p:spPr><a:xfrm>'
           f'<a:off x="{box.x}" y="{box.y}"/><a:ext cx="{box.w}" cy="{box.h}"/></a:xfrm>'
           '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/></p:spPr><p:txBody>'
           f'<a:bodyPr wrap="square" lIns="{inset}" tIns="{inset}" rIns="{inset}" '
           f'bIns="{inset}" anchor="{_ANCHORS.get(anchor, "t")}"><a:spAutoFit/></a:bodyPr>'
           f"<a:lstStyle/>{body}</p:txBody></p:sp>")
    sp = parse_xml(xml)
    shapes._spTree.append(sp)
    return shapes._shape_factory(sp)


def paras_height(paras: list[Para], width: int) -> int:
    """Estimated height (EMU) of ``paras`` in a text box ``width`` EMU wide."""
    total = 0
    for p in paras:
        w = width - (int(p.pt * 1.1 * 12700) if p.bullet else 0)
        total += text_height(p.text, w, p.pt) - int(Inches(0.12)) + int(p.space_before * 12700)
    return total + int(Inches(0.15))


# ====================================================================== text blocks


def block_paras(block: TextBlock, pt: float) -> list[Para]:
    paras: list[Para] = []
    if block.heading:
        paras.append(Para(block.heading, pt=pt + 2, bold=True, colour=ACCENT))
    if block.paragraph:
        paras.append(Para(block.paragraph, pt=pt, space_before=4 if paras else 0))
    for bullet in block.bullets:
        paras.append(Para(bullet, pt=pt, bullet=True, space_before=6))
    return paras


def fit_blocks(blocks: list[TextBlock], box: Box, max_pt: float = BODY_PT) -> list[Para]:
    pt = max_pt
    while True:
        paras = [p for b in blocks for p in block_paras(b, pt)]
        for i, b in enumerate(blocks):
            if i and b.heading:
                idx = sum(len(block_paras(x, pt)) for x in blocks[:i])
                paras[idx].space_before = 14
        if pt <= MIN_PT or paras_height(paras, box.w) <= box.h:
            return paras
        pt -= 1


def draw_blocks(slide, blocks: list[TextBlock], box: Box, max_pt: float = BODY_PT) -> None:
    """Text blocks in ``box``: side by side in up to three columns (one size for all),
    else one after the other, at the largest size that fits."""
    if not blocks:
        return
    n = min(len(blocks), 3)
    if n == 1 or len(blocks) > 3:
        paras = fit_blocks(blocks, box, max_pt)
        add_text(slide.shapes, box, paras)
        return
    columns = box.columns(n, int(Inches(0.4)))
    pt = max_pt
    while pt > MIN_PT:
        if all(paras_height(block_paras(b, pt), c.w) <= c.h
               for b, c in zip(blocks, columns, strict=True)):
            break
        pt -= 1
    for block, column in zip(blocks, columns, strict=True):
        add_text(slide.shapes, column, block_paras(block, pt))
