-- Goals of the courses on the agenda. Parameters: $course_ids.
select
    course_id,
    coalesce(life_area_name, life_area_id) as life_area,
    description,
    goal_type,
    baseline_level,
    latest_level,
    category
from mart_citizen_goals
where list_contains($course_ids, course_id)
order by course_id, set_on nulls last, goal_id
