-- Canonical staging tables (see docs/canonical.md). Created once per database;
-- ingest fills them, the intermediate and mart models read them.
-- Every table carries lineage: load_id and row_no (the record number in the export);
-- the load's source, file name, checksum and time are in staging.loads.

create schema if not exists staging;

create table if not exists staging.citizens (
    -- ids
    citizen_id varchar not null,          -- keyed pseudonym, never the source id
    -- attributes
    gender varchar,                       -- female | male | other
    birth_year integer,
    -- lineage
    load_id varchar not null,
    row_no bigint not null,
    primary key (citizen_id)
);

create table if not exists staging.courses (
    course_id varchar not null,
    citizen_id varchar not null,
    intervention_id varchar not null,
    variant varchar not null default 'standard',
    team_id varchar,
    start_date date not null,
    end_date date,                        -- null: course still open
    end_reason varchar,                   -- completed_planned | dropped_out | moved | referred_on
    load_id varchar not null,
    row_no bigint not null,
    primary key (course_id)
);

create table if not exists staging.registrations (
    course_id varchar not null,
    registered_on date,
    stage varchar,                        -- start | during | end
    field varchar not null,
    value varchar,
    load_id varchar not null,
    row_no bigint not null
);

create table if not exists staging.measurements (
    form_id varchar not null,
    course_id varchar not null,
    instrument_id varchar not null,
    measured_on date not null,
    staff_id varchar,
    rater_role varchar,                   -- citizen | staff | parent | teacher
    item_no integer not null,             -- 1-based
    value double,                         -- null: missing answer, never 0
    note varchar,                         -- free text, CPR numbers masked
    load_id varchar not null,
    row_no bigint not null,
    point_id varchar                      -- the point the form's label names (value_codes)
    -- key (form_id, item_no): kept unique by ingest (duplicate_key rule and the
    -- merge by key), not declared: on a million-row load the primary-key index cost
    -- more than landing and typing together.
);

create table if not exists staging.goals (
    goal_id varchar not null,
    course_id varchar not null,
    life_area varchar not null,
    goal_type varchar not null,           -- progression | maintenance
    set_on date,
    weight double not null default 1,
    description varchar,                  -- free text, CPR numbers masked
    load_id varchar not null,
    row_no bigint not null,
    primary key (goal_id)
);

create table if not exists staging.goal_ratings (
    goal_id varchar not null,
    rated_on date not null,
    score integer not null,               -- GAS level -2..+2
    staff_id varchar,
    load_id varchar not null,
    row_no bigint not null,
    primary key (goal_id, rated_on)
);

create table if not exists staging.activities (
    course_id varchar not null,
    activity_date date not null,
    activity_type varchar not null,
    minutes double,
    staff_id varchar,
    load_id varchar not null,
    row_no bigint not null
);

create table if not exists staging.costs (
    intervention_id varchar not null,
    quarter varchar not null,             -- YYYY-Qn
    cost_type varchar not null,           -- staff | fixed | per_course
    amount_dkk double not null,
    hours double,
    load_id varchar not null,
    row_no bigint not null,
    primary key (intervention_id, quarter, cost_type)
);

create table if not exists staging.calibration_scores (
    workshop_id varchar not null,
    workshop_date date not null,
    staff_id varchar not null,
    instrument_id varchar not null,
    case_ref varchar not null,            -- '' when the export names no case
    item_no integer not null,
    value double,
    load_id varchar not null,
    row_no bigint not null,
    primary key (workshop_id, staff_id, instrument_id, case_ref, item_no)
);

-- ---------------------------------------------------------------- ingest bookkeeping

-- One row per record that could not be typed or mapped (one row per reason;
-- a record failing several rules has several rows but counts once in the load).
create table if not exists staging.quarantine (
    load_id varchar not null,
    source_id varchar not null,
    file_name varchar not null,
    sheet varchar,                        -- XLSX sheet, null for CSV and Parquet
    canonical_table varchar not null,     -- target table the record was meant for
    row_no bigint not null,               -- data record number (docs/canonical.md)
    item_no integer,                      -- wide layouts: the item whose cell failed
    column_name varchar,                  -- column in the export
    value varchar,                        -- value as received, CPR numbers masked
    rule varchar not null,                -- invalid_date | invalid_number | unknown_code | ...
    message varchar not null,
    quarantined_at timestamp not null
);

-- One row per loaded (or failed) file. rows_in = rows_staged + rows_unchanged
-- + rows_quarantined for every loaded file.
create table if not exists staging.loads (
    load_id varchar not null,             -- one per file: the unit of one transaction
    batch_id varchar not null,            -- one per ingest run (several files)
    source_id varchar,
    file_name varchar not null,
    sha256 varchar not null,
    started_at timestamp not null,
    finished_at timestamp,
    rows_in bigint not null default 0,    -- data records in the file (headers, trailer excluded)
    rows_staged bigint not null default 0,      -- new or changed records written to staging
    rows_unchanged bigint not null default 0,   -- records identical to what staging held
    rows_quarantined bigint not null default 0, -- records with at least one quarantined value
    cpr_masked bigint not null default 0, -- CPR numbers masked in the file (all fields)
    rows_removed bigint default 0,        -- re-export: old records it lacks, removed
    dependents_quarantined bigint default 0, -- rows referring to them, quarantined
    rows_flagged bigint default 0,        -- reexport keep_and_flag: old records kept
    status varchar not null,              -- loaded | replaced | failed
    error varchar,                        -- failed: one line naming file, line, column
    warnings varchar[],                   -- file-level warnings (trailer count, missing sheet ...)
    replaced_by varchar,                  -- replaced: load_id of the corrected re-export
    primary key (load_id)
);

-- The same counts per target table (an XLSX file fills several).
create table if not exists staging.load_tables (
    load_id varchar not null,
    file_name varchar not null,
    sheet varchar,
    canonical_table varchar not null,
    landing_table varchar,                -- measurement_forms for wide measurements
    rows_in bigint not null,
    rows_staged bigint not null,
    rows_unchanged bigint not null,
    rows_quarantined bigint not null,
    cpr_masked bigint not null,
    rows_removed bigint default 0,
    dependents_quarantined bigint default 0,
    rows_flagged bigint default 0
);

-- Typing helpers used by transforms/sql/staging/stg_*.sql.
-- clean_text: nullif(trim(s), ''), ASCII values unspaced at the ends kept as they are.
-- The fast path's first test is s >= '!' (strings compare by bytes): true when the
-- first byte is '!' or above, so false for an empty value and one that starts with a
-- space or a control character, which take the trim. That is a comparison with a
-- constant: starts_with(s, ' ') and s = '' cost about as much as the rest of the
-- macro together (0.3 s per million measurement records, typing 1.33 -> 1.09 s CPU).
-- strlen = length (ASCII only) sends every value with a character outside ASCII to
-- the trim (a Unicode space at either end is more than one byte).
create or replace macro staging.clean_text(s) as
case
    when s >= '!' and not ends_with(s, ' ') and strlen(s) = length(s) then s
    else nullif(trim(s), '')
end;

-- plausible_date: a parsed date (or timestamp) as a date, null before 1900: strptime's
-- %Y reads a two-digit year as it is ('01-01-24' is year 24) and any year from 1 on,
-- which no record of a citizen's course has. Such a value is then invalid_date.
create or replace macro staging.plausible_date(t) as
case when t >= timestamp '1900-01-01' then cast(t as date) end;

-- to_date: a text date in the source's strptime format from 1900 on, else null.
create or replace macro staging.to_date(s, date_format) as
staging.plausible_date(try_strptime(staging.clean_text(s), date_format));

-- number_text: cleaned text as a number literal. With decimal mark ',' the comma
-- is the decimal point and a '.' makes the value invalid (so '1.234,5' is never
-- misread as 1.2345). A text without a comma is returned as it is: replace copies
-- every value (0.03 s per million values).
-- An exponent ('1e3', Excel's '1,5E+06') is no number here either: an export writes
-- numbers out, and a spreadsheet that wrote one in scientific notation may have
-- rounded it (a long id shown as 1,23457E+11). The shortest is three characters, so
-- the search skips the one- and two-digit answers of a form (0.027 -> 0.005 s CPU per
-- million values).
create or replace macro staging.number_text(t, decimal_mark) as
case
    when strlen(t) > 2 and (contains(t, 'e') or contains(t, 'E')) then null
    when decimal_mark <> ',' then t
    when contains(t, '.') then null
    when contains(t, ',') then replace(t, ',', '.')
    else t
end;

-- finite: x unless it is NaN or infinite.
create or replace macro staging.finite(x) as
case when isfinite(x) then x end;

-- to_number: a finite number, else null.
create or replace macro staging.to_number(s, decimal_mark) as
staging.finite(try_cast(staging.number_text(staging.clean_text(s), decimal_mark) as double));

-- to_int: a whole number (3, 3.0 and 3,0 are 3; 3.5 is not a whole number), else null.
create or replace macro staging.whole(x) as
case when x = trunc(x) then try_cast(x as integer) end;

create or replace macro staging.to_int(s, decimal_mark) as
staging.whole(staging.to_number(s, decimal_mark));

-- code: an export code mapped to its canonical value by a map built from
-- config/sources.yaml value_codes (every canonical value also maps to itself);
-- null when the (trimmed) code is not in the map.
create or replace macro staging.code(codes, raw_value) as
map_extract_value(cast(codes as map (varchar, varchar)), staging.clean_text(raw_value));

-- n_items: the number of items of a (canonical) instrument id, by a map built from
-- config/instruments.yaml; null for an instrument the config does not know.
create or replace macro staging.n_items(item_counts, instrument_id) as
map_extract_value(cast(item_counts as map (varchar, integer)), instrument_id);

-- lookup: the same for text that is already cleaned.
create or replace macro staging.lookup(codes, clean_value) as
map_extract_value(cast(codes as map (varchar, varchar)), clean_value);

-- Quarantine helper: a problem struct, or null when there is no rule. detail is
-- added to the message (e.g. the first row of a duplicate key), may be null.
create or replace macro staging.problem(rule_name, column_name, raw_value, detail) as
case
    when rule_name is not null
        then {
            'rule': rule_name,
            'column': column_name,
            'value': raw_value,
            'detail': cast(detail as varchar)
        }
end;

-- ---------------------------------------------------------------- landing

-- Landing keeps every data record as received, as text: one table per canonical
-- table. A row holds the record's fields as one JSON array of text (fields; null
-- for an empty field), in the order of the columns of the view landing.<table>_fields,
-- which shows them under the canonical column names (the export's column names are
-- in config/sources.yaml); unmapped export columns are not kept (collect only what
-- is used). CPR numbers are masked in every field and citizen refs are replaced by
-- their keyed pseudonym before a row is written. Lineage: a row carries its load_id
-- and row_no (the record number in the export); what is the same for every row of
-- a load (source, file name, checksum, time, sheet) is stored once, in
-- staging.loads and staging.load_tables, and the view landing.lineage shows it.
-- Why one text column: DuckDB writes one column of a million records in about a
-- third of the time it takes for nine (each column is analysed for compression),
-- and five constant lineage columns per row cost about 0.25 s more.
-- (transforms.ingest.load builds fields from the columns of the _fields view, so
-- the two cannot disagree; datadialog.db turns landing tables of an older layout,
-- a column per field, into this one.) The tables themselves are made by landing.sql
-- (applied before this file): their fields column names its compression there.

create schema if not exists landing;

-- The CPR masking macros (landing.cpr_regex, mask_cpr, count_cpr) are in cpr.sql.

create or replace view landing.citizens_fields as
select
    load_id,
    row_no,
    fields ->> 0 as citizen_id,           -- keyed pseudonym of the export's citizen ref
    fields ->> 1 as gender,
    fields ->> 2 as birth_year
from landing.citizens;

create or replace view landing.courses_fields as
select
    load_id,
    row_no,
    fields ->> 0 as course_ref,
    fields ->> 1 as citizen_id,           -- keyed pseudonym of the export's citizen ref
    fields ->> 2 as intervention_id,
    fields ->> 3 as variant,
    fields ->> 4 as team_id,
    fields ->> 5 as start_date,
    fields ->> 6 as end_date,
    fields ->> 7 as end_reason
from landing.courses;

create or replace view landing.registrations_fields as
select
    load_id,
    row_no,
    fields ->> 0 as course_ref,
    fields ->> 1 as registered_on,
    fields ->> 2 as stage,                -- noqa: RF04
    fields ->> 3 as field,                -- noqa: RF04
    fields ->> 4 as value                 -- noqa: RF04
from landing.registrations;

-- long layout: one record per item answer
create or replace view landing.measurements_fields as
select
    load_id,
    row_no,
    fields ->> 0 as form_ref,
    fields ->> 1 as course_ref,
    fields ->> 2 as instrument_id,
    fields ->> 3 as measured_on,
    fields ->> 4 as staff_id,
    fields ->> 5 as rater_role,
    fields ->> 6 as item_no,
    fields ->> 7 as value,                -- noqa: RF04
    fields ->> 8 as note,
    fields ->> 9 as point_label
from landing.measurements;

-- wide layout: one record per form, the answers keyed by item number
create or replace view landing.measurement_forms_fields as
select
    items,
    load_id,
    row_no,
    fields ->> 0 as form_ref,
    fields ->> 1 as course_ref,
    fields ->> 2 as instrument_id,
    fields ->> 3 as measured_on,
    fields ->> 4 as staff_id,
    fields ->> 5 as rater_role,
    fields ->> 6 as note,
    fields ->> 7 as point_label
from landing.measurement_forms;

create or replace view landing.goals_fields as
select
    load_id,
    row_no,
    fields ->> 0 as goal_ref,
    fields ->> 1 as course_ref,
    fields ->> 2 as life_area,
    fields ->> 3 as goal_type,
    fields ->> 4 as set_on,
    fields ->> 5 as weight,
    fields ->> 6 as description
from landing.goals;

create or replace view landing.goal_ratings_fields as
select
    load_id,
    row_no,
    fields ->> 0 as goal_ref,
    fields ->> 1 as rated_on,
    fields ->> 2 as score,
    fields ->> 3 as staff_id
from landing.goal_ratings;

create or replace view landing.activities_fields as
select
    load_id,
    row_no,
    fields ->> 0 as course_ref,
    fields ->> 1 as activity_date,
    fields ->> 2 as activity_type,
    fields ->> 3 as minutes,
    fields ->> 4 as staff_id
from landing.activities;

create or replace view landing.costs_fields as
select
    load_id,
    row_no,
    fields ->> 0 as intervention_id,
    fields ->> 1 as quarter,              -- noqa: RF04
    fields ->> 2 as cost_type,
    fields ->> 3 as amount_dkk,
    fields ->> 4 as hours                 -- noqa: RF04
from landing.costs;

create or replace view landing.calibration_scores_fields as
select
    load_id,
    row_no,
    fields ->> 0 as workshop_id,
    fields ->> 1 as workshop_date,
    fields ->> 2 as staff_id,
    fields ->> 3 as instrument_id,
    fields ->> 4 as case_ref,
    fields ->> 5 as item_no,
    fields ->> 6 as value                 -- noqa: RF04
from landing.calibration_scores;

alter table staging.load_tables add column if not exists landing_table varchar;


-- The lineage of landing rows: one row per load and landing table, joined to a
-- landing table on load_id (and, for measurements, on the table's name), e.g.
--   select r.*, l.file_name, l.sha256, l.loaded_at
--   from landing.measurements as r
--   inner join landing.lineage as l
--       on r.load_id = l.load_id and l.landing_table = 'measurements'
create or replace view landing.lineage as
with

loads as (
    select * from staging.loads
),

load_tables as (
    select * from staging.load_tables
),

final as (
    select
        loads.load_id,
        loads.source_id,
        loads.file_name,
        load_tables.sheet,
        loads.sha256,
        loads.started_at as loaded_at,
        loads.status,
        coalesce(load_tables.landing_table, load_tables.canonical_table) as landing_table
    from loads
    inner join load_tables on loads.load_id = load_tables.load_id
)

select * from final;

-- Loads made before load_tables.landing_table existed: wide measurement forms are
-- recognised by their rows in landing.measurement_forms (other tables land under
-- their canonical name, which the view above falls back to).
update staging.load_tables
set landing_table = 'measurement_forms'
where
    landing_table is null
    and canonical_table = 'measurements'
    and load_id in (select forms.load_id from landing.measurement_forms as forms);
