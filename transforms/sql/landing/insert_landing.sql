-- Write this load's landing rows: the text fields of each record as one JSON array
-- (column fields, made as the records were stored: landing/records.sql), the other
-- columns as they are.
-- Placeholders (double-underscore names): table (the landing table), rows (the
-- temporary view _landing_<table>), columns (items, load_id, row_no: kept as columns).
insert into __table__ (fields, __columns__)
select
    fields,  -- noqa: RF04
    __columns__
from __rows__
