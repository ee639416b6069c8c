-- view: chk_outlier_cells
-- materialize: true
-- grain: one row per cell (intervention, instrument, measurement point) of chk_scores
--   with at least outlier_min_n scores: the statistics outliers are judged against.
-- columns:
--   intervention_id, instrument_id, point_key: the cell
--   n_cell, cell_mean, cell_sd (sample), cell_median
--   cell_mad: median absolute deviation from the median (0 when more than half the
--     cell has the median score)

with

scores as (
    select * from chk_scores
),

params as (
    select * from chk_params
),

cells as (
    select
        intervention_id,
        instrument_id,
        point_key,
        count(*) as n_cell,
        avg(score) as cell_mean,
        stddev_samp(score) as cell_sd,
        median(score) as cell_median
    from scores
    group by intervention_id, instrument_id, point_key
),

judged as (
    select cells.*
    from cells
    cross join params
    where cells.n_cell >= params.outlier_min_n
),

mads as (
    select
        judged.intervention_id,
        judged.instrument_id,
        judged.point_key,
        median(abs(scores.score - judged.cell_median)) as cell_mad
    from scores
    inner join judged
        on
            scores.intervention_id = judged.intervention_id
            and scores.instrument_id = judged.instrument_id
            and scores.point_key = judged.point_key
    group by judged.intervention_id, judged.instrument_id, judged.point_key
),

final as (
    select
        judged.*,
        mads.cell_mad
    from judged
    inner join mads
        on
            judged.intervention_id = mads.intervention_id
            and judged.instrument_id = mads.instrument_id
            and judged.point_key = mads.point_key
)

select * from final
