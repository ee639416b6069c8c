-- rule: calibration_agreement
-- table: staging.calibration_scores
-- checked: chk_calibration_alpha
-- figures: none
-- description: In the calibration workshops, the staff's scores of the same case agree too
--   little: Krippendorff's alpha (interval) below calibration_alpha_min for an instrument,
--   or for one item across the workshops' cases (method in
--   checks/sql/base/chk_calibration_alpha.sql). The items listed are the ones to go
--   through at the next workshop.
-- fix: Put the listed items on the agenda of the next calibration workshop: agree on what
--   each answer level means, with examples.

with

alpha as (
    select * from chk_calibration_alpha
),

final as (
    select
        'calibration_agreement' as rule_id,
        chk_severity('calibration_agreement') as severity,
        'staging.calibration_scores' as table_name,
        instrument_id,
        item_no,
        alpha as observed,
        case level
            when 'instrument' then 'instrument ' || instrument_id
            else 'item ' || item_no || ' of ' || instrument_id
        end || ': Krippendorff''s alpha ' || round(alpha, 2) || ' (' || n_raters || ' raters, '
        || n_units || ' units, mean rater SD ' || round(rater_sd, 2) || ' points)' as reason
    from alpha
    where is_low
)

select * from final
