-- Canonical staging tables (see docs/canonical.md). Created once per database;
-- ingest fills them, the intermediate and mart models read them.
-- Every table carries lineage: load_id, source_id, file_name, row_no.

create schema if not exists staging;

create table if not exists staging.citizens (
    -- ids
    citizen_id varchar not null,          -- keyed pseudonym, never the source id
    -- attributes
    gender varchar,                       -- female | male | other
    birth_year integer,
    -- lineage
    load_id varchar not null,
    source_id varchar not null,
    file_name varchar not null,
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
    source_id varchar not null,
    file_name varchar not null,
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
    source_id varchar not null,
    file_name varchar not null,
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
    source_id varchar not null,
    file_name varchar not null,
    row_no bigint not null,
    primary key (form_id, item_no)
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
    source_id varchar not null,
    file_name varchar not null,
    row_no bigint not null,
    primary key (goal_id)
);

create table if not exists staging.goal_ratings (
    goal_id varchar not null,
    rated_on date not null,
    score integer not null,               -- GAS level -2..+2
    staff_id varchar,
    load_id varchar not null,
    source_id varchar not null,
    file_name varchar not null,
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
    source_id varchar not null,
    file_name varchar not null,
    row_no bigint not null
);

create table if not exists staging.costs (
    intervention_id varchar not null,
    quarter varchar not null,             -- YYYY-Qn
    cost_type varchar not null,           -- staff | fixed | per_course
    amount_dkk double not null,
    hours double,
    load_id varchar not null,
    source_id varchar not null,
    file_name varchar not null,
    row_no bigint not null,
    primary key (intervention_id, quarter, cost_type)
);

create table if not exists staging.calibration_scores (
    workshop_id varchar not null,
    workshop_date date not null,
    staff_id varchar not null,
    instrument_id varchar not null,
    case_ref varchar,
    item_no integer not null,
    value double,
    load_id varchar not null,
    source_id varchar not null,
    file_name varchar not null,
    row_no bigint not null,
    primary key (workshop_id, staff_id, instrument_id, item_no)
);
