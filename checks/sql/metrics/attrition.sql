-- metric: attrition
-- grain: one row per intervention, instrument and pair of adjacent points
--   (group_id intervention/instrument/from>to): share of citizens measured at the first
--   point and not at the second; see checks/sql/base/chk_attrition.sql.

with

attrition as (
    select * from chk_attrition
),

params as (
    select * from chk_params
),

final as (
    select
        'attrition' as metric_id,
        'point_pair' as group_kind,
        attrition.intervention_id || '/' || attrition.instrument_id || '/'
        || attrition.from_point || '>' || attrition.to_point as group_id,
        attrition.n_lost::double as numerator,
        attrition.n_measured::double as denominator,
        attrition.share_lost as value,
        attrition.ci_low,
        attrition.ci_high,
        params.attrition_max_share as target,
        attrition.is_high as is_below_target
    from attrition
    cross join params
)

select * from final
