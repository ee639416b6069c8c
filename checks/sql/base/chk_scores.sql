-- view: chk_scores
-- materialize: true
-- grain: one row per scored form total (int_scores: is_total, score not NULL) of a
--   course in the run's scope, with the instrument's facts and the form's lineage.
-- Goal-rating T-scores (score_source goal_ratings) are included; they have no file row.
-- columns: the int_scores columns, plus
--   instrument_kind: validated | dialogue | fidelity
--   item_min, item_max, n_items: the instrument's item range and length
--   point_key: point_id, or 'unplanned' for a form assigned to no point
--   file_name, row_no: the form's first row in the export (NULL for goal ratings)

with

scores as (
    select * from int_scores
),

courses as (
    select * from chk_courses
),

instruments as (
    select * from ref.instruments
),

forms as (
    select * from chk_forms
),

final as (
    select
        scores.*,
        instruments.kind as instrument_kind,
        instruments.item_min,
        instruments.item_max,
        instruments.n_items,
        coalesce(scores.point_id, 'unplanned') as point_key,
        forms.file_name,
        forms.row_no
    from scores
    inner join courses on scores.course_id = courses.course_id
    inner join instruments on scores.instrument_id = instruments.instrument_id
    left join forms on scores.form_id = forms.form_id
    where scores.is_total and scores.score is not null
)

select * from final
