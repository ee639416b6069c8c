-- staging.calibration_scores of the layout before 2026-11 (key without case_ref)
-- set aside, so the DDL creates the table with the current key; its rows go back by
-- calibration_key_restore.sql. DuckDB cannot change a primary key in place.
alter table staging.calibration_scores rename to calibration_scores_upgrade
