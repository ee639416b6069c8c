-- Total scores of the courses on the agenda, oldest first. Parameters: $course_ids.
select
    course_id,
    instrument_id,
    rater_role,
    point_id,
    point_order,
    form_id,
    measured_on,
    score,
    rci_class
from mart_citizen_progression
where
    list_contains($course_ids, course_id)
    and scale_id = 'total'
order by course_id, instrument_id, measured_on, form_id
