-- A returned file replaces its meeting: every agreement recorded for the meeting, and
-- the rows quarantined when it was last returned, go before the new rows are written.
delete from staging.agreements
where meeting_id = getvariable('meeting_id') and agreed_on = getvariable('agreed_on');

delete from staging.quarantine
where canonical_table = 'agreements' and load_id = getvariable('load_id');
