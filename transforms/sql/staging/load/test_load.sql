-- The load row of hand-made test rows (load_id 'test', file 'hand-made'), once:
-- staged rows find their file through staging.loads. Used by transforms/testing.py
-- and checks/testing.py only.
insert into staging.loads (load_id, batch_id, source_id, file_name, sha256, started_at, status)
select
    'test' as load_id,
    'test' as batch_id,
    'test' as source_id,
    'hand-made' as file_name,
    '' as sha256,
    timestamp '2024-01-01 00:00:00' as started_at,
    'loaded' as status
where not exists (select 1 from staging.loads where load_id = 'test')
