"""Rendered .pptx files: structure, charts, result map shapes, templates, privacy."""

from __future__ import annotations

import io
import re
import time
import zipfile
from datetime import date
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.oxml.ns import qn
from pptx.util import Inches

from datadialog.config_load import load_config
from datadialog.privacy import CPR_PATTERN
from outputs.citizen_pack import build_citizen_deck
from outputs.common import AgreementItem, DeckOptions, ScaleInfo
from outputs.intervention_pack import build_intervention_deck
from outputs.make_template import build_template
from outputs.pptx_xml import ZIP_TIME, save_package
from outputs.render import render_deck
from tests.support.deck_samples import sample_citizen_pack, sample_intervention_pack

DA = DeckOptions(language="da", organisation="Demo Kommune")


@pytest.fixture(scope="module")
def config():
    return load_config()


@pytest.fixture(scope="module")
def citizen(tmp_path_factory):
    data = sample_citizen_pack(2)
    # a CPR number typed into free text must not survive into the file
    data.citizens[0].agreements.append(
        AgreementItem("Ring til 010190-1234 om mødet", "Bo Hansen", date(2026, 3, 10), "open"))
    data.citizens[0].goals[0].description = "Mål aftalt med 0101901234 (mor)"
    spec = build_citizen_deck(data, DA)
    path = render_deck(spec, tmp_path_factory.mktemp("c") / "citizen.pptx")
    return spec, path


@pytest.fixture(scope="module")
def intervention(tmp_path_factory, config):
    spec = build_intervention_deck(sample_intervention_pack(config), DA)
    path = render_deck(spec, tmp_path_factory.mktemp("i") / "intervention.pptx")
    return spec, path


def _xml_parts(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n).decode("utf-8") for n in z.namelist()
                if n.endswith(".xml") or n.endswith(".rels")}


def _charts(prs):
    for slide_no, slide in enumerate(prs.slides, start=1):
        for shape in slide.shapes:
            if shape.has_chart:
                yield slide_no, shape.chart


def test_citizen_file_structure(citizen) -> None:
    spec, path = citizen
    prs = Presentation(str(path))
    assert len(prs.slides) == len(spec.slides)
    assert (prs.slide_width, prs.slide_height) == (12192000, 6858000)  # 16:9
    titles = [s.shapes.title.text_frame.text for s in prs.slides if s.shapes.title is not None]
    assert titles[0] == "Borgerrettet refleksionsmøde"
    assert titles[3] == "Trin 1: Siden sidst\nSiden sidst"  # the meeting's, none returned
    assert titles[4] == ("P-3fa2c4 · Trin 1: Siden sidst\n"
                         "P-3fa2c4: aftaler fra sidste møde")
    charts = list(_charts(prs))
    # per citizen: ORS, SRS, SDQ progression + KiK bars
    assert len(charts) == 8
    assert not any(s.shape_type == 13 for sl in prs.slides for s in sl.shapes)  # no pictures


def test_native_progression_chart_has_band_line_and_markers(citizen) -> None:
    _spec, path = citizen
    prs = Presentation(str(path))
    _slide, chart = next(_charts(prs))
    kinds = [type(p).__name__ for p in chart.plots]
    assert kinds == ["BarPlot", "LinePlot"]  # the band: stacked columns without gaps
    band = chart.plots[0].series[0]
    assert band.name == "Klinisk område" and list(band.values) == [25.0, 25.0, 25.0]
    line = chart.plots[1]
    # the cut-off first: no line of its own (the band's edge is its rule), only its label
    assert [s.name for s in line.series] == ["Grænseværdi 25", "Score", "Pålidelig bedring"]
    assert list(line.series[0].values) == [25.0, 25.0, 25.0]
    assert list(line.series[1].values) == [18.0, 22.0, 29.0]
    assert list(line.series[2].values) == [None, None, 29.0]
    named = [s.name for s in [band, *line.series]
             if s._element.find(".//" + qn("c:showSerName")) is not None
             and s._element.find(".//" + qn("c:showSerName")).get("val") == "1"]
    assert named == ["Klinisk område", "Grænseværdi 25"]  # both written on the chart
    assert chart.value_axis.minimum_scale == 0 and chart.value_axis.maximum_scale == 40
    cats = list(chart.plots[1].categories)
    assert cats == ["Start\n03.09.25", "Midtvejs\n02.12.25", "Slut\n24.02.26"]


def test_no_cpr_anywhere_in_the_file(citizen, intervention) -> None:
    for _spec, path in (citizen, intervention):
        for name, xml in _xml_parts(path).items():
            assert not CPR_PATTERN.search(xml), name
    text = "".join(_xml_parts(citizen[1]).values())
    assert "Ring til [CPR] om mødet" in text
    assert "Mål aftalt med [CPR] (mor)" in text


def test_fonts_at_least_14pt(citizen, intervention) -> None:
    for _spec, path in (citizen, intervention):
        for name, xml in _xml_parts(path).items():
            if not (name.startswith("ppt/slides/slide") or name.startswith("ppt/charts/")):
                continue
            sizes = [int(s) for s in re.findall(r'<a:(?:rPr|defRPr|endParaRPr)[^>]*\ssz="(\d+)"',
                                                 xml)]
            assert all(s >= 1400 for s in sizes), (name, sorted(set(sizes))[:3])


def test_intervention_charts_are_all_native(intervention) -> None:
    spec, path = intervention
    prs = Presentation(str(path))
    assert len(prs.slides) == len(spec.slides)
    charts = list(_charts(prs))
    # target group, goal attainment, progression, two comparisons, fidelity
    assert len(charts) == 6
    _n, target = charts[0]
    assert [s.name for s in target.plots[0].series] == ["2025", "2026"]
    assert list(target.plots[0].series[1].values) == [23.1, None]  # hidden cell stays empty
    _n, goals = charts[1]
    assert [round(v, 1) if v is not None else None for v in goals.plots[0].series[0].values] == [
        23.1, 40.0, None]
    assert list(goals.plots[0].categories)[2] == "Socialt netværk (n <5)"
    _n, progression = charts[2]
    assert [(s.name, list(s.values)) for s in progression.plots[0].series] == [
        ("Samme borgere (n = 11)", [22.5, 15.2, 16.8]),
        ("Alle målte borgere", [22.9, 15.9, None]),  # follow-up 12 m: n = 4, hidden
    ]
    assert list(progression.plots[0].categories)[2] == "Opf. 12 mdr.\n(n <5)"
    _n, ages = charts[4]
    assert [(s.name, list(s.values)) for s in ages.plots[0].series] == [
        ("14-15 år (n = 6)", [21.0, 12.5, 15.0]), ("16-17 år (n = 5)", [23.0, 17.5, None])]
    _n, fidelity = charts[5]
    assert list(fidelity.plots[0].series[0].values) == [None, 4.1, 8.3]  # low level hidden
    assert not [s for sl in prs.slides for s in sl.shapes if s.shape_type == 13]  # no pictures
    notes = [s.notes_slide.notes_text_frame.text for s in prs.slides if s.has_notes_slide]
    assert any("Sådan læses figuren" in n and "Tallene bag figuren" in n for n in notes)
    assert any("Opf. 12 mdr. (n <5) · Alle målte borgere: <5" in n for n in notes)


def test_embedded_workbooks_hold_no_hidden_numbers(intervention) -> None:
    from openpyxl import load_workbook

    _spec, path = intervention
    prs = Presentation(str(path))
    for _n, chart in _charts(prs):
        wb = load_workbook(_xlsx(chart))
        cells = [c.value for row in wb.active.iter_rows() for c in row]
        # the hidden target-group cell (2026, girls, n = 3) must not be in the sheet
        assert 3 not in cells and "3" not in cells


def _xlsx(chart):
    import io

    return io.BytesIO(chart.part.chart_workbook.xlsx_part.blob)


def test_result_map_shapes_match_change_theory(config, tmp_path) -> None:
    covered = 0
    for intervention in config.interventions:
        spec = build_intervention_deck(sample_intervention_pack(config, intervention.id), DA)
        only_map = [s for s in spec.slides if s.kind == "result_map"]
        spec.slides = only_map
        path = render_deck(spec, tmp_path / f"{intervention.id}.pptx")
        slide = Presentation(str(path)).slides[0]
        shapes = {s.name: s for s in slide.shapes}
        nodes = {n: s for n, s in shapes.items() if n.startswith("node:")}
        theory = intervention.result_map
        assert sorted(nodes) == sorted(f"node:{n.id}" for n in theory.nodes)
        connectors = [s for s in slide.shapes if s.shape_type == 9 or s.name.startswith("link:")]
        assert len(connectors) == len(theory.links)
        ids = {s.shape_id: n.removeprefix("node:") for n, s in nodes.items()}
        ends = set()
        for c in connectors:
            cxn = c._element.find(qn("p:nvCxnSpPr")).find(qn("p:cNvCxnSpPr"))
            start, end = cxn.find(qn("a:stCxn")), cxn.find(qn("a:endCxn"))
            ends.add((ids[int(start.get("id"))], ids[int(end.get("id"))]))
            tail = c._element.spPr.find(qn("a:ln")).find(qn("a:tailEnd"))
            assert tail.get("type") == "triangle"
        assert ends == {(x.source, x.target) for x in theory.links}
        # core elements sit left of every result box
        core_right = max(s.left + s.width for n, s in nodes.items() if n.startswith("node:ke_"))
        result_left = min(s.left for n, s in nodes.items() if n.startswith("node:r_"))
        assert core_right < result_left
        legend = [n for n in shapes if n.startswith("legend:")]
        assert len(legend) == 4
        # a box with a value says what it covers (the quarter, or every course)
        for node in theory.nodes:
            text = nodes[f"node:{node.id}"].text_frame.text
            if node.indicator is None:
                assert "kvartalet" not in text and "alle år" not in text
            elif "n = " in text:
                covers = ("kvartalet" if node.indicator.measure.startswith("share_")
                          else "alle år")
                assert f" · {covers}" in text, text
                covered += 1
    assert covered == 3  # the sample has values for ungepraktik's three boxes


def test_the_result_maps_how_to_fits_between_the_legend_and_the_badge(config, tmp_path
                                                                       ) -> None:
    """The how-to below a result map grew to four lines in a strip 0.55 in high: it ran
    into the quality badge and off the slide (seen in the demo's intervention decks)."""
    from outputs.render import BADGE_SHAPE, RESULT_MAP_HOW_SHAPE
    from outputs.render_text import text_height
    from outputs.spec import QualityBadge
    from outputs.style import MIN_PT

    spec = build_intervention_deck(sample_intervention_pack(config), DA)
    spec.slides = [s for s in spec.slides if s.kind == "result_map"]
    spec.quality_badge = QualityBadge(1.0, 0.12, date(2026, 10, 31))
    path = render_deck(spec, tmp_path / "map.pptx")
    prs = Presentation(str(path))
    shapes = {s.name: s for s in prs.slides[0].shapes}
    how, badge = shapes[RESULT_MAP_HOW_SHAPE], shapes[BADGE_SHAPE]
    text = how.text_frame.text
    assert text.startswith("Sådan læses figuren") and "95 %-intervaller" in text
    needed = text_height(text, how.width, MIN_PT) - int(Inches(0.12))
    assert how.height >= needed, (how.height, needed)
    assert how.top + how.height <= badge.top
    legend_bottom = max(s.top + s.height for n, s in shapes.items() if n.startswith("legend"))
    assert legend_bottom <= how.top
    assert badge.top + badge.height <= prs.slide_height


def test_default_template_is_16x9_with_layouts(tmp_path) -> None:
    path = build_template(tmp_path / "t.pptx")
    prs = Presentation(str(path))
    assert (prs.slide_width, prs.slide_height) == (12192000, 6858000)
    names = {layout.name for layout in prs.slide_layouts}
    assert {"Title Slide", "Title Only", "Blank"} <= names
    assert len(prs.slides) == 0


def test_user_template_4x3_with_slides_and_potx(tmp_path) -> None:
    user = Presentation()  # python-pptx's own 4:3 template, with an example slide
    user.slides.add_slide(user.slide_layouts[0]).shapes.title.text = "Example"
    user_path = tmp_path / "user.pptx"
    user.save(str(user_path))
    spec = build_citizen_deck(sample_citizen_pack(1), DA)
    out = render_deck(spec, tmp_path / "on_user.pptx", template=user_path)
    prs = Presentation(str(out))
    assert len(prs.slides) == len(spec.slides)  # the template's own slide is gone
    assert prs.slide_width == Inches(10)
    for slide in prs.slides:  # everything stays on the slide
        for shape in slide.shapes:
            assert shape.left + shape.width <= prs.slide_width + 1
            assert shape.top + shape.height <= prs.slide_height + 1
    # the same template saved as .potx (template content type) renders too
    potx = tmp_path / "user.potx"
    with zipfile.ZipFile(user_path) as src, zipfile.ZipFile(potx, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"presentationml.presentation.main+xml",
                                    b"presentationml.template.main+xml")
            dst.writestr(item, data)
    out2 = render_deck(spec, tmp_path / "on_potx.pptx", template=potx)
    assert len(Presentation(str(out2)).slides) == len(spec.slides)


def test_english_deck_renders_english_texts(tmp_path) -> None:
    spec = build_citizen_deck(sample_citizen_pack(1), DeckOptions(language="en"))
    path = render_deck(spec, tmp_path / "en.pptx")
    prs = Presentation(str(path))
    text = "\n".join(sh.text_frame.text for sl in prs.slides for sh in sl.shapes
                     if sh.has_text_frame)
    assert "The dialogue in four steps" in text
    assert "How to read this figure" in text
    assert "Sådan læses" not in text
    assert prs.core_properties.language == "en-GB"


def test_kik_bar_labels_wrap_and_have_room(citizen) -> None:
    spec, path = citizen
    prs = Presentation(str(path))
    kik = next(ch for _n, ch in _charts(prs) if ch.plots[0].categories[0] == "Hyppige hjemmebesøg")
    cats = list(kik.plots[0].categories)
    names = next(f for f in spec.figures() if f.id.endswith(":kik")).categories
    # broken only at spaces and after hyphens, so joining the lines gives the names back
    joined = [c.replace("-\n", "-").replace("\n", " ") for c in cats]
    assert joined == names
    assert "Fokus på forældre-\nbarn-samspil" in cats
    frame = next(s for sl in prs.slides for s in sl.shapes
                 if s.has_chart and s.chart.part is kik.part)
    layout = kik._chartSpace.find(".//" + qn("c:plotArea")).find(qn("c:layout"))
    x = float(layout.find(".//" + qn("c:x")).get("val"))
    longest = max(len(line) for c in cats for line in c.split("\n"))
    # the plot starts right of the longest label line (14 pt, ~0.6 em a character)
    assert x * frame.width / 12700 >= longest * 14 * 0.6


def test_end_labels_of_close_lines_are_pushed_apart() -> None:
    from outputs.charts import altair_spec
    from outputs.intervention_pack import PointSeries, Stat, progression_figure

    yls = ScaleInfo("YLS/CMI", "higher_is_worse", 0, 42)
    ps = PointSeries(yls, ["start", "end", "fu12"],
                     cohort=[Stat(19.9, 46), Stat(12.7, 46), Stat(15.0, 46)],
                     all=[Stat(19.6, 95), Stat(12.6, 77), Stat(15.0, 46)])
    fig = progression_figure(ps, "da", 5, 0)
    height_pt = 300.0
    spec = altair_spec(fig, 800, height_pt, "da", 5)
    ends = next(layer["data"]["values"] for layer in spec["layer"]
                if "text" in (layer.get("data", {}).get("values") or [{}])[0])
    assert sorted(r["text"] for r in ends) == ["15,0  Alle målte borgere",
                                               "15,0  Samme borgere (n = 46)"]
    # one 14 pt line (x 1.3) apart on a plot about 300 - 68 pt high showing 0-42
    gap = 42 * 14 * 1.3 / (height_pt - 68)
    assert abs(ends[0]["y"] - ends[1]["y"]) >= gap - 1e-6
    assert sum(r["y"] for r in ends) / 2 == pytest.approx(15.0)  # centred on the lines
    # the last values are in the end labels, not also above/below the last points
    rows = next(layer["data"]["values"] for layer in spec["layer"]
                if "pos" in (layer.get("data", {}).get("values") or [{}])[0])
    assert {r["pos"] for r in rows if r["category"].startswith("Opf. 12")} == {"end"}


def test_the_same_spec_renders_to_the_same_bytes_on_another_day(config, tmp_path,
                                                                 monkeypatch) -> None:
    """Delivery decides "already sent" on the decks' checksums, so a deck rendered again
    (a rerun of the meeting run, a day later) must be the same file to the byte, embedded
    chart workbooks included."""
    spec = build_intervention_deck(sample_intervention_pack(config), DeckOptions())
    first = render_deck(spec, tmp_path / "a.pptx")
    later = time.time() + 86_400 + 61
    monkeypatch.setattr(zipfile.time, "time", lambda: later)  # what zipfile dates members by
    second = render_deck(spec, tmp_path / "b.pptx")
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(second) as z:
        members = z.infolist()
        embedded = [n for n in z.namelist() if n.endswith(".xlsx")]
        assert embedded  # the native charts' workbooks are in there
        for name in embedded:
            with zipfile.ZipFile(io.BytesIO(z.read(name))) as inner:
                members += inner.infolist()
    assert {m.date_time for m in members} == {ZIP_TIME}


def test_a_deck_holds_what_python_pptx_writes_deflated_once_images_stored(citizen,
                                                                         tmp_path) -> None:
    """save_package writes python-pptx's members itself (to date them and deflate each
    once): the same members in the same order with the same bytes as python-pptx's own
    save, the images stored as they are (already compressed), the rest deflated."""
    prs = Presentation(citizen[1])
    own = io.BytesIO()
    prs.save(own)
    ours = save_package(prs, tmp_path / "ours.pptx")
    with zipfile.ZipFile(own) as a, zipfile.ZipFile(ours) as b:
        assert b.namelist() == a.namelist()
        assert all(b.read(n) == a.read(n) for n in a.namelist())
        kinds = {m.filename: m.compress_type for m in b.infolist()}
    images = [n for n in kinds if n.endswith((".png", ".jpeg"))]
    assert images  # the template's thumbnail at least
    assert {kinds[n] for n in images} == {zipfile.ZIP_STORED}
    assert {kinds[n] for n in kinds if n not in images} == {zipfile.ZIP_DEFLATED}
