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

forms as (
    select * from chk_forms
),

instruments as (
    select * from ref.instruments
),

params as (
    select * from chk_params
),

final as (
    select
        'straight_lined' as rule_id,
        chk_severity('straight_lined') as severity,
        'staging.measurements' as table_name,
        forms.intervention_id,
        forms.team_id,
        forms.staff_id,
        forms.course_id,
        forms.form_id,
        forms.instrument_id,
        forms.measured_on as event_date,
        forms.min_value as observed,
        'all ' || forms.n_answered || ' answered items are ' || forms.min_value as reason,
        forms.file_name,
        forms.row_no
    from forms
    inner join instruments on forms.instrument_id = instruments.instrument_id
    cross join params
    where
        not instruments.items_per_subject
        and instruments.n_items >= params.straight_line_min_items
        and forms.n_answered >= params.straight_line_min_items
        and forms.min_value = forms.max_value
)

select * from final
