-- model: int_form_points
-- grain: one row per form, scored or not (int_scale_scores forms, incl. goal-rating
--   dates): the form's header and which planned measurement point of its course it
--   belongs to.
-- Rule: candidates are the course's planned points for the form's instrument with a
--   known due date and |measured_on - due_date| <= window_days; the nearest wins (ties:
--   the earlier point). timing_status: on_time (within tolerance_days), early / late
--   (outside tolerance but inside the window), unplanned (no candidate).
-- If several forms land on the same point, the point's primary form is the one with a
--   total score, then the nearest to the due date, then the earliest, then lowest id.
--   Aggregates per point read primary forms only.
-- columns:
--   form_id: form id
--   score_source: form | goal_ratings
--   course_id: course id
--   instrument_id: instrument id
--   measured_on: date of the form
--   staff_id: staff member who collected or rated
--   rater_role: citizen | staff | parent | teacher
--   is_citizen_rated: true when the citizen rated
--   point_id: assigned measurement point (NULL when unplanned)
--   point_order: order of the point in the plan (NULL when unplanned)
--   occurrence_no: occurrence of a repeating point (0 otherwise; NULL when unplanned)
--   due_date: due date of the assigned point
--   days_from_due: measured_on - due_date in days (negative = early)
--   timing_status: on_time | early | late | unplanned
--   is_point_primary: true for the one form per course, instrument and point used in
--     aggregates

with

scale_scores as (
    select * from int_scale_scores
),

planned as (
    select * from int_planned_points
),

-- every form has exactly one total-scale row
forms as (
    select
        form_id,
        score_source,
        course_id,
        instrument_id,
        measured_on,
        staff_id,
        rater_role,
        is_citizen_rated,
        score is not null as has_total_score
    from scale_scores
    where is_total
),

candidates as (
    select
        forms.form_id,
        planned.point_id,
        planned.point_order,
        planned.occurrence_no,
        planned.due_date,
        planned.tolerance_days,
        date_diff('day', planned.due_date, forms.measured_on) as days_from_due
    from forms
    inner join planned
        on
            forms.course_id = planned.course_id
            and forms.instrument_id = planned.instrument_id
    where
        planned.due_date is not null
        and abs(date_diff('day', planned.due_date, forms.measured_on)) <= planned.window_days
),

nearest as (
    select * from candidates
    qualify row_number() over (
        partition by form_id
        order by abs(days_from_due), point_order, occurrence_no
    ) = 1
),

assigned as (
    select
        forms.form_id,
        forms.score_source,
        forms.course_id,
        forms.instrument_id,
        forms.measured_on,
        forms.staff_id,
        forms.rater_role,
        forms.is_citizen_rated,
        forms.has_total_score,
        nearest.point_id,
        nearest.point_order,
        nearest.occurrence_no,
        nearest.due_date,
        nearest.days_from_due,
        case
            when nearest.point_id is null then 'unplanned'
            when abs(nearest.days_from_due) <= nearest.tolerance_days then 'on_time'
            when nearest.days_from_due < 0 then 'early'
            else 'late'
        end as timing_status
    from forms
    left join nearest on forms.form_id = nearest.form_id
),

final as (
    select
        form_id,
        score_source,
        course_id,
        instrument_id,
        measured_on,
        staff_id,
        rater_role,
        is_citizen_rated,
        point_id,
        point_order,
        occurrence_no,
        due_date,
        days_from_due,
        timing_status,
        point_id is not null
        and row_number() over (
            partition by course_id, instrument_id, point_id, occurrence_no
            order by
                has_total_score desc, abs(days_from_due) asc, measured_on asc, form_id asc
        ) = 1 as is_point_primary
    from assigned
)

select * from final
