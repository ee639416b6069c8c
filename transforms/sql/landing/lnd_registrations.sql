-- Landing rows for registrations (one record per row of the export):
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
        landing.mask_cpr(course_ref) as course_ref,
        landing.mask_cpr(registered_on) as registered_on,
        landing.mask_cpr(stage) as stage,  -- noqa: RF04
        landing.mask_cpr(field) as field,  -- noqa: RF04
        landing.mask_cpr(value) as value  -- noqa: RF04
    from source
)

select * from final
