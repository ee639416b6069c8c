"""The leaders' quarterly summary: data object from the marts, deck spec, rendered files.

The database is the hand-made one of tests/test_strategic_costs.py (its docstring has
the worked numbers). The deck for the meeting on 15.02.2026 reports on 2025-Q4.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest
from openpyxl import load_workbook
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from datadialog.privacy import CPR_PATTERN
from outputs.common import DeckOptions, options_from_config
from outputs.fmt import fmt_pct
from outputs.strategic_data import (
    InterventionSummary,
    Measure,
    QualityItem,
    QualityMetric,
    QualityStatus,
    StrategicPackData,
    TargetYear,
    period_for_meeting,
    quarter_window,
)
from outputs.strategic_gather import gather_quality, gather_strategic_pack
from outputs.strategic_pack import build_strategic_deck, render_strategic_pack
from outputs.strategic_texts import (
    all_keys,
    fmt_dkk,
    short_intervention_name,
    st,
    stl,
    wrap_label,
)
from pipeline.decks import worded_caveats
from tests.outputs.test_strategic_costs import AS_OF, Q4, strategic_config, write_rows
from transforms.build import build
from transforms.schema import ensure_schema

MEETING = date(2026, 2, 15)


@pytest.fixture(scope="module")
def config():
    return strategic_config()


@pytest.fixture(scope="module")
def con(config):
    con = duckdb.connect()
    write_rows(con)
    build(con, config, as_of=AS_OF)
    yield con
    con.close()


@pytest.fixture(scope="module")
def data(con, config):
    return gather_strategic_pack(con, config, "ledelse_kvartal", MEETING)


@pytest.fixture(scope="module")
def spec(data, config):
    return build_strategic_deck(data, options_from_config(config))


@pytest.fixture(scope="module")
def files(con, config, tmp_path_factory):
    out = tmp_path_factory.mktemp("strategic")
    return render_strategic_pack(con, config, "ledelse_kvartal", MEETING, out)


def mart(con, sql: str, *params) -> list[dict]:
    cur = con.execute(sql, list(params))
    columns = [d[0] for d in cur.description]
    return [dict(zip(columns, row, strict=True)) for row in cur.fetchall()]


def slide(spec, title_part: str):
    hits = [s for s in spec.slides if title_part in s.title or title_part in s.section]
    assert hits, title_part
    return hits[0]


# ====================================================================== data object


def test_period_is_the_last_complete_quarter() -> None:
    assert period_for_meeting(MEETING) == Q4
    assert period_for_meeting(date(2026, 1, 1)) == "2025-Q4"
    assert period_for_meeting(date(2026, 11, 15)) == "2026-Q3"
    assert quarter_window("2026-Q1", 3) == ["2025-Q3", "2025-Q4", "2026-Q1"]


def test_gather_takes_every_overview_value_from_the_mart(con, data) -> None:
    assert data.period == Q4 and data.quarters[-1] == Q4 and len(data.quarters) == 8
    assert [iv.id for iv in data.interventions] == [
        "spaedbarn", "ungepraktik", "boernegrupper", "voksenstoette"]
    rows = mart(con, "select * from mart_strategic_overview where quarter = ?", Q4)
    assert rows
    by_id = {iv.id: iv for iv in data.interventions}
    for r in rows:
        m = by_id[r["intervention_id"]].m(Q4, r["measure"])
        assert m.suppressed == r["is_suppressed"], r
        assert m.value == r["measure_value"] and m.n == r["n_citizens"], r
        assert (m.low, m.high) == (r["ci_low"], r["ci_high"])
    sp = by_id["spaedbarn"]
    assert sp.instrument == "ORS" and sp.short_name == "Intensivt spædbarnsforløb"
    assert sp.costs.total == pytest.approx(71600) and sp.costs.staff == pytest.approx(15600)
    ug = by_id["ungepraktik"]
    assert ug.costs.suppressed and ug.costs.reason == "dominance" and ug.costs.total is None
    assert ug.costs.fixed is None  # the whole bar goes, not only the course costs
    assert by_id["boernegrupper"].costs.reason == "small_cell"
    assert set(sp.node_values) == {"r_viden", "r_samspil", "r_trivsel"}
    assert not data.quality.has_run


def test_wrong_meeting_level_is_refused(con, config) -> None:
    with pytest.raises(ValueError, match="organisation"):
        gather_strategic_pack(con, config, "indsats_ungepraktik", MEETING)


# ====================================================================== deck numbers = marts


def test_side_by_side_table_equals_marts(con, spec) -> None:
    s = slide(spec, "side om side")
    # only one share shown, one hidden: nobody is ranked in the title
    assert s.title == "Resultater og omkostninger side om side, 4. kvartal 2025"
    rows = {r[0]: r[1:] for r in s.table.rows}
    units = {r["metric"]: r for r in mart(
        con, "select * from mart_costs_per_unit where intervention_id = 'spaedbarn' "
             "and quarter = ? and is_headline_instrument", Q4)}
    improved = mart(con, "select * from mart_reliable_change_by_quarter where intervention_id "
                         "= 'spaedbarn' and instrument_id = 'ors' and period = ?", Q4)[0]
    sp = rows["Intensivt spædbarnsforløb"]
    assert sp == [
        "6",
        f"{fmt_pct(improved['share_improved'], 'da')} af 6 målte",  # 83 %
        f"{fmt_pct(6 / 7, 'da')} af 7 mål",
        fmt_dkk(units["cost_per_citizen_month"]["cost_per_unit_dkk"], "da"),
        fmt_dkk(units["cost_per_citizen_improved"]["cost_per_unit_dkk"], "da"),
    ]
    assert sp[3] == "3.948\u00a0kr." and sp[4] == "14.320\u00a0kr."
    assert rows["Praktikforløb for unge"] == ["6", "–", "–", "skjult", "skjult"]
    assert rows["Børnegrupper for børn af psykisk syge forældre"][0] == "<5"
    assert rows["Gruppestøtte for voksne med psykisk sygdom"][1] == "<5"  # 4 measured


def test_unit_cost_table_equals_marts(con, spec) -> None:
    s = slide(spec, "Enhedspriser")
    row = next(r for r in s.table.rows if r[0] == "Intensivt spædbarnsforløb")
    # intervals (mart_costs_per_unit, worked out in test_strategic_costs): 5 of 6
    # improved -> 12.303-27.339 kr.; 6 of 7 goals reached -> 10.498-21.009 kr.
    assert row[1:] == ["11.933\u00a0kr.\n(6 forløb)", "3.948\u00a0kr.\n(18 mdr.)",
                       "14.320\u00a0kr.\n(5 forbedrede)\n95 %: 12.303–27.339",
                       "11.933\u00a0kr.\n(6 mål)\n95 %: 10.498–21.009"]
    vo = next(r for r in s.table.rows if r[0].startswith("Gruppestøtte"))
    assert vo[1] == "2.200\u00a0kr.\n(5 forløb)" and vo[3] == "<5"


def test_comparison_figure_carries_the_mart_interval(con, spec) -> None:
    fig = next(f for f in spec.figures() if f.id == "comparison")
    rc = mart(con, "select * from mart_reliable_change_by_quarter where intervention_id = "
                   "'spaedbarn' and instrument_id = 'ors' and period = ?", Q4)[0]
    cell = next(c for c in fig.cells if c.category.startswith("Intensivt"))
    assert cell.value == pytest.approx(rc["share_improved"] * 100)
    assert (cell.low, cell.high) == (pytest.approx(rc["ci_low"] * 100),
                                     pytest.approx(rc["ci_high"] * 100))
    assert cell.category.endswith("(n = 6)")
    vo = next(c for c in fig.cells if c.category.startswith("Gruppestøtte"))
    assert vo.suppressed and vo.value is None and vo.low is None
    assert fig.title.startswith("Kun Intensivt spædbarnsforløb har borgere nok bag tallet")
    words = slide(spec, "Kun Intensivt").blocks[0].bullets
    assert "6 forløb målt" in words[0] and "Få borgere" in words[0]


def test_cost_composition_hides_dominated_and_small(con, spec) -> None:
    fig = next(f for f in spec.figures() if f.id == "cost_composition")
    cells = {(c.category.split("\n")[0], c.series): c for c in fig.cells}
    assert cells[("Intensivt spædbarnsforløb", "Personaletid")].value == pytest.approx(15.6)
    assert cells[("Intensivt spædbarnsforløb", "Faste udgifter")].value == pytest.approx(50.0)
    assert cells[("Intensivt spædbarnsforløb", "Udgifter pr. forløb")].value == pytest.approx(6)
    for series in ("Personaletid", "Faste udgifter", "Udgifter pr. forløb"):
        assert cells[("Praktikforløb", series)].suppressed
        assert cells[("Børnegrupper", series)].suppressed
    assert "Praktikforløb\nskjult" in fig.categories
    assert "Intensivt spædbarnsforløb\n71.600\u00a0kr. · n = 6" in fig.categories


def test_hidden_totals_never_reach_any_output(con, spec, files) -> None:
    hidden = mart(con, "select total_cost_dkk, staff_cost_dkk, variable_cost_dkk "
                       "from int_costs_by_quarter where intervention_id = 'ungepraktik' "
                       "and quarter = ?", Q4)[0]
    assert hidden["total_cost_dkk"] == pytest.approx(71400)
    needles = [f"{v:,.0f}".replace(",", ".") for v in hidden.values()]  # "71.400" ...
    needles += [str(int(v)) for v in hidden.values()]
    text = spec.all_text()
    pptx, xlsx = files
    values = []
    with zipfile.ZipFile(pptx) as z:
        # every text run and every chart value (not the layout's EMU coordinates)
        xml = "\n".join(x for n in z.namelist() if n.endswith(".xml") for x in re.findall(
            r"<(?:a:t|c:v)>([^<]*)</", z.read(n).decode("utf-8", "replace")))
        for name in z.namelist():  # the native charts' embedded workbooks
            if name.endswith(".xlsx"):
                embedded = load_workbook(io.BytesIO(z.read(name)))
                values += [c.value for ws in embedded.worksheets for row in ws.iter_rows()
                           for c in row]
    wb = load_workbook(xlsx)
    values += [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert any(isinstance(x, float) and abs(x - 15.6) < 1e-9 for x in values)  # it looks
    for needle in needles:
        assert needle not in text and needle not in xml, needle
    for v in hidden.values():
        assert not any(isinstance(x, int | float) and abs(x - v) < 0.5 for x in values), v
        assert not any(isinstance(x, int | float) and abs(x - v / 1000) < 0.0005
                       for x in values), v


def test_prompts_and_quality_status_in_words(spec) -> None:
    prompts = slide(spec, "Spørgsmål til prioritering").blocks[0].bullets
    rule = slide(spec, "Anbefaling efter fast regel").blocks[1].bullets
    assert any(p.startswith("Praktikforløb: omkostningerne vises ikke") for p in prompts)
    assert "Tallene er ikke tjekket for datakvalitet: bed datakoordinatoren køre tjekket " \
        "før næste møde." in rule
    quality = slide(spec, "Datakvalitet")
    assert "Der er ikke kørt et datakvalitetstjek" in quality.blocks[0].bullets[0]
    notes = quality.blocks[1].bullets
    assert any("Praktikforløb: personaletiden er beregnet ud fra registrerede" in n
               for n in notes)
    assert any("ét forløb står for over 50\u00a0%" in n for n in notes)
    assert any("Gruppestøtte: ingen timesats" in n for n in notes)


def test_one_result_map_slide_per_intervention(spec, config) -> None:
    maps = [s for s in spec.slides if s.kind == "result_map"]
    assert [s.section for s in maps] == [f"Indsats {i} af 4" for i in range(1, 5)]
    first = maps[0]
    ids = [n.id for n in first.result_map.nodes]
    assert ids == [n.id for n in config.intervention("spaedbarn").result_map.nodes]
    assert "6 borgere i forløb" in first.blocks[0].paragraph
    assert "83\u00a0% af 6 målte" in first.blocks[0].paragraph


# ====================================================================== rendered files


def test_rendered_deck_and_workbook(spec, files) -> None:
    pptx, xlsx = files
    assert pptx.name == "ledelse_kvartal_2026-02-15.pptx"
    assert xlsx.name == "ledelse_kvartal_2026-02-15_tabeller.xlsx"
    prs = Presentation(str(pptx))
    assert len(prs.slides) == len(spec.slides)
    with zipfile.ZipFile(pptx) as z:
        for name in z.namelist():
            if name.endswith(".xml"):
                xml = z.read(name).decode("utf-8", "replace")
                assert not CPR_PATTERN.search(xml), name
                if name.startswith(("ppt/slides/slide", "ppt/charts/")):
                    sizes = [int(s) for s in re.findall(
                        r'<a:(?:rPr|defRPr|endParaRPr)[^>]*\ssz="(\d+)"', xml)]
                    assert all(s >= 1400 for s in sizes), name
    wb = load_workbook(xlsx)
    figures = spec.figures()
    assert len(wb.sheetnames) == 1 + len(figures) + 3
    assert wb.sheetnames[0] == "Læs mig"
    ws = wb[wb.sheetnames[1 + [f.id for f in figures].index("comparison")]]
    rows = {r[0]: r for r in ws.iter_rows(min_row=6, values_only=True)}
    cell = next(c for c in next(f for f in figures if f.id == "comparison").cells
                if c.category.startswith("Intensivt"))
    row = rows[cell.category.replace("\n", " ")]
    assert row[2] == pytest.approx(cell.value) and row[3] == 6
    assert (row[4], row[5]) == (pytest.approx(cell.low), pytest.approx(cell.high))
    hidden_row = next(r for k, r in rows.items() if k.startswith("Gruppestøtte"))
    assert hidden_row[2] is None and hidden_row[6] == "<5"
    costs = wb["Omkostninger pr kvartal"]
    header = [c.value for c in costs[1]]
    records = [dict(zip(header, [c.value for c in r], strict=True)) for r in costs.iter_rows(
        min_row=2)]
    sp = next(r for r in records if r["intervention_id"] == "spaedbarn" and r["quarter"] == Q4)
    assert sp["total_cost_dkk"] == pytest.approx(71600)
    ug = next(r for r in records if r["intervention_id"] == "ungepraktik" and r["quarter"] == Q4)
    assert ug["suppression_reason"] == "dominance" and ug["total_cost_dkk"] is None
    # the unit costs carry their n, base and 95 % interval (5 of 6 improved, worked out
    # in test_strategic_costs), in kroner format; hidden rows have none
    units = wb["Enhedspriser pr kvartal"]
    header = [c.value for c in units[1]]
    assert header[-4:] == ["n_base", "cost_per_unit_dkk", "ci_low_dkk", "ci_high_dkk"]
    rows = [dict(zip(header, r, strict=True)) for r in units.iter_rows(min_row=2)]
    sp = next(r for r in rows if r["intervention_id"].value == "spaedbarn"
              and r["quarter"].value == Q4 and r["metric"].value == "cost_per_citizen_improved"
              and r["instrument_id"].value == "ors")
    assert (sp["n_units"].value, sp["n_base"].value) == (5, 6)
    assert sp["ci_low_dkk"].value == pytest.approx(12303.07, abs=0.5)
    assert sp["ci_high_dkk"].value == pytest.approx(27339.27, abs=0.5)
    assert sp["ci_low_dkk"].number_format == "#,##0"
    vo = next(r for r in rows if r["intervention_id"].value == "voksenstoette"
              and r["quarter"].value == Q4 and r["instrument_id"].value == "ors")
    assert vo["ci_low_dkk"].value is None and vo["n_base"].value is None


def _charts(pptx) -> tuple[list, int]:
    """Every native chart of the deck in slide order, and the number of pictures."""
    charts, pictures = [], 0
    for s in Presentation(str(pptx)).slides:
        for shape in s.shapes:
            pictures += shape.shape_type == MSO_SHAPE_TYPE.PICTURE
            if shape.has_chart:
                charts.append(shape.chart)
    return charts, pictures


def _workbook_column(chart, series: int) -> list:
    """The values of a series in the chart's embedded workbook ("Edit data")."""
    ws = load_workbook(io.BytesIO(chart.part.chart_workbook.xlsx_part.blob)).active
    return [row[series + 1] for row in ws.iter_rows(min_row=2, values_only=True)]


def _shown(m: Measure, scale: float = 100.0) -> float | None:
    return m.value * scale if m.usable else None


def test_every_figure_is_a_native_chart_holding_the_data(data, spec, files) -> None:
    """Five native charts and no picture: each chart's categories, values and interval
    whiskers are the data object's (from the marts); a hidden group has no value in the
    chart nor in its workbook."""
    charts, pictures = _charts(files[0])
    assert pictures == 0
    figures = {f.id: f for f in spec.figures()}
    assert list(figures) == ["comparison", "cost_composition", "trend_cost", "trend_result",
                             "target_group"]
    assert len(charts) == len(figures)
    chart = dict(zip(figures, charts, strict=True))
    p, ivs = data.period, data.interventions

    comparison = chart["comparison"].plots[0]
    shares = [iv.m(p, "share_improved") for iv in ivs]
    assert [c.split("\n")[0] for c in comparison.categories] == [
        wrap_label(iv.short_name).split("\n")[0] for iv in ivs]
    assert list(comparison.series[0].values) == pytest.approx([_shown(m) for m in shares])
    hidden = [i for i, m in enumerate(shares) if m.suppressed]
    assert hidden == [3]  # Gruppestøtte: fewer than 5 measured
    assert _workbook_column(chart["comparison"], 0)[3] is None
    assert _workbook_column(chart["comparison"], 0)[0] == pytest.approx(shares[0].value * 100)
    space = chart["comparison"]._chartSpace
    plus = [float(v) for v in space.xpath(".//c:errBars/c:plus//c:v/text()")]
    minus = [float(v) for v in space.xpath(".//c:errBars/c:minus//c:v/text()")]
    assert plus == pytest.approx([(shares[0].high - shares[0].value) * 100])
    assert minus == pytest.approx([(shares[0].value - shares[0].low) * 100])

    for fig_id, measure, scale in (("trend_cost", "cost_per_citizen_month", 1.0),
                                   ("trend_result", "share_improved", 100.0)):
        lines = chart[fig_id]
        assert lines._chartSpace.xpath(".//c:dispBlanksAs/@val") == ["gap"]
        got = {s.name: list(s.values) for s in lines.plots[0].series}
        assert got == {iv.short_name: pytest.approx(
            [_shown(iv.m(q, measure), scale) for q in data.quarters]) for iv in ivs}
    cost_hidden = [(iv.short_name, q) for iv in ivs for q in data.quarters
                   if iv.m(q, "cost_per_citizen_month").suppressed]
    assert cost_hidden  # a hidden quarter is there, and has no value above

    target = chart["target_group"].plots[0]
    years = [s.name for s in target.series]
    for j, year in enumerate(years):
        expected = []
        for iv in ivs:
            at = [ty.share_clinical for ty in iv.target_years if str(ty.year) == year]
            expected.append(_shown(at[0]) if at else None)
        assert list(target.series[j].values) == pytest.approx(expected)
        assert _workbook_column(chart["target_group"], j) == pytest.approx(expected)


def test_rendering_the_strategic_pack_imports_no_image_renderer(data, spec, tmp_path) -> None:
    """The deck and its workbook are written without Altair or vl-convert being imported
    (a fresh process: other tests may have imported them here)."""
    import pickle
    import subprocess
    import sys

    saved = tmp_path / "pack.pickle"
    saved.write_bytes(pickle.dumps((spec, data)))
    script = (
        "import pickle, sys\n"
        "from outputs.strategic_pack import write_strategic_pack\n"
        f"spec, data = pickle.loads(open({str(saved)!r}, 'rb').read())\n"
        f"write_strategic_pack(spec, data, {str(tmp_path)!r}, 'pack')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('altair', 'vl_convert')))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).resolve().parents[2]).stdout
    assert out.strip() == "[]"
    assert (tmp_path / "pack.pptx").exists()


@pytest.mark.slow
def test_deck_converts_with_libreoffice(files, tmp_path) -> None:
    import subprocess

    from outputs.pdf import to_pdf

    pptx, _xlsx = files
    pdf = to_pdf(pptx, tmp_path, language="da")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    pages = text.count("\f")
    assert pages >= len(Presentation(str(pptx)).slides) - 1
    assert "Strategisk kvartalsoverblik" in text
    assert "14.320 kr." in text.replace("\u00a0", " ")
    assert "Beslutninger og opfølgning" in text


# ====================================================================== quality status


def test_quality_status_reads_the_latest_run(config) -> None:
    con = duckdb.connect()
    assert gather_quality(con, config, "da") == QualityStatus()  # no quality schema at all
    ensure_schema(con)
    assert not gather_quality(con, config, "da").has_run  # schema, but no run
    for run_id, started, scope in (("r1", datetime(2026, 2, 1, 8), "organisation"),
                                   ("r2", datetime(2026, 2, 10, 8), "organisation"),
                                   ("r3", datetime(2026, 2, 12, 8), "team")):
        con.execute("insert into quality.runs (run_id, started_at, as_of_date, scope_kind, "
                    "n_rules, n_failed_rules, n_errors, n_warnings, n_blocked_scopes, "
                    "settings_json) values (?, ?, ?, ?, 30, 2, 3, 7, 1, '{}')",
                    [run_id, started, date(2026, 2, 1), scope])
    for rule, severity, n in (("out_of_range", "error", 3), ("late_measurement", "warning", 7),
                              ("straight_lined", "info", 4)):
        con.execute("insert into quality.results (run_id, rule_id, table_name, severity, "
                    "n_checked, n_failed, status) values ('r2', ?, 't', ?, 100, ?, 'fail')",
                    [rule, severity, n])
    con.execute("insert into quality.metrics (run_id, metric_id, group_kind, group_id, value, "
                "target, is_below_target) values ('r2', 'completeness', 'intervention', "
                "'ungepraktik', 0.8, 0.9, true), ('r2', 'timeliness', 'intervention', "
                "'spaedbarn', 0.9, 0.75, false)")
    q = gather_quality(con, config, "da", {"out_of_range": "Svar uden for skalaen"})
    assert q.has_run and q.started_at == datetime(2026, 2, 10, 8)  # organisation run first
    assert (q.n_rules, q.n_failed_rules, q.n_errors, q.n_warnings) == (30, 2, 3, 7)
    assert [(i.severity, i.n_failed) for i in q.failing] == [("error", 3), ("warning", 7)]
    # titles as handed in; a rule without one is named by its id
    assert [i.title for i in q.failing] == ["Svar uden for skalaen", "late_measurement"]
    assert [(m.metric, m.group, m.value) for m in q.below_target] == [
        ("completeness", "Praktikforløb", 0.8)]
    con.close()
    data = StrategicPackData("Org", MEETING, Q4, quarter_window(Q4), [], quality=q)
    spec = build_strategic_deck(data, DeckOptions())
    bullets = slide(spec, "Datakvalitet").blocks[0].bullets
    assert bullets[0] == "Kørt 10.02.2026 på data til og med 01.02.2026."
    assert bullets[1] == "2 af 30 regler fandt noget: 3 fejl og 7 advarsler."
    assert any(b.endswith("3 rækker (fejl)") for b in bullets)
    assert "Målinger indsamlet, Praktikforløb: 80\u00a0% (mål 90\u00a0%)" in bullets
    rule = slide(spec, "Anbefaling efter fast regel").blocks[1].bullets
    assert any("fandt 3 fejl" in p for p in rule)


# ====================================================================== the builder alone


def _iv(iv_id: str, name: str, shares: dict[str, Measure], month: dict[str, float]):
    iv = InterventionSummary(iv_id, name, short_intervention_name(name), instrument="ORS")
    for q, m in shares.items():
        iv.measures[(q, "share_improved")] = m
    for q, v in month.items():
        iv.measures[(q, "cost_per_citizen_month")] = Measure(v, 30)
    return iv


def test_builder_titles_and_prompts_from_numbers() -> None:
    a = _iv("a", "Alfaforløb for unge", {Q4: Measure(0.70, 40, 40, 0.60, 0.80)},
            {"2025-Q3": 4000.0, Q4: 4600.0})
    b = _iv("b", "Beta", {Q4: Measure(0.30, 40, 40, 0.20, 0.40)},
            {"2025-Q3": 5000.0, Q4: 5100.0})
    data = StrategicPackData("Org", MEETING, Q4, quarter_window(Q4), [a, b])
    spec = build_strategic_deck(data, DeckOptions())
    cmp = next(f for f in spec.figures() if f.id == "comparison")
    assert cmp.title == ("Alfaforløb har en klart højere andel pålideligt forbedrede (ORS) "
                         "end de andre: 70\u00a0% mod højst 30\u00a0%")
    trend = next(f for f in spec.figures() if f.id == "trend_cost")
    assert trend.title == ("Pris pr. borgermåned: Alfaforløb steg mest siden 3. kvartal 2025 "
                           "(+15\u00a0%)")
    assert [c.value for c in trend.cells if c.series == "Alfaforløb"] == [4000.0, 4600.0]
    prompts = slide(spec, "Spørgsmål til prioritering").blocks[0].bullets
    assert prompts[0] == ("Alfaforløb: prisen pr. borgermåned er steget +15\u00a0% siden "
                          "3. kvartal 2025. Hvad driver stigningen, og følger resultaterne med?")
    assert any(p.startswith("Beta har den laveste andel") for p in prompts)  # no overlap
    # overlapping intervals: said in words, and no "lowest" prompt
    b.measures[(Q4, "share_improved")] = Measure(0.55, 12, 12, 0.30, 0.78)
    spec = build_strategic_deck(data, DeckOptions())
    cmp = next(f for f in spec.figures() if f.id == "comparison")
    assert cmp.title.endswith("forskellene kan skyldes tilfældigheder")
    prompts = slide(spec, "Spørgsmål til prioritering").blocks[0].bullets
    assert not any("laveste andel" in p for p in prompts)
    assert any(p.startswith("Beta: for få målte borgere") for p in prompts)
    # the quality gate's caveats reach the data-quality slide
    # (without the "Datakvalitet: " prefix under that slide title; the notes keep it)
    spec = build_strategic_deck(data, DeckOptions(),
                                caveats=worded_caveats(["Datakvalitet: test (3)."], "da"))
    assert "Test (3)." in slide(spec, "Datakvalitet").blocks[0].bullets
    assert spec.caveats[0] == "Datakvalitet: test (3)."


def test_english_switch_and_complete_texts() -> None:
    keys, lists = all_keys()
    for key in keys:
        da, en = st(key, "da"), st(key, "en")
        assert da and en
        assert re.findall(r"{(\w+)}", da) == re.findall(r"{(\w+)}", en) or \
            sorted(re.findall(r"{(\w+)}", da)) == sorted(re.findall(r"{(\w+)}", en)), key
    for key in lists:
        assert len(stl(key, "da")) == len(stl(key, "en"))
    a = _iv("a", "Alfa", {Q4: Measure(0.5, 30, 30, 0.3, 0.7)}, {Q4: 4000.0})
    data = StrategicPackData("Org", MEETING, Q4, quarter_window(Q4), [a])
    spec = build_strategic_deck(data, DeckOptions(language="en", organisation="Org"))
    text = spec.all_text()
    assert "Quarterly strategic summary" in text and "Q4 2025" in text
    for danish in ("kvartal", "borger", "Sådan", "Spørgsmål"):
        assert danish not in text, danish


def test_short_names_and_wrapping() -> None:
    assert short_intervention_name("Børnegrupper for børn af psykisk syge forældre") == \
        "Børnegrupper"
    assert short_intervention_name("Intensivt spædbarnsforløb") == "Intensivt spædbarnsforløb"
    assert short_intervention_name("Hus for alle") == "Hus for alle"  # "Hus" is too short
    assert wrap_label("Intensivt spædbarnsforløb") == "Intensivt\nspædbarnsforløb"


def test_quality_findings_one_line_per_rule_worst_first_and_capped() -> None:
    items = [QualityItem("Forsinkede målinger", "warning", 649, "late_measurement"),
             QualityItem("Svar uden for skalaen", "error", 3, "out_of_range"),
             QualityItem("Registrering uden for forløbet", "warning", 76,
                         "event_outside_course"),
             QualityItem("Måling før forløbsstart", "error", 2, "measurement_before_start"),
             QualityItem("Manglende målinger", "warning", 59, "missing_measurement"),
             QualityItem("Dobbeltregistreringer", "warning", 3, "near_duplicate"),
             QualityItem("Samme svar på alle spørgsmål", "warning", 2, "straight_lined")]
    q = QualityStatus(has_run=True, started_at=datetime(2026, 11, 23, 2),
                      as_of_date=date(2026, 10, 31), n_rules=50, n_failed_rules=7,
                      n_errors=5, n_warnings=789, failing=items,
                      below_target=[QualityMetric("timeliness", "Praktikforløb", 0.17, 0.75)])
    caveats = ["Datakvalitet: Måling før forløbsstart (2).",  # rule already listed
               "76 registreringer ligger uden for forløbets datoer.",  # ditto
               # the metric line
               "Kun 17 % af målingerne i alt (alle perioder) er taget til tiden (mål: 75 %).",
               "Alle tal: 3 forløb mangler slutdato."]  # not a rule: kept
    data = StrategicPackData("Org", MEETING, Q4, quarter_window(Q4), [], quality=q)
    spec = build_strategic_deck(data, DeckOptions(), caveats=worded_caveats(caveats, "da"))
    bullets = slide(spec, "Datakvalitet").blocks[0].bullets
    # run + counts, then 6 of the 9 findings (7 rules, 1 metric, 1 caveat), then the rest:
    # errors, the metric below target (before the warnings: it says which intervention's
    # data a leader cannot read as results), then the warnings by size
    assert bullets[2:] == [
        "Svar uden for skalaen: 3 rækker (fejl)",
        "Måling før forløbsstart: 2 rækker (fejl)",
        "Målinger til tiden, Praktikforløb: 17\xa0% (mål 75\xa0%)",
        "Forsinkede målinger: 649 rækker (advarsel)",
        "Registrering uden for forløbet: 76 rækker (advarsel)",
        "Manglende målinger: 59 rækker (advarsel)",
        "… og 3 andre fund – se kvalitetsrapporten.",
    ]
    assert spec.caveats[:4] == caveats  # the notes keep every caveat in full


def test_a_pooled_rise_within_chance_says_so() -> None:
    """The trend title pools four quarters against the four before. 24 of 57 (42 %)
    against 16 of 48 (33 %): Wilson intervals 30-55 % and 22-47 % overlap, so the rise
    may be chance; 240 of 570 against 160 of 480 (the same shares) are apart."""
    quarters = quarter_window(Q4)[-8:]

    def pooled(per_quarter: list[tuple[int, int]]) -> dict[str, Measure]:
        return {q: Measure(x / n, n, n) for q, (x, n) in zip(quarters, per_quarter,
                                                             strict=True)}

    small = [(4, 12), (4, 12), (4, 12), (4, 12), (6, 15), (6, 14), (6, 14), (6, 14)]
    assert sum(x for x, _ in small[:4]) == 16 and sum(n for _, n in small[:4]) == 48
    assert sum(x for x, _ in small[4:]) == 24 and sum(n for _, n in small[4:]) == 57
    a = _iv("a", "Alfa", pooled(small), {})
    spec = build_strategic_deck(StrategicPackData("Org", MEETING, Q4, quarter_window(Q4), [a]),
                                DeckOptions())
    trend = next(f for f in spec.figures() if f.id == "trend_result")
    assert trend.title == ("Alfa: 42\u00a0% pålideligt forbedret de seneste fire kvartaler "
                           "mod 33\u00a0% de fire før; forskellen kan skyldes tilfældigheder")
    large = [(10 * x, 10 * n) for x, n in small]
    a = _iv("a", "Alfa", pooled(large), {})
    spec = build_strategic_deck(StrategicPackData("Org", MEETING, Q4, quarter_window(Q4), [a]),
                                DeckOptions())
    trend = next(f for f in spec.figures() if f.id == "trend_result")
    assert trend.title == ("Alfa: 42\u00a0% pålideligt forbedret de seneste fire kvartaler "
                           "mod 33\u00a0% de fire før")
    assert "skjulte kvartaler" not in trend.how_to_read  # every quarter is pooled


def _trend(ivs: list, lang: str = "da"):
    data = StrategicPackData("Org", MEETING, Q4, quarter_window(Q4), ivs)
    spec = build_strategic_deck(data, DeckOptions(language=lang))
    return next(f for f in spec.figures() if f.id == "trend_result")


def test_the_trend_title_says_how_many_quarters_a_pooled_share_rests_on() -> None:
    """The demo's Børnegrupper (QA finding 2): two of the last four quarters hidden, one
    of the four before. The recent share is 7 of 11 and 5 of 11 pooled: 12/22 = 54,5 %,
    printed 55 %; the earlier one 4/6 + 6/9 + 6/10 = 16/25 = 64 %. Printed 9 points apart
    (not level); Wilson intervals about 35-73 % and 45-80 % overlap: may be chance."""
    q = quarter_window(Q4)  # 2024-Q1 .. 2025-Q4; the last four are 2025
    hidden = Measure(suppressed=True, reason="small_cell")
    shares = {q[0]: hidden, q[1]: Measure(4 / 6, 6, 6), q[2]: Measure(6 / 9, 9, 9),
              q[3]: Measure(6 / 10, 10, 10),
              q[4]: hidden, q[5]: hidden, q[6]: Measure(7 / 11, 11, 11),
              q[7]: Measure(5 / 11, 11, 11)}
    trend = _trend([_iv("a", "Alfa", shares, {})])
    assert trend.title == ("Alfa: 55\u00a0% pålideligt forbedret i de to viste af de seneste "
                           "fire kvartaler mod 64\u00a0% i de tre viste af de fire før; "
                           "forskellen kan skyldes tilfældigheder")
    assert trend.how_to_read.endswith(
        "Titlens andele lægger de målte forløb i de viste kvartaler sammen; skjulte "
        "kvartaler tæller ikke med.")
    assert _trend([_iv("a", "Alfa", shares, {})], "en").title == (
        "Alfa: 55% reliably improved in the two quarters shown of the last four against 64% "
        "in the three shown of the four before; the difference may be chance")
    # one quarter shown of the recent four (5/11 = 45 %), all four before (4/6, 6/9, 6/10
    # and 8/10: 24/35 = 69 %): 24 points apart
    shares.update({q[0]: Measure(8 / 10, 10, 10), q[6]: hidden})
    assert _trend([_iv("a", "Alfa", shares, {})]).title == (
        "Alfa: 45\u00a0% pålideligt forbedret i det ene viste af de seneste fire kvartaler "
        "mod 69\u00a0% de fire før; forskellen kan skyldes tilfældigheder")


def test_the_trend_title_picks_the_largest_change_as_printed() -> None:
    """Alfa moves 39,6 % -> 50,4 % (10,8 points unrounded) but prints 40 % -> 50 %: 10
    points; Gamma moves 30,4 % -> 41,0 % (10,6 unrounded) and prints 30 % -> 41 %: 11.
    The title names Gamma, the larger change a reader sees. 100 courses on each side:
    Gamma's intervals (about 22-40 % and 32-51 %) overlap, so "may be chance"."""
    q = quarter_window(Q4)

    def flat(before: float, after: float) -> dict:
        return {**{x: Measure(before, 25, 25) for x in q[:4]},
                **{x: Measure(after, 25, 25) for x in q[4:]}}

    ivs = [_iv("a", "Alfa", flat(0.396, 0.504), {}), _iv("g", "Gamma", flat(0.304, 0.410), {})]
    assert _trend(ivs).title == ("Gamma: 41\u00a0% pålideligt forbedret de seneste fire "
                                 "kvartaler mod 30\u00a0% de fire før; forskellen kan skyldes "
                                 "tilfældigheder")


def _target_iv(iv_id: str, name: str, years: dict[int, tuple[int, int, float, float]]):
    """An intervention with its share at the clinical level per start year:
    year -> (at the clinical level, citizens, interval low, interval high)."""
    iv = InterventionSummary(iv_id, name, short_intervention_name(name), instrument="ORS")
    iv.target_years = [TargetYear(y, Measure(x / n, n, n, low, high), Measure(20.0, n))
                       for y, (x, n, low, high) in years.items()]
    return iv


def _target_title(ivs: list) -> str:
    data = StrategicPackData("Org", MEETING, Q4, quarter_window(Q4), ivs)
    spec = build_strategic_deck(data, DeckOptions())
    return next(f for f in spec.figures() if f.id == "target_group").title


def test_the_target_title_compares_shifts_as_printed() -> None:
    """The demo's slide 9 (QA finding 8), with the intervals of mart_target_group_at_start.
    Intensivt: 28 of 34 (82,4 %) in 2025, 14 of 21 (66,7 %) in 2026: 15,7 points
    unrounded, printed 82 % -> 67 %, 15 points. Gruppestøtte: 26 of 37 (70,3 %), 18 of
    21 (85,7 %): 15,4 unrounded, printed 70 % -> 86 %, 16 points. Both pairs of intervals
    overlap, so the title names Gruppestøtte and says "may be chance"."""
    spaed = _target_iv("spaedbarn", "Intensivt spædbarnsforløb",
                       {2025: (28, 34, 0.665, 0.917), 2026: (14, 21, 0.454, 0.828)})
    gruppe = _target_iv("voksenstoette", "Gruppestøtte",
                        {2025: (26, 37, 0.542, 0.825), 2026: (18, 21, 0.654, 0.950)})
    assert _target_title([spaed, gruppe]) == (
        "Gruppestøtte: 86\u00a0% starter på det kliniske niveau i 2026 mod 70\u00a0% i 2025; "
        "forskellen kan skyldes tilfældigheder")


def test_a_printed_tie_in_the_target_title_goes_to_more_citizens() -> None:
    """Alfa 16 of 20 (80 %) -> 13 of 20 (65 %): 15 points (15,0 unrounded), 40 citizens.
    Beta 35 of 50 (70 %) -> 42,3 of 50 (84,6 %, printed 85 %): 15 points (14,6
    unrounded), 100 citizens. A tie as printed: Beta, the shift resting on more citizens,
    is named (not Alfa by its unrounded hair, nor by the deck's order)."""
    alfa = _target_iv("a", "Alfa", {2025: (16, 20, 0.58, 0.92), 2026: (13, 20, 0.43, 0.82)})
    beta = _target_iv("b", "Beta", {2025: (35, 50, 0.56, 0.81), 2026: (42.3, 50, 0.72, 0.92)})
    assert _target_title([alfa, beta]) == (
        "Beta: 85\u00a0% starter på det kliniske niveau i 2026 mod 70\u00a0% i 2025; "
        "forskellen kan skyldes tilfældigheder")
    # 52,4 % -> 57,2 %: 4,8 points unrounded ("level" before), printed 52 % -> 57 %: 5
    gamma = _target_iv("g", "Gamma", {2025: (52.4, 100, 0.43, 0.62),
                                      2026: (57.2, 100, 0.47, 0.67)})
    assert _target_title([gamma]) == (
        "Gamma: 57\u00a0% starter på det kliniske niveau i 2026 mod 52\u00a0% i 2025; "
        "forskellen kan skyldes tilfældigheder")
    # 52,6 % -> 57,4 %: 4,8 points, printed 53 % -> 57 %: 4, level
    gamma = _target_iv("g", "Gamma", {2025: (52.6, 100, 0.43, 0.62),
                                      2026: (57.4, 100, 0.47, 0.67)})
    assert _target_title([gamma]) == "Målgruppen ved start ligner året før i alle indsatser"


def test_a_share_hidden_beside_a_small_count_reads_skjult_not_few_measured() -> None:
    """Beta's share is hidden because fewer than 5 improved (its share times n would give
    their number; mart_strategic_overview, reason complementary): the slides say that,
    not "fewer than 5 measured" nor "<5" beside its 40 measured courses."""
    a = _iv("a", "Alfa", {Q4: Measure(0.70, 40, 40, 0.60, 0.80)}, {Q4: 4000.0})
    b = _iv("b", "Beta", {Q4: Measure(suppressed=True, reason="complementary")}, {Q4: 5000.0})
    spec = build_strategic_deck(StrategicPackData("Org", MEETING, Q4, quarter_window(Q4),
                                                  [a, b]), DeckOptions())
    cmp = next(f for f in spec.figures() if f.id == "comparison")
    beta = next(c for c in cmp.cells if c.category.startswith("Beta"))
    assert (beta.value, beta.label, beta.category) == (None, "skjult", "Beta\n(n skjult)")
    assert cmp.suppressed_note == ("Skjult: færre end 5 borgere nåede resultatet, og andelen "
                                   "gange n ville give deres antal.")
    # only Alfa's share is shown; the title gives the cause both hidings share
    assert cmp.title == ("Kun Alfa har borgere nok bag tallet til at vise en andel "
                         "pålideligt forbedret (ORS): 70\u00a0%")
    words = next(s for s in spec.slides if any(
        b.heading == "Usikkerheden i ord" for b in s.blocks)).blocks[-1].bullets
    assert words[1] == ("Beta: færre end 5 blev pålideligt forbedret; andelen vises ikke, da "
                        "den sammen med antal målte ville vise antallet.")
