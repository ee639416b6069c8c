-- Typed citizens of one load. Reads _landing_citizens: this load's landing rows
-- (landing/lnd_citizens.sql), before they are written to landing.citizens.
-- Output: the columns of staging.citizens, lineage, and problems: a list of
-- {rule, column, value, detail}, null when the record is clean. Clean records are
-- merged into staging.citizens, the others go to staging.quarantine
-- (transforms/sql/staging/load/).
-- Variables (getvariable): decimal, codes_gender (export code -> canonical value).
with

source as (
    select * from _landing_citizens
),

typed as (
    select
        -- lineage
        row_no,
        -- ids
        staging.clean_text(citizen_id) as citizen_id,
        -- attributes
        staging.code(getvariable('codes_gender'), gender) as gender,
        staging.to_int(birth_year, getvariable('decimal')) as birth_year,
        -- as received, for the checks
        staging.clean_text(gender) as gender_raw,
        staging.clean_text(birth_year) as birth_year_raw
    from source
),

checks as (
    select
        *,
        case
            when citizen_id is null then 'missing_required'
            when citizen_id = '[CPR?]' then 'invalid_cpr'
            when contains(citizen_id, '[CPR]') then 'cpr_in_id'
        end as rule_citizen,
        case when gender_raw is not null and gender is null then 'unknown_code' end as rule_gender,
        case
            when birth_year_raw is not null and birth_year is null then 'invalid_number'
        end as rule_birth_year
    from typed
),

final as (
    select
        citizen_id,
        gender,
        birth_year,
        row_no,
        cast(null as integer) as cell_item_no,
        case
            when coalesce(rule_citizen, rule_gender, rule_birth_year) is not null
                then list_filter(
                    [
                        staging.problem(rule_citizen, 'citizen_ref', citizen_id, null),
                        staging.problem(rule_gender, 'gender', gender_raw, null),
                        staging.problem(rule_birth_year, 'birth_year', birth_year_raw, null)
                    ],
                    p -> p is not null
                )
        end as problems
    from checks
)

select * from final
