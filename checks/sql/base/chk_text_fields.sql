-- view: chk_text_fields
-- grain: one row per non-empty free-text value in the run's scope: measurement notes,
--   goal descriptions and registration values.
-- columns:
--   table_name, column_name: where the text is
--   course_id, form_id, item_no: its keys (where they apply)
--   intervention_id, team_id: from the course
--   text_value: the text
--   file_name, row_no: lineage

with

texts as (
    select * from int_check_text_fields
),

loads as (
    select
        load_id,
        file_name
    from staging.loads
),

final as (
    select
        'staging.' || texts.source_table as table_name,
        texts.column_name,
        texts.course_id,
        texts.form_id,
        texts.item_no,
        texts.text_value,
        texts.row_no,
        loads.file_name,
        texts.intervention_id,
        texts.team_id
    from texts
    left join loads on texts.load_id = loads.load_id
    where chk_in_scope(texts.intervention_id, texts.team_id)
)

select * from final
