-- The agreements a returned file is about to replace that another file of the same
-- meeting stored (clear_meeting.sql's rows, by their file): said on the command line.
-- Variables (getvariable): meeting_id, agreed_on, courses (a list), file_name.
select
    source_file,
    count(*) as n
from staging.agreements
where
    meeting_id = getvariable('meeting_id')
    and agreed_on = getvariable('agreed_on')
    and list_contains(getvariable('courses'), coalesce(course_id, ''))
    and source_file <> getvariable('file_name')
group by source_file
order by source_file
