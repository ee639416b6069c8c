-- model: int_fidelity_items
-- grain: one row per fidelity form (instrument kind 'fidelity', e.g. KiK) and item;
--   item n is the intervention's n-th core element (config order).
-- columns:
--   form_id: form id
--   course_id: course id
--   citizen_id: pseudonymised citizen id
--   intervention_id: intervention id
--   instrument_id: fidelity instrument id
--   measured_on: date of the form
--   point_id: assigned measurement point (NULL when unplanned)
--   element_no: item number = position of the core element
--   core_element_id: core element id (NULL when the item has no core element)
--   core_element_name: core element name
--   raw_value: the rating as received (NULL = missing)
--   scored_value: rating used (NULL when missing or out of range)
--   note: staff's short note on the core element (CPR numbers masked by ingest)

with

form_items as (
    select * from int_form_items
),

forms as (
    select * from int_forms
),

form_points as (
    select * from int_form_points
),

instruments as (
    select * from ref.instruments
),

core_elements as (
    select * from ref.core_elements
),

final as (
    select
        form_items.form_id,
        form_items.course_id,
        forms.citizen_id,
        forms.intervention_id,
        form_items.instrument_id,
        forms.measured_on,
        form_points.point_id,
        form_items.item_no as element_no,
        core_elements.core_element_id,
        core_elements.core_element_name,
        form_items.raw_value,
        form_items.scored_value,
        form_items.note
    from form_items
    inner join forms on form_items.form_id = forms.form_id
    inner join instruments on form_items.instrument_id = instruments.instrument_id
    left join form_points on form_items.form_id = form_points.form_id
    left join core_elements
        on
            forms.intervention_id = core_elements.intervention_id
            and form_items.item_no = core_elements.element_no
    where instruments.kind = 'fidelity'
)

select * from final
