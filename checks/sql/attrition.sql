-- rule: attrition
-- table: int_point_status
-- checked: chk_attrition
-- figures: mart_progression_by_point, mart_group_comparison
-- description: Many citizens measured at one planned point are missing at the next, though
--   it is due: more than attrition_max_share (method in checks/sql/base/chk_attrition.sql).
--   Mean scores over the points then compare different citizens; read progression on
--   the same-cohort series.
-- fix: Find out why the later measurement is not taken (drop-outs, follow-up hard to
--   reach) and plan it with the citizen before the course ends.

with

attrition as (
    select * from chk_attrition
),

final as (
    select
        'attrition' as rule_id,
        chk_severity('attrition') as severity,
        'int_point_status' as table_name,
        intervention_id,
        instrument_id,
        to_point as point_id,
        share_lost as observed,
        instrument_id || ' in ' || intervention_id || ': ' || n_lost || ' of ' || n_measured
        || ' citizens measured at ' || from_point || ' were not measured at ' || to_point
        || ' (' || round(100 * share_lost) || ' %)' as reason
    from attrition
    where is_high
)

select * from final
