"""The result map (resultatkort): the change theory as native, editable shapes.

Columns from left to right: core elements, short-term results (knowledge and skills),
medium-term (behaviour), long-term (life situation). Each node of the config's
``result_map`` is one box (shape name ``node:<id>``); each link is a connector arrow
glued to its two boxes (shape name ``link:<from>-><to>``), so moving a box in
PowerPoint drags its arrows along. A result box is filled by its status (on track /
watch / off track / no data) and says the status in words too, with the indicator's
value, n and the trend since last time; a legend explains the colours.

Boxes are placed column by column; a result box sits level with the mean height of the
boxes that point to it (then spread so none overlap), which keeps arrows short and
mostly free of crossings.
"""

from __future__ import annotations

from pptx.enum.shapes import MSO_CONNECTOR, MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Inches, Pt

from outputs.pptx_xml import rgb, safe_text
from outputs.spec import MapNode, ResultMapSpec
from outputs.style import (
    ACCENT,
    AXIS_GREY,
    CORE_COLOURS,
    INK,
    MAP_BOX_PTS,
    MIN_PT,
    STATUS_COLOURS,
)

COLUMNS = ["core_element", "short", "medium", "long"]
TREND_SYMBOLS = {"up": "▲", "down": "▼", "flat": "►"}
# connection sites of a rectangle: top, left, bottom, right
TOP, LEFT, BOTTOM, RIGHT = 0, 1, 2, 3


def _column(node: MapNode) -> int:
    return 0 if node.kind == "core_element" else COLUMNS.index(node.term or "short")


def _lines(node: MapNode, spec: ResultMapSpec) -> list[tuple[str, bool]]:
    """The box text as (line, bold) pairs."""
    lines = [(node.label, True)]
    if node.kind == "result":
        if node.indicator:
            value = f": {node.value_text}" if node.value_text else ""
            lines.append((f"{node.indicator}{value}", False))
        bits = []
        if node.n is not None:
            bits.append(f"n = {node.n}")
            if node.period:
                bits.append(node.period)
        if node.trend:
            word = spec.trend_words.get(node.trend, "")
            # the arrow and its words stay on one line
            bits.append(f"{TREND_SYMBOLS[node.trend]}\u00a0{word}".strip())
        if bits:
            lines.append((" · ".join(bits), False))
        lines.append((spec.legend.get(node.status, node.status), True))
    return lines


def _estimate_height(lines: list[tuple[str, bool]], width_emu: int, pt: float) -> int:
    n = 0
    for text, bold in lines:
        chars = max(int((width_emu / 12700 - 16) / (pt * (0.66 if bold else 0.60))), 8)
        words, cur, count = text.split(), 0, 1
        for w in words:
            if cur and cur + 1 + len(w) > chars:
                count, cur = count + 1, len(w)
            else:
                cur += len(w) + (1 if cur else 0)
        n += count
    return int(n * pt * 1.22 * 12700 + Inches(0.3))


def box_font_pt(spec: ResultMapSpec, box_w: int, height: int) -> float:
    """The largest box font (``MAP_BOX_PTS``, else ``MIN_PT``) at which every column's
    boxes fit in ``height`` with room to spare (the map is read from across the room)."""
    vgap = int(Inches(0.18))
    longest = max((len(w) for n in spec.nodes for text, _b in _lines(n, spec)
                   for w in text.split()), default=1)
    for pt in MAP_BOX_PTS:
        fits = longest * pt * 0.64 + 14 <= box_w / 12700  # no word broken inside (bold)
        for col in range(len(COLUMNS)):
            nodes = [n for n in spec.nodes if _column(n) == col]
            need = sum(_estimate_height(_lines(n, spec), box_w, pt) for n in nodes)
            if need + vgap * max(len(nodes) - 1, 0) > 0.85 * height:
                fits = False
        if fits:
            return pt
    return MIN_PT


def _layout(spec: ResultMapSpec, box_x: int, top: int, col_w: int, box_w: int, height: int,
            gap_x: int, pt: float = MIN_PT) -> dict[str, tuple[int, int, int, int]]:
    """Position (x, y, w, h) of every node."""
    by_col: dict[int, list[MapNode]] = {i: [] for i in range(len(COLUMNS))}
    for node in spec.nodes:
        by_col[_column(node)].append(node)
    heights = {n.id: _estimate_height(_lines(n, spec), box_w, pt) for n in spec.nodes}
    vgap = int(Inches(0.18))
    pos: dict[str, tuple[int, int, int, int]] = {}
    sources: dict[str, list[str]] = {}
    for link in spec.links:
        sources.setdefault(link.target, []).append(link.source)
    for col in range(len(COLUMNS)):
        nodes = by_col[col]
        if not nodes:
            continue
        need = sum(heights[n.id] for n in nodes) + vgap * (len(nodes) - 1)
        if need > height:  # shrink evenly to fit
            scale = (height - vgap * (len(nodes) - 1)) / sum(heights[n.id] for n in nodes)
            for n in nodes:
                heights[n.id] = int(heights[n.id] * scale)
            need = height
        x = box_x + col * (col_w + gap_x) + (col_w - box_w) // 2
        # desired centre: mean centre of already placed sources, else an even spread
        desired = []
        slot = height / len(nodes)
        for i, n in enumerate(nodes):
            placed = [pos[s] for s in sources.get(n.id, []) if s in pos]
            if placed and col > 0:
                centre = sum(p[1] + p[3] / 2 for p in placed) / len(placed)
            else:
                centre = top + slot * (i + 0.5) if len(nodes) > 1 else top + height / 2
            desired.append(centre)
        order = sorted(range(len(nodes)), key=lambda i: desired[i])
        ys: dict[int, float] = {}
        cursor = top
        for i in order:
            h = heights[nodes[i].id]
            y = max(desired[i] - h / 2, cursor)
            ys[i] = y
            cursor = y + h + vgap
        overflow = cursor - vgap - (top + height)
        if overflow > 0:  # push the column up as a whole, never above the top
            for i in ys:
                ys[i] = max(ys[i] - overflow, top)
            cursor = top
            for i in order:
                ys[i] = max(ys[i], cursor)
                cursor = ys[i] + heights[nodes[i].id] + vgap
        for i, n in enumerate(nodes):
            pos[n.id] = (x, int(ys[i]), box_w, heights[n.id])
    return pos


def _write(shape, lines: list[tuple[str, bool]], colour: str = INK,
           align=PP_ALIGN.CENTER, pt: float = MIN_PT) -> None:
    tf = shape.text_frame
    tf.word_wrap = True
    tf.vertical_anchor = MSO_ANCHOR.MIDDLE
    tf.margin_left = tf.margin_right = Inches(0.08)
    tf.margin_top = tf.margin_bottom = Inches(0.05)
    for i, (text, bold) in enumerate(lines):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        p.alignment = align
        run = p.add_run()
        run.text = safe_text(text)
        run.font.size = Pt(pt)
        run.font.bold = bold
        run.font.color.rgb = rgb(colour)


def _arrow(connector, colour: str = AXIS_GREY) -> None:
    line = connector.line
    line.width = Pt(2)
    line.color.rgb = rgb(colour)
    ln = connector._element.spPr.find(qn("a:ln"))
    tail = ln.makeelement(qn("a:tailEnd"), {"type": "triangle", "w": "med", "len": "med"})
    ln.append(tail)


def _sites(src: tuple[int, int, int, int], dst: tuple[int, int, int, int]) -> tuple[int, int]:
    if dst[0] > src[0] + src[2] // 2:
        return RIGHT, LEFT
    if dst[0] + dst[2] // 2 < src[0]:
        return LEFT, RIGHT
    return (BOTTOM, TOP) if dst[1] > src[1] else (TOP, BOTTOM)


def draw_result_map(shapes, spec: ResultMapSpec, box) -> dict[str, object]:
    """Draw the map into ``box`` (an ``outputs.render_text.Box``); returns node id -> shape."""
    header_h = int(Inches(0.55))
    legend_h = int(Inches(0.45))
    gap_x = int(Inches(0.45))
    col_w = (box.w - gap_x * (len(COLUMNS) - 1)) // len(COLUMNS)
    box_w = col_w
    for i, key in enumerate(COLUMNS):
        x = box.x + i * (col_w + gap_x)
        head = shapes.add_textbox(x, box.y, col_w, header_h)
        head.name = f"column:{key}"
        _write(head, [(spec.column_titles.get(key, key), True)], colour=ACCENT,
               align=PP_ALIGN.LEFT)
        head.text_frame.vertical_anchor = MSO_ANCHOR.BOTTOM
    top = box.y + header_h + int(Inches(0.1))
    height = box.h - header_h - legend_h - int(Inches(0.25))
    pt = box_font_pt(spec, box_w, height)
    pos = _layout(spec, box.x, top, col_w, box_w, height, gap_x, pt)
    drawn: dict[str, object] = {}
    for node in spec.nodes:
        x, y, w, h = pos[node.id]
        kind = MSO_SHAPE.RECTANGLE if node.kind == "core_element" else MSO_SHAPE.ROUNDED_RECTANGLE
        shape = shapes.add_shape(kind, x, y, w, h)
        shape.name = f"node:{node.id}"
        fill, border = CORE_COLOURS if node.kind == "core_element" else STATUS_COLOURS[node.status]
        shape.fill.solid()
        shape.fill.fore_color.rgb = rgb(fill)
        shape.line.color.rgb = rgb(border)
        shape.line.width = Pt(2.25)
        shape.shadow.inherit = False
        if node.kind == "result":
            shape.adjustments[0] = 0.12
        _write(shape, _lines(node, spec), pt=pt)
        drawn[node.id] = shape
    sp_tree = shapes._spTree
    first_node = drawn[spec.nodes[0].id]._element if spec.nodes else None
    for link in spec.links:
        src, dst = drawn[link.source], drawn[link.target]
        begin_site, end_site = _sites(pos[link.source], pos[link.target])
        connector = shapes.add_connector(MSO_CONNECTOR.STRAIGHT, 0, 0, 0, 0)
        connector.begin_connect(src, begin_site)
        connector.end_connect(dst, end_site)
        connector.name = f"link:{link.source}->{link.target}"
        _arrow(connector)
        if first_node is not None:  # behind the boxes
            sp_tree.remove(connector._element)
            first_node.addprevious(connector._element)
    # legend
    legend_y = box.y + box.h - legend_h
    swatch = int(Inches(0.32))
    item_w = box.w // 4
    for i, status in enumerate(("on_track", "watch", "off_track", "no_data")):
        x = box.x + i * item_w
        sw = shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, x, legend_y + (legend_h - swatch) // 2,
                              swatch, swatch)
        sw.name = f"legend:{status}"
        sw.fill.solid()
        sw.fill.fore_color.rgb = rgb(STATUS_COLOURS[status][0])
        sw.line.color.rgb = rgb(STATUS_COLOURS[status][1])
        sw.line.width = Pt(2)
        sw.shadow.inherit = False
        label = shapes.add_textbox(x + swatch + int(Inches(0.1)), legend_y,
                                   item_w - swatch - int(Inches(0.15)), legend_h)
        label.name = f"legend_label:{status}"
        _write(label, [(spec.legend.get(status, status), False)], align=PP_ALIGN.LEFT)
    return drawn
