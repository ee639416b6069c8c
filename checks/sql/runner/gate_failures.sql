-- The failing rows of one run that can block or caveat a deck (errors and warnings),
-- with what a gate needs to place and word them. Ordered, so a caveat that lists
-- several rows (rater drift: staff and instrument) lists them the same way every run.
-- Parameter: $1 = run id.
with

failures as (
    select * from quality.failures
),

final as (
    select
        rule_id,
        severity,
        intervention_id,
        team_id,
        reason,
        observed,
        staff_id,
        instrument_id,
        point_id
    from failures
    where run_id = $1 and severity <> 'info'
)

select * from final
order by
    rule_id, intervention_id nulls first, team_id nulls first, staff_id nulls first,
    instrument_id nulls first, point_id nulls first, observed nulls first, reason
