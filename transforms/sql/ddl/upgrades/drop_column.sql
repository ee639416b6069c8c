-- A column an earlier layout had and the current one does not.
-- Placeholders (double-underscore names): table, column.
alter table __table__ drop column if exists __column__
