-- Re-keying: old pseudonym -> new pseudonym, from the landed fields read before the
-- replay (_rekey_old) and after it (_rekey_new), matched by place; _rekey_loads pairs
-- each old load with its replay. An old pseudonym with two new ones (a changed config
-- may land other fields) is left out by the caller.
create or replace temp table _rekey_map as
select distinct
    before_replay.pseudonym as old_pseudonym,
    after_replay.pseudonym as new_pseudonym
from _rekey_old as before_replay
inner join _rekey_loads as loads
    on before_replay.load_id = loads.old_load_id
inner join _rekey_new as after_replay
    on
        before_replay.table_name = after_replay.table_name
        and loads.new_load_id = after_replay.load_id
        and before_replay.row_no = after_replay.row_no
        and before_replay.rank_in_record = after_replay.rank_in_record
