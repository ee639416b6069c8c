-- The newest stored run that covers a scope: one over the organisation, or one of that
-- very scope (a run of another team or intervention checked none of its rows).
-- Parameters: $kind, $id (NULL for the organisation).
select
    run_id,
    started_at,
    scope_kind,
    scope_id,
    n_errors,
    n_warnings
from quality.runs
where
    scope_kind = 'organisation'
    or (scope_kind = $kind and scope_id is not distinct from $id)
order by started_at desc, run_id desc
limit 1
