-- view: chk_costs
-- grain: one row per staged cost row in the run's scope (by intervention; a team scope
--   holds none: costs are kept per intervention).
-- columns: the staging.costs columns

with

costs as (
    select * from staging.costs
),

params as (
    select * from chk_params
),

final as (
    select costs.*
    from costs
    cross join params
    where
        params.scope_kind = 'organisation'
        or (params.scope_kind = 'intervention' and costs.intervention_id = params.scope_id)
)

select * from final
