-- Reference tables (schema ref), rewritten from the typed config at every build by
-- transforms/reference.py. Models read config facts only from here, never from YAML.

create schema if not exists ref;

-- one row per instrument
create or replace table ref.instruments (
    instrument_id varchar not null primary key,
    instrument_name varchar not null,
    kind varchar not null,                  -- validated | dialogue | fidelity
    rater varchar not null,                 -- default rater role when a form carries none
    n_items integer not null,
    item_min double not null,
    item_max double not null,
    scoring varchar not null,               -- sum | mean | mean_x10 | gas
    direction varchar not null,             -- higher_is_better | higher_is_worse
    direction_sign integer not null,        -- +1 higher is better, -1 higher is worse
    max_missing_items integer not null,
    reliable_change_points double,          -- published reliable change (points), else null
    items_per_subject boolean not null,     -- items follow subjects (goals, core elements)
    gas_rho double not null,
    is_goal_instrument boolean not null,    -- receives the T-scores computed from goal ratings
    instrument_order integer not null
);

-- one row per instrument and item (1..n_items)
create or replace table ref.instrument_items (
    instrument_id varchar not null,
    item_no integer not null,
    is_reversed boolean not null,           -- scored as item_min + item_max - answer
    is_in_total boolean not null,           -- counted in the total score
    primary key (instrument_id, item_no)
);

-- one row per instrument and scale ('total' and every subscale)
create or replace table ref.scales (
    instrument_id varchar not null,
    scale_id varchar not null,
    is_total boolean not null,
    n_scale_items integer not null,
    scale_order integer not null,
    primary key (instrument_id, scale_id)
);

-- one row per instrument, scale and member item
create or replace table ref.scale_items (
    instrument_id varchar not null,
    scale_id varchar not null,
    item_no integer not null,
    primary key (instrument_id, scale_id, item_no)
);

-- one row per instrument and norm group
create or replace table ref.norm_groups (
    instrument_id varchar not null,
    norm_group varchar not null,
    cutoff double,                          -- clinical cut-off on the total (points)
    sd double,                              -- baseline SD of the total (points)
    reliability double,                     -- reliability r of the total (0-1)
    primary key (instrument_id, norm_group)
);

-- one row per instrument, norm group and band (lowest first)
create or replace table ref.bands (
    instrument_id varchar not null,
    norm_group varchar not null,
    band_order integer not null,
    band_label varchar not null,
    band_min double not null,               -- inclusive
    band_max double not null,               -- inclusive
    next_band_min double,                   -- a score below this (in a gap) stays in this band
    primary key (instrument_id, norm_group, band_order)
);

-- one row per intervention
create or replace table ref.interventions (
    intervention_id varchar not null primary key,
    intervention_name varchar not null,
    target_group varchar not null,
    norm_group varchar not null,
    intervention_order integer not null
);

-- one row per intervention and variant
create or replace table ref.variants (
    intervention_id varchar not null,
    variant varchar not null,
    variant_order integer not null,
    primary key (intervention_id, variant)
);

-- one row per intervention and core element; element_no is the KiK item number
create or replace table ref.core_elements (
    intervention_id varchar not null,
    element_no integer not null,
    core_element_id varchar not null,
    core_element_name varchar not null,
    reflection_question varchar,
    primary key (intervention_id, element_no)
);

-- one row per life area
create or replace table ref.life_areas (
    life_area_id varchar not null primary key,
    life_area_name varchar not null,
    area_order integer not null
);

-- one row per intervention, measurement point and instrument
create or replace table ref.measurement_plan (
    intervention_id varchar not null,
    point_id varchar not null,
    point_order integer not null,           -- order of first appearance in the plan
    instrument_id varchar not null,
    anchor varchar not null,                -- start | end
    offset_days integer not null,
    tolerance_days integer not null,
    repeat_every_days integer,
    before_start_grace_days integer,        -- NULL: quality.before_start_grace_days
    after_end_grace_days integer,           -- NULL: follow-up window, else quality's
    primary key (intervention_id, point_id, instrument_id)
);

-- one row per goal attainment category
create or replace table ref.goal_categories (
    category varchar not null primary key,
    category_order integer not null
);

-- one row per age band (age in whole years at course start, inclusive)
create or replace table ref.age_bands (
    age_band varchar not null primary key,
    min_age integer not null,
    max_age integer not null,
    band_order integer not null
);

-- one row per fidelity level, by position of the mean score in the item range (0-1)
create or replace table ref.fidelity_levels (
    fidelity_level varchar not null primary key,
    min_position double not null,           -- inclusive
    max_position double not null,           -- exclusive, except 1.0 for the top level
    level_order integer not null
);

-- exactly one row: build-wide settings
create or replace table ref.settings (
    small_cell_k integer not null,          -- hide aggregated cells with fewer citizens
    reliable_change_z double not null,      -- |RC| above this is reliable change
    confidence_z double not null,           -- normal quantile of the 95 % intervals
    point_window_factor double not null,    -- assignment window = tolerance x factor
    as_of_date date not null                -- date due/overdue statuses are judged on
);

-- exactly one row: expected course and off-course flags (config expected_course)
create or replace table ref.expected_course_settings (
    min_reference_courses integer not null, -- fewer reference courses: the RCI rule flags
    band_z double not null,                 -- band edge, robust residual SDs below expected
    intake_bands integer not null,          -- intake quantile bands in mart_expected_course
    validation_share double not null,       -- newest share of closed courses held out
    alliance_instrument varchar,            -- instrument read as the alliance signal
    alliance_drop_points double not null,   -- a fall this large since last time is a signal
    robust_sd_factor double not null        -- MAD x this = SD under normality (1.4826)
);

-- exactly one row: how the citizen-level agenda is chosen (config agenda)
create or replace table ref.agenda_settings (
    alliance_instrument_id varchar,         -- latest score below its cut-off: low alliance
    long_course_days integer not null       -- an open course older than this is long (days)
);

-- one row per intervention with cost rates in the config (costs.rates)
create or replace table ref.cost_rates (
    intervention_id varchar not null primary key,
    hourly_rate_dkk double not null,        -- cost of one staff hour (DKK)
    fixed_per_quarter_dkk double not null   -- fixed cost per quarter (DKK)
);

-- exactly one row: cost model settings (config costs)
create or replace table ref.cost_settings (
    currency varchar not null,              -- currency of all amounts (DKK)
    -- hide a cost total when one course makes up more than this share of it (0-1)
    dominance_share double not null
);
