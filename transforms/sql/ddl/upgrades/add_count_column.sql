-- A count column a table of an earlier layout lacks (0 for the rows it holds).
-- Placeholders (double-underscore names): table, column.
alter table __table__ add column __column__ bigint default 0
