"""The intervention pack's slides about the expected course (forventet forløb):
results against expected per team or variant (severity-adjusted, with intervals and
small cells hidden) and the method slide with the time-split validation of the
off-course signals. Data come from ``mart_results_vs_expected`` and
``mart_expected_course_validation`` (see docs/expected_course.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from outputs.charts import nice_span
from outputs.course_texts import ct
from outputs.fmt import fmt_date, fmt_n, fmt_pct, join_names
from outputs.spec import Cell, FigureSpec, SlideSpec, TableSpec, TextBlock


@dataclass(frozen=True)
class GroupVsExpected:
    """One team or variant: mean gap to the expected score (> 0 = better than expected)."""

    group: str
    mean_gap: float | None
    low: float | None
    high: float | None
    n: int | None
    suppressed: bool = False


@dataclass
class VsExpected:
    """Results against expected for one instrument and one kind of group."""

    instrument: str  # short name
    kind: str  # team | variant
    groups: list[GroupVsExpected] = field(default_factory=list)


@dataclass(frozen=True)
class ValidationRow:
    """The time-split validation of one instrument's signals (hidden: suppressed)."""

    instrument: str  # short name
    n_test: int | None
    hit_rate: float | None  # share of eventual non-improvers flagged red before the end
    n_non_improvers: int | None
    false_alarm_rate: float | None  # share of eventual improvers flagged red before the end
    n_improvers: int | None
    n_late_improvers: int | None
    n_late_missed: int | None
    suppressed: bool = False
    #: the counts behind the two shares (flagged non-improvers, false alarms); None: the
    #: share times its n
    n_hits: int | None = None
    n_false_alarms: int | None = None

    def hits(self) -> int | None:
        return _count(self.n_hits, self.hit_rate, self.n_non_improvers)

    def false_alarms(self) -> int | None:
        return _count(self.n_false_alarms, self.false_alarm_rate, self.n_improvers)


def _count(count: int | None, share: float | None, n: int | None) -> int | None:
    if count is not None:
        return count
    return None if share is None or n is None else round(share * n)


def few(count: int | None, k: int) -> bool:
    """A count of 1 to k - 1: printed "<k", and a share it is the numerator of is hidden
    (the share times its n would give it back; a count of 0 reveals nobody). The rule of
    mart_strategic_overview and docs/decks.md ("Hidden cells")."""
    return count is not None and 0 < count < k


@dataclass
class ExpectedCourseData:
    min_reference_courses: int
    split_on: date | None = None
    vs_expected: list[VsExpected] = field(default_factory=list)
    validation: list[ValidationRow] = field(default_factory=list)


def vs_expected_title(item: VsExpected, lang: str) -> str:
    """The finding: which groups' 95 % intervals lie wholly above 0 (better than expected)
    or below 0 (worse); when none does, that no group stands out. A hidden group is named
    as unknown, never ranked. The gaps are turned by the instrument's direction (> 0 =
    better), so the words are "better" / "worse", right for a risk scale too."""
    shown = [g for g in item.groups if not g.suppressed and g.low is not None
             and g.high is not None]
    better = [g.group for g in shown if g.low > 0]
    worse = [g.group for g in shown if g.high < 0]
    hidden = any(g.suppressed for g in item.groups)
    if better or worse:
        parts = []
        for key, names in (("vs_expected_better", better), ("vs_expected_worse", worse)):
            if names:
                number = "one" if len(names) == 1 else "many"
                parts.append(ct(f"{key}_{number}", lang,
                                kind=ct(f"vs_expected_kind_{item.kind}_{number}", lang),
                                groups=join_names(names, lang)))
        text = "; ".join(parts)
    else:
        text = ct("vs_expected_none", lang, no_kind=ct(f"vs_expected_no_{item.kind}", lang))
    return f"{item.instrument}: {text}" + (ct("vs_expected_hidden", lang) if hidden else "")


def vs_expected_figure(item: VsExpected, lang: str, k: int, idx: int) -> FigureSpec:
    series = ct("series_expected", lang)
    categories, cells = [], []
    for g in item.groups:
        cat = f"{g.group}\n(n = {fmt_n(g.n, k)})" if not g.suppressed else f"{g.group}\n(<{k})"
        categories.append(cat)
        cells.append(Cell(cat, series, None if g.suppressed else g.mean_gap,
                          None if g.suppressed else g.n, suppressed=g.suppressed,
                          low=None if g.suppressed else g.low,
                          high=None if g.suppressed else g.high))
    ends = [abs(v) for c in cells for v in (c.value, c.low, c.high) if v is not None]
    span = nice_span(max(ends + [1.0]))
    return FigureSpec(
        id=f"vs_expected:{idx}",
        chart="bar",
        title=vs_expected_title(item, lang),
        x_label="",
        y_label=ct("vs_expected_y", lang, instrument=item.instrument),
        categories=categories,
        series=[series],
        cells=cells,
        how_to_read=ct("vs_expected_how", lang),
        render="native",  # the intervals as whiskers (custom error bars)
        value_format="dec1",
        y_min=-span,
        y_max=span,
        cutoff=0.0,
        suppressed_note=ct("hidden_note", lang, k=k) if any(g.suppressed for g in item.groups)
        else "",
    )


def _pct_range(shares: list[float], lang: str) -> str:
    """"12 %", or "12–30 %" over several instruments (as printed, so equal ends once)."""
    low, high = fmt_pct(min(shares), lang), fmt_pct(max(shares), lang)
    return low if low == high else f"{low.removesuffix('%').rstrip()}–{high}"


def method_title(shown: list[ValidationRow], lang: str, k: int) -> str:
    """What the validation says in the title: how many non-improvers the red signal caught
    before the end and how many improvers it raised a false alarm for (the instruments'
    range when there are several); only shares of at least ``k`` courses each (a share of
    two courses is 0, 50 or 100 %) and neither hidden for a count below ``k``."""
    shown = [v for v in shown if (v.n_non_improvers or 0) >= k and (v.n_improvers or 0) >= k
             and v.hit_rate is not None and v.false_alarm_rate is not None
             and not few(v.hits(), k) and not few(v.false_alarms(), k)]
    hits = [v.hit_rate for v in shown if v.hit_rate is not None]
    alarms = [v.false_alarm_rate for v in shown if v.false_alarm_rate is not None]
    if not hits or not alarms:
        return ct("method_title", lang)
    for_ = ct("method_for", lang, instrument=shown[0].instrument) if len(shown) == 1 else ""
    return ct("method_title_hits", lang, for_=for_, hit=_pct_range(hits, lang),
              alarm=_pct_range(alarms, lang))


def untested_instruments(data: ExpectedCourseData) -> list[str]:
    """The instruments the results-against-expected slides show (so signals run on them)
    that the validation has no row for: no test course yet, in the slides' order."""
    validated = {v.instrument for v in data.validation}
    return list(dict.fromkeys(item.instrument for item in data.vs_expected
                              if item.instrument not in validated))


def method_slide(data: ExpectedCourseData, lang: str, k: int, section: str) -> SlideSpec:
    """How the signals are made, and how well they hit on newer courses."""
    text = ct("method_text", lang, min_ref=data.min_reference_courses,
              split=fmt_date(data.split_on, lang) if data.split_on else "–")
    shown = [v for v in data.validation if not v.suppressed]
    if not shown:
        return SlideSpec(kind="text", title=ct("method_title_untested", lang), section=section,
                         blocks=[TextBlock(paragraph=text),
                                 TextBlock(paragraph=ct("method_none", lang))])
    rows = []
    marks: set[str] = set()  # which markers the table uses, for the notes under the text

    def count(n: int | None) -> str:
        if few(n, k):
            marks.add("small")
            return f"<{k}"
        return str(n)

    def share(rate: float | None, numerator: int | None, n: int | None) -> str:
        if few(numerator, k):
            marks.add("share")
            return f"{ct('method_hidden_share', lang)} ({count(n)})"
        return f"{fmt_pct(rate, lang)} ({count(n)})"

    for v in data.validation:
        if v.suppressed:
            marks.add("small")
            rows.append([v.instrument, f"<{k}", "–", "–", "–"])
            continue
        rows.append([
            v.instrument,
            count(v.n_test),
            share(v.hit_rate, v.hits(), v.n_non_improvers),
            share(v.false_alarm_rate, v.false_alarms(), v.n_improvers),
            f"{count(v.n_late_improvers)} ({count(v.n_late_missed)})",
        ])
    notes = ([ct("method_hidden_share_note", lang, k=k)] if "share" in marks else []) + (
        [ct("hidden_note", lang, k=k) + "."] if "small" in marks else [])
    untested = untested_instruments(data)
    if untested:
        notes.insert(0, ct("method_untested", lang, instruments=join_names(untested, lang)))
    return SlideSpec(kind="table", title=method_title(shown, lang, k), section=section,
                     blocks=[TextBlock(paragraph=" ".join([text, *notes]))],
                     table=TableSpec(columns=ct("method_columns", lang).split("|"), rows=rows,
                                     column_widths=[1.6, 1.3, 2.6, 2.0, 2.3]))
