-- view: chk_due_points
-- grain: one row per planned point that counts towards completeness (is_due: collected,
--   or overdue with no form), in the run's scope. The denominator of completeness.
-- columns: as chk_point_status

select * from chk_point_status
where is_due
