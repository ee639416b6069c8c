-- Every failing row of run $1, numbered per rule (failure_no: the row's anchor on the
-- rule's page), with the export file and record it came from.

with

failures as (
    select * from quality.failures
    where run_id = $1
),

final as (
    select
        rule_id,
        severity,
        table_name,
        intervention_id,
        team_id,
        staff_id,
        course_id,
        form_id,
        instrument_id,
        item_no,
        point_id,
        cast(event_date as date) as event_on,
        observed,
        reason,
        file_name,
        row_no,
        row_number() over (
            partition by rule_id
            order by
                table_name, intervention_id, team_id, course_id, event_date, form_id,
                instrument_id, item_no, point_id, staff_id, file_name, row_no
        ) as failure_no
    from failures
    order by rule_id, failure_no
)

select * from final
