-- Columns of staging.goal_ratings for the Great Expectations suite; every k-th row by
-- hash ($1); $2: as-of date.
select
    goal_id,
    score,
    date_diff('day', $2::date, rated_on) as days_after_as_of
from staging.goal_ratings
where hash(goal_id, rated_on) % $1 = 0
