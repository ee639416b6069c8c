-- Citizens of a courses file whose system exports no citizens table (mapping
-- derive_citizens: true): each clean course's citizen that staging.citizens does not
-- hold yet, with gender and birth year unknown, lineage the course file's load and its
-- first record of the citizen. Run after this load's courses are staged (the courses
-- of the file were typed as if their citizens were known).
-- Variable (getvariable): load_id.
with

courses as (
    select * from _stg
    where problems is null
),

known as (
    select citizen_id from staging.citizens
),

final as (
    select
        courses.citizen_id,
        cast(null as varchar) as gender,
        cast(null as integer) as birth_year,
        getvariable('load_id') as load_id,
        min(courses.row_no) as row_no
    from courses
    anti join known on courses.citizen_id = known.citizen_id
    group by courses.citizen_id
)

select * from final
