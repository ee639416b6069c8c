-- Typed calibration workshop scores of one load (landing.calibration_scores where
-- load_id = $load_id). Output: the columns of staging.calibration_scores, lineage,
-- and problems (null when the record is clean). An item number outside
-- 1..n_items of the instrument is item_out_of_instrument.
-- Parameters: $load_id, $date_format, $decimal.
with

source as (
    select * from landing.calibration_scores
    where load_id = $load_id
),

codes as (
    select * from _codes
),

instruments as (
    select * from _instruments
),

typed as (
    select
        -- ids
        staging.clean_text(source.workshop_id) as workshop_id,
        staging.to_date(source.workshop_date, $date_format) as workshop_date,
        staging.clean_text(source.staff_id) as staff_id,
        instrument_codes.value as instrument_id,
        staging.clean_text(source.case_ref) as case_ref,
        -- answer
        staging.to_int(source.item_no, $decimal) as item_no,
        staging.to_number(source.value, $decimal) as value,
        -- lineage
        source.load_id,
        source.source_id,
        source.file_name,
        source.row_no,
        -- as received, for the checks
        instruments.n_items,
        staging.clean_text(source.workshop_date) as workshop_date_raw,
        staging.clean_text(source.instrument_id) as instrument_raw,
        staging.clean_text(source.item_no) as item_raw,
        staging.clean_text(source.value) as value_raw
    from source
    left join codes as instrument_codes
        on
            instrument_codes.column_name = 'instrument_id'
            and instrument_codes.code = staging.clean_text(source.instrument_id)
    left join instruments
        on instrument_codes.value = instruments.instrument_id
),

checked as (
    select
        *,
        list_filter(
            [
                staging.problem(
                    case
                        when workshop_id is null then 'missing_required'
                        when contains(workshop_id, '[CPR]') then 'cpr_in_id'
                    end,
                    'workshop_id', workshop_id, null
                ),
                staging.problem(
                    case
                        when workshop_date_raw is null then 'missing_required'
                        when workshop_date is null then 'invalid_date'
                    end,
                    'workshop_date', workshop_date_raw, null
                ),
                staging.problem(
                    case
                        when staff_id is null then 'missing_required'
                        when contains(staff_id, '[CPR]') then 'cpr_in_id'
                    end,
                    'staff_id', staff_id, null
                ),
                staging.problem(
                    case
                        when instrument_raw is null then 'missing_required'
                        when instrument_id is null then 'unknown_code'
                    end,
                    'instrument_id', instrument_raw, null
                ),
                staging.problem(
                    case when contains(case_ref, '[CPR]') then 'cpr_in_id' end,
                    'case_ref', case_ref, null
                ),
                staging.problem(
                    case
                        when item_raw is null then 'missing_required'
                        when item_no is null then 'invalid_number'
                        when n_items is not null and item_no not between 1 and n_items
                            then 'item_out_of_instrument'
                    end,
                    'item_no', item_raw, '1..' || n_items
                ),
                staging.problem(
                    case when value_raw is not null and value is null then 'invalid_number' end,
                    'value', value_raw, null
                )
            ],
            p -> p is not null
        ) as problems
    from typed
),

final as (
    select
        workshop_id,
        workshop_date,
        staff_id,
        instrument_id,
        case_ref,
        item_no,
        value,
        load_id,
        source_id,
        file_name,
        row_no,
        cast(null as integer) as cell_item_no,
        nullif(problems, []) as problems
    from checked
)

select * from final
