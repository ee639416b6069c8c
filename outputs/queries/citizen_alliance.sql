-- The latest alliance form (SRS by default) of the courses on the agenda, with its
-- signal. Parameters: $course_ids.
select
    course_id,
    score,
    previous_score,
    is_below_cutoff,
    is_drop,
    is_alliance_signal
from mart_citizen_alliance_signals
where
    list_contains($course_ids, course_id)
    and is_latest
order by course_id
