-- Failing rows of severity error in run $1 per scope they block (intervention, team)
-- and rule; rows without a course count for the organisation only.

with

errors as (
    select * from quality.failures
    where run_id = $1 and severity = 'error'
),

scoped as (
    select 'intervention' as scope_kind, intervention_id as scope_id, rule_id from errors
    where intervention_id is not null
    union all
    select 'team', team_id, rule_id from errors
    where team_id is not null
    union all
    select 'organisation', null, rule_id from errors
),

final as (
    select
        scope_kind,
        scope_id,
        rule_id,
        count(*) as n_failed
    from scoped
    group by scope_kind, scope_id, rule_id
    order by
        case scope_kind when 'organisation' then 0 when 'intervention' then 1 else 2 end,
        scope_id,
        rule_id
)

select * from final
