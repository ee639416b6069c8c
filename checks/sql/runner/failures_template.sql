-- The temp table every rule's failing rows are collected in during a run (the columns
-- of quality.failures but run_id). Created empty at the start of a run.

create or replace temp table chk_failures as
select * exclude (run_id) from quality.failures
limit 0
