-- view: chk_outlier_scores
-- grain: one row per scored form total (chk_scores) that is an outlier in its cell
--   (chk_outlier_cells: intervention, instrument, measurement point with at least
--   outlier_min_n scores).
-- z = (x - mean) / sd of the cell; modified z = 0.6745 (x - median) / MAD (NULL when
--   MAD = 0). Outlier class:
--   extreme  |z| >= outlier_sd_extreme or |modified z| >= outlier_modified_z
--   moderate outlier_sd_moderate <= |z| (and not extreme)
-- columns: the chk_scores columns, plus n_cell, cell_mean, cell_sd, cell_median,
--   cell_mad, z, modified_z, outlier_class (extreme | moderate)

with

scores as (
    select * from chk_scores
),

cells as (
    select * from chk_outlier_cells
),

params as (
    select * from chk_params
),

scored as (
    select
        scores.*,
        cells.n_cell,
        cells.cell_mean,
        cells.cell_sd,
        cells.cell_median,
        cells.cell_mad,
        case when cells.cell_sd > 0 then (scores.score - cells.cell_mean) / cells.cell_sd end
            as z,
        case
            when cells.cell_mad > 0
                then 0.6745 * (scores.score - cells.cell_median) / cells.cell_mad
        end as modified_z
    from scores
    inner join cells
        on
            scores.intervention_id = cells.intervention_id
            and scores.instrument_id = cells.instrument_id
            and scores.point_key = cells.point_key
),

classified as (
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
),

final as (
    select * from classified
    where outlier_class is not null
)

select * from final
