"""Render a :class:`~outputs.spec.DeckSpec` to a .pptx file on a template.

The template (a user's .pptx or .potx, else ``outputs/templates/default.pptx``) supplies
theme, fonts, colours and layouts; any slides it contains are dropped. Slides use the
template's "Title Slide" and "Title Only" layouts (Danish names and a structural
fallback are recognised too); everything below the title is drawn by this module in a
body area computed from the title placeholder and the slide size, so a 4:3 template
works as well as a 16:9 one.

Every string passes through :func:`safe_text`, which masks CPR numbers: the decks are
built from pseudonymised marts, and this is the last line of defence.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from lxml import etree
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR
from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.packuri import PackURI
from pptx.oxml import parse_xml
from pptx.oxml.ns import qn
from pptx.parts.slide import NotesSlidePart, SlidePart
from pptx.util import Inches

from datadialog.privacy import mask_text
from outputs import charts
from outputs.make_template import DEFAULT_TEMPLATE
from outputs.native_chart import part_number
from outputs.spec import DeckSpec, FigureSpec, SlideSpec, TableSpec, TextBlock
from outputs.texts import t

DARK = "1F4E79"
TEXT = "1A1A1A"
GREY = "595959"
PALE = "EEF3F8"
#: Average glyph width as a share of the font size (Verdana / DejaVu Sans are wide).
AVG_CHAR = 0.60
LINE = 1.22  # line height as a multiple of the font size
MIN_PT = 14

TITLE_LAYOUTS = ("title slide", "titeldias", "titelslide", "title")
TITLE_ONLY_LAYOUTS = ("title only", "kun titel", "titel alene", "titel")


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


def safe_text(text: str) -> str:
    """``text`` with any CPR number masked."""
    return mask_text(text) if text else ""


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
    return int(longest * pt * (0.66 if bold else AVG_CHAR) * 12700)


def text_height(text: str, width: int, pt: float) -> int:
    """Estimated height (EMU) of ``text`` at ``pt`` in a box ``width`` EMU wide."""
    return int(text_lines(text, width, pt) * pt * LINE * 12700) + int(Inches(0.12))


def fit_pt(text: str, width: int, height: int, max_pt: float, min_pt: float = MIN_PT) -> float:
    pt = max_pt
    while pt > min_pt and text_height(text, width, pt) > height:
        pt -= 1
    return pt


# ====================================================================== template


def _potx_as_pptx(path: Path) -> io.BytesIO:
    """A .potx re-labelled as a presentation, in memory (python-pptx opens only .pptx)."""
    out = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"presentationml.template.main+xml", b"presentationml.presentation.main+xml"
                )
            dst.writestr(item, data)
    out.seek(0)
    return out


def open_template(template: Path | str | None = None):
    """The template as an empty presentation (its own slides removed)."""
    path = Path(template) if template else DEFAULT_TEMPLATE
    if not path.exists():
        raise FileNotFoundError(f"deck template not found: {path}")
    prs = Presentation(_potx_as_pptx(path) if path.suffix.lower() == ".potx" else str(path))
    id_list = prs.slides._sldIdLst
    for sld_id in list(id_list):
        prs.part.drop_rel(sld_id.rId)
        id_list.remove(sld_id)
    return prs


def scrub_creation_ids(prs) -> None:
    """Renumber PowerPoint's random ``p14:creationId`` values (10-digit numbers that can look
    like a CPR number) to plain counters, so no CPR-shaped string is anywhere in the file."""
    counter = 1_000_000_000  # "10000000xx": month 00, never a CPR date
    elements = []
    for master in prs.slide_masters:
        elements.append(master._element)
        elements += [layout._element for layout in master.slide_layouts]
    elements += [slide._element for slide in prs.slides]
    for root in elements:
        for el in root.iter("{*}creationId"):
            counter += 1
            el.set("val", str(counter))


def _has_title(layout) -> bool:
    return any("TITLE" in str(ph.placeholder_format.type) for ph in layout.placeholders)


def find_layout(prs, names: tuple[str, ...], centre_title: bool = False):
    """A layout by name, else the one with a title and the fewest other placeholders."""
    by_name = {layout.name.strip().lower(): layout for layout in prs.slide_layouts}
    for name in names:
        if name in by_name and _has_title(by_name[name]):
            return by_name[name]

    def others(layout) -> int:
        skip = ("TITLE", "DATE", "FOOTER", "SLIDE_NUMBER")
        return sum(
            1 for ph in layout.placeholders
            if not any(s in str(ph.placeholder_format.type) for s in skip)
        )

    candidates = [layout for layout in prs.slide_layouts if _has_title(layout)]
    if centre_title:
        centred = [
            layout for layout in candidates
            if any("CENTER_TITLE" in str(ph.placeholder_format.type) for ph in layout.placeholders)
        ]
        candidates = centred or candidates
    if not candidates:
        return prs.slide_layouts[0]
    return min(candidates, key=others)


# ====================================================================== drawing helpers


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour)


@dataclass
class Para:
    text: str
    pt: float = 16
    bold: bool = False
    colour: str = TEXT
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
        etree.SubElement(ppr, _A_BUFONT, typeface="Arial")
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
        inner += '<a:buFont typeface="Arial"/><a:buChar char="•"/>'
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


_NSDECLS = ('xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
            'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')
_ANCHORS = {MSO_ANCHOR.TOP: "t", MSO_ANCHOR.MIDDLE: "ctr", MSO_ANCHOR.BOTTOM: "b"}


def add_text(shapes, box: Box, paras: list[Para], anchor=MSO_ANCHOR.TOP, margin: float = 0.05):
    """A text box with ``paras`` in ``box``, written as one piece of XML (the same shape
    python-pptx's add_textbox makes, with wrapping, margins and anchor set)."""
    shape_id = shapes._next_shape_id
    inset = int(Inches(margin))
    body = "".join(para_xml(p) for p in paras) or "<a:p/>"
    xml = (f'<p:sp {_NSDECLS}><p:nvSpPr><p:cNvPr id="{shape_id}" name="TextBox '
           f'{shape_id - 1}"/><p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr><p:spPr><a:xfrm>'
           f'<a:off x="{box.x}" y="{box.y}"/><a:ext cx="{box.w}" cy="{box.h}"/></a:xfrm>'
           '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/></p:spPr><p:txBody>'
           f'<a:bodyPr wrap="square" lIns="{inset}" tIns="{inset}" rIns="{inset}" '
           f'bIns="{inset}" anchor="{_ANCHORS.get(anchor, "t")}"><a:spAutoFit/></a:bodyPr>'
           f"<a:lstStyle/>{body}</p:txBody></p:sp>")
    sp = parse_xml(xml)
    shapes._spTree.append(sp)
    return shapes._shape_factory(sp)


def _paras_height(paras: list[Para], width: int) -> int:
    total = 0
    for p in paras:
        w = width - (int(p.pt * 1.1 * 12700) if p.bullet else 0)
        total += text_height(p.text, w, p.pt) - int(Inches(0.12)) + int(p.space_before * 12700)
    return total + int(Inches(0.15))


def block_paras(block: TextBlock, pt: float) -> list[Para]:
    paras: list[Para] = []
    if block.heading:
        paras.append(Para(block.heading, pt=pt + 2, bold=True, colour=DARK))
    if block.paragraph:
        paras.append(Para(block.paragraph, pt=pt, space_before=4 if paras else 0))
    for bullet in block.bullets:
        paras.append(Para(bullet, pt=pt, bullet=True, space_before=6))
    return paras


def fit_blocks(blocks: list[TextBlock], box: Box, max_pt: float = 20) -> list[Para]:
    pt = max_pt
    while True:
        paras = [p for b in blocks for p in block_paras(b, pt)]
        for i, b in enumerate(blocks):
            if i and b.heading:
                idx = sum(len(block_paras(x, pt)) for x in blocks[:i])
                paras[idx].space_before = 14
        if pt <= MIN_PT or _paras_height(paras, box.w) <= box.h:
            return paras
        pt -= 1


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
    body = "".join(para_xml(p) for p in paras) or '<a:p><a:endParaRPr sz="1600"/></a:p>'
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
    xml = (f"<p:graphicFrame {_NSDECLS}><p:nvGraphicFramePr>"
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


_NOTES_XML = (
    f'<p:notes {_NSDECLS}><p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/>'
    "<p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>"
    '<p:sp><p:nvSpPr><p:cNvPr id="2" name="Slide Image Placeholder 1"/><p:cNvSpPr>'
    '<a:spLocks noGrp="1" noRot="1" noChangeAspect="1"/></p:cNvSpPr><p:nvPr>'
    '<p:ph type="sldImg"/></p:nvPr></p:nvSpPr><p:spPr/></p:sp>'
    '<p:sp><p:nvSpPr><p:cNvPr id="3" name="Notes Placeholder 2"/><p:cNvSpPr>'
    '<a:spLocks noGrp="1"/></p:cNvSpPr><p:nvPr><p:ph type="body" idx="1"/></p:nvPr>'
    "</p:nvSpPr><p:spPr/><p:txBody><a:bodyPr/><a:lstStyle/>{paras}</p:txBody></p:sp>"
    "</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:notes>"
)


def add_notes(slide, text: str, notes_master_part) -> None:
    """Give ``slide`` a notes page with ``text`` (one paragraph per line), written in one
    go instead of cloning the notes master's placeholders shape by shape."""
    paras = "".join(f"<a:p><a:r><a:t>{escape(line)}</a:t></a:r></a:p>" if line else "<a:p/>"
                    for line in safe_text(text).split("\n"))
    slide_part = slide.part
    package = slide_part.package
    n = part_number(package, "notes")
    part = NotesSlidePart(PackURI(f"/ppt/notesSlides/ddnotes{n}.xml"), CT.PML_NOTES_SLIDE,
                          package, parse_xml(_NOTES_XML.replace("{paras}", paras)))
    part.relate_to(notes_master_part, RT.NOTES_MASTER)
    part.relate_to(slide_part, RT.SLIDE)
    slide_part.relate_to(part, RT.NOTES_SLIDE)


_PH_PATH = f"{qn('p:nvSpPr')}/{qn('p:nvPr')}/{qn('p:ph')}"


def _title_shape(slide):
    """The slide's title placeholder, found with one lxml lookup per shape (python-pptx's
    ``shapes.title`` builds a shape object and runs XPath for every shape)."""
    for sp in slide.shapes._spTree.iterchildren(qn("p:sp")):
        ph = sp.find(_PH_PATH)
        if ph is not None and ph.get("type") in ("title", "ctrTitle"):
            return slide.shapes._shape_factory(sp)
    return None


# ====================================================================== the renderer


class DeckRenderer:
    def __init__(self, spec: DeckSpec, template: Path | str | None = None, k: int = 5):
        self.spec = spec
        self.lang = spec.language
        self.k = k
        self.prs = open_template(template)
        self.layout_title = find_layout(self.prs, TITLE_LAYOUTS, centre_title=True)
        self.layout_plain = find_layout(self.prs, TITLE_ONLY_LAYOUTS)
        self.gap = int(Inches(0.2))
        self._placeholders: dict[tuple[int, bool], list] = {}
        self._slide_xml: dict[tuple[int, bool], bytes] = {}
        self._geometry: dict[int, tuple[int, int, int, int] | None] = {}
        self._slide_titles: dict[int, tuple] = {}
        self._notes_master = None

    # -------------------------------------------------------------- slide scaffolding

    def _new_slide(self, layout, keep_subtitle: bool = False):
        """A slide on ``layout`` with only its title (and subtitle) placeholder: the other
        placeholders are never cloned (python-pptx's add_slide clones them all)."""
        key = (id(layout), keep_subtitle)
        wanted = self._placeholders.get(key)
        if wanted is None:
            wanted = []
            for ph in layout.placeholders:
                kind = str(ph.placeholder_format.type)
                if ("TITLE" in kind and "SUB" not in kind) or (keep_subtitle
                                                              and "SUBTITLE" in kind):
                    wanted.append(ph)
            self._placeholders[key] = wanted
        template = self._slide_xml.get(key)
        if template is None:
            # the first slide on this layout is made python-pptx's way; its XML (title
            # placeholder only, no content yet) is the template for the next ones
            rid, slide = self.prs.part.add_slide(layout)
            for ph in wanted:
                slide.shapes.clone_placeholder(ph)
            self._slide_xml[key] = etree.tostring(slide._element)
        else:
            pres_part = self.prs.part
            slide_part = SlidePart(pres_part._next_slide_partname, CT.PML_SLIDE,
                                   pres_part.package, parse_xml(template))
            slide_part.relate_to(layout.part, RT.SLIDE_LAYOUT)
            rid = pres_part.relate_to(slide_part, RT.SLIDE)
            slide = slide_part.slide
        self.prs.slides._sldIdLst.add_sldId(rid)
        # the title and its size (inherited from the layout) are looked up once here:
        # python-pptx finds them by searching the shapes and the layout on every access
        title = _title_shape(slide)
        if id(layout) not in self._geometry:
            self._geometry[id(layout)] = None if title is None else (
                int(title.left), int(title.top), int(title.width), int(title.height))
        self._slide_titles[id(slide.part)] = (title, self._geometry[id(layout)])
        return slide

    def _title_and_geometry(self, slide):
        """(title shape, (left, top, width, height)) of a slide, or (None, None)."""
        found = self._slide_titles.get(id(slide.part))
        if found is not None:
            return found
        title = slide.shapes.title  # a slide made elsewhere: ask python-pptx
        if title is None:
            return None, None
        return title, (int(title.left), int(title.top), int(title.width), int(title.height))

    def _body_box(self, slide) -> Box:
        sw, sh = self.prs.slide_width, self.prs.slide_height
        _title, geometry = self._title_and_geometry(slide)
        margin = int(sw * 0.04)
        if geometry is not None:
            t_left, t_top, t_width, t_height = geometry
            left = max(t_left, int(Inches(0.3)))
            right = min(t_left + t_width, sw - int(Inches(0.3)))
            top = t_top + t_height + int(Inches(0.12))
        else:
            left, right, top = margin, sw - margin, int(Inches(1.4))
        bottom = sh - int(Inches(0.3))
        return Box(left, top, right - left, bottom - top)

    def _title(self, slide, title: str, section: str = "") -> None:
        shape, geometry = self._title_and_geometry(slide)
        if shape is None:
            return
        tf = shape.text_frame
        tf.clear()
        tf.word_wrap = True
        width, height = geometry[2], geometry[3]
        avail = height - (int(Inches(0.35)) if section else 0)
        pt = fit_pt(title, width - int(Inches(0.2)), avail, 28, 18)
        paras = []
        if section:
            paras.append(Para(section, pt=16, colour=GREY))
        paras.append(Para(title, pt=pt, bold=True, colour=DARK))
        write_paras(tf, paras)

    def _notes(self, slide, text: str) -> None:
        if text.strip():
            if self._notes_master is None:
                self._notes_master = self.prs.part.notes_master_part
            add_notes(slide, text.strip(), self._notes_master)

    # -------------------------------------------------------------- deck

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
        slide = self._new_slide(self.layout_plain)
        self._title(slide, s.title, s.section)
        body = self._body_box(slide)
        notes = [s.notes] if s.notes else []
        if s.kind == "text":
            self._draw_blocks(slide, s.blocks, body)
        elif s.kind == "figure":
            notes += self._draw_figure_slide(slide, s, body)
        elif s.kind == "figures":
            notes += self._draw_figures(slide, s, body)
        elif s.kind == "table":
            self._draw_table_slide(slide, s, body)
        elif s.kind == "result_map":
            from outputs.result_map import draw_result_map

            rest, strip = body.take_bottom(int(Inches(0.55)))
            draw_result_map(slide.shapes, s.result_map, rest)
            if s.blocks:
                self._draw_blocks(slide, s.blocks, strip, max_pt=14)
        elif s.kind == "agreement_sheet":
            self._draw_sheet(slide, s, body)
        elif s.kind == "dialogue":
            self._draw_dialogue(slide, s, body)
        else:
            raise ValueError(f"unknown slide kind {s.kind!r}")
        self._notes(slide, "\n\n".join(n for n in notes if n))
        return slide

    def _slide_title(self, s: SlideSpec):
        slide = self._new_slide(self.layout_title, keep_subtitle=True)
        title = slide.shapes.title
        if title is not None:
            tf = title.text_frame
            tf.clear()
            pt = fit_pt(s.title, int(title.width), int(title.height), 36, 24)
            write_paras(tf, [Para(s.title, pt=pt, bold=True, colour=DARK)])
        lines = [x for x in (s.subtitle, self.spec.footer) if x]
        subtitle = next(
            (ph for ph in slide.placeholders if "SUBTITLE" in str(ph.placeholder_format.type)),
            None,
        )
        paras = [Para(x, pt=20 if i == 0 else 16, colour=GREY) for i, x in enumerate(lines)]
        if subtitle is not None:
            subtitle.text_frame.clear()
            write_paras(subtitle.text_frame, paras)
        elif paras:
            body = self._body_box(slide)
            add_text(slide.shapes, body.take_bottom(int(Inches(1.2)))[1], paras)
        self._notes(slide, s.notes)
        return slide

    # -------------------------------------------------------------- content kinds

    def _draw_blocks(self, slide, blocks: list[TextBlock], box: Box, max_pt: float = 20) -> None:
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
            if all(_paras_height(block_paras(b, pt), c.w) <= c.h
                   for b, c in zip(blocks, columns, strict=True)):
                break
            pt -= 1
        for block, column in zip(blocks, columns, strict=True):
            add_text(slide.shapes, column, block_paras(block, pt))

    def _how_paras(self, figs: list[FigureSpec]) -> list[Para]:
        paras = []
        hows = []
        for f in figs:
            if f.how_to_read and f.how_to_read not in hows:
                hows.append(f.how_to_read)
        if hows:
            paras.append(Para(t("how_to_read", self.lang) + ": " + " ".join(hows), pt=MIN_PT,
                              colour=GREY))
        return paras

    def _figure_notes(self, fig: FigureSpec) -> str:
        parts = [fig.title]
        if fig.how_to_read:
            parts.append(f"{t('how_to_read', self.lang)}: {fig.how_to_read}")
        if fig.n_note:
            parts.append(fig.n_note)
        parts.append(f"{t('notes_data', self.lang)}:\n{charts.table_text(fig, self.lang, self.k)}")
        return "\n".join(parts)

    def draw_chart(self, slide, fig: FigureSpec, box: Box) -> None:
        if fig.render == "image":
            png = charts.render_png(fig, box.w / 12700, box.h / 12700, self.lang, self.k)
            pic = slide.shapes.add_picture(io.BytesIO(png), box.x, box.y, box.w, box.h)
            pic._element.nvPicPr.cNvPr.set(
                "descr", safe_text(charts.chart_alt_text(fig, self.lang, self.k))
            )
        else:
            charts.add_native_chart(slide.shapes, fig, box.x, box.y, box.w, box.h, self.lang)

    def _n_paras(self, fig: FigureSpec) -> list[Para]:
        text = " · ".join(x for x in (fig.n_note, fig.suppressed_note) if x)
        return [Para(text, pt=MIN_PT, colour=GREY)] if text else []

    def _chart_with_head(self, slide, fig: FigureSpec, box: Box) -> None:
        """The figure's own finding (and n) above its chart, for a figure that shares the
        slide with something else and so is not what the slide title is about."""
        head = [Para(fig.title, pt=16, bold=True, colour=TEXT)] + [
            Para(p.text, pt=MIN_PT, colour=GREY) for p in self._n_paras(fig)]
        head_box, chart_box = box.take_top(_paras_height(head, box.w), gap=int(Inches(0.05)))
        add_text(slide.shapes, head_box, head)
        self.draw_chart(slide, fig, chart_box)

    def _draw_figure_slide(self, slide, s: SlideSpec, body: Box) -> list[str]:
        fig = s.figures[0]
        own_head = s.table is not None and bool(fig.title) and fig.title != s.title
        how = ([] if own_head else self._n_paras(fig)) + self._how_paras([fig])
        area, strip = body.take_bottom(_paras_height(how, body.w), gap=int(Inches(0.1)))
        if s.table is not None:
            left, right = area.split_h(0.56, int(Inches(0.3)))
            self._draw_table(slide, s.table, left)
            if own_head:
                self._chart_with_head(slide, fig, right)
            else:
                self.draw_chart(slide, fig, right)
        elif s.blocks:
            left, right = area.split_h(0.66, int(Inches(0.3)))
            self.draw_chart(slide, fig, left)
            self._draw_blocks(slide, s.blocks, right, max_pt=18)
        else:
            self.draw_chart(slide, fig, area)
        add_text(slide.shapes, strip, how)
        return [self._figure_notes(fig)]

    def _draw_figures(self, slide, s: SlideSpec, body: Box) -> list[str]:
        figs = s.figures
        how = self._how_paras(figs)
        area, strip = body.take_bottom(_paras_height(how, body.w), gap=int(Inches(0.1)))
        columns = area.columns(len(figs), int(Inches(0.35)))
        for fig, col in zip(figs, columns, strict=True):
            head = [Para(fig.title, pt=16, bold=True, colour=TEXT)] + [
                Para(p.text, pt=MIN_PT, colour=GREY) for p in self._n_paras(fig)
            ]
            head_box, chart_box = col.take_top(_paras_height(head, col.w), gap=int(Inches(0.05)))
            add_text(slide.shapes, head_box, head)
            self.draw_chart(slide, fig, chart_box)
        add_text(slide.shapes, strip, how)
        return [self._figure_notes(f) for f in figs]

    def _draw_table_slide(self, slide, s: SlideSpec, body: Box) -> None:
        if s.blocks:
            main, side = body.split_h(0.7, int(Inches(0.35)))
            self._draw_table(slide, s.table, main, pt=18)
            self._draw_blocks(slide, s.blocks, side, max_pt=18)
        else:
            self._draw_table(slide, s.table, body, pt=20)

    def _draw_table(self, slide, table: TableSpec | None, box: Box, pt: float = 16) -> None:
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

        def row_heights(size: float) -> list[int]:
            heights = []
            widths_at = col_widths(size)
            for r, row in enumerate([table.columns, *table.rows]):
                lines = max(text_lines(str(c), w - pad, size, 0.66 if r == 0 else AVG_CHAR)
                            for c, w in zip(row, widths_at, strict=True))
                heights.append(int(lines * size * LINE * 12700 + Inches(0.16)))
            return heights

        while pt > MIN_PT and (sum(row_heights(pt)) > box.h or sum(col_widths(pt)) > box.w):
            pt -= 1
        heights = row_heights(pt)
        widths = col_widths(pt)
        margins = (int(Inches(0.08)), int(Inches(0.08)), int(Inches(0.04)), int(Inches(0.04)))
        rows = []
        for r, row in enumerate([table.columns, *table.rows]):
            fill = DARK if r == 0 else (PALE if r % 2 == 0 else "FFFFFF")
            colour = "FFFFFF" if r == 0 else TEXT
            rows.append([table_cell_xml([Para(line, pt=pt, bold=r == 0, colour=colour)
                                         for line in str(v).split("\n")], fill, margins)
                         for v in row])
        add_table_xml(slide.shapes, box, widths, heights, rows)

    def _draw_sheet(self, slide, s: SlideSpec, body: Box) -> None:
        sheet = s.agreement_sheet
        headings = sheet.headings
        widths = [int(body.w * 0.36), body.w - int(body.w * 0.36)]
        head_h = int(Inches(0.45))
        row_h = (body.h - head_h) // max(len(headings), 1)
        margins = (int(Inches(0.1)), int(Inches(0.1)), int(Inches(0.05)), int(Inches(0.05)))
        header = [t("sheet_question", self.lang), t("sheet_answer", self.lang)]
        rows = [[table_cell_xml([Para(text, pt=16, bold=True, colour="FFFFFF")], DARK, margins)
                 for text in header]]
        for heading in headings:
            rows.append([
                table_cell_xml([Para(heading, pt=16, bold=True, colour=DARK)], PALE, margins,
                               anchor="t", border="A6A6A6"),
                table_cell_xml([], "FFFFFF", margins, anchor="t", border="A6A6A6"),
            ])
        add_table_xml(slide.shapes, body, widths, [head_h] + [row_h] * len(headings), rows,
                      name="Agreement sheet")

    def _draw_dialogue(self, slide, s: SlideSpec, body: Box) -> None:
        steps = s.steps
        strip_paras = fit_blocks(s.blocks, body, 16) if s.blocks else []
        area, strip = body.take_bottom(_paras_height(strip_paras, body.w) if strip_paras else 0,
                                       gap=int(Inches(0.15)) if strip_paras else 0)
        columns = area.columns(len(steps), int(Inches(0.25)))
        head_h = int(Inches(0.9))
        pt = 18
        while pt > MIN_PT and any(
            _paras_height([Para(p, pt=pt, bullet=True, space_before=6) for p in st.prompts],
                          col.w - int(Inches(0.3))) > col.h - head_h
            for st, col in zip(steps, columns, strict=True)
        ):
            pt -= 1
        for st, col in zip(steps, columns, strict=True):
            head = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, col.x, col.y, col.w, head_h)
            head.fill.solid()
            head.fill.fore_color.rgb = _rgb(DARK)
            head.line.fill.background()
            head.shadow.inherit = False
            head.text_frame.vertical_anchor = MSO_ANCHOR.MIDDLE
            write_paras(head.text_frame, [Para(f"{st.number}. {st.name}", pt=20, bold=True,
                                               colour="FFFFFF", align="c")])
            panel = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, col.x, col.y + head_h, col.w,
                                           col.h - head_h)
            panel.fill.solid()
            panel.fill.fore_color.rgb = _rgb(PALE)
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
    """Render ``spec`` onto ``template`` and save it to ``out`` (.pptx); returns the path."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    prs = DeckRenderer(spec, template, k).render()
    prs.save(str(out))
    return out


def slide_count(path: Path | str) -> int:
    return len(Presentation(str(path)).slides)

