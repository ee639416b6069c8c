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

landed as (
    select
        load_id,
        row_no,
        form_ref,
        course_ref
    from landing.measurement_forms_fields
    union all
    select
        load_id,
        row_no,
        form_ref,
        course_ref
    from landing.measurements_fields
),

forms as (
    select distinct
        quarantined.load_id,
        coalesce(landed.form_ref, 'row ' || quarantined.row_no) as form_key,
        staging.clean_text(landed.course_ref) as course_ref
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
