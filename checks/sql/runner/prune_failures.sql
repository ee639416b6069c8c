-- Remove the failing rows of the check runs of one scope older than its newest
-- $keep runs (quality.failing_rows_kept_runs). Their counts stay in quality.runs,
-- quality.results and quality.metrics. Run after the new run's row is stored, so the
-- new run counts among the kept ones. Parameters: $scope_kind, $scope_id, $keep.
delete from quality.failures
where run_id in (
    select run_id
    from quality.runs
    where
        scope_kind = $scope_kind
        and scope_id is not distinct from $scope_id
    qualify row_number() over (order by started_at desc, run_id desc) > $keep
)
