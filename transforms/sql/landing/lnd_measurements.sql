-- Landing rows for measurements (long layout: one record per item answer): every data record as received,
-- as text, with CPR numbers masked in every field. Reads the view _renamed
-- (transforms/sql/landing/renamed.sql); repeated header lines are left out.
with

source as (
    select * from _renamed
    where not is_header
),

final as (
    select
        landing.mask_cpr(form_ref) as form_ref,
        landing.mask_cpr(course_ref) as course_ref,
        landing.mask_cpr(instrument_id) as instrument_id,
        landing.mask_cpr(measured_on) as measured_on,
        landing.mask_cpr(staff_id) as staff_id,
        landing.mask_cpr(rater_role) as rater_role,
        landing.mask_cpr(item_no) as item_no,
        landing.mask_cpr(value) as value,
        landing.mask_cpr(note) as note,
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
