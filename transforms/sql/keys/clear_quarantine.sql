-- Re-keying: the quarantined rows ingest wrote go (the replay writes them again); the
-- rows refused from returned agreement files stay, as the agreements do (they are not
-- replayed: their pseudonyms are rewritten in place, keys/rekey_ids.sql).
delete from staging.quarantine
where canonical_table <> 'agreements'
