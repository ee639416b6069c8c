-- model: int_costs_outcome_instruments
-- grain: one row per intervention and instrument of its measurement plan that can
--   classify reliable change (a published reliable_change_points, or an SD and a
--   reliability for the intervention's norm group): the outcomes "cost per citizen
--   reliably improved" is computed for.
-- Headline instrument (one per intervention, is_headline): the one planned in the most
--   interventions, so that interventions can be compared on the same measure; ties go
--   to the instrument listed first in the config.
-- columns:
--   intervention_id: intervention id
--   instrument_id: instrument id
--   instrument_name: instrument name from config
--   n_interventions_planned: interventions whose plan includes the instrument
--   instrument_order: position of the instrument in the config
--   is_headline: true for the intervention's headline outcome instrument

with

plan as (
    select * from ref.measurement_plan
),

instruments as (
    select * from ref.instruments
),

interventions as (
    select * from ref.interventions
),

norm_groups as (
    select * from ref.norm_groups
),

planned as (
    select distinct
        plan.intervention_id,
        plan.instrument_id
    from plan
),

can_classify as (
    select
        planned.intervention_id,
        planned.instrument_id,
        instruments.instrument_name,
        instruments.instrument_order
    from planned
    inner join instruments on planned.instrument_id = instruments.instrument_id
    inner join interventions on planned.intervention_id = interventions.intervention_id
    left join norm_groups
        on
            planned.instrument_id = norm_groups.instrument_id
            and interventions.norm_group = norm_groups.norm_group
    where
        instruments.reliable_change_points is not null
        or (norm_groups.sd > 0 and norm_groups.reliability is not null)
),

spread as (
    select
        instrument_id,
        count(distinct intervention_id) as n_interventions_planned
    from planned
    group by all
),

final as (
    select
        can_classify.intervention_id,
        can_classify.instrument_id,
        can_classify.instrument_name,
        spread.n_interventions_planned,
        can_classify.instrument_order,
        row_number() over (
            partition by can_classify.intervention_id
            order by spread.n_interventions_planned desc, can_classify.instrument_order asc
        ) = 1 as is_headline
    from can_classify
    inner join spread on can_classify.instrument_id = spread.instrument_id
)

select * from final
