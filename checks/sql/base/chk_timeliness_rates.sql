-- view: chk_timeliness_rates
-- grain: one row per group of chk_point_rates with metric timeliness (the groups judged).
-- columns: as chk_point_rates

select * from chk_point_rates
where metric_id = 'timeliness'
