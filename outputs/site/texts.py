"""The site's own words, Danish and English (rule titles come from ``checks.texts``)."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    "site_title": ("Datakvalitet og sporbarhed", "Data quality and lineage"),
    "nav_quality": ("Kvalitet", "Quality"),
    "nav_quarantine": ("Karantæne", "Quarantine"),
    "nav_due": ("Forfaldsliste", "Due list"),
    "nav_lineage": ("Sporbarhed", "Lineage"),
    "nav_scopes": ("Teams og indsatser", "Teams and interventions"),
    "switch": ("English", "Dansk"),
    "data_as_of": ("Data pr. {date}", "Data as of {date}"),
    "run": ("Kontrolkørsel {run} ({when})", "Quality run {run} ({when})"),
    "no_run": ("Ingen kontrolkørsel endnu: kør datadialog check.",
               "No quality run yet: run datadialog check."),
    "completeness": ("Fuldstændighed", "Completeness"),
    "timeliness": ("Rettidighed", "Timeliness"),
    "target": ("mål", "target"),
    "errors": ("Fejl (rækker)", "Errors (rows)"),
    "warnings": ("Advarsler (rækker)", "Warnings (rows)"),
    "quarantined": ("I karantæne (rækker)", "Quarantined (rows)"),
    "per_scope": ("Pr. team og indsats", "Per team and intervention"),
    "scope": ("Team eller indsats", "Team or intervention"),
    "kind_team": ("Team", "Team"),
    "kind_intervention": ("Indsats", "Intervention"),
    "kind_organisation": ("Ledelse", "Leaders"),
    "trend": ("Udvikling over kørsler", "Trend across runs"),
    "findings": ("Fund", "Findings"),
    "none": ("ingen", "none"),
    "rules": ("Regler med fund", "Rules with findings"),
    "rule": ("Regel", "Rule"),
    "severity": ("Alvor", "Severity"),
    "severity_error": ("fejl", "error"),
    "severity_warning": ("advarsel", "warning"),
    "severity_info": ("info", "info"),
    "found": ("Fundet", "Found"),
    "checked": ("Kontrolleret", "Checked"),
    "fix": ("Sådan rettes det", "How to fix it"),
    "what": ("Hvad reglen kontrollerer", "What the rule checks"),
    "rows_link": ("rækker", "rows"),
    "due_link": ("Se forfaldslisten", "See the due list"),
    "due_some_missing": (
        "Den viser en manglende måling, indtil tidsvinduet har været lukket i {days} dage, "
        "så {on} af rækkerne her står på den, og {off} står kun her.",
        "It shows a missing measurement until its window has been closed for {days} days, "
        "so it holds {on} of the rows here and not the other {off}."),
    "due_no_missing": (
        "Ingen af rækkerne står på forfaldslisten: den viser en manglende måling, indtil "
        "tidsvinduet har været lukket i {days} dage.",
        "None of the rows are on the due list: it shows a missing measurement until its "
        "window has been closed for {days} days."),
    "raters": ("Bedømmernes pålidelighed", "Rater reliability"),
    "raters_none": ("Ingen medarbejdere skiller sig ud.", "No staff member stands out."),
    "workshop": ("Til næste kalibreringsworkshop", "For the next calibration workshop"),
    "trends": ("Udvikling over kørsler", "Trends across runs"),
    "metric": ("Mål", "Measure"),
    "last": ("Seneste", "Latest"),
    "failing_rows": ("Fejlende rækker", "Failing rows"),
    "failing_rows_of": ("Fejlende rækker: {rule}", "Failing rows: {rule}"),
    "no": ("Nr.", "No."),
    "col_table": ("Tabel", "Table"),
    "col_intervention": ("Indsats", "Intervention"),
    "col_team": ("Team", "Team"),
    "col_staff": ("Medarbejder", "Staff"),
    "col_course": ("Forløb", "Course"),
    "col_form": ("Skema", "Form"),
    "col_instrument": ("Redskab", "Instrument"),
    "col_item": ("Spm.", "Item"),
    "col_point": ("Målepunkt", "Point"),
    "col_date": ("Dato", "Date"),
    "col_value": ("Værdi", "Value"),
    "col_reason": ("Årsag", "Reason"),
    "col_source": ("Kilde (fil, række)", "Source (file, record)"),
    "col_figures": ("Påvirker figurer", "Affects figures"),
    "col_file": ("Fil", "File"),
    "col_sheet": ("Ark", "Sheet"),
    "col_column": ("Kolonne", "Column"),
    "col_message": ("Besked", "Message"),
    "col_rows_in": ("Rækker ind", "Rows in"),
    "col_staged": ("Indlæst", "Staged"),
    "col_checksum": ("Kontrolsum (SHA-256)", "Checksum (SHA-256)"),
    "col_loaded_at": ("Indlæst", "Loaded at"),
    "col_status": ("Status", "Status"),
    "col_due": ("Forfalder", "Due"),
    "col_days": ("Dage", "Days"),
    "col_citizen": ("Borger (pseudonym)", "Citizen (pseudonym)"),
    "col_case": ("Forløbsstatus", "Course state"),
    "quarantine_title": ("Rækker i karantæne ved indlæsning", "Records quarantined at ingest"),
    "quarantine_intro": (
        "Rækker der ikke kunne læses eller kobles (forkert dato, ukendt kode, ukendt borger "
        "...). De indgår ikke i tallene. Ret dem i fagsystemet og eksportér igen.",
        "Records that could not be read or linked (bad date, unknown code, unknown citizen "
        "...). They are not in the figures. Correct them in the source system and export "
        "again."),
    "quarantine_none": ("Ingen rækker i karantæne.", "No records in quarantine."),
    "due_title": ("Forfaldsliste", "Due list"),
    "due_intro": (
        "Planlagte målinger der mangler: overskredne først (længst over forfaldsdatoen "
        "øverst), derefter dem der skal måles nu og de kommende. En overskreden måling står "
        "her, indtil tidsvinduet har været lukket i {days} dage; ældre står kun under "
        "reglen {rule}.",
        "Planned measurements not yet made: overdue first (longest past the due date on "
        "top), then those due now and the coming ones. An overdue measurement stays here "
        "until its window has been closed for {days} days; older ones are only under the "
        "rule {rule}."),
    "due_none": ("Intet forfalder.", "Nothing is due."),
    "due_files": ("Regneark", "Spreadsheets"),
    "status_overdue": ("overskredet", "overdue"),
    "status_due_now": ("skal måles nu", "due now"),
    "status_upcoming": ("kommende", "upcoming"),
    "deck_ready": ("klar", "ready"),
    "deck_blocked": ("blokeret", "blocked"),
    "deck_failed": ("fejlede", "failed"),
    "deck_skipped": ("sprunget over", "skipped"),
    "case_open": ("åbent", "open"),
    "case_closed_planned": ("afsluttet som planlagt", "closed as planned"),
    "case_closed_unplanned": ("afsluttet før tid", "closed early"),
    "lineage_title": ("Sporbarhed: fra eksportfil til figur",
                      "Lineage: from export file to figure"),
    "lineage_intro": (
        "For hver figur i de seneste præsentationer: forespørgslen, det datamart den læser, "
        "modellerne under det, og de filer (med kontrolsum) der fødte tallene.",
        "For every figure of the latest decks: the query, the mart it reads, the models "
        "beneath it, and the files (with checksums) that fed the numbers."),
    "lineage_none": ("Ingen præsentationer er lavet endnu.", "No decks have been made yet."),
    "queries": ("Forespørgsel", "Query"),
    "marts": ("Datamart", "Mart"),
    "models": ("Modeller under", "Models beneath"),
    "sources": ("Kildetabeller", "Source tables"),
    "loads": ("Indlæsninger", "Loads"),
    "shown_on": ("Vises på", "Shown on"),
    "scopes_title": ("Teams og indsatser", "Teams and interventions"),
    "last_deck": ("Seneste præsentation: {meeting}, {date}", "Last deck: {meeting}, {date}"),
    "decks": ("Præsentationer i udbakken", "Decks in the outbox"),
    "no_decks": ("Ingen præsentationer i udbakken.", "No decks in the outbox."),
    "how_to_read": ("Sådan læses tabellen", "How to read the table"),
    "table_how": (
        "Tabellen viser figurens tal fra præsentationen: rækkerne er figurens kategorier"
        "{rows}, kolonnerne dens serier. Bjælken i cellen viser tallets størrelse.",
        "The table holds the numbers of the deck's figure: the rows are its categories"
        "{rows}, the columns its series. The bar in a cell shows the number's size."),
    "table_how_diverging": (
        "Bjælken går fra midterstregen (0): til venstre (orange) under 0, til højre (blå) "
        "over 0.",
        "The bar starts at the middle line (0): to the left (orange) below 0, to the right "
        "(blue) above 0."),
    "first_run": ("første kørsel", "first run"),
    "table_how_n": ("Tallet i parentes (n) er, hvor mange tallet bygger på.",
                    "The number in brackets (n) is how many the number rests on."),
    "table_how_hidden": ("«<{k}» betyder, at tallet er skjult, fordi færre end {k} borgere "
                         "står bag det.",
                         "“<{k}” means the number is hidden: fewer than {k} citizens are "
                         "behind it."),
    "lineage_link": ("Hvor kommer tallene fra?", "Where do the numbers come from?"),
    "quality_link": ("Datakvalitet for {name}", "Data quality of {name}"),
    "hidden": ("<{k}: færre end {k} borgere, tallet vises ikke",
               "<{k}: fewer than {k} citizens, the number is hidden"),
    "trend_runs": ("{n} kørsler", "{n} runs"),
    "col_scope": ("Indsats og team", "Intervention and team"),
    "col_measure": ("Redskab, spm., målepunkt", "Instrument, item, point"),
    "col_record": ("række", "record"),
    "col_meeting": ("Mødeserie", "Meeting series"),
    "quarantine_no_scope": ("Uden team og indsats", "Without team and intervention"),
    "col_raters": ("Bedømmere der skiller sig ud", "Raters standing out"),
    "quarantine_unplaced": (
        "{n} rækker i karantæne kan ikke placeres på et team eller en indsats (borgere, "
        "målscorer, omkostninger, ukendte forløb): se Karantæne.",
        "{n} quarantined records cannot be placed on a team or intervention (citizens, goal "
        "ratings, costs, unknown courses): see Quarantine."),
    "q_missing_required": ("påkrævet felt mangler", "required field missing"),
    "q_cpr_in_id": ("CPR-nummer i et id", "CPR number in an id"),
    "q_unknown_code": ("ukendt kode", "unknown code"),
    "q_invalid_number": ("ugyldigt tal", "invalid number"),
    "q_invalid_date": ("ugyldig dato", "invalid date"),
    "q_unknown_course": ("ukendt forløb", "unknown course"),
    "q_unknown_citizen": ("ukendt borger", "unknown citizen"),
    "q_unknown_goal": ("ukendt mål", "unknown goal"),
    "q_item_out_of_instrument": ("spørgsmål findes ikke i redskabet",
                                 "item not in the instrument"),
    "q_duplicate_key": ("samme nøgle to gange", "same key twice"),
    "q_key_of_other_source": ("nøglen bruges af et andet fagsystem",
                              "key held by another source"),
}


def quarantine_rule(rule: str, language: str) -> str:
    """An ingest rule in words (the code itself when it has none)."""
    key = f"q_{rule}"
    return text(key, language) if key in TEXTS else rule


def deck_status(status: str, language: str) -> str:
    """A deck's status in the outbox manifest in words (the code itself when unknown)."""
    key = f"deck_{status}"
    return text(key, language) if key in TEXTS else status


def text(key: str, language: str, **values: object) -> str:
    da, en = TEXTS[key]
    chosen = da if language == "da" else en
    return chosen.format(**values) if values else chosen
