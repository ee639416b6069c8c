"""Deck specification: what is on each slide, as plain data, before any rendering.

A builder (``outputs.citizen_pack``, ``outputs.intervention_pack``) turns a pack's data
object into a :class:`DeckSpec`; ``outputs.render`` draws it onto a template. Tests read
the spec (titles, numbers, hidden cells) and the rendered file's structure.

Numbers stay numbers here (``Cell.value``); formatting for the language happens in the
renderer and in ``outputs.fmt``. A cell hidden for privacy has ``suppressed=True`` and
``value=None``: its number never enters the spec, so it can never reach a slide or a
chart's embedded workbook.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

ChartKind = Literal["line", "bar", "stacked_bar", "dot"]
RenderMode = Literal["native", "image"]
ValueFormat = Literal["int", "dec1", "pct"]
Status = Literal["on_track", "watch", "off_track", "no_data"]
Trend = Literal["up", "down", "flat"]
SlideKind = Literal[
    "title",
    "text",
    "figure",
    "figures",
    "table",
    "result_map",
    "agreement_sheet",
    "dialogue",
]


@dataclass(frozen=True)
class Cell:
    """One number behind a figure: a category (x), a series, its value and its n."""

    category: str
    series: str
    value: float | None
    n: int | None = None
    suppressed: bool = False  # hidden for privacy: shown as "<k", value is None
    marker: Literal["improved", "deteriorated"] | None = None  # reliable change at this point
    flagged: bool = False  # the quality checks flagged this measurement (drawn ringed)
    label: str | None = None  # optional text instead of the number (e.g. a band name)
    low: float | None = None  # lower end of an interval around the value (e.g. 95 % CI)
    high: float | None = None  # upper end of that interval

    def __post_init__(self) -> None:
        if self.suppressed and (self.value is not None or self.low is not None
                                or self.high is not None):
            raise ValueError("a suppressed cell must not carry its value")


@dataclass(frozen=True)
class Band:
    """A shaded score range behind a chart (clinical side of a cut-off, an SDQ band ...)."""

    low: float
    high: float
    label: str
    tone: Literal["severe", "clinical", "borderline", "alliance", "normal"] = "clinical"


@dataclass
class FigureSpec:
    """A chart and the table of numbers behind it."""

    id: str
    chart: ChartKind
    title: str  # states the finding, not the topic
    x_label: str
    y_label: str
    categories: list[str]  # x order (or bar order)
    series: list[str]  # series order (legend order)
    cells: list[Cell]
    how_to_read: str  # "Sådan læses figuren"
    render: RenderMode = "native"
    value_format: ValueFormat = "dec1"
    y_min: float | None = None
    y_max: float | None = None
    cutoff: float | None = None  # drawn as a labelled line (and a band when bands are given)
    cutoff_label: str | None = None
    bands: list[Band] = field(default_factory=list)
    n_note: str = ""  # e.g. "n = 4 målinger" or "n = 23 forløb"
    suppressed_note: str = ""  # e.g. "<5: færre end 5 borgere, tallet vises ikke"
    dashed_series: list[str] = field(default_factory=list)  # drawn dashed (e.g. "all citizens")
    horizontal: bool = False  # bars run left to right (long category names)
    series_colours: dict[str, str] = field(default_factory=dict)  # series -> hex "RRGGBB"
    marker_labels: dict[str, str] = field(default_factory=dict)  # improved/deteriorated -> legend
    label_last_only: bool = False  # value labels only at each series' last point (many lines)
    unlabelled_series: list[str] = field(default_factory=list)  # drawn without value labels
    #: native line chart with each line named at its right end and the cut-off as a
    #: dashed series (outputs.native_lines); else the course chart with a legend below
    direct_labels: bool = False
    #: a native line breaks at an empty (hidden or missing) cell instead of spanning it
    gaps: bool = False
    #: a legend (the course chart's, below the plot); False when "how to read" names every
    #: line, band and marker (a half-width chart's legend took most of its height)
    legend: bool = True
    #: the interventions (ids) whose numbers the figure shows, when a deck shows several
    #: (the leaders' summary); None: not said (the deck's own scope). Only the site reads
    #: it: a failing row of another intervention cannot change the figure.
    interventions: tuple[str, ...] | None = None

    def cell(self, category: str, series: str) -> Cell | None:
        for c in self.cells:
            if c.category == category and c.series == series:
                return c
        return None

    def values(self, series: str) -> list[float | None]:
        """The series' values in category order (None where missing or hidden)."""
        out: list[float | None] = []
        for cat in self.categories:
            c = self.cell(cat, series)
            out.append(None if c is None else c.value)
        return out


@dataclass(frozen=True)
class MapNode:
    """A box of the result map."""

    id: str
    label: str
    kind: Literal["core_element", "result"]
    term: Literal["short", "medium", "long"] | None = None
    indicator: str = ""  # what measures it, e.g. "ORS, gns. ændring"
    value_text: str = ""  # formatted indicator value, e.g. "+4,2 point" or "<5"
    n: int | None = None
    #: what the value covers, after n: "i kvartalet" (a quarter's share) or
    #: "alle forløb" (a mean change or goals over every course in the data)
    period: str = ""
    trend: Trend | None = None
    status: Status = "no_data"


@dataclass(frozen=True)
class MapLink:
    source: str
    target: str


@dataclass
class ResultMapSpec:
    nodes: list[MapNode]
    links: list[MapLink]
    column_titles: dict[str, str]  # core_element/short/medium/long -> heading
    legend: dict[str, str]  # status -> label
    trend_words: dict[str, str] = field(default_factory=dict)  # up/down/flat -> screen-reader text


@dataclass
class TableSpec:
    """A plain text table (already formatted cells)."""

    columns: list[str]
    rows: list[list[str]]
    column_widths: list[float] | None = None  # relative widths


@dataclass
class TextBlock:
    heading: str = ""
    bullets: list[str] = field(default_factory=list)
    paragraph: str = ""


@dataclass
class AgreementSheetSpec:
    """The sheet to fill in at the meeting: one row per heading, blank answer column."""

    headings: list[str]
    subject: str = ""  # whom the agreements concern (pseudonym / intervention)
    #: The editable agreement table (datadialog.agreement_form): its column headings,
    #: and the meeting key line under it that ties a returned deck to its meeting.
    #: Empty ``columns``: the question-and-answer sheet only (leaders' summary).
    columns: list[str] = field(default_factory=list)
    key: str = ""
    row_subject: str = ""  # written in the first cell of each row (short: a long one wraps)


@dataclass
class DialogueStep:
    number: int
    name: str
    prompts: list[str]


@dataclass
class SlideSpec:
    kind: SlideKind
    title: str
    subtitle: str = ""
    blocks: list[TextBlock] = field(default_factory=list)
    figures: list[FigureSpec] = field(default_factory=list)
    table: TableSpec | None = None
    result_map: ResultMapSpec | None = None
    agreement_sheet: AgreementSheetSpec | None = None
    steps: list[DialogueStep] = field(default_factory=list)
    notes: str = ""
    section: str = ""  # e.g. the citizen's pseudonym, shown small above the title area


@dataclass(frozen=True)
class QualityBadge:
    """The data-quality badge on every slide that shows data: completeness and
    timeliness of the deck's scope in the latest quality run (the site's numbers; None:
    nothing was due) and the date the data are as of."""

    completeness: float | None
    timeliness: float | None
    as_of: date


@dataclass
class DeckSpec:
    title: str
    subtitle: str
    language: Literal["da", "en"]
    slides: list[SlideSpec]
    caveats: list[str] = field(default_factory=list)
    footer: str = ""  # e.g. organisation name and date, on every slide
    quality_badge: QualityBadge | None = None  # drawn on every slide that shows data

    def figures(self) -> list[FigureSpec]:
        return [f for s in self.slides for f in s.figures]

    def all_text(self) -> str:
        """Every string in the spec, joined (for privacy checks in tests)."""
        parts: list[str] = [self.title, self.subtitle, self.footer, *self.caveats]
        for s in self.slides:
            parts += [s.title, s.subtitle, s.notes, s.section]
            for b in s.blocks:
                parts += [b.heading, b.paragraph, *b.bullets]
            for f in s.figures:
                parts += [f.title, f.x_label, f.y_label, f.how_to_read, f.n_note]
                parts += [*f.categories, *f.series]
                parts += [c.label or "" for c in f.cells]
            if s.table:
                parts += s.table.columns + [x for r in s.table.rows for x in r]
            if s.result_map:
                parts += [f"{n.label} {n.indicator} {n.value_text}" for n in s.result_map.nodes]
            if s.agreement_sheet:
                parts += [*s.agreement_sheet.headings, s.agreement_sheet.subject,
                          *s.agreement_sheet.columns, s.agreement_sheet.key,
                          s.agreement_sheet.row_subject]
            for st in s.steps:
                parts += [st.name, *st.prompts]
        return "\n".join(p for p in parts if p)
