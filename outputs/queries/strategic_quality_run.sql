-- The latest data-quality run (an organisation-wide run first). No parameters.
select
    run_id,
    started_at,
    as_of_date,
    scope_kind,
    n_rules,
    n_failed_rules,
    n_errors,
    n_warnings,
    n_blocked_scopes
from quality.runs
order by scope_kind = 'organisation' desc, started_at desc, run_id desc
limit 1
