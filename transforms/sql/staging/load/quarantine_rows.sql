-- Quarantine rows of this load: one per record (or wide cell) and problem, with the
-- export's column name (_columns) and a message. A problem of a whole wide form is
-- listed once, not once per cell.
-- Variables (getvariable): load_id, source_id, file_name, sheet, canonical_table,
-- date_format, decimal, quarantined_at.
with

records as (
    select
        row_no,
        cell_item_no,
        unnest(problems) as problem
    from _stg
    where problems is not null
),

problems as (
    select distinct
        records.row_no,
        problem.column as canonical_column,
        problem.value,
        problem.rule,
        problem.detail,
        case when problem.column in ('value', 'item_no') then records.cell_item_no end as item_no
    from records
),

columns as (
    select * from _columns
),

final as (
    select
        cast(getvariable('sheet') as varchar) as sheet,
        problems.row_no,
        problems.item_no,
        problems.value,
        problems.rule,
        cast(getvariable('quarantined_at') as timestamp) as quarantined_at,
        getvariable('load_id') as load_id,
        getvariable('source_id') as source_id,
        getvariable('file_name') as file_name,
        getvariable('canonical_table') as canonical_table,
        coalesce(columns.export_column, problems.canonical_column) as column_name,
        case problems.rule
            when 'missing_required' then 'a required value is empty'
            when 'invalid_date'
                then
                    case
                        when problems.canonical_column = 'quarter'
                            then 'not a quarter written YYYY-Qn'
                        else 'not a date in the format ' || getvariable('date_format')
                    end
            when 'invalid_number'
                then
                    case
                        when problems.canonical_column in ('item_no', 'score', 'birth_year')
                            then 'not a whole number'
                        else 'not a number with decimal mark ''' || getvariable('decimal') || ''''
                    end
            when
                'unknown_code'
                then 'not a code in the config''s sources.yaml value_codes nor a canonical value'
            when 'unknown_citizen' then 'the citizen is in no loaded citizens table'
            when 'unknown_course' then 'the course is in no loaded courses table'
            when 'unknown_goal' then 'the goal is in no loaded goals table'
            when 'cpr_in_id'
                then
                    'the id holds a CPR number (masked here); if this column''s ids are CPR '
                    || 'numbers, declare it in config/sources.yaml (id_kind: {'
                    || problems.canonical_column
                    || ': cpr}) so they are pseudonymised, else correct it at the source'
            when 'invalid_cpr'
                then
                    'the column is declared as CPR numbers (id_kind: cpr) but this value '
                    || 'is not a valid one (not shown)'
            when 'duplicate_key' then 'the same key as the earlier record (row) ' || problems.detail
            when 'key_of_other_source'
                then
                    'the key is held by another source''s row ('
                    || problems.detail
                    || '); refs must be unique across sources (a move between systems: '
                    || 'takes_over in sources.yaml)'
            when 'field_too_long'
                then
                    'a field too long to load (cut to its first 100 characters here), '
                    || problems.detail
            when 'line_too_long'
                then
                    'a record too long to load (its fields cut to 100 characters here), '
                    || problems.detail
            when 'item_out_of_instrument'
                then
                    'item number outside the instrument''s items ' || coalesce(problems.detail, '')
            else problems.rule
        end as message
    from problems
    left join columns
        on
            problems.canonical_column = columns.column_name
            and problems.item_no is not distinct from columns.item_no
)

select * from final
