-- model: mart_reliable_change_by_quarter
-- grain: one row per intervention, instrument (total score) and quarter: the share of
--   courses reliably improved (recovered or reliably improved), by quarter of measurement.
-- Each course counts once per quarter, with the reliable change class of its latest
--   non-baseline score in that quarter (change since the course's baseline; rules in
--   int_scores). Instruments without reliable-change parameters do not appear. Cells
--   with fewer than k citizens are hidden (quarters are not summed, so no complementary
--   cells here).
-- columns:
--   intervention_id: intervention id
--   instrument_id: instrument id
--   period: quarter of measurement, YYYY-Qn
--   suppression_group: the cell itself
--   is_suppressed: true when the cell's values are hidden
--   suppression_reason: small_cell | NULL
--   n_citizens: distinct citizens measured in the quarter
--   n_courses: courses measured in the quarter
--   n_improved: courses recovered or reliably improved
--   n_recovered: courses recovered
--   n_deteriorated: courses reliably deteriorated
--   share_improved: n_improved / n_courses
--   ci_low: Wilson 95 % interval of share_improved, lower end
--   ci_high: Wilson 95 % interval of share_improved, upper end
--   share_recovered: n_recovered / n_courses
--   share_unchanged: unchanged courses / n_courses
--   share_deteriorated: n_deteriorated / n_courses

with

scores as (
    select * from int_scores
),

classified as (
    select
        intervention_id,
        instrument_id,
        course_id,
        citizen_id,
        is_repeat_citizen,
        form_id,
        measured_on,
        rci_class,
        strftime(measured_on, '%Y') || '-Q' || quarter(measured_on) as period
    from scores
    where is_total and rci_class is not null
),

latest_in_period as (
    select * from classified
    qualify row_number() over (
        partition by course_id, instrument_id, period
        order by measured_on desc, form_id desc
    ) = 1
),

aggregated as (
    select
        intervention_id,
        instrument_id,
        period,
        count_citizens(citizen_id, is_repeat_citizen) as n_citizens,
        count(*) as n_courses,
        count(*) filter (where rci_class in ('recovered', 'reliably_improved')) as n_improved,
        count(*) filter (where rci_class = 'recovered') as n_recovered,
        count(*) filter (where rci_class = 'reliably_deteriorated') as n_deteriorated,
        count(*) filter (where rci_class in ('recovered', 'reliably_improved')) / count(*)
            as share_improved,
        wilson_low(
            count(*) filter (where rci_class in ('recovered', 'reliably_improved')), count(*)
        ) as ci_low,
        wilson_high(
            count(*) filter (where rci_class in ('recovered', 'reliably_improved')), count(*)
        ) as ci_high,
        count(*) filter (where rci_class = 'recovered') / count(*) as share_recovered,
        count(*) filter (where rci_class = 'unchanged') / count(*) as share_unchanged,
        count(*) filter (where rci_class = 'reliably_deteriorated') / count(*)
            as share_deteriorated
    from latest_in_period
    group by all
),

-- cells is read by name inside the suppression macro, which sqlfluff cannot see
cells as (  -- noqa: ST03
    select
        *,
        concat_ws('|', intervention_id, instrument_id, period) as suppression_group
    from aggregated
),

suppressed as (
    select * from suppress_small_cells(cells)
),

final as (
    select
        suppressed.intervention_id,
        suppressed.instrument_id,
        suppressed.period,
        suppressed.suppression_group,
        suppressed.is_suppressed,
        suppressed.suppression_reason,
        suppressed.n_citizens,
        suppressed.n_courses,
        suppressed.n_improved,
        suppressed.n_recovered,
        suppressed.n_deteriorated,
        suppressed.share_improved,
        suppressed.ci_low,
        suppressed.ci_high,
        suppressed.share_recovered,
        suppressed.share_unchanged,
        suppressed.share_deteriorated
    from suppressed
)

select * from final
