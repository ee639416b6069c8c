-- Re-keying what the replay does not write again (agreements, quality results, models
-- ...): a value that is one old pseudonym becomes the new key's (_rekey_map).
-- Placeholders (double-underscore names): table, column.
update __table__ as t
set __column__ = m.new_pseudonym
from _rekey_map as m
where t.__column__ = m.old_pseudonym
