-- model: int_form_points
-- grain: one row per form, scored or not (int_scale_scores forms, incl. goal-rating
--   dates): the form's header and which planned measurement point of its course it
--   belongs to.
-- incremental: course_id
-- Rule: candidates are the course's planned points for the form's instrument with a
--   known due date and |measured_on - due_date| <= window_days; the nearest wins (ties:
--   the earlier point). timing_status: on_time (within tolerance_days), early / late
--   (outside tolerance but inside the window), unplanned (no candidate).
-- A form whose export names its point (a point label mapped by value_codes to
--   staging.measurements.point_id) takes that point when the course's plan has it for
--   the instrument (the nearest occurrence of a repeating point), whatever its date;
--   is_label_off_window says the date lies outside the point's window (a warning in
--   the quality run). The other forms are placed by date as above.
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
--   labelled_point_id: the point the export's label names (NULL without a label)
--   is_label_off_window: true when the form's label placed it on a point whose window
--     its date lies outside (false otherwise)
--   is_point_primary: true for the one form per course, instrument and point used in
--     aggregates

with

scale_scores as (
    select * from int_scale_scores
),

planned as (
    select * from int_planned_points
),

point_labels as (
    select
        form_id,
        any_value(point_id) as labelled_point_id
    from staging.measurements
    where point_id is not null
    group by form_id
),

-- every form has exactly one total-scale row
all_forms as (
    select
        scale_scores.form_id,
        scale_scores.score_source,
        scale_scores.course_id,
        scale_scores.instrument_id,
        scale_scores.measured_on,
        scale_scores.staff_id,
        scale_scores.rater_role,
        scale_scores.is_citizen_rated,
        point_labels.labelled_point_id,
        scale_scores.score is not null as has_total_score
    from scale_scores
    left join point_labels
        on
            scale_scores.form_id = point_labels.form_id
            and scale_scores.score_source = 'form'
    where scale_scores.is_total
),

-- forms placed by their label: the labelled point of the course's plan, its nearest
-- occurrence
labelled as (
    select
        all_forms.form_id,
        planned.point_id,
        planned.point_order,
        planned.occurrence_no,
        planned.due_date,
        planned.tolerance_days,
        date_diff('day', planned.due_date, all_forms.measured_on) as days_from_due,
        abs(date_diff('day', planned.due_date, all_forms.measured_on))
        > planned.window_days as is_label_off_window
    from all_forms
    inner join planned
        on
            all_forms.course_id = planned.course_id
            and all_forms.instrument_id = planned.instrument_id
            and all_forms.labelled_point_id = planned.point_id
    where planned.due_date is not null
    qualify
        row_number() over (
            partition by all_forms.form_id
            order by
                abs(date_diff('day', planned.due_date, all_forms.measured_on)),
                planned.occurrence_no
        ) = 1
),

-- the forms placed by date
forms as (
    select all_forms.* from all_forms
    anti join labelled on all_forms.form_id = labelled.form_id
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

-- forms and points of a course and instrument in date order; when every k-th form lies
-- within the window of the k-th point (and there are no more forms than points), the
-- order decides, so a late mid form is not taken for an early end form
ranked_forms as (
    select
        form_id,
        course_id,
        instrument_id,
        measured_on,
        row_number() over (
            partition by course_id, instrument_id order by measured_on, form_id
        ) as form_rank,
        count(*) over (partition by course_id, instrument_id) as n_forms
    from forms
),

ranked_points as (
    select
        course_id,
        instrument_id,
        point_id,
        point_order,
        occurrence_no,
        due_date,
        tolerance_days,
        window_days,
        row_number() over (
            partition by course_id, instrument_id order by due_date, point_order, occurrence_no
        ) as point_rank,
        count(*) over (partition by course_id, instrument_id) as n_points
    from planned
    where due_date is not null
),

in_sequence as (
    select
        ranked_forms.form_id,
        ranked_forms.course_id,
        ranked_forms.instrument_id,
        ranked_points.point_id,
        ranked_points.point_order,
        ranked_points.occurrence_no,
        ranked_points.due_date,
        ranked_points.tolerance_days,
        ranked_forms.n_forms as n_forms_total,
        date_diff('day', ranked_points.due_date, ranked_forms.measured_on) as days_from_due,
        ranked_forms.n_forms <= ranked_points.n_points
        and abs(date_diff('day', ranked_points.due_date, ranked_forms.measured_on))
        <= ranked_points.window_days as fits
    from ranked_forms
    inner join ranked_points
        on
            ranked_forms.course_id = ranked_points.course_id
            and ranked_forms.instrument_id = ranked_points.instrument_id
            and ranked_forms.form_rank = ranked_points.point_rank
),

sequence_ok as (
    select
        course_id,
        instrument_id
    from in_sequence
    group by course_id, instrument_id
    having bool_and(fits) and count(*) = any_value(n_forms_total)
),

nearest as (
    select
        candidates.form_id,
        candidates.point_id,
        candidates.point_order,
        candidates.occurrence_no,
        candidates.due_date,
        candidates.tolerance_days,
        candidates.days_from_due
    from candidates
    inner join forms on candidates.form_id = forms.form_id
    anti join sequence_ok
        on
            forms.course_id = sequence_ok.course_id
            and forms.instrument_id = sequence_ok.instrument_id
    qualify
        row_number() over (
            partition by candidates.form_id
            order by abs(candidates.days_from_due), candidates.point_order, candidates.occurrence_no
        ) = 1
    union all
    select
        in_sequence.form_id,
        in_sequence.point_id,
        in_sequence.point_order,
        in_sequence.occurrence_no,
        in_sequence.due_date,
        in_sequence.tolerance_days,
        in_sequence.days_from_due
    from in_sequence
    inner join sequence_ok
        on
            in_sequence.course_id = sequence_ok.course_id
            and in_sequence.instrument_id = sequence_ok.instrument_id
    union all
    select
        labelled.form_id,
        labelled.point_id,
        labelled.point_order,
        labelled.occurrence_no,
        labelled.due_date,
        labelled.tolerance_days,
        labelled.days_from_due
    from labelled
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
        forms.labelled_point_id,
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
        end as timing_status,
        coalesce(labelled.is_label_off_window, false) as is_label_off_window
    from all_forms as forms
    left join nearest on forms.form_id = nearest.form_id
    left join labelled on forms.form_id = labelled.form_id
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
        labelled_point_id,
        is_label_off_window,
        point_id is not null
        and row_number() over (
            partition by course_id, instrument_id, point_id, occurrence_no
            order by
                has_total_score desc, abs(days_from_due) asc, measured_on asc, form_id asc
        ) = 1 as is_point_primary
    from assigned
)

select * from final
