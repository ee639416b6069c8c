-- The landing tables (their views landing.<table>_fields, which name the fields, and
-- what landing keeps and why: staging.sql, applied after this file). A row holds the
-- record's text fields as one JSON array (fields), its load_id and row_no.
-- fields is written with FSST compression named in its definition (USING COMPRESSION,
-- kept in the catalog), so DuckDB does not also analyse the arrays for its other
-- methods at every insert: dictionary compression never wins on them (nearly every
-- array differs), and its analysis cost about a seventh of the landing insert (1.04
-- -> 0.80 s CPU for a million measurement records; the same FSST segments, the same
-- file size). load_id is analysed as before (dictionary: one value per load). A
-- segment FSST cannot compress (a field of a megabyte) is written uncompressed.
-- Tables made before 2026-12-07 keep automatic compression (the same content).
-- The linter cannot parse USING COMPRESSION: the noqa on the first table skips
-- this file's statements from there on, which are nothing but these ten tables.

create table if not exists landing.citizens (  -- noqa: PRS
    fields varchar using compression fsst not null,  -- JSON array of the record's fields
    load_id varchar not null,
    row_no bigint not null
);

create table if not exists landing.courses (
    fields varchar using compression fsst not null,  -- JSON array of the record's fields
    load_id varchar not null,
    row_no bigint not null
);

create table if not exists landing.registrations (
    fields varchar using compression fsst not null,  -- JSON array of the record's fields
    load_id varchar not null,
    row_no bigint not null
);

create table if not exists landing.measurements (
    fields varchar using compression fsst not null,  -- JSON array of the record's fields
    load_id varchar not null,
    row_no bigint not null
);

create table if not exists landing.measurement_forms (
    fields varchar using compression fsst not null,  -- JSON array of the record's fields
    items map (integer, varchar),          -- item number (from item_columns) -> answer
    load_id varchar not null,
    row_no bigint not null
);

create table if not exists landing.goals (
    fields varchar using compression fsst not null,  -- JSON array of the record's fields
    load_id varchar not null,
    row_no bigint not null
);

create table if not exists landing.goal_ratings (
    fields varchar using compression fsst not null,  -- JSON array of the record's fields
    load_id varchar not null,
    row_no bigint not null
);

create table if not exists landing.activities (
    fields varchar using compression fsst not null,  -- JSON array of the record's fields
    load_id varchar not null,
    row_no bigint not null
);

create table if not exists landing.costs (
    fields varchar using compression fsst not null,  -- JSON array of the record's fields
    load_id varchar not null,
    row_no bigint not null
);

create table if not exists landing.calibration_scores (
    fields varchar using compression fsst not null,  -- JSON array of the record's fields
    load_id varchar not null,
    row_no bigint not null
);
