-- Write this load's landing rows: the text fields of each record as one JSON array
-- (null for an empty field), the other columns as they are. json_array of the fields
-- writes the same text as to_json of a list of them without building the list first.
-- Placeholders (double-underscore names): table (the landing table), rows (the
-- temporary view _landing_<table>), fields (its text columns, in the order of the
-- view landing.<table>_fields), columns (items, load_id, row_no: kept as columns).
insert into __table__ (fields, __columns__)
select
    json_array(__fields__) as fields,  -- noqa: RF02, RF04
    __columns__
from __rows__
