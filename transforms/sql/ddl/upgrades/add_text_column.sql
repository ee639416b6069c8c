-- A nullable text column a table of an earlier layout lacks (null for the rows it holds).
-- Placeholders (double-underscore names): table, column.
alter table __table__ add column __column__ varchar
