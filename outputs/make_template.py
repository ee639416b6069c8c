"""Generate the default deck template ``outputs/templates/default.pptx`` (16:9).

Run ``python -m outputs.make_template [OUT]``. The template is python-pptx's blank
presentation made widescreen, with a calm theme: Verdana for headings and text (wide
and legible; LibreOffice substitutes DejaVu Sans, which is of the same family), a dark
blue title colour, body text sizes of 20/18/16/14 pt, a thin accent bar at the top, and
the layouts the renderer uses ("Title Slide", "Title Only", "Blank") placed for 16:9.
The colours, font and sizes are those of :mod:`outputs.style`.

A user's own .pptx/.potx replaces this file through the ``template`` argument of
``outputs.render.render_deck``; only its theme, fonts and layouts are used.
"""

from __future__ import annotations

import sys
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches

from outputs.pptx_xml import scrub_creation_ids
from outputs.style import BODY_SIZES, THEME_COLOURS, THEME_FONT, TITLE_PT

DEFAULT_TEMPLATE = Path(__file__).parent / "templates" / "default.pptx"

WIDE = (Emu(12192000), Emu(6858000))  # 13.333 x 7.5 in


def _scale_x(shapes_root, factor: float) -> None:
    for xfrm in shapes_root.iter(qn("a:xfrm")):
        off, ext = xfrm.find(qn("a:off")), xfrm.find(qn("a:ext"))
        if off is not None:
            off.set("x", str(int(int(off.get("x")) * factor)))
        if ext is not None:
            ext.set("cx", str(int(int(ext.get("cx")) * factor)))


def _place(placeholder, left, top, width, height) -> None:
    placeholder.left, placeholder.top = Inches(left), Inches(top)
    placeholder.width, placeholder.height = Inches(width), Inches(height)


def _theme(prs) -> None:
    master_part = prs.slide_master.part
    theme_part = next(
        rel.target_part for rel in master_part.rels.values() if rel.reltype.endswith("/theme")
    )
    root = etree.fromstring(theme_part.blob)
    root.set("name", "datadialog")
    scheme = root.find(".//" + qn("a:clrScheme"))
    scheme.set("name", "datadialog")
    for name, hex_colour in THEME_COLOURS.items():
        slot = scheme.find(qn(f"a:{name}"))
        for child in list(slot):
            slot.remove(child)
        etree.SubElement(slot, qn("a:srgbClr")).set("val", hex_colour)
    fonts = root.find(".//" + qn("a:fontScheme"))
    fonts.set("name", "datadialog")
    for which in ("a:majorFont", "a:minorFont"):
        fonts.find(qn(which)).find(qn("a:latin")).set("typeface", THEME_FONT)
    theme_part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                      standalone=True)


def _text_styles(master) -> None:
    styles = master._element.find(qn("p:txStyles"))
    title = styles.find(qn("p:titleStyle")).find(qn("a:lvl1pPr"))
    title.set("algn", "l")
    rpr = title.find(qn("a:defRPr"))
    rpr.set("sz", str(TITLE_PT * 100))
    rpr.set("b", "1")
    body = styles.find(qn("p:bodyStyle"))
    for level, size in enumerate(BODY_SIZES, start=1):
        ppr = body.find(qn(f"a:lvl{level}pPr"))
        if ppr is not None:
            ppr.find(qn("a:defRPr")).set("sz", str(size))
    for ph in master.placeholders:
        if ph.placeholder_format.type is not None and "TITLE" in str(ph.placeholder_format.type):
            body_pr = ph._element.find(".//" + qn("a:bodyPr"))
            body_pr.set("anchor", "b")


def _accent_bar(master, width: int) -> None:
    """A thin dark-blue bar along the top edge of every slide."""
    sp_tree = master._element.find(".//" + qn("p:spTree"))
    xml = (
        '<p:sp xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        '<p:nvSpPr><p:cNvPr id="90" name="Accent bar"/><p:cNvSpPr/><p:nvPr userDrawn="1"/>'
        "</p:nvSpPr><p:spPr>"
        f'<a:xfrm><a:off x="0" y="0"/><a:ext cx="{width}" cy="91440"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
        '<a:solidFill><a:schemeClr val="accent1"/></a:solidFill><a:ln><a:noFill/></a:ln>'
        "</p:spPr></p:sp>"
    )
    sp_tree.insert(2, etree.fromstring(xml))


def build_template(out: Path) -> Path:
    prs = Presentation()
    factor = WIDE[0] / prs.slide_width
    prs.slide_width, prs.slide_height = WIDE
    master = prs.slide_master
    _scale_x(master._element, factor)
    for layout in prs.slide_layouts:
        _scale_x(layout._element, factor)
    for ph in master.placeholders:
        kind = str(ph.placeholder_format.type)
        if "TITLE" in kind:
            _place(ph, 0.5, 0.3, 12.33, 1.05)
        elif "BODY" in kind:
            _place(ph, 0.5, 1.55, 12.33, 5.4)
    by_name = {layout.name: layout for layout in prs.slide_layouts}
    for ph in by_name["Title Only"].placeholders:
        if "TITLE" in str(ph.placeholder_format.type):
            _place(ph, 0.5, 0.3, 12.33, 1.05)
    for ph in by_name["Title Slide"].placeholders:
        kind = str(ph.placeholder_format.type)
        if "CENTER_TITLE" in kind:
            _place(ph, 0.9, 2.0, 11.5, 1.7)
        elif "SUBTITLE" in kind:
            _place(ph, 0.9, 3.9, 11.5, 1.6)
    _theme(prs)
    _text_styles(master)
    _accent_bar(master, int(WIDE[0]))
    scrub_creation_ids(prs)
    prs.core_properties.title = "datadialog default template"
    prs.core_properties.author = "datadialog"
    out.parent.mkdir(parents=True, exist_ok=True)
    prs.save(str(out))
    return out


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else DEFAULT_TEMPLATE
    print(build_template(out))


if __name__ == "__main__":
    main()
