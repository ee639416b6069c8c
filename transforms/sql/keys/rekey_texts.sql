-- Re-keying: a text naming a pseudonym inside it (an agreement's subject 'P-c8854e',
-- a note) is rewritten by the function rekey_text; values that are one whole pseudonym
-- were done by keys/rekey_ids.sql. Placeholders (double-underscore names): table, column.
update __table__
set __column__ = rekey_text(__column__)
where
    contains(__column__, 'P-')
    and regexp_matches(__column__, '(^|[^0-9A-Za-z])P-[0-9a-f]{6}')
    and not regexp_full_match(__column__, 'P-[0-9a-f]{16}')
