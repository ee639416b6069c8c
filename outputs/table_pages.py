"""A table that grows with the data, split over as many slides as it needs.

A table slide draws its table in the body box and shrinks the font, down to ``MIN_PT``,
until it fits (:func:`outputs.render_tables.draw_table`); past that it ran off the slide.
The QA found the "since last time" table of four citizens with four agreements each (17
rows) showing 6.5 rows, and one 3,600-character agreement pushing the rest off. So a
table built from a list is split here into pages of at most a fixed number of rows
(``ROWS_PER_SLIDE``, the pages as even as can be), titled "… (1/3)", "… (2/3)" ...,
and a cell longer than its column's share of ``CELL_CHARS`` is cut at a word with an
ellipsis (the full text stays where it came from: the agreement register, the export).
When the rows of a page are still too long for the slide at ``MIN_PT``, the renderer
cuts the longest cells further (:func:`outputs.render_tables.cut_to_fit`): short rows
stay whole, long ones share the rest (tests/outputs/test_table_pages.py renders the
worst case).
"""

from __future__ import annotations

from dataclasses import replace

from outputs.spec import SlideSpec, TableSpec

#: Rows of a table on one slide (the header row not counted).
ROWS_PER_SLIDE = 6
#: Characters a cell of the table's widest column keeps; a narrower column keeps its
#: share (relative width / the widest's), at least ``MIN_CELL_CHARS``.
CELL_CHARS = 300
MIN_CELL_CHARS = 40
ELLIPSIS = "…"


def cut_text(text: str, limit: int) -> str:
    """``text`` if it has at most ``limit`` characters, else cut at the last whole word
    that leaves room for the ellipsis (a single long word is cut inside)."""
    text = str(text)
    if len(text) <= limit:
        return text
    head = text[:limit - 1]
    if " " in head.strip() and not text[limit - 1].isspace():
        head = head.rsplit(" ", 1)[0]  # do not end on half a word
    return head.rstrip(" ,.;:–-\n") + ELLIPSIS


def cell_limits(table: TableSpec, cell_chars: int = CELL_CHARS) -> list[int]:
    """Per column: the characters a cell keeps (the widest column ``cell_chars``)."""
    n = len(table.columns)
    rel = table.column_widths or [1.0] * n
    widest = max(rel)
    return [max(int(cell_chars * r / widest), MIN_CELL_CHARS) for r in rel]


def cut_table(table: TableSpec, cell_chars: int = CELL_CHARS) -> TableSpec:
    """The table with every cell cut to its column's limit (:func:`cell_limits`)."""
    limits = cell_limits(table, cell_chars)
    return replace(table, rows=[[cut_text(c, lim) for c, lim in zip(row, limits, strict=True)]
                                for row in table.rows])


def page_title(title: str, page: int, pages: int) -> str:
    """"Siden sidst (1/2)": the page number when there is more than one."""
    return f"{title} ({page}/{pages})" if pages > 1 else title


def table_pages(slide: SlideSpec, rows_per_slide: int = ROWS_PER_SLIDE,
                cell_chars: int = CELL_CHARS) -> list[SlideSpec]:
    """``slide`` with its table cut (:func:`cut_table`) and split over as many slides as
    ``rows_per_slide`` rows per slide need, in order, each titled with its page; a slide
    without a table is returned as it is. The text blocks and notes go on every page."""
    if slide.table is None:
        return [slide]
    table = cut_table(slide.table, cell_chars)
    rows = table.rows
    chunks = balanced(rows, rows_per_slide) or [[]]
    return [replace(slide, title=page_title(slide.title, n, len(chunks)),
                    table=replace(table, rows=chunk))
            for n, chunk in enumerate(chunks, start=1)]


def balanced(items: list, per_slide: int) -> list[list]:
    """``items`` in as few pages of at most ``per_slide`` as they need, the pages as even
    as can be (14 rows by 6: 5, 5, 4, not 6, 6, 2), the longer ones first."""
    pages = -(-len(items) // per_slide)
    if pages == 0:
        return []
    size, extra = divmod(len(items), pages)
    out, start = [], 0
    for n in range(pages):
        end = start + size + (1 if n < extra else 0)
        out.append(items[start:end])
        start = end
    return out


def list_pages(slide: SlideSpec, per_slide: int) -> list[SlideSpec]:
    """A text slide whose first block's bullets grow with the data, split over slides of
    ``per_slide`` bullets each ("… (1/2)"); the other blocks go on the last page."""
    if not slide.blocks or len(slide.blocks[0].bullets) <= per_slide:
        return [slide]
    first, rest = slide.blocks[0], slide.blocks[1:]
    bullets = first.bullets
    chunks = balanced(bullets, per_slide)
    return [replace(slide, title=page_title(slide.title, n, len(chunks)),
                    blocks=[replace(first, bullets=chunk)] + (rest if n == len(chunks) else []))
            for n, chunk in enumerate(chunks, start=1)]
