-- A returned file replaces the agreements of its meeting's courses it has filled rows
-- for (a theme without a course is the course ''), and the rows quarantined when the
-- same file was last returned, before its rows are written. The other courses'
-- agreements (from another file of the meeting: the deck and the register) stay. Rows
-- of the file refused because its meeting key named no meeting (key_rules: a list of
-- rules) go whatever meeting they were filed under: the file is back with its key fixed.
-- Variables (getvariable): meeting_id, agreed_on, courses (a list), file_name, load_id,
-- key_rules.
delete from staging.agreements
where
    meeting_id = getvariable('meeting_id')
    and agreed_on = getvariable('agreed_on')
    and list_contains(getvariable('courses'), coalesce(course_id, ''));

delete from staging.quarantine
where
    canonical_table = 'agreements'
    and file_name = getvariable('file_name')
    and (
        load_id = getvariable('load_id')
        or list_contains(getvariable('key_rules'), rule)
    );
