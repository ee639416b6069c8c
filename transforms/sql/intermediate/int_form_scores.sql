-- model: int_form_scores
-- grain: one row per form and scale ('total' and each subscale) of forms in
--   int_forms (for instruments whose items follow subjects: the total only).
-- incremental: course_id
-- materialized: temporary
-- Scoring rule (instrument config): items are reverse-scored first; then per scale
--   n_items_missing = expected items without a valid answer (no row, an empty value or
--   a value out of range). Expected items: the scale's items; for instruments whose
--   items follow subjects (GAS goals, KiK core elements), the items the form carries.
--   - n_items_answered = 0: no score, no_score_reason 'no_items_answered';
--   - n_items_missing > max_missing_items: no score, 'too_many_missing';
--   - otherwise scored, from the answered items only:
--       sum      = sum of items; with missing items prorated: mean of answered items
--                  x number of items in the scale;
--       mean     = mean of answered items;
--       mean_x10 = mean of answered items x 10 (CORE-OM clinical score);
--       gas      = Kiresuk-Sherman T-score with equal weights,
--                  50 + 10 sum(x) / sqrt((1 - rho) n + rho n^2).
-- columns:
--   form_id: form id
--   course_id: course the form belongs to
--   instrument_id: instrument id
--   measured_on: date the form was filled in
--   staff_id: staff member who collected it
--   rater_role: citizen | staff | parent | teacher
--   is_citizen_rated: true when the citizen rated
--   scale_id: 'total' or a subscale id
--   is_total: true for the total score
--   scoring: sum | mean | mean_x10 | gas
--   n_items_expected: items in the scale for this form
--   n_items_answered: items with a valid answer
--   n_items_missing: items missing or out of range
--   n_items_out_of_range: answers outside the item range
--   no_score_reason: no_items_answered | too_many_missing | NULL when scored
--   is_prorated: true when scored with some items missing
--   score: the scale score (NULL when not scored)

with

forms as (
    select * from int_forms
),

form_items as (
    select * from int_form_items
),

scale_items as (
    select * from ref.scale_items
),

scales as (
    select * from ref.scales
),

instruments as (
    select * from ref.instruments
),

-- every form gets every scale of its instrument, answered or not
form_scales as (
    select
        forms.form_id,
        forms.course_id,
        forms.instrument_id,
        forms.measured_on,
        forms.staff_id,
        forms.rater_role,
        forms.is_citizen_rated,
        scales.scale_id,
        scales.is_total,
        scales.n_scale_items,
        instruments.items_per_subject,
        instruments.scoring,
        instruments.gas_rho,
        instruments.max_missing_items
    from forms
    inner join instruments on forms.instrument_id = instruments.instrument_id
    inner join scales on forms.instrument_id = scales.instrument_id
    where not instruments.items_per_subject or scales.is_total
),

answered as (
    select
        form_items.form_id,
        scale_items.scale_id,
        count(*) as n_item_rows,
        count(form_items.scored_value) as n_items_answered,
        count(*) filter (where form_items.is_out_of_range) as n_items_out_of_range,
        sum(form_items.scored_value) as item_sum,
        avg(form_items.scored_value) as item_mean
    from form_items
    inner join scale_items
        on
            form_items.instrument_id = scale_items.instrument_id
            and form_items.item_no = scale_items.item_no
    group by form_items.form_id, scale_items.scale_id
),

counted as (
    select
        form_scales.*,
        answered.item_sum,
        answered.item_mean,
        coalesce(answered.n_items_answered, 0) as n_items_answered,
        coalesce(answered.n_items_out_of_range, 0) as n_items_out_of_range,
        -- items following subjects (goals, core elements): the items the form carries
        case
            when form_scales.items_per_subject then coalesce(answered.n_item_rows, 0)
            else form_scales.n_scale_items
        end as n_items_expected
    from form_scales
    left join answered
        on
            form_scales.form_id = answered.form_id
            and form_scales.scale_id = answered.scale_id
),

with_rule as (
    select
        *,
        n_items_expected - n_items_answered as n_items_missing,
        case
            when n_items_answered = 0 then 'no_items_answered'
            when n_items_expected - n_items_answered > max_missing_items
                then 'too_many_missing'
        end as no_score_reason
    from counted
),

final as (
    select
        form_id,
        course_id,
        instrument_id,
        measured_on,
        staff_id,
        rater_role,
        is_citizen_rated,
        scale_id,
        is_total,
        scoring,
        n_items_expected,
        n_items_answered,
        n_items_missing,
        n_items_out_of_range,
        no_score_reason,
        no_score_reason is null and n_items_missing > 0 as is_prorated,
        case
            when no_score_reason is not null then null
            when scoring = 'sum' and n_items_missing = 0 then item_sum
            when scoring = 'sum' then item_mean * n_items_expected
            when scoring = 'mean' then item_mean
            when scoring = 'mean_x10' then item_mean * 10
            when scoring = 'gas'
                then 50 + 10 * item_sum / sqrt(
                    (1 - gas_rho) * n_items_answered
                    + gas_rho * n_items_answered * n_items_answered
                )
        end as score
    from with_rule
)

select * from final
