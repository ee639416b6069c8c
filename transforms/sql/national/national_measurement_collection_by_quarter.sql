-- model: national_measurement_collection_by_quarter
-- grain: one row per intervention, quarter of the due date and instrument (and one row
--   for all instruments, instrument_id NULL), summed over the organisations whose export
--   is in the roll-up: planned measurements due, collected, on time and overdue.
-- Hiding after summing (k = ref.settings.small_cell_k):
--   1. primary, per cell as in national_progression_by_point: hidden_locally (exactly
--      one organisation hides its part, or the hidden parts cover fewer than k
--      citizens), else small_cell (fewer than k citizens in all);
--   2. complementary: the all-instruments row and the instrument rows of an
--      intervention and quarter are one suppression group, because the counts of the
--      instrument rows add up to the all-instruments row (all = sum of the parts). When
--      exactly one cell of the group is hidden, it could be worked back from the others
--      (a hidden all-instruments row as the sum of its shown instrument rows, then the
--      hiding organisation's part as that sum minus the other organisations' figures),
--      so one more cell of the group is hidden: preferably one holding a locally hidden
--      part (a cell every organisation shows could be summed from their own figures and
--      would protect nothing), then the one with the fewest citizens, then the lowest
--      instrument id (the all-instruments row last).
--   With two or more hidden cells in a group, the one equation of the group gives none
--   of them back. The macro suppress_small_cells then empties the hidden rows' values.
-- columns:
--   intervention_id: intervention id
--   period: quarter of the due date, YYYY-Qn
--   instrument_id: instrument id (NULL: all instruments)
--   organisations: organisations with a part in the cell
--   organisations_hidden_locally: organisations whose own mart hides their part
--   suppression_group: intervention and quarter (the all-instruments row and its
--     instrument rows)
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

-- the primary decision per cell, before any complementary hiding
primary_hidden as (
    select
        *,
        is_recoverable
        or citizens_total < (select s.small_cell_k from settings as s) as is_primary,
        concat_ws('|', intervention_id, period) as publication_group
    from judged
),

ranked as (
    select
        *,
        count(*) filter (where is_primary)
            over (partition by publication_group) as primary_in_group,
        row_number() over (
            partition by publication_group, is_primary
            order by
                organisations_hidden_locally = 0,
                citizens_total,
                instrument_id is null,
                instrument_id
        ) as rank_in_kind
    from primary_hidden
),

flagged as (
    select
        *,
        not is_primary and primary_in_group = 1 and rank_in_kind = 1 as is_complementary
    from ranked
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
        is_complementary,
        -- a cell hidden above enters the macro as empty, so the macro hides it; each
        -- cell is its own group there (the complementary cell is chosen above)
        if(is_recoverable or is_complementary, 0, citizens_total) as n_citizens,
        due_total as n_due,
        collected_total as n_collected,
        on_time_total as n_on_time,
        overdue_total as n_overdue,
        collected_total / nullif(due_total, 0) as share_collected,
        on_time_total / nullif(collected_total, 0) as share_on_time,
        publication_group,
        concat_ws('|', publication_group, coalesce(instrument_id, 'all'))
            as suppression_group
    from flagged
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
        publication_group as suppression_group,
        is_suppressed,
        case
            when is_recoverable then 'hidden_locally'
            when is_complementary then 'complementary'
            else suppression_reason
        end as suppression_reason,
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
