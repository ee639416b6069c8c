-- rule: form_header_conflict
-- table: staging.measurements
-- checked: chk_forms
-- figures: all
-- description: The item rows of one form disagree on its course, instrument, date, staff
--   member or rater, so it is unclear whose measurement it is and when.
-- fix: Correct the form in the source system so all its answers carry the same header.

with

measurements as (
    select * from chk_measurements
),

conflicts as (
    select
        form_id,
        min(course_id) as course_id,
        min(instrument_id) as instrument_id,
        min(measured_on) as measured_on,
        min(intervention_id) as intervention_id,
        min(team_id) as team_id,
        list_filter(
            [
                case when count(distinct course_id) > 1 then 'course' end,
                case when count(distinct instrument_id) > 1 then 'instrument' end,
                case when count(distinct measured_on) > 1 then 'date' end,
                case when count(distinct staff_id) > 1 then 'staff member' end,
                case when count(distinct rater_role) > 1 then 'rater' end
            ],
            x -> x is not null
        ) as fields,
        arg_min(file_name, row_no) as file_name,
        min(row_no) as row_no
    from measurements
    group by form_id
    having
        count(distinct course_id) > 1
        or count(distinct instrument_id) > 1
        or count(distinct measured_on) > 1
        or count(distinct staff_id) > 1
        or count(distinct rater_role) > 1
),

final as (
    select
        'form_header_conflict' as rule_id,
        chk_severity('form_header_conflict') as severity,
        'staging.measurements' as table_name,
        intervention_id,
        team_id,
        course_id,
        form_id,
        instrument_id,
        measured_on as event_date,
        'the rows of form ' || form_id || ' disagree on: ' || array_to_string(fields, ', ')
            as reason,
        file_name,
        row_no
    from conflicts
)

select * from final
