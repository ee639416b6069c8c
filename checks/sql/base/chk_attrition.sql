-- view: chk_attrition
-- materialize: true
-- grain: one row per intervention, instrument and pair of adjacent planned points (in
--   plan order, occurrences included) in the run's scope.
-- A course counts in a pair when it was measured at the first point and the second
--   point is due (collected or overdue); it is lost when the second point was not
--   collected. share_lost = n_lost / n_measured. Drop-outs show up here as lost only
--   when the point is still due after their course ended.
-- columns:
--   intervention_id, instrument_id, from_point, to_point
--   n_measured: courses measured at from_point with to_point due
--   n_lost: of those, not measured at to_point
--   share_lost, ci_low, ci_high (Wilson)
--   is_high: share_lost above attrition_max_share with n_measured >= attrition_min_n

with

points as (
    select * from chk_point_status
),

params as (
    select * from chk_params
),

pairs as (
    select
        intervention_id,
        instrument_id,
        from_point_id
        || case when from_occurrence_no > 0 then '#' || from_occurrence_no else '' end
            as from_point,
        point_id || case when occurrence_no > 0 then '#' || occurrence_no else '' end
            as to_point,
        count(*) as n_measured,
        count(*) filter (where not is_collected) as n_lost
    from points
    where from_collected and is_due
    group by all
),

final as (
    select
        pairs.*,
        pairs.n_lost / pairs.n_measured as share_lost,
        wilson_low(pairs.n_lost, pairs.n_measured) as ci_low,
        wilson_high(pairs.n_lost, pairs.n_measured) as ci_high,
        pairs.n_measured >= params.attrition_min_n
        and pairs.n_lost / pairs.n_measured > params.attrition_max_share as is_high
    from pairs
    cross join params
)

select * from final
