-- model: mart_refused_agreements
-- grain: one row per agreement row refused when a returned deck or register was read
--   (staging.quarantine, canonical_table 'agreements'): where it is and why, for the
--   "since last time" slide of the next meeting. The agreement's text is not kept (the
--   row was refused), only the refused cells' values as read, CPR numbers masked.
-- columns:
--   meeting_id: meeting series the returned file belongs to
--   agreed_on: date of the meeting
--   file_name: the returned file
--   row_no: the row's running number within the file
--   row_location: slide and row of a deck ("dias 12, række 2") or row of a register ("række 5")
--   rules: the rules the row broke (agreement_owner_missing ...), in column order
--   reasons: why, in Danish, one per rule (the quarantine messages without the location)
--   refused_values: the refused cells' values as read, one per rule ('' when empty)

with

quarantine as (
    select * from staging.quarantine
    where canonical_table = 'agreements'
),

parsed as (
    select
        file_name,
        row_no,
        column_name,
        rule,
        regexp_extract(load_id, '^agreements:(.*):(\d{4}-\d{2}-\d{2})$', 1) as meeting_id,
        try_cast(
            regexp_extract(load_id, '^agreements:(.*):(\d{4}-\d{2}-\d{2})$', 2) as date
        ) as agreed_on,
        coalesce(value, '') as refused_value,
        regexp_extract(message, '^([^:]*): ', 1) as row_location,
        regexp_replace(message, '^[^:]*: ', '') as reason
    from quarantine
),

final as (
    select
        meeting_id,
        agreed_on,
        file_name,
        row_no,
        any_value(row_location) as row_location,
        list(rule order by column_name, rule) as rules,
        list(reason order by column_name, rule) as reasons,
        list(refused_value order by column_name, rule) as refused_values
    from parsed
    where agreed_on is not null
    group by meeting_id, agreed_on, file_name, row_no
)

select * from final
