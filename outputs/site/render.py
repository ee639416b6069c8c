"""Draw a :class:`~outputs.site.model.SiteData` as static HTML pages.

:func:`write_site` writes ``<out>/index.html`` (to the default language),
``<out>/static/site.css`` (copied from this package) and per language ``<out>/<lang>/``:
``index.html`` (quality), ``rule-<rule>.html`` (failing rows), ``quarantine.html``,
``due.html``, ``lineage.html`` and one page per team and intervention. Pages carry no
script and load nothing but the stylesheet beside them; every link is relative.
"""

from __future__ import annotations

import html
import re
import shutil
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from datadialog.atomic_write import write_text
from datadialog.due_window import DUE_LOOKBACK_DAYS
from outputs.common import point_label
from outputs.fmt import fmt_cell, fmt_date, fmt_number, fmt_pct, lower_first
from outputs.site.messages import failing_reason, quarantine_message
from outputs.site.model import (
    DeckPage,
    FigureLineage,
    RuleFindings,
    ScopeQuality,
    SiteData,
    page_file,
    rule_file,
)
from outputs.site.texts import deck_status, quarantine_rule, text
from outputs.spec import FigureSpec, SlideSpec, TableSpec

STATIC = Path(__file__).resolve().parent / "static"
LANGUAGES = ("da", "en")

e = html.escape


def _pct(value: float | None, lang: str) -> str:
    """A share 0-1 in per cent ("12 %" in Danish, "12%" in English; never 0 % or 100 %
    by rounding)."""
    return fmt_pct(value, lang)


def _date(value: date | datetime | None, lang: str) -> str:
    """A date as the decks write it (31.10.2026 / 31 Oct 2026), a time after it."""
    if value is None:
        return "–"
    if isinstance(value, datetime):
        return f"{fmt_date(value.date(), lang)} {value:%H:%M}"
    return fmt_date(value, lang)


def _num(value: Any, lang: str) -> str:
    """An observed value: whole numbers without decimals, else one decimal, with the
    language's separators ("-3,3" in Danish)."""
    if value is None:
        return "–"
    if isinstance(value, float) and not value.is_integer():
        return fmt_number(value, lang, 1)
    if isinstance(value, int | float):
        return fmt_number(value, lang, 0)
    return str(value)


def _table(header: Iterable[str], rows: Iterable[Iterable[str]], row_ids: Iterable[str] | None
           = None, numeric: Iterable[int] = (), classes: dict[int, str] | None = None,
           table_class: str = "") -> str:
    """A table of already-escaped cells; ``classes``: column -> the class of its header
    and cells (the stylesheet's column widths), ``numeric`` columns right-aligned."""
    numeric = set(numeric)
    classes = classes or {}

    def attr(j: int, *extra: str) -> str:
        names = " ".join(x for x in (*extra, classes.get(j, "")) if x)
        return f' class="{names}"' if names else ""

    head = "".join(f"<th{attr(j)}>{h}</th>" for j, h in enumerate(header))
    ids = list(row_ids) if row_ids is not None else None
    body = []
    for i, row in enumerate(rows):
        rid = f' id="{ids[i]}"' if ids else ""
        cells = "".join(f"<td{attr(j, 'n' if j in numeric else '')}>{c}</td>"
                        for j, c in enumerate(row))
        body.append(f"<tr{rid}>{cells}</tr>")
    cls = f' class="{table_class}"' if table_class else ""
    return (f"<table{cls}><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody>"
            "</table>")


def _token(value: object) -> str:
    """An id or a file name, escaped, that may break after its ``_ : /`` and before a
    file extension's dot ("b_export_<wbr>20261031<wbr>.xlsx", "goals:<wbr>F0000110:<wbr>
    2024-10-11"): a column of them is as narrow as their longest part, not the whole."""
    text = e(str(value))
    return re.sub(r"([_:/])(?=\w)", r"\1<wbr>", re.sub(r"(?<=\w)\.(?=[A-Za-z])", "<wbr>.", text))


def _on_due_list(r: RuleFindings) -> tuple[int, int]:
    """(rows on the due list, rows only on the rule page). The due list keeps a missing
    measurement until its window has been closed for DUE_LOOKBACK_DAYS days (a
    missing_measurement row's ``observed``: days since the window closed); the other due
    rules' rows are all counted as on it."""
    if r.rule_id != "missing_measurement":
        return len(r.rows), 0
    off = sum(1 for row in r.rows
              if row.get("observed") is not None and row["observed"] > DUE_LOOKBACK_DAYS)
    return len(r.rows) - off, off


def _only_here(r: RuleFindings) -> bool:
    """Every row of the rule is too old for the due list (so no link to it)."""
    on, off = _on_due_list(r)
    return off > 0 and on == 0


def _count(n: int | None, lang: str) -> str:
    """A whole number with thousands separated ("27.274" in Danish, "27,274" in English)."""
    return fmt_number(n, lang, 0)


def _short(title: str, limit: int = 60) -> str:
    """A figure's title cut at a word before ``limit`` characters (the full title is the
    link's tooltip and the heading it leads to)."""
    if len(title) <= limit:
        return title
    return title[:limit].rsplit(" ", 1)[0] + " …"


def _sparkline(values: tuple[float | None, ...], target: float | None = None) -> str:
    points = [v for v in values if v is not None]
    if len(values) < 2 or not points:
        return ""
    width, height = 110, 26
    lo = min(points + ([target] if target is not None else []))
    hi = max(points + ([target] if target is not None else []))
    span = hi - lo or 1.0
    step = width / (len(values) - 1)

    def y(v: float) -> float:
        return height - 3 - (v - lo) / span * (height - 6)

    coords = " ".join(f"{i * step:.1f},{y(v):.1f}" for i, v in enumerate(values) if v is not None)
    target_line = (f'<line x1="0" x2="{width}" y1="{y(target):.1f}" y2="{y(target):.1f}" '
                   'stroke="#999" stroke-dasharray="3,3"/>' if target is not None else "")
    return (f'<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
            f'aria-label="trend">{target_line}<polyline fill="none" stroke="#1f5f8b" '
            f'stroke-width="2" points="{coords}"/></svg>')


def _trend_cell(values: tuple[float | None, ...], target: float | None, lang: str) -> str:
    """A trend's sparkline; "første kørsel" when there is one run only (nothing to draw
    yet), "–" when fewer than two of the runs have a value."""
    if len(values) < 2:
        return f'<span class="read">{e(text("first_run", lang))}</span>'
    return _sparkline(values, target) or "–"


def _bar(value: float, top: float, diverging: bool) -> str:
    """A cell's bar: its length the value's share of the figure's largest (80 px); in a
    figure of values either side of 0 (a difference, a change) a bar from a middle line,
    left and orange below 0, right and blue above it (40 px each way)."""
    if not diverging:
        return f'<span class="bar" style="width:{int(80 * abs(value) / top)}px"></span>'
    width = int(40 * abs(value) / top)
    side = "neg" if value < 0 else "pos"
    return (f'<span class="dbar"><span class="{side}" style="width:{width}px"></span>'
            "</span>")


def replace_scope(site: SiteData) -> ScopeQuality:
    """The organisation's overall rates, shaped like a scope's."""
    return ScopeQuality("organisation", "all", site.organisation, site.completeness,
                        site.completeness_target, site.timeliness, site.timeliness_target)


def _scope_anchor(kind: str, scope_id: str) -> str:
    return "q-" + kind + "-" + "".join(c if c.isalnum() or c in "-_" else "_" for c in scope_id)


def _diverging(fig: FigureSpec) -> bool:
    """A figure of values either side of 0: its axis runs below 0 (a difference to
    expected) or a value is negative."""
    return (fig.y_min is not None and fig.y_min < 0) or any(
        c.value < 0 for c in fig.cells if c.value is not None and not c.suppressed)


class _Pages:
    """The pages of one language."""

    def __init__(self, site: SiteData, k: int = 5):
        self.s = site
        self.lang = site.language
        self.k = k  # the small-cell limit: hidden cells read "<k"
        self._anchored: set[tuple[str, str]] = set()  # scope anchors already on a page
        self._page_names: dict[str, str] = {}  # page file -> the first page's name
        for p in site.pages:
            self._page_names.setdefault(page_file(p.kind, p.scope_id), p.name)

    def t(self, key: str, **values: object) -> str:
        return e(text(key, self.lang, **values))

    # ---------------------------------------------------------------- frame

    def frame(self, name: str, title: str, body: str, nav: str) -> str:
        other = "en" if self.lang == "da" else "da"
        links = [("index.html", "nav_quality", "quality"),
                 ("quarantine.html", "nav_quarantine", "quarantine"),
                 ("due.html", "nav_due", "due"),
                 ("lineage.html", "nav_lineage", "lineage"),
                 ("scopes.html", "nav_scopes", "scopes")]
        here = ' class="here"'
        menu = "".join(
            f'<a href="{href}"{here if key == nav else ""}>{self.t(label)}</a>'
            for href, label, key in links)
        as_of = self.t("data_as_of", date=_date(self.s.as_of, self.lang))
        return f"""<!doctype html>
<html lang="{self.lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title)} · {self.t("site_title")}</title>
<link rel="stylesheet" href="../static/site.css"></head><body>
<header>{menu}<span class="right"><a href="../{other}/{name}" hreflang="{other}">{self.t(
            "switch")}</a><span class="asof">{as_of}</span></span></header>
<main><h1>{e(title)}</h1>
<p class="sub">{as_of} · {e(self.s.organisation)}</p>
{body}</main></body></html>
"""

    # ---------------------------------------------------------------- quality

    def quality(self) -> str:
        s = self.s
        if s.run_id is None:
            return self.frame("index.html", text("nav_quality", self.lang),
                              f"<p>{self.t('no_run')}</p>", "quality")

        def tile(label: str, value: str, bad: bool, ok: bool = True) -> str:
            """A number, red when ``bad``, green when ``ok`` (and not bad), else neutral."""
            state = " bad" if bad else " ok" if ok else ""
            return (f'<div class="tile"><div>{e(label)}</div>'
                    f'<div class="v{state}">{e(value)}</div></div>')

        below = lambda v, t: v is not None and t is not None and v < t  # noqa: E731
        tiles = "".join([
            tile(f"{text('completeness', self.lang)} ({text('target', self.lang)} "
                 f"{_pct(s.completeness_target, self.lang)})", _pct(s.completeness, self.lang),
                 below(s.completeness, s.completeness_target)),
            tile(f"{text('timeliness', self.lang)} ({text('target', self.lang)} "
                 f"{_pct(s.timeliness_target, self.lang)})", _pct(s.timeliness, self.lang),
                 below(s.timeliness, s.timeliness_target)),
            tile(text("errors", self.lang), _count(s.n_errors, self.lang), s.n_errors > 0),
            # warnings are not errors (not red), but not all right either (not green)
            tile(text("warnings", self.lang), _count(s.n_warnings, self.lang), False,
                 ok=not s.n_warnings),
            tile(text("quarantined", self.lang), _count(len({(q["file_name"], q["sheet"],
                                                              q["row_no"]) for q in s.quarantine}),
                                                        self.lang),
                 bool(s.quarantine)),
        ])
        run = self.t("run", run=s.run_id, when=_date(s.run_started_at, self.lang))
        rules_by_id = {r.rule_id: r for r in s.rules}
        scope_rows = []
        for q in s.scopes:
            findings = ", ".join(
                f'<a href="{rule_file(rule)}">'
                f"{e(rules_by_id[rule].title if rule in rules_by_id else rule)}</a> "
                f"({_count(n, self.lang)})"
                for rule, _sev, n in q.findings) or self.t("none")
            name = (f'<a href="{page_file(q.kind, q.scope_id)}">{e(q.name)}</a>'
                    if any((p.kind, p.scope_id) == (q.kind, q.scope_id) for p in s.pages)
                    else e(q.name))
            quarantine = ", ".join(
                f'<a href="quarantine.html#{_scope_anchor(q.kind, q.scope_id)}">'
                f"{e(quarantine_rule(rule, self.lang))}</a> ({_count(n, self.lang)})"
                for rule, n in q.quarantine
            ) or self.t("none")
            scope_rows.append([
                self.t(f"kind_{q.kind}"), name,
                self._rate(q.completeness, q.completeness_target)
                + _sparkline(q.completeness_trend, q.completeness_target),
                self._rate(q.timeliness, q.timeliness_target)
                + _sparkline(q.timeliness_trend, q.timeliness_target),
                findings, quarantine, e(", ".join(q.raters)) or self.t("none"),
            ])
        scopes = _table([self.t("kind_team") + " / " + self.t("kind_intervention"),
                         self.t("scope"), self.t("completeness"), self.t("timeliness"),
                         self.t("findings"), self.t("nav_quarantine"), self.t("col_raters")],
                        scope_rows)
        unplaced = sum(1 for q in s.quarantine
                       if not q.get("team_id") and not q.get("intervention_id"))
        if unplaced:
            scopes += f'<p class="read">{self.t("quarantine_unplaced", n=unplaced)}</p>'

        rule_rows = [[
            f'<a href="{rule_file(r.rule_id)}">{e(r.title)}</a>',
            self.t(f"severity_{r.severity}"), _count(r.n_failed, self.lang),
            _count(r.n_checked, self.lang),
            e(r.fix) + (f' · <a href="due.html">{self.t("due_link")}</a>'
                        if r.concerns_due_list and not _only_here(r) else ""),
        ] for r in s.rules]
        rules = _table([self.t("rule"), self.t("severity"), self.t("found"), self.t("checked"),
                        self.t("fix")], rule_rows,
                       numeric=(2, 3))
        raters = "".join(f"<li>{e(x)}</li>" for x in s.rater_lines) or \
            f"<li>{self.t('raters_none')}</li>"
        workshop = "".join(f"<li>{e(x)}</li>" for x in s.workshop_lines[:10])
        trend_rows = [[e(label), _trend_cell(values, target, self.lang), e(last)]
                      for label, values, target, last in s.trends]
        trends = _table([self.t("metric"), self.t("trend"), self.t("last")], trend_rows,
                        numeric=(2,))
        body = f"""<p class="sub">{run}</p><div class="tiles">{tiles}</div>
<h2>{self.t("per_scope")}</h2>{scopes}
<h2>{self.t("rules")}</h2>{rules}
<h2>{self.t("raters")}</h2><ul>{raters}</ul>
{f'<h3>{self.t("workshop")}</h3><ul>{workshop}</ul>' if workshop else ''}
<h2>{self.t("trends")}</h2>{trends}"""
        return self.frame("index.html", text("nav_quality", self.lang), body, "quality")

    def _name(self, kind: str, scope_id: str) -> str:
        """A team's, an intervention's or an instrument's name (its id when the site has
        no name for it)."""
        if (kind, scope_id) in self.s.names:
            return self.s.names[(kind, scope_id)]
        for q in self.s.scopes:
            if (q.kind, q.scope_id) == (kind, scope_id):
                return q.name
        for p in self.s.pages:
            if (p.kind, p.scope_id) == (kind, scope_id):
                return p.name
        return scope_id or "–"

    def _page_name(self, page: str, default: str) -> str:
        """The name of the team, intervention or leaders' page ``page`` (a file name)."""
        return self._page_names.get(page, default)

    def _rate(self, value: float | None, target: float | None) -> str:
        bad = value is not None and target is not None and value < target
        return f'<span class="{"bad" if bad else "ok"}">{_pct(value, self.lang)}</span> '

    # ---------------------------------------------------------------- a rule's rows

    def _due_paragraph(self, r: RuleFindings) -> str:
        """The rule page's link to the due list; for missing measurements, how many of the
        rows are on it (it keeps an overdue measurement for DUE_LOOKBACK_DAYS days
        after its window closed)."""
        if not r.concerns_due_list:
            return ""
        on, off = _on_due_list(r)
        link = f'<a href="due.html">{self.t("due_link")}</a>'
        if not off:
            return f"<p>{link}</p>"
        if not on:
            return f'<p>{self.t("due_no_missing", days=DUE_LOOKBACK_DAYS)}</p>'
        return (f'<p>{link}. ' + self.t("due_some_missing", days=DUE_LOOKBACK_DAYS,
                                         on=_count(on, self.lang), off=_count(off, self.lang))
                + "</p>")

    def rule(self, r: RuleFindings) -> str:
        header = [self.t(k) for k in ("no", "col_scope", "col_staff", "col_course",
                                      "col_measure", "col_date", "col_value", "col_reason",
                                      "col_source", "col_figures")]
        rows, ids = [], []
        for row in r.rows:
            links = self._figure_links(self.s.affected_figures(row, r.table_name))
            scopes = []
            for kind, key in (("intervention", "intervention_id"), ("team", "team_id")):
                value = row.get(key)
                if value is None:
                    continue
                name = e(self._name(kind, value))
                if any((p.kind, p.scope_id) == (kind, value) for p in self.s.pages):
                    name = f'<a href="{page_file(kind, value)}">{name}</a>'
                scopes.append(name)
            measure = " · ".join(
                e(part) for part in (
                    self._name("instrument", row["instrument_id"])
                    if row.get("instrument_id") else None,
                    f"{text('col_item', self.lang)} {row['item_no']}"
                    if row.get("item_no") is not None else None,
                    point_label(row["point_id"], self.lang) if row.get("point_id") else None,
                ) if part)
            course = " · ".join(_token(row[k]) for k in ("course_id", "form_id") if row.get(k))
            source = (f"{_token(row['file_name'])}, {text('col_record', self.lang)} "
                      f"{row['row_no']}" if row.get("file_name") else "–")
            ids.append(f"row-{row['failure_no']}")
            rows.append([
                f'<a href="#row-{row["failure_no"]}">{row["failure_no"]}</a>',
                "<br>".join(scopes) or "–", e(row.get("staff_id") or "–"), course or "–",
                measure or "–", e(_date(row.get("event_on"), self.lang)),
                e(_num(row.get("observed"), self.lang)),
                e(failing_reason(r.rule_id, row.get("reason"), self.lang, self._name)), source,
                links,
            ])
        columns = {0: "no", 1: "scope", 3: "course", 5: "date", 7: "reason", 8: "source",
                   9: "figs"}
        due = self._due_paragraph(r)
        body = f"""<p>{self.t("severity")}: {self.t("severity_" + r.severity)} ·
{self.t("found")}: {_count(r.n_failed, self.lang)} · {self.t("checked")}:
{_count(r.n_checked, self.lang)} · {self.t("col_table")}: <code>{e(r.table_name)}</code></p>
<h2>{self.t("what")}</h2><p>{e(r.description)}</p>
<h2>{self.t("fix")}</h2><p class="fix">{e(r.fix)}</p>{due}
<h2>{self.t("failing_rows")}</h2>{_table(header, rows, ids, numeric=(0,), classes=columns,
                                           table_class="rows")}"""
        return self.frame(rule_file(r.rule_id), text("failing_rows_of", self.lang, rule=r.title),
                          body, "quality")

    def _figure_links(self, figures: list[FigureLineage]) -> str:
        """The deck figures a row affects, under the name of the page (deck) that shows
        them, once per page (not before each figure: four figures of the leaders' summary
        repeated its 55-character name four times)."""
        if not figures:
            return "–"
        by_page: dict[str, list[FigureLineage]] = {}
        for f in figures:
            by_page.setdefault(f.page, []).append(f)
        groups = []
        for page, figs in by_page.items():
            links = "".join(f'<li><a href="lineage.html#{f.anchor}" title="{e(f.title)}">'
                            f"{e(_short(f.title))}</a></li>" for f in figs)
            groups.append(f'<div class="deck">{e(self._page_name(page, figs[0].deck))}</div>'
                          f"<ul>{links}</ul>")
        return f'<div class="figs">{"".join(groups)}</div>'

    # ---------------------------------------------------------------- quarantine

    def quarantine(self) -> str:
        parts = [f"<p>{self.t('quarantine_intro')}</p>"]
        if not self.s.quarantine:
            parts.append(f"<p>{self.t('quarantine_none')}</p>")
        groups: dict[tuple[str, str], list[dict]] = {}
        for q in self.s.quarantine:
            key = ((q.get("team_id") or "", q.get("intervention_id") or ""))
            groups.setdefault(key, []).append(q)
        header = [self.t(k) for k in ("col_file", "col_sheet", "no", "col_table", "col_column",
                                      "col_value", "rule", "col_message")]
        for (team, intervention), rows in sorted(groups.items(), key=lambda g: (not g[0][0], g[0])):
            anchors = "".join(f'<span id="{_scope_anchor(kind, sid)}"></span>'
                              for kind, sid in (("team", team), ("intervention", intervention))
                              if sid and (kind, sid) not in self._anchored)
            self._anchored.update({("team", team), ("intervention", intervention)})
            title = (f"{self.t('kind_team')}: {e(self._name('team', team))} · "
                     f"{self.t('kind_intervention')}: "
                     f"{e(self._name('intervention', intervention))}"
                     if team or intervention else self.t("quarantine_no_scope"))
            parts.append(f"<section>{anchors}<h2>{title}</h2>" + _table(header, [
                [_token(q["file_name"]), e(q["sheet"] or "–"), str(q["row_no"]),
                 _token(q["canonical_table"]), _token(q["column_name"] or "–"),
                 e(q["value"] or ""),
                 e(quarantine_rule(q["rule"], self.lang)),
                 e(quarantine_message(q["rule"], q["message"], self.lang))] for q in rows],
                numeric=(2,)) + "</section>")
        return self.frame("quarantine.html", text("quarantine_title", self.lang),
                          "".join(parts), "quarantine")

    # ---------------------------------------------------------------- due list

    def due(self) -> str:
        teams = sorted({r["team_id"] for r in self.s.due})
        missing = next((r for r in self.s.rules if r.rule_id == "missing_measurement"), None)
        title = missing.title if missing else self.s.missing_rule_title
        intro = self.t("due_intro", days=DUE_LOOKBACK_DAYS, rule="\x00")
        rule = (f'<a href="{rule_file("missing_measurement")}">{e(title)}</a>' if missing
                else e(title))
        parts = [f"<p>{intro.replace(chr(0), rule)}</p>"]
        if self.s.due_files:
            parts.append(f"<p>{self.t('due_files')}: " + ", ".join(
                f'<a href="{e(href)}">{e(label)}</a>' for label, href in self.s.due_files)
                + "</p>")
        if not teams:
            parts.append(f"<p>{self.t('due_none')}</p>")
        for team in teams:
            mine = [r for r in self.s.due if r["team_id"] == team]
            rows = [[e(r["staff_id"] or "–"), e(r["citizen_id"]), e(r["course_id"]),
                     e(self._name("intervention", r["intervention_id"])),
                     self.t(f"case_{r['case_status']}"),
                     e(self._name("instrument", r["instrument_id"])),
                     e(point_label(r["point_id"], self.lang)),
                     e(_date(r["due_date"], self.lang)), self.t(f"status_{r['status']}"),
                     _count(r["days_until_due"], self.lang)] for r in mine]
            parts.append(f'<section id="team-{e(team)}"><h2>{e(self._name("team", team))}</h2>'
                         + _table(
                [self.t(k) for k in ("col_staff", "col_citizen", "col_course",
                                     "col_intervention", "col_case", "col_instrument",
                                     "col_point", "col_due", "col_status", "col_days")],
                rows, numeric=(9,)) + "</section>")
        return self.frame("due.html", text("due_title", self.lang), "".join(parts), "due")

    # ---------------------------------------------------------------- lineage

    def lineage(self) -> str:
        if not self.s.lineage:
            return self.frame("lineage.html", text("lineage_title", self.lang),
                              f"<p>{self.t('lineage_none')}</p>", "lineage")
        parts = [f"<p>{self.t('lineage_intro')}</p>"]
        for f in self.s.lineage:
            loads = _table(
                [self.t(k) for k in ("sources", "col_file", "col_sheet", "col_checksum",
                                     "col_loaded_at", "col_rows_in", "col_staged",
                                     "quarantined")],
                [[_token(ld.canonical_table), _token(ld.file_name), e(ld.sheet or "–"),
                  f'<span class="hash">{e(ld.sha256)}</span>', e(_date(ld.loaded_at, self.lang)),
                  _count(ld.rows_in, self.lang), _count(ld.rows_staged, self.lang),
                  _count(ld.rows_quarantined, self.lang)]
                 for ld in f.loads], numeric=(5, 6, 7))
            models = ", ".join(f"<code>{e(m)}</code>" for m, _layer in f.models) or "–"
            shown_on = self._page_name(f.page, f.deck)
            parts.append(f"""<section id="{e(f.anchor)}" class="figure">
<h2>{e(f.title)}</h2>
<p>{self.t("shown_on")}: <a href="{e(f.page)}#fig-{e(f.figure_id)}">{e(shown_on)}</a>
· <code>{e(f.deck)}</code> · <code>{e(f.figure_id)}</code></p>
<p>{self.t("queries")}: {", ".join(f"<code>outputs/queries/{e(q)}.sql</code>" for q in f.queries)}
<br>{self.t("marts")}: {", ".join(f"<code>{e(m)}</code>" for m in f.marts) or "–"}
<br>{self.t("models")}: {models}
<br>{self.t("sources")}: {", ".join(f"<code>staging.{e(x)}</code>" for x in f.sources) or "–"}
</p><h3>{self.t("loads")}</h3>{loads}</section>""")
        return self.frame("lineage.html", text("lineage_title", self.lang), "".join(parts),
                          "lineage")

    # ---------------------------------------------------------------- teams, interventions

    def scopes(self) -> str:
        rows = [[self.t(f"kind_{p.kind}"),
                 f'<a href="{page_file(p.kind, p.scope_id)}">{e(p.name)}</a>',
                 e(p.meeting_name or p.meeting_id), e(_date(p.meeting_date, self.lang))]
                for p in self.s.pages]
        body = _table([self.t("kind_team") + " / " + self.t("kind_intervention"),
                       self.t("scope"), self.t("col_meeting"), self.t("col_date")], rows)
        return self.frame("scopes.html", text("scopes_title", self.lang), body, "scopes")

    def deck_page(self, p: DeckPage) -> str:
        name = page_file(p.kind, p.scope_id)
        quality = next((q for q in self.s.scopes if (q.kind, q.scope_id) ==
                        (p.kind, p.scope_id)), None)
        parts = []
        if quality is None and p.kind == "organisation":
            quality = replace_scope(self.s)
        if quality is not None:
            parts.append(f"<p>{self.t('completeness')}: "
                         f"{self._rate(quality.completeness, quality.completeness_target)}· "
                         f"{self.t('timeliness')}: "
                         f"{self._rate(quality.timeliness, quality.timeliness_target)}· "
                         f'<a href="index.html">{self.t("quality_link", name=p.name)}</a></p>')
        day = _date(p.meeting_date, self.lang)
        meeting = p.meeting_name or p.meeting_id
        parts.append(f"<p>{self.t('last_deck', meeting=meeting, date=day)}</p>")
        parts.append(f"<h2>{self.t('decks')}</h2>")
        parts.append("<ul>" + "".join(f'<li><a href="{e(d.href)}">{e(d.label)}</a> '
                                      f"({e(deck_status(d.status, self.lang))})"
                                      "</li>" for d in p.decks) + "</ul>" if p.decks
                     else f"<p>{self.t('no_decks')}</p>")
        if p.note:
            parts.append(f"<p>{e(p.note)}</p>")
        if p.spec is not None:
            for slide in p.spec.slides:
                parts.append(self._slide(slide, p))
        return self.frame(name, p.name, "".join(parts), "scopes")

    def _slide(self, slide: SlideSpec, p: DeckPage) -> str:
        if slide.kind not in ("figure", "figures", "table") or not (slide.figures or
                                                                     slide.table):
            return ""
        parts = [f"<h2>{e(slide.title)}</h2>"]
        if slide.section:
            parts.insert(0, f'<p class="sub">{e(slide.section)}</p>')
        if slide.table is not None:
            parts.append(self._spec_table(slide.table))
        for fig in slide.figures:
            parts.append(self._figure(fig, p, slide.title))
        return "".join(parts)

    def _spec_table(self, table: TableSpec) -> str:
        return _table([e(c) for c in table.columns], [[e(c) for c in r] for r in table.rows])

    def _figure(self, fig: FigureSpec, p: DeckPage, slide_title: str) -> str:
        shown = [c.value for c in fig.cells if c.value is not None]
        top = max((abs(v) for v in shown), default=0) or 1
        diverging = _diverging(fig)
        rows = []
        for cat in fig.categories:
            cells = []
            for series in fig.series:
                c = fig.cell(cat, series)
                if c is None:
                    cells.append("")
                elif c.suppressed or c.value is None:
                    cells.append(e(fmt_cell(c, fig.value_format, self.lang, self.k)))
                else:
                    n = f" (n={c.n})" if c.n is not None else ""
                    cells.append(e(fmt_cell(c, fig.value_format, self.lang, self.k)) + e(n)
                                 + _bar(c.value, top, diverging))
            rows.append([e(cat), *cells])
        table = _table([e(fig.x_label or ""), *(e(x) for x in fig.series)], rows)
        anchor = next((f.anchor for f in self.s.lineage
                       if f.page == page_file(p.kind, p.scope_id) and f.figure_id == fig.id),
                      None)
        lineage = (f'<p><a href="lineage.html#{e(anchor)}">{self.t("lineage_link")}</a></p>'
                   if anchor else "")
        notes = " ".join(x for x in (fig.n_note, fig.suppressed_note) if x)
        heading = "" if fig.title == slide_title else f"<h3>{e(fig.title)}</h3>"
        return f"""<div class="figure" id="fig-{e(fig.id)}">{heading}
<p class="read">{e(fig.y_label)}</p>{table}<p class="read">{e(notes)}</p>
<p class="read"><b>{self.t("how_to_read")}:</b> {self._table_how(fig)}</p>{lineage}</div>"""

    def _table_how(self, fig: FigureSpec) -> str:
        """How to read a figure drawn as a table (the deck's own how-to describes its
        lines and markers, which the site does not draw)."""
        rows = f" ({lower_first(fig.x_label)})" if fig.x_label else ""
        parts = [self.t("table_how", rows=rows)]
        if _diverging(fig):
            parts.append(self.t("table_how_diverging"))
        if any(c.n is not None and not c.suppressed for c in fig.cells):
            parts.append(self.t("table_how_n"))
        if any(c.suppressed for c in fig.cells):
            parts.append(self.t("table_how_hidden", k=self.k))
        return " ".join(parts)

    # ---------------------------------------------------------------- all

    def all(self) -> dict[str, str]:
        pages = {"index.html": self.quality(), "quarantine.html": self.quarantine(),
                 "due.html": self.due(), "lineage.html": self.lineage(),
                 "scopes.html": self.scopes()}
        for r in self.s.rules:
            pages[rule_file(r.rule_id)] = self.rule(r)
        for p in self.s.pages:
            pages[page_file(p.kind, p.scope_id)] = self.deck_page(p)
        return pages


def write_site(sites: list[SiteData], out_dir: Path, default_language: str = "da") -> list[Path]:
    """Write the pages of each language's :class:`SiteData` under ``out_dir``; returns
    every file written. Pages an earlier run wrote and this one does not are removed."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    static = out_dir / "static"
    static.mkdir(exist_ok=True)
    for asset in STATIC.iterdir():
        shutil.copyfile(asset, static / asset.name)
        written.append(static / asset.name)
    for site in sites:
        folder = out_dir / site.language
        folder.mkdir(exist_ok=True)
        pages = _Pages(site).all()
        for old in folder.glob("*.html"):
            if old.name not in pages:
                old.unlink()
        for name, page in pages.items():
            write_text(folder / name, page)
            written.append(folder / name)
    index = out_dir / "index.html"
    write_text(index, f"""<!doctype html>
<html lang="{default_language}"><head><meta charset="utf-8">
<meta http-equiv="refresh" content="0; url={default_language}/index.html">
<title>datadialog</title></head><body>
<p><a href="{default_language}/index.html">{e(text("site_title", default_language))}</a></p>
</body></html>
""")
    written.append(index)
    return written
