-- Helpers for the quality rules (temporary macros, created at the start of every run).
--
-- chk_in_scope(scope_kind, scope_id, intervention_id, team_id): true when a row of that
--   intervention and team belongs to the run's scope (chk_params.scope_kind, scope_id;
--   use with "cross join chk_params as p"). Rows that cannot be placed (no course)
--   belong to the organisation scope only.
-- chk_severity(rule): the severity of a rule id from chk_rules (the settings).

create or replace temp macro chk_in_scope(kind, sid, row_intervention_id, row_team_id) as
    kind = 'organisation'
    or (kind = 'intervention' and row_intervention_id = sid)
    or (kind = 'team' and row_team_id = sid);

create or replace temp macro chk_severity(rule) as (
    select r.severity from chk_rules as r where r.rule_id = rule
);
