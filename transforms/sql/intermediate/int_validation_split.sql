-- model: int_validation_split
-- grain: one row: the date that splits the closed courses into those the validation
--   fit is made on and those it is tested on (docs/expected_course.md).
-- Closed courses ordered by start date; split_on = first day of the quarter holding the
--   start date at the (1 - validation_share) quantile. Older closed courses (start
--   before split_on) train, newer ones (start on or after split_on) are tested, so the
--   split moves one quarter at a time as courses close. A model of its own so that
--   int_course_outcome_scores stays per course: an incremental build rebuilds this
--   row whole and redoes the courses' scores only where the row moved.
-- columns:
--   split_on: start of the quarter that splits training from test courses

with

courses as (
    select * from int_courses
),

settings as (
    select * from ref.expected_course_settings
),

closed_starts as (
    select
        start_date,
        cume_dist() over (order by start_date) as start_position
    from courses
    where case_status <> 'open'
),

final as (
    select
        date_trunc(
            'quarter',
            min(closed_starts.start_date)
            filter (where closed_starts.start_position >= 1 - settings.validation_share)
        )::date as split_on
    from closed_starts
    cross join settings
)

select * from final
