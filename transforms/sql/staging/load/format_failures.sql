-- Dates and numbers of this load that failed to parse (rules invalid_date and
-- invalid_number in _stg), per canonical column: its export columns (_columns; a
-- wide form's answer columns together), the values that failed (one per record, per
-- cell for a wide form's answers), the records they are in, and the failing values
-- as landed (CPR masked) in the order of their first record, at most 50. A quarter
-- (YYYY-Qn) and whole numbers (item numbers, scores, birth years) are left out: a
-- source's date_format and decimal mark do not read them.
-- transforms.ingest.diagnose sets the counts against the values that parsed.
with

problems as (
    select
        row_no,
        cell_item_no,
        unnest(problems) as problem
    from _stg
    where problems is not null
),

failed as (
    select
        problems.row_no,
        problem.column as canonical_column,
        problem.rule,
        problem.value,
        case when problem.column in ('value', 'item_no') then problems.cell_item_no end as item_no
    from problems
    where
        problem.rule in ('invalid_date', 'invalid_number')
        and problem.column not in ('quarter', 'item_no', 'score', 'birth_year')
),

columns as (
    select * from _columns
),

named as (
    select
        failed.row_no,
        failed.canonical_column,
        failed.rule,
        failed.value,
        [failed.row_no, failed.item_no] as value_key,
        coalesce(columns.export_column, failed.canonical_column) as export_column
    from failed
    left join columns
        on
            failed.canonical_column = columns.column_name
            and failed.item_no is not distinct from columns.item_no
),

first_seen as (
    select
        canonical_column,
        rule,
        value,
        min(row_no) as first_row_no
    from named
    where value is not null
    group by canonical_column, rule, value
),

samples as (
    select
        canonical_column,
        rule,
        list(value order by first_row_no asc, value asc)[1:50] as sample_values
    from first_seen
    group by canonical_column, rule
),

by_column as (
    select
        canonical_column,
        rule,
        list(distinct export_column order by export_column) as export_columns,
        count(distinct value_key) as n_failed,
        count(distinct row_no) as n_records,
        min(row_no) as first_row_no
    from named
    group by canonical_column, rule
),

final as (
    select
        by_column.canonical_column,
        by_column.rule,
        by_column.export_columns,
        by_column.n_failed,
        by_column.n_records,
        coalesce(samples.sample_values, []) as sample_values
    from by_column
    left join samples
        on
            by_column.canonical_column = samples.canonical_column
            and by_column.rule = samples.rule
    order by by_column.first_row_no asc, by_column.canonical_column asc
)

select * from final
