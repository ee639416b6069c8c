-- A sample of values that failed to parse (variable sample_values), in its order,
-- each with whether a candidate setting reads it: as a date in the strptime format
-- candidate_format (a date before min_year or after max_year is not read: DuckDB's %Y
-- reads '26' as the year 26), as a number with the decimal mark candidate_decimal.
-- Read by transforms.ingest.diagnose to suggest a setting that reads them.
with

failing as (
    select
        unnest(cast(getvariable('sample_values') as varchar[])) as value_text,
        generate_subscripts(cast(getvariable('sample_values') as varchar[]), 1) as sample_no
),

parsed as (
    select
        sample_no,
        value_text,
        staging.to_date(value_text, getvariable('candidate_format')) as as_date,
        staging.to_number(value_text, getvariable('candidate_decimal')) as as_number
    from failing
),

final as (
    select
        value_text,
        coalesce(
            year(as_date) between getvariable('min_year') and getvariable('max_year'), false
        ) as is_read_as_date,
        as_number is not null as is_read_as_number
    from parsed
    order by sample_no asc
)

select * from final
