-- The fingerprint of the pseudonym key this database's pseudonyms were made with:
-- HMAC-SHA256 of a fixed text with the key, hex (datadialog/privacy.py,
-- key_fingerprint). The key itself is never stored. At most one row, written by the
-- first load (transforms/pseudonym_key.py); a load with another key is refused, and
-- `datadialog key rotate` replaces it (docs/operations.md, "The pseudonym key").
-- In schema main, beside main.ddl_applied: it is bookkeeping, not data.

create table if not exists main.pseudonym_key (
    fingerprint varchar not null,         -- 64 hex characters
    recorded_at timestamp not null,       -- when the first load (or the rotation) wrote it
    origin varchar not null               -- where the key came from then: env:NAME or file:PATH
);
