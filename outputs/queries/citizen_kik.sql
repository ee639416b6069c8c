-- The latest and the previous fidelity (KiK) rating per core element of the courses on
-- the agenda (form_rank 1 = latest form). Parameters: $course_ids.
with

ratings as (
    select * from mart_citizen_kik
    where list_contains($course_ids, course_id)
),

forms as (
    select
        course_id,
        form_id,
        dense_rank() over (
            partition by course_id order by measured_on desc, form_id desc
        ) as form_rank
    from (select distinct course_id, form_id, measured_on from ratings)
),

final as (
    select
        ratings.course_id,
        ratings.element_no,
        coalesce(ratings.core_element_name, 'Element ' || ratings.element_no) as element_name,
        forms.form_rank,
        case when ratings.is_valid then ratings.rating end as rating,
        ratings.note
    from ratings
    inner join forms on ratings.form_id = forms.form_id
    where forms.form_rank <= 2
)

select * from final
order by course_id, element_no, form_rank
