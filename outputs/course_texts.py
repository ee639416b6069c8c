"""Texts about the expected course (forventet forløb) and off-course flags, in Danish
(default) and English: the citizen pack's band and discussion prompts, the intervention
pack's results against expected and its method slide. All wording is our own."""

from __future__ import annotations

from datadialog.i18n import lookup, lookup_list

_TEXTS: dict[str, tuple[str, str]] = {
    "series_expected": ("Forventet forløb", "Expected course"),
    "series_band_edge": ("Grænse for forventet forløb", "Edge of the expected band"),
    "prog_how_expected": (
        " Den grå stiplede linje er det forventede forløb for borgere i egne afsluttede "
        "forløb, der startede med samme score; den røde stiplede linje er grænsen for, hvad "
        "der stadig er almindeligt; under grænsen er borgeren uden for det forventede forløb.",
        " The grey dashed line is the expected course for citizens in our own closed courses "
        "who started at the same score; the red dashed line is the edge of what is still "
        "usual; below the edge the citizen is off the expected course.",
    ),
    "flag_title_red": (
        "{name}: uden for det forventede forløb – tag det op i dag",
        "{name}: off the expected course – raise it today",
    ),
    "flag_title_amber": (
        "{name}: under det forventede forløb – hold øje",
        "{name}: below the expected course – keep an eye on it",
    ),
    # the same colours given by reliable change alone (citizen_pack.off_course_title_key)
    "flag_title_reliable_deterioration": (
        "{name}: pålidelig forværring siden start – tag det op i dag",
        "{name}: a reliable deterioration since the start – raise it today",
    ),
    "flag_title_no_reliable_change": (
        "{name}: ingen pålidelig ændring siden start – hold øje",
        "{name}: no reliable change since the start – keep an eye on it",
    ),
    "flag_heading_why": ("Det viser målingerne", "What the measurements show"),
    "flag_heading_prompts": ("Spørgsmål til drøftelsen", "Questions for the discussion"),
    "flag_reason_below_band": (
        "{instrument} ({point}): {score} mod forventet {expected} – under det almindelige",
        "{instrument} ({point}): {score} against an expected {expected} – below the usual",
    ),
    "flag_reason_below_expected": (
        "{instrument} ({point}): {score} mod forventet {expected} – lidt under",
        "{instrument} ({point}): {score} against an expected {expected} – a little below",
    ),
    "flag_reason_reliable_deterioration": (
        "{instrument} ({point}): {score} – en pålidelig forværring siden start",
        "{instrument} ({point}): {score} – a reliable deterioration since the start",
    ),
    "flag_reason_no_reliable_change": (
        "{instrument} ({point}): {score} – ingen pålidelig ændring siden start",
        "{instrument} ({point}): {score} – no reliable change since the start",
    ),
    # why a flag fell back to reliable change (mart_citizen_course_flags.fallback_reason)
    "flag_fallback_few_reference_courses": (
        " (for få afsluttede forløb til et forventet forløb)",
        " (too few closed courses for an expected course)",
    ),
    "flag_fallback_no_intake": (
        " (ingen måling ved start, så intet forventet forløb at sammenligne med)",
        " (no measurement at the start, so no expected course to compare with)",
    ),
    "flag_alliance": (
        "Samarbejdet (SRS {score}): {reason} – en anledning til at tale om samarbejdet, "
        "ikke en vurdering af medarbejderen",
        "The alliance (SRS {score}): {reason} – a reason to talk about the collaboration, "
        "not a rating of the worker",
    ),
    "alliance_below": ("under grænsen", "below the cut-off"),
    "alliance_drop": ("faldet siden sidst", "down since last time"),
    "agenda_flag_red": ("rødt signal", "red signal"),
    "agenda_flag_amber": ("gult signal", "amber signal"),
    # intervention pack
    "slide_vs_expected": ("Forventet forløb", "Expected course"),
    "vs_expected_title": (
        "Resultater mod det forventede forløb pr. {kind}",
        "Results against the expected course by {kind}",
    ),
    "vs_expected_none": (
        "{no_kind} afviger sikkert fra det forventede forløb (alle intervaller rummer 0)",
        "{no_kind} differs clearly from the expected course (every interval holds 0)",
    ),
    # "none of them" agrees with the noun's gender in Danish: intet team, ingen variant
    "vs_expected_no_team": ("intet team", "no team"),
    "vs_expected_no_variant": ("ingen variant", "no variant"),
    # the bars are gaps turned by the instrument's direction (> 0 = better), so the
    # title says better / worse, never above / below: on a risk scale such as YLS/CMI
    # "under det forventede" read as good for a group doing worse than expected
    "vs_expected_better_one": ("{kind} {groups} klarer sig sikkert bedre end forventet",
                               "{kind} {groups} does clearly better than expected"),
    "vs_expected_better_many": ("{kind} {groups} klarer sig sikkert bedre end forventet",
                                "{kind} {groups} do clearly better than expected"),
    "vs_expected_worse_one": ("{kind} {groups} klarer sig sikkert dårligere end forventet",
                              "{kind} {groups} does clearly worse than expected"),
    "vs_expected_worse_many": ("{kind} {groups} klarer sig sikkert dårligere end forventet",
                               "{kind} {groups} do clearly worse than expected"),
    "vs_expected_hidden": ("; en gruppe er for lille til at blive vist",
                           "; a group is too small to be shown"),
    # the named group(s) in the title, definite in Danish: "varianten Standardforløb",
    # "teamene Nord og Syd"
    "vs_expected_kind_team_one": ("teamet", "team"),
    "vs_expected_kind_team_many": ("teamene", "teams"),
    "vs_expected_kind_variant_one": ("varianten", "variant"),
    "vs_expected_kind_variant_many": ("varianterne", "variants"),
    "vs_expected_y": (
        "Forskel til forventet ({instrument}, point; over 0 = bedre end forventet)",
        "Difference to expected ({instrument}, points; above 0 = better than expected)",
    ),
    "vs_expected_how": (
        "Hver søjle er den gennemsnitlige forskel mellem borgernes seneste score og den "
        "score, der var forventet for borgere med samme startscore i vores egne afsluttede "
        "forløb. Over 0 er bedre end forventet, under 0 dårligere. Stregen viser 95 %-"
        "usikkerheden; grupper med færre end 5 borgere vises ikke.",
        "Each bar is the mean difference between the citizens' latest score and the score "
        "expected for citizens with the same intake score in our own closed courses. "
        "Above 0 is better than expected, below 0 worse. The line shows the 95 % "
        "uncertainty; groups of fewer than 5 citizens are not shown.",
    ),
    # the title when the table's shares give no finding to state (a share hidden or of
    # fewer than k courses), and when no instrument could be tested yet
    "method_title": (
        "Metode: sådan beregnes forventet forløb og signaler, og hvor godt de ramte",
        "Method: how the expected course and signals are computed, and how well they hit",
    ),
    "method_title_untested": (
        "Metode: sådan beregnes forventet forløb og signaler",
        "Method: how the expected course and signals are computed",
    ),
    "method_text": (
        "For hvert redskab og målepunkt beregnes den forventede score ud fra startscoren i "
        "organisationens egne afsluttede forløb; et forløb under båndet får et rødt signal, "
        "mellem båndet og det forventede et gult. Med færre end {min_ref} afsluttede forløb "
        "bruges pålidelig ændring i stedet. Afprøvet på nyere forløb (startet fra "
        "{split}) med modellen tilpasset ældre forløb; se tabellen.",
        "For each instrument and point the expected score is computed from the intake "
        "score in the organisation's own closed courses; a course below the band gets a "
        "red signal, between the band and the expected an amber one. With fewer than "
        "{min_ref} closed courses reliable change is used instead. Tested on newer courses "
        "(started from {split}) with the model fitted on older ones; see the table.",
    ),
    "method_title_hits": (
        "Metode: signalerne{for_} fangede {hit} af forløbene uden bedring og gav {alarm} "
        "falske alarmer",
        "Method: the signals{for_} caught {hit} of the courses not improving and gave {alarm} "
        "false alarms",
    ),
    "method_for": (" for {instrument}", " for {instrument}"),
    "method_columns": (
        "Redskab|Testforløb|Fanget: andel af (n) uden bedring|Falske alarmer: andel af (n) "
        "med bedring|Sene forbedrere (heraf overset)",
        "Instrument|Test courses|Caught: share of (n) not improving|False alarms: share of "
        "(n) improving|Late improvers (of them missed)",
    ),
    "hidden_note": (
        "<{k}: færre end {k} borgere, tallet vises ikke",
        "<{k}: fewer than {k} citizens, not shown",
    ),
    # a share whose count is 1 to k - 1 (course_slides.few), as the leaders' deck hides it
    "method_hidden_share": ("skjult", "hidden"),
    "method_hidden_share_note": (
        "Skjult: færre end {k} forløb blev fanget eller gav falsk alarm, og andelen gange n "
        "ville give deres antal, så den vises ikke.",
        "Hidden: fewer than {k} courses were caught or gave a false alarm, and the share "
        "times n would give their number, so it is not shown.",
    ),
    # instruments the deck shows results against expected for, but with no test course
    # in mart_expected_course_validation (no row): said, so the table's rows are not
    # read as every instrument the signals run on
    "method_untested": (
        "{instruments}: endnu for få testforløb til at afprøve signalerne.",
        "{instruments}: too few test courses yet to test the signals.",
    ),
    "method_none": (
        "Endnu for få afsluttede forløb til at afprøve signalerne.",
        "Too few closed courses yet to test the signals.",
    ),
}

_LISTS: dict[str, tuple[list[str], list[str]]] = {
    "flag_prompts": (
        [
            "Samarbejdet: oplever borgeren, at vi arbejder med det, der er vigtigt for "
            "hende eller ham?",
            "Målene: er målene stadig de rigtige, og er de til at nå?",
            "Støtten: hvad har borgeren brug for ud over det, vi gør nu (netværk, andre "
            "fagfolk)?",
            "Planen: hvad gør vi anderledes fra i morgen, og hvornår ser vi på det igen?",
        ],
        [
            "Alliance: does the citizen feel we work on what matters to them?",
            "Goals: are the goals still the right ones, and can they be reached?",
            "Support: what does the citizen need beyond what we do now (network, other "
            "professionals)?",
            "Plan: what do we do differently from tomorrow, and when do we look again?",
        ],
    ),
}


def ct(key: str, lang: str = "da", **values: object) -> str:
    """The text ``key`` in ``lang`` with ``{placeholders}`` filled in."""
    return lookup(_TEXTS, key, lang, **values)


def ctl(key: str, lang: str = "da") -> list[str]:
    """The list of texts ``key`` in ``lang``."""
    return lookup_list(_LISTS, key, lang)
