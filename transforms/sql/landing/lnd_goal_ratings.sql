-- Landing rows for goal_ratings (one record per row of the export):
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
        landing.mask_cpr(goal_ref) as goal_ref,
        landing.mask_cpr(rated_on) as rated_on,
        landing.mask_cpr(score) as score,
        landing.mask_cpr(staff_id) as staff_id
    from source
)

select * from final
