-- Agreements recorded at reflection meetings (aftalepapir). Created empty here so the
-- marts can list them per course before the meetings area fills the table.

create schema if not exists staging;

create table if not exists staging.agreements (
    meeting_id varchar not null,          -- meeting series id or meeting occurrence id
    course_id varchar,                    -- course the agreement concerns (NULL: whole team)
    agreed_on date not null,              -- date of the meeting
    text varchar not null,                -- what was agreed (CPR numbers masked)
    owner varchar,                        -- who carries it out
    follow_up_on date,                    -- when it is followed up
    status varchar                        -- open | done | dropped
);
