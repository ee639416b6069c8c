"""Pieces both packs share: options, plain data items, and the standard slides
(agenda and roles, the four dialogue steps, agreements from last time, the agreement sheet).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from datadialog.agreement_form import MeetingKey
from datadialog.agreement_form import headings as form_headings
from datadialog.names import display_names
from datadialog.names import short_name as short_name  # the decks name instruments so too
from outputs.fmt import fmt_date, fmt_number
from outputs.spec import (
    AgreementSheetSpec,
    Band,
    DialogueStep,
    SlideSpec,
    TableSpec,
    TextBlock,
)
from outputs.style import BAND_TONES
from outputs.texts import has_text, step_names, step_prompts, t, tl


@dataclass(frozen=True)
class DeckOptions:
    """Settings a deck builder needs from the config (see :func:`options_from_config`)."""

    language: str = "da"
    organisation: str = ""
    small_cell_k: int = 5
    pseudonym_display: str = "pseudonym"  # pseudonym | initials
    #: Quality rules' names on slides (rule id -> title), handed in by the pipeline.
    rule_titles: dict[str, str] = field(default_factory=dict)


def options_from_config(config) -> DeckOptions:
    """DeckOptions from a ``DatadialogConfig``."""
    return DeckOptions(
        language=config.organisation.language,
        organisation=config.organisation.name,
        small_cell_k=config.privacy.small_cell_k,
        pseudonym_display=config.privacy.pseudonym_display,
    )


@dataclass
class AgreementItem:
    """An agreement from an earlier meeting."""

    text: str
    owner: str | None = None
    follow_up_on: date | None = None
    status: str | None = None  # open | done | dropped
    is_overdue: bool = False
    data: str = ""  # what the data show since (outputs.since_last.data_since)
    #: agreed at a meeting before the last one and still open (None: from the last one)
    agreed_earlier_on: date | None = None


@dataclass
class Roles:
    """Who has which role at the meeting (None: agreed at the start)."""

    leader: str | None = None
    notes: str | None = None
    time: str | None = None


@dataclass
class ScaleInfo:
    """What a chart needs to know about an instrument's total score."""

    short_name: str
    direction: str = "higher_is_better"
    score_min: float = 0.0
    score_max: float = 40.0
    cutoff: float | None = None
    # (configured name, else the band's label, min, max)
    bands: list[tuple[str, float, float]] = field(default_factory=list)
    reliable_change_points: float | None = None
    cutoff_kind: str = "clinical"  # clinical | alliance (instrument config)
    #: scores with one decimal whatever a citizen's values (GAS T-scores, means,
    #: prorated sums): every citizen's score of the instrument reads alike ("50,0", not
    #: "50" beside "45,4"); False: whole numbers unless a score has decimals
    decimal_scores: bool = False


def meeting_name(config, meeting, lang: str | None = None) -> str:
    """A meeting series' name as readers see it: its config ``name``, else worded from
    its level and its team's (citizen, progress) or intervention's name in ``lang``
    (default: the organisation's language), as the deck titles: "Borgerrettet
    refleksionsmøde · Familieteam Nord", "Refleksionsmøde om indsatsen · Praktikforløb
    for unge", "Ledelsens kvartalsmøde"."""
    if meeting.name:
        return meeting.name
    lang = lang or config.organisation.language
    names = display_names(config)
    if meeting.level in ("citizen", "progress") and meeting.team:
        scope = names.get(("team", meeting.team), meeting.team)
    elif meeting.level == "intervention" and meeting.intervention:
        scope = names.get(("intervention", meeting.intervention), meeting.intervention)
    else:
        scope = None
    level = t(f"meeting_name_{meeting.level}", lang)
    return f"{level} · {scope}" if scope else level


def scale_from_config(instrument, norm_group: str | None) -> ScaleInfo:
    """ScaleInfo for an instrument of the config (total score range, cut-off, bands)."""
    n_total = len(instrument.total_items) if instrument.total_items else instrument.n_items
    if instrument.scoring == "sum":
        lo, hi = instrument.item_min * n_total, instrument.item_max * n_total
    elif instrument.scoring == "mean_x10":
        lo, hi = instrument.item_min * 10, instrument.item_max * 10
    elif instrument.scoring == "gas":
        lo, hi = 20.0, 80.0
    else:
        lo, hi = instrument.item_min, instrument.item_max
    group = instrument.norm_groups.get(norm_group or "") if norm_group else None
    return ScaleInfo(
        short_name=short_name(instrument.name),
        direction=instrument.direction,
        score_min=float(lo),
        score_max=float(hi),
        cutoff=group.cutoff if group else None,
        bands=[(b.name or b.label, b.min, b.max) for b in group.bands] if group else [],
        reliable_change_points=instrument.reliable_change_points,
        cutoff_kind=instrument.cutoff_kind,
        decimal_scores=instrument.scoring != "sum" or instrument.max_missing_items > 0,
    )


def band_name(label: str, lang: str = "da") -> str:
    """A configured band's name on slides: the standard name of a known label, else the
    label itself."""
    key = f"band_name_{label}"
    return t(key, lang) if has_text(key) else label


def scale_bands(scale: ScaleInfo, lang: str) -> list[Band]:
    """Shaded ranges for a chart: the config's bands, or the far side of the cut-off.

    With bands, the best band is left white and every other band gets its own shade,
    darker towards the worst (``style.BAND_TONES``); bands keep their configured names and
    are never merged. With only a cut-off, the range beyond it is "clinical", or for an
    alliance cut-off (SRS) "below the alliance cut-off" in a neutral shade: a low alliance
    is something to talk about, not a clinical state.
    """
    if scale.bands:
        ordered = sorted(scale.bands, key=lambda b: b[1])
        if scale.direction == "higher_is_better":
            ordered = ordered[::-1]
        worse = ordered[1:]  # best band first: white, not drawn
        tones = BAND_TONES.get(len(worse), BAND_TONES[3])
        out: list[Band] = []
        for i, (name, lo, hi) in enumerate(worse):
            tone = tones[min(i, len(tones) - 1)]
            # bands are inclusive integer ranges; stretch them to touch their neighbours
            low = lo - 0.5 if lo > scale.score_min else lo
            high = min(hi + 0.5, scale.score_max)
            out.append(Band(low, high, band_name(name, lang), tone))  # type: ignore[arg-type]
        return sorted(out, key=lambda b: b.low)
    if scale.cutoff is None:
        return []
    if scale.cutoff_kind == "alliance":
        label, tone = t("band_alliance", lang), "alliance"
    else:
        label, tone = t("band_clinical", lang), "clinical"
    if scale.direction == "higher_is_better":
        return [Band(scale.score_min, scale.cutoff, label, tone)]  # type: ignore[arg-type]
    return [Band(scale.cutoff, scale.score_max, label, tone)]  # type: ignore[arg-type]


def shading_how(scale: ScaleInfo, bands: list[Band], lang: str) -> str:
    """The how-to-read sentence for the shaded ranges of ``scale_bands`` ("" for none)."""
    if not bands:
        return ""
    if scale.bands:
        return t("shading_bands", lang, names=", ".join(b.label for b in bands))
    return t("shading_alliance" if scale.cutoff_kind == "alliance" else "shading_clinical",
             lang)


def cutoff_text(scale: ScaleInfo, lang: str) -> str | None:
    """The cut-off line's label: "Grænseværdi 25", or "Alliancegrænse 36" for SRS."""
    if scale.cutoff is None:
        return None
    key = "alliance_cutoff_label" if scale.cutoff_kind == "alliance" else "cutoff_label"
    return t(key, lang, value=fmt_number(scale.cutoff, lang, 0))


def better_sign(direction: str) -> int:
    return 1 if direction == "higher_is_better" else -1


# ====================================================================== standard slides


def roles_block(roles: Roles, lang: str) -> TextBlock:
    bullets = []
    for key, person in (("role_leader", roles.leader), ("role_notes", roles.notes),
                        ("role_time", roles.time)):
        bullets.append(t(key, lang) + f" ({person or t('role_open', lang)})")
    return TextBlock(heading=t("roles_heading", lang), bullets=bullets)


def agenda_slide(items: list[str], roles: Roles, lang: str) -> SlideSpec:
    return SlideSpec(
        kind="text",
        title=t("agenda_title", lang),
        blocks=[TextBlock(heading=t("agenda_heading", lang), bullets=items),
                roles_block(roles, lang)],
    )


def dialogue_slide(lang: str, extra: list[TextBlock] | None = None) -> SlideSpec:
    steps = [
        DialogueStep(i + 1, name, prompts)
        for i, (name, prompts) in enumerate(zip(step_names(lang), step_prompts(lang),
                                                strict=True))
    ]
    return SlideSpec(kind="dialogue", title=t("dialogue_title", lang), steps=steps,
                     blocks=extra or [])


def step_label(number: int, lang: str) -> str:
    return t("step_label", lang, number=number, name=step_names(lang)[number - 1])


def agreement_status(item: AgreementItem, lang: str) -> str:
    if item.is_overdue and (item.status or "open") == "open":
        return t("agreement_overdue", lang)
    return t(f"agreement_status_{item.status or 'open'}", lang)


def agreements_table(items: list[AgreementItem], lang: str) -> TableSpec:
    return TableSpec(
        columns=t("agreements_columns", lang).split("|"),
        rows=[[_agreement_text(a, lang), a.owner or "–", fmt_date(a.follow_up_on, lang),
               agreement_status(a, lang), a.data or "–"] for a in items],
        column_widths=[4.5, 1.8, 1.6, 2.2, 2.8],
    )


def _agreement_text(item: AgreementItem, lang: str) -> str:
    """The agreement, with "(aftalt 02.03.2026)" when it is from before the last meeting."""
    if item.agreed_earlier_on is None:
        return item.text
    agreed = t("agreement_agreed_on", lang, date=fmt_date(item.agreed_earlier_on, lang))
    return f"{item.text} ({agreed})"


def since_last_slide(title: str, items: list[AgreementItem], lang: str,
                     section: str = "", none_key: str = "since_none") -> SlideSpec:
    """Agreements from the last meeting with their status; ``none_key`` is the text shown
    when there were none (about the citizen by default)."""
    prompt = TextBlock(heading=step_names(lang)[0], bullets=tl("prompts_since", lang))
    if not items:
        return SlideSpec(kind="text", title=title, section=section,
                         blocks=[TextBlock(paragraph=t(none_key, lang)), prompt])
    return SlideSpec(kind="table", title=title, section=section,
                     table=agreements_table(items, lang), blocks=[prompt])


def agreement_sheet_slide(subject: str, lang: str, section: str = "",
                          key: MeetingKey | None = None, row_subject: str = "") -> SlideSpec:
    """Step 4: the agreement table to fill in at the meeting (one row per agreement,
    the citizen or theme pre-filled), with the meeting key under it so the saved deck
    can be read back (:mod:`transforms.agreements`); the handbook's questions beside it."""
    return SlideSpec(
        kind="agreement_sheet",
        title=t("sheet_title_for", lang, subject=subject) if subject else t("sheet_title", lang),
        section=section,
        agreement_sheet=AgreementSheetSpec(
            headings=tl("sheet_prompts", lang), subject=subject,
            columns=form_headings(lang), key=key.text(lang) if key else "",
            row_subject=row_subject or subject),
    )


def point_label(point_id: str | None, lang: str) -> str:
    """Display name of a measurement point id (start, mid, end, fu3, fu6, fu12 ...)."""
    names = {
        "da": {"start": "Start", "mid": "Midtvejs", "end": "Slut", "fu3": "Opf. 3 mdr.",
               "fu6": "Opf. 6 mdr.", "fu12": "Opf. 12 mdr.", None: "Ekstra"},
        "en": {"start": "Start", "mid": "Midway", "end": "End", "fu3": "Follow-up 3 m",
               "fu6": "Follow-up 6 m", "fu12": "Follow-up 12 m", None: "Extra"},
    }[lang if lang in ("da", "en") else "da"]
    return names.get(point_id, point_id or names[None])
