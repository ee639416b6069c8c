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

-- one row per instrument: its items' flags as lists indexed by item number (ref items
-- are 1..n_items). Inside the build's transaction the tables just written look empty to
-- DuckDB's planner; joined item by item, it paired every form with every item of its
-- instrument (9 M rows at 100 000 courses) before reading the measurements.
item_flags as (
    select
        instrument_id,
        list(is_reversed order by item_no) as is_reversed_by_item,
        list(is_in_total order by item_no) as is_in_total_by_item
    from ref.instrument_items
    group by instrument_id
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
        measurements.note,
        instruments.item_min,
        instruments.item_max,
        item_flags.is_reversed_by_item[measurements.item_no] as is_reversed,
        item_flags.is_in_total_by_item[measurements.item_no] as is_in_total
    from measurements
    inner join forms on measurements.form_id = forms.form_id
    inner join instruments on forms.instrument_id = instruments.instrument_id
    inner join item_flags on forms.instrument_id = item_flags.instrument_id
    where measurements.item_no between 1 and instruments.n_items
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
