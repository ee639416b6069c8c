-- rule: rater_drift
-- table: int_scores
-- checked: chk_rater_drift
-- figures: mart_progression_by_point, mart_target_group_at_start, mart_fidelity_outcome,
--   mart_group_comparison
-- description: A staff member's ratings on a staff-rated instrument sit systematically
--   higher or lower than the other raters' in the team, after adjusting for the
--   measurement point (method in checks/sql/base/chk_rater_drift.sql): the difference is
--   at least drift_threshold_sd SD and its confidence interval excludes 0.
-- fix: Take it to the next calibration workshop: score a shared case together and go
--   through the items where the ratings differ. Do not change registered scores.

with

drift as (
    select * from chk_rater_drift
),

final as (
    select
        'rater_drift' as rule_id,
        chk_severity('rater_drift') as severity,
        'int_scores' as table_name,
        intervention_id,
        team_id,
        staff_id,
        instrument_id,
        difference as observed,
        'staff member ' || staff_id || ' rates ' || instrument_id || ' '
        || case when difference > 0 then 'higher' else 'lower' end || ' than the other raters of '
        || case comparison when 'team' then 'team ' || coalesce(team_id, '(none)')
            else 'intervention ' || intervention_id end
        || ' by ' || round(abs(difference), 2) || ' SD (95 % CI ' || round(ci_low, 2) || ' to '
        || round(ci_high, 2) || '; ' || n_staff || ' vs ' || n_others || ' scores)' as reason
    from drift
    where is_drift
)

select * from final
