-- What the last build was made from, so that the next build can redo only what the
-- data it reads has changed (transforms/refresh.py). Bookkeeping, not data: nothing
-- in it reaches a deck, and an empty or missing state only means a full build.
--
-- build_state.runs: one row per build (full or incremental) in this database.
-- build_state.parts: the content of every part of the staging data the models read,
--   as the last build saw it: one row per staging table and course (course_id NULL
--   for rows that belong to no course, e.g. costs or meeting-level agreements), with
--   a sum of row hashes (lineage columns left out: a row that only moved to a newer
--   file is the same row) and the row count.
-- build_state.shared_forms: every form whose measurement rows name two or more courses
--   (an export's mistake), with each of its courses, as the last build saw them.
-- build_state.model_digests: a sum of row hashes of every table model the last build
--   rebuilt in full (an aggregate whose content did not change needs no rebuild of what
--   reads it).
-- build_cache: the temporary models that something rebuilt in full reads (they have to
--   be whole for it), kept as tables so an incremental build can update them.

create schema if not exists build_state;

create schema if not exists build_cache;

create table if not exists build_state.runs (
    finished_at timestamp not null,
    mode varchar not null,                -- full | incremental | up_to_date
    reason varchar not null,              -- why this mode (first build, config changed ...)
    fingerprint varchar not null,         -- SHA-256 of the config, the as-of date and the SQL
    as_of_date date not null,
    n_courses_changed integer,            -- courses redone (incremental), NULL for a full build
    n_models_full integer not null,
    n_models_partial integer not null,
    seconds double not null
);

create table if not exists build_state.parts (
    table_name varchar not null,
    course_id varchar,
    citizen_id varchar,
    digest hugeint not null,
    n_rows bigint not null
);

create table if not exists build_state.model_digests (
    model_name varchar not null,
    digest hugeint not null,
    n_rows bigint not null
);

create table if not exists build_state.shared_forms (
    form_id varchar not null,
    course_id varchar not null
);
