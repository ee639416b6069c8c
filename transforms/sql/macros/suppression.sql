-- Small-cell suppression: the one place that decides which aggregated cells are hidden.
--
-- suppress_small_cells(cells) is a table macro over a CTE or table named by `cells`.
-- The input needs, per row (cell):
--   n_citizens         distinct citizens behind the cell
--   suppression_group  cells that add up to a shown (or derivable) total share one group
-- Rule, with k = ref.settings.small_cell_k (config privacy.small_cell_k):
--   1. primary: a cell with n_citizens < k is hidden;
--   2. secondary (complementary): if exactly one cell of a group is hidden, the smallest
--      remaining cell of that group (ties: lowest key text) is hidden too, so the hidden
--      value cannot be recovered from the group total.
-- Output: every input column, plus is_suppressed and suppression_reason
-- ('small_cell' | 'complementary' | NULL). In hidden rows every value column, i.e. every
-- column whose name starts with n_, mean_, sd_, share_, ci_ or median_, is NULL.
-- Key columns must therefore not use those prefixes.

create or replace macro suppress_small_cells(cells) as table
    with

    source_cells as (
        select
            *,
            -- fails closed: without a k (or an n) every cell is hidden
            coalesce(
                n_citizens < (select s.small_cell_k from ref.settings as s), true
            ) as _is_primary
        from query_table(cells)
    ),

    ranked as (
        select
            *,
            count(*) filter (where _is_primary)
                over (partition by suppression_group) as _n_primary_in_group,
            row_number() over (
                partition by suppression_group, _is_primary
                order by
                    n_citizens,
                    concat_ws('|', *columns(c -> not starts_with(c, '_')))
            ) as _rank_in_kind
        from source_cells
    ),

    flagged as (
        select
            *,
            not _is_primary
            and _n_primary_in_group = 1
            and _rank_in_kind = 1 as _is_complementary
        from ranked
    ),

    final as (
        select
            columns(
                c -> not starts_with(c, '_')
                and not regexp_matches(c, '^(n|mean|sd|share|ci|median)_')
            ),
            _is_primary or _is_complementary as is_suppressed,
            case
                when _is_primary then 'small_cell'
                when _is_complementary then 'complementary'
            end as suppression_reason,
            case
                when _is_primary or _is_complementary then null
                else
                    columns(
                        c -> regexp_matches(c, '^(n|mean|sd|share|ci|median)_')
                    )
            end
        from flagged
    )

    select * from final
