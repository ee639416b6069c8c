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
    where is_header_conflict
),

measurements as (
    select * from chk_measurements
),

conflict_rows as (
    select measurements.*
    from measurements
    semi join forms on measurements.form_id = forms.form_id
),

fields as (
    select
        form_id,
        list_filter(
            [
                case when count(distinct course_id) > 1 then 'course' end,
                case when count(distinct instrument_id) > 1 then 'instrument' end,
                case when count(distinct measured_on) > 1 then 'date' end,
                case when count(distinct staff_id) > 1 then 'staff member' end,
                case when count(distinct rater_role) > 1 then 'rater' end,
                case
                    when
                        count(*) filter (where staff_id is null) between 1 and count(*) - 1
                        or count(*) filter (where rater_role is null) between 1 and count(*) - 1
                        then 'blank staff member or rater'
                end
            ],
            x -> x is not null
        ) as fields
    from conflict_rows
    group by form_id
),

final as (
    select
        'form_header_conflict' as rule_id,
        chk_severity('form_header_conflict') as severity,
        'staging.measurements' as table_name,
        forms.intervention_id,
        forms.team_id,
        forms.course_id,
        forms.form_id,
        forms.instrument_id,
        forms.measured_on as event_date,
        'the rows of form ' || forms.form_id || ' disagree on: '
        || array_to_string(fields.fields, ', ') as reason,
        forms.file_name,
        forms.row_no
    from forms
    inner join fields on forms.form_id = fields.form_id
)

select * from final
