"""Slides on the template: opening it, finding layouts, new slides, titles and notes.

The template (a user's .pptx or .potx, else ``outputs/templates/default.pptx``) supplies
theme, fonts, colours and layouts; any slides it contains are dropped. Slides use the
template's "Title Slide" and "Title Only" layouts (Danish names and a structural
fallback are recognised too); :class:`SlideMaker` adds slides with only their title
placeholder and computes the body area below the title from the title placeholder and
the slide size, so a 4:3 template works as well as a 16:9 one.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from lxml import etree
from pptx import Presentation
from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.packuri import PackURI
from pptx.oxml import parse_xml
from pptx.oxml.ns import qn
from pptx.parts.slide import NotesSlidePart, SlidePart
from pptx.util import Inches

from outputs.make_template import DEFAULT_TEMPLATE
from outputs.pptx_xml import NSDECLS, part_number, safe_text
from outputs.render_text import Box, Para, fit_pt, write_paras
from outputs.style import ACCENT, MUTED, SMALL_PT, TITLE_MIN_PT, TITLE_PT

TITLE_LAYOUTS = ("title slide", "titeldias", "titelslide", "title")
TITLE_ONLY_LAYOUTS = ("title only", "kun titel", "titel alene", "titel")


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


# ====================================================================== notes

_NOTES_XML = (
    f'<p:notes {NSDECLS}><p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/>'
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


# ====================================================================== slides

_PH_PATH = f"{qn('p:nvSpPr')}/{qn('p:nvPr')}/{qn('p:ph')}"


def _title_shape(slide):
    """The slide's title placeholder, found with one lxml lookup per shape (python-pptx's
    ``shapes.title`` builds a shape object and runs XPath for every shape)."""
    for sp in slide.shapes._spTree.iterchildren(qn("p:sp")):
        ph = sp.find(_PH_PATH)
        if ph is not None and ph.get("type") in ("title", "ctrTitle"):
            return slide.shapes._shape_factory(sp)
    return None


class SlideMaker:
    """Slides on a template: the title slide and title-only layouts, new slides made
    quickly, each slide's title, body area and notes."""

    def __init__(self, template: Path | str | None = None):
        self.prs = open_template(template)
        self.layout_title = find_layout(self.prs, TITLE_LAYOUTS, centre_title=True)
        self.layout_plain = find_layout(self.prs, TITLE_ONLY_LAYOUTS)
        self._placeholders: dict[tuple[int, bool], list] = {}
        self._slide_xml: dict[tuple[int, bool], bytes] = {}
        self._geometry: dict[int, tuple[int, int, int, int] | None] = {}
        self._slide_titles: dict[int, tuple] = {}
        self._notes_master = None

    def new_slide(self, layout, keep_subtitle: bool = False):
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

    def title_and_geometry(self, slide):
        """(title shape, (left, top, width, height)) of a slide, or (None, None)."""
        found = self._slide_titles.get(id(slide.part))
        if found is not None:
            return found
        title = slide.shapes.title  # a slide made elsewhere: ask python-pptx
        if title is None:
            return None, None
        return title, (int(title.left), int(title.top), int(title.width), int(title.height))

    def body_box(self, slide) -> Box:
        """The area below the slide's title, inside the slide's margins."""
        sw, sh = self.prs.slide_width, self.prs.slide_height
        _title, geometry = self.title_and_geometry(slide)
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

    def write_title(self, slide, title: str, section: str = "") -> None:
        """The slide's title (fitted to its placeholder), with the section line above."""
        shape, geometry = self.title_and_geometry(slide)
        if shape is None:
            return
        tf = shape.text_frame
        tf.clear()
        tf.word_wrap = True
        width, height = geometry[2], geometry[3]
        avail = height - (int(Inches(0.35)) if section else 0)
        pt = fit_pt(title, width - int(Inches(0.2)), avail, TITLE_PT, TITLE_MIN_PT)
        paras = []
        if section:
            paras.append(Para(section, pt=SMALL_PT, colour=MUTED))
        paras.append(Para(title, pt=pt, bold=True, colour=ACCENT))
        write_paras(tf, paras)

    def write_notes(self, slide, text: str) -> None:
        if text.strip():
            if self._notes_master is None:
                self._notes_master = self.prs.part.notes_master_part
            add_notes(slide, text.strip(), self._notes_master)
