-- rule: quarantined_records
-- table: staging.quarantine
-- checked: chk_quarantined
-- figures: all
-- description: A record of an export was quarantined at ingest (an invalid value, an
--   unknown course or citizen, a CPR number in an id ...): it is in no figure, and
--   its citizen's or course's measurements are missing from the counts.
-- fix: See staging.quarantine (rule, column and message per record): correct the export
--   or config/sources.yaml, try it with `datadialog sources try`, then load it again
--   (`datadialog ingest --reload FILE`).

with

quarantined as (
    select * from chk_quarantined
),

final as (
    select
        'quarantined_records' as rule_id,
        chk_severity('quarantined_records') as severity,
        'staging.quarantine' as table_name,
        cast(null as varchar) as course_id,
        cast(null as varchar) as form_id,
        cast(null as varchar) as instrument_id,
        cast(null as varchar) as staff_id,
        cast(quarantined_at as date) as event_date,
        rule as reason,
        file_name,
        row_no
    from quarantined
)

select * from final
