-- Landing rows for goal_ratings (one record per row of the export):
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
        landing.mask_cpr(rated_on) as rated_on,
        landing.mask_cpr(score) as score,
        landing.mask_cpr(staff_id) as staff_id,
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
