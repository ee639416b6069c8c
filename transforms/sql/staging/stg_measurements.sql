-- Typed measurements of one load: one row per form and item.
-- Long exports land one record per answer (landing.measurements); wide exports land
-- one record per form with the answers in a map (landing.measurement_forms) and are
-- unpivoted here over items 1..n_items of the form's instrument: an empty or absent
-- cell is a missing answer (value null, never 0), item columns beyond n_items are
-- ignored. A wide form is one record (row_no); a problem in one cell (cell_item_no)
-- quarantines that cell only, the form's other cells are still staged.
-- Output: the columns of staging.measurements, lineage, cell_item_no, problems.
-- Parameters: $load_id, $date_format, $decimal.
with

long_records as (
    select
        form_ref,
        course_ref,
        instrument_id,
        measured_on,
        staff_id,
        rater_role,
        note,
        item_no as item_text,
        value as value_text,
        cast(null as map(integer, varchar)) as items,
        false as is_wide,
        load_id,
        source_id,
        file_name,
        row_no
    from landing.measurements
    where load_id = $load_id
),

wide_records as (
    select
        form_ref,
        course_ref,
        instrument_id,
        measured_on,
        staff_id,
        rater_role,
        note,
        cast(null as varchar) as item_text,
        cast(null as varchar) as value_text,
        items,
        true as is_wide,
        load_id,
        source_id,
        file_name,
        row_no
    from landing.measurement_forms
    where load_id = $load_id
),

codes as (
    select * from _codes
),

instruments as (
    select * from _instruments
),

known_courses as (
    select course_id from staging.courses
),

records as (
    select * from long_records
    union all
    select * from wide_records
),

coded as (
    select
        records.*,
        instrument_codes.value as instrument_id_coded,
        rater_codes.value as rater_role_coded,
        instruments.n_items
    from records
    left join codes as instrument_codes
        on
            instrument_codes.column_name = 'instrument_id'
            and instrument_codes.code = staging.clean_text(records.instrument_id)
    left join codes as rater_codes
        on
            rater_codes.column_name = 'rater_role'
            and rater_codes.code = staging.clean_text(records.rater_role)
    left join instruments
        on instrument_codes.value = instruments.instrument_id
),

long_answers as (
    select
        *,
        cast(null as integer) as cell_item_no
    from coded
    where not is_wide
),

wide_cells as (
    select
        * exclude (item_text, value_text),
        -- one row per item of the instrument; a single row without an item when the
        -- instrument is unknown, to carry the form's problems
        unnest(
            case when n_items is null then [null] else range(1, n_items + 1) end
        ) as cell_item
    from coded
    where is_wide
),

wide_answers as (
    select
        * exclude (cell_item),
        cast(cell_item as varchar) as item_text,
        items[cast(cell_item as integer)] as value_text,
        cast(cell_item as integer) as cell_item_no
    from wide_cells
),

answers as (
    select * from long_answers
    union all by name
    select * from wide_answers
),

typed as (
    select
        -- ids
        staging.clean_text(form_ref) as form_id,
        staging.clean_text(course_ref) as course_id,
        instrument_id_coded as instrument_id,
        -- form
        staging.to_date(measured_on, $date_format) as measured_on,
        staging.clean_text(staff_id) as staff_id,
        rater_role_coded as rater_role,
        -- answer
        staging.to_int(item_text, $decimal) as item_no,
        staging.to_number(value_text, $decimal) as value,
        staging.clean_text(note) as note,
        -- lineage
        load_id,
        source_id,
        file_name,
        row_no,
        cell_item_no,
        -- as received, for the checks
        is_wide,
        n_items,
        staging.clean_text(instrument_id) as instrument_raw,
        staging.clean_text(measured_on) as measured_on_raw,
        staging.clean_text(rater_role) as rater_role_raw,
        staging.clean_text(item_text) as item_raw,
        staging.clean_text(value_text) as value_raw
    from answers
),

checked as (
    select
        typed.*,
        list_filter(
            [
                staging.problem(
                    case
                        when typed.form_id is null then 'missing_required'
                        when contains(typed.form_id, '[CPR]') then 'cpr_in_id'
                    end,
                    'form_ref', typed.form_id, null
                ),
                staging.problem(
                    case
                        when typed.course_id is null then 'missing_required'
                        when contains(typed.course_id, '[CPR]') then 'cpr_in_id'
                        when known_courses.course_id is null then 'unknown_course'
                    end,
                    'course_ref', typed.course_id, null
                ),
                staging.problem(
                    case
                        when typed.instrument_raw is null then 'missing_required'
                        when typed.instrument_id is null then 'unknown_code'
                    end,
                    'instrument_id', typed.instrument_raw, null
                ),
                staging.problem(
                    case
                        when typed.measured_on_raw is null then 'missing_required'
                        when typed.measured_on is null then 'invalid_date'
                    end,
                    'measured_on', typed.measured_on_raw, null
                ),
                staging.problem(
                    case when contains(typed.staff_id, '[CPR]') then 'cpr_in_id' end,
                    'staff_id', typed.staff_id, null
                ),
                staging.problem(
                    case
                        when typed.rater_role_raw is not null and typed.rater_role is null
                            then 'unknown_code'
                    end,
                    'rater_role', typed.rater_role_raw, null
                ),
                staging.problem(
                    case
                        when typed.is_wide then null
                        when typed.item_raw is null then 'missing_required'
                        when typed.item_no is null then 'invalid_number'
                        when typed.n_items is not null and typed.item_no not between 1 and typed.n_items
                            then 'item_out_of_instrument'
                    end,
                    'item_no', typed.item_raw, '1..' || typed.n_items
                ),
                staging.problem(
                    case when typed.value_raw is not null and typed.value is null then 'invalid_number' end,
                    'value', typed.value_raw, null
                )
            ],
            p -> p is not null
        ) as problems
    from typed
    left join known_courses
        on typed.course_id = known_courses.course_id
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
        load_id,
        source_id,
        file_name,
        row_no,
        cell_item_no,
        nullif(problems, []) as problems
    from checked
)

select * from final
