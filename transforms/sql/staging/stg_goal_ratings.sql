-- Typed goal ratings (GAS levels) of one load (landing.goal_ratings where
-- load_id = $load_id). Output: the columns of staging.goal_ratings, lineage, and
-- problems (null when the record is clean). A rating of a goal in no goals table
-- is unknown_goal. The -2..+2 range is checked later (checks/), not here.
-- Parameters: $load_id, $date_format, $decimal.
with

source as (
    select * from landing.goal_ratings
    where load_id = $load_id
),

known_goals as (
    select goal_id from staging.goals
),

typed as (
    select
        -- ids
        staging.clean_text(source.goal_ref) as goal_id,
        -- rating
        staging.to_date(source.rated_on, $date_format) as rated_on,
        staging.to_int(source.score, $decimal) as score,
        staging.clean_text(source.staff_id) as staff_id,
        -- lineage
        source.load_id,
        source.source_id,
        source.file_name,
        source.row_no,
        -- as received, for the checks
        staging.clean_text(source.rated_on) as rated_on_raw,
        staging.clean_text(source.score) as score_raw
    from source
),

checked as (
    select
        typed.*,
        list_filter(
            [
                staging.problem(
                    case
                        when typed.goal_id is null then 'missing_required'
                        when contains(typed.goal_id, '[CPR]') then 'cpr_in_id'
                        when known_goals.goal_id is null then 'unknown_goal'
                    end,
                    'goal_ref', typed.goal_id, null
                ),
                staging.problem(
                    case
                        when typed.rated_on_raw is null then 'missing_required'
                        when typed.rated_on is null then 'invalid_date'
                    end,
                    'rated_on', typed.rated_on_raw, null
                ),
                staging.problem(
                    case
                        when typed.score_raw is null then 'missing_required'
                        when typed.score is null then 'invalid_number'
                    end,
                    'score', typed.score_raw, null
                ),
                staging.problem(
                    case when contains(typed.staff_id, '[CPR]') then 'cpr_in_id' end,
                    'staff_id', typed.staff_id, null
                )
            ],
            p -> p is not null
        ) as problems
    from typed
    left join known_goals
        on typed.goal_id = known_goals.goal_id
),

final as (
    select
        goal_id,
        rated_on,
        score,
        staff_id,
        load_id,
        source_id,
        file_name,
        row_no,
        cast(null as integer) as cell_item_no,
        nullif(problems, []) as problems
    from checked
)

select * from final
