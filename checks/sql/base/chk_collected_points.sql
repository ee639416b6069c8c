-- view: chk_collected_points
-- grain: one row per planned point with a form assigned, in the run's scope. The
--   denominator of timeliness.
-- columns: as chk_point_status

select * from chk_point_status
where is_collected
