"""User-facing words of the quality checks: rule titles and figure caveats, Danish and English.

Rule descriptions and fixes for the data steward live in the header of each rule's SQL
file (English), and in Danish in :data:`RULE_HELP_DA` (a new rule needs both: a test
holds every rule to its Danish texts). What reaches a slide (a caveat under a figure,
the quality slide's titles) is here, in the organisation's language
(``config.organisation.language``).
Placeholders: ``{n}`` failing rows, ``{what}`` the rule's own detail.
"""

from __future__ import annotations

import re

from datadialog.due_window import DUE_LOOKBACK_DAYS
from datadialog.formats import fmt_number
from datadialog.i18n import pick

#: Short title per rule id: (Danish, English).
RULE_TITLES: dict[str, tuple[str, str]] = {
    "schema": ("Ugyldige værdier", "Invalid values"),
    "out_of_range": ("Svar uden for skalaen", "Answers outside the scale"),
    "item_not_in_instrument": ("Ukendte spørgsmål", "Unknown items"),
    "unknown_reference": ("Ukendte id'er", "Unknown ids"),
    "cpr_in_text": ("CPR-nummer i fritekst", "CPR number in free text"),
    "orphan_row": ("Rækker uden forløb", "Rows without a course"),
    "course_end_before_start": ("Forløb slutter før start", "Course ends before it starts"),
    "course_end_reason_mismatch": ("Afslutning uden årsag", "End without a reason"),
    "course_overlap": ("Overlappende forløb", "Overlapping courses"),
    "form_header_conflict": ("Uenige skemaoplysninger", "Conflicting form details"),
    "measurement_before_start": ("Måling før forløbsstart", "Measurement before start"),
    "measurement_after_end": ("Måling efter forløbsslut", "Measurement after the end"),
    "measurement_in_future": ("Måling dateret i fremtiden", "Measurement in the future"),
    "event_outside_course": ("Registrering uden for forløbet", "Entry outside the course"),
    "missing_measurement": ("Manglende målinger", "Missing measurements"),
    "late_measurement": ("Forsinkede målinger", "Late measurements"),
    "early_measurement": ("For tidlige målinger", "Early measurements"),
    "completeness_below_target": ("Fuldstændighed under mål", "Completeness below target"),
    "timeliness_below_target": ("Rettidighed under mål", "Timeliness below target"),
    "near_duplicate": ("Dobbeltregistreringer", "Duplicate forms"),
    "straight_lined": ("Samme svar på alle spørgsmål", "Same answer on every item"),
    "implausible_jump": ("Usandsynlige spring", "Implausible jumps"),
    "outlier_extreme": ("Ekstreme værdier", "Extreme values"),
    "outlier_moderate": ("Usædvanlige værdier", "Unusual values"),
    "rater_drift": ("Forskelle mellem bedømmere", "Differences between raters"),
    "calibration_agreement": ("Lav enighed ved kalibrering", "Low agreement in calibration"),
    "calibration_deviation": ("Afvigende kalibreringsscorer", "Deviating calibration scores"),
    "attrition": ("Frafald mellem målepunkter", "Drop-off between points"),
    "rater_gap": ("Borger og medarbejder ser forskelligt", "Citizen and staff disagree"),
    "quarantined_records": ("Poster i karantæne", "Records in quarantine"),
    "point_label_off_window": ("Målepunkt og dato er uenige", "Point label and date disagree"),
}

#: What each rule checks and how a failure is fixed, in Danish: rule id -> (description,
#: fix). The English texts are the ``description:`` and ``fix:`` lines of the rule's SQL
#: header (``checks/sql/*.sql``) or ``checks.schemas.common.RULE_DOCS``; the site and
#: the report show these in a Danish organisation (a test holds every rule to a text).
RULE_HELP_DA: dict[str, tuple[str, str]] = {
    "schema": (
        "En indlæst værdi passer ikke til tabellen: forkert type, en påkrævet værdi mangler, "
        "eller værdien ligger uden for de tilladte værdier.",
        "Ret værdien i fagsystemet (eller koblingen i config/sources.yaml) og indlæs igen.",
    ),
    "out_of_range": (
        "Et svar ligger uden for redskabets skala (for GAS uden for −2 til +2). Svaret "
        "tæller som manglende i scoren.",
        "Ret svaret i fagsystemet, og tjek at eksporten angiver det rigtige redskab.",
    ),
    "item_not_in_instrument": (
        "Et spørgsmålsnummer findes ikke i redskabet.",
        "Tjek redskabets antal spørgsmål i config/instruments.yaml og nummereringen i "
        "eksporten.",
    ),
    "unknown_reference": (
        "Et id (redskab, indsats, variant, team, livsområde) findes ikke i opsætningen.",
        "Tilføj id'et til opsætningen, eller oversæt eksportens kode til et kendt id i "
        "config/sources.yaml (value_codes).",
    ),
    "attrition": (
        "Mange borgere, der er målt ved ét målepunkt, mangler ved det næste, selv om det er "
        "forfaldent. Gennemsnit over målepunkterne sammenligner så forskellige borgere.",
        "Find ud af, hvorfor den senere måling ikke bliver taget, og planlæg den med "
        "borgeren, før forløbet slutter.",
    ),
    "calibration_agreement": (
        "Ved kalibreringsworkshops giver medarbejderne den samme sag for forskellige "
        "scorer: enigheden (alfa) er under grænsen for redskabet eller for et spørgsmål.",
        "Tag de nævnte spørgsmål op på næste kalibreringsworkshop, og aftal med eksempler, "
        "hvad hvert svar betyder.",
    ),
    "calibration_deviation": (
        "Ved kalibreringsworkshops scorer en medarbejder de fælles sager systematisk højere "
        "eller lavere end de andre, der scorede samme sag.",
        "Gennemgå medarbejderens scorer spørgsmål for spørgsmål på næste workshop.",
    ),
    "completeness_below_target": (
        "For få af de planlagte målinger er indsamlet for en indsats, et team, en "
        "medarbejder eller en måned. Tallene bygger så kun på en del af borgerne.",
        "Se de manglende målinger og forfaldslisten, og aftal i teamet, hvem der tager "
        "hvilken måling.",
    ),
    "course_end_before_start": (
        "Et forløb slutter, før det starter.",
        "Ret forløbets start- eller slutdato i fagsystemet.",
    ),
    "course_end_reason_mismatch": (
        "Et forløb har en slutdato uden afslutningsårsag eller en årsag uden slutdato, så "
        "det er uklart, om forløbet er åbent eller afsluttet.",
        "Registrér afslutningsårsagen (eller fjern den fra det åbne forløb) i fagsystemet.",
    ),
    "course_overlap": (
        "To forløb for samme borger i samme indsats overlapper i tid (et åbent forløb løber "
        "til datoen for dataudtrækket) eller starter samme dag. Oftest er det samme forløb "
        "indlæst to gange, fx fordi fagsystemet har omnummereret sine sager (S1 -> NY-S1) "
        "og eksporteret forløbene igen. Borgeren, de planlagte målinger og de manglende "
        "målinger tæller så dobbelt. Et forløb, der starter den dag det andet sluttede "
        "eller senere, er et nyt forløb og godkendes.",
        "Spørg fagsystemet, hvilket forløb der er det rigtige, og ret det andet dér (slet en "
        "kopi; afslut det tidligere forløb, hvor et nyt begyndte). Et forløb, der er "
        "eksporteret igen under et nyt id (S1 -> NY-S1), bliver liggende under sit gamle "
        "id, indtil en rettet geneksport med den tidligere fils navn udelader det "
        "(ingest.reexport: replace, standard); eksportér dets skemaer under det id, der "
        "bliver. takes_over i sources.yaml samler ikke de to: den lader et nyt fagsystems "
        "rækker erstatte et gammelt systems rækker med samme id (angiv den, når et nyt "
        "system leverer det gamles id'er uændret), og disse forløb har forskellige id'er.",
    ),
    "cpr_in_text": (
        "Et fritekstfelt indeholder noget, der ligner et CPR-nummer, selv om indlæsningen "
        "skjuler dem.",
        "Skjul eller slet teksten i databasen nu, find ud af hvordan den kom forbi "
        "indlæsningen, og fjern den fra fagsystemets eksport.",
    ),
    "early_measurement": (
        "En planlagt måling er taget, før tidsvinduet åbnede.",
        "Tjek datoen. En startmåling ved visitationen før forløbets start kan betyde, at "
        "startdatoen er registreret for sent.",
    ),
    "event_outside_course": (
        "En målscore eller aktivitet er dateret et stykke før forløbets start eller efter "
        "dets slutning.",
        "Ret datoen, eller flyt rækken til det forløb, den hører til.",
    ),
    "form_header_conflict": (
        "Rækkerne i ét skema er uenige om forløb, redskab, dato, medarbejder eller "
        "bedømmer, så det er uklart, hvis måling det er og hvornår.",
        "Ret skemaet i fagsystemet, så alle svar har de samme oplysninger.",
    ),
    "implausible_jump": (
        "Totalscoren ændrer sig usandsynligt meget mellem to skemaer i træk i samme "
        "forløb: mere end flere gange redskabets grænse for pålidelig ændring.",
        "Tjek begge skemaer for tastefejl eller forbytning af borgere. Er ændringen ægte, "
        "så notér hvad der skete i forløbet.",
    ),
    "late_measurement": (
        "En planlagt måling er taget, efter tidsvinduet lukkede.",
        "Planlæg målingen i god tid (forfaldslisten viser, hvad der forfalder de kommende "
        "uger). Er datoen tastet forkert, så ret den i fagsystemet.",
    ),
    "measurement_after_end": (
        "Et skema er dateret længere efter forløbets slutning end den længste opfølgning "
        "i måleplanen.",
        "Ret skemaets dato eller forløbets slutdato. Hører skemaet til et nyt forløb for "
        "samme borger, så flyt det dertil.",
    ),
    "measurement_before_start": (
        "Et skema er dateret før forløbets start (mere end de tilladte dage), så det kan "
        "ikke høre til forløbet, som det er registreret.",
        "Ret skemaets dato eller forløbets startdato i fagsystemet. Udfyldes skemaer ved "
        "visitationen nogle dage før start, så sæt quality.before_start_grace_days.",
    ),
    "measurement_in_future": (
        "Et skema er dateret efter datoen for dataudtrækket: en tastefejl i datoen eller "
        "et forkert ur.",
        "Ret skemaets dato i fagsystemet.",
    ),
    "missing_measurement": (
        "En planlagt måling er forfalden: tidsvinduet er lukket, og der er ikke taget en "
        "måling.",
        "Tag målingen, hvis det stadig kan lade sig gøre, eller registrér den, hvis den er "
        "taget. Ellers notér hvorfor. Forfaldslisten viser den, indtil tidsvinduet har "
        "været lukket i {lookback_days} dage; ældre manglende målinger står kun her.",
    ),
    "near_duplicate": (
        "To skemaer med samme forløb og redskab, taget med få dages mellemrum, har næsten "
        "de samme svar: den samme måling registreret to gange.",
        "Slet den ekstra kopi i fagsystemet (behold den med den rigtige dato).",
    ),
    "orphan_row": (
        "Et skema, mål, en målscore, registrering eller aktivitet peger på et forløb (eller "
        "mål), der ikke er indlæst, eller et forløb peger på en ukendt borger.",
        "Eksportér også det manglende forløb, mål eller borger (tjek eksportens "
        "datofilter), eller ret henvisningen i fagsystemet, og indlæs igen.",
    ),
    "outlier_extreme": (
        "En totalscore ligger meget langt fra de andre scorer for samme indsats, redskab "
        "og målepunkt (mindst 3 SD).",
        "Tjek skemaet for tastefejl. Er scoren rigtig, er det en borger at tale om, ikke "
        "en fejl.",
    ),
    "outlier_moderate": (
        "En totalscore ligger langt fra de andre scorer for samme indsats, redskab og "
        "målepunkt (mellem 2 og 3 SD).",
        "Tjek skemaet for tastefejl. Er scoren rigtig, er det en borger at tale om, ikke "
        "en fejl.",
    ),
    "point_label_off_window": (
        "Skemaets målepunkt passer ikke med dets dato: datoen ligger uden for målepunktets "
        "tidsvindue. Skemaet tæller ved det angivne målepunkt.",
        "Tjek skemaets dato og målepunkt i fagsystemet, ret det der er forkert, og indlæs "
        "eksporten igen.",
    ),
    "quarantined_records": (
        "En række i en eksport blev sat i karantæne ved indlæsningen (ugyldig værdi, "
        "ukendt forløb eller borger, CPR-nummer i et id ...). Den indgår ikke i tallene.",
        "Se siden Karantæne: ret eksporten eller config/sources.yaml, prøv den med "
        "datadialog sources try, og indlæs den igen (datadialog ingest --reload FIL).",
    ),
    "rater_drift": (
        "En medarbejder vurderer på et redskab systematisk højere eller lavere end de "
        "andre bedømmere i teamet.",
        "Tag det op på næste kalibreringsworkshop: scor en fælles sag sammen, og gennemgå "
        "de spørgsmål, hvor I er uenige. Ret ikke registrerede scorer.",
    ),
    "rater_gap": (
        "Borgerens egne vurderinger og medarbejdernes vurderinger af samme forløb viser "
        "forskellig udvikling. Ikke en fejl i data, men et emne til mødet om borgeren.",
        "Tal med borgeren om, hvordan borgeren ser sin udvikling i forhold til "
        "medarbejderne.",
    ),
    "straight_lined": (
        "Alle besvarede spørgsmål i et skema har samme svar: skemaet kan være udfyldt uden "
        "at læse spørgsmålene.",
        "Tal med medarbejderen, der tog målingen, og tag den om, hvis den ikke blev "
        "besvaret spørgsmål for spørgsmål.",
    ),
    "timeliness_below_target": (
        "For få af de indsamlede målinger er taget inden for tidsvinduet for en indsats, "
        "et team, en medarbejder eller en måned. Ændringer mellem målepunkter udviskes.",
        "Brug forfaldslisten på teamets møder, og planlæg målingerne i kalenderen, når et "
        "forløb starter.",
    ),
}


def rule_help(rule_id: str, language: str, description: str, fix: str) -> tuple[str, str]:
    """A rule's description and fix in ``language``: the Danish texts of
    :data:`RULE_HELP_DA` in Danish, else the English ``description`` and ``fix`` given
    (the rule's SQL header). A rule without Danish texts keeps the English ones."""
    if language == "da" and rule_id in RULE_HELP_DA:
        description, fix = RULE_HELP_DA[rule_id]
    # the due list's lookback, in the Danish text and the SQL header's English alike
    return description, fix.replace("{lookback_days}", str(DUE_LOOKBACK_DAYS))


#: The ingest's quarantine rules (staging.quarantine.rule) in words: (Danish, English).
QUARANTINE_RULES: dict[str, tuple[str, str]] = {
    "missing_required": ("manglende værdi", "missing value"),
    "invalid_date": ("ugyldig dato", "invalid date"),
    "invalid_number": ("ugyldigt tal", "invalid number"),
    "unknown_code": ("ukendt kode", "unknown code"),
    "unknown_citizen": ("ukendt borger", "unknown citizen"),
    "unknown_course": ("ukendt forløb", "unknown course"),
    "unknown_goal": ("ukendt mål", "unknown goal"),
    "cpr_in_id": ("CPR-nummer som id", "CPR number as id"),
    "invalid_cpr": ("ugyldigt CPR-nummer", "invalid CPR number"),
    "duplicate_key": ("dublet", "duplicate"),
    "key_of_other_source": ("id fra andet fagsystem", "key of another source"),
    "item_out_of_instrument": ("ukendt spørgsmål", "unknown item"),
    "field_too_long": ("for langt felt", "field too long"),
    "line_too_long": ("for lang post", "record too long"),
}


def quarantine_reasons(rules: list[str], language: str = "da") -> str:
    """'2 ukendt forløb, 1 ugyldig dato': quarantined records counted by rule, most first."""
    counts: dict[str, int] = {}
    for rule in rules:
        counts[rule] = counts.get(rule, 0) + 1
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return ", ".join(
        f"{n} {pick(QUARANTINE_RULES[rule], language) if rule in QUARANTINE_RULES else rule}"
        for rule, n in ordered
    )

#: Caveat under a figure when a warning rule has failures in the deck's scope.
CAVEATS: dict[str, tuple[str, str]] = {
    "quarantined_records": (
        "Poster i karantæne ved indlæsning: {n} ({what}); de indgår ikke i tallene.",
        "Records quarantined at ingest: {n} ({what}); they are left out of the figures.",
    ),
    "missing_measurement": (
        "{n} planlagte målinger mangler; tallene bygger kun på de indsamlede.",
        "{n} planned measurements are missing; the figures rest on those collected.",
    ),
    "late_measurement": (
        "{n} målinger er taget efter tidsvinduet; ændringer mellem målepunkter kan udviskes.",
        "{n} measurements were taken after their window; changes between points may blur.",
    ),
    "completeness_below_target": (
        "Kun {what} af de planlagte målinger i alt (alle perioder) er indsamlet "
        "(mål: {target} %).",
        "Only {what} of all planned measurements (all periods) were collected "
        "(target: {target} %).",
    ),
    "timeliness_below_target": (
        "Kun {what} af målingerne i alt (alle perioder) er taget til tiden "
        "(mål: {target} %).",
        "Only {what} of all measurements (all periods) were taken on time "
        "(target: {target} %).",
    ),
    "near_duplicate": (
        "{n} skemaer ligner dobbeltregistreringer.",
        "{n} forms look like duplicates.",
    ),
    "straight_lined": (
        "{n} skemaer har samme svar på alle spørgsmål.",
        "{n} forms give the same answer to every item.",
    ),
    "implausible_jump": (
        "{n} målinger springer usandsynligt meget fra forrige måling.",
        "{n} measurements jump implausibly far from the previous one.",
    ),
    "outlier_extreme": (
        "{n} ekstreme værdier (over 3 SD fra gennemsnittet) indgår.",
        "{n} extreme values (over 3 SD from the mean) are included.",
    ),
    "rater_drift": (
        "Bedømmerforskel: {what}.",
        "Rater difference: {what}.",
    ),
    "attrition": (
        "Frafald mellem målepunkter: {what}; sammenlign samme borgere over tid.",
        "Drop-off between points: {what}; compare the same citizens over time.",
    ),
    "course_end_reason_mismatch": (
        "{n} forløb er afsluttet uden årsag; forløbsstatus er usikker.",
        "{n} courses ended without a reason; case status is uncertain.",
    ),
    "course_overlap": (
        "{n} forløb overlapper et andet forløb for samme borger og indsats; borgere og "
        "målinger kan tælle dobbelt.",
        "{n} courses overlap another course of the same citizen and intervention; citizens "
        "and measurements may count twice.",
    ),
    "event_outside_course": (
        "{n} registreringer ligger uden for forløbets datoer.",
        "{n} entries lie outside their course's dates.",
    ),
    "rater_gap": (
        "{n} forløb hvor borger og medarbejder vurderer udviklingen forskelligt.",
        "{n} courses where citizen and staff judge progress differently.",
    ),
}

#: The caveats above for exactly one failing row, where the singular differs.
CAVEATS_ONE: dict[str, tuple[str, str]] = {
    "missing_measurement": (
        "1 planlagt måling mangler; tallene bygger kun på de indsamlede.",
        "1 planned measurement is missing; the figures rest on those collected.",
    ),
    "late_measurement": (
        "1 måling er taget efter tidsvinduet; ændringer mellem målepunkter kan udviskes.",
        "1 measurement was taken after its window; changes between points may blur.",
    ),
    "near_duplicate": (
        "1 skema ligner en dobbeltregistrering.",
        "1 form looks like a duplicate.",
    ),
    "straight_lined": (
        "1 skema har samme svar på alle spørgsmål.",
        "1 form gives the same answer to every item.",
    ),
    "implausible_jump": (
        "1 måling springer usandsynligt meget fra forrige måling.",
        "1 measurement jumps implausibly far from the previous one.",
    ),
    "outlier_extreme": (
        "1 ekstrem værdi (over 3 SD fra gennemsnittet) indgår.",
        "1 extreme value (over 3 SD from the mean) is included.",
    ),
    "course_end_reason_mismatch": (
        "1 forløb er afsluttet uden årsag; forløbsstatus er usikker.",
        "1 course ended without a reason; case status is uncertain.",
    ),
    "course_overlap": (
        "1 forløb overlapper et andet forløb for samme borger og indsats; borgeren og "
        "målingerne kan tælle dobbelt.",
        "1 course overlaps another course of the same citizen and intervention; the citizen "
        "and the measurements may count twice.",
    ),
    "event_outside_course": (
        "1 registrering ligger uden for forløbets datoer.",
        "1 entry lies outside its course's dates.",
    ),
    "rater_gap": (
        "1 forløb hvor borger og medarbejder vurderer udviklingen forskelligt.",
        "1 course where citizen and staff judge progress differently.",
    ),
}

#: Generic caveat for a rule without its own text (an error shown as caveat, say).
GENERIC_CAVEAT: tuple[str, str] = (
    "Datakvalitet: {title} ({n}).",
    "Data quality: {title} ({n}).",
)


def rule_title(rule_id: str, language: str = "da") -> str:
    return pick(RULE_TITLES.get(rule_id, (rule_id, rule_id)), language)


def rater_drift_item(staff_id: str, instrument: str, difference: float,
                     language: str = "da") -> str:
    """One staff member's drift for the rater_drift caveat, in words: "medarbejder M14
    scorer KiK 0,7 SD over kollegerne" (the difference in SD units, one decimal)."""
    size = fmt_number(abs(difference), language, 1)
    if language == "da":
        side = "over" if difference >= 0 else "under"
        return f"medarbejder {staff_id} scorer {instrument} {size} SD {side} kollegerne"
    side = "above" if difference >= 0 else "below"
    return f"staff member {staff_id} scores {instrument} {size} SD {side} colleagues"


def caveat(rule_id: str, n: int, what: str, language: str = "da", target: int = 0) -> str:
    """The caveat text of a rule with ``n`` failing rows; ``what`` names the detail and
    ``target`` the rate target in per cent (rate rules)."""
    if n == 1 and rule_id in CAVEATS_ONE:
        return pick(CAVEATS_ONE[rule_id], language)
    if rule_id in CAVEATS:
        return pick(CAVEATS[rule_id], language).format(n=n, what=what, target=target)
    return pick(GENERIC_CAVEAT, language).format(title=rule_title(rule_id, language), n=n)


def slide_caveat(text: str, language: str = "da") -> str:
    """A caveat as a bullet on a slide already titled "Datakvalitet: ...": the generic
    caveat's "Datakvalitet: " prefix dropped (the full text stays for mails and figures)."""
    prefix = pick(GENERIC_CAVEAT, language).split("{", 1)[0]
    if text.startswith(prefix) and len(text) > len(prefix):
        rest = text[len(prefix):]
        return rest[0].upper() + rest[1:]
    return text


def _pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"\{(\w+)\}", template)
    return re.compile("".join(re.escape(p) if i % 2 == 0 else ".+?"
                              for i, p in enumerate(parts)) + "$", re.DOTALL)


def caveat_rule(text: str, language: str = "da") -> str | None:
    """The rule a caveat text of :func:`caveat` came from, or None (a caveat from elsewhere)."""
    for rule_id, texts in [*CAVEATS.items(), *CAVEATS_ONE.items()]:
        if _pattern(pick(texts, language)).match(text):
            return rule_id
    head, tail = pick(GENERIC_CAVEAT, language).split("{title}")
    for rule_id in RULE_TITLES:
        if _pattern(head + rule_title(rule_id, language) + tail).match(text):
            return rule_id
    return None


#: Words of the quality report and its slide: key -> (Danish, English).
REPORT: dict[str, tuple[str, str]] = {
    "title": ("Datakvalitet", "Data quality"),
    "subtitle": (
        "Kørsel {run_id}, opgjort pr. {as_of}",
        "Run {run_id}, judged on {as_of}",
    ),
    "completeness": ("Fuldstændighed", "Completeness"),
    "timeliness": ("Rettidighed", "Timeliness"),
    "errors": ("Fejl", "Errors"),
    "warnings": ("Advarsler", "Warnings"),
    "blocked": ("Blokerede områder", "Blocked scopes"),
    "with_errors": ("Områder med fejl", "Scopes with errors"),
    "with_errors_note": (
        "Fejl blokerer ikke i denne kørsel (quality.errors_block er slået fra): "
        "præsentationerne er lavet med fejlene som forbehold.",
        "Errors do not block in this run (quality.errors_block is off): the decks were "
        "made with the errors as caveats.",
    ),
    "with_errors_none": ("Ingen områder har fejl.", "No scope has errors."),
    "trend_metric": ("Mål", "Measure"),
    "trend_line": ("Kurve", "Trend"),
    "scope_organisation": ("hele organisationen (ledelsens præsentation)",
                           "the whole organisation (the leaders' decks)"),
    "scope_intervention": ("indsats", "intervention"),
    "scope_team": ("team", "team"),
    "trend_last": ("Seneste", "Latest"),
    "trend_runs": ("Kørsler", "Runs"),
    "trend_first_run": (
        "Første kørsel: udviklingen tegnes fra næste kørsel.",
        "First run: the trend is drawn from the next run on.",
    ),
    "trend_hidden_rules": (
        "{n} regler uden fund i nogen kørsel er ikke vist.",
        "{n} rules without findings in any run are not shown.",
    ),
    "metric_calibration_alpha": ("Enighed ved kalibrering (alfa)", "Calibration agreement (alpha)"),
    "metric_rule": ("{rule}: andel fund", "{rule}: share found"),
    "severity_error": ("fejl", "error"),
    "severity_warning": ("advarsel", "warning"),
    "severity_info": ("info", "info"),
    "target": ("mål", "target"),
    "trends": ("Udvikling over kørsler", "Trend across runs"),
    "rules": ("Regler med fund", "Rules with findings"),
    "rule": ("Regel", "Rule"),
    "severity": ("Alvor", "Severity"),
    "found": ("Fund", "Found"),
    "checked": ("Kontrolleret", "Checked"),
    "fix": ("Sådan rettes det", "How to fix"),
    "raters": ("Bedømmere der skiller sig ud", "Raters who stand out"),
    "raters_none": ("Ingen bedømmere skiller sig ud.", "No rater stands out."),
    "rater_line": (
        "{staff} vurderer {instrument} {direction} end kollegerne ({value}; {source})",
        "{staff} rates {instrument} {direction} than colleagues ({value}; {source})",
    ),
    "higher": ("højere", "higher"),
    "lower": ("lavere", "lower"),
    "source_drift": ("i forløbene", "in the courses"),
    "source_calibration": ("ved kalibrering", "in calibration"),
    "teams": ("Teams under målene", "Teams below target"),
    "teams_none": ("Alle teams når målene.", "Every team meets the targets."),
    "team_line": (
        "{team}: {metric} {value} (mål {target})",
        "{team}: {metric} {value} (target {target})",
    ),
    "workshop": ("Til næste kalibreringsworkshop", "For the next calibration workshop"),
    "workshop_none": ("Ingen spørgsmål under grænsen.", "No items below the threshold."),
    "workshop_line": (
        "{instrument} spørgsmål {item}: enighed (alfa) {alpha}",
        "{instrument} item {item}: agreement (alpha) {alpha}",
    ),
    "blocked_none": ("Ingen præsentationer er blokeret.", "No deck is blocked."),
    "signals": (
        "Signaler om forventet forløb: afprøvet på nyere forløb",
        "Off-course signals: tested on newer courses",
    ),
    "signals_none": (
        "Endnu for få afsluttede forløb til at afprøve signalerne.",
        "Too few closed courses yet to test the signals.",
    ),
    "signals_note": (
        "Modellen er tilpasset forløb startet før {split} og afprøvet på de nyere afsluttede "
        "forløb. Fanget: andel af forløb uden pålidelig bedring til sidst, der fik rødt "
        "signal undervejs. Falske alarmer: andel af forløb med bedring, der fik rødt signal "
        "undervejs. Sene forbedrere, der stadig stod rødt til sidst, er overset.",
        "The model is fitted on courses started before {split} and tested on the newer "
        "closed courses. Caught: share of courses without reliable improvement at the end "
        "that got a red signal on the way. False alarms: share of improving courses that "
        "got a red signal on the way. Late improvers still red at the end are missed.",
    ),
    "signals_columns": (
        "Indsats|Redskab|Testforløb|Fanget|Falske alarmer|Sene forbedrere (overset)",
        "Intervention|Instrument|Test courses|Caught|False alarms|Late improvers (missed)",
    ),
    "how_to_read": (
        "Sådan læses siden: fuldstændighed er andelen af planlagte målinger, der er "
        "indsamlet; rettidighed er andelen af de indsamlede, der er taget inden for "
        "tidsvinduet. Et måleskema i karantæne, hvis forløb ikke kendes, tæller som en "
        "planlagt måling, der mangler, i organisationens samlede fuldstændighed. Fejl "
        "stopper præsentationerne for det område, de vedrører, indtil de er rettet; "
        "advarsler vises som forbehold ved figurerne.",
        "How to read this page: completeness is the share of planned measurements "
        "collected; timeliness the share of those collected inside their window. A "
        "quarantined form whose course is unknown counts as a planned measurement that is "
        "missing in the organisation's overall completeness. Errors "
        "stop the decks of the scope they concern until fixed; warnings appear as caveats "
        "under the figures.",
    ),
}


def report_text(key: str, language: str = "da", **values: object) -> str:
    return pick(REPORT[key], language).format(**values)
