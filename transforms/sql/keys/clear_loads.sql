-- Re-keying: the loads that wrote rows and the fingerprint of the old key go (the
-- replay writes new ones); failed loads stay as the history they are.
delete from staging.loads
where status <> 'failed';

delete from main.pseudonym_key;
