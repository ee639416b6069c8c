-- The macro neutralise_text(s): a text that a spreadsheet would read as a formula gets a
-- single quote in front (the OWASP rule for CSV injection); any other text, and NULL,
-- stays as it is. Formula-leading characters: = + - @ tab (chr 9) carriage return (chr 13).
-- The same rule in Python is datadialog.tabular.neutralise; keep the two alike.
-- Created as a temporary macro on the connection that writes (read-only connections too).

create or replace temp macro neutralise_text(s) as
    case
        when left(s, 1) in ('=', '+', '-', '@', chr(9), chr(13)) then '''' || s
        else s
    end
