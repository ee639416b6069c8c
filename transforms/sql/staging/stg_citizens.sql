-- Typed citizens of one load (landing.citizens where load_id = $load_id).
-- Output: the columns of staging.citizens, lineage, and problems (list of
-- {rule, column, value, detail}, null when the record is clean). Clean records are
-- merged into staging.citizens, the others go to staging.quarantine
-- (transforms/sql/staging/load/).
-- Parameters: $load_id, $decimal (decimal mark of the source).
with

source as (
    select * from landing.citizens
    where load_id = $load_id
),

codes as (
    select * from _codes
),

typed as (
    select
        -- ids
        staging.clean_text(source.citizen_id) as citizen_id,
        -- attributes
        gender_codes.value as gender,
        staging.to_int(source.birth_year, $decimal) as birth_year,
        -- lineage
        source.load_id,
        source.source_id,
        source.file_name,
        source.row_no,
        -- as received, for the checks
        staging.clean_text(source.gender) as gender_raw,
        staging.clean_text(source.birth_year) as birth_year_raw
    from source
    left join codes as gender_codes
        on
            gender_codes.column_name = 'gender'
            and gender_codes.code = staging.clean_text(source.gender)
),

checked as (
    select
        *,
        list_filter(
            [
                staging.problem(
                    case
                        when citizen_id is null then 'missing_required'
                        when contains(citizen_id, '[CPR]') then 'cpr_in_id'
                    end,
                    'citizen_ref', citizen_id, null
                ),
                staging.problem(
                    case when gender_raw is not null and gender is null then 'unknown_code' end,
                    'gender', gender_raw, null
                ),
                staging.problem(
                    case when birth_year_raw is not null and birth_year is null then 'invalid_number' end,
                    'birth_year', birth_year_raw, null
                )
            ],
            p -> p is not null
        ) as problems
    from typed
),

final as (
    select
        citizen_id,
        gender,
        birth_year,
        load_id,
        source_id,
        file_name,
        row_no,
        cast(null as integer) as cell_item_no,
        nullif(problems, []) as problems
    from checked
)

select * from final
