-- Typed goal ratings (GAS levels) of one load. Reads _landing_goal_ratings: this
-- load's landing rows (landing/lnd_goal_ratings.sql), before they are written.
-- Output: the columns of staging.goal_ratings, lineage, and problems (null
-- when the record is clean). A rating of a goal in no goals table is unknown_goal.
-- The -2..+2 range is checked later (checks/), not here.
-- Variables (getvariable): date_format, decimal.
with

source as (
    select * from _landing_goal_ratings
),

typed as (
    select
        -- lineage
        row_no,
        -- ids
        staging.clean_text(goal_ref) as goal_id,
        -- rating
        staging.to_date(rated_on, getvariable('date_format')) as rated_on,
        staging.to_int(score, getvariable('decimal')) as score,
        staging.clean_text(staff_id) as staff_id,
        -- as received, for the checks
        staging.clean_text(rated_on) as rated_on_raw,
        staging.clean_text(score) as score_raw,
        coalesce(
            staging.clean_text(goal_ref) in (select s.goal_id from staging.goals as s),
            false
        ) as is_known_goal
    from source
),

checks as (
    select
        *,
        case
            when goal_id is null then 'missing_required'
            when contains(goal_id, '[CPR]') then 'cpr_in_id'
            when not is_known_goal then 'unknown_goal'
        end as rule_goal,
        case
            when rated_on_raw is null then 'missing_required'
            when rated_on is null then 'invalid_date'
        end as rule_rated_on,
        case
            when score_raw is null then 'missing_required'
            when score is null then 'invalid_number'
        end as rule_score,
        case when contains(staff_id, '[CPR]') then 'cpr_in_id' end as rule_staff
    from typed
),

final as (
    select
        goal_id,
        rated_on,
        score,
        staff_id,
        row_no,
        cast(null as integer) as cell_item_no,
        case
            when coalesce(rule_goal, rule_rated_on, rule_score, rule_staff) is not null
                then list_filter(
                    [
                        staging.problem(rule_goal, 'goal_ref', goal_id, null),
                        staging.problem(rule_rated_on, 'rated_on', rated_on_raw, null),
                        staging.problem(rule_score, 'score', score_raw, null),
                        staging.problem(rule_staff, 'staff_id', staff_id, null)
                    ],
                    p -> p is not null
                )
        end as problems
    from checks
)

select * from final
