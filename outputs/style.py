"""The look of the decks: every colour, font and font size the outputs use, in one place.

The template (``outputs/templates/default.pptx``, written by :mod:`outputs.make_template`)
carries the theme; the renderers draw with the same values, so a slide, its charts and
the finance workbook match. Colours are hex ``RRGGBB`` without ``#`` (DrawingML's
``srgbClr`` form); Altair and xlsxwriter get ``"#" + colour``. Only values live here:
no imports, no logic.
"""

from __future__ import annotations

# ====================================================================== colours

#: Body text on slides (paragraphs, table cells, result-map boxes) and the value labels
#: of bar charts (``render_text``, ``render_tables``, ``result_map``, ``charts``,
#: ``native_chart``).
INK = "1A1A1A"
#: Secondary text: section line above a title, subtitles, n notes, "how to read"
#: (``render``, ``render_slides``, ``render_figures``).
MUTED = "595959"
#: The dark blue of the look: titles, headings, table header row, dialogue step heads,
#: result-map column titles and core-element borders, the first chart series, theme
#: colours dk2 and accent1 (``make_template``) and the accent bar.
ACCENT = "1F4E79"
#: Pale blue fill: striped table rows, agreement-sheet questions, dialogue panels,
#: theme colour lt2.
PALE = "EEF3F8"
#: White: text on the accent fill, plain table rows, core-element boxes, the "normal"
#: band of a chart, outline of reliable-change markers.
WHITE = "FFFFFF"
#: Chart axis text and titles, interval whiskers and zero rules (``charts``,
#: ``native_chart``), result-map arrows (``result_map``).
AXIS_GREY = "404040"
#: Chart grid and axis lines.
GRID_GREY = "D0D0D0"
#: Cell borders of the agreement sheet (``render_tables``).
BORDER_GREY = "A6A6A6"
#: The other series colours (with ``ACCENT``, distinguishable in greyscale).
ORANGE = "D9731E"
GREEN = "4E8A3E"
PURPLE = "7B5A8C"
#: A light "previous" series (the citizen pack's last measurement), theme accent5.
LIGHT_BLUE = "9DC3E6"
#: Cut-off rules, "deteriorated" markers, off-track borders, theme accent6.
RED = "B71C1C"
#: "Improved" markers and on-track borders.
DARK_GREEN = "2E7D32"

#: Chart series colours, in order (``charts.series_colour``, both chart renderers).
PALETTE = [ACCENT, ORANGE, GREEN, PURPLE]
#: Clinical bands behind a line chart (``charts``, ``native_chart``): one sequential
#: ramp of a single hue, visibly darker towards the worst band, also in greyscale
#: (grey levels 234 / 202 / 166 of 255), and light enough for the dark blue line and its
#: labels (contrast at least 3.4 : 1 on the darkest).
BAND_COLOURS = {"borderline": "FDE6CF", "clinical": "F5BCA4", "severe": "E0907B",
                "alliance": "DCE6F2", "normal": WHITE}
#: The tones of :data:`BAND_COLOURS` from the mildest to the worst.
BAND_ORDER = ("borderline", "clinical", "severe")
#: Tones of the bands beyond the best one, by how many there are (``common.scale_bands``):
#: one shade per band, so configured bands are never merged on a chart.
BAND_TONES = {1: ("clinical",), 2: ("borderline", "clinical"),
              3: ("borderline", "clinical", "severe")}
#: Reliable-change marker series (``native_chart``; the Altair image uses ``DARK_GREEN``).
MARKER_COLOURS = {"improved": DARK_GREEN, "deteriorated": RED}
#: The ring around a measurement the quality checks flagged (``native_chart``, ``charts``).
FLAG_COLOUR = ORANGE
#: Stacked-bar fills dark enough for white labels (``native_chart``).
DARK_FILLS = ("1B7837", ACCENT, "B2182B", "2166AC")

#: Citizen pack: this measurement against the one before (``citizen_pack``).
LATEST_COLOUR, PREVIOUS_COLOUR = ACCENT, LIGHT_BLUE
#: Intervention pack: this cohort against all citizens (``intervention_pack``).
COHORT_COLOUR, ALL_COLOUR = ACCENT, ORANGE
#: Goal attainment categories, best to worst (``intervention_pack``).
GOAL_COLOURS = {
    "progression_reached": "1B7837",
    "positive_development": "A6DBA0",
    "maintenance_reached": "2166AC",
    "no_development": "BDBDBD",
    "deterioration": "D6604D",
}
#: Leaders' summary (``strategic_pack``): single-series comparison, cost composition,
#: trend lines, and the target group this year against last year (older year first).
COMPARISON_COLOUR = ACCENT
COMPOSITION_COLOURS = {"staff": ACCENT, "fixed": LIGHT_BLUE, "per_course": ORANGE}
LINE_COLOURS = [ACCENT, ORANGE, GREEN, PURPLE, RED, MUTED]
YEAR_COLOURS = [LIGHT_BLUE, ACCENT]

#: Result map (``result_map``): fill and border per status (fill light, border dark;
#: text stays ``INK``), and of a core element.
STATUS_COLOURS: dict[str, tuple[str, str]] = {
    "on_track": ("C8E6C9", DARK_GREEN),
    "watch": ("FFE9A8", "B7791F"),
    "off_track": ("F8C9C4", RED),
    "no_data": ("E6E6E6", "7F7F7F"),
}
CORE_COLOURS = (WHITE, ACCENT)

#: Theme colour scheme of the default template (``make_template``).
THEME_COLOURS = {
    "dk2": ACCENT,  # titles
    "lt2": PALE,
    "accent1": ACCENT,
    "accent2": ORANGE,
    "accent3": GREEN,
    "accent4": PURPLE,
    "accent5": LIGHT_BLUE,
    "accent6": RED,
}

#: Header row fill of the finance workbook's sheets (``strategic_xlsx``).
XLSX_HEAD_FILL = "DDE7F0"

# ====================================================================== fonts

#: Headings and body text of the template theme (``make_template``): wide and legible;
#: LibreOffice substitutes DejaVu Sans, of the same family.
THEME_FONT = "Verdana"
#: Font of the Altair chart images (``charts``): what vl-convert has offline, and close
#: to Verdana.
CHART_FONT = "DejaVu Sans"
#: Font of the bullet glyph in slide text (``render_text``).
BULLET_FONT = "Arial"
#: Font of the small workbook behind a native chart's "Edit data" (``native_chart``).
WORKBOOK_FONT = "Calibri"

# ====================================================================== font sizes (pt)

#: Smallest font anywhere: slide text shrinks no further, chart text and axes, result-map
#: boxes at their smallest (``render_*``, ``charts``, ``native_chart``, ``result_map``).
MIN_PT = 14
#: Value labels on charts (bold; ``charts``, ``native_chart``).
LABEL_PT = 16
#: Small slide text: the section line above a title, the cover's second line, the head
#: above a figure that shares its slide, table text by default, the agreement sheet.
SMALL_PT = 16
#: Text beside a figure or a table starts fitting here; so do dialogue prompts.
SIDE_PT = 18
#: Body text starts fitting here (the template's first body level); also the cover's
#: subtitle, a table alone on its slide and the dialogue step heads.
BODY_PT = 20
#: Slide titles: the template's title style and the largest size the renderer fits a
#: title at, shrinking to ``TITLE_MIN_PT``.
TITLE_PT = 28
TITLE_MIN_PT = 18
#: The title slide's title (largest, smallest).
COVER_TITLE_PT, COVER_TITLE_MIN_PT = 36, 24
#: Result-map box text: the sizes tried, largest first, before ``MIN_PT`` (``result_map``).
MAP_BOX_PTS = (18, 16)
#: Body levels 1-9 of the template (hundredths of a point).
BODY_SIZES = [2000, 1800, 1600, 1400, 1400, 1400, 1400, 1400, 1400]
#: Title of each sheet of the finance workbook (``strategic_xlsx``).
XLSX_TITLE_PT = 13
