-- Re-keying: the text columns of the database's tables (not views, not temporary).
select
    c.schema_name,
    c.table_name,
    c.column_name
from duckdb_columns() as c
inner join duckdb_tables() as t
    on
        c.database_name = t.database_name
        and c.schema_name = t.schema_name
        and c.table_name = t.table_name
where
    c.database_name = current_database()
    and not t.temporary
    and c.data_type = 'VARCHAR'
order by c.schema_name, c.table_name, c.column_index
