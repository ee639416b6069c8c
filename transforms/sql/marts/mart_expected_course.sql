-- model: mart_expected_course
-- grain: one row per intervention, outcome instrument, non-intake measurement point
--   occurrence and intake band: the expected course and its tolerance band as the
--   reference courses in the band see it (fit set 'all' of int_expected_course_fit).
-- Intake bands: the reference courses with a score at the point, split into
--   ref.expected_course_settings.intake_bands equal-count bands by intake score (ntile).
--   The expected score and band edge are the fitted line at the band's mean intake;
--   the edge is band_z robust residual SDs on the worse side. A band with fewer than k
--   citizens is hidden by the suppression macro (one group per point), its intake range
--   with it.
-- columns:
--   intervention_id: intervention id
--   instrument_id: instrument id
--   point_id: measurement point id
--   point_order: order of the point in the plan
--   occurrence_no: occurrence of a repeating point (0 otherwise)
--   intake_band: 1 (lowest intakes) .. intake_bands
--   suppression_group: cells of one point (intervention|instrument|point|occurrence)
--   is_suppressed: true when the cell is hidden (small cell or complementary)
--   suppression_reason: small_cell | complementary | NULL
--   is_fitted: true when the point has at least min_reference_courses reference courses
--   n_citizens: distinct citizens in the band
--   n_reference_courses: reference courses of the whole point's fit
--   mean_intake_score: mean intake score of the band
--   mean_score: mean observed score of the band at the point
--   mean_expected_score: expected score at the band's mean intake
--   mean_band_edge_score: band edge at the band's mean intake (worse side)
--   intake_low: lowest intake score in the band (NULL when hidden)
--   intake_high: highest intake score in the band (NULL when hidden)

with

outcome_scores as (
    select * from int_course_outcome_scores
),

fits as (
    select * from int_expected_course_fit
    where fit_set = 'all'
),

settings as (
    select * from ref.expected_course_settings
),

instruments as (
    select * from ref.instruments
),

reference_rows as (
    select
        outcome_scores.*,
        ntile(settings.intake_bands) over (
            partition by
                outcome_scores.intervention_id,
                outcome_scores.instrument_id,
                outcome_scores.point_id,
                outcome_scores.occurrence_no
            order by outcome_scores.intake_score, outcome_scores.course_id
        ) as intake_band
    from outcome_scores
    cross join settings
    where
        outcome_scores.is_reference
        and not outcome_scores.is_intake_point
        and outcome_scores.intake_score is not null
),

banded as (
    select
        intervention_id,
        instrument_id,
        point_id,
        point_order,
        occurrence_no,
        intake_band,
        min(intake_score) as band_intake_low,
        max(intake_score) as band_intake_high,
        count_citizens(citizen_id, is_repeat_citizen) as n_citizens,
        avg(intake_score) as mean_intake_score,
        avg(score) as mean_score
    from reference_rows
    group by all
),

expected as (
    select
        banded.*,
        fits.n_reference_courses,
        fits.n_reference_courses >= settings.min_reference_courses as is_fitted,
        fits.intercept + fits.slope * banded.mean_intake_score as mean_expected_score,
        fits.intercept + fits.slope * banded.mean_intake_score
        - instruments.direction_sign * settings.band_z * fits.residual_sd
            as mean_band_edge_score
    from banded
    inner join fits
        on
            banded.intervention_id = fits.intervention_id
            and banded.instrument_id = fits.instrument_id
            and banded.point_id = fits.point_id
            and banded.occurrence_no = fits.occurrence_no
    inner join instruments on banded.instrument_id = instruments.instrument_id
    cross join settings
),

cells as (  -- noqa: ST03
    select
        *,
        concat_ws('|', intervention_id, instrument_id, point_id, occurrence_no)
            as suppression_group
    from expected
),

suppressed as (
    select * from suppress_small_cells(cells)
),

final as (
    select
        intervention_id,
        instrument_id,
        point_id,
        point_order,
        occurrence_no,
        intake_band,
        suppression_group,
        is_suppressed,
        suppression_reason,
        is_fitted,
        n_citizens,
        n_reference_courses,
        mean_intake_score,
        mean_score,
        mean_expected_score,
        mean_band_edge_score,
        case when not is_suppressed then band_intake_low end as intake_low,
        case when not is_suppressed then band_intake_high end as intake_high
    from suppressed
)

select * from final
