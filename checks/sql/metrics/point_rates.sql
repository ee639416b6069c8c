-- metric: completeness, timeliness
-- grain: one row per metric and group (all, intervention, team, staff member, month);
--   see checks/sql/base/chk_point_rates.sql.

with

rates as (
    select * from chk_point_rates
),

final as (
    select
        metric_id,
        group_kind,
        group_id,
        numerator,
        denominator,
        value,
        ci_low,
        ci_high,
        target,
        is_below_target
    from rates
)

select * from final
