"""The ingest's quarantine messages (``staging.quarantine.message``) in Danish.

The message is written in English by ``transforms/sql/staging/load/quarantine_rows.sql``
from the record's rule code and a few values (the date format, the decimal mark, the
column, the earlier row ...). :data:`QUARANTINE_MESSAGES_DA` holds per rule the English
message as a pattern and its Danish text with the same values; the site shows the
Danish text in a Danish organisation. A message no pattern reads is shown as written
(a test holds every rule of the SQL to a pattern).

The failing rows' reasons of the quality rules (``quality.failures.reason``, written in
English by each rule's SQL) are read the same way (:data:`FAILING_REASONS_DA`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from outputs.common import point_label
from outputs.fmt import fmt_date, fmt_number, lower_first
from outputs.site.texts import quarantine_rule

#: Rule code -> [(the English message as a regular expression, the Danish text with the
#: pattern's named groups as {placeholders})], tried in order.
QUARANTINE_MESSAGES_DA: dict[str, list[tuple[str, str]]] = {
    "missing_required": [(r"a required value is empty", "en påkrævet værdi er tom")],
    "invalid_date": [
        (r"not a quarter written YYYY-Qn", "ikke et kvartal skrevet som ÅÅÅÅ-Kn (fx 2026-K1)"),
        (r"not a date in the format (?P<format>.*)", "ikke en dato i formatet {format}"),
    ],
    "invalid_number": [
        (r"not a whole number", "ikke et helt tal"),
        (r"not a number with decimal mark '(?P<mark>.*)'",
         "ikke et tal med decimaltegnet '{mark}'"),
    ],
    "unknown_code": [(
        r"not a code in the config's sources\.yaml value_codes nor a canonical value",
        "ikke en kode i opsætningens sources.yaml (value_codes) og heller ikke en kendt værdi",
    )],
    "unknown_citizen": [(r"the citizen is in no loaded citizens table",
                         "borgeren findes ikke i nogen indlæst borgertabel")],
    "unknown_course": [(r"the course is in no loaded courses table",
                        "forløbet findes ikke i nogen indlæst forløbstabel")],
    "unknown_goal": [(r"the goal is in no loaded goals table",
                      "målet findes ikke i nogen indlæst måltabel")],
    "cpr_in_id": [(
        r"the id holds a CPR number \(masked here\); if this column's ids are CPR numbers, "
        r"declare it in config/sources\.yaml \(id_kind: \{(?P<column>.*): cpr\}\) so they are "
        r"pseudonymised, else correct it at the source",
        "id'et indeholder et CPR-nummer (skjult her). Er kolonnens id'er CPR-numre, så angiv "
        "det i config/sources.yaml (id_kind: {{{column}: cpr}}), så de pseudonymiseres; "
        "ellers ret det i fagsystemet",
    )],
    "invalid_cpr": [(
        r"the column is declared as CPR numbers \(id_kind: cpr\) but this value is not a "
        r"valid one \(not shown\)",
        "kolonnen er angivet som CPR-numre (id_kind: cpr), men værdien er ikke et gyldigt "
        "CPR-nummer (vises ikke)",
    )],
    "duplicate_key": [(r"the same key as the earlier record \(row\) (?P<row>.*)",
                       "samme nøgle som den tidligere række {row}")],
    "key_of_other_source": [(
        r"the key is held by another source's row \((?P<held>.*) row (?P<row>\d+)\); refs must be "
        r"unique across sources \(a move between systems: takes_over in sources\.yaml\)",
        "nøglen bruges allerede af en række fra et andet fagsystem ({held} række {row}); "
        "id'er skal være entydige på tværs af fagsystemer (ved skift af fagsystem: "
        "takes_over i sources.yaml)",
    )],
    "field_too_long": [(
        r"a field too long to load \(cut to its first 100 characters here\), "
        r"line (?P<line>\d+): (?P<size>[\d,]+) bytes, over the limit of (?P<limit>[\d,]+) "
        r"\((?P<key>.*)\)",
        "et felt for langt til at blive indlæst (her afkortet til de første 100 tegn), "
        "linje {line}: {size} byte, over grænsen på {limit} ({key})",
    )],
    "line_too_long": [(
        r"a record too long to load \(its fields cut to 100 characters here\), "
        r"line (?P<line>\d+): (?P<size>[\d,]+) bytes, over the limit of (?P<limit>[\d,]+) "
        r"\((?P<key>.*)\)",
        "en række for lang til at blive indlæst (felterne her afkortet til 100 tegn), "
        "linje {line}: {size} byte, over grænsen på {limit} ({key})",
    )],
    "item_out_of_instrument": [(r"item number outside the instrument's items ?(?P<detail>.*)",
                                "spørgsmålsnummeret findes ikke i redskabet {detail}")],
}

_STRFTIME_DA = {"%Y": "ÅÅÅÅ", "%y": "ÅÅ", "%m": "MM", "%d": "DD", "%H": "TT", "%M": "MM"}


def _danish_value(name: str, value: str) -> str:
    if name == "format":  # %d-%m-%Y -> DD-MM-ÅÅÅÅ
        for code, shown in _STRFTIME_DA.items():
            value = value.replace(code, shown)
    elif name in ("size", "limit"):  # 1,234,567 -> 1.234.567
        value = value.replace(",", ".")
    return value


def quarantine_message(rule: str, message: str | None, language: str) -> str:
    """The quarantine message of a record in ``language`` (the stored English one in
    English, or when no pattern of :data:`QUARANTINE_MESSAGES_DA` reads it)."""
    message = message or ""
    if language != "da":
        return message
    for pattern, danish in QUARANTINE_MESSAGES_DA.get(rule, []):
        found = re.fullmatch(pattern, message)
        if found:
            values = {k: _danish_value(k, v or "") for k, v in found.groupdict().items()}
            return danish.format(**values).strip()
    return message


# ---------------------------------------------------------------- failing rows' reasons

_NUM = r"-?\d+(?:\.\d+)?"
_DATE = r"\d{4}-\d{2}-\d{2}"

#: Rule id -> [(a failing row's English reason, as written by the rule's SQL, as a
#: regular expression; its Danish text)]. A group's name says how its value is shown:
#: ``num*`` a number (decimal comma), ``date*`` a date (31.10.2026), ``inst*`` an
#: instrument (or a list of them) by name, ``point*`` a measurement point by name,
#: ``intervention`` by name, ``group`` a group ("team unge_syd", "staff M04", "month
#: 2024-02"), ``dir`` higher or lower, ``rule`` a quarantine rule in words; any other
#: group as written.
FAILING_REASONS_DA: dict[str, list[tuple[str, str]]] = {
    "course_overlap": [(
        rf"courses (?P<course>\S+) \((?P<date_start>{_DATE}) to (?P<date_end>{_DATE}|open)\) "
        rf"and (?P<other>\S+) \((?P<date_other_start>{_DATE}) to "
        rf"(?P<date_other_end>{_DATE}|open)\) of citizen (?P<citizen>\S+) in "
        r"(?P<intervention>\S+) (?P<how>start the same day|overlap)",
        "forløbene {course} ({date_start} til {date_end}) og {other} ({date_other_start} til "
        "{date_other_end}) for borger {citizen} i {intervention} {how}",
    )],
    "late_measurement": [(
        rf"(?P<inst>\S+) at (?P<point>\S+) collected (?P<date_on>{_DATE}), (?P<num_days>\d+) "
        rf"days after it was due \((?P<date_due>{_DATE})\); on time until (?P<date_until>{_DATE})",
        "{inst} ved {point} taget {date_on}, {num_days} dage efter forfaldsdatoen "
        "({date_due}); til tiden indtil {date_until}",
    )],
    "early_measurement": [(
        rf"(?P<inst>\S+) at (?P<point>\S+) collected (?P<date_on>{_DATE}), (?P<num_days>\d+) "
        rf"days before it was due \((?P<date_due>{_DATE})\)",
        "{inst} ved {point} taget {date_on}, {num_days} dage før forfaldsdatoen ({date_due})",
    )],
    "missing_measurement": [(
        rf"(?P<inst>\S+) at (?P<point>\S+) was due (?P<date_due>{_DATE}) \(on time until "
        rf"(?P<date_until>{_DATE})\) and has not been collected",
        "{inst} ved {point} forfaldt {date_due} (til tiden indtil {date_until}) og er ikke "
        "taget",
    )],
    "measurement_before_start": [(
        rf"form dated (?P<date_on>{_DATE}), (?P<num_days>\d+) days before the course started "
        rf"\((?P<date_start>{_DATE})\)",
        "skemaet er dateret {date_on}, {num_days} dage før forløbet startede ({date_start})",
    )],
    "measurement_after_end": [(
        rf"form dated (?P<date_on>{_DATE}), (?P<num_days>\d+) days after the course ended "
        rf"\((?P<date_end>{_DATE})\); the plan allows (?P<num_allowed>{_NUM}) days",
        "skemaet er dateret {date_on}, {num_days} dage efter forløbet sluttede ({date_end}); "
        "måleplanen tillader {num_allowed} dage",
    )],
    "measurement_in_future": [(
        rf"form dated (?P<date_on>{_DATE}), (?P<num_days>\d+) days after the as-of date "
        rf"(?P<date_as_of>{_DATE})",
        "skemaet er dateret {date_on}, {num_days} dage efter datoen for dataudtrækket "
        "({date_as_of})",
    )],
    "event_outside_course": [
        (r"dated (?P<num_days>\d+) days before the course started",
         "dateret {num_days} dage før forløbet startede"),
        (r"dated (?P<num_days>\d+) days after the course ended",
         "dateret {num_days} dage efter forløbet sluttede"),
    ],
    "near_duplicate": [
        (r"identical copy of form (?P<form>\S+) on the same day",
         "nøjagtig kopi af skema {form} fra samme dag"),
        (r"near copy of form (?P<form>\S+) \((?P<num_days>\d+) days apart, (?P<num_same>\d+) "
         r"of (?P<num_common>\d+) answers identical, (?P<num_close>\d+) within tolerance\)",
         "næsten kopi af skema {form} ({num_days} dage imellem, {num_same} af {num_common} "
         "svar ens, {num_close} inden for tolerancen)"),
    ],
    "straight_lined": [(
        rf"all (?P<num_n>\d+) answered items are (?P<num_value>{_NUM})",
        "alle {num_n} besvarede spørgsmål har svaret {num_value}",
    )],
    "implausible_jump": [(
        rf"total (?P<num_score>{_NUM}) after (?P<num_before>{_NUM}) on (?P<date_before>{_DATE}) "
        rf"\(form (?P<form>\S+)\): a change of (?P<num_change>{_NUM}) points, more than "
        rf"(?P<num_times>{_NUM}) x the reliable change of (?P<num_rc>{_NUM}) points",
        "total {num_score} efter {num_before} den {date_before} (skema {form}): en ændring på "
        "{num_change} point, mere end {num_times} gange den pålidelige ændring på {num_rc} "
        "point",
    )],
    "outlier_extreme": [],  # filled below: the same reason as outlier_moderate
    "outlier_moderate": [
        (rf"total (?P<num_score>{_NUM}) at (?P<point>\S+): z = (?P<num_z>{_NUM}), modified z = "
         rf"(?P<num_mz>{_NUM}) \(cell mean (?P<num_mean>{_NUM}), SD (?P<num_sd>{_NUM}), n = "
         rf"(?P<num_n>\d+)\)",
         "total {num_score} ved {point}: z = {num_z}, modificeret z = {num_mz} (gennemsnit "
         "{num_mean}, SD {num_sd}, n = {num_n})"),
        (rf"total (?P<num_score>{_NUM}) at (?P<point>\S+): z = (?P<num_z>{_NUM}) \(cell mean "
         rf"(?P<num_mean>{_NUM}), SD (?P<num_sd>{_NUM}), n = (?P<num_n>\d+)\)",
         "total {num_score} ved {point}: z = {num_z} (gennemsnit {num_mean}, SD {num_sd}, "
         "n = {num_n})"),
    ],
    "rater_drift": [(
        rf"staff member (?P<staff>\S+) rates (?P<inst>\S+) (?P<dir>higher|lower) than the other "
        rf"raters of (?P<group>(?:team|intervention) \S+) by (?P<num_d>{_NUM}) SD "
        rf"\(95 % CI (?P<num_lo>{_NUM}) to (?P<num_hi>{_NUM}); (?P<num_n>\d+) vs "
        rf"(?P<num_m>\d+) scores\)",
        "medarbejder {staff} vurderer {inst} {dir} end de andre bedømmere i {group} "
        "med {num_d} SD (95 %-konfidensinterval {num_lo} til {num_hi}; {num_n} mod {num_m} "
        "scorer)",
    )],
    "calibration_deviation": [(
        rf"staff member (?P<staff>\S+) scores (?P<inst>\S+) (?P<dir>higher|lower) than the "
        rf"other raters of the same cases by (?P<num_d>{_NUM}) points per item "
        rf"\((?P<num_share>{_NUM}) % of the item range; 95 % CI (?P<num_lo>{_NUM}) to "
        rf"(?P<num_hi>{_NUM}), (?P<num_n>\d+) scores\)",
        "medarbejder {staff} scorer {inst} {dir} end de andre bedømmere af samme sager med "
        "{num_d} point pr. spørgsmål ({num_share} % af svarskalaen; 95 %-konfidensinterval "
        "{num_lo} til {num_hi}, {num_n} scorer)",
    )],
    "calibration_agreement": [
        (rf"instrument (?P<inst>\S+): Krippendorff's alpha (?P<num_a>{_NUM}) \((?P<num_r>\d+) "
         rf"raters, (?P<num_u>\d+) units, mean rater SD (?P<num_sd>{_NUM}) points\)",
         "{inst}: Krippendorffs alfa {num_a} ({num_r} bedømmere, {num_u} sager, "
         "gennemsnitlig SD mellem bedømmere {num_sd} point)"),
        (rf"item (?P<num_item>\d+) of (?P<inst>\S+): Krippendorff's alpha (?P<num_a>{_NUM}) "
         rf"\((?P<num_r>\d+) raters, (?P<num_u>\d+) units, mean rater SD (?P<num_sd>{_NUM}) "
         r"points\)",
         "{inst} spørgsmål {num_item}: Krippendorffs alfa {num_a} ({num_r} bedømmere, "
         "{num_u} sager, gennemsnitlig SD mellem bedømmere {num_sd} point)"),
    ],
    "rater_gap": [(
        rf"citizen-rated \((?P<inst_c>[^)]*)\) improvement (?P<num_c>{_NUM}) SD vs staff-rated "
        rf"\((?P<inst_s>[^)]*)\) (?P<num_s>{_NUM}) SD",
        "borgerens vurdering ({inst_c}) forbedret {num_c} SD, medarbejdernes ({inst_s}) "
        "{num_s} SD",
    )],
    "timeliness_below_target": [(
        r"(?P<group>.+): (?P<num_a>\d+) of (?P<num_b>\d+) collected measurements on time "
        r"\((?P<num_pct>\d+) %, target (?P<num_target>\d+) %\)",
        "{group}: {num_a} af {num_b} indsamlede målinger taget til tiden ({num_pct} %, mål "
        "{num_target} %)",
    )],
    "completeness_below_target": [(
        r"(?P<group>.+): (?P<num_a>\d+) of (?P<num_b>\d+) due measurements collected "
        r"\((?P<num_pct>\d+) %, target (?P<num_target>\d+) %\)",
        "{group}: {num_a} af {num_b} forfaldne målinger indsamlet ({num_pct} %, mål "
        "{num_target} %)",
    )],
    "attrition": [(
        r"(?P<inst>\S+) in (?P<intervention>\S+): (?P<num_a>\d+) of (?P<num_b>\d+) citizens "
        r"measured at (?P<point_from>\S+) were not measured at (?P<point_to>\S+) "
        r"\((?P<num_pct>\d+) %\)",
        "{inst} i {intervention}: {num_a} af {num_b} borgere målt ved {point_from} blev ikke "
        "målt ved {point_to} ({num_pct} %)",
    )],
    "quarantined_records": [(r"(?P<rule>\w+)", "{rule}")],
    "out_of_range": [(
        rf"value outside the instrument's item_min\.\.item_max \(instrument_id=(?P<inst>[^,]+), "
        rf"item_no=(?P<num_item>\d+), value=(?P<num_value>{_NUM})\)",
        "svaret ligger uden for redskabets skala ({inst}, spørgsmål {num_item}, svar "
        "{num_value})",
    )],
}
FAILING_REASONS_DA["outlier_extreme"] = FAILING_REASONS_DA["outlier_moderate"]

_WORDS_DA = {"higher": "højere", "lower": "lavere", "start the same day": "starter samme dag",
             "overlap": "overlapper hinanden"}
_GROUP_KINDS_DA = {"team": "team", "intervention": "indsats", "staff": "medarbejder",
                   "month": "måned", "instrument": "redskab"}


def failing_reason(rule_id: str, reason: str | None, language: str,
                   name: Callable[[str, str], str] | None = None) -> str:
    """A failing row's reason in ``language``: in Danish the rule's pattern read and
    written in Danish, its numbers with a decimal comma, its dates as 31.10.2026 and
    instruments, points, teams and interventions by ``name(kind, id)``; as stored in
    English, or when no pattern reads it."""
    reason = reason or ""
    if language != "da":
        return reason
    name = name or (lambda _kind, value: value)
    for pattern, danish in FAILING_REASONS_DA.get(rule_id, []):
        found = re.fullmatch(pattern, reason)
        if found:
            values = {k: _reason_value(k, v or "", name) for k, v in found.groupdict().items()}
            return re.sub(r"(?<![\d,.])1 dage\b", "1 dag", danish.format(**values))
    return reason


def _reason_value(key: str, value: str, name: Callable[[str, str], str]) -> str:
    if key.startswith("num"):
        decimals = len(value.split(".", 1)[1]) if "." in value else 0
        return fmt_number(float(value), "da", decimals)
    if key.startswith("date"):  # an open course's end: "open"
        return "åbent" if value == "open" else fmt_date(date.fromisoformat(value), "da")
    if key.startswith("inst"):
        return ", ".join(name("instrument", v) for v in value.split(", "))
    if key.startswith("point"):  # an unplanned form has no point: "ekstra"
        return lower_first(point_label(None if value == "unplanned" else value, "da"))
    if key == "intervention":
        return name("intervention", value)
    if key == "group":  # "team unge_syd", "staff M04", "month 2024-02", "all" ...
        kind, _, group_id = value.partition(" ")
        if not group_id:
            return {"all": "alle"}.get(value, value)
        if kind == "month" and re.fullmatch(r"\d{4}-\d{2}", group_id):
            group_id = f"{group_id[5:]}.{group_id[:4]}"
        elif kind in ("team", "intervention"):
            group_id = name(kind, group_id)
        return f"{_GROUP_KINDS_DA.get(kind, kind)} {group_id}"
    if key == "rule":
        return quarantine_rule(value, "da")
    if key in ("dir", "how"):
        return _WORDS_DA.get(value, value)
    return value
