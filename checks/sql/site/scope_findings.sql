-- Failing rows of run $1 per team and per intervention, rule and severity.

with

failures as (
    select * from quality.failures
    where run_id = $1
),

scoped as (
    select 'intervention' as scope_kind, intervention_id as scope_id, rule_id, severity
    from failures
    where intervention_id is not null
    union all
    select 'team', team_id, rule_id, severity from failures
    where team_id is not null
),

final as (
    select
        scope_kind,
        scope_id,
        rule_id,
        severity,
        count(*) as n_failed
    from scoped
    group by scope_kind, scope_id, rule_id, severity
    order by scope_kind, scope_id, n_failed desc, rule_id
)

select * from final
