"""The national deck's claims: the leaders' rules (ties, hidden groups, direction), the
configured names and why a cell is hidden."""

from __future__ import annotations

from outputs.national_pack import NationalData, build_national_deck


def _coverage(*statuses: str) -> list[dict]:
    return [{"organisation_id": f"org_{i}", "organisation_name": f"Kommune {i}", "status": s,
             "quarter": "2026-Q3" if s == "included" else None, "exported_at": None,
             "detail": ""} for i, s in enumerate(statuses)]


def _share(iv: str, share: float | None, n_due: int | None = 40) -> dict:
    return {"intervention_id": iv, "is_suppressed": share is None, "suppression_reason": None,
            "n_citizens": None if share is None else 20, "n_due": None if share is None else n_due,
            "share_collected": share, "share_on_time": None, "organisations": 2}


def _point(point: str, order: int, mean: float | None, direction: str = "higher_is_worse"
           ) -> dict:
    return {"intervention_id": "unge", "instrument_id": "yls", "direction": direction,
            "point_id": point, "point_order": order, "occurrence_no": 0,
            "is_suppressed": mean is None, "suppression_reason": None,
            "n_citizens": None if mean is None else 12, "n_courses": 12, "mean_score": mean}


def _titles(data: NationalData, lang: str = "da") -> list[str]:
    return [s.title for s in build_national_deck(data, lang, 5).slides]


def test_highest_share_named_only_when_clear() -> None:
    data = NationalData("2026-Q3", _coverage("included", "included", "missing"),
                        [_share("a", 0.91), _share("b", 0.874)])
    titles = _titles(data)
    assert titles[1] == "2 af 3 organisationer er med i tallene for 2026-Q3"
    assert titles[2] == "a har den højeste andel indsamlede målinger (91\u00a0%)"


def test_tie_at_printed_precision_names_both() -> None:
    data = NationalData("2026-Q3", _coverage("included"), [_share("a", 0.871), _share("b", 0.869)])
    assert _titles(data)[2] == "a og b har lige høje andele indsamlede målinger (87\u00a0%)"


def test_hidden_share_means_no_winner() -> None:
    data = NationalData("2026-Q3", _coverage("included"), [_share("a", 0.95), _share("b", None)])
    title = _titles(data)[2]
    assert title.startswith("Mindst én indsats' andel er skjult")
    spec = build_national_deck(data, "da", 5)
    cells = spec.slides[2].figures[0].cells
    assert [c.value for c in cells] == [95.0, None] and cells[1].suppressed


def test_change_worded_by_direction_from_printed_means() -> None:
    # 20.04 -> 15.96 prints as 20,0 -> 16,0: a fall of 4,0 on a risk scale
    data = NationalData("2026-Q3", _coverage("included"), [],
                        [_point("start", 1, 20.04), _point("end", 2, 15.96)])
    assert _titles(data)[2] == ("YLS, unge: gennemsnittet faldt 4,0 point fra start til slut "
                                "(lavere er bedre)")


def test_hidden_end_point_gives_no_change() -> None:
    data = NationalData("2026-Q3", _coverage("included"), [],
                        [_point("start", 1, 20.0), _point("end", 2, None)])
    spec = build_national_deck(data, "da", 5)
    assert spec.slides[2].title.endswith("så ændringen kan ikke opgøres")
    assert "<5" in spec.slides[2].figures[0].categories[1]


NAMES = {("intervention", "unge"): "Praktikforløb for unge", ("instrument", "yls"): "YLS/CMI",
         ("intervention", "a"): "Børnegrupper", ("intervention", "b"): "Spædbarnsforløb"}


def test_titles_and_axes_use_configured_names_and_point_labels() -> None:
    data = NationalData("2026-Q3", _coverage("included"), [_share("a", 0.9), _share("b", 0.8)],
                        [_point("mid", 1, 20.0), _point("end", 2, 18.0), _point("fu6", 3, 17.0)])
    spec = build_national_deck(data, "da", 5, NAMES)
    assert spec.slides[2].title.startswith("Børnegrupper har den højeste andel")
    assert spec.slides[2].figures[0].categories == ["Børnegrupper\n(n = 40)",
                                                    "Spædbarnsforløb\n(n = 40)"]
    assert spec.slides[3].title == ("YLS/CMI, Praktikforløb for unge: gennemsnittet faldt 3,0 "
                                    "point fra midtvejs til opf. 6 mdr. (lavere er bedre)")
    assert [c.split("\n")[0] for c in spec.slides[3].figures[0].categories] == [
        "Midtvejs", "Slut", "Opf. 6 mdr."]
    english = build_national_deck(data, "en", 5, NAMES).slides[3]
    assert english.title.endswith("from midway to follow-up 6 m (lower is better)")


def test_cell_hidden_for_an_organisations_part_does_not_claim_few_citizens() -> None:
    hidden = _share("b", None) | {"suppression_reason": "hidden_locally"}
    data = NationalData("2026-Q3", _coverage("included"), [_share("a", 0.9), hidden])
    figure = build_national_deck(data, "da", 5, NAMES).slides[2].figures[0]
    assert figure.title == ("Mindst én indsats' andel er skjult for at beskytte en "
                            "organisations små tal, så ingen kan kåres som højest")
    assert figure.categories[1] == "Spædbarnsforløb\n(skjult: en organisations del er under 5)"
    assert "færre end" not in figure.title + figure.suppressed_note
    assert "<5" not in "".join(figure.categories)
    # a national cell below k still says so
    small = _share("b", None) | {"suppression_reason": "small_cell"}
    figure = build_national_deck(NationalData("2026-Q3", _coverage("included"),
                                              [_share("a", 0.9), small]), "da", 5).slides[2]
    assert "færre end 5 borgere" in figure.title
    assert figure.figures[0].categories[1] == "b\n(n <5)"
