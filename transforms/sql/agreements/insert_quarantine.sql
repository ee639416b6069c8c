-- One agreement row refused (no owner, no date ...): kept with its rule, so rows read
-- = agreements stored + rows quarantined.
insert into staging.quarantine (
    load_id, source_id, file_name, sheet, canonical_table, row_no, item_no, column_name,
    value, rule, message, quarantined_at
)
values ($1, $2, $3, $4, 'agreements', $5, null, $6, $7, $8, $9, current_timestamp::timestamp)
