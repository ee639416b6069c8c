-- metric: calibration_alpha
-- grain: one row per instrument (group_kind instrument) and per instrument and item
--   (group_kind item, group_id instrument#item): Krippendorff's alpha of the
--   calibration workshops; see checks/sql/base/chk_calibration_alpha.sql.

with

alpha as (
    select * from chk_calibration_alpha
),

params as (
    select * from chk_params
),

final as (
    select
        'calibration_alpha' as metric_id,
        alpha.level as group_kind,
        case alpha.level
            when 'instrument' then alpha.instrument_id
            else alpha.instrument_id || '#' || alpha.item_no
        end as group_id,
        null::double as numerator,
        alpha.n_values::double as denominator,
        alpha.alpha as value,
        null::double as ci_low,
        null::double as ci_high,
        params.calibration_alpha_min as target,
        alpha.is_low as is_below_target
    from alpha
    cross join params
)

select * from final
