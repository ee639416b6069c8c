"""Every slide's text from a written .pptx, as plain data.

A slide's text is its text frames (group shapes opened), the cells of its tables, and
of each native chart its title, categories, series names and values. Pictures (charts
drawn as images) carry no text; the slide title above them does.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE


@dataclass(frozen=True)
class ChartText:
    """A native chart as the slide shows it."""

    title: str
    categories: tuple[str, ...]
    series: tuple[tuple[str, tuple[float | None, ...]], ...]  # (name, values per category)

    def values(self, series: str) -> tuple[float | None, ...]:
        return next(v for name, v in self.series if name == series)


@dataclass(frozen=True)
class SlideText:
    """One slide: its number, title frame, other text frames, tables and charts."""

    file: str
    number: int  # 1-based
    title: str  # the title placeholder's text ("section\ntitle" on figure slides)
    frames: tuple[str, ...]  # every other text frame, in shape order
    tables: tuple[tuple[tuple[str, ...], ...], ...]
    charts: tuple[ChartText, ...]
    # the frames, with each chart's place among them: [("text", i) | ("chart", i)]
    order: tuple[tuple[str, int], ...] = ()

    @property
    def headline(self) -> str:
        """The title's last line (the finding; the first line is the section)."""
        return self.title.splitlines()[-1] if self.title else ""

    @property
    def section(self) -> str:
        lines = self.title.splitlines()
        return lines[0] if len(lines) > 1 else ""

    def lines(self) -> list[str]:
        """Every line of text on the slide: title, frames, table cells, chart texts."""
        out = self.title.splitlines()
        for frame in self.frames:
            out.extend(frame.splitlines())
        for table in self.tables:
            out.extend(cell for row in table for cell in row if cell)
        for chart in self.charts:
            out.extend([chart.title, *chart.categories, *(name for name, _ in chart.series)])
        return [line for line in out if line.strip()]

    def frame_after_chart(self, chart_index: int) -> str:
        """The text frame that follows a chart (its n note and "how to read")."""
        seen = False
        for kind, i in self.order:
            if kind == "chart" and i == chart_index:
                seen = True
            elif seen and kind == "text":
                return self.frames[i]
        return ""

    def frame_before_chart(self, chart_index: int) -> str:
        """The text frame just above a chart (its small title on citizen slides)."""
        last = ""
        for kind, i in self.order:
            if kind == "chart" and i == chart_index:
                return last
            if kind == "text":
                last = self.frames[i]
        return ""


def _plain(text: str) -> str:
    """Text with no-break spaces as spaces ("57\u00a0%" reads as "57 %")."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def _chart(shape) -> ChartText:
    chart = shape.chart
    title = _plain(chart.chart_title.text_frame.text) if chart.has_title else ""
    plot = chart.plots[0] if len(chart.plots) else None
    categories = tuple(_plain(str(c)) for c in plot.categories) if plot is not None else ()
    series = tuple((_plain(s.name), tuple(s.values)) for p in chart.plots for s in p.series)
    return ChartText(title, categories, series)


def _walk(shapes):
    for shape in shapes:
        if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
            yield from _walk(shape.shapes)
        else:
            yield shape


def read_slide(file: str, number: int, slide) -> SlideText:
    title_shape = slide.shapes.title
    title = _plain(title_shape.text_frame.text) if title_shape is not None else ""
    frames: list[str] = []
    tables: list[tuple[tuple[str, ...], ...]] = []
    charts: list[ChartText] = []
    order: list[tuple[str, int]] = []
    for shape in _walk(slide.shapes):
        if title_shape is not None and shape.shape_id == title_shape.shape_id:
            continue
        if getattr(shape, "has_chart", False) and shape.has_chart:
            order.append(("chart", len(charts)))
            charts.append(_chart(shape))
        elif getattr(shape, "has_table", False) and shape.has_table:
            tables.append(tuple(tuple(_plain(c.text) for c in row.cells)
                                for row in shape.table.rows))
        elif shape.has_text_frame and shape.text_frame.text.strip():
            order.append(("text", len(frames)))
            frames.append(_plain(shape.text_frame.text))
    return SlideText(file, number, title, tuple(frames), tuple(tables), tuple(charts),
                     tuple(order))


def read_deck(path: str | Path) -> list[SlideText]:
    """Every slide of a written deck, in order."""
    prs = Presentation(str(path))
    name = Path(path).name
    return [read_slide(name, i, slide) for i, slide in enumerate(prs.slides, start=1)]
