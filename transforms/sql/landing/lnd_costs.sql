-- Landing rows for costs (one record per row of the export):
-- every data record as received, as text, with CPR numbers masked in every
-- field. Reads the view _renamed (transforms/sql/landing/renamed.sql); repeated
-- header lines are left out.
with

source as (
    select * from _renamed
    where not is_header
),

final as (
    select
        row_no,
        landing.mask_cpr(intervention_id) as intervention_id,
        landing.mask_cpr(quarter) as quarter,  -- noqa: RF04
        landing.mask_cpr(cost_type) as cost_type,
        landing.mask_cpr(amount_dkk) as amount_dkk,
        landing.mask_cpr(hours) as hours,  -- noqa: RF04
        -- lineage
        getvariable('load_id') as load_id,
        getvariable('source_id') as source_id,
        getvariable('file_name') as file_name,
        getvariable('sheet') as sheet,
        getvariable('sha256') as sha256,
        getvariable('loaded_at') as loaded_at
    from source
)

select * from final
