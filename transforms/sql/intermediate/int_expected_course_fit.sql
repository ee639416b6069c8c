-- model: int_expected_course_fit
-- grain: one row per fit set, intervention, outcome instrument and non-intake measurement
--   point occurrence with at least one reference course scored there.
-- Fit sets: 'all' = every closed course (the flags of mart_citizen_course_flags);
--   'validation' = the closed courses started before split_on (int_course_outcome_scores),
--   whose fit flags the newer closed courses in mart_expected_course_validation.
-- Model (docs/expected_course.md): at each point, score = intercept + slope x intake,
--   ordinary least squares over the reference courses with an intake and a score there
--   (a separate line per point is the saturated form of score ~ intake + time +
--   intake:time). With fewer than 3 courses or no spread in intake the slope is 0 and
--   the intercept the mean score. Residual spread: robust SD = MAD of the residuals x
--   robust_sd_factor (1.4826), so a few very off-course reference courses do not widen
--   the band.
-- columns:
--   fit_set: all | validation
--   intervention_id: intervention id
--   instrument_id: instrument id
--   point_id: measurement point id
--   point_order: order of the point in the plan
--   occurrence_no: occurrence of a repeating point (0 otherwise)
--   n_reference_courses: reference courses with an intake and a score at the point
--   intercept: expected score at intake 0 (points)
--   slope: expected points per intake point
--   residual_sd: robust SD of the residuals (points)

with

outcome_scores as (
    select * from int_course_outcome_scores
),

settings as (
    select * from ref.expected_course_settings
),

reference_rows as (
    select
        'all' as fit_set,
        *
    from outcome_scores
    where is_reference and not is_intake_point and intake_score is not null
    union all
    select
        'validation' as fit_set,
        *
    from outcome_scores
    where is_validation_train and not is_intake_point and intake_score is not null
),

lines as (
    select
        fit_set,
        intervention_id,
        instrument_id,
        point_id,
        point_order,
        occurrence_no,
        count(*) as n_reference_courses,
        case
            when count(*) >= 3 and var_pop(intake_score) > 0
                then regr_slope(score, intake_score)
            else 0
        end as slope,
        case
            when count(*) >= 3 and var_pop(intake_score) > 0
                then regr_intercept(score, intake_score)
            else avg(score)
        end as intercept
    from reference_rows
    group by all
),

residuals as (
    select
        reference_rows.fit_set,
        reference_rows.intervention_id,
        reference_rows.instrument_id,
        reference_rows.point_id,
        reference_rows.occurrence_no,
        reference_rows.score
        - (lines.intercept + lines.slope * reference_rows.intake_score) as residual
    from reference_rows
    inner join lines
        on
            reference_rows.fit_set = lines.fit_set
            and reference_rows.intervention_id = lines.intervention_id
            and reference_rows.instrument_id = lines.instrument_id
            and reference_rows.point_id = lines.point_id
            and reference_rows.occurrence_no = lines.occurrence_no
),

spreads as (
    select
        residuals.fit_set,
        residuals.intervention_id,
        residuals.instrument_id,
        residuals.point_id,
        residuals.occurrence_no,
        mad(residuals.residual) * any_value(settings.robust_sd_factor) as residual_sd
    from residuals
    cross join settings
    group by all
),

final as (
    select
        lines.fit_set,
        lines.intervention_id,
        lines.instrument_id,
        lines.point_id,
        lines.point_order,
        lines.occurrence_no,
        lines.n_reference_courses,
        lines.intercept,
        lines.slope,
        spreads.residual_sd
    from lines
    inner join spreads
        on
            lines.fit_set = spreads.fit_set
            and lines.intervention_id = spreads.intervention_id
            and lines.instrument_id = spreads.instrument_id
            and lines.point_id = spreads.point_id
            and lines.occurrence_no = spreads.occurrence_no
)

select * from final
