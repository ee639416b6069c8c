-- A returned file replaces the agreements of its meeting's courses it has filled rows
-- for (a theme without a course is the course ''), and the rows quarantined when the
-- same file was last returned, before its rows are written. The other courses'
-- agreements (from another file of the meeting: the deck and the register) stay.
-- Variables (getvariable): meeting_id, agreed_on, courses (a list), file_name, load_id.
delete from staging.agreements
where
    meeting_id = getvariable('meeting_id')
    and agreed_on = getvariable('agreed_on')
    and list_contains(getvariable('courses'), coalesce(course_id, ''));

delete from staging.quarantine
where
    canonical_table = 'agreements'
    and load_id = getvariable('load_id')
    and file_name = getvariable('file_name');
