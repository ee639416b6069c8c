-- Helpers for the quality rules (temporary macros, created at the start of every run).
--
-- chk_in_scope(intervention_id, team_id): true when a row of that intervention and team
--   belongs to the run's scope, held in the session variables chk_scope_kind
--   (organisation | intervention | team) and chk_scope_id, which the runner sets (a
--   variable is a constant when a query is planned, so the organisation scope costs
--   nothing). Rows that cannot be placed (no course) belong to the organisation only.
-- chk_severity(rule): the severity of a rule id from chk_rules (the settings).

create or replace temp macro chk_in_scope(row_intervention_id, row_team_id) as
    getvariable('chk_scope_kind') = 'organisation'
    or (
        getvariable('chk_scope_kind') = 'intervention'
        and row_intervention_id = getvariable('chk_scope_id')
    )
    or (getvariable('chk_scope_kind') = 'team' and row_team_id = getvariable('chk_scope_id'));

create or replace temp macro chk_severity(rule) as (
    select r.severity from chk_rules as r where r.rule_id = rule
);
