-- Re-keying: every landed field that is one whole pseudonym, with its place (landing
-- table, load, record, and its rank among the record's pseudonyms). Read before the
-- replay and after it, the same place gives the old key's and the new key's pseudonym
-- of one citizen (or derived id): the map that re-keys what is not replayed.
-- Placeholders (double-underscore names): table (landing.<name>), name (a literal).
with

records as (
    select
        load_id,
        row_no,
        regexp_extract_all(fields, '"(P-[0-9a-f]{16})"', 1) as ids
    from __table__
    where contains(fields, '"P-')
)

select
    __name__ as table_name,
    load_id,
    row_no,
    unnest(ids) as pseudonym,
    unnest(range(1, len(ids) + 1)) as rank_in_record
from records
