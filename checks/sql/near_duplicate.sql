-- rule: near_duplicate
-- table: staging.measurements
-- checked: chk_forms
-- figures: mart_progression_by_point, mart_citizen_progression
-- description: Two forms of the same course and instrument, at most near_duplicate_days
--   apart, whose answers are mostly equal: at least near_duplicate_equal_share of the
--   items both answered (and at least near_duplicate_min_items such items) differ by no
--   more than near_duplicate_item_tolerance x the item range. The same measurement
--   registered twice, identical or with small typing differences. The later form of the
--   pair (by date, then form id) is listed, naming the earlier one.
-- fix: Delete the extra copy in the source system (keep the one with the right date).

with

forms as (
    select * from chk_forms
),

measurements as (
    select * from chk_measurements
),

instruments as (
    select * from ref.instruments
),

params as (
    select * from chk_params
),

-- the pairs found on the forms' keys and dates alone, then the later form's other
-- columns joined to the few found: the self-join of 900 000 forms at 100 000 courses
-- (1.6 million matches on course and instrument) carried every column before
form_keys as (
    select
        form_id,
        course_id,
        instrument_id,
        measured_on
    from forms
),

pair_keys as (
    select
        later.form_id,
        earlier.form_id as earlier_form_id,
        abs(date_diff('day', earlier.measured_on, later.measured_on)) as days_apart
    from form_keys as later
    inner join form_keys as earlier
        on
            later.course_id = earlier.course_id
            and later.instrument_id = earlier.instrument_id
            -- earlier by date, then form id; spelt out in plain comparisons: as one
            -- row comparison it cost 0.77 s at 100 000 courses and misled the planner
            -- into hashing all 7 M measurements for pair_items
            and earlier.measured_on <= later.measured_on
            and (earlier.measured_on < later.measured_on or earlier.form_id < later.form_id)
    cross join params
    where date_diff('day', earlier.measured_on, later.measured_on)
        <= params.near_duplicate_days
),

pairs as (
    select
        later.form_id,
        pair_keys.earlier_form_id,
        later.course_id,
        later.instrument_id,
        later.intervention_id,
        later.team_id,
        later.staff_id,
        later.measured_on,
        pair_keys.days_apart,
        later.file_name,
        later.row_no
    from pair_keys
    inner join forms as later on pair_keys.form_id = later.form_id
),

pair_forms as (
    select form_id from pairs
    union
    select earlier_form_id from pairs
),

pair_items as (
    select measurements.*
    from measurements
    semi join pair_forms on measurements.form_id = pair_forms.form_id
    where measurements.value is not null
),

compared as (
    select
        pairs.form_id,
        pairs.earlier_form_id,
        count(*) as n_common,
        count(*) filter (where a.value = b.value) as n_identical,
        count(*) filter (
            where abs(a.value - b.value)
            <= params.near_duplicate_item_tolerance * (instruments.item_max - instruments.item_min)
        ) as n_equal
    from pairs
    inner join pair_items as a on pairs.form_id = a.form_id
    inner join pair_items as b
        on pairs.earlier_form_id = b.form_id and a.item_no = b.item_no
    inner join instruments on pairs.instrument_id = instruments.instrument_id
    cross join params
    group by pairs.form_id, pairs.earlier_form_id
),

matches as (
    select
        pairs.*,
        compared.n_common,
        compared.n_identical,
        compared.n_equal,
        compared.n_equal / compared.n_common as equal_share
    from pairs
    inner join compared
        on
            pairs.form_id = compared.form_id
            and pairs.earlier_form_id = compared.earlier_form_id
    cross join params
    where
        compared.n_common >= params.near_duplicate_min_items
        and compared.n_equal / compared.n_common >= params.near_duplicate_equal_share
    qualify row_number() over (
        partition by pairs.form_id
        order by compared.n_equal / compared.n_common desc, pairs.days_apart, pairs.earlier_form_id
    ) = 1
),

final as (
    select
        'near_duplicate' as rule_id,
        chk_severity('near_duplicate') as severity,
        'staging.measurements' as table_name,
        intervention_id,
        team_id,
        staff_id,
        course_id,
        form_id,
        instrument_id,
        measured_on as event_date,
        equal_share as observed,
        case
            when n_identical = n_common and days_apart = 0
                then 'identical copy of form ' || earlier_form_id || ' on the same day'
            else 'near copy of form ' || earlier_form_id || ' (' || days_apart || ' days apart, '
                || n_identical || ' of ' || n_common || ' answers identical, ' || n_equal
                || ' within tolerance)'
        end as reason,
        file_name,
        row_no
    from matches
)

select * from final
