-- Typed costs of one load (landing.costs where load_id = $load_id).
-- Output: the columns of staging.costs, lineage, and problems (null when the record
-- is clean). A quarter must read YYYY-Qn (else invalid_date).
-- Parameters: $load_id, $decimal.
with

source as (
    select * from landing.costs
    where load_id = $load_id
),

codes as (
    select * from _codes
),

typed as (
    select
        -- ids
        intervention_codes.value as intervention_id,
        case
            when regexp_full_match(staging.clean_text(source.quarter), '[0-9]{4}-Q[1-4]')
                then staging.clean_text(source.quarter)
        end as quarter,
        cost_type_codes.value as cost_type,
        -- amounts
        staging.to_number(source.amount_dkk, $decimal) as amount_dkk,
        staging.to_number(source.hours, $decimal) as hours,
        -- lineage
        source.load_id,
        source.source_id,
        source.file_name,
        source.row_no,
        -- as received, for the checks
        staging.clean_text(source.intervention_id) as intervention_raw,
        staging.clean_text(source.quarter) as quarter_raw,
        staging.clean_text(source.cost_type) as cost_type_raw,
        staging.clean_text(source.amount_dkk) as amount_raw,
        staging.clean_text(source.hours) as hours_raw
    from source
    left join codes as intervention_codes
        on
            intervention_codes.column_name = 'intervention_id'
            and intervention_codes.code = staging.clean_text(source.intervention_id)
    left join codes as cost_type_codes
        on
            cost_type_codes.column_name = 'cost_type'
            and cost_type_codes.code = staging.clean_text(source.cost_type)
),

checked as (
    select
        *,
        list_filter(
            [
                staging.problem(
                    case
                        when intervention_raw is null then 'missing_required'
                        when intervention_id is null then 'unknown_code'
                    end,
                    'intervention_id', intervention_raw, null
                ),
                staging.problem(
                    case
                        when quarter_raw is null then 'missing_required'
                        when quarter is null then 'invalid_date'
                    end,
                    'quarter', quarter_raw, null
                ),
                staging.problem(
                    case
                        when cost_type_raw is null then 'missing_required'
                        when cost_type is null then 'unknown_code'
                    end,
                    'cost_type', cost_type_raw, null
                ),
                staging.problem(
                    case
                        when amount_raw is null then 'missing_required'
                        when amount_dkk is null then 'invalid_number'
                    end,
                    'amount_dkk', amount_raw, null
                ),
                staging.problem(
                    case when hours_raw is not null and hours is null then 'invalid_number' end,
                    'hours', hours_raw, null
                )
            ],
            p -> p is not null
        ) as problems
    from typed
),

final as (
    select
        intervention_id,
        quarter,
        cost_type,
        amount_dkk,
        hours,
        load_id,
        source_id,
        file_name,
        row_no,
        cast(null as integer) as cell_item_no,
        nullif(problems, []) as problems
    from checked
)

select * from final
