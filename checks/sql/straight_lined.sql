-- rule: straight_lined
-- table: staging.measurements
-- checked: chk_forms
-- figures: mart_progression_by_point, mart_target_group_at_start, mart_citizen_item_responses
-- description: Every answered item of a form has the same value, on an instrument with at
--   least straight_line_min_items items and with at least that many answered (GAS and
--   KiK, whose items follow goals and core elements, are left out): the form may have
--   been filled in without reading the items.
-- fix: Talk with the staff member who collected it; re-do the measurement if it was not
--   answered item by item.

with

measurements as (
    select * from chk_measurements
),

instruments as (
    select * from ref.instruments
),

params as (
    select * from chk_params
),

per_form as (
    select
        measurements.form_id,
        min(measurements.course_id) as course_id,
        min(measurements.instrument_id) as instrument_id,
        min(measurements.measured_on) as measured_on,
        min(measurements.staff_id) as staff_id,
        min(measurements.intervention_id) as intervention_id,
        min(measurements.team_id) as team_id,
        count(measurements.value) as n_answered,
        min(measurements.value) as min_value,
        max(measurements.value) as max_value,
        arg_min(measurements.file_name, measurements.row_no) as file_name,
        min(measurements.row_no) as row_no
    from measurements
    group by measurements.form_id
),

final as (
    select
        'straight_lined' as rule_id,
        chk_severity('straight_lined') as severity,
        'staging.measurements' as table_name,
        per_form.intervention_id,
        per_form.team_id,
        per_form.staff_id,
        per_form.course_id,
        per_form.form_id,
        per_form.instrument_id,
        per_form.measured_on as event_date,
        per_form.min_value as observed,
        'all ' || per_form.n_answered || ' answered items are ' || per_form.min_value as reason,
        per_form.file_name,
        per_form.row_no
    from per_form
    inner join instruments on per_form.instrument_id = instruments.instrument_id
    cross join params
    where
        not instruments.items_per_subject
        and instruments.n_items >= params.straight_line_min_items
        and per_form.n_answered >= params.straight_line_min_items
        and per_form.min_value = per_form.max_value
)

select * from final
