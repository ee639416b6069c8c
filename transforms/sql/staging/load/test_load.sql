-- The load row of hand-made test rows (load_id 'test', file 'hand-made'), once:
-- staged rows find their file through staging.loads. Used by tests/support/staging.py
-- and tests/support/checks.py only.
insert or ignore into staging.loads (
    load_id, batch_id, source_id, file_name, sha256, started_at, status
)
values ('test', 'test', 'test', 'hand-made', '', timestamp '2024-01-01 00:00:00', 'loaded')
