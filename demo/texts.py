"""Fictitious Danish texts and value lists for the demo exports.

All texts are written for this generator; they are deliberately short and
contain what real exports contain: semicolons, double quotes and line breaks.
Every string must be encodable in Windows-1252 (fagsystem A).
"""

from __future__ import annotations

#: Notes on ORS/SRS/SDQ/ASI forms.
FORM_NOTES = [
    "Borgeren var træt i dag; samtalen blev kortere end planlagt.",
    'Borgeren sagde: "Det går bedre nu".',
    "Besvaret sammen med medarbejderen.\nSpørgsmål 2 gav anledning til en længere snak.",
    "Aftalt at følge op om to uger; netværket inviteres med.",
    'Skemaet blev udfyldt hjemme; "svært at vælge" ved et af punkterne.',
    "God energi.\nVil gerne arbejde videre med hverdagens struktur.",
    "Udfyldt i venteværelset, lidt forstyrret.",
    'Forælder: "Vi har haft en hård uge"; ønsker ekstra samtale.',
]

#: Notes on KiK forms (how the core elements were brought into play).
KIK_NOTES = [
    "Kerneelementerne var i spil; netværket deltog ved to møder.",
    "Mindre fokus på det faste element i denne periode pga. sygdom.",
    "Skift af kontaktperson undervejs.\nStrukturen er genoptaget.",
    'Familien kalder forløbet "en hjælp"; samtalerne er gennemført som planlagt.',
    "Alle elementer gennemført.",
    "Svært at samle netværket; aftalt ny plan for næste periode.",
]

#: Goal descriptions per life area: (progression texts, maintenance texts).
GOAL_TEXTS: dict[str, tuple[list[str], list[str]]] = {
    "family_relations": (
        ["Bedre kontakt i familien", "Færre konflikter ved aftensmaden; flere rolige aftener",
         'Kunne tale om "de svære ting" derhjemme'],
        ["Fastholde den gode kontakt til søskende", "Bevare de faste familieaftener"],
    ),
    "school_work": (
        ["Møde i skole eller praktik hver dag", "Gennemføre praktikforløbet; møde til tiden",
         "Finde et fritidsjob"],
        ["Fastholde det daglige fremmøde", "Blive i praktikken"],
    ),
    "health": (
        ["Bedre søvn", "Mindre brug af rusmidler; færre dage med alkohol",
         "Komme til lægen ved behov"],
        ["Fastholde faste måltider", "Bevare den nuværende medicinplan"],
    ),
    "social_network": (
        ["Have en fast ven at være sammen med", "Deltage i en fritidsaktivitet",
         'Turde sige "nej" til gamle venner'],
        ["Bevare kontakten til mentor", "Fastholde fritidsaktiviteten"],
    ),
    "daily_living": (
        ["Have styr på økonomien", "Få en fast døgnrytme; op inden kl. 9",
         "Holde orden i boligen"],
        ["Blive boende i egen bolig", "Fastholde indkøb og madlavning"],
    ),
}
DEFAULT_GOAL_TEXTS = (["Komme videre på dette område"], ["Fastholde det nuværende niveau"])

#: Referral basis (henvisningsgrundlag) and its weights per intervention.
REFERRALS: dict[str, dict[str, float]] = {
    "spaedbarn": {
        "Sundhedsplejen": 0.4, "Underretning": 0.25, "Egen henvendelse": 0.2, "Læge": 0.15,
    },
    "ungepraktik": {"Underretning": 0.45, "Skole": 0.35, "Egen henvendelse": 0.2},
    "boernegrupper": {"Skole": 0.35, "Læge": 0.25, "Egen henvendelse": 0.25, "Underretning": 0.15},
    "voksenstoette": {"Læge": 0.45, "Egen henvendelse": 0.35, "Underretning": 0.2},
}
DEFAULT_REFERRALS = {"Egen henvendelse": 0.5, "Underretning": 0.3, "Læge": 0.2}

EDUCATION_ADULT = {
    "Grundskole": 0.35, "Gymnasial uddannelse": 0.15,
    "Erhvervsuddannelse": 0.35, "Videregående uddannelse": 0.15,
}
EDUCATION_YOUTH = {"Grundskole": 0.6, "Ungdomsuddannelse påbegyndt": 0.2, "Ikke i skole": 0.2}
EDUCATION_CHILD = {"Grundskole": 0.85, "Specialklasse": 0.15}

HOUSING_ADULT = {
    "Egen bolig": 0.7, "Lejet værelse": 0.12, "Bofællesskab": 0.1, "Uden fast bolig": 0.08,
}
HOUSING_MINOR = {"Hjemme hos forældre": 0.85, "Plejefamilie": 0.1, "Opholdssted": 0.05}

#: Activity types per intervention: {type: (weight, minute options)}.
ACTIVITIES: dict[str, dict[str, tuple[float, tuple[float, ...]]]] = {
    "spaedbarn": {
        "Hjemmebesøg": (0.7, (60, 75, 90)),
        "Telefonopkald": (0.2, (7.5, 15, 22.5)),
        "Netværksmøde": (0.1, (60, 90, 120)),
    },
    "ungepraktik": {
        "Mentorsamtale": (0.4, (45, 60)),
        "Praktikbesøg": (0.3, (60, 90, 120)),
        "Familiesamtale": (0.15, (60, 90)),
        "Telefonopkald": (0.15, (7.5, 15, 22.5)),
    },
    "boernegrupper": {
        "Gruppemøde": (0.75, (120,)),
        "Forældresamtale": (0.15, (60,)),
        "Telefonopkald": (0.1, (7.5, 15)),
    },
    "voksenstoette": {
        "Gruppemøde": (0.6, (120,)),
        "Individuel samtale": (0.3, (45, 60)),
        "Telefonopkald": (0.1, (7.5, 15, 22.5)),
    },
}
DEFAULT_ACTIVITIES = {"Samtale": (0.8, (45, 60)), "Telefonopkald": (0.2, (15,))}

#: Registration field names (canonical ``field`` values).
FIELD_AGE = "age"
FIELD_REFERRAL = "referral"
FIELD_EDUCATION = "education"
FIELD_HOUSING = "housing"
FIELD_PHASE = "phase"
FIELD_BRIDGED = "bridged"
FIELD_SUCCESS = "success_assessment"
YES, NO = "Ja", "Nej"

#: Text around a fictitious CPR number planted in a note (defect cpr_in_note).
CPR_NOTE = "Borgeren nævnte sit cpr-nr. {cpr} i samtalen; bør ikke stå i noten."
