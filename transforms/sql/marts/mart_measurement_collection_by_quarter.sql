-- model: mart_measurement_collection_by_quarter
-- grain: one row per intervention, quarter of the due date and instrument (and one row
--   for all instruments, instrument_id NULL): how many planned measurements were due,
--   collected, on time and overdue (status rules in int_point_status). The instrument
--   rows add up to the all-instruments row, so they share one suppression group; the
--   all-instruments row is a group of its own.
-- columns:
--   intervention_id: intervention id
--   period: quarter of the due date, YYYY-Qn
--   instrument_id: instrument id (NULL: all instruments)
--   suppression_group: intervention, quarter and 'all' or 'instrument'
--   is_suppressed: true when the cell's values are hidden
--   suppression_reason: small_cell | complementary | NULL
--   n_citizens: distinct citizens with a point due in the quarter
--   n_due: points that count towards completeness
--   n_collected: due points with a form
--   n_on_time: collected points measured within tolerance
--   n_overdue: points overdue without a form
--   share_collected: n_collected / n_due (NULL when nothing was due)
--   share_on_time: n_on_time / n_collected (NULL when nothing was collected)

with

statuses as (
    select * from mart_citizen_measurement_status
),

dated as (
    select
        intervention_id,
        instrument_id,
        citizen_id,
        is_due,
        is_collected,
        is_on_time,
        status,
        date_trunc('quarter', due_date) as quarter_start
    from statuses
    where due_date is not null
),

-- both levels in one pass: per instrument, and all instruments (instrument_id NULL)
aggregated as (
    select
        intervention_id,
        instrument_id,
        strftime(quarter_start, '%Y') || '-Q' || quarter(quarter_start) as period,
        count(distinct citizen_id) as n_citizens,
        count(*) filter (where is_due) as n_due,
        count(*) filter (where is_due and is_collected) as n_collected,
        count(*) filter (where is_collected and is_on_time) as n_on_time,
        count(*) filter (where status = 'overdue') as n_overdue
    from dated
    group by grouping sets (
        (intervention_id, quarter_start, instrument_id), (intervention_id, quarter_start)
    )
),

cells as (  -- noqa: ST03
    select
        *,
        n_collected / nullif(n_due, 0) as share_collected,
        n_on_time / nullif(n_collected, 0) as share_on_time,
        concat_ws(
            '|', intervention_id, period, if(instrument_id is null, 'all', 'instrument')
        ) as suppression_group
    from aggregated
),

suppressed as (
    select * from suppress_small_cells(cells)
),

final as (
    select
        suppressed.intervention_id,
        suppressed.period,
        suppressed.instrument_id,
        suppressed.suppression_group,
        suppressed.is_suppressed,
        suppressed.suppression_reason,
        suppressed.n_citizens,
        suppressed.n_due,
        suppressed.n_collected,
        suppressed.n_on_time,
        suppressed.n_overdue,
        suppressed.share_collected,
        suppressed.share_on_time
    from suppressed
)

select * from final
