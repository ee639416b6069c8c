"""A table that grows with the data is split over slides, and the agreement rows refused
when their file came back are listed after "since last time" (QA: 16 agreements made one
17-row table of which 6.5 rows showed; one 3,600-character agreement pushed the others
off; "2 af 5 aftaler" never mentioned the two refused)."""

from __future__ import annotations

from datetime import date

from pptx import Presentation

from outputs.common import AgreementItem, since_last_slide
from outputs.render import render_deck
from outputs.since_last import RefusedItem, SinceItem, series_since_slides
from outputs.spec import DeckSpec
from outputs.table_pages import ELLIPSIS, ROWS_PER_SLIDE, table_pages

LONG = ("Lang aftale " * 300).strip()  # 3,599 characters


def _items(n: int, long_at: int | None = None) -> list[SinceItem]:
    return [SinceItem(LONG if i == long_at else f"Aftale {i + 1}: ring til netværket",
                      "Anne Leder", date(2026, 11, 30), "done" if i % 4 == 0 else "open",
                      subject=f"P-{i // 4:06d}") for i in range(n)]


def test_sixteen_agreements_go_on_three_slides_titled_by_page() -> None:
    slides = series_since_slides(_items(16), date(2026, 11, 10), date(2026, 11, 24), "da")
    assert [len(s.table.rows) for s in slides] == [6, 5, 5]
    assert all(len(s.table.rows) <= ROWS_PER_SLIDE for s in slides)
    assert [s.title[-5:] for s in slides] == ["(1/3)", "(2/3)", "(3/3)"]
    assert slides[0].title.startswith("Siden sidst: 4 af 16 aftaler fra mødet 10.11.2026")
    texts = [r[1] for s in slides for r in s.table.rows]
    assert texts == [f"Aftale {i + 1}: ring til netværket" for i in range(16)]  # in order


def test_few_agreements_keep_one_slide_without_a_page_number() -> None:
    slides = series_since_slides(_items(5), date(2026, 11, 10), date(2026, 11, 24), "da")
    assert len(slides) == 1 and not slides[0].title.endswith(")")


def test_a_3600_character_agreement_is_cut_with_an_ellipsis() -> None:
    slides = series_since_slides(_items(4, long_at=1), date(2026, 11, 10),
                                 date(2026, 11, 24), "da")
    cell = slides[0].table.rows[1][1]
    assert len(LONG) > 3500 and cell.endswith(ELLIPSIS) and len(cell) <= 300
    assert cell[:-1].endswith(("aftale", "Lang"))  # at a whole word


def test_sixteen_long_agreements_fit_every_slide(tmp_path) -> None:
    """The worst case: every cell long, on the full-width table and beside the prompts."""
    long_items = [SinceItem(LONG, LONG, date(2026, 11, 30), "open", data=LONG,
                            subject="P-8325ff") for _ in range(16)]
    slides = series_since_slides(long_items, date(2026, 11, 10), date(2026, 11, 24), "da")
    slides += table_pages(since_last_slide(
        "P-8325ff: aftaler fra sidste møde",
        [AgreementItem(LONG, LONG, date(2026, 11, 30), "open", data=LONG)] * 16, "da"))
    spec = DeckSpec(title="t", subtitle="", language="da", slides=slides)
    prs = Presentation(str(render_deck(spec, tmp_path / "since.pptx")))
    frames = [sh for s in prs.slides for sh in s.shapes if sh.has_table]
    assert len(frames) == 6
    for frame in frames:
        assert frame.top + frame.height <= prs.slide_height - int(914400 * 0.3) + 1
        assert any(c.text.endswith(ELLIPSIS) for r in list(frame.table.rows)[1:]
                   for c in r.cells)


REFUSED = [
    RefusedItem("borger_familie_nord_2026-11-10_aftaler.xlsx", "række 5",
                ["agreement_date_invalid"],
                ["datoen kan ikke læses (skriv fx 24-11-2026)"], ["1/2"]),
    RefusedItem("borger_familie_nord_2026-11-10_aftaler.xlsx", "række 6",
                ["agreement_owner_missing", "agreement_status_unknown"],
                ["aftalen har ingen ansvarlig (Hvem)",
                 "ukendt status (brug åben, gennemført eller droppet)"], ["", "måske"]),
]


def test_the_refused_rows_of_the_last_meeting_follow_the_table() -> None:
    slides = series_since_slides(_items(5), date(2026, 11, 10), date(2026, 11, 24), "da",
                                 refused=REFUSED)
    assert slides[0].title == ("Siden sidst: 2 af 5 aftaler fra mødet 10.11.2026 er "
                               "gennemført · 2 kunne ikke læses")
    refused = slides[1]
    assert refused.title == "Siden sidst: 2 aftaler fra mødet 10.11.2026 kunne ikke læses"
    assert "borger_familie_nord_2026-11-10_aftaler.xlsx" in refused.blocks[0].heading
    assert refused.blocks[0].bullets == [
        "række 5: datoen kan ikke læses (skriv fx 24-11-2026): »1/2«",
        "række 6: aftalen har ingen ansvarlig (Hvem); ukendt status (brug åben, gennemført "
        "eller droppet): »måske«",
    ]
    assert "indbakken igen" in refused.blocks[1].paragraph


def test_only_refused_rows_are_not_called_none_came_back() -> None:
    other = RefusedItem("b.pptx", "dias 12, række 2", ["agreement_course_cpr"],
                        ["forløbet er et CPR-nummer (skjult her)"], ["[CPR]"])
    slides = series_since_slides([], date(2026, 11, 10), date(2026, 11, 24), "da",
                                 refused=[REFUSED[0], other])
    assert len(slides) == 1
    text = "\n".join(slides[0].blocks[0].bullets)
    assert "b.pptx, dias 12, række 2: forløbet er et CPR-nummer (skjult her)" in text
    assert slides[0].kind == "text" and "kunne ikke læses" in slides[0].title


def test_a_cpr_number_in_a_refused_value_is_masked_and_english_reads_the_rule() -> None:
    item = RefusedItem("reg_aftaler.xlsx", "række 4", ["agreement_status_unknown"],
                       ["ukendt status"], ["ring 010190-1234"])
    slides = series_since_slides([], None, date(2026, 11, 24), "en", refused=[item],
                                 refused_on=date(2026, 11, 10))
    line = slides[0].blocks[0].bullets[0]
    assert "010190-1234" not in line and "row 4: unknown status" in line
    assert slides[0].title.startswith("Since last time: 1 agreement")


def test_a_hand_made_quarantine_row_reaches_the_slide_through_the_mart() -> None:
    import duckdb

    from outputs.gather import _refused
    from transforms.build import SQL_DIR
    from transforms.schema import ensure_schema

    con = duckdb.connect()
    ensure_schema(con)
    con.execute(
        "insert into staging.quarantine values ('agreements:borger_familie_nord:2026-11-10',"
        " 'agreement_register', 'borger_familie_nord_2026-11-10_aftaler.xlsx', null,"
        " 'agreements', 4, null, 'Senest', 'næste uge', 'agreement_date_invalid',"
        " 'række 8: datoen kan ikke læses (skriv fx 24-11-2026)', current_timestamp)")
    mart = (SQL_DIR / "marts" / "mart_refused_agreements.sql").read_text("utf-8")
    con.execute(f"create table mart_refused_agreements as {mart}")
    refused = _refused(con, "borger_familie_nord", date(2026, 11, 24), None)
    assert [on for on, _item in refused] == [date(2026, 11, 10)]
    slides = series_since_slides([], date(2026, 11, 10), date(2026, 11, 24), "da",
                                 refused=[item for _on, item in refused])
    assert slides[0].title == "Siden sidst: 1 aftale fra mødet 10.11.2026 kunne ikke læses"
    assert slides[0].blocks[0].bullets == [
        "række 8: datoen kan ikke læses (skriv fx 24-11-2026): »næste uge«"]
    assert _refused(con, "borger_familie_nord", date(2026, 11, 10), None) == []
