-- Helpers for id columns that hold CPR numbers (applied before staging.sql, which
-- holds the masking macros; transforms/schema.py applies every DDL file by name).

create schema if not exists landing;

-- cpr_digits: the ten digits of a text that is one CPR number and nothing else (with
-- or without the hyphen, blanks around ignored), else null. Used for id columns a
-- source declares as CPR numbers (id_kind: cpr), so both spellings give one pseudonym.
create or replace macro landing.cpr_digits(s) as
case
    when regexp_full_match(trim(s), '(?:(?:0[1-9]|[12][0-9])(?:0[1-9]|1[0-2])|30(?:0[13-9]|1[0-2])|31(?:0[13578]|1[02]))[0-9]{2}-?[0-9]{4}')  -- noqa: LT05
        then replace(trim(s), '-', '')
end;
