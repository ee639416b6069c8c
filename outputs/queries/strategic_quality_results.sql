-- The rules of a run that found something, worst first. Parameters: $run_id, $max_rows.
select
    rule_id,
    table_name,
    severity,
    n_checked,
    n_failed
from quality.results
where run_id = $run_id and n_failed > 0 and severity in ('error', 'warning')
order by case severity when 'error' then 0 else 1 end, n_failed desc, rule_id
limit $max_rows
