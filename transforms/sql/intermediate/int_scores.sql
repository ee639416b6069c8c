-- model: int_scores
-- grain: one row per form and scale (int_scale_scores) of a known course, with its
--   measurement point, band, cut-off, change and reliable change class. Form details
--   (rater, timing) are in int_form_points, course details in int_courses.
-- incremental: course_id
-- Baseline = the course's first scored form of the instrument and scale (by date, then
--   form id); "last" = the previous scored form. Unscored forms get no change.
-- Norm group = the intervention's norm_group; cut-off, bands, SD, reliability and the
--   published reliable change apply to the total score only.
-- Direction: improvement = change x direction_sign (+1 higher_is_better,
--   -1 higher_is_worse), so improvement > 0 is always better.
-- Clinical side: higher_is_better: score < cutoff; higher_is_worse: score >= cutoff.
-- Band: the band whose range holds the score; a prorated score in the gap between two
--   bands (e.g. 13.5 between 0-13 and 14-16) stays in the lower band.
-- Reliable change (Jacobson & Truax): with a published reliable_change_points the change
--   is reliable when |change| >= that many points; otherwise
--   S_diff = SD x sqrt(2) x sqrt(1 - r), RC = change / S_diff, reliable when
--   |RC| > ref.settings.reliable_change_z (1.96). Class (non-baseline scored forms):
--   recovered = reliable improvement and baseline on the clinical side and now on the
--   functional side; reliably_improved = other reliable improvement; reliably_deteriorated;
--   unchanged. NULL when the instrument has no reliable-change parameters.
-- columns:
--   form_id: form id
--   course_id: course id
--   citizen_id: pseudonymised citizen id
--   is_repeat_citizen: true when the citizen has more than one course in the intervention
--   intervention_id: intervention id
--   instrument_id: instrument id
--   scale_id: 'total' or a subscale id
--   is_total: true for the total score
--   direction: higher_is_better | higher_is_worse
--   measured_on: date of the form
--   point_id: assigned measurement point (NULL when unplanned)
--   point_order: order of the point in the plan
--   occurrence_no: occurrence of a repeating point (0 otherwise)
--   is_point_primary: true for the form used for this point in aggregates
--   n_items_answered: items with a valid answer
--   n_items_missing: items missing or out of range
--   is_prorated: true when scored with some items missing
--   score: the scale score (NULL when not scored)
--   no_score_reason: no_items_answered | too_many_missing | NULL when scored
--   band: band label of the score (total only; NULL without bands)
--   cutoff: clinical cut-off of the norm group (total only)
--   is_clinical: true when the score is on the clinical side of the cut-off
--   is_baseline: true for the course's first scored form of this instrument and scale
--   baseline_on: date of the baseline form
--   baseline_score: score of the baseline form
--   previous_score: score of the previous scored form (NULL for the baseline)
--   change_since_start: score - baseline_score
--   change_since_last: score - previous_score
--   improvement_since_start: change_since_start x direction_sign (> 0 = better)
--   reliable_change_points: points a change must reach to be reliable (NULL if unknown)
--   s_diff: standard error of the difference (NULL when a published value is used)
--   rci: change_since_start / s_diff
--   is_reliable_change: true when the change since start is reliable
--   rci_class: recovered | reliably_improved | unchanged | reliably_deteriorated

with

scale_scores as (
    select * from int_scale_scores
),

form_points as (
    select * from int_form_points
),

courses as (
    select * from int_courses
),

instruments as (
    select * from ref.instruments
),

norm_groups as (
    select * from ref.norm_groups
),

bands as (
    select * from ref.bands
),

settings as (
    select * from ref.settings
),

joined as (
    select
        scale_scores.form_id,
        scale_scores.course_id,
        courses.citizen_id,
        courses.is_repeat_citizen,
        courses.intervention_id,
        courses.norm_group,
        scale_scores.instrument_id,
        scale_scores.scale_id,
        scale_scores.is_total,
        instruments.direction,
        instruments.direction_sign,
        scale_scores.measured_on,
        form_points.point_id,
        form_points.point_order,
        form_points.occurrence_no,
        form_points.is_point_primary,
        scale_scores.n_items_answered,
        scale_scores.n_items_missing,
        scale_scores.is_prorated,
        scale_scores.score,
        scale_scores.no_score_reason,
        case when scale_scores.is_total then norm_groups.cutoff end as cutoff,
        case when scale_scores.is_total then norm_groups.sd end as sd,
        case when scale_scores.is_total then norm_groups.reliability end as reliability,
        case when scale_scores.is_total then instruments.reliable_change_points end
            as published_change_points
    from scale_scores
    inner join courses on scale_scores.course_id = courses.course_id
    inner join instruments on scale_scores.instrument_id = instruments.instrument_id
    left join form_points on scale_scores.form_id = form_points.form_id
    left join norm_groups
        on
            scale_scores.instrument_id = norm_groups.instrument_id
            and courses.norm_group = norm_groups.norm_group
),

-- the bands of each instrument and norm group as one list (lowest first)
band_lists as (
    select
        instrument_id,
        norm_group,
        list(
            {
                'label': band_label,
                'low': band_min,
                'high': band_max,
                'next_low': next_band_min
            }
            order by band_order
        ) as band_list
    from bands
    group by instrument_id, norm_group
),

banded as (
    select
        joined.*,
        case
            when joined.is_total and joined.score is not null
                then list_filter(
                    band_lists.band_list,
                    b -> joined.score >= b.low
                    and (
                        joined.score < b.next_low
                        or (b.next_low is null and joined.score <= b.high)
                    )
                )[1].label
        end as band,
        case
            when joined.cutoff is null or joined.score is null then null
            when joined.direction = 'higher_is_better' then joined.score < joined.cutoff
            else joined.score >= joined.cutoff
        end as is_clinical
    from joined
    left join band_lists
        on
            joined.instrument_id = band_lists.instrument_id
            and joined.norm_group = band_lists.norm_group
),

-- baseline and previous score among the scored forms; the window reads the narrow
-- scale_scores (a window sorts every column it carries) and joins back by form and scale
scored_sequence as (
    select
        form_id,
        scale_id,
        first_value(form_id) over course_scale as baseline_form_id,
        first_value(measured_on) over course_scale as baseline_on,
        first_value(score) over course_scale as baseline_score,
        lag(score) over course_scale as previous_score
    from scale_scores
    where score is not null
    window course_scale as (
        partition by course_id, instrument_id, scale_id
        order by measured_on asc, form_id asc
    )
),

with_change as (
    select
        banded.*,
        scored_sequence.baseline_on,
        scored_sequence.baseline_score,
        scored_sequence.previous_score,
        case
            when banded.cutoff is null or scored_sequence.baseline_score is null then null
            when banded.direction = 'higher_is_better'
                then scored_sequence.baseline_score < banded.cutoff
            else scored_sequence.baseline_score >= banded.cutoff
        end as baseline_is_clinical,
        coalesce(scored_sequence.baseline_form_id = banded.form_id, false) as is_baseline,
        banded.score - scored_sequence.baseline_score as change_since_start,
        banded.score - scored_sequence.previous_score as change_since_last,
        case
            when banded.sd is not null and banded.reliability is not null
                then banded.sd * sqrt(2) * sqrt(1 - banded.reliability)
        end as s_diff
    from banded
    left join scored_sequence
        on
            banded.form_id = scored_sequence.form_id
            and banded.scale_id = scored_sequence.scale_id
),

with_reliability as (
    select
        with_change.*,
        with_change.change_since_start * with_change.direction_sign
            as improvement_since_start,
        case
            when with_change.s_diff > 0 then with_change.change_since_start / with_change.s_diff
        end as rci,
        coalesce(
            with_change.published_change_points,
            settings.reliable_change_z * with_change.s_diff
        ) as reliable_change_points,
        case
            when with_change.published_change_points is not null
                then abs(with_change.change_since_start) >= with_change.published_change_points
            when with_change.s_diff > 0
                then
                    abs(with_change.change_since_start / with_change.s_diff)
                    > settings.reliable_change_z
        end as is_reliable_change_any
    from with_change
    cross join settings
),

classified as (
    select
        with_reliability.*,
        case
            when with_reliability.score is not null and not with_reliability.is_baseline
                then with_reliability.is_reliable_change_any
        end as is_reliable_change,
        case
            when
                with_reliability.score is null
                or with_reliability.is_baseline
                or with_reliability.is_reliable_change_any is null
                then null
            when
                with_reliability.is_reliable_change_any
                and with_reliability.improvement_since_start > 0
                and with_reliability.baseline_is_clinical
                and not with_reliability.is_clinical
                then 'recovered'
            when
                with_reliability.is_reliable_change_any
                and with_reliability.improvement_since_start > 0
                then 'reliably_improved'
            when
                with_reliability.is_reliable_change_any
                and with_reliability.improvement_since_start < 0
                then 'reliably_deteriorated'
            else 'unchanged'
        end as rci_class
    from with_reliability
),

final as (
    select
        -- ids
        form_id,
        course_id,
        citizen_id,
        is_repeat_citizen,
        intervention_id,
        instrument_id,
        scale_id,
        is_total,
        direction,
        -- form
        measured_on,
        point_id,
        point_order,
        occurrence_no,
        is_point_primary,
        -- score
        n_items_answered,
        n_items_missing,
        is_prorated,
        score,
        no_score_reason,
        band,
        cutoff,
        is_clinical,
        -- change
        is_baseline,
        baseline_on,
        baseline_score,
        previous_score,
        change_since_start,
        change_since_last,
        improvement_since_start,
        reliable_change_points,
        s_diff,
        rci,
        is_reliable_change,
        rci_class
    from classified
)

select * from final
