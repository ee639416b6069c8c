-- CPR numbers: the helper for id columns that hold them, and the macros that mask
-- them in every landed field (transforms/schema.py applies every DDL file by name,
-- this one before staging.sql).

create schema if not exists landing;

-- cpr_digits: the ten digits of a text that is one CPR number and nothing else (in
-- any of the spellings cpr_regex knows, blanks around ignored), else null. Used for id
-- columns a source declares as CPR numbers (id_kind: cpr), so every spelling gives one
-- pseudonym.
create or replace macro landing.cpr_digits(s) as
case
    when regexp_full_match(trim(s), '(?:(?:(?:0[1-9]|[12][0-9])(?:0[1-9]|1[0-2])|30(?:0[13-9]|1[0-2])|31(?:0[13578]|1[02]))[0-9]{2}(?:[ \t\r\n]{0,2}[-‐‑‒–—−][ \t\r\n]{0,2}|[ \t\r\n]{0,2})|(?:(?:0[1-9]|[12][0-9])[./-](?:0[1-9]|1[0-2])|30[./-](?:0[13-9]|1[0-2])|31[./-](?:0[13578]|1[02]))[./-][0-9]{2}[ \t\r\n]{0,2}[-‐‑‒–—−][ \t\r\n]{0,2})[0-9]{4}')  -- noqa: LT05
        then regexp_replace(trim(s), '[^0-9]', '', 'g')
end;

-- CPR numbers (ddmmyy-xxxx / ddmmyyxxxx with a real day and month, not glued to
-- other digits; also with blanks, another dash or a line break before xxxx, or dots,
-- slashes or dashes in the date followed by a dash: dd.mm.yy-xxxx) replaced by
-- '[CPR]'. Kept in step with datadialog/privacy.py (CPR_PATTERN) by a test.
-- Replacing runs twice because RE2 has no look-around and one match consumes the
-- separator in front of the next; texts shorter than a CPR
-- number or without one are returned as they are, without the replace.
-- The pattern is one literal on purpose: a pattern built with || is not folded
-- into a constant inside a macro, and the regex would be compiled for every value.
-- Parts: (^|[^0-9]) no digit before; ddmm with a real day for the month and yy, then
-- a dash (- or a Unicode hyphen, dash or minus) with up to two blanks either side, or
-- up to two blanks; or dd.mm.yy (. / or -) and a dash between blanks; xxxx; ([^0-9]|$) no
-- digit after.
create or replace macro landing.cpr_regex() as
'(^|[^0-9])(?:(?:(?:0[1-9]|[12][0-9])(?:0[1-9]|1[0-2])|30(?:0[13-9]|1[0-2])|31(?:0[13578]|1[02]))[0-9]{2}(?:[ \t\r\n]{0,2}[-‐‑‒–—−][ \t\r\n]{0,2}|[ \t\r\n]{0,2})|(?:(?:0[1-9]|[12][0-9])[./-](?:0[1-9]|1[0-2])|30[./-](?:0[13-9]|1[0-2])|31[./-](?:0[13578]|1[02]))[./-][0-9]{2}[ \t\r\n]{0,2}[-‐‑‒–—−][ \t\r\n]{0,2})[0-9]{4}([^0-9]|$)';  -- noqa: LT05

-- A value that is one of our own pseudonyms (P- and 16 hex characters: a hash, not a
-- number anyone was given) is left as it is, though about 6 in 10 000 hold ten digits
-- that read as a CPR number: masking them would quarantine a derived id or a CPR id
-- column's citizen as 'cpr_in_id'. The test comes after the CPR match, so it costs
-- nothing on the values without one. Kept in step with privacy.PSEUDONYM_PATTERN.
create or replace macro landing.mask_cpr(s) as
case
    when
        strlen(s) >= 10 and regexp_matches(s, landing.cpr_regex())
        and not regexp_full_match(s, 'P-[0-9a-f]{16}')
        then regexp_replace(
            regexp_replace(s, landing.cpr_regex(), '\1[CPR]\2', 'g'),
            landing.cpr_regex(), '\1[CPR]\2', 'g'
        )
    else s
end;

-- Number of masked CPR numbers in a landed text.
create or replace macro landing.count_cpr(s) as
case
    when contains(s, '[CPR]') then (length(s) - length(replace(s, '[CPR]', ''))) // 5
    else 0
end;
