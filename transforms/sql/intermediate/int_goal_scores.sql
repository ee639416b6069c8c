-- model: int_goal_scores
-- grain: one row per course and goal-rating date: the course's GAS T-score on that date,
--   from staging.goals (weights) and staging.goal_ratings. Empty when no instrument in
--   config has scoring 'gas' (the first such instrument receives these scores).
-- incremental: course_id
-- materialized: temporary
-- Which goals count on a date: every goal of the course rated on or before that date,
--   at its latest rating up to that date (a goal rated a day later keeps its earlier
--   rating). Ratings outside the instrument's item range are ignored.
-- T-score (Kiresuk & Sherman): T = 50 + 10 sum(w x) / sqrt((1 - rho) sum(w^2)
--   + rho (sum w)^2), x = goal level -2..+2, w = goal weight (default 1),
--   rho = the instrument's gas_rho. All goals at 0 give T = 50.
-- columns:
--   form_id: synthetic id 'goals:<course_id>:<yyyy-mm-dd>'
--   course_id: course id
--   instrument_id: the goal instrument (scoring gas)
--   rated_on: rating date
--   staff_id: staff member who rated on that date (smallest id if several)
--   n_goals: goals counted
--   sum_weights: sum of the goal weights
--   weighted_sum: sum of weight x level
--   t_score: GAS T-score

with

goals as (
    select * from staging.goals
),

ratings as (
    select * from staging.goal_ratings
),

goal_instrument as (
    select * from ref.instruments
    where is_goal_instrument
),

valid_ratings as (
    select
        goals.course_id,
        goals.goal_id,
        goals.weight,
        ratings.rated_on,
        ratings.score,
        ratings.staff_id
    from ratings
    inner join goals on ratings.goal_id = goals.goal_id
    cross join goal_instrument
    where ratings.score between goal_instrument.item_min and goal_instrument.item_max
),

rating_dates as (
    select
        course_id,
        rated_on,
        min(staff_id) as staff_id
    from valid_ratings
    group by course_id, rated_on
),

goal_level_on_date as (
    select
        rating_dates.course_id,
        rating_dates.rated_on,
        valid_ratings.goal_id,
        any_value(valid_ratings.weight) as weight,
        arg_max(valid_ratings.score, valid_ratings.rated_on) as score
    from rating_dates
    inner join valid_ratings
        on
            rating_dates.course_id = valid_ratings.course_id
            and rating_dates.rated_on >= valid_ratings.rated_on
    group by rating_dates.course_id, rating_dates.rated_on, valid_ratings.goal_id
),

per_date as (
    select
        course_id,
        rated_on,
        count(*) as n_goals,
        sum(weight) as sum_weights,
        sum(weight * weight) as sum_squared_weights,
        sum(weight * score) as weighted_sum
    from goal_level_on_date
    group by course_id, rated_on
),

scored as (
    select
        per_date.course_id,
        goal_instrument.instrument_id,
        per_date.rated_on,
        rating_dates.staff_id,
        per_date.n_goals,
        per_date.sum_weights,
        per_date.weighted_sum,
        'goals:' || per_date.course_id || ':' || strftime(per_date.rated_on, '%Y-%m-%d')
            as form_id,
        50 + 10 * per_date.weighted_sum / sqrt(
            (1 - goal_instrument.gas_rho) * per_date.sum_squared_weights
            + goal_instrument.gas_rho * per_date.sum_weights * per_date.sum_weights
        ) as t_score
    from per_date
    inner join rating_dates
        on
            per_date.course_id = rating_dates.course_id
            and per_date.rated_on = rating_dates.rated_on
    cross join goal_instrument
),

final as (
    select
        form_id,
        course_id,
        instrument_id,
        rated_on,
        staff_id,
        n_goals,
        sum_weights,
        weighted_sum,
        t_score
    from scored
)

select * from final
