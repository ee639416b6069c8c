-- Data-quality results (schema quality), written by checks/run.py: one row in
-- quality.runs per check run; per rule and table its counts (quality.results); every
-- failing row with rule and reason (quality.failures); and the rates and agreement
-- figures the quality report draws as trends across runs (quality.metrics).
-- Kept across runs (create ... if not exists); a run appends, and removes the failing
-- rows of its scope's runs older than the newest quality.failing_rows_kept_runs (their
-- counts stay: checks/sql/runner/prune_failures.sql).

create schema if not exists quality;

create table if not exists quality.runs (
    run_id varchar not null primary key,  -- yyyymmddThhmmss + short random suffix
    started_at timestamp not null,
    finished_at timestamp,
    as_of_date date not null,             -- date due, late and future are judged on
    scope_kind varchar not null,          -- organisation | intervention | team
    scope_id varchar,                     -- intervention or team id (NULL: everything)
    n_rules integer,                      -- rule x table results written
    n_failed_rules integer,               -- results with at least one failing row
    n_errors bigint,                      -- failing rows with severity error
    n_warnings bigint,                    -- failing rows with severity warning
    n_blocked_scopes integer,             -- scopes whose decks the gate blocks
    settings_json varchar not null,       -- the thresholds and severities used
    seconds double
);

create table if not exists quality.results (
    run_id varchar not null,
    rule_id varchar not null,             -- e.g. out_of_range, missing_measurement
    table_name varchar not null,          -- table or model the rule checks
    severity varchar not null,            -- error | warning | info
    n_checked bigint not null,            -- rows (forms, points ...) the rule looked at
    n_failed bigint not null,             -- failing rows
    failure_rate double,                  -- n_failed / n_checked (NULL when nothing checked)
    status varchar not null,              -- pass | fail (error) | warn (warning) | info
    description varchar,                  -- what the rule checks
    fix varchar,                          -- what to do about a failure
    seconds double,
    primary key (run_id, rule_id, table_name)
);

create table if not exists quality.failures (
    run_id varchar not null,
    rule_id varchar not null,
    severity varchar not null,
    table_name varchar not null,
    -- keys (whichever apply to the rule's grain)
    intervention_id varchar,
    team_id varchar,
    staff_id varchar,
    course_id varchar,
    form_id varchar,
    instrument_id varchar,
    item_no integer,
    point_id varchar,
    -- what failed
    event_date date,                      -- the date of the failing row (form, due date)
    observed double,                      -- the value that failed (answer, z, share ...)
    reason varchar not null,
    -- lineage back to the export
    file_name varchar,
    row_no bigint
);

create table if not exists quality.metrics (
    run_id varchar not null,
    metric_id varchar not null,           -- completeness | timeliness | calibration_alpha ...
    -- group_kind: all | intervention | team | staff | month | instrument | item | point_pair
    group_kind varchar not null,
    group_id varchar not null,            -- the group's id ('all' for group_kind all)
    numerator double,
    denominator double,
    value double,                         -- the rate, alpha or difference
    ci_low double,                        -- 95 % interval where the metric has one
    ci_high double,
    target double,                        -- the target or threshold it is judged against
    is_below_target boolean               -- true when the metric misses its target
);
