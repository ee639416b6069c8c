-- Landing rows for citizens (one record per row of the export):
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
        -- the citizen ref never lands: its keyed pseudonym does (or the masked
        -- text when the ref is a CPR number, which staging quarantines; or [CPR?]
        -- for a declared CPR column's invalid value, see transforms.ingest.mapping)
        case
            when citizen_ref = '[CPR?]' or landing.mask_cpr(citizen_ref) <> citizen_ref
                then landing.mask_cpr(citizen_ref)
            else pseudonym(staging.clean_text(citizen_ref))
        end as citizen_id,
        landing.mask_cpr(gender) as gender,
        landing.mask_cpr(birth_year) as birth_year
    from source
)

select * from final
