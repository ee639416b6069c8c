-- Landing rows for costs (one record per row of the export): every data record as received,
-- as text, with CPR numbers masked in every field. Reads the view _renamed
-- (transforms/sql/landing/renamed.sql); repeated header lines are left out.
with

source as (
    select * from _renamed
    where not is_header
),

final as (
    select
        landing.mask_cpr(intervention_id) as intervention_id,
        landing.mask_cpr(quarter) as quarter,
        landing.mask_cpr(cost_type) as cost_type,
        landing.mask_cpr(amount_dkk) as amount_dkk,
        landing.mask_cpr(hours) as hours,
        -- lineage
        $load_id as load_id,
        $source_id as source_id,
        $file_name as file_name,
        cast($sheet as varchar) as sheet,
        $sha256 as sha256,
        row_no,
        cast($loaded_at as timestamp) as loaded_at
    from source
)

select * from final
