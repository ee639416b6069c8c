-- table: national_coverage
-- grain: one row per organisation in the registry: whether its export of the roll-up's
--   quarter is in the national marts, and if not, why.
create or replace table national_coverage (
    organisation_id varchar not null primary key,
    organisation_name varchar not null,
    -- included | stale (only an older quarter) | missing (no export) | invalid (checksums)
    status varchar not null,
    -- the quarter of the export found (the roll-up's, or the latest older one)
    quarter varchar,
    exported_at varchar,
    detail varchar
);
