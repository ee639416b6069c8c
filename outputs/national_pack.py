"""The national quarterly deck: which organisations are in the figures, completeness of
measurement per intervention, and the mean score per planned point, summed over the
organisations (``national_*`` marts of the roll-up database).

Reads only the national marts (``outputs/queries/national_*.sql``); a comparison in a
title is a claim made by :mod:`outputs.claims` (the leaders' summary's rules: no group is
"highest" when a share is hidden or two tie at the printed precision; a change is worded
by the instrument's direction).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from datadialog.names import Names
from outputs.claims import change_text, compare_shares, direction_note
from outputs.common import point_label
from outputs.fmt import fmt_pct, hidden, join_names, n_label
from outputs.gather import query
from outputs.spec import Cell, DeckSpec, FigureSpec, SlideSpec, TableSpec, TextBlock
from outputs.table_pages import table_pages

_TEXTS = {
    "da": {
        "title": "Nationalt kvartalsoverblik {quarter}",
        "subtitle": "{n} af {m} organisationer indgår i tallene",
        "footer": "National opsamling · {quarter}",
        "coverage_title": "{n} af {m} organisationer er med i tallene for {quarter}",
        "coverage_cols": ["Organisation", "Status", "Kvartal", "Bemærkning"],
        "included": "med", "stale": "forældet", "missing": "mangler", "invalid": "afvist",
        "coverage_note": "Kun organisationer med en godkendt eksport af kvartalet tælles med; "
                         "forældede, manglende og afviste eksporter indgår ikke.",
        "coll_series": "Indsamlet af planlagte målinger",
        "coll_leader": "{name} har den højeste andel indsamlede målinger ({share})",
        "coll_similar": "{names} har lige høje andele indsamlede målinger ({share})",
        "coll_hidden": "Mindst én indsats' andel er skjult (færre end {k} borgere), så ingen "
                       "kan kåres som højest",
        "coll_hidden_other": "Mindst én indsats' andel er skjult for at beskytte en "
                             "organisations små tal, så ingen kan kåres som højest",
        "hidden_locally": "skjult: en organisations del er under {k}",
        "hidden_other_note": "skjult: en organisations del er under {k} (eller skjult i "
                             "dens egne tal) og ville kunne regnes tilbage; tallet vises "
                             "ikke, selv om indsatsen kan have mange borgere",
        "complementary": "skjult: ellers kunne et andet skjult tal regnes ud",
        "coll_none": "Ingen planlagte målinger forfaldt i {quarter}",
        "coll_how": "Søjlen er andelen af de planlagte målinger med forfald i kvartalet, som "
                    "blev indsamlet, lagt sammen over organisationerne. n er antal forfaldne "
                    "målinger. {hidden} betyder, at tallet er skjult for at beskytte borgerne.",
        "prog_title": "{instrument}, {intervention}: gennemsnittet {change} fra {first} til "
                      "{last} ({note})",
        "prog_title_hidden": "{instrument}, {intervention}: første eller sidste målepunkt er "
                             "skjult, så ændringen kan ikke opgøres",
        "prog_title_one": "{instrument}, {intervention}: kun ét målepunkt med tal",
        "prog_y": "Gennemsnitlig score",
        "prog_series": "Alle borgere med en måling",
        "prog_how": "Punkterne er gennemsnittet af totalscoren ved hvert planlagt målepunkt, "
                    "lagt sammen over organisationerne. Borgerne bag hvert punkt kan være "
                    "forskellige (frafald). {hidden} betyder, at tallet er skjult: for få "
                    "borgere, eller en organisations skjulte tal ville kunne regnes ud.",
        "hidden_note": "{hidden}: færre end {k} borgere, eller et lokalt skjult tal der ellers "
                       "kunne regnes tilbage; tallet vises ikke",
    },
    "en": {
        "title": "National quarterly overview {quarter}",
        "subtitle": "{n} of {m} organisations are in the figures",
        "footer": "National roll-up · {quarter}",
        "coverage_title": "{n} of {m} organisations are in the figures for {quarter}",
        "coverage_cols": ["Organisation", "Status", "Quarter", "Note"],
        "included": "included", "stale": "stale", "missing": "missing", "invalid": "rejected",
        "coverage_note": "Only organisations with an accepted export of the quarter count; "
                         "stale, missing and rejected exports are left out.",
        "coll_series": "Collected of planned measurements",
        "coll_leader": "{name} has the highest share of measurements collected ({share})",
        "coll_similar": "{names} have equal shares of measurements collected ({share})",
        "coll_hidden": "At least one intervention's share is hidden (fewer than {k} "
                       "citizens), so none can be called highest",
        "coll_hidden_other": "At least one intervention's share is hidden to protect an "
                             "organisation's small numbers, so none can be called highest",
        "hidden_locally": "hidden: one organisation's part is under {k}",
        "hidden_other_note": "hidden: one organisation's part is under {k} (or hidden in "
                             "its own figures) and could be worked back; not shown, though "
                             "the intervention may have many citizens",
        "complementary": "hidden: another hidden number could be worked out",
        "coll_none": "No planned measurements fell due in {quarter}",
        "coll_how": "Each bar is the share of measurements due in the quarter that were "
                    "collected, summed over the organisations. n is measurements due. "
                    "{hidden} means the number is hidden to protect citizens.",
        "prog_title": "{instrument}, {intervention}: the mean {change} from {first} to "
                      "{last} ({note})",
        "prog_title_hidden": "{instrument}, {intervention}: the first or last point is "
                             "hidden, so the change cannot be given",
        "prog_title_one": "{instrument}, {intervention}: only one point has figures",
        "prog_y": "Mean score",
        "prog_series": "All citizens with a measurement",
        "prog_how": "Each point is the mean total score at a planned measurement point, "
                    "summed over the organisations. The citizens behind each point may "
                    "differ (drop-out). {hidden} means the number is hidden: too few "
                    "citizens, or an organisation's hidden number could be worked out.",
        "hidden_note": "{hidden}: fewer than {k} citizens, or a locally hidden number that "
                       "could otherwise be worked back; not shown",
    },
}


def _t(key: str, lang: str, **values) -> str:
    text = _TEXTS[lang if lang in _TEXTS else "en"][key]
    return text.format(**values) if values else text


@dataclass
class NationalData:
    quarter: str
    coverage: list[dict] = field(default_factory=list)
    collection: list[dict] = field(default_factory=list)
    progression: list[dict] = field(default_factory=list)

    @property
    def included(self) -> list[dict]:
        return [c for c in self.coverage if c["status"] == "included"]


def gather_national(con, quarter: str) -> NationalData:
    """The deck's rows from the roll-up database."""
    return NationalData(quarter, query(con, "national_coverage"),
                        query(con, "national_collection", quarter=quarter),
                        query(con, "national_progression"))


def coverage_slide(data: NationalData, lang: str) -> SlideSpec:
    n, m = len(data.included), len(data.coverage)
    rows = [[c["organisation_name"], _t(c["status"], lang), c["quarter"] or "–",
             c["detail"] or ""] for c in data.coverage]
    return SlideSpec(
        kind="table",
        title=_t("coverage_title", lang, n=n, m=m, quarter=data.quarter),
        table=TableSpec(_t("coverage_cols", lang), rows, column_widths=[3, 1.3, 1.2, 4]),
        blocks=[TextBlock(paragraph=_t("coverage_note", lang))],
    )


def _name(names: Names | None, kind: str, id_: str) -> str:
    """The configured name of an intervention or instrument (short name); the id when no
    organisation's config names it."""
    if names and (kind, id_) in names:
        return names[(kind, id_)]
    return id_.upper() if kind == "instrument" else id_


def _n_text(row: dict, n: int | None, k: int, lang: str) -> str:
    """A cell's n as its category shows it. A cell hidden because of one organisation's
    part (or as the complementary cell) may hold many citizens: it says why it is hidden
    instead of "n <k"."""
    reason = row.get("suppression_reason")
    if row["is_suppressed"] and reason in ("hidden_locally", "complementary"):
        return _t(reason, lang, k=k)
    return n_label(n, k, bool(row["is_suppressed"]))


def _hidden_note(rows: list[dict], lang: str, k: int) -> str:
    """Why the figure's hidden cells are hidden ("" when none is)."""
    reasons = {r.get("suppression_reason") for r in rows if r["is_suppressed"]}
    if not reasons:
        return ""
    if reasons <= {"hidden_locally", "complementary"}:
        return _t("hidden_other_note", lang, k=k)
    return _t("hidden_note", lang, hidden=hidden(k), k=k)


def collection_figure(data: NationalData, lang: str, k: int,
                      names: Names | None = None) -> FigureSpec:
    series = _t("coll_series", lang)
    categories, cells, shares = [], [], []
    for row in data.collection:
        share = None if row["is_suppressed"] else row["share_collected"]
        name = _name(names, "intervention", row["intervention_id"])
        label = (_n_text(row, None, k, lang) if row["is_suppressed"]
                 else f"n = {row['n_due']}")
        category = f"{name}\n({label})"
        categories.append(category)
        cells.append(Cell(category, series, None if share is None else share * 100,
                          n=row["n_due"], suppressed=bool(row["is_suppressed"])))
        shares.append((name, share))
    claim = compare_shares(shares)
    if claim.kind == "leader":
        name, share = claim.ranked[0]
        title = _t("coll_leader", lang, name=name, share=fmt_pct(share, lang))
    elif claim.kind == "similar":
        top = [g for g, v in claim.ranked if v == claim.ranked[0][1]]
        title = _t("coll_similar", lang, names=join_names(top, lang),
                   share=fmt_pct(claim.ranked[0][1], lang))
    elif claim.kind == "hidden":
        small = any(r["is_suppressed"] and r.get("suppression_reason") not in
                    ("hidden_locally", "complementary") for r in data.collection)
        title = _t("coll_hidden" if small else "coll_hidden_other", lang, k=k)
    else:
        title = _t("coll_none", lang, quarter=data.quarter)
    return FigureSpec(
        id="national_collection", chart="bar", title=title, x_label="", y_label=series,
        categories=categories, series=[series], cells=cells,
        how_to_read=_t("coll_how", lang, hidden=hidden(k)), value_format="pct",
        y_min=0, y_max=100, suppressed_note=_hidden_note(data.collection, lang, k),
    )


def _point_label(row: dict, lang: str) -> str:
    label = point_label(row["point_id"], lang)
    return label + (f" {row['occurrence_no']}" if row["occurrence_no"] else "")


def progression_figure(rows: list[dict], lang: str, k: int,
                       names: Names | None = None) -> FigureSpec:
    """One intervention and instrument: the mean per point (rows in point order)."""
    first_row = rows[0]
    intervention, instrument = first_row["intervention_id"], first_row["instrument_id"]
    direction = first_row["direction"]
    series = _t("prog_series", lang)
    categories, cells = [], []
    for row in rows:
        category = f"{_point_label(row, lang)}\n({_n_text(row, row['n_citizens'], k, lang)})"
        categories.append(category)
        cells.append(Cell(category, series, None if row["is_suppressed"] else row["mean_score"],
                          n=row["n_citizens"], suppressed=bool(row["is_suppressed"])))
    words = {"instrument": _name(names, "instrument", instrument),
             "intervention": _name(names, "intervention", intervention)}
    if len(rows) < 2:
        title = _t("prog_title_one", lang, **words)
    elif rows[0]["is_suppressed"] or rows[-1]["is_suppressed"]:
        title = _t("prog_title_hidden", lang, **words)
    else:
        # the change between the means as the chart prints them (one decimal)
        start = round(rows[0]["mean_score"], 1)
        end = round(rows[-1]["mean_score"], 1)
        title = _t("prog_title", lang, **words,
                   change=change_text(end - start, direction, lang, judged=False),
                   first=_point_label(rows[0], lang).lower(),
                   last=_point_label(rows[-1], lang).lower(),
                   note=direction_note(direction, lang))
    return FigureSpec(
        id=f"national_progression_{intervention}_{instrument}", chart="line", title=title,
        x_label="", y_label=_t("prog_y", lang), categories=categories, series=[series],
        cells=cells, how_to_read=_t("prog_how", lang, hidden=hidden(k)),
        n_note="", suppressed_note=_hidden_note(rows, lang, k),
    )


def build_national_deck(data: NationalData, lang: str, k: int,
                        names: Names | None = None) -> DeckSpec:
    """The deck; ``names`` (:func:`datadialog.names.display_names` of the organisations'
    configs) gives interventions and instruments their configured names."""
    n, m = len(data.included), len(data.coverage)
    slides = [
        SlideSpec(kind="title", title=_t("title", lang, quarter=data.quarter),
                  subtitle=_t("subtitle", lang, n=n, m=m)),
        *table_pages(coverage_slide(data, lang)),  # a row per organisation
    ]
    if data.collection:
        figure = collection_figure(data, lang, k, names)
        slides.append(SlideSpec(kind="figure", title=figure.title, figures=[figure]))
    lines: dict[tuple[str, str], list[dict]] = {}
    for row in data.progression:
        lines.setdefault((row["intervention_id"], row["instrument_id"]), []).append(row)
    for rows in lines.values():
        figure = progression_figure(rows, lang, k, names)
        slides.append(SlideSpec(kind="figure", title=figure.title, figures=[figure]))
    return DeckSpec(title=_t("title", lang, quarter=data.quarter),
                    subtitle=_t("subtitle", lang, n=n, m=m), language=lang,  # type: ignore[arg-type]
                    slides=slides, footer=_t("footer", lang, quarter=data.quarter))

