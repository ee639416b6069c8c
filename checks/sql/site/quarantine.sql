-- Records quarantined at ingest (could not be typed or mapped), from the files still
-- in force (loaded, not replaced): what the data steward corrects in the source system.

with

quarantine as (
    select * from staging.quarantine
),

loads as (
    select * from staging.loads
    where status = 'loaded'
),

final as (
    select
        quarantine.file_name,
        quarantine.sheet,
        quarantine.canonical_table,
        quarantine.row_no,
        quarantine.column_name,
        quarantine.value,
        quarantine.rule,
        quarantine.message
    from quarantine
    inner join loads on quarantine.load_id = loads.load_id
    order by quarantine.file_name, quarantine.sheet, quarantine.row_no, quarantine.rule
)

select * from final
