-- The rule that quarantined the most records of this load's table, with their number
-- (transforms.ingest.load: every record quarantined for want of a parent row).
-- Variables (getvariable): load_id, canonical_table.
select
    rule,
    count(distinct row_no) as n_records
from staging.quarantine
where
    load_id = getvariable('load_id')
    and canonical_table = getvariable('canonical_table')
group by rule
order by n_records desc, rule asc
limit 1
