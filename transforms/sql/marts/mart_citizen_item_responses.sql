-- model: mart_citizen_item_responses
-- grain: one row per item answer a form carries: the answers behind each score
--   (item-level view for the citizen-level meeting). Items absent from the export have
--   no row (they count as missing in the score). Not suppressed: for staff on the course.
-- incremental: course_id
-- materialized: view
-- columns:
--   course_id: course id
--   citizen_id: pseudonymised citizen id
--   intervention_id: intervention id
--   instrument_id: instrument id
--   form_id: form id
--   measured_on: date of the form
--   point_id: measurement point (NULL when unplanned)
--   rater_role: citizen | staff | parent | teacher
--   item_no: item number (no item texts are shipped)
--   raw_value: answer as received (NULL = missing)
--   scored_value: answer used in scores (reversed where configured)
--   is_missing: true when unanswered
--   is_out_of_range: true when outside the item range
--   is_reversed: true for reverse-scored items
--   is_in_total: true when the item counts in the total
--   note: note on the item (CPR numbers masked by ingest)

with

form_items as (
    select * from int_form_items
),

form_points as (
    select * from int_form_points
),

final as (
    select
        form_items.course_id,
        form_items.citizen_id,
        form_items.intervention_id,
        form_items.instrument_id,
        form_items.form_id,
        form_items.measured_on,
        form_points.point_id,
        form_items.rater_role,
        form_items.item_no,
        form_items.raw_value,
        form_items.scored_value,
        form_items.is_missing,
        form_items.is_out_of_range,
        form_items.is_reversed,
        form_items.is_in_total,
        form_items.note
    from form_items
    left join form_points on form_items.form_id = form_points.form_id
)

select * from final
