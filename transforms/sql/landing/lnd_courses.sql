-- Landing rows for courses (one record per row of the export):
-- every data record as received, as text, with CPR numbers masked in every
-- field. Reads the view _renamed (transforms/sql/landing/renamed.sql); repeated
-- header lines are left out.
-- The citizen ref never lands: its keyed pseudonym does (function pseudonym).
with

source as (
    select * from _renamed
    where not is_header
),

final as (
    select
        row_no,
        landing.mask_cpr(course_ref) as course_ref,
        -- the citizen ref never lands: its keyed pseudonym does (or the masked
        -- text when the ref is a CPR number, which staging quarantines)
        case
            when landing.mask_cpr(citizen_ref) <> citizen_ref
                then landing.mask_cpr(citizen_ref)
            else pseudonym(staging.clean_text(citizen_ref))
        end as citizen_id,
        landing.mask_cpr(intervention_id) as intervention_id,
        landing.mask_cpr(variant) as variant,
        landing.mask_cpr(team_id) as team_id,
        landing.mask_cpr(start_date) as start_date,
        landing.mask_cpr(end_date) as end_date,
        landing.mask_cpr(end_reason) as end_reason,
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
