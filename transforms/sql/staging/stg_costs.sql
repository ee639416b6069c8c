-- Typed costs of one load. Reads _landing_costs: this load's landing rows
-- (landing/lnd_costs.sql), before they are written to landing.costs.
-- Output: the columns of staging.costs, lineage, and problems (null when the record
-- is clean). A quarter must read YYYY-Qn (else invalid_date).
-- Variables (getvariable): decimal, codes_intervention_id, codes_cost_type.
with

source as (
    select * from _landing_costs
),

typed as (
    select
        -- lineage
        row_no,
        -- ids
        staging.code(getvariable('codes_intervention_id'), intervention_id) as intervention_id,
        case
            when regexp_full_match(staging.clean_text(quarter), '[0-9]{4}-Q[1-4]')
                then staging.clean_text(quarter)
        end as quarter,  -- noqa: RF04
        staging.code(getvariable('codes_cost_type'), cost_type) as cost_type,
        -- amounts
        staging.to_number(amount_dkk, getvariable('decimal')) as amount_dkk,
        staging.to_number(hours, getvariable('decimal')) as hours,
        -- as received, for the checks
        staging.clean_text(intervention_id) as intervention_raw,
        staging.clean_text(quarter) as quarter_raw,
        staging.clean_text(cost_type) as cost_type_raw,
        staging.clean_text(amount_dkk) as amount_raw,
        staging.clean_text(hours) as hours_raw
    from source
),

checks as (
    select
        *,
        case
            when intervention_raw is null then 'missing_required'
            when intervention_id is null then 'unknown_code'
        end as rule_intervention,
        case
            when quarter_raw is null then 'missing_required'
            when quarter is null then 'invalid_date'
        end as rule_quarter,
        case
            when cost_type_raw is null then 'missing_required'
            when cost_type is null then 'unknown_code'
        end as rule_cost_type,
        case
            when amount_raw is null then 'missing_required'
            when amount_dkk is null then 'invalid_number'
        end as rule_amount,
        case when hours_raw is not null and hours is null then 'invalid_number' end as rule_hours
    from typed
),

final as (
    select
        intervention_id,
        quarter,
        cost_type,
        amount_dkk,
        hours,
        row_no,
        cast(null as integer) as cell_item_no,
        case
            when
                coalesce(rule_intervention, rule_quarter, rule_cost_type, rule_amount, rule_hours)
                is not null
                then list_filter(
                    [
                        staging.problem(
                            rule_intervention, 'intervention_id', intervention_raw, null
                        ),
                        staging.problem(rule_quarter, 'quarter', quarter_raw, null),
                        staging.problem(rule_cost_type, 'cost_type', cost_type_raw, null),
                        staging.problem(rule_amount, 'amount_dkk', amount_raw, null),
                        staging.problem(rule_hours, 'hours', hours_raw, null)
                    ],
                    p -> p is not null
                )
        end as problems
    from checks
)

select * from final
