-- Landing rows for calibration_scores (one record per row of the export):
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
        landing.mask_cpr(workshop_id) as workshop_id,
        landing.mask_cpr(workshop_date) as workshop_date,
        landing.mask_cpr(staff_id) as staff_id,
        landing.mask_cpr(instrument_id) as instrument_id,
        landing.mask_cpr(case_ref) as case_ref,
        landing.mask_cpr(item_no) as item_no,
        landing.mask_cpr(value) as value  -- noqa: RF04
    from source
)

select * from final
