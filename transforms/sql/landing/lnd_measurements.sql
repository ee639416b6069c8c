-- Landing rows for measurements (long layout: one record per item answer):
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
        landing.mask_cpr(form_ref) as form_ref,
        landing.mask_cpr(course_ref) as course_ref,
        landing.mask_cpr(instrument_id) as instrument_id,
        landing.mask_cpr(measured_on) as measured_on,
        landing.mask_cpr(staff_id) as staff_id,
        landing.mask_cpr(rater_role) as rater_role,
        landing.mask_cpr(item_no) as item_no,
        landing.mask_cpr(value) as value,  -- noqa: RF04
        landing.mask_cpr(note) as note,
        landing.mask_cpr(point_label) as point_label
    from source
)

select * from final
