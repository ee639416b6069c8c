-- model: mart_citizen_kik
-- grain: one row per fidelity (KiK) form and core element: how far each core element
--   was brought into play for the citizen, over time. Not suppressed.
-- incremental: course_id
-- materialized: view
-- columns:
--   course_id: course id
--   citizen_id: pseudonymised citizen id
--   intervention_id: intervention id
--   instrument_id: fidelity instrument id
--   form_id: form id
--   measured_on: date of the rating
--   point_id: measurement point (NULL when unplanned)
--   element_no: position of the core element (= item number)
--   core_element_id: core element id (NULL when the item has no core element)
--   core_element_name: core element name
--   rating: rating as given (NULL = missing)
--   note: staff's short note (CPR numbers masked by ingest)
--   is_valid: true when the rating lies in the instrument's range

with

fidelity_items as (
    select * from int_fidelity_items
),

final as (
    select
        course_id,
        citizen_id,
        intervention_id,
        instrument_id,
        form_id,
        measured_on,
        point_id,
        element_no,
        core_element_id,
        core_element_name,
        raw_value as rating,
        note,
        scored_value is not null as is_valid
    from fidelity_items
)

select * from final
