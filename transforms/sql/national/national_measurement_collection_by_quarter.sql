-- model: national_measurement_collection_by_quarter
-- grain: one row per intervention, quarter of the due date and instrument (and one row
--   for all instruments, instrument_id NULL), summed over the organisations whose export
--   is in the roll-up: planned measurements due, collected, on time and overdue.
-- Hiding after summing as in national_progression_by_point (hidden_locally, then
--   suppress_small_cells); the instrument rows of an intervention and quarter share one
--   suppression group (they add up to the all-instruments row), so one hidden
--   instrument row takes a complementary one with it.
-- columns:
--   intervention_id: intervention id
--   period: quarter of the due date, YYYY-Qn
--   instrument_id: instrument id (NULL: all instruments)
--   organisations: organisations with a part in the cell
--   organisations_hidden_locally: organisations whose own mart hides their part
--   suppression_group: intervention, quarter and 'all' or 'instrument'
--   is_suppressed: true when the cell's values are hidden
--   suppression_reason: hidden_locally | small_cell | complementary | NULL
--   n_citizens: citizens with a point due in the quarter, summed over organisations
--   n_due: points that count towards completeness
--   n_collected: due points with a form
--   n_on_time: collected points measured within tolerance
--   n_overdue: points overdue without a form
--   share_collected: n_collected / n_due (NULL when nothing was due)
--   share_on_time: n_on_time / n_collected (NULL when nothing was collected)

with

parts as (
    select * from exchange_collection_cells
),

settings as (
    select * from ref.settings
),

summed as (
    select
        intervention_id,
        period,
        instrument_id,
        count(*) as organisations,
        count(*) filter (where is_suppressed_locally) as organisations_hidden_locally,
        coalesce(sum(n_citizens) filter (where is_suppressed_locally), 0)
            as citizens_hidden_locally,
        sum(n_citizens) as citizens_total,
        sum(n_due) as due_total,
        sum(n_collected) as collected_total,
        sum(n_on_time) as on_time_total,
        sum(n_overdue) as overdue_total
    from parts
    group by all
),

judged as (
    select
        *,
        organisations_hidden_locally = 1
        or (
            organisations_hidden_locally > 1
            and citizens_hidden_locally < (select s.small_cell_k from settings as s)
        ) as is_recoverable
    from summed
),

-- cells is read by name inside the suppression macro, which sqlfluff cannot see
cells as (  -- noqa: ST03
    select  -- noqa: ST06
        intervention_id,
        period,
        instrument_id,
        organisations,
        organisations_hidden_locally,
        is_recoverable,
        -- a recoverable cell enters the macro as empty, so the macro hides it
        if(is_recoverable, 0, citizens_total) as n_citizens,
        due_total as n_due,
        collected_total as n_collected,
        on_time_total as n_on_time,
        overdue_total as n_overdue,
        collected_total / nullif(due_total, 0) as share_collected,
        on_time_total / nullif(collected_total, 0) as share_on_time,
        concat_ws(
            '|', intervention_id, period, if(instrument_id is null, 'all', 'instrument')
        ) as suppression_group
    from judged
),

suppressed as (
    select * from suppress_small_cells(cells)
),

final as (
    select  -- noqa: ST06
        -- ids
        intervention_id,
        period,
        instrument_id,
        organisations,
        organisations_hidden_locally,
        -- hiding
        suppression_group,
        is_suppressed,
        if(is_recoverable, 'hidden_locally', suppression_reason) as suppression_reason,
        -- values
        n_citizens,
        n_due,
        n_collected,
        n_on_time,
        n_overdue,
        share_collected,
        share_on_time
    from suppressed
)

select * from final
