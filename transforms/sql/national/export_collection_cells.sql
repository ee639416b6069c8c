-- export: collection_cells
-- grain: one row per intervention, quarter of the due date and instrument (and one row
--   for all instruments, instrument_id NULL): the quality figures of
--   mart_measurement_collection_by_quarter as counts that add up across organisations,
--   with the organisation's own hiding taken from that mart.
-- columns:
--   intervention_id: intervention id
--   period: quarter of the due date, YYYY-Qn
--   instrument_id: instrument id (NULL: all instruments)
--   is_suppressed_locally: the organisation's own mart hides the cell
--   n_citizens: distinct citizens with a point due in the quarter
--   n_due: points that count towards completeness
--   n_collected: due points with a form
--   n_on_time: collected points measured within tolerance
--   n_overdue: points overdue without a form

with

statuses as (
    select * from mart_citizen_measurement_status
    where due_date is not null
),

local_mart as (
    select * from mart_measurement_collection_by_quarter
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
        strftime(due_date, '%Y') || '-Q' || quarter(due_date) as period
    from statuses
),

both_levels as (
    select * from dated
    union all
    select * replace (null as instrument_id) from dated
),

aggregated as (
    select
        intervention_id,
        period,
        instrument_id,
        count(distinct citizen_id) as n_citizens,
        count(*) filter (where is_due) as n_due,
        count(*) filter (where is_due and is_collected) as n_collected,
        count(*) filter (where is_collected and is_on_time) as n_on_time,
        count(*) filter (where status = 'overdue') as n_overdue
    from both_levels
    group by all
),

final as (
    select  -- noqa: ST06
        -- ids
        aggregated.intervention_id,
        aggregated.period,
        aggregated.instrument_id,
        -- hiding (fails closed: a cell the mart lacks counts as hidden)
        coalesce(local_mart.is_suppressed, true) as is_suppressed_locally,
        -- parts
        aggregated.n_citizens,
        aggregated.n_due,
        aggregated.n_collected,
        aggregated.n_on_time,
        aggregated.n_overdue
    from aggregated
    left join local_mart
        on
            aggregated.intervention_id = local_mart.intervention_id
            and aggregated.period = local_mart.period
            and aggregated.instrument_id is not distinct from local_mart.instrument_id
)

select * from final
