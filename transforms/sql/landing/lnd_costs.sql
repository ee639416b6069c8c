-- Landing rows for costs (one record per row of the export):
-- every record as received, as text, with CPR numbers masked in every field.
-- Reads the view _renamed (transforms/sql/landing/renamed.sql); the loader stores
-- the result in the temporary table _lnd_<table>, and landing/load_rows.sql numbers
-- it, leaves repeated header lines (is_header) out and adds the load id.
with

source as (
    select * from _renamed
),

final as (
    select
        row_no,
        is_header,
        landing.mask_cpr(intervention_id) as intervention_id,
        landing.mask_cpr(quarter) as quarter,  -- noqa: RF04
        landing.mask_cpr(cost_type) as cost_type,
        landing.mask_cpr(amount_dkk) as amount_dkk,
        landing.mask_cpr(hours) as hours  -- noqa: RF04
    from source
)

select * from final
