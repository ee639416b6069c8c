-- Landing rows for measurement_forms (wide layout: one record per form, the answers
-- in a map by item number):
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
        landing.mask_cpr(note) as note,
        map_from_entries(
            list_transform(
                map_entries(items), e -> { 'key': e.key, 'value': landing.mask_cpr(e.value) }
            )
        ) as items,
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
