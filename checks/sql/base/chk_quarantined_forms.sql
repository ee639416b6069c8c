-- view: chk_quarantined_forms
-- grain: one row per measurement form of an export that is in quarantine and whose
--   course is not staged (an unknown course, or a course or citizen that was itself
--   quarantined). Each counts as one due and missing measurement of the organisation in
--   completeness (chk_point_rates): the quarantined record names no intervention or team
--   (only a course ref), so it is counted in the organisation total only, and only in
--   runs for the whole organisation. A quarantined form of a staged course is not here:
--   its planned point already counts as due and missing.
-- A form is a record of a wide export (landing.measurement_forms), or the records of a
--   long export (landing.measurements) with the same form ref in the same load.
-- columns: load_id, form_key (form ref, else the record number), course_ref

with

quarantined as (
    select * from chk_quarantined
    where canonical_table = 'measurements'
),

staged_courses as (
    select course_id from staging.courses
),

-- the raw records (JSON arrays of their text fields), joined before a field is read:
-- the landing.*_fields views parse every landed record's JSON (7 million at 100 000
-- courses, 0.2-0.4 s) where only the quarantined few are needed. Fields 0 and 1 are
-- form_ref and course_ref in both layouts (transforms/sql/ddl/staging.sql).
landed as (
    select
        load_id,
        row_no,
        fields
    from landing.measurement_forms
    union all
    select
        load_id,
        row_no,
        fields
    from landing.measurements
),

forms as (
    select distinct
        quarantined.load_id,
        coalesce(landed.fields ->> 0, 'row ' || quarantined.row_no) as form_key,
        staging.clean_text(landed.fields ->> 1) as course_ref
    from quarantined
    inner join landed
        on
            quarantined.load_id = landed.load_id
            and quarantined.row_no = landed.row_no
),

final as (
    select
        forms.load_id,
        forms.form_key,
        forms.course_ref
    from forms
    where
        getvariable('chk_scope_kind') = 'organisation'
        and (
            forms.course_ref is null
            or forms.course_ref not in (select staged_courses.course_id from staged_courses)
        )
)

select * from final
