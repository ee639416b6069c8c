-- rule: cpr_in_text
-- table: staging.measurements
-- checked: chk_text_fields
-- figures: all
-- description: A free-text field still holds something shaped like a CPR number
--   (ddmmyy-xxxx, the pattern ingest masks with, landing.cpr_regex()). Ingest masks
--   them, so a hit means text reached the database another way.
-- fix: Mask or delete the text in the database now, find how it got past ingest, and
--   remove it from the source system's export.

with

texts as (
    select * from chk_text_fields
),

final as (
    select
        'cpr_in_text' as rule_id,
        chk_severity('cpr_in_text') as severity,
        table_name,
        intervention_id,
        team_id,
        course_id,
        form_id,
        item_no,
        'a ' || column_name || ' value holds a CPR-shaped number' as reason,
        file_name,
        row_no
    from texts
    where regexp_matches(text_value, landing.cpr_regex())
)

select * from final
