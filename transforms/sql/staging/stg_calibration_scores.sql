-- Typed calibration workshop scores of one load. Reads _landing_calibration_scores:
-- this load's landing rows (landing/lnd_calibration_scores.sql), before they are
-- written.
-- Output: the columns of staging.calibration_scores, lineage, and
-- problems (null when the record is clean). An item number outside 1..n_items of
-- the instrument is item_out_of_instrument.
-- Variables (getvariable): date_format, decimal, codes_instrument_id, n_items.
with

source as (
    select * from _landing_calibration_scores
),

typed as (
    select
        -- lineage
        row_no,
        -- ids
        staging.clean_text(workshop_id) as workshop_id,
        staging.to_date(workshop_date, getvariable('date_format')) as workshop_date,
        staging.clean_text(staff_id) as staff_id,
        staging.code(getvariable('codes_instrument_id'), instrument_id) as instrument_id,
        -- part of the key: empty (not null) when the export names no case, which
        -- means the workshop scored one case per instrument
        coalesce(staging.clean_text(case_ref), '') as case_ref,
        -- answer
        staging.to_int(item_no, getvariable('decimal')) as item_no,
        staging.to_number(value, getvariable('decimal')) as value,  -- noqa: RF04
        -- as received, for the checks
        staging.n_items(
            getvariable('n_items'), staging.code(getvariable('codes_instrument_id'), instrument_id)
        ) as n_items,
        staging.clean_text(workshop_date) as workshop_date_raw,
        staging.clean_text(instrument_id) as instrument_raw,
        staging.clean_text(item_no) as item_raw,
        staging.clean_text(value) as value_raw
    from source
),

checks as (
    select
        *,
        case
            when workshop_id is null then 'missing_required'
            when contains(workshop_id, '[CPR]') then 'cpr_in_id'
        end as rule_workshop,
        case
            when workshop_date_raw is null then 'missing_required'
            when workshop_date is null then 'invalid_date'
        end as rule_workshop_date,
        case
            when staff_id is null then 'missing_required'
            when contains(staff_id, '[CPR]') then 'cpr_in_id'
        end as rule_staff,
        case
            when instrument_raw is null then 'missing_required'
            when instrument_id is null then 'unknown_code'
        end as rule_instrument,
        case when contains(case_ref, '[CPR]') then 'cpr_in_id' end as rule_case,
        case
            when item_raw is null then 'missing_required'
            when item_no is null then 'invalid_number'
            when n_items is not null and item_no not between 1 and n_items
                then 'item_out_of_instrument'
        end as rule_item,
        case when value_raw is not null and value is null then 'invalid_number' end as rule_value
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
        row_no,
        cast(null as integer) as cell_item_no,
        case
            when
                coalesce(
                    rule_workshop, rule_workshop_date, rule_staff, rule_instrument,
                    rule_case, rule_item, rule_value
                ) is not null
                then list_filter(
                    [
                        staging.problem(rule_workshop, 'workshop_id', workshop_id, null),
                        staging.problem(
                            rule_workshop_date, 'workshop_date', workshop_date_raw, null
                        ),
                        staging.problem(rule_staff, 'staff_id', staff_id, null),
                        staging.problem(rule_instrument, 'instrument_id', instrument_raw, null),
                        staging.problem(rule_case, 'case_ref', case_ref, null),
                        staging.problem(rule_item, 'item_no', item_raw, '1..' || n_items),
                        staging.problem(rule_value, 'value', value_raw, null)
                    ],
                    p -> p is not null
                )
        end as problems
    from checks
)

select * from final
