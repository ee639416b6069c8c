-- model: int_course_flags
-- grain: one row per fit set, course, outcome instrument and scored measurement point
--   occurrence (int_course_outcome_scores): fit set 'all' for every course, fit set
--   'validation' for the validation's test courses only.
-- incremental: course_id
-- materialized: view
-- A view over int_course_outcome_scores (a table, redone per changed course) and the
--   36-row fit: the fit moves with every change of a closed course, and writing the
--   807 000 rows again cost 1.5 s of an incremental day at 100 000 courses (3.3 CPU
--   seconds), where computing them costs the three readers rebuilt that day about 0.8
--   CPU seconds in all. course_flag_rank: the worst flag at the course's last point
--   of each outcome instrument (1 red, 2 amber, 3 green or none), per fit set.
-- Expected score = intercept + slope x intake (int_expected_course_fit, same fit set and
--   point); band edge = expected - direction_sign x band_z x residual_sd (the worse side).
--   gap = (score - expected) x direction_sign, so gap < 0 is worse than expected.
-- Flag (not at the intake point), rule 'expected_course' when the point's fit has at
--   least min_reference_courses reference courses and the course has an intake:
--   red = below the band (gap < -band_z x residual_sd: reason below_band) or reliable
--   deterioration since the baseline (reliable_deterioration); amber = between the
--   band's edge and the expected score (below_expected); green = at or above the
--   expected score (at_or_above_expected).
-- Otherwise rule 'reliable_change' (the fallback; fallback_reason few_reference_courses
--   or no_intake): red = reliably_deteriorated, amber = unchanged (no_reliable_change),
--   green = recovered or reliably_improved (reliable_improvement); no flag (no_rule)
--   when the instrument has no reliable-change parameters.
-- columns:
--   fit_set: all | validation
--   course_id: course id
--   citizen_id: pseudonymised citizen id
--   is_repeat_citizen: true when the citizen has more than one course in the intervention
--   intervention_id: intervention id
--   team_id: team delivering the course
--   variant: intervention variant
--   case_status: open | closed_planned | closed_unplanned
--   instrument_id: instrument id
--   direction_sign: +1 higher is better, -1 higher is worse
--   point_id: measurement point id
--   point_order: order of the point in the plan
--   occurrence_no: occurrence of a repeating point (0 otherwise)
--   point_rank: 1 for the first scored point of the course and instrument, then 2, 3 ...
--   is_last_point: true for the course's last scored point of the instrument
--   is_intake_point: true at the instrument's first planned point
--   form_id: the primary form at this point
--   measured_on: date of the form
--   score: total score
--   intake_score: score at the instrument's first planned point
--   rci_class: reliable change class since the baseline
--   improvement_since_start: change since the baseline, direction-adjusted (> 0 = better)
--   n_reference_courses: reference courses behind the point's fit (0 without a fit)
--   flag_reason: below_band | reliable_deterioration | below_expected |
--     at_or_above_expected | no_reliable_change | reliable_improvement | no_rule | intake
--   fallback_reason: few_reference_courses | no_intake (NULL under the expected course)
--   expected_score: expected score for this intake at this point (the intake at the
--     intake point; NULL without a fit or an intake)
--   band_edge_score: edge of the tolerance band on the worse side (points)
--   gap: (score - expected) x direction_sign; < 0 is worse than expected
--   flag: red | amber | green (NULL at the intake point or without a rule)
--   flag_rule: expected_course | reliable_change (NULL at the intake point)
--   course_flag_rank: 1 red, 2 amber, 3 green or no flag: the worst live flag of the course

with

outcome_scores as (
    select * from int_course_outcome_scores
),

fits as (
    select * from int_expected_course_fit
),

settings as (
    select * from ref.expected_course_settings
),

flag_rows as (
    select
        'all' as fit_set,
        *
    from outcome_scores
    union all
    select
        'validation' as fit_set,
        *
    from outcome_scores
    where is_validation_test
),

expected as (
    select
        flag_rows.*,
        fits.residual_sd,
        settings.band_z,
        coalesce(fits.n_reference_courses, 0) as n_reference_courses,
        case
            when flag_rows.is_intake_point then flag_rows.score
            else fits.intercept + fits.slope * flag_rows.intake_score
        end as expected_score,
        coalesce(fits.n_reference_courses, 0) >= settings.min_reference_courses
        and flag_rows.intake_score is not null
        and fits.residual_sd is not null as is_fitted
    from flag_rows
    cross join settings
    left join fits
        on
            flag_rows.fit_set = fits.fit_set
            and flag_rows.intervention_id = fits.intervention_id
            and flag_rows.instrument_id = fits.instrument_id
            and flag_rows.point_id = fits.point_id
            and flag_rows.occurrence_no = fits.occurrence_no
),

gaps as (
    select
        expected.*,
        case
            when expected.is_intake_point then expected.score
            else
                expected.expected_score
                - expected.direction_sign * expected.band_z * expected.residual_sd
        end as band_edge_score,
        (expected.score - expected.expected_score) * expected.direction_sign as gap
    from expected
),

reasons as (
    select
        gaps.*,
        case
            when gaps.is_intake_point then 'intake'
            when gaps.is_fitted and gaps.gap < -gaps.band_z * gaps.residual_sd
                then 'below_band'
            when gaps.rci_class = 'reliably_deteriorated' then 'reliable_deterioration'
            when gaps.is_fitted and gaps.gap < 0 then 'below_expected'
            when gaps.is_fitted then 'at_or_above_expected'
            when gaps.rci_class = 'unchanged' then 'no_reliable_change'
            when gaps.rci_class in ('recovered', 'reliably_improved')
                then 'reliable_improvement'
            else 'no_rule'
        end as flag_reason,
        case
            when gaps.is_intake_point or gaps.is_fitted then null
            when gaps.intake_score is null then 'no_intake'
            else 'few_reference_courses'
        end as fallback_reason
    from gaps
),

flagged as (
    select
        fit_set,
        course_id,
        citizen_id,
        is_repeat_citizen,
        intervention_id,
        team_id,
        variant,
        case_status,
        instrument_id,
        direction_sign,
        point_id,
        point_order,
        occurrence_no,
        point_rank,
        is_last_point,
        is_intake_point,
        form_id,
        measured_on,
        score,
        intake_score,
        rci_class,
        improvement_since_start,
        n_reference_courses,
        flag_reason,
        fallback_reason,
        case when is_fitted or is_intake_point then expected_score end as expected_score,
        case when is_fitted or is_intake_point then band_edge_score end as band_edge_score,
        case when is_fitted then gap end as gap,
        case
            when flag_reason in ('below_band', 'reliable_deterioration') then 'red'
            when flag_reason in ('below_expected', 'no_reliable_change') then 'amber'
            when flag_reason in ('at_or_above_expected', 'reliable_improvement') then 'green'
        end as flag,
        case
            when is_intake_point then null
            when is_fitted then 'expected_course'
            else 'reliable_change'
        end as flag_rule
    from reasons
),

-- the worst flag at each course's last points, as a window over the course's rows: a
-- reader filtering by course (the citizen decks) then computes only those courses (the
-- filter passes through the partition key; a grouping joined back computed every
-- course, 0.2-0.5 s per deck query at 100 000 courses, where the window takes 0.06 s)
final as (
    select
        *,
        min(case flag when 'red' then 1 when 'amber' then 2 else 3 end)
        filter (where is_last_point)
            over (partition by fit_set, course_id) as course_flag_rank
    from flagged
)

select * from final
