-- Agreements recorded at reflection meetings (aftalepapir), read back from the decks and
-- registers the meeting leader returns to the inbox (transforms/agreements.py). A file
-- returned again replaces every agreement of its meeting (meeting_id, agreed_on).

create schema if not exists staging;

create table if not exists staging.agreements (
    meeting_id varchar not null,          -- meeting series id
    course_id varchar,                    -- course the agreement concerns (NULL: whole team)
    agreed_on date not null,              -- date of the meeting
    text varchar not null,                -- what was agreed (CPR numbers masked)
    owner varchar,                        -- who carries it out
    follow_up_on date,                    -- by when it is done (followed up at the next meeting)
    status varchar                        -- open | done | dropped
);

-- added when agreements began to be read back from returned files (2026-12); a database
-- made before keeps its (empty) table and gains the columns here
alter table staging.agreements add column if not exists agreement_id varchar;  -- key
alter table staging.agreements add column if not exists subject varchar;  -- citizen/theme cell
alter table staging.agreements add column if not exists indicator varchar;  -- how we see it
alter table staging.agreements add column if not exists source_file varchar;  -- file read
alter table staging.agreements add column if not exists source_sha256 varchar;
alter table staging.agreements add column if not exists source_row varchar;  -- slide 9, row 2
alter table staging.agreements add column if not exists loaded_at timestamp;
