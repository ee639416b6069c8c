-- The rules of one run with findings, most severe first. Parameter $1: run_id.

with

results as (
    select * from quality.results
    where run_id = $1
),

final as (
    select
        rule_id,
        table_name,
        severity,
        n_checked,
        n_failed,
        failure_rate,
        status,
        description,
        fix
    from results
    where n_failed > 0
    order by
        case severity when 'error' then 0 when 'warning' then 1 else 2 end,
        n_failed desc,
        rule_id
)

select * from final
