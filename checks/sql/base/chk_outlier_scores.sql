-- view: chk_outlier_scores
-- materialize: true
-- grain: one row per scored form total (chk_scores) in a cell (intervention, instrument,
--   measurement point) with at least outlier_min_n scores, with its z and modified z.
-- z = (x - mean) / sd of the cell; modified z = 0.6745 (x - median) / MAD, MAD the
--   median absolute deviation from the median (NULL when MAD = 0, i.e. more than half
--   the cell has the median score). Outlier class:
--   extreme  |z| >= outlier_sd_extreme or |modified z| >= outlier_modified_z
--   moderate outlier_sd_moderate <= |z| (and not extreme)
-- columns: the chk_scores columns, plus n_cell, cell_mean, cell_sd, cell_median,
--   cell_mad, z, modified_z, outlier_class (extreme | moderate | NULL)

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

mads as (
    select
        cells.intervention_id,
        cells.instrument_id,
        cells.point_key,
        median(abs(scores.score - cells.cell_median)) as cell_mad
    from scores
    inner join cells
        on
            scores.intervention_id = cells.intervention_id
            and scores.instrument_id = cells.instrument_id
            and scores.point_key = cells.point_key
    cross join params
    where cells.n_cell >= params.outlier_min_n
    group by cells.intervention_id, cells.instrument_id, cells.point_key
),

with_cells as (
    select
        scores.*,
        cells.n_cell,
        cells.cell_mean,
        cells.cell_sd,
        cells.cell_median,
        mads.cell_mad
    from scores
    inner join cells
        on
            scores.intervention_id = cells.intervention_id
            and scores.instrument_id = cells.instrument_id
            and scores.point_key = cells.point_key
    inner join mads
        on
            scores.intervention_id = mads.intervention_id
            and scores.instrument_id = mads.instrument_id
            and scores.point_key = mads.point_key
),

scored as (
    select
        *,
        case when cell_sd > 0 then (score - cell_mean) / cell_sd end as z,
        case when cell_mad > 0 then 0.6745 * (score - cell_median) / cell_mad end as modified_z
    from with_cells
),

final as (
    select
        scored.*,
        case
            when
                abs(scored.z) >= params.outlier_sd_extreme
                or abs(scored.modified_z) >= params.outlier_modified_z
                then 'extreme'
            when abs(scored.z) >= params.outlier_sd_moderate then 'moderate'
        end as outlier_class
    from scored
    cross join params
)

select * from final
