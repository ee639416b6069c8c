"""Native (editable) PowerPoint charts, written directly as DrawingML chart XML.

python-pptx can build these charts, but its object API costs ~10 ms per styled chart
(an xlsxwriter workbook, then hundreds of property writes on a parsed tree); a citizen
pack has a dozen charts. Here the whole ``c:chartSpace`` is one string with every style
already in it, and the embedded workbook behind "Edit data" is a small hand-written
.xlsx (stored, not compressed: the .pptx around it is compressed anyway). The chart
part and the workbook part are then attached to the slide like python-pptx does it,
so python-pptx, PowerPoint and LibreOffice read the result as ordinary charts.

The colours and sizes come from :mod:`outputs.style`, the shared chart rules (series
colours, which stacked segments get a label) from :mod:`outputs.charts`; this module
only writes them down. The renderer calls :func:`add_chart` for a figure with
``render="native"``. A hidden (suppressed) cell has no
value in the spec, so it is an empty cell in the chart cache and in the workbook.
"""

from __future__ import annotations

import io
import math
import zipfile
from xml.sax.saxutils import escape

from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.packuri import PackURI
from pptx.oxml import parse_xml
from pptx.parts.chart import ChartPart
from pptx.parts.embeddedpackage import EmbeddedXlsxPart

from outputs.chart_labels import Geometry, Rect, RefLabel, obstacles, place_labels, plot_box
from outputs.charts import axis_step, axis_title, segment_labelled, series_colour, value_span
from outputs.fmt import NUMBER_FORMAT_CODES, fmt_value, with_minus
from outputs.pptx_xml import part_number, safe_text, zip_member
from outputs.spec import Band, FigureSpec
from outputs.style import (
    AXIS_GREY,
    BAND_COLOURS,
    DARK_FILLS,
    FLAG_COLOUR,
    GRID_GREY,
    INK,
    LABEL_PT,
    MARKER_COLOURS,
    MIN_PT,
    WHITE,
    WORKBOOK_FONT,
)

_NS = ('xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
       'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
       'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')
CAT_AX, VAL_AX = 500001, 500002
#: Size of a line chart when the caller gives none (EMU): a half-width chart of a slide.
DEFAULT_CX, DEFAULT_CY = 5_400_000, 2_700_000
#: Average glyph width of chart text as a share of the font size (DejaVu Sans / Verdana).
CHAR_W = 0.6


def _x(text: str) -> str:
    """Text for an XML text node, CPR numbers masked."""
    return escape(safe_text(text))


def _attr(text: str) -> str:
    return escape(text, {'"': "&quot;"})


def _num(value: float) -> str:
    return repr(float(value))


def _col(i: int) -> str:
    """Spreadsheet column letters of 0-based column ``i`` (0 -> A)."""
    out = ""
    i += 1
    while i:
        i, rem = divmod(i - 1, 26)
        out = chr(65 + rem) + out
    return out


# ====================================================================== small pieces


def fill(colour: str | None) -> str:
    return f'<a:solidFill><a:srgbClr val="{colour}"/></a:solidFill>' if colour else "<a:noFill/>"


def _tx_pr(size: int = MIN_PT, bold: bool = False, colour: str = AXIS_GREY,
           wrap: bool = True) -> str:
    body = "<a:bodyPr/>" if wrap else '<a:bodyPr wrap="none"/>'
    return (f'<c:txPr>{body}<a:lstStyle/><a:p><a:pPr><a:defRPr sz="{size * 100}" '
            f'b="{int(bold)}">{fill(colour)}</a:defRPr></a:pPr><a:endParaRPr lang="da-DK"/>'
            f"</a:p></c:txPr>")


def _title(text: str | list[str]) -> str:
    """An axis title; a list is one line per item (a long title split in two)."""
    lines = [text] if isinstance(text, str) else text
    run = (f'<a:rPr sz="{MIN_PT * 100}" b="0">{fill(AXIS_GREY)}</a:rPr>')
    paras = "".join(f"<a:p><a:r>{run}<a:t>{_x(line)}</a:t></a:r></a:p>" for line in lines)
    return (f"<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/>{paras}</c:rich></c:tx>"
            '<c:overlay val="0"/></c:title>')


def show_flags(value: bool, name: bool = False) -> str:
    return (f'<c:showLegendKey val="0"/><c:showVal val="{int(value)}"/>'
            f'<c:showCatName val="0"/><c:showSerName val="{int(name)}"/><c:showPercent val="0"/>'
            '<c:showBubbleSize val="0"/>')


def label_body(fmt: str, size: int, bold: bool, colour: str, pos: str,
               wrap: bool = True) -> str:
    """A data label's format, look and place (``wrap=False``: on one line)."""
    return (f'<c:numFmt formatCode="{_attr(fmt)}" sourceLinked="0"/>'
            f'<c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>'
            f"{_tx_pr(size, bold, colour, wrap)}<c:dLblPos val=\"{pos}\"/>{show_flags(True)}")


def _point_label(idx: int, fmt: str, size: int, bold: bool, colour: str, pos: str) -> str:
    return f'<c:dLbl><c:idx val="{idx}"/>{label_body(fmt, size, bold, colour, pos)}</c:dLbl>'


class Data:
    """The chart's table: categories in column A from row 2, one series per column."""

    def __init__(self, categories: list[str], number_format: str):
        self.categories = [safe_text(c) for c in categories]
        self.number_format = number_format
        self.columns: list[tuple[str, list[float | None]]] = []
        n = len(categories)
        pts = "".join(f'<c:pt idx="{i}"><c:v>{escape(c)}</c:v></c:pt>'
                      for i, c in enumerate(self.categories))
        self.cat_xml = (f"<c:cat><c:strRef><c:f>Sheet1!$A$2:$A${n + 1}</c:f><c:strCache>"
                        f'<c:ptCount val="{n}"/>{pts}</c:strCache></c:strRef></c:cat>')

    def add(self, name: str, values: list[float | None]) -> tuple[int, str]:
        """Add a series; returns its index and its ``tx`` + ``cat`` + ``val`` XML parts
        (``tx`` first: the caller places spPr/marker/labels between them)."""
        idx = len(self.columns)
        self.columns.append((safe_text(name), values))
        return idx, self._tx(idx)

    def _tx(self, idx: int) -> str:
        col = _col(idx + 1)
        return (f"<c:tx><c:strRef><c:f>Sheet1!${col}$1</c:f><c:strCache><c:ptCount val=\"1\"/>"
                f'<c:pt idx="0"><c:v>{escape(self.columns[idx][0])}</c:v></c:pt></c:strCache>'
                f"</c:strRef></c:tx>")

    def cat_val(self, idx: int) -> str:
        col = _col(idx + 1)
        values = self.columns[idx][1]
        n = len(self.categories)
        pts = "".join(f'<c:pt idx="{i}"><c:v>{_num(v)}</c:v></c:pt>'
                      for i, v in enumerate(values) if v is not None)
        return (f"{self.cat_xml}<c:val><c:numRef><c:f>Sheet1!${col}$2:${col}${n + 1}</c:f>"
                f"<c:numCache><c:formatCode>{escape(self.number_format)}</c:formatCode>"
                f'<c:ptCount val="{n}"/>{pts}</c:numCache></c:numRef></c:val>')

    def xlsx(self) -> bytes:
        return xlsx_blob(self.categories, self.columns, self.number_format)


# ====================================================================== the workbook

_XLSX_STATIC = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>'),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/styles" Target="styles.xml"/></Relationships>'),
}
_XLSX_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="{fmt}"/></numFmts>'
    f'<fonts count="1"><font><sz val="11"/><name val="{WORKBOOK_FONT}"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
    '</cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" '
    'xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" '
    'applyNumberFormat="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" '
    'xfId="0" builtinId="0"/></cellStyles></styleSheet>')


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(text)}</t></is></c>'


def xlsx_blob(categories: list[str], columns: list[tuple[str, list[float | None]]],
              number_format: str) -> bytes:
    """A minimal .xlsx with the chart's table (what "Edit data" opens): categories in
    column A from row 2, series names in row 1, values below them; a missing or hidden
    value is an absent cell."""
    rows = ['<row r="1">' + "".join(_inline(f"{_col(j + 1)}1", name)
                                     for j, (name, _v) in enumerate(columns)) + "</row>"]
    for i, cat in enumerate(categories):
        r = i + 2
        cells = [_inline(f"A{r}", cat)]
        for j, (_name, values) in enumerate(columns):
            v = values[i] if i < len(values) else None
            if v is not None:
                cells.append(f'<c r="{_col(j + 1)}{r}" s="1"><v>{_num(v)}</v></c>')
        rows.append(f'<row r="{r}">{"".join(cells)}</row>')
    sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             f'<sheetData>{"".join(rows)}</sheetData></worksheet>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
        for name, text in _XLSX_STATIC.items():
            z.writestr(zip_member(name, zipfile.ZIP_STORED), text)
        z.writestr(zip_member("xl/styles.xml", zipfile.ZIP_STORED),
                   _XLSX_STYLES.replace("{fmt}", _attr(number_format)))
        z.writestr(zip_member("xl/worksheets/sheet1.xml", zipfile.ZIP_STORED), sheet)
    return out.getvalue()


# ====================================================================== parts

def insert_chart(shapes, chart_xml: str, xlsx: bytes, x: int, y: int, cx: int, cy: int):
    """Add the chart part (with its workbook) to the slide of ``shapes`` and a graphic
    frame showing it at (x, y, cx, cy); returns the frame element."""
    slide_part = shapes.part
    package = slide_part.package
    n = part_number(package, "chart")
    chart_part = ChartPart(PackURI(f"/ppt/charts/ddchart{n}.xml"), CT.DML_CHART, package,
                           parse_xml(chart_xml.encode("utf-8")))
    xlsx_part = EmbeddedXlsxPart(PackURI(f"/ppt/embeddings/ddchart{n}.xlsx"),
                                 CT.SML_SHEET, package, xlsx)
    rid = chart_part.relate_to(xlsx_part, RT.PACKAGE)
    if rid != "rId1":  # the XML refers to rId1; a new part's first relation is rId1
        raise RuntimeError("unexpected relationship id for the chart workbook")
    return shapes._add_chart_graphicFrame(slide_part.relate_to(chart_part, RT.CHART),
                                          x, y, cx, cy)


def band_stack(bands: list[Band], y_min: float) -> list[tuple[str, float, Band | None]]:
    """Stacked-area layers (name, height, band or None for a transparent filler)."""
    layers: list[tuple[str, float, Band | None]] = []
    current = y_min
    for i, band in enumerate(sorted(bands, key=lambda b: b.low)):
        if band.low > current:
            layers.append((f"_fill{i}", band.low - current, None))
        layers.append((band.label, band.high - max(band.low, current), band))
        current = band.high
    return layers


def tick_code(step: float) -> str:
    """The number format of axis ticks ``step`` apart: as many decimals as the step has
    (whole numbers with a thousands separator: "6.000" in Danish), a negative tick with
    the minus sign "−" as the text writes it."""
    for decimals in range(3):
        if abs(step * 10**decimals - round(step * 10**decimals)) < 1e-9:
            return with_minus("#,##0" if decimals == 0 else "0." + "0" * decimals)
    return with_minus("0.00")


def fig_marker_label(fig: FigureSpec, kind: str) -> str:
    """Legend name of the reliable-change marker series (set by the builder per language)."""
    return fig.marker_labels.get(kind, kind)


# ====================================================================== axes, legend


def axes_xml(fig: FigureSpec, horizontal: bool = False, reverse: bool = False,
             y_title: list[str] | None = None, slanted: bool = False) -> str:
    """Category and value axis (categories in the middle of their slots); ``y_title``:
    the value axis title's lines (default: ``fig.y_label`` on one line); ``slanted``:
    category labels at 45 degrees (too many to stand side by side)."""
    cat_text = _tx_pr()
    if slanted:
        cat_text = cat_text.replace("<a:bodyPr/>", '<a:bodyPr rot="-2700000" vert="horz"/>')
    grey_line = f"<c:spPr><a:ln>{fill(GRID_GREY)}</a:ln></c:spPr>"
    cat_title = _title(fig.x_label) if fig.x_label else ""
    orientation = "maxMin" if reverse else "minMax"
    # below the plot, not on the zero line, when values go below zero
    label_pos = "low" if fig.y_min is not None and fig.y_min < 0 else "nextTo"
    # the zero line darker than the grid when bars go both ways
    cat_line = (f"<c:spPr><a:ln w=\"19050\">{fill(AXIS_GREY)}</a:ln></c:spPr>"
                if label_pos == "low" else grey_line)
    cat = (f'<c:catAx><c:axId val="{CAT_AX}"/><c:scaling><c:orientation val="{orientation}"/>'
           f'</c:scaling><c:delete val="0"/><c:axPos val="{"l" if horizontal else "b"}"/>'
           f'{cat_title}<c:majorTickMark val="none"/><c:minorTickMark val="none"/>'
           f'<c:tickLblPos val="{label_pos}"/>{cat_line}{cat_text}<c:crossAx val="{VAL_AX}"/>'
           '<c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/>'
           '<c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx>')
    y_min, unit, tick_format = fig.y_min, "", with_minus("0")
    if fig.y_min is not None and fig.y_max is not None:
        step = axis_step(fig.y_min, fig.y_max)
        unit = f'<c:majorUnit val="{_num(step)}"/>'
        # ticks count from the minimum: start on a multiple of the step
        y_min = math.floor(fig.y_min / step + 1e-9) * step
        tick_format = tick_code(step)
    scaling = '<c:orientation val="minMax"/>'
    if fig.y_max is not None:
        scaling += f'<c:max val="{_num(fig.y_max)}"/>'
    if y_min is not None:
        scaling += f'<c:min val="{_num(y_min)}"/>'
    if fig.value_format == "pct":
        tick_format = NUMBER_FORMAT_CODES["pct"]
    val_title = _title(y_title or fig.y_label) if fig.y_label else ""
    val = (f'<c:valAx><c:axId val="{VAL_AX}"/><c:scaling>{scaling}</c:scaling>'
           f'<c:delete val="0"/><c:axPos val="{"b" if horizontal else "l"}"/>'
           f"<c:majorGridlines>{grey_line}</c:majorGridlines>{val_title}"
           f'<c:numFmt formatCode="{_attr(tick_format)}" sourceLinked="0"/>'
           '<c:majorTickMark val="none"/><c:minorTickMark val="none"/>'
           f'<c:tickLblPos val="nextTo"/><c:spPr><a:ln><a:noFill/></a:ln></c:spPr>{_tx_pr()}'
           f'<c:crossAx val="{CAT_AX}"/><c:crosses val="{"max" if reverse else "autoZero"}"/>'
           f'<c:crossBetween val="between"/>{unit}</c:valAx>')
    return cat + val


def legend_xml(hidden: list[int] | None = None, top: bool = False) -> str:
    """The legend (below the plot, or on top), without the entries of ``hidden``."""
    entries = "".join(f'<c:legendEntry><c:idx val="{i}"/><c:delete val="1"/></c:legendEntry>'
                      for i in hidden or [])
    return (f'<c:legend><c:legendPos val="{"t" if top else "b"}"/>{entries}'
            f'<c:overlay val="0"/>{_tx_pr()}</c:legend>')


def chart_space(plot: str, legend: str, layout: str = "", blanks: str = "span") -> str:
    """The chart part around a plot; ``blanks``: how a line passes an empty cell ("span"
    joins its neighbours, "gap" breaks the line)."""
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<c:chartSpace {_NS}>'
            '<c:date1904 val="0"/><c:roundedCorners val="0"/><c:chart>'
            f'<c:autoTitleDeleted val="1"/><c:plotArea>{layout or "<c:layout/>"}{plot}'
            f'</c:plotArea>{legend}<c:plotVisOnly val="1"/><c:dispBlanksAs val="{blanks}"/>'
            f"</c:chart>{_tx_pr()}"
            '<c:externalData r:id="rId1"><c:autoUpdate val="0"/></c:externalData>'
            "</c:chartSpace>")


# ====================================================================== line


#: A progression chart's line width (EMU, 2.5 pt), the citizen's line and the dashed guides
#: alike: a guide 2.25 pt wide on a 3.5 pt line ran inside it and could not be seen (the
#: tolerance edge on an amber citizen's line, P-8325ff).
LINE_EMU = 31750


def line_chart(fig: FigureSpec, categories: list[str], cx: int = DEFAULT_CX,
               cy: int = DEFAULT_CY) -> tuple[str, bytes]:
    """A line chart: clinical bands behind the lines as stacked columns without gaps (so
    a band spans the whole plot and the points sit in the middle of their slots, even with
    a single measurement), the series as lines with markers and value labels, the dashed
    guide lines over them (thin and dashed, so both stay visible where they meet),
    reliable-change markers as marker-only series. Without a legend (the citizen's
    progression chart), each band is named on the chart and the cut-off labelled beside
    the band's edge, at places clear of the data (:mod:`outputs.chart_labels`), in a plot
    area laid out by hand for a chart of ``cx`` x ``cy`` EMU. Returns (chart XML,
    workbook)."""
    fmt = NUMBER_FORMAT_CODES[fig.value_format]
    data = Data(categories, fmt)
    n_cat = len(categories)
    y_min = fig.y_min if fig.y_min is not None else 0.0
    layers = band_stack(fig.bands, y_min) if fig.bands else []
    markers = _marker_values(fig)
    show_legend = fig.legend and (bool(layers) or bool(markers) or len(fig.series) > 1)
    direct = not show_legend and (any(b.tone != "normal" for b in fig.bands)
                                  or (fig.cutoff is not None and bool(fig.cutoff_label)))
    geo = plot_box(fig, cx / 12700, cy / 12700) if direct else None
    placed = _reference_places(fig, geo, markers) if geo is not None else {}
    band_sers, hidden = [], []
    stacked = 0.0
    for name, height, band in layers:
        idx, tx = data.add(name, [height] * n_cat)
        colour = None if band is None or band.tone == "normal" else BAND_COLOURS[band.tone]
        if colour is None:
            hidden.append(idx)
        label = ""
        if geo is not None and colour is not None and f"band:{idx}" in placed:
            label = _moved_name_label(placed[f"band:{idx}"], geo, stacked + height / 2, n_cat,
                                      AXIS_GREY)
        stacked += height
        labels = f"<c:dLbls>{label}{show_flags(False)}{NO_LEADER_LINES}</c:dLbls>"
        band_sers.append(f'<c:ser><c:idx val="{idx}"/><c:order val="{idx}"/>{tx}<c:spPr>'
                         f"{fill(colour)}<a:ln><a:noFill/></a:ln></c:spPr>"
                         f'<c:invertIfNegative val="0"/>{labels if label else ""}'
                         f"{data.cat_val(idx)}</c:ser>")
    near_top = (fig.y_max - 0.2 * (fig.y_max - fig.y_min)
                if fig.y_min is not None and fig.y_max is not None else None)
    line_sers = []
    if geo is not None and "cutoff" in placed:  # the cut-off's label (the band is its rule)
        idx, tx = data.add(fig.cutoff_label or "", [fig.cutoff] * n_cat)
        label = _moved_name_label(placed["cutoff"], geo, fig.cutoff, n_cat, INK)
        line_sers.append(
            f'<c:ser><c:idx val="{idx}"/><c:order val="{idx}"/>{tx}<c:spPr><a:ln><a:noFill/>'
            '</a:ln></c:spPr><c:marker><c:symbol val="none"/></c:marker>'
            f"<c:dLbls>{label}{show_flags(False)}{NO_LEADER_LINES}</c:dLbls>"
            f'{data.cat_val(idx)}<c:smooth val="0"/></c:ser>')
    # the citizen's own line first, the dashed guide lines (expected course, edge of its
    # band) over it: thin, dashed and without markers, so a guide that runs along the
    # citizen's line stays visible on it and the citizen's points are not covered by a
    # marker (a red edge marker at the intake read as a deterioration)
    solid_first = sorted(fig.series, key=lambda s: s in fig.dashed_series)
    for ser in solid_first:
        values = fig.values(ser)
        colour = series_colour(fig, ser)
        idx, tx = data.add(ser, values)
        dash = '<a:prstDash val="dash"/>' if ser in fig.dashed_series else ""
        below = "".join(_point_label(i, fmt, LABEL_PT, True, colour, "b")
                        for i, v in enumerate(values)
                        if v is not None and near_top is not None and v >= near_top)
        labels = f"<c:dLbls>{below}{label_body(fmt, LABEL_PT, True, colour, 't')}</c:dLbls>"
        if ser in fig.unlabelled_series:
            labels = f"<c:dLbls>{show_flags(False)}</c:dLbls>"
        if dash:  # as wide as the citizen's line: a guide on it covers it dash by dash
            line = f'<a:ln w="{LINE_EMU}" cap="rnd">{fill(colour)}{dash}<a:round/></a:ln>'
            marker = '<c:marker><c:symbol val="none"/></c:marker>'
        else:
            line = f'<a:ln w="{LINE_EMU}" cap="rnd">{fill(colour)}<a:round/></a:ln>'
            marker = (f'<c:marker><c:symbol val="circle"/><c:size val="11"/><c:spPr>'
                      f'{fill(colour)}<a:ln>{fill(colour)}</a:ln></c:spPr></c:marker>')
        line_sers.append(
            f'<c:ser><c:idx val="{idx}"/><c:order val="{idx}"/>{tx}<c:spPr>{line}</c:spPr>'
            f'{marker}{labels}{data.cat_val(idx)}<c:smooth val="0"/></c:ser>')
    for kind, values in markers:
        idx, tx = data.add(fig_marker_label(fig, kind), values)
        if kind == "flagged":  # a ring around a flagged measurement
            look = (f'<c:symbol val="circle"/><c:size val="26"/><c:spPr>'
                    f'<a:noFill/><a:ln w="38100">{fill(FLAG_COLOUR)}</a:ln></c:spPr>')
        else:
            symbol = "triangle" if kind == "improved" else "diamond"
            look = (f'<c:symbol val="{symbol}"/><c:size val="20"/><c:spPr>'
                    f'{fill(MARKER_COLOURS[kind])}<a:ln>{fill(WHITE)}</a:ln></c:spPr>')
        line_sers.append(
            f'<c:ser><c:idx val="{idx}"/><c:order val="{idx}"/>{tx}<c:spPr><a:ln><a:noFill/>'
            f'</a:ln></c:spPr><c:marker>{look}</c:marker>'
            f'{data.cat_val(idx)}<c:smooth val="0"/></c:ser>')
    axes_ids = f'<c:axId val="{CAT_AX}"/><c:axId val="{VAL_AX}"/>'
    plot = ""
    if band_sers:
        plot += ('<c:barChart><c:barDir val="col"/><c:grouping val="stacked"/>'
                 f'<c:varyColors val="0"/>{"".join(band_sers)}<c:gapWidth val="0"/>'
                 f'<c:overlap val="100"/>{axes_ids}</c:barChart>')
    plot += ('<c:lineChart><c:grouping val="standard"/><c:varyColors val="0"/>'
             f'{"".join(line_sers)}<c:marker val="1"/>{axes_ids}</c:lineChart>')
    plot += axes_xml(fig, y_title=geo.title_lines if geo is not None else None)
    layout = inner_layout(*geo.layout()) if geo is not None else ""
    return (chart_space(plot, legend_xml(hidden) if show_legend else "", layout),
            data.xlsx())


def _marker_values(fig: FigureSpec) -> list[tuple[str, list[float | None]]]:
    """The marker-only series: reliable improvement, deterioration, flagged (a ring), each
    with its value at the categories it marks."""
    out = []
    for kind in ("improved", "deteriorated", "flagged"):
        values = []
        for cat in fig.categories:
            hit = [c for c in fig.cells if c.category == cat
                   and (c.flagged if kind == "flagged" else c.marker == kind)]
            values.append(hit[0].value if hit else None)
        if any(v is not None for v in values):
            out.append((kind, values))
    return out


def _reference_places(fig: FigureSpec, geo: Geometry,
                      markers: list[tuple[str, list[float | None]]]) -> dict[str, Rect]:
    """Where the band names and the cut-off's label go (keys ``band:<series index>`` and
    ``cutoff``), clear of the lines, points and value labels."""
    layers = band_stack(fig.bands, fig.y_min if fig.y_min is not None else 0.0)
    labels: list[RefLabel] = []
    stacked = 0.0
    for idx, (_name, height, band) in enumerate(layers):
        if band is not None and band.tone != "normal":
            labels.append(RefLabel(f"band:{idx}", band.label, stacked, stacked + height))
        stacked += height
    if fig.cutoff is not None and fig.cutoff_label:
        # beside the band's edge, on the unshaded side first (the band's name is inside)
        shaded_above = any(b.tone != "normal" and b.low >= fig.cutoff - 1e-9 for b in fig.bands)
        labels.insert(0, RefLabel("cutoff", fig.cutoff_label, fig.cutoff, fig.cutoff,
                                  "below" if shaded_above else "above"))
    solid = [s for s in fig.series if s not in fig.dashed_series]
    marked = sorted({i for _k, values in markers for i, v in enumerate(values)
                     if v is not None})
    blocked = obstacles(fig, geo, solid, list(fig.dashed_series), marked)
    return place_labels(labels, geo, blocked)


def _moved_name_label(box: Rect, geo: Geometry, anchor_value: float, n_cat: int,
                      colour: str) -> str:
    """A data label showing its series' name, moved from its anchor (centred on the value
    ``anchor_value`` at the nearer end category) to the middle of ``box``."""
    mid_x, mid_y = (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2
    at = 0 if mid_x < geo.left + geo.w / 2 else n_cat - 1
    dx = (mid_x - geo.x(at)) / geo.width
    dy = (mid_y - geo.y(anchor_value)) / geo.height
    body = label_body("General", MIN_PT, False, colour, "ctr", wrap=False).replace(
        show_flags(True), show_flags(False, name=True))
    return (f'<c:dLbl><c:idx val="{at}"/><c:layout><c:manualLayout><c:x val="{dx:.4f}"/>'
            f'<c:y val="{dy:.4f}"/></c:manualLayout></c:layout>{body}</c:dLbl>')


# ====================================================================== bars


def wrap_label(text: str, width: int) -> str:
    """``text`` broken into lines of at most ``width`` characters: at spaces, and after a
    hyphen inside a word that is longer than a line ("forældre-barn-" / "samspil"). A
    longer piece keeps its own line."""
    lines: list[str] = []
    for para in text.split("\n"):
        current = ""
        for word in para.split():
            pieces = [word]
            if len(word) > width and "-" in word.strip("-"):
                parts = word.split("-")
                pieces = [part + "-" for part in parts[:-1]] + [parts[-1]]
            for i, piece in enumerate(pieces):
                sep = " " if i == 0 else ""  # hyphen pieces join without a space
                if current and len(current) + len(sep) + len(piece) > width:
                    lines.append(current)
                    current = piece
                else:
                    current = f"{current}{sep}{piece}" if current else piece
        lines.append(current)
    return "\n".join(lines)


def inner_layout(x: float, y: float, w: float, h: float) -> str:
    """A plot area placed by hand (shares of the chart's width and height)."""
    return ('<c:layout><c:manualLayout><c:layoutTarget val="inner"/><c:xMode val="edge"/>'
            f'<c:yMode val="edge"/><c:x val="{x:.4f}"/><c:y val="{y:.4f}"/>'
            f'<c:w val="{w:.4f}"/><c:h val="{h:.4f}"/></c:manualLayout></c:layout>')


def _bar_box(categories: list[str], cx: int, cy: int, legend: list[str], axis_title: bool,
             right_pt: float = 30.0) -> tuple[float, float, float, float]:
    """The inner plot area for horizontal bars (x, y, w, h as shares of the chart): room on
    the left for the longest category line (so no renderer clips the labels), on the right
    for a value label (``right_pt``) and below for the value axis, its title and the legend
    (``legend``: its entries, an estimate of its rows)."""
    width_pt, height_pt = cx / 12700, cy / 12700
    longest = max((len(line) for c in categories for line in c.split("\n")), default=4)
    left = min((longest * MIN_PT * CHAR_W + 14) / width_pt, 0.55)
    legend_w = sum(len(name) * MIN_PT * CHAR_W + 30 for name in legend)
    legend_rows = math.ceil(legend_w / (width_pt * 0.85)) if legend else 0
    bottom_pt = 26 + (26 if axis_title else 0) + 24 * legend_rows + (6 if legend else 0)
    top, right = 8 / height_pt, right_pt / width_pt
    return left, top, 1 - left - right, max(1 - top - bottom_pt / height_pt, 0.3)


#: A data-label list's extension: no leader line from a label moved by hand to its point.
NO_LEADER_LINES = ('<c:extLst><c:ext uri="{CE6537A1-D6FC-4f65-9D91-7224C49458BB}" '
                   'xmlns:c15="http://schemas.microsoft.com/office/drawing/2012/chart">'
                   '<c15:showLeaderLines val="0"/></c:ext></c:extLst>')


def _num_lit(values: list[float | None], fmt: str) -> str:
    pts = "".join(f'<c:pt idx="{i}"><c:v>{_num(v)}</c:v></c:pt>'
                  for i, v in enumerate(values) if v is not None)
    return (f"<c:numLit><c:formatCode>{escape(fmt)}</c:formatCode>"
            f'<c:ptCount val="{len(values)}"/>{pts}</c:numLit>')


def interval_bars(fig: FigureSpec, ser: str, fmt: str) -> str:
    """Whiskers for the cells' intervals (``Cell.low`` / ``Cell.high``, e.g. a 95 %
    interval): custom error bars of the distances to the interval's ends. A hidden cell
    has no interval, so it has no whisker either."""
    up, down = [], []
    for cat in fig.categories:
        c = fig.cell(cat, ser)
        ok = c is not None and None not in (c.value, c.low, c.high)
        up.append(c.high - c.value if ok else None)
        down.append(c.value - c.low if ok else None)
    if all(v is None for v in up):
        return ""
    return ('<c:errBars><c:errDir val="y"/><c:errBarType val="both"/>'
            '<c:errValType val="cust"/><c:noEndCap val="0"/>'
            f"<c:plus>{_num_lit(up, fmt)}</c:plus><c:minus>{_num_lit(down, fmt)}</c:minus>"
            f'<c:spPr><a:ln w="31750">{fill(AXIS_GREY)}</a:ln></c:spPr></c:errBars>')


def _after_whisker(fig: FigureSpec, ser: str, fmt: str, plot_w: float, cx: int) -> str:
    """Value labels of horizontal bars right of the whisker's end (the interval's high
    end, past its cap), or of the bar's end without an interval; ``plot_w``: the plot's
    share of the chart's width ``cx``."""
    span = ((fig.y_max or 0.0) - (fig.y_min or 0.0)) or 1.0
    cap = 4 / (cx / 12700)
    points = []
    for i, cat in enumerate(fig.categories):
        c = fig.cell(cat, ser)
        if c is None or c.value is None:
            continue
        beyond = c.high - c.value if c.high is not None and c.high > c.value else 0.0
        points.append(f'<c:dLbl><c:idx val="{i}"/><c:layout><c:manualLayout>'
                      f'<c:x val="{beyond / span * plot_w + (cap if beyond else 0):.4f}"/>'
                      '<c:y val="0"/>'
                      f"</c:manualLayout></c:layout>"
                      f"{label_body(fmt, LABEL_PT, True, INK, 'outEnd')}</c:dLbl>")
    return (f"<c:dLbls>{''.join(points)}{label_body(fmt, LABEL_PT, True, INK, 'outEnd')}"
            f"{NO_LEADER_LINES}</c:dLbls>")


def _beside_whisker(values: list[float | None], fmt: str, cx: int, left: bool = False) -> str:
    """Value labels at the bar ends, moved right (``left``: left) of the whisker that runs
    through them."""
    width_pt = cx / 12700
    dx = (2.5 * LABEL_PT * CHAR_W + 8) / width_pt  # half a label of ~5 characters, a gap
    dx = -dx if left else dx
    points = "".join(
        f'<c:dLbl><c:idx val="{i}"/><c:layout><c:manualLayout><c:x val="{dx:.4f}"/>'
        f'<c:y val="0"/></c:manualLayout></c:layout>'
        f"{label_body(fmt, LABEL_PT, True, INK, 'outEnd')}</c:dLbl>"
        for i, v in enumerate(values) if v is not None)
    return (f"<c:dLbls>{points}{label_body(fmt, LABEL_PT, True, INK, 'outEnd')}"
            f"{NO_LEADER_LINES}</c:dLbls>")


def bar_chart(fig: FigureSpec, categories: list[str], cx: int, cy: int) -> tuple[str, bytes]:
    """Clustered or stacked bars (horizontal when ``fig.horizontal``), values written on
    the bars; intervals as whiskers, with the value beside them. Returns (chart XML,
    workbook)."""
    fmt = NUMBER_FORMAT_CODES[fig.value_format]
    if fig.horizontal:
        chars = max(int(0.42 * cx / 12700 / (MIN_PT * CHAR_W)), 8)
        categories = [wrap_label(c, chars) for c in categories]
    data = Data(categories, fmt)
    stacked = fig.chart == "stacked_bar"
    legend = len(fig.series) > 1
    intervals = not stacked and any(c.high is not None for c in fig.cells)
    box = _bar_box(categories, cx, cy, fig.series if legend else [], bool(fig.y_label),
                   right_pt=50.0 if intervals else 30.0) if fig.horizontal else None
    sers = []
    for ser in fig.series:
        values = fig.values(ser)
        colour = series_colour(fig, ser)
        idx, tx = data.add(ser, values)
        whiskers = "" if stacked else interval_bars(fig, ser, fmt)
        if stacked:
            text = WHITE if colour in DARK_FILLS else INK
            axis_pt = box[2] * cx / 12700 if box is not None else None
            points = "".join(_point_label(i, fmt, MIN_PT, True, text, "ctr")
                             for i, v in enumerate(values) if _segment_fits(fig, v, axis_pt))
            labels = f"<c:dLbls>{points}{show_flags(False)}</c:dLbls>"
        elif whiskers and box is not None:
            labels = _after_whisker(fig, ser, fmt, box[2], cx)
        elif whiskers:  # the first of two bars side by side: its label on the outer side
            labels = _beside_whisker(values, fmt, cx, left=idx == 0 and legend)
        else:
            labels = f"<c:dLbls>{label_body(fmt, LABEL_PT, True, INK, 'outEnd')}</c:dLbls>"
        sers.append(f'<c:ser><c:idx val="{idx}"/><c:order val="{idx}"/>{tx}<c:spPr>'
                    f'{fill(colour)}</c:spPr><c:invertIfNegative val="0"/>{labels}'
                    f"{whiskers}{data.cat_val(idx)}</c:ser>")
    plot = (f'<c:barChart><c:barDir val="{"bar" if fig.horizontal else "col"}"/>'
            f'<c:grouping val="{"stacked" if stacked else "clustered"}"/>'
            f'<c:varyColors val="0"/>{"".join(sers)}<c:gapWidth val="60"/>'
            f'<c:overlap val="{100 if stacked else -10}"/>'
            f'<c:axId val="{CAT_AX}"/><c:axId val="{VAL_AX}"/></c:barChart>')
    plot += axes_xml(fig, horizontal=fig.horizontal, reverse=fig.horizontal,
                     y_title=_split_title(fig, cy))
    layout = inner_layout(*box) if box is not None else ""
    return chart_space(plot, legend_xml() if legend else "", layout), data.xlsx()


#: Room a segment's label needs besides its text (points): a little on each side.
SEGMENT_LABEL_PAD_PT = 6.0


def _segment_fits(fig: FigureSpec, value: float | None, axis_pt: float | None) -> bool:
    """Whether a stacked segment of ``value`` has room for its label: on horizontal bars
    (``axis_pt``: the value axis' length in points) the segment's length against the
    label's width in bold :data:`MIN_PT` type; otherwise (no length known) the share of
    the axis (:func:`outputs.charts.segment_labelled`)."""
    if value is None or axis_pt is None:
        return segment_labelled(fig, value)
    span = value_span(fig)
    if span <= 0:
        return False
    length = axis_pt * value / span
    width = len(fmt_value(value, fig.value_format, "da")) * MIN_PT * CHAR_W
    return length >= width + SEGMENT_LABEL_PAD_PT


def _split_title(fig: FigureSpec, cy: int) -> list[str] | None:
    """A vertical value axis' title over two lines when it is longer than the axis."""
    if fig.horizontal or not fig.y_label:
        return None
    title = axis_title(fig.y_label, cy / 12700 - 60)
    return [title] if isinstance(title, str) else title


def add_chart(shapes, fig: FigureSpec, x: int, y: int, cx: int, cy: int):
    """Draw ``fig`` as an editable chart in the box (EMU); returns the graphic frame."""
    if fig.chart == "line":
        xml, xlsx = line_chart(fig, fig.categories, cx, cy)
    elif fig.chart in ("bar", "stacked_bar"):
        xml, xlsx = bar_chart(fig, fig.categories, cx, cy)
    else:
        raise ValueError(f"no native renderer for chart kind {fig.chart!r}")
    return insert_chart(shapes, xml, xlsx, x, y, cx, cy)
