-- The courses of a returned file ($1, a list of course ids) that are staged: an
-- agreement about any other course is refused (agreement_course_unknown).
select course_id from staging.courses
where list_contains($1, course_id)
