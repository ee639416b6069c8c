-- Landing rows for goals (one record per row of the export):
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
        landing.mask_cpr(goal_ref) as goal_ref,
        landing.mask_cpr(course_ref) as course_ref,
        landing.mask_cpr(life_area) as life_area,
        landing.mask_cpr(goal_type) as goal_type,
        landing.mask_cpr(set_on) as set_on,
        landing.mask_cpr(weight) as weight,
        landing.mask_cpr(description) as description,
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
