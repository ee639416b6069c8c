-- Landing rows for measurements (long layout: one record per item answer):
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
        landing.mask_cpr(form_ref) as form_ref,
        landing.mask_cpr(course_ref) as course_ref,
        landing.mask_cpr(instrument_id) as instrument_id,
        landing.mask_cpr(measured_on) as measured_on,
        landing.mask_cpr(staff_id) as staff_id,
        landing.mask_cpr(rater_role) as rater_role,
        landing.mask_cpr(item_no) as item_no,
        landing.mask_cpr(value) as value,  -- noqa: RF04
        landing.mask_cpr(note) as note,
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
