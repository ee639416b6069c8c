"""What a slide may say when it compares groups: claims made by rule, not by hand.

A title that compares ("X udviklede sig mest") is a claim about numbers. This module
decides which claim the numbers support, so the sentence never says more than they do:

- **Ties and rounding.** Two changes that print the same at the slide's precision, or
  differ by less than ``min_difference`` (e.g. an instrument's reliable-change points),
  are "about the same": no group is crowned.
- **Hidden groups.** When any group is hidden (fewer than k citizens) or has too few
  points, nobody is "most": the hidden group might be. The claim then says what is known.
- **Same points.** Changes are compared from the first point to the last point that
  *every* group has, so one group's follow-up is never set against another's end; a
  change is the difference of the two means as the chart prints them.
- **Direction.** A change is worded by what happened to the score (rose/fell) and, from
  the instrument's direction, whether that is better or worse (lower is better for risk
  scales): "faldt 4,8 point (bedre)", never "+4,8".
- **Intervals.** An estimate with a 95 % interval (a share, a cost per result, a
  group's change since start) is best "clearly" only when its interval overlaps no
  other group's; when it overlaps, the slide may name it as highest (a share: "den
  højeste andel", never "flest") only together with "forskellen kan skyldes
  tilfældigheder" (:func:`compare_estimates`, :func:`compare_changes` given the changes'
  intervals, :func:`differ_clearly` for two figures).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from outputs.fmt import fmt_number

#: Words for a change, by language: (rose, fell, unchanged, better, worse).
_CHANGE_WORDS = {
    "da": ("steg {v} point", "faldt {v} point", "uændret", "bedre", "værre"),
    "en": ("rose {v} points", "fell {v} points", "unchanged", "better", "worse"),
}
#: Which way is better, said once beside the numbers.
_DIRECTION_NOTE = {
    "da": {"higher_is_better": "højere er bedre", "higher_is_worse": "lavere er bedre"},
    "en": {"higher_is_better": "higher is better", "higher_is_worse": "lower is better"},
}


@dataclass(frozen=True)
class GroupSeries:
    """One group's means at the compared points (None: no value or hidden there)."""

    group: str
    values: tuple[float | None, ...]
    hidden: bool = False
    #: the 95 % interval of the change since the first point, at each point (None where
    #: unknown); None for the whole series when the caller has no intervals
    change_intervals: tuple[tuple[float, float] | None, ...] | None = None


@dataclass(frozen=True)
class GroupChange:
    group: str
    change: float  # last - first, in score points (raw, not direction-adjusted)
    improvement: float  # change with the sign that makes "better" positive


@dataclass(frozen=True)
class ComparisonClaim:
    """Which sentence the numbers support.

    ``kind``: ``leader`` (one group did clearly best), ``uncertain`` (one group did best
    at the printed precision, but its change's interval overlaps another group's, or is
    unknown: name it only with "forskellen kan skyldes tilfældigheder"), ``similar`` (the
    best two are about the same), ``hidden`` (a group is hidden, so none can be named
    best), ``unknown`` (fewer than two groups, or no two points every group has).
    """

    kind: Literal["leader", "uncertain", "similar", "hidden", "unknown"]
    changes: tuple[GroupChange, ...] = ()  # best first
    first_point: int | None = None  # index of the points compared
    last_point: int | None = None


def round_to(value: float, decimals: int) -> float:
    return round(value + 0.0, decimals) + 0.0


def compare_changes(series: list[GroupSeries], direction: str, *, decimals: int = 1,
                    min_difference: float = 0.0) -> ComparisonClaim:
    """The claim a comparison of group changes supports (rules in the module doc)."""
    if len(series) < 2:
        return ComparisonClaim("unknown")
    if any(s.hidden for s in series):
        return ComparisonClaim("hidden")
    n_points = min(len(s.values) for s in series)
    common = [i for i in range(n_points) if all(s.values[i] is not None for s in series)]
    if len(common) < 2:
        return ComparisonClaim("unknown")
    first, last = common[0], common[-1]
    sign = 1 if direction == "higher_is_better" else -1
    changes = []
    for s in series:
        # from the means as the chart prints them, so the title's change is what a reader
        # gets by subtracting the two labels
        start = round_to(s.values[first], decimals)  # type: ignore[arg-type]
        end = round_to(s.values[last], decimals)  # type: ignore[arg-type]
        change = round_to(end - start, decimals)
        changes.append(GroupChange(s.group, change, round_to(sign * change, decimals)))
    changes.sort(key=lambda c: (-c.improvement, c.group))
    gap = changes[0].improvement - changes[1].improvement
    unit = 10 ** -decimals
    kind = "leader" if gap >= max(unit, min_difference) - unit / 10 else "similar"
    if kind == "leader" and any(s.change_intervals is not None for s in series):
        by_group = {s.group: _interval_at(s, first, last) for s in series}
        best = by_group[changes[0].group]
        if best is None or any(
                interval is None or _overlap(best, interval)
                for group, interval in by_group.items() if group != changes[0].group):
            kind = "uncertain"
    return ComparisonClaim(kind, tuple(changes), first, last)


def _interval_at(series: GroupSeries, first: int, last: int) -> tuple[float, float] | None:
    """The interval of the series' change from point ``first`` to ``last``: known only
    from the first point (the intervals are of the change since it)."""
    if first != 0 or series.change_intervals is None or last >= len(series.change_intervals):
        return None
    return series.change_intervals[last]


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return not (a[0] > b[1] or b[0] > a[1])


#: The normal quantile of the 95 % intervals (transforms.reference.CONFIDENCE_Z, the
#: marts' confidence_z()).
CONFIDENCE_Z = 1.96


def wilson_interval(share: float, n: float, z: float = CONFIDENCE_Z) -> tuple[float, float]:
    """The Wilson 95 % interval of a share of ``n`` (as the marts' wilson_low/high), for a
    share the deck pools or compares itself: a result-map arrow, a pooled trend."""
    centre = share + z * z / (2 * n)
    spread = z * (share * (1 - share) / n + z * z / (4 * n * n)) ** 0.5
    return ((centre - spread) / (1 + z * z / n), (centre + spread) / (1 + z * z / n))


def differ_clearly(a: tuple[float, float] | None, b: tuple[float, float] | None) -> bool:
    """True when two figures' 95 % intervals are both known and share no point: only then
    may a slide state their difference without "kan skyldes tilfældigheder"."""
    return a is not None and b is not None and not _overlap(a, b)


def change_text(change: float, direction: str, lang: str, decimals: int = 1,
                judged: bool = True) -> str:
    """A change in words: "faldt 4,8 point (bedre)", "steg 2,0 point (værre)", "uændret"; with
    ``judged=False`` without the judgement (when the slide says the direction once)."""
    words = _CHANGE_WORDS[lang if lang in _CHANGE_WORDS else "en"]
    rose, fell, unchanged, better, worse = words
    value = round_to(change, decimals)
    if value == 0:
        return unchanged
    text = (rose if value > 0 else fell).format(v=fmt_number(abs(value), lang, decimals))
    if not judged:
        return text
    good = (value > 0) == (direction == "higher_is_better")
    return f"{text} ({better if good else worse})"


#: Words for two changes set against each other, by language: (fall, rise, no change,
#: "against", unit, "for" before the second group's name). "fald på 7,4 mod 1,0 point",
#: never "faldt 7,4 point mod faldt 1,0 point".
_PAIR_WORDS = {
    "da": ("fald på {v}", "stigning på {v}", "ingen ændring", "mod", "point", "for"),
    "en": ("a fall of {v}", "a rise of {v}", "no change", "vs", "points", "for"),
}


def change_pair_text(first: float, second: float, lang: str, decimals: int = 1,
                     second_group: str | None = None) -> str:
    """Two changes in words, the first against the second: "fald på 7,4 mod 1,0 point"
    when both go the same way (the noun and the unit said once), else each with its own
    ("fald på 0,7 point mod stigning på 0,2 point", "fald på 8,5 point mod ingen
    ændring"). With ``second_group`` the second change is named, so a title over more
    than two groups says which group it is set against: "fald på 0,7 point mod 0,6 for
    18-24 år". Raw changes; the slide says once which way is better."""
    fall, rise, flat, against, unit, for_ = _PAIR_WORDS[lang if lang in _PAIR_WORDS else "en"]
    a, b = round_to(first, decimals), round_to(second, decimals)
    whose = f" {for_} {second_group}" if second_group else ""

    def noun(value: float) -> str:
        return fall if value < 0 else rise

    def size(value: float) -> str:
        return fmt_number(abs(value), lang, decimals)

    if a != 0 and b != 0 and (a > 0) == (b > 0):
        if whose:  # the unit with the first figure, the group after the second
            return f"{noun(a).format(v=size(a))} {unit} {against} {size(b)}{whose}"
        return f"{noun(a).format(v=size(a))} {against} {size(b)} {unit}"

    def one(value: float) -> str:
        return flat if value == 0 else f"{noun(value).format(v=size(value))} {unit}"

    return f"{one(a)} {against} {one(b)}{whose}"


def direction_note(direction: str, lang: str) -> str:
    """ "lavere er bedre" / "højere er bedre"."""
    return _DIRECTION_NOTE[lang if lang in _DIRECTION_NOTE else "en"].get(direction, "")


@dataclass(frozen=True)
class ShareClaim:
    """Which group has the highest share, if the numbers say so.

    ``kind``: ``leader`` (one group's share is clearly highest), ``similar`` (the highest
    two are the same at the slide's precision), ``hidden`` (a group's share is hidden,
    so it might be the highest), ``unknown`` (no share to compare).
    """

    kind: Literal["leader", "similar", "hidden", "unknown"]
    ranked: tuple[tuple[str, float], ...] = ()  # (group, share), highest first


def compare_shares(shares: list[tuple[str, float | None]], *, decimals: int = 2
                   ) -> ShareClaim:
    """The highest share among groups; None is a hidden share. ``decimals`` is the
    precision the slide shows a share (0-1) at: 2 for whole percentages."""
    if not shares:
        return ShareClaim("unknown")
    if any(value is None for _, value in shares):
        return ShareClaim("hidden")
    ranked = sorted(((g, round_to(v, decimals)) for g, v in shares),  # type: ignore[arg-type]
                    key=lambda x: (-x[1], x[0]))
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return ShareClaim("similar", tuple(ranked))
    return ShareClaim("leader", tuple(ranked))


@dataclass(frozen=True)
class ChartN:
    """The n printed beside a chart: the citizens behind the cells the chart *shows*.

    ``shown`` adds the visible cells' n (each citizen is in one cell of the chart, e.g. one
    group and one start year); ``any_hidden`` says some cells are hidden, so the note must
    say the n is of the bars shown, never a total that would let a reader subtract.
    """

    shown: int
    any_hidden: bool


def chart_n(cells: list[tuple[int | None, bool]]) -> ChartN:
    """From (n, hidden) per plotted cell: the n of the chart (see ChartN)."""
    shown = sum(n for n, hidden in cells if not hidden and n is not None)
    return ChartN(shown, any(hidden or n is None for n, hidden in cells))


# ====================================================================== estimates


@dataclass(frozen=True)
class Estimate:
    """One group's value with its 95 % interval and n, as a slide shows it.

    ``hidden``: the value is suppressed (fewer than k citizens, or a dominated cost); a
    value of None that is not hidden means the group has no figure (nothing measured)."""

    group: str
    value: float | None
    low: float | None = None
    high: float | None = None
    n: float | None = None  # what the value rests on (courses measured, citizens improved)
    hidden: bool = False


def intervals_overlap(a: Estimate, b: Estimate) -> bool:
    """True when the two 95 % intervals share a point, or either is unknown (then the
    difference cannot be shown to be more than chance)."""
    if None in (a.low, a.high, b.low, b.high):
        return True
    return _overlap((a.low, a.high), (b.low, b.high))  # type: ignore[arg-type]


@dataclass(frozen=True)
class EstimateClaim:
    """Which sentence a comparison of estimates with intervals supports.

    ``kind``:
    - ``clear``: one group is best at the printed precision and its interval overlaps no
      other group's: "X har klart den højeste andel" may be said;
    - ``uncertain``: one group is best at the printed precision, but its interval
      overlaps another's (``overlapping``): name it as "den højeste andel" only with
      "forskellene kan skyldes tilfældigheder";
    - ``similar``: the best two print the same: nobody is best;
    - ``hidden``: a group's figure is hidden (``hidden_groups``), so it might be best;
    - ``unknown``: fewer than two groups have a figure.
    ``ranked``: the groups with a figure, best first; ``missing``: groups without one.
    """

    kind: Literal["clear", "uncertain", "similar", "hidden", "unknown"]
    ranked: tuple[Estimate, ...] = ()
    overlapping: tuple[Estimate, ...] = ()  # groups whose interval overlaps the best's
    hidden_groups: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()

    @property
    def best(self) -> Estimate | None:
        return self.ranked[0] if self.ranked else None

    @property
    def worst(self) -> Estimate | None:
        return self.ranked[-1] if self.ranked else None


def compare_estimates(estimates: list[Estimate], *, better: Literal["higher", "lower"],
                      decimals: int) -> EstimateClaim:
    """Which group is best on a measure with intervals, if the numbers say so.

    ``better``: which way is better (a share reliably improved: higher; a cost per result:
    lower). ``decimals``: the precision the slide prints the value at (2 for a share 0-1
    as whole percentages, 0 for whole kroner); values that print the same are a tie.
    Rules: a hidden group means nobody is named best; a group without a figure is left
    out (and listed in ``missing``); the best is "clear" only when its interval overlaps
    no other group's interval."""
    hidden = tuple(e.group for e in estimates if e.hidden)
    missing = tuple(e.group for e in estimates if not e.hidden and e.value is None)
    shown = [e for e in estimates if not e.hidden and e.value is not None]
    sign = -1 if better == "higher" else 1
    ranked = tuple(sorted(shown, key=lambda e: (sign * round_to(e.value, decimals),  # type: ignore[arg-type]
                                                e.group)))
    if hidden:
        return EstimateClaim("hidden", ranked, hidden_groups=hidden, missing=missing)
    if len(ranked) < 2:
        return EstimateClaim("unknown", ranked, missing=missing)
    best, second = ranked[0], ranked[1]
    if round_to(best.value, decimals) == round_to(second.value, decimals):  # type: ignore[arg-type]
        return EstimateClaim("similar", ranked, missing=missing)
    overlapping = tuple(e for e in ranked[1:] if intervals_overlap(best, e))
    kind = "uncertain" if overlapping else "clear"
    return EstimateClaim(kind, ranked, overlapping, missing=missing)
