-- view: chk_quarantined
-- grain: one row per record of an export in quarantine (staging.quarantine holds a row
--   per problem or wide cell; its first rule by name speaks for the record). Records
--   kept staged and only flagged (removed_in_reexport) are not quarantined. Not scoped:
--   a quarantined record's course or citizen is unknown, so it concerns every scope.
-- columns: load_id, sheet, row_no, canonical_table, file_name, quarantined_at, rule

with

quarantine as (
    select * from staging.quarantine
    where rule <> 'removed_in_reexport'
),

final as (
    select
        load_id,
        sheet,
        row_no,
        any_value(canonical_table) as canonical_table,
        any_value(file_name) as file_name,
        min(quarantined_at) as quarantined_at,
        min(rule) as rule
    from quarantine
    group by load_id, sheet, row_no
)

select * from final
