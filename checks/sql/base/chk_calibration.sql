-- view: chk_calibration
-- grain: one row per calibration score (staging.calibration_scores) in the run's scope:
--   everything for the organisation; for an intervention or team, the workshops of the
--   staff members who collected the scope's forms.
-- columns: the staging.calibration_scores columns, plus
--   unit_id: workshop_id || '/' || case_ref (the case every rater scored)
--   item_min, item_max: the instrument's item range (NULL for unknown instruments)

with

calibration as (
    select * from staging.calibration_scores
),

instruments as (
    select * from ref.instruments
),

params as (
    select * from chk_params
),

scope_staff as (
    select distinct staff_id from chk_forms
    where staff_id is not null
),

final as (
    select
        calibration.*,
        calibration.workshop_id || '/' || coalesce(calibration.case_ref, '') as unit_id,
        instruments.item_min,
        instruments.item_max
    from calibration
    cross join params
    left join instruments on calibration.instrument_id = instruments.instrument_id
    where
        params.scope_kind = 'organisation'
        or calibration.staff_id in (select scope_staff.staff_id from scope_staff)
)

select * from final
