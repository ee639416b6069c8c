"""The data steward's site in Danish: quarantine messages, numbers, dates and names
(worked out by hand)."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

from outputs.site.messages import QUARANTINE_MESSAGES_DA, quarantine_message

QUARANTINE_SQL = (Path(__file__).resolve().parents[2] / "transforms" / "sql" / "staging"
                  / "load" / "quarantine_rows.sql")


def test_every_quarantine_rule_of_the_ingest_has_a_danish_message():
    sql = QUARANTINE_SQL.read_text("utf-8")
    body = sql[sql.index("case problems.rule"):sql.index("end as message")]
    rules = set(re.findall(r"when\s+'(\w+)'", body))
    assert rules >= {"invalid_date", "duplicate_key", "cpr_in_id"}
    assert rules <= set(QUARANTINE_MESSAGES_DA), sorted(rules - set(QUARANTINE_MESSAGES_DA))


def test_quarantine_messages_in_danish_with_their_values():
    assert quarantine_message("invalid_date", "not a date in the format %d-%m-%Y", "da") == \
        "ikke en dato i formatet DD-MM-ÅÅÅÅ"
    assert quarantine_message("duplicate_key", "the same key as the earlier record (row) 1812",
                              "da") == "samme nøgle som den tidligere række 1812"
    assert quarantine_message("invalid_number", "not a number with decimal mark ','", "da") == \
        "ikke et tal med decimaltegnet ','"
    cpr = ("the id holds a CPR number (masked here); if this column's ids are CPR numbers, "
           "declare it in config/sources.yaml (id_kind: {citizen_ref: cpr}) so they are "
           "pseudonymised, else correct it at the source")
    assert quarantine_message("cpr_in_id", cpr, "da").startswith(
        "id'et indeholder et CPR-nummer (skjult her)")
    assert "(id_kind: {citizen_ref: cpr})" in quarantine_message("cpr_in_id", cpr, "da")
    too_long = ("a field too long to load (cut to its first 100 characters here), line 7: "
                "1,234,567 bytes, over the limit of 131,072 (ingest.csv_max_field_bytes)")
    assert quarantine_message("field_too_long", too_long, "da").endswith(
        "linje 7: 1.234.567 byte, over grænsen på 131.072 (ingest.csv_max_field_bytes)")
    other = ("the key is held by another source's row (fagsystem_a, a_maal_20240301.csv row "
             "12); refs must be unique across sources (a move between systems: takes_over in "
             "sources.yaml)")
    assert quarantine_message("key_of_other_source", other, "da") == (
        "nøglen bruges allerede af en række fra et andet fagsystem (fagsystem_a, "
        "a_maal_20240301.csv række 12); id'er skal være entydige på tværs af fagsystemer "
        "(ved skift af fagsystem: takes_over i sources.yaml)")
    # English stays as stored; a message no pattern reads is shown as written
    assert quarantine_message("duplicate_key", "the same key as the earlier record (row) 3",
                              "en") == "the same key as the earlier record (row) 3"
    assert quarantine_message("new_rule", "something new", "da") == "something new"


def test_counts_values_and_dates_on_the_site():
    from outputs.site.render import _count, _date, _num, _pct

    assert _count(27274, "da") == "27.274" and _count(27274, "en") == "27,274"
    assert _count(-25, "da") == "\u221225" and _count(0, "da") == "0"
    assert _num(-3.26, "da") == "\u22123,3" and _num(-3.26, "en") == "\u22123.3"
    assert _num(12.0, "da") == "12" and _num(1234.5, "da") == "1.234,5"
    assert _date(date(2026, 10, 31), "da") == "31.10.2026"
    assert _date(date(2026, 10, 31), "en") == "31 Oct 2026"
    assert _date(datetime(2026, 12, 7, 10, 24), "da") == "07.12.2026 10:24"
    assert _pct(0.8, "da") == "80\u00a0%" and _pct(0.8, "en") == "80%"


def test_rater_and_workshop_lines_with_danish_numbers_and_names():
    from checks.report import QualitySummary, RaterFlag, WorkshopItem

    summary = QualitySummary("r1", datetime(2026, 10, 31, 9, 0), date(2026, 10, 31),
                             "organisation", None, 0, 0, 0, None, None, None, None)
    summary.raters = [RaterFlag("M14", "asi", "calibration_deviation", 0.5678, 0.2, 0.94),
                      RaterFlag("M14", "kik", "rater_drift", 0.71, 0.35, 1.07, "voksen_oest")]
    summary.workshop_items = [WorkshopItem("yls_cmi", 20, -0.1)]
    summary.names = {("instrument", "asi"): "Misbrugssværhed", ("instrument", "kik"): "KiK",
                     ("instrument", "yls_cmi"): "YLS/CMI"}

    assert summary.rater_lines() == [
        "M14 vurderer Misbrugssværhed højere end kollegerne (+0,57 point/spm.; ved kalibrering)",
        "M14 vurderer KiK højere end kollegerne (+0,71 SD; i forløbene)",
    ]
    assert summary.workshop_lines() == ["YLS/CMI spørgsmål 20: enighed (alfa) \u22120,10"]
    summary.language = "en"  # the same lines in English: a decimal point
    assert summary.workshop_lines() == ["YLS/CMI item 20: agreement (alpha) \u22120.10"]
    assert summary.rater_lines()[0] == (
        "M14 rates Misbrugssværhed higher than colleagues (+0.57 points/item; in calibration)")


def test_a_generic_name_joined_into_a_sentence_starts_lower_case():
    from outputs.fmt import join_names, lower_first

    assert lower_first("Inddragelse af netværk") == "inddragelse af netværk"
    for kept in ("ORS", "SDQ forælder", "KiK", "YLS/CMI", "A"):
        assert lower_first(kept) == kept
    named = ["Fokus på forældre-barn-samspil", lower_first("Inddragelse af netværk")]
    assert join_names(named, "da") == "Fokus på forældre-barn-samspil og inddragelse af netværk"


def test_gas_scores_read_with_one_decimal_for_every_citizen():
    from datetime import date as day

    from datadialog.config_load import load_config
    from outputs.citizen_pack import InstrumentSeries, ScorePoint, progression_figure
    from outputs.common import scale_from_config

    config = load_config()
    gas = scale_from_config(config.instrument("gas"), None)
    ors = scale_from_config(config.instrument("ors"), None)
    assert gas.decimal_scores and not ors.decimal_scores
    series = InstrumentSeries("gas", gas, "staff", [
        ScorePoint("start", day(2026, 4, 1), 40.0), ScorePoint("end", day(2026, 9, 1), 50.0)])
    fig = progression_figure(series, "da", "c1:gas")
    assert fig.value_format == "dec1"
    assert fig.title.startswith("GAS: 50,0 ved seneste måling")
    assert "10,0 point" in fig.title


def test_failing_rows_reasons_in_danish_with_danish_numbers_dates_and_names():
    from outputs.site.messages import failing_reason

    names = {("instrument", "ors"): "ORS", ("instrument", "yls_cmi"): "YLS/CMI",
             ("instrument", "srs"): "SRS", ("team", "unge_syd"): "Ungeenheden Syd"}

    def name(kind: str, value: str) -> str:
        return names.get((kind, value), value)

    def da(rule: str, reason: str) -> str:
        return failing_reason(rule, reason, "da", name)

    assert da("outlier_extreme", "total 2.0 at end: z = -3.25, modified z = -3.88 "
              "(cell mean 25.33, SD 7.17, n = 81)") == (
        "total 2,0 ved slut: z = \u22123,25, modificeret z = \u22123,88 (gennemsnit 25,33, "
        "SD 7,17, n = 81)")
    assert da("late_measurement", "ors at start collected 2023-11-30, 29 days after it was "
              "due (2023-11-01); on time until 2023-11-15") == (
        "ORS ved start taget 30.11.2023, 29 dage efter forfaldsdatoen (01.11.2023); til tiden "
        "indtil 15.11.2023")
    assert da("calibration_agreement", "item 20 of yls_cmi: Krippendorff's alpha -0.1 "
              "(4 raters, 3 units, mean rater SD 0.33 points)") == (
        "YLS/CMI spørgsmål 20: Krippendorffs alfa \u22120,1 (4 bedømmere, 3 sager, gennemsnitlig "
        "SD mellem bedømmere 0,33 point)")
    assert da("timeliness_below_target", "team unge_syd: 103 of 843 collected measurements "
              "on time (12 %, target 75 %)") == (
        "team Ungeenheden Syd: 103 af 843 indsamlede målinger taget til tiden (12 %, mål 75 %)")
    assert da("timeliness_below_target", "month 2024-02: 55 of 81 collected measurements on "
              "time (68 %, target 75 %)").startswith("måned 02.2024: 55 af 81")
    assert da("measurement_in_future", "form dated 2026-11-01, 1 days after the as-of date "
              "2026-10-31") == ("skemaet er dateret 01.11.2026, 1 dag efter datoen for "
                                "dataudtrækket (31.10.2026)")
    assert da("rater_gap", "citizen-rated (ors, srs) improvement 0.43 SD vs staff-rated "
              "(yls_cmi) 2.06 SD") == (
        "borgerens vurdering (ORS, SRS) forbedret 0,43 SD, medarbejdernes (YLS/CMI) 2,06 SD")
    assert da("quarantined_records", "duplicate_key") == "samme nøgle to gange"
    assert da("course_overlap", "courses NY-S1 (2024-01-08 to open) and S1 (2024-01-08 to "
              "2024-06-06) of citizen P-ed8a2745 in voksenstoette start the same day") == (
        "forløbene NY-S1 (08.01.2024 til åbent) og S1 (08.01.2024 til 06.06.2024) for borger "
        "P-ed8a2745 i voksenstoette starter samme dag")
    assert da("course_overlap", "courses C2 (2024-03-01 to 2024-09-30) and C1 (2024-01-08 "
              "to open) of citizen P-1 in spaedbarn overlap").endswith(
        "for borger P-1 i spaedbarn overlapper hinanden")
    # English as stored; a reason no pattern reads is shown as written
    english = "total 2.0 at end: z = -3.25 (cell mean 25.33, SD 7.17, n = 81)"
    assert failing_reason("outlier_extreme", english, "en", name) == english
    assert da("schema", "birth_year below 1900 (birth_year=1850)") == \
        "birth_year below 1900 (birth_year=1850)"


def test_a_decks_status_in_words():
    from outputs.site.texts import deck_status

    assert deck_status("ready", "da") == "klar" and deck_status("ready", "en") == "ready"
    assert deck_status("blocked", "da") == "blokeret"
    assert deck_status("something_new", "da") == "something_new"
