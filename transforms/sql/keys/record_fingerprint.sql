-- Record the pseudonym key fingerprint (replacing any other).
-- Variables (getvariable): fingerprint, origin.
delete from main.pseudonym_key;

insert into main.pseudonym_key (fingerprint, recorded_at, origin)
values (getvariable('fingerprint'), current_timestamp, getvariable('origin'));
