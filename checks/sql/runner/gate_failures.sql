-- The failing rows of one run that can block or caveat a deck (errors and warnings),
-- with what a gate needs to place and word them: one line per row for the rules whose
-- caveat names its rows (parameter $2: rates, rater drift, quarantine, attrition), and
-- for every other rule one line per severity, intervention and team with the number of
-- rows (n_rows), as a gate only counts those. Ordered, so a caveat that lists several
-- rows (rater drift: staff and instrument) lists them the same way every run.
-- Parameters: $1 = run id, $2 = the rules listed row by row (list).
with

failures as (
    select * from quality.failures
    where run_id = $1 and severity <> 'info'
),

listed as (
    select
        rule_id,
        severity,
        intervention_id,
        team_id,
        reason,
        observed,
        staff_id,
        instrument_id,
        point_id,
        1 as n_rows
    from failures
    where list_contains($2, rule_id)
),

counted as (
    select
        rule_id,
        severity,
        intervention_id,
        team_id,
        cast(null as varchar) as reason,
        cast(null as double) as observed,
        cast(null as varchar) as staff_id,
        cast(null as varchar) as instrument_id,
        cast(null as varchar) as point_id,
        count(*) as n_rows
    from failures
    where not list_contains($2, rule_id)
    group by rule_id, severity, intervention_id, team_id
),

final as (
    select * from listed
    union all
    select * from counted
)

select * from final
order by
    rule_id, intervention_id nulls first, team_id nulls first, staff_id nulls first,
    instrument_id nulls first, point_id nulls first, observed nulls first, reason
