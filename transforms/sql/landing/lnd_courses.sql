-- Landing rows for courses (one record per row of the export):
-- every record as received, as text, with CPR numbers masked in every field.
-- Reads the view _renamed (transforms/sql/landing/renamed.sql); the loader stores
-- the result in the temporary table _lnd_<table>, and landing/load_rows.sql numbers
-- it, leaves repeated header lines (is_header) out and adds the load id.
-- The citizen ref never lands: its keyed pseudonym does (function pseudonym).
with

source as (
    select * from _renamed
),

final as (
    select
        row_no,
        is_header,
        landing.mask_cpr(course_ref) as course_ref,
        -- the citizen ref never lands: its keyed pseudonym does (or the masked
        -- text when the ref is a CPR number, which staging quarantines; or [CPR?]
        -- for a declared CPR column's invalid value, see transforms.ingest.mapping)
        case
            when citizen_ref = '[CPR?]' or landing.mask_cpr(citizen_ref) <> citizen_ref
                then landing.mask_cpr(citizen_ref)
            else pseudonym(staging.clean_text(citizen_ref))
        end as citizen_id,
        landing.mask_cpr(intervention_id) as intervention_id,
        landing.mask_cpr(variant) as variant,
        landing.mask_cpr(team_id) as team_id,
        landing.mask_cpr(start_date) as start_date,
        landing.mask_cpr(end_date) as end_date,
        landing.mask_cpr(end_reason) as end_reason
    from source
)

select * from final
