"""Every text of the leaders' quarterly summary (deck and finance workbook), in Danish
(default) and English, plus the formats it needs beyond ``outputs.fmt`` (amounts in
kroner, quarter labels, short intervention names).

Look texts up with :func:`st` (a string with ``str.format`` placeholders) or :func:`stl`
(a list). The language comes from ``organisation.language``. All wording is our own.
"""

from __future__ import annotations

import re

from datadialog.i18n import lookup, lookup_list
from outputs.fmt import fmt_number

# key -> (Danish, English)
_TEXTS: dict[str, tuple[str, str]] = {
    # ------------------------------------------------------------ deck
    "deck_title": (
        "Strategisk kvartalsoverblik: resultater og omkostninger",
        "Quarterly strategic summary: results and costs",
    ),
    "deck_subtitle": ("{period} · ledelsesmøde {date}", "{period} · leadership meeting {date}"),
    "footer": ("{organisation} · {date}", "{organisation} · {date}"),
    "quarter": ("{q}. kvartal {year}", "Q{q} {year}"),
    "quarter_axis": ("{q}. kvt.\n{year}", "Q{q}\n{year}"),
    "hidden_small": ("<{k}", "<{k}"),
    "hidden_dominance": ("skjult", "hidden"),
    "reason_small_cell": ("færre end {k} borgere", "fewer than {k} citizens"),
    "hidden_complementary": ("skjult", "hidden"),
    "reason_complementary": (
        "færre end {k} forbedrede, så andelen er skjult",
        "fewer than {k} improved, so the share is hidden",
    ),
    "how_complementary": (
        "Skjult: færre end {k} borgere nåede resultatet, og andelen gange n ville give "
        "deres antal.",
        "Hidden: fewer than {k} citizens reached the result, and the share times n would "
        "give their number.",
    ),
    "cmp_word_complementary": (
        "{name}: færre end {k} blev pålideligt forbedret; andelen vises ikke, da den sammen "
        "med antal målte ville vise antallet.",
        "{name}: fewer than {k} were reliably improved; the share is not shown, as with the "
        "number measured it would give their number.",
    ),
    "reason_dominance": (
        "ét forløb står for over {share} af udgiften",
        "one course makes up over {share} of the cost",
    ),
    "n_is": ("n = {n}", "n = {n}"),
    # ------------------------------------------------------------ the quarter at a glance
    "summary_title": ("Kvartalet kort: {period}", "The quarter at a glance: {period}"),
    "summary_heading": ("Det viser tallene", "What the numbers show"),
    "sum_volume": (
        "{n_interventions} indsatser med i alt {n_citizens} borgere i forløb (en borger i to "
        "indsatser tæller to gange).",
        "{n_interventions} interventions with {n_citizens} citizens in a course in all (a "
        "citizen in two interventions counts twice).",
    ),
    "sum_volume_hidden": (
        "{n_interventions} indsatser. Antallet af borgere lægges ikke sammen, fordi et af "
        "tallene er skjult.",
        "{n_interventions} interventions. The numbers of citizens are not added up, because "
        "one of them is hidden.",
    ),
    "sum_cost": (
        "Samlede omkostninger i kvartalet: {total}",
        "Total cost in the quarter: {total}",
    ),
    "sum_cost_hidden": (
        "Omkostningerne lægges ikke sammen, fordi en indsats' tal er skjult.",
        "The costs are not added up, because one intervention's figure is hidden.",
    ),
    "sum_share_clear": (
        "Højeste andel pålideligt forbedret ({instrument}): {name}, {share} af {n} målte "
        "forløb; intervallet overlapper ingen af de andre indsatsers.",
        "Highest share reliably improved ({instrument}): {name}, {share} of {n} courses "
        "measured; its interval overlaps none of the other interventions'.",
    ),
    "sum_share_uncertain": (
        "Højeste andel pålideligt forbedret ({instrument}): {name}, {share} af {n} målte "
        "forløb. {chance}",
        "Highest share reliably improved ({instrument}): {name}, {share} of {n} courses "
        "measured. {chance}",
    ),
    "sum_share_similar": (
        "Samme andel pålideligt forbedret ({instrument}) i {names}: {share}.",
        "The same share reliably improved ({instrument}) in {names}: {share}.",
    ),
    "sum_share_hidden": (
        "Andelene pålideligt forbedret sammenlignes ikke: tallet for {names} er skjult, og "
        "det kan være det højeste.",
        "The shares reliably improved are not compared: the figure for {names} is hidden, "
        "and it may be the highest.",
    ),
    "sum_share_one": (
        "Kun {name} har borgere nok bag tallet til at vise en andel pålideligt forbedret "
        "({instrument}): {share} af {n} målte forløb.",
        "Only {name} has enough citizens behind the figure to show a share reliably improved "
        "({instrument}): {share} of {n} courses measured.",
    ),
    "chance_all": (
        "Forskellene kan skyldes tilfældigheder (intervallerne overlapper).",
        "The differences may be chance (the intervals overlap).",
    ),
    "chance_some": (
        "Forskellen til {names} kan skyldes tilfældigheder (intervallerne overlapper).",
        "The difference from {names} may be chance (the intervals overlap).",
    ),
    "sum_unit_clear": (
        "Lavest pris pr. pålideligt forbedret borger: {name}, {value} (95 %-interval "
        "{interval}; {n} forbedrede); intervallet ligger under de andre indsatsers.",
        "Lowest cost per citizen reliably improved: {name}, {value} (95 % interval "
        "{interval}; {n} improved); the interval lies below the other interventions'.",
    ),
    "sum_unit_uncertain": (
        "Pris pr. pålideligt forbedret borger: lavest i {name}, {value} ({n} forbedrede), "
        "højest i {worst}, {worst_value} ({worst_n} forbedrede). {chance}",
        "Cost per citizen reliably improved: lowest in {name}, {value} ({n} improved), "
        "highest in {worst}, {worst_value} ({worst_n} improved). {chance}",
    ),
    "sum_unit_similar": (
        "Samme pris pr. pålideligt forbedret borger i {names}: {value}.",
        "The same cost per citizen reliably improved in {names}: {value}.",
    ),
    "sum_unit_hidden": (
        "Prisen pr. pålideligt forbedret borger sammenlignes ikke: tallet for {names} er "
        "skjult.",
        "The cost per citizen reliably improved is not compared: the figure for {names} is "
        "hidden.",
    ),
    "sum_unit_one": (
        "Kun {name} har en pris pr. pålideligt forbedret borger: {value} ({n} forbedrede).",
        "Only {name} has a cost per citizen reliably improved: {value} ({n} improved).",
    ),
    "sum_no_results": (
        "Ingen indsats har borgere nok bag tallet i kvartalet til at vise en andel "
        "forbedrede.",
        "No intervention has enough citizens behind the figure in the quarter to show a "
        "share improved.",
    ),
    "how_heading": ("Sådan læses overblikket", "How to read this summary"),
    "how_cost": (
        "Omkostning = personaletimer × timesats + faste udgifter + udgifter pr. forløb, "
        "pr. indsats og kvartal.",
        "Cost = staff hours × hourly rate + fixed costs + per-course costs, per intervention "
        "and quarter.",
    ),
    "how_month": (
        "Pr. borgermåned: kvartalets omkostning delt med de måneder, borgerne var i forløb.",
        "Per citizen-month: the quarter's cost divided by the months citizens were in a "
        "course.",
    ),
    "how_small": (
        "<{k}: færre end {k} borgere bag tallet, så det vises ikke.",
        "<{k}: fewer than {k} citizens behind the figure, so it is not shown.",
    ),
    "how_dominance": (
        "Skjult: ét forløb står for over {share} af udgiften, eller færre end {k} borgere nåede "
        "et resultat, som andelen ville vise; tallet vises ikke, så borgerne ikke kan "
        "genkendes.",
        "Hidden: one course makes up over {share} of the cost, or fewer than {k} citizens "
        "reached a result the share would show; the figure is not shown, so the citizens "
        "cannot be recognised.",
    ),
    "how_noise": (
        "Få borgere giver tal, der svinger fra kvartal til kvartal: læs dem som pejlemærker.",
        "Few citizens make figures swing from quarter to quarter: read them as pointers.",
    ),
    # ------------------------------------------------------------ side by side
    "side_title_clear": (
        "{name} har klart den højeste andel pålideligt forbedrede ({share} af {n} målte)",
        "{name} has clearly the highest share reliably improved ({share} of {n} measured)",
    ),
    "side_title_uncertain": (
        "{name} har den højeste andel pålideligt forbedrede ({share} af {n} målte), men "
        "forskellene kan skyldes tilfældigheder",
        "{name} has the highest share reliably improved ({share} of {n} measured), but the "
        "differences may be chance",
    ),
    "side_title_uncertain_some": (
        "{name} har den højeste andel pålideligt forbedrede ({share} af {n} målte), men "
        "forskellen til {names} kan skyldes tilfældigheder",
        "{name} has the highest share reliably improved ({share} of {n} measured), but the "
        "difference from {names} may be chance",
    ),
    "side_title_similar": (
        "{names} har samme andel pålideligt forbedrede ({share})",
        "{names} have the same share reliably improved ({share})",
    ),
    "side_title_hidden": (
        "Resultater og omkostninger side om side, {period}: ingen indsats kåres, da et tal "
        "er skjult",
        "Results and costs side by side, {period}: no intervention is ranked first, as a "
        "figure is hidden",
    ),
    "side_title_none": (
        "Resultater og omkostninger side om side, {period}",
        "Results and costs side by side, {period}",
    ),
    "side_columns": (
        "Indsats|Borgere i forløb|Pålideligt forbedret ({instrument})|Mål nået|"
        "Pr. borger pr. måned|Pr. forbedret borger",
        "Intervention|Citizens in a course|Reliably improved ({instrument})|Goals reached|"
        "Per citizen-month|Per citizen improved",
    ),
    "side_improved_cell": ("{share} af {n} målte", "{share} of {n} measured"),
    "side_goals_cell": ("{share} af {n} mål", "{share} of {n} goals"),
    "side_note": (
        "n = målte forløb (forbedret) og vurderede mål (mål nået) i kvartalet. Beløb i kr. "
        "Sådan læses tabellen: se de næste sider for usikkerhed og udvikling.",
        "n = courses measured (improved) and goals assessed (goals reached) in the quarter. "
        "Amounts in DKK. The next pages show the uncertainty and the trend.",
    ),
    # ------------------------------------------------------------ comparison with intervals
    "cmp_section": ("Sammenligning med usikkerhed", "Comparison with uncertainty"),
    "cmp_title_overlap": (
        "Pålideligt forbedret ({instrument}) ligger mellem {low} og {high}: forskellene kan "
        "skyldes tilfældigheder",
        "Reliably improved ({instrument}) lies between {low} and {high}: the differences may "
        "be chance",
    ),
    "cmp_title_some": (
        "{best} har den højeste andel pålideligt forbedrede ({instrument}, {a}), men "
        "forskellen til {names} kan skyldes tilfældigheder",
        "{best} has the highest share reliably improved ({instrument}, {a}), but the "
        "difference from {names} may be chance",
    ),
    "cmp_title_clear": (
        "{best} har en klart højere andel pålideligt forbedrede ({instrument}) end de andre: "
        "{a} mod højst {b}",
        "{best} has a clearly higher share reliably improved ({instrument}) than the others: "
        "{a} against at most {b}",
    ),
    "cmp_title_similar": (
        "{names} har samme, højeste andel pålideligt forbedrede ({instrument}): {share}",
        "{names} have the same, highest share reliably improved ({instrument}): {share}",
    ),
    "cmp_title_hidden": (
        "Pålideligt forbedret ({instrument}): ingen indsats kåres, da tallet for {names} er "
        "skjult",
        "Reliably improved ({instrument}): no intervention is ranked first, as the figure for "
        "{names} is hidden",
    ),
    "cmp_title_one": (
        "Kun {name} har borgere nok bag tallet til at vise en andel pålideligt forbedret "
        "({instrument}): {share}",
        "Only {name} has enough citizens behind the figure to show a share reliably improved "
        "({instrument}): {share}",
    ),
    "cmp_title_none": (
        "For få borgere bag tallene til at sammenligne indsatsernes resultater i {period}",
        "Too few citizens behind the figures to compare the interventions' results in "
        "{period}",
    ),
    "cmp_y": ("Pålideligt forbedret (%)", "Reliably improved (%)"),
    "cmp_how": (
        "Søjlen er andelen af de forløb, der blev målt i kvartalet, som var pålideligt "
        "forbedret på {instrument_lc}. Stregen er 95 %-intervallet: her ligger den sande andel "
        "med rimelig sikkerhed. Overlapper to streger, kan forskellen skyldes tilfældigheder.",
        "The bar is the share of courses measured in the quarter that were reliably improved "
        "on {instrument_lc}. The line is the 95 % interval: the true share lies there with "
        "reasonable certainty. Where two lines overlap, the difference may be chance.",
    ),
    "cmp_words_heading": ("Usikkerheden i ord", "The uncertainty in words"),
    "cmp_word": (
        "{name}: {share}, {n} forløb målt; intervallet går fra {low} til {high}.",
        "{name}: {share}, {n} courses measured; the interval runs from {low} to {high}.",
    ),
    "cmp_word_few": (" Få borgere: tallet er usikkert.", " Few citizens: the figure is uncertain."),
    "cmp_word_hidden": (
        "{name}: færre end {k} borgere målt; tallet vises ikke.",
        "{name}: fewer than {k} citizens measured; the figure is not shown.",
    ),
    "cmp_word_none": (
        "{name}: ingen målinger i kvartalet.",
        "{name}: no measurements in the quarter.",
    ),
    # ------------------------------------------------------------ cost composition
    "costs_section": ("Omkostninger", "Costs"),
    "comp_title": (
        "Personaletid er {share} af de viste omkostninger i {period}",
        "Staff time is {share} of the costs shown in {period}",
    ),
    "comp_title_none": (
        "Ingen omkostninger kan vises for {period}",
        "No costs can be shown for {period}",
    ),
    "comp_y": ("Omkostning (1.000 kr.)", "Cost (DKK 1,000)"),
    "comp_staff": ("Personaletid", "Staff time"),
    "comp_fixed": ("Faste udgifter", "Fixed costs"),
    "comp_per_course": ("Udgifter pr. forløb", "Per-course costs"),
    "comp_how": (
        "Hver søjle er indsatsens omkostning i kvartalet i 1.000 kr., delt på personaletid "
        "(timer × timesats), faste udgifter og udgifter pr. forløb. En indsats uden søjle har "
        "færre end {k} borgere, eller ét forløb står for over {share} af udgiften.",
        "Each bar is the intervention's cost in the quarter in DKK 1,000, split into staff "
        "time (hours × rate), fixed costs and per-course costs. An intervention without a bar "
        "has fewer than {k} citizens, or one course makes up over {share} of the cost.",
    ),
    "comp_category": ("{name}\n{label} · n = {n}", "{name}\n{label} · n = {n}"),
    "comp_category_hidden": ("{name}\n{label}", "{name}\n{label}"),
    # ------------------------------------------------------------ unit costs
    "unit_title_clear": (
        "{name} har den laveste pris pr. pålideligt forbedret borger: {value} (95 %-interval "
        "{interval})",
        "{name} has the lowest cost per citizen reliably improved: {value} (95 % interval "
        "{interval})",
    ),
    "unit_title_uncertain": (
        "Pris pr. pålideligt forbedret borger fra {low} til {high}: forskellene kan skyldes "
        "tilfældigheder",
        "Cost per citizen reliably improved from {low} to {high}: the differences may be "
        "chance",
    ),
    "unit_title_uncertain_some": (
        "{name} har den laveste pris pr. pålideligt forbedret borger ({value}), men "
        "forskellen til {names} kan skyldes tilfældigheder",
        "{name} has the lowest cost per citizen reliably improved ({value}), but the "
        "difference from {names} may be chance",
    ),
    "unit_title_similar": (
        "{names} har samme pris pr. pålideligt forbedret borger ({value})",
        "{names} have the same cost per citizen reliably improved ({value})",
    ),
    "unit_title_hidden": (
        "Prisen pr. pålideligt forbedret borger kan ikke sammenlignes: tallet for {names} er "
        "skjult",
        "The cost per citizen reliably improved cannot be compared: the figure for {names} "
        "is hidden",
    ),
    "unit_interval": ("{low}–{high}", "{low}–{high}"),
    "unit_interval_dkk": ("{low}–{high}\u00a0kr.", "DKK\u00a0{low}–{high}"),
    "unit_interval_open": ("over {low}", "above {low}"),
    "unit_cell_interval": ("95 %: {interval}", "95 %: {interval}"),
    "unit_title_none": ("Enhedspriser, {period}", "Unit costs, {period}"),
    "unit_columns": (
        "Indsats|Pr. forløb|Pr. borger pr. måned|Pr. forbedret borger ({instrument})|"
        "Pr. nået mål",
        "Intervention|Per course|Per citizen-month|Per citizen improved ({instrument})|"
        "Per goal reached",
    ),
    "unit_cell_cost_per_course": ("{value}\n({n} forløb)", "{value}\n({n} courses)"),
    "unit_cell_cost_per_citizen_month": ("{value}\n({n} mdr.)", "{value}\n({n} months)"),
    "unit_cell_cost_per_citizen_improved": (
        "{value}\n({n} forbedrede)", "{value}\n({n} improved)"),
    "unit_cell_cost_per_goal_reached": ("{value}\n({n} mål)", "{value}\n({n} goals)"),
    "unit_note": (
        "Beløb i kr. for {period}. I parentes: forløb, borgere i forløb, pålideligt "
        "forbedrede borgere og nåede mål, som beløbet er delt med. En borger tæller med i "
        "hvert kvartal, en måling viser pålidelig forbedring; et mål i kvartalet for dets "
        "seneste vurdering. 95 %: intervallet for prisen, ud fra usikkerheden om andelen "
        "forbedrede blandt de målte borgere (nåede mål blandt de vurderede); omkostningen "
        "regnes som kendt. Overlapper to intervaller, kan forskellen skyldes tilfældigheder.",
        "Amounts in DKK for {period}. In brackets: the courses, citizens in a course, "
        "citizens reliably improved and goals reached that the amount is divided by. A "
        "citizen counts in every quarter a measurement shows reliable improvement; a goal in "
        "the quarter of its latest rating. 95 %: the interval of the cost, from the "
        "uncertainty of the share improved among the citizens measured (goals reached among "
        "those assessed); the cost itself is taken as known. Where two intervals overlap, "
        "the difference may be chance.",
    ),
    # ------------------------------------------------------------ trends
    "trend_section": ("Udvikling", "Trend"),
    "trend_cost_up": (
        "Pris pr. borgermåned: {name} steg mest siden {prev} ({change})",
        "Cost per citizen-month: {name} rose most since {prev} ({change})",
    ),
    "trend_cost_down": (
        "Pris pr. borgermåned: {name} faldt mest siden {prev} ({change})",
        "Cost per citizen-month: {name} fell most since {prev} ({change})",
    ),
    "trend_cost_up_one": (
        "Pris pr. borgermåned: {name} steg siden {prev} ({change})",
        "Cost per citizen-month: {name} rose since {prev} ({change})",
    ),
    "trend_cost_down_one": (
        "Pris pr. borgermåned: {name} faldt siden {prev} ({change})",
        "Cost per citizen-month: {name} fell since {prev} ({change})",
    ),
    "trend_cost_similar": (
        "Pris pr. borgermåned: {names} ændrede sig lige meget siden {prev} ({change})",
        "Cost per citizen-month: {names} changed by the same amount since {prev} ({change})",
    ),
    "trend_cost_hidden": (
        "Pris pr. borgermåned siden {prev}: ingen indsats kåres, da tallet for {names} er "
        "skjult",
        "Cost per citizen-month since {prev}: no intervention is ranked first, as the figure "
        "for {names} is hidden",
    ),
    "trend_cost_flat": (
        "Pris pr. borgermåned er stort set uændret siden {prev} i alle indsatser",
        "Cost per citizen-month is about the same as in {prev} in every intervention",
    ),
    "trend_cost_none": (
        "For få kvartaler med tal til at vise en udvikling i prisen pr. borgermåned",
        "Too few quarters with figures to show a trend in the cost per citizen-month",
    ),
    "trend_cost_y": ("Kr. pr. borgermåned", "DKK per citizen-month"),
    "trend_cost_how": (
        "Hver linje er en indsats; hvert punkt er kvartalets omkostning delt med "
        "borgermånederne. Tallet ved linjens ende er {period}. Et hul i linjen er et skjult "
        "tal eller et kvartal uden data.",
        "Each line is an intervention; each point is the quarter's cost divided by the "
        "citizen-months. The number at the end of the line is {period}. A gap is a hidden "
        "figure or a quarter without data.",
    ),
    "trend_res_change": (
        "{name}: {latest} pålideligt forbedret {recent} mod {earlier} {before}",
        "{name}: {latest} reliably improved {recent} against {earlier} {before}",
    ),
    "trend_res_change_chance": (
        "{name}: {latest} pålideligt forbedret {recent} mod {earlier} {before}; forskellen "
        "kan skyldes tilfældigheder",
        "{name}: {latest} reliably improved {recent} against {earlier} {before}; the "
        "difference may be chance",
    ),
    # what a pooled share of the trend title rests on: every quarter, or only the
    # quarters shown (a hidden quarter, or one without data, is left out of the pool)
    "trend_span_recent_all": ("de seneste {total} kvartaler", "over the last {total} quarters"),
    "trend_span_recent_some": (
        "i de {shown} viste af de seneste {total} kvartaler",
        "in the {shown} quarters shown of the last {total}",
    ),
    "trend_span_recent_one": (
        "i det ene viste af de seneste {total} kvartaler",
        "in the one quarter shown of the last {total}",
    ),
    "trend_span_earlier_all": ("de {total} før", "in the {total} before"),
    "trend_span_earlier_some": (
        "i de {shown} viste af de {total} før",
        "in the {shown} shown of the {total} before",
    ),
    "trend_span_earlier_one": (
        "i det ene viste af de {total} før",
        "in the one shown of the {total} before",
    ),
    "trend_res_pooled_note": (
        "Titlens andele lægger de målte forløb i de viste kvartaler sammen; skjulte kvartaler "
        "tæller ikke med.",
        "The title's shares pool the courses measured in the quarters shown; hidden quarters "
        "do not count.",
    ),
    "trend_res_same": (
        "Andelen pålideligt forbedret ({instrument}) svinger, men er på niveau med året før",
        "The share reliably improved ({instrument}) moves about but is level with the year "
        "before",
    ),
    "trend_res_none": (
        "For få borgere bag tallene til at vise en udvikling i andelen pålideligt forbedret",
        "Too few citizens behind the figures to show a trend in the share reliably improved",
    ),
    "trend_res_y": (
        "Pålideligt forbedret, {instrument} (%)",
        "Reliably improved, {instrument} (%)",
    ),
    "trend_res_how": (
        "Hver linje er en indsats; hvert punkt er andelen af de målte forløb, der var "
        "pålideligt forbedret i kvartalet. Med 10-20 målte forløb kan andelen flytte sig 20 "
        "procentpoint, uden at noget har ændret sig: se efter retningen over flere kvartaler.",
        "Each line is an intervention; each point is the share of courses measured that were "
        "reliably improved in the quarter. With 10-20 courses measured the share can move 20 "
        "points without anything having changed: look for the direction over several quarters.",
    ),
    # ------------------------------------------------------------ target group
    "target_section": ("Målgruppen", "Target group"),
    "target_title_more": (
        "{name}: flere starter på det kliniske niveau ({b} i {y2} mod {a} i {y1})",
        "{name}: more citizens start at the clinical level ({b} in {y2} against {a} in {y1})",
    ),
    "target_title_fewer": (
        "{name}: færre starter på det kliniske niveau ({b} i {y2} mod {a} i {y1})",
        "{name}: fewer citizens start at the clinical level ({b} in {y2} against {a} in {y1})",
    ),
    "target_title_chance": (
        "{name}: {b} starter på det kliniske niveau i {y2} mod {a} i {y1}; forskellen kan "
        "skyldes tilfældigheder",
        "{name}: {b} start at the clinical level in {y2} against {a} in {y1}; the difference "
        "may be chance",
    ),
    "target_title_even": (
        "Målgruppen ved start ligner året før i alle indsatser",
        "The target group at start looks like the year before in every intervention",
    ),
    "target_title_none": (
        "For få nye borgere til at vise ændringer i målgruppen",
        "Too few new citizens to show shifts in the target group",
    ),
    "target_y": ("Klinisk niveau ved start (%)", "At the clinical level at start (%)"),
    "target_how": (
        "Søjlerne er andelen af de borgere, der startede i året, som ved første måling lå på "
        "den kliniske side af {instrument_limit} (grænsen følger målgruppen: børn, unge, "
        "voksne). Stregen er 95 %-intervallet. Det seneste år er ikke slut endnu.",
        "The bars are the share of the citizens who started in the year whose first "
        "measurement was on the clinical side of {instrument_limit} (the cut-off "
        "follows the target group: children, young people, adults). The line is the 95 % "
        "interval. The latest year is not over yet.",
    ),
    # ------------------------------------------------------------ data quality
    "quality_title": (
        "Datakvalitet: kan vi stole på tallene?",
        "Data quality: can we trust the figures?",
    ),
    "quality_checks_heading": ("Seneste datakvalitetstjek", "Latest data-quality check"),
    "quality_none": (
        "Der er ikke kørt et datakvalitetstjek på databasen. Tallene er derfor ikke tjekket "
        "for manglende, sene eller usandsynlige målinger.",
        "No data-quality check has been run on the database. The figures have therefore not "
        "been checked for missing, late or implausible measurements.",
    ),
    "quality_run": (
        "Kørt {date} på data til og med {as_of}.",
        "Run on {date} on data up to {as_of}.",
    ),
    "quality_counts": (
        "{n_failed} af {n_rules} regler fandt noget: {errors} fejl og {warnings} advarsler.",
        "{n_failed} of {n_rules} rules found something: {errors} errors and {warnings} "
        "warnings.",
    ),
    "quality_clean": ("Ingen regler fandt fejl.", "No rule found a problem."),
    "quality_blocked": (
        "Fejl stopper præsentationerne for {n} områder, indtil de er rettet.",
        "Errors block the decks of {n} scopes until they are fixed.",
    ),
    "quality_item": ("{title}: {n} rækker ({severity})", "{title}: {n} rows ({severity})"),
    "quality_more": (
        "… og {n} andre fund – se kvalitetsrapporten.",
        "… and {n} other findings – see the quality report.",
    ),
    "severity_error": ("fejl", "error"),
    "severity_warning": ("advarsel", "warning"),
    "severity_info": ("info", "info"),
    "quality_metric": (
        "{metric}, {group}: {value} (mål {target})",
        "{metric}, {group}: {value} (target {target})",
    ),
    "metric_completeness": ("Målinger indsamlet", "Measurements collected"),
    "metric_timeliness": ("Målinger til tiden", "Measurements on time"),
    "quality_costs_heading": ("Omkostningsdata", "Cost data"),
    "cost_from_activities": (
        "{name}: personaletiden er beregnet ud fra registrerede aktiviteter (omkostnings"
        "udtrækket har ingen timer for {period}).",
        "{name}: staff time is computed from registered activities (the cost export has no "
        "hours for {period}).",
    ),
    "cost_fixed_from_config": (
        "{name}: de faste udgifter er taget fra opsætningen (ikke i udtrækket for {period}).",
        "{name}: the fixed costs come from the configuration (not in the export for {period}).",
    ),
    "cost_no_rate": (
        "{name}: ingen timesats i opsætningen; personaleudgiften er udtrækkets beløb.",
        "{name}: no hourly rate configured; the staff cost is the exported amount.",
    ),
    "cost_missing": (
        "{name}: ingen omkostningstal for {period}.",
        "{name}: no cost figures for {period}.",
    ),
    "cost_hidden": (
        "{name}: omkostningerne vises ikke for {period} ({reason}).",
        "{name}: the costs are not shown for {period} ({reason}).",
    ),
    "cost_all_export": (
        "Alle omkostninger for {period} kommer fra omkostningsudtrækket.",
        "All costs for {period} come from the cost export.",
    ),
    # ------------------------------------------------------------ result maps
    "map_title": ("{name}: resultatkort", "{name}: result map"),
    "map_section": ("Indsats {i} af {n}", "Intervention {i} of {n}"),
    "map_strip": (
        "{period}: {citizens} borgere i forløb · pålideligt forbedret ({instrument}): {share} · "
        "{cost} pr. borgermåned",
        "{period}: {citizens} citizens in a course · reliably improved ({instrument}): "
        "{share} · {cost} per citizen-month",
    ),
    "map_how": (
        "Kassernes farve viser status for hvert resultat (grøn: på rette spor, gul: hold øje, "
        "rød: ikke på rette spor, grå: ingen data); reglerne står i indsatsens eget "
        "refleksionsoplæg.",
        "The boxes' colour shows each result's status (green: on track, yellow: watch, red: "
        "off track, grey: no data); the rules are those of the intervention's own reflection "
        "deck.",
    ),
    # ------------------------------------------------------------ prompts
    "prompt_title": (
        "Spørgsmål til prioritering af ressourcer",
        "Questions for prioritising resources",
    ),
    "prompt_data_heading": ("Det peger tallene på", "What the figures point to"),
    "prompt_cost_rise": (
        "{name}: prisen pr. borgermåned er steget {change} siden {prev}. Hvad driver "
        "stigningen, og følger resultaterne med?",
        "{name}: the cost per citizen-month rose {change} since {prev}. What drives it, and "
        "do the results keep pace?",
    ),
    "prompt_low_result": (
        "{name} har den laveste andel pålideligt forbedrede ({share}). Er målgruppen en "
        "anden, eller er kerneelementerne ikke i spil?",
        "{name} has the lowest share reliably improved ({share}). Is the target group "
        "different, or are the core elements not in play?",
    ),
    "prompt_few": (
        "{names}: for få målte borgere til at bedømme resultatet sikkert. Vent med store "
        "beslutninger, eller tag det op på indsatsens eget refleksionsmøde.",
        "{names}: too few citizens measured to judge the result safely. Hold off on big "
        "decisions, or take it up at the intervention's own reflection meeting.",
    ),
    "prompt_hidden": (
        "{name}: omkostningerne vises ikke for {period}. Se dem i økonomisystemet, hvis en "
        "beslutning kræver dem.",
        "{name}: the costs are not shown for {period}. Look them up in the finance system if "
        "a decision needs them.",
    ),
    "rule_title_holds": (
        "Efter vores faste regel giver {name} mest pålidelig forbedring for pengene",
        "By our fixed rule, {name} gives the most reliable improvement for the money",
    ),
    "rule_title_not": (
        "Tallene for {period} kan ikke bære en anbefaling om at flytte ressourcer",
        "The figures for {period} cannot carry a recommendation to move resources",
    ),
    "rule_heading": ("Anbefaling efter fast regel", "Recommendation by a fixed rule"),
    "rule_rule_heading": ("Reglen", "The rule"),
    "rule_verdict_heading": ("Vurdering", "Verdict"),
    "rule_text": (
        "Vi peger kun på én indsats som bedst for pengene, når dens pris pr. "
        "pålideligt forbedret borger ({instrument}) er lavest i hvert af de seneste {n} "
        "kvartaler, ingen indsats' tal er skjult eller mangler, dens 95 %-interval ligger "
        "helt under alle de andres, og datakvalitetstjekket ikke har fundet fejl.",
        "We point to one intervention as the best value only when its cost per "
        "citizen reliably improved ({instrument}) is the lowest in each of the last {n} "
        "quarters, no intervention's figure is hidden or missing, its 95 % interval lies "
        "wholly below all the others', and the data-quality check found no errors.",
    ),
    "rule_holds": (
        "Reglen er opfyldt: {name} er billigst pr. forbedret borger i {quarters}, og "
        "intervallet overlapper ikke de andres. Kan flere borgere få gavn af {name}?",
        "The rule holds: {name} is cheapest per citizen improved in {quarters}, and its "
        "interval overlaps none of the others'. Could more citizens benefit from {name}?",
    ),
    "rule_not": (
        "Reglen er ikke opfyldt, så tallene peger ikke på, hvor ressourcerne skal flyttes hen:",
        "The rule does not hold, so the figures do not point to where resources should go:",
    ),
    "rule_why_overlap": (
        "{quarter}: {name} er billigst ({value}), men intervallet overlapper {names}.",
        "{quarter}: {name} is cheapest ({value}), but its interval overlaps {names}.",
    ),
    "rule_why_overlap_all": (
        "{quarter}: {name} er billigst ({value}), men intervallet overlapper alle de andres.",
        "{quarter}: {name} is cheapest ({value}), but its interval overlaps all the others'.",
    ),
    "rule_why_hidden": (
        "{quarter}: tallet for {names} er skjult.",
        "{quarter}: the figure for {names} is hidden.",
    ),
    "rule_why_missing": (
        "{quarter}: {names} har ingen pris pr. forbedret borger.",
        "{quarter}: {names} has no cost per citizen improved.",
    ),
    "rule_why_similar": (
        "{quarter}: {names} har samme pris pr. forbedret borger.",
        "{quarter}: {names} have the same cost per citizen improved.",
    ),
    "rule_why_unknown": (
        "{quarter}: færre end to indsatser har en pris pr. forbedret borger.",
        "{quarter}: fewer than two interventions have a cost per citizen improved.",
    ),
    "rule_why_differs": (
        "Det er ikke den samme indsats, der er billigst i kvartalerne ({names}).",
        "It is not the same intervention that is cheapest in the quarters ({names}).",
    ),
    "rule_why_quality": (
        "Datakvalitetstjekket fandt {errors} fejl: få dem rettet, før beslutninger hviler på "
        "tallene.",
        "The data-quality check found {errors} errors: have them fixed before decisions rest "
        "on the figures.",
    ),
    "rule_why_no_quality": (
        "Tallene er ikke tjekket for datakvalitet: bed datakoordinatoren køre tjekket før "
        "næste møde.",
        "The figures have not been checked for data quality: ask the data steward to run the "
        "check before the next meeting.",
    ),
    "prompt_general_heading": ("Til drøftelse", "For discussion"),
    "sheet_title": ("Beslutninger og opfølgning", "Decisions and follow-up"),
    # ------------------------------------------------------------ finance workbook
    "xlsx_readme": ("Læs mig", "Read me"),
    "xlsx_title": (
        "Tabellerne bag figurerne i {title}, {period}",
        "The tables behind the figures in {title}, {period}",
    ),
    "xlsx_hidden_note": (
        "Skjulte tal står som tomme celler med årsagen i kolonnen 'Skjult'. Læg ikke kvartaler "
        "eller indsatser sammen, hvis et af tallene er skjult.",
        "Hidden figures are empty cells with the reason in the column 'Hidden'. Do not add up "
        "quarters or interventions when one of the figures is hidden.",
    ),
    "xlsx_interval_note": (
        "Enhedspriser pr. forbedret borger og pr. nået mål har et 95 %-interval (ci_low_dkk, "
        "ci_high_dkk): det kommer af Wilson-intervallet for andelen forbedrede blandt de "
        "målte (n_base) eller nåede mål blandt de vurderede; omkostningen regnes som kendt.",
        "Unit costs per citizen improved and per goal reached have a 95 % interval "
        "(ci_low_dkk, ci_high_dkk): it comes from the Wilson interval of the share improved "
        "among those measured (n_base) or goals reached among those assessed; the cost is "
        "taken as known.",
    ),
    "xlsx_col_category": ("Kategori", "Category"),
    "xlsx_col_series": ("Serie", "Series"),
    "xlsx_col_value": ("Værdi", "Value"),
    "xlsx_col_n": ("n", "n"),
    "xlsx_col_low": ("Interval, nedre", "Interval, lower"),
    "xlsx_col_high": ("Interval, øvre", "Interval, upper"),
    "xlsx_col_hidden": ("Skjult", "Hidden"),
    "xlsx_figure": ("Figur", "Figure"),
    "xlsx_how": ("Sådan læses figuren", "How to read this figure"),
    "xlsx_table": ("Tabel", "Table"),
    "xlsx_costs_sheet": ("Omkostninger pr kvartal", "Costs by quarter"),
    "xlsx_units_sheet": ("Enhedspriser pr kvartal", "Unit costs by quarter"),
    "xlsx_overview_sheet": ("Resultater og omkostninger", "Results and costs"),
}

_LISTS: dict[str, tuple[list[str], list[str]]] = {
    "prompt_general": (
        [
            "Hvilken indsats skal have flere ressourcer næste kvartal, og hvilken færre? Hvorfor?",
            "Hvilket resultat forventer vi at se om to kvartaler, hvis vi gør det?",
            "Hvilke borgere når vi ikke i dag, og hvor ville de få mest ud af en plads?",
            "Hvad skal vi vide næste gang for at træffe beslutningen bedre?",
        ],
        [
            "Which intervention should get more resources next quarter, and which fewer? Why?",
            "Which result do we expect to see in two quarters if we do so?",
            "Which citizens do we not reach today, and where would a place help them most?",
            "What do we need to know next time to make the decision better?",
        ],
    ),
    "sheet_headings": (
        [
            "Det prioriterer vi",
            "Ressourcer flyttes (fra / til)",
            "Tegn i data på, at det virker",
            "Hvem gør hvad",
            "Hvem følger op, og hvornår",
        ],
        [
            "What we prioritise",
            "Resources moved (from / to)",
            "Signs in the data that it works",
            "Who does what",
            "Who follows up, and when",
        ],
    ),
    # a count of quarters in a title, in words (index = the number)
    "count_words": (
        ["nul", "et", "to", "tre", "fire", "fem", "seks", "syv", "otte"],
        ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight"],
    ),
}


def st(key: str, lang: str = "da", **values: object) -> str:
    """The text ``key`` in ``lang`` with ``{placeholders}`` filled in."""
    return lookup(_TEXTS, key, lang, **values)


def stl(key: str, lang: str = "da") -> list[str]:
    """The list of texts ``key`` in ``lang``."""
    return lookup_list(_LISTS, key, lang)


def all_keys() -> tuple[list[str], list[str]]:
    """Every text and list key (tests check that both languages are complete)."""
    return list(_TEXTS), list(_LISTS)


# ====================================================================== formats


def fmt_dkk(value: float | None, lang: str) -> str:
    """An amount in whole kroner: "4.158 kr." (Danish), "DKK 4,158" (English)."""
    if value is None:
        return "–"
    number = fmt_number(value, lang, 0)
    return f"{number}\u00a0kr." if lang == "da" else f"DKK\u00a0{number}"


def fmt_dkk_total(value: float | None, lang: str) -> str:
    """A large amount: millions with one decimal from 1 million ("1,2 mio. kr.")."""
    if value is None:
        return "–"
    if abs(value) >= 1_000_000:
        number = fmt_number(value / 1_000_000, lang, 1)
        return f"{number}\u00a0mio. kr." if lang == "da" else f"DKK\u00a0{number}m"
    return fmt_dkk(value, lang)


def quarter_parts(quarter: str) -> tuple[int, int]:
    """("2026-Q3") -> (2026, 3)."""
    year, q = quarter.split("-Q")
    return int(year), int(q)


def fmt_quarter(quarter: str, lang: str, axis: bool = False) -> str:
    """"3. kvartal 2026" / "Q3 2026"; ``axis``: the short two-line form for chart axes."""
    year, q = quarter_parts(quarter)
    return st("quarter_axis" if axis else "quarter", lang, q=q, year=year)


_NAME_SPLIT = re.compile(r" (?:for|til|med|af|to|with|of) ")
#: Longest short name (characters); longer names are cut with an ellipsis.
SHORT_NAME_MAX = 28


def short_intervention_name(name: str) -> str:
    """A short display name for charts: the name up to its first "for"/"til"/"med"/"af"
    ("Børnegrupper for børn af psykisk syge forældre" -> "Børnegrupper"), when what is
    left has at least 6 characters; at most ``SHORT_NAME_MAX`` characters."""
    match = _NAME_SPLIT.search(name)
    if match and match.start() >= 6:
        name = name[: match.start()]
    name = name.strip()
    if len(name) > SHORT_NAME_MAX:
        name = name[: SHORT_NAME_MAX - 1].rstrip() + "…"
    return name


#: Characters per line of a chart category label before it wraps.
LABEL_LINE = 16


def wrap_label(text: str, width: int = LABEL_LINE) -> str:
    """``text`` broken into lines of at most ``width`` characters at spaces (a longer word
    keeps its own line), joined with newlines (chart axes split labels on them)."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "\n".join(lines)

