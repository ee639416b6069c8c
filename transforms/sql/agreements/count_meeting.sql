-- The agreements stored for a meeting ($1 series, $2 date): kept when a file with no
-- filled row comes back.
select count(*) from staging.agreements
where meeting_id = $1 and agreed_on = $2
