-- view: chk_rater_drift
-- materialize: true
-- grain: one row per staff member, team and instrument with staff-rated total scores
--   (chk_scores, rater_role staff) in the run's scope.
-- Method (adjusting for where in the course the citizen is): every score becomes a
--   residual z = (score - mean) / SD within its cell (intervention, instrument,
--   measurement point), so a rater who sees more citizens at start than at the end is not
--   penalised. The staff member's mean residual is compared with the mean residual of
--   the other raters in the same team (citizens are shared out within a team, so they
--   see comparable citizens); when the team has fewer than drift_min_forms other scores,
--   with the other raters of the intervention. difference = mean(staff) - mean(others)
--   in SD units (positive: rates higher), Welch standard error, interval
--   difference +/- confidence_z x SE. Drift: |difference| >= drift_threshold_sd,
--   the interval excludes 0, and both sides have at least drift_min_forms scores.
-- columns:
--   staff_id, team_id, intervention_id, instrument_id
--   n_staff, mean_staff: the staff member's scores and mean residual
--   comparison: team | intervention
--   n_others, mean_others: the comparison group's scores and mean residual
--   difference, se, ci_low, ci_high
--   is_drift: true when the rule fires

with

scores as (
    select * from chk_scores
    where rater_role = 'staff' and staff_id is not null
),

params as (
    select * from chk_params
),

cells as (
    select
        intervention_id,
        instrument_id,
        point_key,
        avg(score) as cell_mean,
        stddev_samp(score) as cell_sd
    from scores
    group by intervention_id, instrument_id, point_key
),

residuals as (
    select
        scores.staff_id,
        scores.team_id,
        scores.intervention_id,
        scores.instrument_id,
        (scores.score - cells.cell_mean) / cells.cell_sd as z
    from scores
    inner join cells
        on
            scores.intervention_id = cells.intervention_id
            and scores.instrument_id = cells.instrument_id
            and scores.point_key = cells.point_key
    where cells.cell_sd > 0
),

per_staff as (
    select
        staff_id,
        team_id,
        intervention_id,
        instrument_id,
        count(*) as n,
        sum(z) as sum_z,
        sum(z * z) as sum_z2
    from residuals
    group by staff_id, team_id, intervention_id, instrument_id
),

per_team as (
    select
        team_id,
        instrument_id,
        count(*) as n,
        sum(z) as sum_z,
        sum(z * z) as sum_z2
    from residuals
    group by team_id, instrument_id
),

per_intervention as (
    select
        intervention_id,
        instrument_id,
        count(*) as n,
        sum(z) as sum_z,
        sum(z * z) as sum_z2
    from residuals
    group by intervention_id, instrument_id
),

compared as (
    select
        per_staff.staff_id,
        per_staff.team_id,
        per_staff.intervention_id,
        per_staff.instrument_id,
        per_staff.n as n_staff,
        per_staff.sum_z,
        per_staff.sum_z2,
        case
            when per_team.n - per_staff.n >= params.drift_min_forms then 'team'
            else 'intervention'
        end as comparison,
        case
            when per_team.n - per_staff.n >= params.drift_min_forms
                then per_team.n - per_staff.n
            else per_intervention.n - per_staff.n
        end as n_others,
        case
            when per_team.n - per_staff.n >= params.drift_min_forms
                then per_team.sum_z - per_staff.sum_z
            else per_intervention.sum_z - per_staff.sum_z
        end as others_sum_z,
        case
            when per_team.n - per_staff.n >= params.drift_min_forms
                then per_team.sum_z2 - per_staff.sum_z2
            else per_intervention.sum_z2 - per_staff.sum_z2
        end as others_sum_z2
    from per_staff
    cross join params
    left join per_team
        on
            per_staff.team_id is not distinct from per_team.team_id
            and per_staff.instrument_id = per_team.instrument_id
    left join per_intervention
        on
            per_staff.intervention_id = per_intervention.intervention_id
            and per_staff.instrument_id = per_intervention.instrument_id
),

moments as (
    select
        *,
        sum_z / n_staff as mean_staff,
        case when n_others > 0 then others_sum_z / n_others end as mean_others,
        case
            when n_staff > 1
                then greatest((sum_z2 - sum_z * sum_z / n_staff) / (n_staff - 1), 0)
        end as var_staff,
        case
            when n_others > 1
                then greatest(
                    (others_sum_z2 - others_sum_z * others_sum_z / n_others) / (n_others - 1), 0
                )
        end as var_others
    from compared
),

final as (
    select
        moments.staff_id,
        moments.team_id,
        moments.intervention_id,
        moments.instrument_id,
        moments.n_staff,
        moments.mean_staff,
        moments.comparison,
        moments.n_others,
        moments.mean_others,
        moments.mean_staff - moments.mean_others as difference,
        sqrt(moments.var_staff / moments.n_staff + moments.var_others / moments.n_others) as se,
        moments.mean_staff - moments.mean_others
        - params.confidence_z
        * sqrt(moments.var_staff / moments.n_staff + moments.var_others / moments.n_others)
            as ci_low,
        moments.mean_staff - moments.mean_others
        + params.confidence_z
        * sqrt(moments.var_staff / moments.n_staff + moments.var_others / moments.n_others)
            as ci_high,
        coalesce(
            moments.n_staff >= params.drift_min_forms
            and moments.n_others >= params.drift_min_forms
            and abs(moments.mean_staff - moments.mean_others) >= params.drift_threshold_sd
            and (
                moments.mean_staff - moments.mean_others
                - params.confidence_z
                * sqrt(moments.var_staff / moments.n_staff + moments.var_others / moments.n_others)
                > 0
                or moments.mean_staff - moments.mean_others
                + params.confidence_z
                * sqrt(moments.var_staff / moments.n_staff + moments.var_others / moments.n_others)
                < 0
            ),
            false
        ) as is_drift
    from moments
    cross join params
)

select * from final
