-- model: int_form_items
-- grain: one row per form and expected item. For fixed-item instruments every item
--   1..n_items is expected (an absent row is a missing answer); for instruments whose
--   items follow subjects (GAS goals, KiK core elements) the items the form carries are
--   expected. A value outside item_min..item_max counts as missing for scoring.
-- columns:
--   form_id: form id
--   course_id: course the form belongs to
--   instrument_id: instrument id
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

forms as (
    select * from int_forms
),

measurements as (
    select * from staging.measurements
),

instruments as (
    select * from ref.instruments
),

instrument_items as (
    select * from ref.instrument_items
),

expected_fixed as (
    select
        forms.form_id,
        instrument_items.item_no
    from forms
    inner join instruments on forms.instrument_id = instruments.instrument_id
    inner join instrument_items on forms.instrument_id = instrument_items.instrument_id
    where not instruments.items_per_subject
),

expected_per_subject as (
    select
        measurements.form_id,
        measurements.item_no
    from measurements
    inner join forms on measurements.form_id = forms.form_id
    inner join instruments on forms.instrument_id = instruments.instrument_id
    where
        instruments.items_per_subject
        and measurements.item_no between 1 and instruments.n_items
),

expected as (
    select * from expected_fixed
    union all
    select * from expected_per_subject
),

joined as (
    select
        expected.form_id,
        forms.course_id,
        forms.instrument_id,
        expected.item_no,
        measurements.value as raw_value,
        measurements.note,
        instrument_items.is_reversed,
        instrument_items.is_in_total,
        instruments.item_min,
        instruments.item_max
    from expected
    inner join forms on expected.form_id = forms.form_id
    inner join instruments on forms.instrument_id = instruments.instrument_id
    inner join instrument_items
        on
            forms.instrument_id = instrument_items.instrument_id
            and expected.item_no = instrument_items.item_no
    left join measurements
        on
            expected.form_id = measurements.form_id
            and expected.item_no = measurements.item_no
),

final as (
    select
        form_id,
        course_id,
        instrument_id,
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
