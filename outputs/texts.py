"""Every text that the decks put on a slide, in Danish (default) and English.

The language comes from ``organisation.language`` in the config. Look texts up with
:func:`t` (a string, ``str.format`` placeholders filled from keyword arguments) or
:func:`tl` (a list of strings). All wording is our own.
"""

from __future__ import annotations

from typing import Literal

from datadialog.i18n import lookup, lookup_list

Lang = Literal["da", "en"]

# key -> (Danish, English)
_TEXTS: dict[str, tuple[str, str]] = {
    # ------------------------------------------------------------ deck titles
    "citizen_deck_title": ("Borgerrettet refleksionsmøde", "Citizen-level reflection meeting"),
    "citizen_deck_subtitle": (
        "{team} · {intervention} · {date}",
        "{team} · {intervention} · {date}",
    ),
    "intervention_deck_title": (
        "Refleksionsmøde om indsatsen: {intervention}",
        "Reflection meeting on the intervention: {intervention}",
    ),
    "intervention_deck_subtitle": ("{period} · {date}", "{period} · {date}"),
    # a meeting series' name when its config gives none (outputs.common.meeting_name):
    # worded as the deck titles, the team's or intervention's name after " · "
    "meeting_name_citizen": ("Borgerrettet refleksionsmøde", "Citizen-level reflection meeting"),
    "meeting_name_intervention": ("Refleksionsmøde om indsatsen",
                                  "Reflection meeting on the intervention"),
    "meeting_name_organisation": ("Ledelsens kvartalsmøde", "Leaders' quarterly meeting"),
    "meeting_name_progress": ("Fremdriftsmøde", "Progress meeting"),
    "footer": ("{organisation} · {date}", "{organisation} · {date}"),
    "how_to_read": ("Sådan læses figuren", "How to read this figure"),
    "notes_data": ("Tallene bag figuren", "The numbers behind the figure"),
    # ------------------------------------------------------------ agenda and roles
    "agenda_title": ("Dagsorden og roller", "Agenda and roles"),
    "agenda_heading": ("Dagsorden", "Agenda"),
    "roles_heading": ("Roller", "Roles"),
    "agenda_welcome": ("Velkomst og roller ({minutes} min.)", "Welcome and roles ({minutes} min)"),
    "agenda_citizen": (
        "{name}: siden sidst, data, fortolkning, aftaler ({minutes} min.)",
        "{name}: since last time, data, interpretation, agreements ({minutes} min)",
    ),
    "agenda_close": (
        "Opsamling og næste møde ({minutes} min.)",
        "Wrap-up and next meeting ({minutes} min)",
    ),
    "agenda_citizen_why": (
        "{name} ({minutes} min.) – fordi: {why}",
        "{name} ({minutes} min) – because: {why}",
    ),
    "agenda_reason_rotation_all": (
        "på skift (alle er med i dag)",
        "in rotation (everyone is on today)",
    ),
    "agenda_reason_rotation": (
        "på skift (alle kommer op inden for {n} møder)",
        "in rotation (everyone comes up within {n} meetings)",
    ),
    "agenda_left_out": (
        "{n} borgere mere har en grund til at komme op, men nåede ikke med (først i køen: "
        "{names}): tag dem næste gang eller mellem møderne.",
        "{n} more citizens have a reason to come up but did not fit (first in line: {names}): "
        "take them next time or between meetings.",
    ),
    "agenda_left_out_one": (
        "1 borger mere har en grund til at komme op, men nåede ikke med ({names}): tag "
        "borgeren næste gang eller mellem møderne.",
        "1 more citizen has a reason to come up but did not fit ({names}): take them next "
        "time or between meetings.",
    ),
    "agenda_no_citizens": (
        "Ingen borgere er sat på dagsordenen til dette møde.",
        "No citizens are on the agenda for this meeting.",
    ),
    "role_leader": (
        "Mødeleder: styrer dialogen og tiden",
        "Meeting leader: steers the dialogue and time",
    ),
    "role_notes": ("Referent: skriver aftalepapiret", "Note-taker: fills in the agreement sheet"),
    "role_time": (
        "Tidsholder: siger til, når tiden er ved at gå",
        "Timekeeper: flags when time runs short",
    ),
    "role_named": ("{role}: {person}", "{role}: {person}"),
    "role_open": ("aftales ved mødets start", "agreed at the start"),
    "agenda_int_basis": (
        "Datagrundlaget og jeres tre iagttagelser ({minutes} min.)",
        "The data and your three observations ({minutes} min)",
    ),
    "agenda_int_since": ("Siden sidst ({minutes} min.)", "Since last time ({minutes} min)"),
    "agenda_int_explore": ("Udforsk data ({minutes} min.)", "Explore the data ({minutes} min)"),
    "agenda_int_interpret": (
        "Fortolk: kerneelementer og resultatkort ({minutes} min.)",
        "Interpret: core elements and result map ({minutes} min)",
    ),
    "agenda_int_action": (
        "Forbered handling: aftalepapir ({minutes} min.)",
        "Prepare action: agreement sheet ({minutes} min)",
    ),
    # ------------------------------------------------------------ dialogue
    "dialogue_title": ("Dialogen i fire trin", "The dialogue in four steps"),
    "step_since": ("Siden sidst", "Since last time"),
    "step_explore": ("Udforsk", "Explore"),
    "step_interpret": ("Fortolk", "Interpret"),
    "step_action": ("Forbered handling", "Prepare action"),
    "step_label": ("Trin {number}: {name}", "Step {number}: {name}"),
    "appendix_label": ("Bilag", "Appendix"),
    "three_obs_heading": (
        "Før mødet: jeres tre iagttagelser",
        "Before the meeting: your three observations",
    ),
    "is_development": (
        "Er det udvikling? Hold tallet op mod borgerens forrige måling, borgerens egne mål "
        "og de andre målinger.",
        "Is it development? Hold the number against the citizen's previous measurement, "
        "the citizen's own goals and the other measurements.",
    ),
    # ------------------------------------------------------------ agreement sheet
    "sheet_title": ("Aftalepapir", "Agreement sheet"),
    "sheet_title_for": ("Aftalepapir: {subject}", "Agreement sheet: {subject}"),
    "sheet_answer": ("Det aftaler vi", "What we agree"),
    "sheet_question": ("Spørgsmål", "Question"),
    "sheet_theme_all": ("Hele indsatsen", "The whole intervention"),
    "sheet_return_hint": (
        "Skriv aftalerne i tabellen (Status: åben, gennemført eller droppet), gem "
        "præsentationen og læg den i indbakken: så står aftalerne i næste mødes præsentation.",
        "Write the agreements in the table (Status: open, done or dropped), save the deck "
        "and put it in the inbox: the next meeting's deck then opens with them.",
    ),
    # ------------------------------------------------------------ citizen pack
    "since_title": ("{name}: aftaler fra sidste møde", "{name}: agreements from last time"),
    "since_title_open": ("{name}: aftaler fra sidste møde og åbne aftaler fra før",
                         "{name}: agreements from last time and open ones from before"),
    "agreement_agreed_on": ("aftalt {date}", "agreed {date}"),
    "since_none": (
        "Der blev ikke registreret aftaler for borgeren på sidste møde.",
        "No agreements were recorded for this citizen at the last meeting.",
    ),
    "since_prompt": (
        "Hvor langt er vi med hver aftale, og kan vi se det i data?",
        "How far have we come with each agreement, and can we see it in the data?",
    ),
    "agreements_columns": ("Aftale|Hvem|Senest|Status|I data siden",
                           "Agreement|Who|By when|Status|In the data since"),
    "agreement_status_open": ("ikke gennemført endnu", "not done yet"),
    "agreement_status_done": ("gennemført", "done"),
    "agreement_status_dropped": ("droppet", "dropped"),
    "agreement_overdue": ("ikke gennemført, fristen er overskredet",
                          "not done, the date has passed"),
    # ------------------------------------------------------------ since last time
    "since_columns": (
        "Borger/tema|Aftale|Hvem|Senest|Status|I data siden",
        "Citizen/theme|Agreement|Who|By when|Status|In the data since",
    ),
    "since_series_title": ("Siden sidst: aftaler fra mødet {date}",
                           "Since last time: agreements from the meeting on {date}"),
    "since_series_title_n": (
        "Siden sidst: {done} af {total} aftaler fra mødet {date} er gennemført",
        "Since last time: {done} of {total} agreements from the meeting on {date} are done",
    ),
    "since_series_title_n_refused": (
        "Siden sidst: {done} af {total} aftaler fra mødet {date} er gennemført · "
        "{refused} kunne ikke læses",
        "Since last time: {done} of {total} agreements from the meeting on {date} are done · "
        "{refused} could not be read",
    ),
    "since_series_title_none": ("Siden sidst", "Since last time"),
    # agreement rows refused when the returned file was read (mart_refused_agreements)
    "refused_title": ("Siden sidst: {n} aftaler fra mødet {date} kunne ikke læses",
                      "Since last time: {n} agreements from the meeting on {date} could "
                      "not be read"),
    "refused_title_one": ("Siden sidst: 1 aftale fra mødet {date} kunne ikke læses",
                          "Since last time: 1 agreement from the meeting on {date} could "
                          "not be read"),
    "refused_heading": ("Ikke med i tabellen: hvor og hvorfor",
                        "Not in the table: where and why"),
    "refused_heading_file": ("Ikke med i tabellen, fra {file}",
                             "Not in the table, from {file}"),
    "refused_item": ("{file}, {where}: {why}", "{file}, {where}: {why}"),
    "refused_item_here": ("{where}: {why}", "{where}: {why}"),
    "refused_value": ("{reason}: »{value}«", "{reason}: \"{value}\""),
    "refused_note": (
        "Ret dem i registret (eller præsentationen) og læg filen i indbakken igen: så "
        "kommer de med. Filen erstatter de aftaler, den selv har givet.",
        "Correct them in the register (or the deck) and put the file in the inbox again: "
        "then they are included. The file replaces the agreements it gave itself.",
    ),
    "refused_rule_agreement_text_missing": ("aftalen siger ikke, hvad vi gør",
                                            "the agreement does not say what we do"),
    "refused_rule_agreement_owner_missing": ("aftalen har ingen ansvarlig (Hvem)",
                                             "the agreement has no owner (Who)"),
    "refused_rule_agreement_date_missing": ("aftalen har ingen dato (Senest)",
                                            "the agreement has no date (By when)"),
    "refused_rule_agreement_date_invalid": ("datoen kan ikke læses (skriv fx 24-11-2026)",
                                            "the date cannot be read (write e.g. 24-11-2026)"),
    "refused_rule_agreement_status_unknown": (
        "ukendt status (brug åben, gennemført eller droppet)",
        "unknown status (use åben, gennemført or droppet: open, done, dropped)"),
    "refused_rule_agreement_course_cpr": (
        "forløbet er et CPR-nummer (skjult her); skriv forløbets id fra den tomme fil",
        "the course is a CPR number (hidden here); write the course id from the blank file"),
    "since_series_none": (
        "Der er ikke kommet aftaler retur fra sidste møde. Læg den udfyldte præsentation "
        "eller aftaleregistret i indbakken, så står aftalerne her næste gang.",
        "No agreements came back from the last meeting. Put the filled-in deck or the "
        "agreement register in the inbox, and they will be here next time.",
    ),
    "since_data_none": ("{instrument}: ingen ny måling endnu", "{instrument}: no new score yet"),
    "since_data_first": ("{instrument}: første måling {score} ({date})",
                         "{instrument}: first score {score} ({date})"),
    "since_data_change": ("{instrument} {before} → {after} ({diff}): {word}",
                          "{instrument} {before} → {after} ({diff}): {word}"),
    "since_data_same": ("uændret", "unchanged"),
    "since_data_better": ("bedre, men under grænsen for pålidelig ændring",
                          "better, but below the reliable-change size"),
    "since_data_worse": ("dårligere, men under grænsen for pålidelig ændring",
                         "worse, but below the reliable-change size"),
    "since_data_mean_flat": ("næsten uændret i månedens gennemsnit",
                             "about the same in the monthly mean"),
    "since_data_mean_better": ("en forbedring i månedens gennemsnit",
                               "an improvement in the monthly mean"),
    "since_data_mean_worse": ("en forværring i månedens gennemsnit",
                              "a deterioration in the monthly mean"),
    "since_data_reliably_better": ("pålideligt bedre", "reliably better"),
    "since_data_reliably_worse": ("pålideligt dårligere", "reliably worse"),
    "changes_title": ("Det er sket siden sidst ({since} – {until})",
                      "What happened since last time ({since} – {until})"),
    "changes_heading": ("Siden sidste mødes datagrundlag", "Since the last meeting's data"),
    "change_measurement": ("Nye målinger: {n}", "New measurements: {n}"),
    "change_reliable_improvement": ("Borgere med pålidelig forbedring: {n}",
                                    "Citizens reliably improved: {n}"),
    "change_reliable_deterioration": ("Borgere med pålidelig forværring: {n}",
                                      "Citizens reliably deteriorated: {n}"),
    "change_goal_reached": ("Borgere med et mål nået eller fastholdt: {n}",
                            "Citizens with a goal reached or maintained: {n}"),
    "change_course_started": ("Borgere startet: {n}", "Citizens started: {n}"),
    "change_course_ended": ("Borgere afsluttet: {n}", "Citizens ended: {n}"),
    "change_quality_flags": ("Fund i datakvaliteten på de nye målinger: {n}",
                             "Data-quality findings on the new measurements: {n}"),
    "trial_before": ("Før prøvehandlingen", "Before the trial"),
    "trial_after": ("Fra start", "From the start"),
    "trial_median": ("Median før", "Median before"),
    "trial_start_mark": ("▲", "▲"),
    "trial_n_note": ("n = {low}–{high} borgere pr. måned", "n = {low}–{high} citizens per month"),
    "trial_y": ("{instrument}, gennemsnit pr. måned", "{instrument}, mean per month"),
    "trial_no_months": (
        "Der er ingen måned at vise endnu: ingen målinger, eller færre end {k} borgere i hver "
        "måned.",
        "There is no month to show yet: no scores, or fewer than {k} citizens in each month.",
    ),
    "trial_expected_heading": ("Det forventer vi at se", "What we expect to see"),
    "trial_how": (
        "Hvert punkt er gennemsnittet af månedens målinger i indsatsen. Grå "
        "punkter er før prøvehandlingen, blå fra dens start (▲). Den stiplede linje er "
        "medianen før: ligger punkterne efter start på den gode side af den, måned efter "
        "måned, peger det på en ændring.",
        "Each point is the mean of the month's measurements in the intervention. Grey "
        "points are before the trial, blue from its start (▲). The dashed "
        "line is the median before: points after the start on its good side, month after "
        "month, point to a change.",
    ),
    "trial_title_waiting": (
        "Prøvehandling «{title}»: ingen {instrument_measurements} efter start ({date}) endnu",
        "Trial '{title}': no {instrument_measurements} after its start ({date}) yet",
    ),
    "trial_title_no_before": (
        "Prøvehandling «{title}»: ingen {instrument_measurements} fra før start at sammenligne "
        "med",
        "Trial '{title}': no {instrument_measurements} from before the start to compare with",
    ),
    "trial_title_better": (
        "Prøvehandling «{title}»: {instrument} median {before} før og {after} efter start "
        "– en forbedring",
        "Trial '{title}': {instrument} median {before} before and {after} after the start "
        "– an improvement",
    ),
    "trial_title_worse": (
        "Prøvehandling «{title}»: {instrument} median {before} før og {after} efter start "
        "– en forværring",
        "Trial '{title}': {instrument} median {before} before and {after} after the start "
        "– a deterioration",
    ),
    "trial_title_few": (
        "Prøvehandling «{title}»: for få måneder at sammenligne {instrument} på "
        "({before} vist før start, {after} efter)",
        "Trial '{title}': too few months to compare {instrument} on "
        "({before} shown before the start, {after} after)",
    ),
    "trial_title_flat": (
        "Prøvehandling «{title}»: {instrument} median {before} før og {after} efter start "
        "– næsten uændret",
        "Trial '{title}': {instrument} median {before} before and {after} after the start "
        "– about the same",
    ),
    "trial_title_same": (
        "Prøvehandling «{title}»: {instrument} median {before} både før og efter start",
        "Trial '{title}': {instrument} median {before} both before and after the start",
    ),
    "slide_trials": ("Prøvehandlinger", "Improvement trials"),
    "changes_note": (
        "Tallene tæller det, der er sket mellem de to datoer (målinger tælles som skemaer, "
        "resten som borgere); pålidelig ændring er i forhold til borgerens første måling.",
        "The numbers count what happened between the two dates (measurements as forms, "
        "the rest as citizens); reliable change is against the citizen's first score.",
    ),
    "progression_title": (
        "{name}: udvikling i målingerne",
        "{name}: development in the measurements",
    ),
    "progression_none": (
        "Der er endnu ingen scorede målinger for borgeren.",
        "There are no scored measurements for this citizen yet.",
    ),
    "course_line": (
        "{intervention}, start {start} · {status}",
        "{intervention}, started {start} · {status}",
    ),
    "case_open": ("forløbet er i gang", "course ongoing"),
    "case_closed_planned": ("afsluttet som planlagt", "closed as planned"),
    "case_closed_unplanned": ("afsluttet uplanlagt", "closed unplanned"),
    "goals_title": ("{name}: mål og status", "{name}: goals and status"),
    "goals_none": (
        "Der er ikke sat mål for borgeren endnu.",
        "No goals have been set for this citizen yet.",
    ),
    "goals_columns": (
        "Livsområde|Mål|Type|Start|Seneste|Status",
        "Life area|Goal|Type|Start|Latest|Status",
    ),
    "goals_summary": (
        "{reached} af {total} mål er nået eller fastholdt",
        "{reached} of {total} goals reached or maintained",
    ),
    "goals_none_assessed": (
        "{n} mål er sat, ingen er vurderet endnu",
        "{n} goals set, none assessed yet",
    ),
    "goal_type_progression": ("udvikling", "progression"),
    "goal_type_maintenance": ("fastholdelse", "maintenance"),
    "ratings_title": (
        "{name}: borgerens og medarbejdernes vurdering",
        "{name}: the citizen's and staff's ratings",
    ),
    "ratings_columns": (
        "Redskab\n(vurderet af)|Første|Seneste|Ændring|Vurdering",
        "Instrument\n(rated by)|First|Latest|Change|Assessment",
    ),
    "ratings_none": ("Ingen scorede målinger endnu.", "No scored measurements yet."),
    "ratings_compare_both": (
        "Borgeren og medarbejderne ser samme retning: {direction}",
        "The citizen and staff see the same direction: {direction}",
    ),
    "ratings_compare_split": (
        "Borgerens egen vurdering peger {citizen}, medarbejdernes {staff}",
        "The citizen's own rating points {citizen}, staff's {staff}",
    ),
    "ratings_first_only": (
        "Kun én måling pr. redskab indtil nu: endnu ingen udvikling at sammenligne",
        "One measurement per instrument so far: no change to compare yet",
    ),
    "ratings_only_citizen": (
        "Borgerens egen vurdering peger {direction}; medarbejderne har kun én måling endnu",
        "The citizen's own rating points {direction}; staff have one measurement so far",
    ),
    "ratings_citizen": (
        "Borgerens egen vurdering peger {direction}",
        "The citizen's own rating points {direction}",
    ),
    "ratings_only_staff": (
        "Medarbejdernes vurdering peger {direction}; borgeren har kun én måling endnu",
        "Staff ratings point {direction}; the citizen has one measurement so far",
    ),
    "ratings_staff": (
        "Medarbejdernes vurdering peger {direction}",
        "Staff ratings point {direction}",
    ),
    "dir_better": ("mod bedring", "towards improvement"),
    "dir_worse": ("mod forværring", "towards deterioration"),
    "dir_same": ("hverken mod bedring eller forværring (ingen pålidelig ændring)",
                 "neither towards improvement nor deterioration (no reliable change)"),
    "dir_mixed": ("i begge retninger", "both ways"),
    "rater_citizen": ("borgeren", "citizen"),
    "rater_staff": ("medarbejder", "staff"),
    "rater_parent": ("forælder", "parent"),
    "rater_teacher": ("lærer", "teacher"),
    "kik_title_fig": (
        "Mindst i spil: {element} ({value} af {max})",
        "Least in play: {element} ({value} of {max})",
    ),
    "kik_title_even": (
        "Alle kerneelementer er vurderet {value} af {max} eller højere",
        "All core elements are rated {value} of {max} or higher",
    ),
    "kik_title_none": ("Ingen KiK-vurdering endnu", "No fidelity (KiK) rating yet"),
    "kik_x": ("Kerneelement", "Core element"),
    "kik_y": ("Vurdering ({min}-{max})", "Rating ({min}-{max})"),
    "kik_latest": ("Seneste", "Latest"),
    "kik_previous": ("Forrige", "Previous"),
    "kik_how": (
        "Søjlerne viser, hvor meget hvert kerneelement var i spil i borgerens forløb ifølge "
        "medarbejdernes KiK-vurdering ({min} = slet ikke, {max} = fuldt ud).",
        "The bars show how far each core element was in play in the citizen's course, as "
        "staff rated it ({min} = not at all, {max} = fully).",
    ),
    "kik_how_previous": (
        " Den lyse søjle er forrige vurdering.",
        " The light bar is the previous rating.",
    ),
    "kik_notes_heading": ("Noter fra KiK", "Notes from the fidelity rating"),
    "kik_n": ("n = {n} vurderinger", "n = {n} ratings"),
    "kik_n_one": ("n = 1 vurdering", "n = 1 rating"),
    # progression (citizen level)
    "prog_title_recovered": (
        "{instrument}: {latest} ved seneste måling, pålidelig bedring og nu på den raske side af "
        "grænsen",
        "{instrument}: {latest} at the latest measurement, reliable improvement and now past the "
        "cut-off",
    ),
    "prog_title_improved": (
        "{instrument}: {latest} ved seneste måling, pålidelig bedring siden start",
        "{instrument}: {latest} at the latest measurement, reliable improvement since start",
    ),
    "prog_title_unchanged": (
        "{instrument}: {latest} ved seneste måling, ingen pålidelig ændring siden start",
        "{instrument}: {latest} at the latest measurement, no reliable change since start",
    ),
    "prog_title_deteriorated": (
        "{instrument}: {latest} ved seneste måling, pålidelig forværring siden start",
        "{instrument}: {latest} at the latest measurement, reliable deterioration since start",
    ),
    "prog_title_single": (
        "{instrument}: {latest} ved første måling, endnu intet at sammenligne med",
        "{instrument}: {latest} at the first measurement, nothing to compare with yet",
    ),
    "prog_title_change": (
        "{instrument}: {latest} ved seneste måling; {change} siden start",
        "{instrument}: {latest} at the latest measurement; {change} since start",
    ),
    "prog_title_none": (
        "{instrument}: ingen scorede målinger endnu",
        "{instrument}: no scored measurements yet",
    ),
    "prog_x": ("Målepunkt og dato", "Measurement point and date"),
    "prog_y": ("{instrument} ({direction})", "{instrument} ({direction})"),
    "higher_better": ("højere er bedre", "higher is better"),
    "higher_worse": ("højere er værre", "higher is worse"),
    "series_score": ("Score", "Score"),
    "series_improved": ("Pålidelig bedring", "Reliable improvement"),
    "series_deteriorated": ("Pålidelig forværring", "Reliable deterioration"),
    "series_flagged": ("Markeret i datatjek", "Flagged by the checks"),
    "flag_note": ("Ring om punktet = markeret i datatjekket: {items}",
                  "Ringed point = flagged by the checks: {items}"),
    "severity_error": ("fejl", "error"),
    "severity_warning": ("advarsel", "warning"),
    "band_clinical": ("Klinisk område", "Clinical range"),
    "band_alliance": ("Under alliancegrænsen", "Below the alliance cut-off"),
    "band_name_low": ("Lav", "Low"),
    "band_name_moderate": ("Moderat", "Moderate"),
    "band_name_high": ("Høj", "High"),
    "band_name_very_high": ("Meget høj", "Very high"),
    "band_name_normal": ("Normalområde", "Normal range"),
    "band_name_borderline": ("Grænseområde", "Borderline range"),
    "band_name_abnormal": ("Klinisk område", "Clinical range"),
    "alliance_cutoff_label": ("Alliancegrænse {value}", "Alliance cut-off {value}"),
    "band_borderline": ("Grænseområde", "Borderline range"),
    "cutoff_label": ("Grænseværdi {value}", "Cut-off {value}"),
    "not_measured": ("ikke målt", "not measured"),
    "prog_how": (
        "Linjen viser borgerens score ved hvert målepunkt. {shading}En grøn trekant markerer "
        "en ændring siden start, der er større end måleusikkerheden (pålidelig bedring); en "
        "rød rombe markerer pålidelig forværring.",
        "The line shows the citizen's score at each measurement point. {shading}A green "
        "triangle marks a change since start larger than the measurement error (reliable "
        "improvement); a red diamond marks reliable deterioration.",
    ),
    "shading_clinical": (
        "Det farvede felt er det kliniske område på den anden side af grænseværdien. ",
        "The coloured area is the clinical range beyond the cut-off. ",
    ),
    "shading_bands": (
        "De farvede felter er redskabets niveauer ({names}); jo mørkere, jo værre. ",
        "The coloured areas are the instrument's levels ({names}); the darker, the worse. ",
    ),
    "shading_alliance": (
        "Det blå felt ligger under alliancegrænsen: et tegn på at tale om samarbejdet, ikke "
        "et klinisk område. ",
        "The blue area lies below the alliance cut-off: a sign to talk about the "
        "collaboration, not a clinical range. ",
    ),
    "prog_n": ("n = {n} målinger for én borger", "n = {n} measurements for one citizen"),
    "prog_n_one": ("n = 1 måling for én borger", "n = 1 measurement for one citizen"),
    # rci classes
    # the healthy side of the cut-off, not "over" it: on a lower-is-better scale (SDQ,
    # YLS/CMI) a recovered score is below the cut-off
    "rci_recovered": ("bedring, nu på den raske side af grænsen", "recovered"),
    "rci_reliably_improved": ("pålidelig bedring", "reliable improvement"),
    "rci_unchanged": ("ingen pålidelig ændring", "no reliable change"),
    "rci_reliably_deteriorated": ("pålidelig forværring", "reliable deterioration"),
    # goal attainment categories (handbook order)
    "cat_progression_reached": ("Udviklingsmål nået", "Progression goal reached"),
    "cat_positive_development": (
        "Positiv udvikling, mål ikke nået",
        "Positive development, goal not reached",
    ),
    "cat_maintenance_reached": ("Fastholdelsesmål nået", "Maintenance goal reached"),
    "cat_no_development": ("Ingen udvikling", "No development"),
    "cat_deterioration": ("Tilbagegang", "Deterioration"),
    "cat_not_assessed": ("Ikke vurderet endnu", "Not assessed yet"),
    # ------------------------------------------------------------ intervention pack
    "basis_title": ("Datagrundlaget for mødet", "The data for this meeting"),
    "basis_heading": ("Det bygger tallene på", "What the numbers rest on"),
    "basis_courses": (
        "{n} forløb ({open} i gang, {planned} afsluttet som planlagt, {unplanned} afsluttet "
        "uplanlagt)",
        "{n} courses ({open} ongoing, {planned} closed as planned, {unplanned} closed "
        "unplanned)",
    ),
    "basis_citizens": ("{n} borgere", "{n} citizens"),
    "basis_period": ("Periode: {start} til {end}", "Period: {start} to {end}"),
    "basis_completeness": (
        "Indsamlede målinger i perioden: {value} af de planlagte (mål: {target})",
        "Measurements collected in the period: {value} of those planned (target: {target})",
    ),
    "basis_timeliness": (
        "Til tiden i perioden: {value} (mål: {target})",
        "On time in the period: {value} (target: {target})",
    ),
    "basis_small": (
        "Grupper med færre end {k} borgere vises som \"<{k}\".",
        "Groups with fewer than {k} citizens are shown as \"<{k}\".",
    ),
    "hidden_complementary": ("skjult antal", "a hidden number"),
    "basis_complementary": (
        "\"skjult antal\": {k} eller flere, skjult så en lille gruppe ved siden af ikke kan "
        "regnes ud af totalen.",
        "\"a hidden number\": {k} or more, hidden so that a small group beside it cannot be "
        "worked out from the total.",
    ),
    "target_title_gap": (
        "{period}: {higher} startede med højere {instrument_lc} end {lower} ({a} mod {b})",
        "{period}: {higher} started with higher {instrument_lc} than {lower} ({a} vs {b})",
    ),
    "target_title_even": (
        "{period}: grupperne startede på samme niveau af {instrument_lc}",
        "{period}: the groups started at a similar level of {instrument_lc}",
    ),
    "target_title_one": (
        "{group} startede med {instrument_lc} {value} i {period}",
        "{group} started with {instrument_lc} {value} in {period}",
    ),
    "target_title_one_up": (
        "{group} startede højere på {instrument_lc} i {last} end i {first} ({b} mod {a})",
        "{group} started higher on {instrument_lc} in {last} than in {first} ({b} vs {a})",
    ),
    "target_title_one_down": (
        "{group} startede lavere på {instrument_lc} i {last} end i {first} ({b} mod {a})",
        "{group} started lower on {instrument_lc} in {last} than in {first} ({b} vs {a})",
    ),
    "target_title_one_same": (
        "{group} startede på samme niveau af {instrument_lc} i {first} og {last} ({a} og {b})",
        "{group} started at the same level of {instrument_lc} in {first} and {last} ({a} and "
        "{b})",
    ),
    "target_title_chance": (
        "; forskellen kan skyldes tilfældigheder",
        "; the difference may be chance",
    ),
    "target_title_others_hidden": (
        "; de andre grupper er for små til at blive vist",
        "; the other groups are too small to show",
    ),
    "target_title_none": (
        "For få borgere til at vise målgruppen ved start",
        "Too few citizens to show the target group at start",
    ),
    "target_x": ("Gruppe", "Group"),
    "target_y": ("Gennemsnit ved start: {instrument}", "Mean at start: {instrument}"),
    "target_how": (
        "Søjlerne viser gennemsnittet ved start for hver gruppe og periode ({direction}). "
        "Under hver gruppe står antallet af borgere (n).",
        "The bars show the mean at start for each group and period ({direction}). "
        "Below each group is the number of citizens (n).",
    ),
    "slide_target": ("Målgruppen ved start", "The target group at start"),
    "goals_int_title": (
        "Flest nåede mål inden for {area} ({share} nået eller fastholdt)",
        "Most goals reached in {area} ({share} reached or maintained)",
    ),
    "goals_int_similar": (
        "Lige store andele nåede mål inden for {areas} ({share} nået eller fastholdt)",
        "The same share of goals reached in {areas} ({share} reached or maintained)",
    ),
    "goals_int_hidden": (
        "Nogle felter bygger på færre end {k} borgere og vises ikke, så det kan ikke "
        "siges, hvor flest nåede deres mål",
        "Some cells rest on fewer than {k} citizens and are hidden, so it cannot be said "
        "where most goals were reached",
    ),
    "goals_int_none": (
        "For få vurderede mål til at vise målopfyldelsen",
        "Too few assessed goals to show goal attainment",
    ),
    "goals_int_x": ("Livsområde", "Life area"),
    "goals_int_y": ("Andel af målene", "Share of goals"),
    "goals_int_how": (
        "Hver søjle er ét livsområde og fordeler de vurderede mål på fem kategorier (i alt "
        "100 %). Grøn er nået, blå er fastholdt, grå er ingen udvikling, rød er tilbagegang. "
        "Et felt, der bygger på færre end {k} borgere, vises ikke.",
        "Each bar is one life area and splits its assessed goals over five categories (100% "
        "in all). Green is reached, blue maintained, grey no development, red deterioration. "
        "A segment resting on fewer than {k} citizens is not shown.",
    ),
    "slide_goals": ("Målopfyldelse pr. livsområde", "Goal attainment by life area"),
    "prog_int_title_better": (
        "{instrument}: samme borgere forbedrede sig fra {first} til {last} ({first_point} til "
        "{last_point})",
        "{instrument}: the same citizens improved from {first} to {last} ({first_point} to "
        "{last_point})",
    ),
    "prog_int_title_worse": (
        "{instrument}: samme borgere gik tilbage fra {first} til {last} ({first_point} til "
        "{last_point})",
        "{instrument}: the same citizens went back from {first} to {last} ({first_point} to "
        "{last_point})",
    ),
    "prog_int_title_flat": (
        "{instrument}: samme borgere lå stabilt fra {first_point} til {last_point}",
        "{instrument}: the same citizens stayed level from {first_point} to {last_point}",
    ),
    "prog_int_title_none": (
        "{instrument}: for få borgere med alle målinger til at vise udviklingen",
        "{instrument}: too few citizens with every measurement to show progression",
    ),
    "series_cohort": ("Samme borgere ({n})", "Same citizens ({n})"),
    "series_all": ("Alle målte borgere", "All citizens measured"),
    "prog_int_x": ("Målepunkt", "Measurement point"),
    "prog_int_y": ("Gennemsnitlig {instrument_score}", "Mean {instrument_score}"),
    "prog_int_how": (
        "Den fuldt optrukne linje følger de samme borgere ved alle målepunkter. Den stiplede "
        "linje tager alle, der blev målt ved hvert punkt, med: når den afviger, skyldes det "
        "ofte, hvem der er faldet fra. Tallene ved punkterne er antal borgere (n).",
        "The solid line follows the same citizens at every point. The dashed line includes "
        "everyone measured at each point: where it differs, it is often because of who "
        "dropped out. The numbers at the points are the number of citizens (n).",
    ),
    "n_courses_note": (
        "En borger med flere forløb i indsatsen indgår i gennemsnittet med hvert forløb, men "
        "tælles én gang i n.",
        "A citizen with several courses in the intervention is in the mean with each course "
        "but counted once in n.",
    ),
    "slide_prog_int": ("Udvikling over målepunkter", "Progression over measurement points"),
    "cmp_title_leader": (
        "{instrument}: {best} udviklede sig bedst fra {first} til {last} "
        "({changes}; {direction})",
        "{instrument}: {best} did best from {first} to {last} "
        "({changes}; {direction})",
    ),
    "cmp_title_uncertain": (
        "{instrument}: {best} udviklede sig mest fra {first} til {last} "
        "({changes}; {direction}), men forskellen kan skyldes "
        "tilfældigheder",
        "{instrument}: {best} changed most from {first} to {last} "
        "({changes}; {direction}), but the difference may be chance",
    ),
    "cmp_title_similar": (
        "{instrument}: grupperne udviklede sig omtrent ens fra {first} til {last} "
        "({changes}; {direction})",
        "{instrument}: the groups changed about the same from {first} to {last} "
        "({changes}; {direction})",
    ),
    "cmp_title_none": (
        "{instrument}: for få borgere i grupperne til en sammenligning",
        "{instrument}: too few citizens in the groups for a comparison",
    ),
    "cmp_all_hidden": (
        "Hver gruppe har færre end {k} borgere med alle målinger, så der er ingen linje at "
        "vise. Se udviklingen for alle borgere under «Udvikling over målepunkter».",
        "Every group has fewer than {k} citizens with all scores, so there is no line to "
        "show. See the progression of all citizens under «Progression over measurement "
        "points».",
    ),
    "cmp_title_hidden": (
        "{instrument}: en gruppe har for få borgere til at blive vist, så ingen gruppe kan "
        "udpeges som den, der udviklede sig bedst",
        "{instrument}: a group has too few citizens to be shown, so no group can be named "
        "the one that did best",
    ),
    "cmp_how": (
        "Hver linje er én gruppe ({dimension}). Punkterne er gennemsnit ved hvert målepunkt, "
        "med antal borgere (n). Et punkt med færre end {k} borgere vises ikke. Titlen kalder "
        "kun en gruppe bedst, når forskellen er større, end tilfældigheder kan forklare "
        "(95 %-intervallerne for ændringerne overlapper ikke).",
        "Each line is one group ({dimension}). The points are means at each measurement point "
        "with the number of citizens (n). A point with fewer than {k} citizens is not shown. "
        "The title names a group best only when the difference is larger than chance can "
        "explain (the 95 % intervals of the changes do not overlap).",
    ),
    "slide_variants": ("Varianter sammenlignet", "Variants compared"),
    "slide_subgroups": ("Målgrupper sammenlignet", "Target groups compared"),
    "fid_title_more": (
        "Borgere med høj KiK udviklede sig bedre end borgere med {other} ({high} mod {low} "
        "point)",
        "Citizens with high fidelity did better than those with {other} ({high} vs {low} "
        "points)",
    ),
    "fid_title_more_uncertain": (
        "Borgere med høj KiK udviklede sig mere end borgere med {other} ({high} mod {low} "
        "point), men forskellen kan skyldes tilfældigheder",
        "Citizens with high fidelity changed more than those with {other} ({high} vs {low} "
        "points), but the difference may be chance",
    ),
    "fid_title_less": (
        "Borgere med høj KiK udviklede sig ikke bedre end borgere med {other} ({high} mod "
        "{low} point)",
        "Citizens with high fidelity did not do better than those with {other} ({high} vs "
        "{low} points)",
    ),
    "fid_title_same": (
        "Borgere med høj KiK og med {other} udviklede sig lige meget ({high} point)",
        "Citizens with high fidelity and with {other} did equally well ({high} points)",
    ),
    "fid_title_none": (
        "For få borgere til at holde KiK op mod resultaterne",
        "Too few citizens to set fidelity against outcomes",
    ),
    "fid_x": (
        "KiK-niveau (gennemsnit over kerneelementer)",
        "Fidelity level (mean over core elements)",
    ),
    "fid_y": (
        "Gns. forbedring i {instrument_lc} (point)",
        "Mean improvement in {instrument_lc} (points)",
    ),
    "fid_how": (
        "Borgerne er delt efter, hvor meget kerneelementerne var i spil i deres forløb (KiK). "
        "Søjlen viser den gennemsnitlige forbedring siden start; positive tal er bedring. "
        "Sammenhængen viser ikke årsag og virkning. Titlen siger «bedre» kun, når "
        "95 %-intervallerne for de to søjler ikke overlapper.",
        "Citizens are split by how far the core elements were in play in their course "
        "(fidelity). The bar shows the mean improvement since start; positive is better. "
        "The link does not show cause and effect. The title says \"better\" only when the "
        "95 % intervals of the two bars do not overlap.",
    ),
    "slide_fidelity": ("Kvalitet i kerneelementer og resultater", "Fidelity and outcomes"),
    "quality_title": (
        "Datakvalitet: det skal vi tage forbehold for",
        "Data quality: what to keep in mind",
    ),
    "quality_none": (
        "Ingen særlige forbehold i denne periode.",
        "No particular caveats this period.",
    ),
    "result_map_title": (
        "Resultatkort: hvor er vi på rette spor?",
        "Result map: where are we on track?",
    ),
    "rm_core": ("Kerneelementer", "Core elements"),
    "rm_short": ("Kort sigt (viden og færdigheder)", "Short term (knowledge, skills)"),
    "rm_medium": ("Mellemlang sigt (adfærd)", "Medium term (behaviour)"),
    "rm_long": ("Lang sigt (livssituation)", "Long term (life situation)"),
    "status_on_track": ("På rette spor", "On track"),
    "status_watch": ("Hold øje", "Watch"),
    "status_off_track": ("Ikke på rette spor", "Off track"),
    "status_no_data": ("Ingen data", "No data"),
    "trend_up": ("bedre end sidst", "better than last time"),
    "trend_down": ("dårligere end sidst", "worse than last time"),
    "trend_flat": ("som sidst", "as last time"),
    "measure_mean_change": ("gns. ændring", "mean change"),
    "measure_share_improved": ("andel forbedret", "share improved"),
    "measure_share_recovered": ("andel på den raske side af grænsen", "share recovered"),
    "measure_mean_score": ("gns. score", "mean score"),
    "measure_goal_reached": ("mål nået", "goals reached"),
    # a share hidden because fewer than k reached the result (gather._node_value); the
    # leaders' deck calls such a figure "skjult" and explains it on its summary slide
    "rm_hidden_few": ("skjult (færre end {k} nåede det)", "hidden (fewer than {k} reached it)"),
    "rm_period_quarter": ("kvartalet", "the quarter"),
    "rm_period_all": ("alle år", "all years"),
    "rm_how": (
        "Kassernes farve viser status for den målte indikator. Tallet er indikatorens værdi, "
        "n er antal borgere (ved \"mål nået\": antal vurderede mål), derefter hvad tallet "
        "dækker: kvartalet, eller alle år i data (gennemsnitlig ændring følger de samme "
        "borgere fra start, mål nået tæller alle vurderede mål), og pilen viser "
        "udviklingen siden sidste kvartal: bedre eller dårligere kun, når de to kvartalers "
        "95 %-intervaller ikke overlapper, ellers \"som sidst\".",
        "The box colour shows the status of the measured indicator. The number is the "
        "indicator's value, n the number of citizens (for \"goals reached\": goals assessed), "
        "then what the number covers: the quarter, or all years in the data (a mean change "
        "follows the same citizens from start, goals reached counts every goal assessed), "
        "and the arrow "
        "the change since last quarter: better or worse only when the two quarters' 95 % "
        "intervals do not overlap, else \"as last time\".",
    ),
    "core_title": ("Spørgsmål til kerneelementerne", "Questions on the core elements"),
    "core_mean": (
        "KiK i gns. {value} af {max}, n = {n}",
        "mean fidelity {value} of {max}, n = {n}",
    ),
    "core_default_q": (
        "Hvornår lykkedes det at bringe {element} i spil, og hvad stod i vejen?",
        "When did we manage to bring {element} into play, and what stood in the way?",
    ),
    "since_int_none": (
        "Der blev ikke registreret aftaler om indsatsen på sidste møde.",
        "No agreements about the intervention were recorded at the last meeting.",
    ),
    "since_int_title": (
        "Siden sidst: aftaler fra sidste kvartal",
        "Since last time: agreements from last quarter",
    ),
    "points": ("point", "points"),
    # quality notes (intervention pack)
    "q_completeness": (
        "{instrument}: {value} af de planlagte målinger er indsamlet (målet er {target}).",
        "{instrument}: {value} of planned measurements were collected (target {target}).",
    ),
    "q_timeliness": (
        "{instrument}: {value} af målingerne kom til tiden (målet er {target}).",
        "{instrument}: {value} of measurements were on time (target {target}).",
    ),
    "q_dropout": (
        "{instrument}: ved {point} er {n_all} borgere målt, men kun {n_cohort} har alle "
        "målinger; udviklingen for samme borgere bygger på færre borgere.",
        "{instrument}: at {point} {n_all} citizens were measured, but only {n_cohort} have "
        "every measurement; the same-citizen line rests on fewer citizens.",
    ),
    "q_small_cells": (
        "{count} tal er skjult, fordi de bygger på færre end {k} borgere.",
        "{count} numbers are hidden because they rest on fewer than {k} citizens.",
    ),
    "q_small_group": (
        "Indsatsen har {n} borgere i perioden: gennemsnit kan svinge meget, og den enkelte "
        "borgers ændring er usikker.",
        "The intervention had {n} citizens this period: means can swing widely, and one "
        "citizen's change is uncertain.",
    ),
    "q_overdue": (
        "{n} planlagte målinger er overskredet og mangler stadig.",
        "{n} planned measurements are overdue and still missing.",
    ),
    "q_text": ("{text}", "{text}"),
    "fid_level_low": ("Lav KiK", "Low fidelity"),
    "fid_level_medium": ("Middel KiK", "Medium fidelity"),
    "fid_level_high": ("Høj KiK", "High fidelity"),
    "fid_series": ("Gns. forbedring", "Mean improvement"),
    "n_cell": ("n = {n}", "n = {n}"),
    "n_courses": ("n = {n} forløb", "n = {n} courses"),
    "n_citizens": ("n = {n} borgere", "n = {n} citizens"),
    "n_citizens_shown": ("n = {n} borgere i de viste søjler",
                         "n = {n} citizens in the bars shown"),
    "n_goals": ("n = {n} vurderede mål", "n = {n} assessed goals"),
    "hidden_note": (
        "\"<{k}\": færre end {k} borgere, tallet vises ikke.",
        "\"<{k}\": fewer than {k} citizens, the number is not shown.",
    ),
    "group_all": ("Alle", "All"),
    "gender_female": ("Kvinder", "Women"),
    "gender_male": ("Mænd", "Men"),
    "gender_other": ("Andet", "Other"),
    "gender_unknown": ("Ukendt", "Unknown"),
    "age_band_label": ("{band} år", "{band} years"),
    "dim_variant": ("variant", "variant"),
    "dim_age_band": ("aldersgruppe", "age group"),
    "dim_gender": ("køn", "gender"),
    "cmp_title_variant": (
        "{instrument}: varianter sammenlignet",
        "{instrument}: variants compared",
    ),
    "cmp_x": ("Målepunkt", "Measurement point"),
    "cmp_y": ("Gennemsnitlig {instrument_lc}", "Mean {instrument_lc}"),
}

# key -> (Danish list, English list)
_LISTS: dict[str, tuple[list[str], list[str]]] = {
    "prompts_since": (
        [
            "Hvad aftalte vi sidst, og hvor står det nu?",
            "Kan vi se det i data?",
            "Hvad har vi lært siden sidst?",
        ],
        [
            "What did we agree last time, and where does it stand?",
            "Can we see it in the data?",
            "What have we learnt since?",
        ],
    ),
    "prompts_explore": (
        [
            "Hvad viser tallene? Beskriv, men forklar ikke endnu.",
            "Hvad springer i øjnene, og hvad undrer os?",
            "Hvilke temaer vil vi gå videre med?",
        ],
        [
            "What do the numbers show? Describe, do not explain yet.",
            "What stands out, and what puzzles us?",
            "Which themes do we want to take further?",
        ],
    ),
    "prompts_interpret": (
        [
            "Hvorfor ser det sådan ud?",
            "Er kerneelementerne i spil, som de skal?",
            "Hvad holder mønstret fast?",
            "Hvilket område prioriterer vi?",
        ],
        [
            "Why does it look like this?",
            "Are the core elements in play as intended?",
            "What keeps the pattern in place?",
            "Which area do we prioritise?",
        ],
    ),
    "prompts_action": (
        [
            "Hvad vil vi nå inden næste møde, og om nogle måneder?",
            "Hvilke tegn i data viser, at vi er på vej?",
            "Hvem gør hvad, hvem følger op, og hvornår?",
        ],
        [
            "What do we aim for before the next meeting, and in a few months?",
            "Which signs in the data will show we are on track?",
            "Who does what, who follows up, and when?",
        ],
    ),
    "three_obs": (
        [
            "Notér de tre iagttagelser i data, du finder vigtigst.",
            "Notér det, der undrer dig mest.",
            "Notér det, du ville handle på, hvis du skulle vælge.",
        ],
        [
            "Note the three observations in the data you find most important.",
            "Note what puzzles you most.",
            "Note what you would act on if you had to choose.",
        ],
    ),
    "sheet_headings": (
        [
            "Det vil vi opnå inden næste møde",
            "Det vil vi opnå på længere sigt (om __ måneder)",
            "Tegn i data på, at vi er på rette vej",
            "Det gør vi",
            "Hvem gør det",
            "Hvem følger op",
            "Hvornår følger vi op",
        ],
        [
            "What we aim for before the next meeting",
            "What we aim for in the longer run (in __ months)",
            "Signs in the data that we are on track",
            "What we do",
            "Who does it",
            "Who follows up",
            "When we follow up",
        ],
    ),
    "sheet_prompts": (
        [
            "Hvad vil vi nå inden næste møde, og om nogle måneder?",
            "Hvilke tal viser, at vi er på rette vej?",
            "Hvem gør hvad, og hvem følger op?",
        ],
        [
            "What do we aim for before the next meeting, and in a few months?",
            "Which numbers will show that we are on track?",
            "Who does what, and who follows up?",
        ],
    ),
}


def t(key: str, lang: str = "da", **values: object) -> str:
    """The text ``key`` in ``lang`` with ``{placeholders}`` filled in."""
    return lookup(_TEXTS, key, lang, **values)


def has_text(key: str) -> bool:
    return key in _TEXTS


def tl(key: str, lang: str = "da") -> list[str]:
    """The list of texts ``key`` in ``lang``."""
    return lookup_list(_LISTS, key, lang)


def step_names(lang: str) -> list[str]:
    return [t(k, lang) for k in ("step_since", "step_explore", "step_interpret", "step_action")]


def step_prompts(lang: str) -> list[list[str]]:
    keys = ("prompts_since", "prompts_explore", "prompts_interpret", "prompts_action")
    return [tl(k, lang) for k in keys]


def all_keys() -> tuple[list[str], list[str]]:
    """Every text and list key (for tests that check both languages are complete)."""
    return list(_TEXTS), list(_LISTS)
