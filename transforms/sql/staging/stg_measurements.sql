-- Typed measurements of one load: one row per form and item. Reads this load's
-- landing rows (_landing_measurements, _landing_measurement_forms: landing/lnd_*.sql,
-- before they are written; one of the two is empty).
-- Long exports land one record per answer (landing.measurements); wide exports land
-- one record per form with the answers in a map (landing.measurement_forms) and are
-- unpivoted here over items 1..n_items of the form's instrument: an empty or absent
-- cell is a missing answer (value null, never 0), item columns beyond n_items are
-- ignored. Instruments scored per subject (GAS: one item per goal, KiK: one per core
-- element) have as many items as the course has subjects, so their forms run to the
-- last answered item only (a form without any answer is missing_required). A wide
-- form is one record (row_no); a problem in one cell (cell_item_no) quarantines that
-- cell only, the form's other cells are still staged.
-- Output: the columns of staging.measurements, lineage, cell_item_no, problems.
-- A point label (e.g. Opstart, Afslutning) is mapped by value_codes to the plan's point
-- id (point_id; null when the export has no labels).
-- Variables (getvariable): date_format, decimal, codes_instrument_id,
-- codes_rater_role, codes_point_label, n_items (instrument id -> number of items), per_subject
-- (ids of the instruments scored per subject).
with

-- Long answers and wide cells are built apart and joined at the end (answers), so
-- each record is read once: a CTE used twice (one over both layouts) would be
-- materialized, about 0.1 s per million answers.
long_answers as (
    select
        form_ref,
        course_ref,
        instrument_id,
        measured_on,
        staff_id,
        rater_role,
        note,
        point_label,
        item_no as item_text,
        value as value_text,
        row_no,
        false as is_wide,
        cast(null as integer) as cell_item_no
    from _landing_measurements
),

wide_forms as (
    select
        *,
        staging.code(getvariable('codes_instrument_id'), instrument_id) as instrument_id_coded
    from _landing_measurement_forms
),

wide_items as (
    select
        *,
        staging.n_items(getvariable('n_items'), instrument_id_coded) as n_items,
        list_contains(
            cast(getvariable('per_subject') as varchar[]), instrument_id_coded
        ) as is_per_subject,
        -- the highest item number with an answer (0 when none)
        coalesce(
            list_max(
                list_transform(
                    list_filter(
                        map_entries(items), e -> staging.clean_text(e.value) is not null
                    ),
                    e -> e.key
                )
            ),
            0
        ) as last_answered
    from wide_forms
),

wide_cells as (
    select
        *,
        -- one row per item of the instrument; a single row without an item when the
        -- instrument is unknown or nothing is answered, to carry the form's problems
        unnest(
            case
                when n_items is null then [null]
                when is_per_subject and last_answered = 0 then [null]
                when is_per_subject then range(1, least(n_items, last_answered) + 1)
                else range(1, n_items + 1)
            end
        ) as cell_item
    from wide_items
),

wide_answers as (
    select
        form_ref,
        course_ref,
        instrument_id,
        measured_on,
        staff_id,
        rater_role,
        note,
        point_label,
        cast(cell_item as varchar) as item_text,
        items[cast(cell_item as integer)] as value_text,
        row_no,
        true as is_wide,
        cast(cell_item as integer) as cell_item_no
    from wide_cells
),

answers as (
    select * from long_answers
    union all by name
    select * from wide_answers
),

cleaned as (
    select
        -- lineage
        row_no,
        cell_item_no,
        is_wide,
        -- text as received, trimmed, empty -> null
        staging.clean_text(form_ref) as form_id,
        staging.clean_text(course_ref) as course_id,
        staging.clean_text(instrument_id) as instrument_raw,
        staging.clean_text(measured_on) as measured_on_raw,
        staging.clean_text(staff_id) as staff_id,
        staging.clean_text(rater_role) as rater_role_raw,
        staging.clean_text(item_text) as item_raw,
        staging.clean_text(value_text) as value_raw,
        staging.clean_text(note) as note,
        staging.clean_text(point_label) as point_label_raw
    from answers
),

coded as (
    select
        *,
        staging.lookup(getvariable('codes_instrument_id'), instrument_raw) as instrument_id,
        staging.lookup(getvariable('codes_point_label'), point_label_raw) as point_id
    from cleaned
),

with_items as (
    select
        *,
        staging.n_items(getvariable('n_items'), instrument_id) as n_items
    from coded
),

parsed as (
    select
        *,
        staging.plausible_date(
            try_strptime(measured_on_raw, getvariable('date_format'))
        ) as measured_on,
        staging.lookup(getvariable('codes_rater_role'), rater_role_raw) as rater_role,
        try_cast(staging.number_text(item_raw, getvariable('decimal')) as double) as item_number,
        try_cast(staging.number_text(value_raw, getvariable('decimal')) as double) as value_number,
        coalesce(course_id in (select s.course_id from staging.courses as s), false)
            as is_known_course
    from with_items
),

typed as (
    select
        * exclude (item_number, value_number),
        staging.whole(item_number) as item_no,
        staging.finite(value_number) as value  -- noqa: RF04
    from parsed
),

checks as (
    select
        *,
        case
            when form_id is null then 'missing_required'
            when contains(form_id, '[CPR]') then 'cpr_in_id'
        end as rule_form,
        case
            when course_id is null then 'missing_required'
            when contains(course_id, '[CPR]') then 'cpr_in_id'
            when not is_known_course then 'unknown_course'
        end as rule_course,
        case
            when instrument_raw is null then 'missing_required'
            when instrument_id is null then 'unknown_code'
        end as rule_instrument,
        case
            when measured_on_raw is null then 'missing_required'
            when measured_on is null then 'invalid_date'
        end as rule_measured_on,
        case when contains(staff_id, '[CPR]') then 'cpr_in_id' end as rule_staff,
        case
            when rater_role_raw is not null and rater_role is null then 'unknown_code'
        end as rule_rater_role,
        case
            -- a wide form of a known instrument without any answered item
            when is_wide and cell_item_no is null and n_items is not null then 'missing_required'
            when is_wide then null
            when item_raw is null then 'missing_required'
            when item_no is null then 'invalid_number'
            when n_items is not null and item_no not between 1 and n_items
                then 'item_out_of_instrument'
        end as rule_item,
        case when value_raw is not null and value is null then 'invalid_number' end as rule_value,
        case
            when point_label_raw is not null and point_id is null then 'unknown_code'
        end as rule_point
    from typed
),

final as (
    select
        form_id,
        course_id,
        instrument_id,
        measured_on,
        staff_id,
        rater_role,
        item_no,
        value,
        note,
        point_id,
        row_no,
        cell_item_no,
        case
            when
                coalesce(
                    rule_form, rule_course, rule_instrument, rule_measured_on,
                    rule_staff, rule_rater_role, rule_item, rule_value, rule_point
                ) is not null
                then list_filter(
                    [
                        staging.problem(rule_form, 'form_ref', form_id, null),
                        staging.problem(rule_course, 'course_ref', course_id, null),
                        staging.problem(rule_instrument, 'instrument_id', instrument_raw, null),
                        staging.problem(rule_measured_on, 'measured_on', measured_on_raw, null),
                        staging.problem(rule_staff, 'staff_id', staff_id, null),
                        staging.problem(rule_rater_role, 'rater_role', rater_role_raw, null),
                        staging.problem(
                            rule_item, case when is_wide then 'value' else 'item_no' end,
                            item_raw, '1..' || n_items
                        ),
                        staging.problem(rule_value, 'value', value_raw, null),
                        staging.problem(rule_point, 'point_label', point_label_raw, null)
                    ],
                    p -> p is not null
                )
        end as problems
    from checks
)

select * from final
