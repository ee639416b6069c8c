-- model: int_form_items
-- grain: one row per item answer a form carries (staging.measurements rows with an
--   item number in 1..n_items of a form in int_forms). An item with no row at all is
--   not listed here; scoring counts it as missing all the same (int_form_scores).
-- incremental: course_id
-- materialized: view
-- A value outside item_min..item_max counts as missing for scoring.
-- columns:
--   form_id: form id
--   course_id: course the form belongs to
--   citizen_id: pseudonymised citizen id
--   intervention_id: the course's intervention
--   instrument_id: instrument id
--   measured_on: date of the form
--   rater_role: citizen | staff | parent | teacher
--   item_no: item number (1-based)
--   raw_value: the answer as received (NULL = missing; never read as 0)
--   is_reversed: true when the item is reverse-scored
--   is_in_total: true when the item counts in the total score
--   note: free-text note on the item (CPR numbers masked by ingest)
--   is_missing: true when no answer was given
--   is_out_of_range: true when the answer lies outside item_min..item_max
--   scored_value: answer used for scoring: reversed items item_min + item_max - answer;
--     NULL when missing or out of range

with

measurements as (
    select * from staging.measurements
),

forms as (
    select * from int_forms
),

instruments as (
    select * from ref.instruments
),

instrument_items as (
    select * from ref.instrument_items
),

joined as (
    select
        measurements.form_id,
        forms.course_id,
        forms.citizen_id,
        forms.intervention_id,
        forms.instrument_id,
        forms.measured_on,
        forms.rater_role,
        measurements.item_no,
        measurements.value as raw_value,
        instrument_items.is_reversed,
        instrument_items.is_in_total,
        measurements.note,
        instruments.item_min,
        instruments.item_max
    from measurements
    inner join forms on measurements.form_id = forms.form_id
    inner join instruments on forms.instrument_id = instruments.instrument_id
    inner join instrument_items
        on
            forms.instrument_id = instrument_items.instrument_id
            and measurements.item_no = instrument_items.item_no
),

final as (
    select
        form_id,
        course_id,
        citizen_id,
        intervention_id,
        instrument_id,
        measured_on,
        rater_role,
        item_no,
        raw_value,
        is_reversed,
        is_in_total,
        note,
        raw_value is null as is_missing,
        coalesce(raw_value < item_min or raw_value > item_max, false) as is_out_of_range,
        case
            when raw_value between item_min and item_max
                then case when is_reversed then item_min + item_max - raw_value else raw_value end
        end as scored_value
    from joined
)

select * from final
