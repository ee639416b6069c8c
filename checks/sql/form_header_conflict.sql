-- rule: form_header_conflict
-- table: staging.measurements
-- checked: chk_forms
-- figures: all
-- description: The item rows of one form disagree on its course, instrument, date, staff
--   member or rater, so it is unclear whose measurement it is and when.
-- fix: Correct the form in the source system so all its answers carry the same header.

with

forms as (
    select * from chk_forms
),

conflicts as (
    select
        *,
        list_filter(
            [
                case when is_course_conflict then 'course' end,
                case when is_instrument_conflict then 'instrument' end,
                case when is_date_conflict then 'date' end,
                case when is_staff_conflict then 'staff member' end,
                case when is_rater_conflict then 'rater' end
            ],
            x -> x is not null
        ) as fields
    from forms
    where
        is_course_conflict
        or is_instrument_conflict
        or is_date_conflict
        or is_staff_conflict
        or is_rater_conflict
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
