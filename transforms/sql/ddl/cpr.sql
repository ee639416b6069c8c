-- CPR numbers: the helper for id columns that hold them, and the macros that mask
-- them in every landed field (transforms/schema.py applies every DDL file by name,
-- this one before staging.sql).

create schema if not exists landing;

-- CPR numbers (ddmmyy-xxxx / ddmmyyxxxx with a real day and month, not glued to
-- other digits; also with blanks, one or two dashes, a slash or a dot before xxxx,
-- with dots, slashes, dashes or one blank in the date: dd.mm.yy-xxxx, dd mm yy xxxx,
-- dd.mm.yyyy-xxxx; a line break may split xxxx, after a separator also one blank
-- between its pairs; an invisible character, soft hyphen or zero-width space, may
-- stand between any two digits) replaced by '[CPR]'. The literal is
-- datadialog/privacy.py's CPR_RE2, made from the same parts as CPR_PATTERN (a test
-- checks that it is; privacy.CPR_PATTERN's comment lists the forms).
-- Replacing runs twice because RE2 has no look-around and one match consumes the
-- separator in front of the next; texts shorter than a CPR
-- number or without one are returned as they are, without the replace.
-- The pattern is one literal on purpose: a pattern built with || is not folded
-- into a constant inside a macro, and the regex would be compiled for every value.
-- Parts: (^|[^0-9]) no digit before; ddmm with a real day for the month and yy (an
-- invisible allowed between two digits), then nothing or a separator (up to three
-- blanks, Unicode spaces and invisibles included, either side of one or two dashes,
-- slashes or dots, or up to three blanks); or dd.mm.yy (. / - or a blank) and a
-- separator; or dd.mm.yyyy and a separator with a dash, slash or dot; xxxx, a line
-- break allowed between its digits (after a separator also one blank between its
-- pairs); ([^0-9]|$) no digit after.
create or replace macro landing.cpr_regex() as
'(^|[^0-9])(?:(?:(?:0[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?[1-9]|[12][\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?[0-9])[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?(?:0[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?[1-9]|1[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?[0-2])|3[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?0[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?(?:0[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?[13-9]|1[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?[0-2])|3[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?1[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?(?:0[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?[13578]|1[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?[02]))[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?[0-9][\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?[0-9](?:(?:[\t\n\r\x{20}\x{A0}\x{AD}\x{1680}\x{2000}-\x{200D}\x{202F}\x{205F}\x{2060}\x{3000}\x{FEFF}]{0,3}[\x{2D}\x{2E}\x{2F}\x{2010}-\x{2014}\x{2212}\x{FE63}\x{FF0D}-\x{FF0F}]{1,2}[\t\n\r\x{20}\x{A0}\x{AD}\x{1680}\x{2000}-\x{200D}\x{202F}\x{205F}\x{2060}\x{3000}\x{FEFF}]{0,3}|[\t\n\r\x{20}\x{A0}\x{AD}\x{1680}\x{2000}-\x{200D}\x{202F}\x{205F}\x{2060}\x{3000}\x{FEFF}]{1,3})[0-9](?:\r\n|\r|\n|[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}])?[0-9](?:\r\n|[\t\n\r\x{20}\x{A0}\x{AD}\x{1680}\x{2000}-\x{200D}\x{202F}\x{205F}\x{2060}\x{3000}\x{FEFF}])?[0-9](?:\r\n|\r|\n|[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}])?[0-9]|[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?[0-9](?:\r\n|\r|\n|[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}])?[0-9](?:\r\n|\r|\n|[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}])?[0-9](?:\r\n|\r|\n|[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}])?[0-9])|(?:(?:0[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?[1-9]|[12][\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?[0-9])(?:[\x{2D}\x{2E}\x{2F}\x{FF0D}-\x{FF0F}]|[\t\n\r\x{20}\x{A0}\x{AD}\x{1680}\x{2000}-\x{200D}\x{202F}\x{205F}\x{2060}\x{3000}\x{FEFF}])(?:0[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?[1-9]|1[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?[0-2])|3[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?0(?:[\x{2D}\x{2E}\x{2F}\x{FF0D}-\x{FF0F}]|[\t\n\r\x{20}\x{A0}\x{AD}\x{1680}\x{2000}-\x{200D}\x{202F}\x{205F}\x{2060}\x{3000}\x{FEFF}])(?:0[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?[13-9]|1[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?[0-2])|3[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?1(?:[\x{2D}\x{2E}\x{2F}\x{FF0D}-\x{FF0F}]|[\t\n\r\x{20}\x{A0}\x{AD}\x{1680}\x{2000}-\x{200D}\x{202F}\x{205F}\x{2060}\x{3000}\x{FEFF}])(?:0[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?[13578]|1[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?[02]))(?:[\x{2D}\x{2E}\x{2F}\x{FF0D}-\x{FF0F}]|[\t\n\r\x{20}\x{A0}\x{AD}\x{1680}\x{2000}-\x{200D}\x{202F}\x{205F}\x{2060}\x{3000}\x{FEFF}])(?:[0-9][\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?[0-9](?:[\t\n\r\x{20}\x{A0}\x{AD}\x{1680}\x{2000}-\x{200D}\x{202F}\x{205F}\x{2060}\x{3000}\x{FEFF}]{0,3}[\x{2D}\x{2E}\x{2F}\x{2010}-\x{2014}\x{2212}\x{FE63}\x{FF0D}-\x{FF0F}]{1,2}[\t\n\r\x{20}\x{A0}\x{AD}\x{1680}\x{2000}-\x{200D}\x{202F}\x{205F}\x{2060}\x{3000}\x{FEFF}]{0,3}|[\t\n\r\x{20}\x{A0}\x{AD}\x{1680}\x{2000}-\x{200D}\x{202F}\x{205F}\x{2060}\x{3000}\x{FEFF}]{1,3})|(?:1[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?[89]|2[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?0)[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?[0-9][\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?[0-9][\t\n\r\x{20}\x{A0}\x{AD}\x{1680}\x{2000}-\x{200D}\x{202F}\x{205F}\x{2060}\x{3000}\x{FEFF}]{0,3}[\x{2D}\x{2E}\x{2F}\x{2010}-\x{2014}\x{2212}\x{FE63}\x{FF0D}-\x{FF0F}]{1,2}[\t\n\r\x{20}\x{A0}\x{AD}\x{1680}\x{2000}-\x{200D}\x{202F}\x{205F}\x{2060}\x{3000}\x{FEFF}]{0,3})[0-9](?:\r\n|\r|\n|[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}])?[0-9](?:\r\n|[\t\n\r\x{20}\x{A0}\x{AD}\x{1680}\x{2000}-\x{200D}\x{202F}\x{205F}\x{2060}\x{3000}\x{FEFF}])?[0-9](?:\r\n|\r|\n|[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}])?[0-9])([^0-9]|$)';  -- noqa: LT05

-- The same, or a decimal digit of another script ([^\P{Nd}0-9]: not a non-digit, not
-- 0-9; full-width, Arabic-Indic ...): the one search nearly every value gets. A value
-- it finds nothing in is returned as it is (privacy.CPR_RE2_OR_OTHER_DIGIT).
create or replace macro landing.cpr_or_other_digit() as
'(^|[^0-9])(?:(?:(?:0[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?[1-9]|[12][\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?[0-9])[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?(?:0[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?[1-9]|1[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?[0-2])|3[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?0[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?(?:0[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?[13-9]|1[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?[0-2])|3[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?1[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?(?:0[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?[13578]|1[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?[02]))[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?[0-9][\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?[0-9](?:(?:[\t\n\r\x{20}\x{A0}\x{AD}\x{1680}\x{2000}-\x{200D}\x{202F}\x{205F}\x{2060}\x{3000}\x{FEFF}]{0,3}[\x{2D}\x{2E}\x{2F}\x{2010}-\x{2014}\x{2212}\x{FE63}\x{FF0D}-\x{FF0F}]{1,2}[\t\n\r\x{20}\x{A0}\x{AD}\x{1680}\x{2000}-\x{200D}\x{202F}\x{205F}\x{2060}\x{3000}\x{FEFF}]{0,3}|[\t\n\r\x{20}\x{A0}\x{AD}\x{1680}\x{2000}-\x{200D}\x{202F}\x{205F}\x{2060}\x{3000}\x{FEFF}]{1,3})[0-9](?:\r\n|\r|\n|[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}])?[0-9](?:\r\n|[\t\n\r\x{20}\x{A0}\x{AD}\x{1680}\x{2000}-\x{200D}\x{202F}\x{205F}\x{2060}\x{3000}\x{FEFF}])?[0-9](?:\r\n|\r|\n|[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}])?[0-9]|[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?[0-9](?:\r\n|\r|\n|[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}])?[0-9](?:\r\n|\r|\n|[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}])?[0-9](?:\r\n|\r|\n|[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}])?[0-9])|(?:(?:0[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?[1-9]|[12][\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?[0-9])(?:[\x{2D}\x{2E}\x{2F}\x{FF0D}-\x{FF0F}]|[\t\n\r\x{20}\x{A0}\x{AD}\x{1680}\x{2000}-\x{200D}\x{202F}\x{205F}\x{2060}\x{3000}\x{FEFF}])(?:0[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?[1-9]|1[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?[0-2])|3[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?0(?:[\x{2D}\x{2E}\x{2F}\x{FF0D}-\x{FF0F}]|[\t\n\r\x{20}\x{A0}\x{AD}\x{1680}\x{2000}-\x{200D}\x{202F}\x{205F}\x{2060}\x{3000}\x{FEFF}])(?:0[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?[13-9]|1[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?[0-2])|3[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?1(?:[\x{2D}\x{2E}\x{2F}\x{FF0D}-\x{FF0F}]|[\t\n\r\x{20}\x{A0}\x{AD}\x{1680}\x{2000}-\x{200D}\x{202F}\x{205F}\x{2060}\x{3000}\x{FEFF}])(?:0[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?[13578]|1[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?[02]))(?:[\x{2D}\x{2E}\x{2F}\x{FF0D}-\x{FF0F}]|[\t\n\r\x{20}\x{A0}\x{AD}\x{1680}\x{2000}-\x{200D}\x{202F}\x{205F}\x{2060}\x{3000}\x{FEFF}])(?:[0-9][\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?[0-9](?:[\t\n\r\x{20}\x{A0}\x{AD}\x{1680}\x{2000}-\x{200D}\x{202F}\x{205F}\x{2060}\x{3000}\x{FEFF}]{0,3}[\x{2D}\x{2E}\x{2F}\x{2010}-\x{2014}\x{2212}\x{FE63}\x{FF0D}-\x{FF0F}]{1,2}[\t\n\r\x{20}\x{A0}\x{AD}\x{1680}\x{2000}-\x{200D}\x{202F}\x{205F}\x{2060}\x{3000}\x{FEFF}]{0,3}|[\t\n\r\x{20}\x{A0}\x{AD}\x{1680}\x{2000}-\x{200D}\x{202F}\x{205F}\x{2060}\x{3000}\x{FEFF}]{1,3})|(?:1[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?[89]|2[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?0)[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?[0-9][\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?[0-9][\t\n\r\x{20}\x{A0}\x{AD}\x{1680}\x{2000}-\x{200D}\x{202F}\x{205F}\x{2060}\x{3000}\x{FEFF}]{0,3}[\x{2D}\x{2E}\x{2F}\x{2010}-\x{2014}\x{2212}\x{FE63}\x{FF0D}-\x{FF0F}]{1,2}[\t\n\r\x{20}\x{A0}\x{AD}\x{1680}\x{2000}-\x{200D}\x{202F}\x{205F}\x{2060}\x{3000}\x{FEFF}]{0,3})[0-9](?:\r\n|\r|\n|[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}])?[0-9](?:\r\n|[\t\n\r\x{20}\x{A0}\x{AD}\x{1680}\x{2000}-\x{200D}\x{202F}\x{205F}\x{2060}\x{3000}\x{FEFF}])?[0-9](?:\r\n|\r|\n|[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}])?[0-9])([^0-9]|$)|[^\P{Nd}0-9]';  -- noqa: LT05

-- ascii_digits: t with every decimal digit of another script as its ASCII digit (one
-- character for one, as privacy.ascii_digits): translate the digits 0 to 9 of each set
-- (privacy.OTHER_DIGITS: Arabic-Indic, ..., full-width, ...; the sets of DIGIT_ZEROS
-- after ASCII's, a test checks the literal) to 0123456789. The literal is written out:
-- built from the zeros with list functions it costs a millisecond of planning at each
-- use. A text without a digit of another script is returned as it is (the translate
-- costs about 70 microseconds a value: every Danish note has non-ASCII letters).
create or replace macro landing.ascii_digits(t) as
case
    when not regexp_matches(t, '[^\P{Nd}0-9]') then t
    else translate(
        t,
        '٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹߀߁߂߃߄߅߆߇߈߉०१२३४५६७८९০১২৩৪৫৬৭৮৯੦੧੨੩੪੫੬੭੮੯૦૧૨૩૪૫૬૭૮૯୦୧୨୩୪୫୬୭୮୯௦௧௨௩௪௫௬௭௮௯౦౧౨౩౪౫౬౭౮౯೦೧೨೩೪೫೬೭೮೯൦൧൨൩൪൫൬൭൮൯෦෧෨෩෪෫෬෭෮෯๐๑๒๓๔๕๖๗๘๙໐໑໒໓໔໕໖໗໘໙༠༡༢༣༤༥༦༧༨༩၀၁၂၃၄၅၆၇၈၉႐႑႒႓႔႕႖႗႘႙០១២៣៤៥៦៧៨៩᠐᠑᠒᠓᠔᠕᠖᠗᠘᠙᥆᥇᥈᥉᥊᥋᥌᥍᥎᥏᧐᧑᧒᧓᧔᧕᧖᧗᧘᧙᪀᪁᪂᪃᪄᪅᪆᪇᪈᪉᪐᪑᪒᪓᪔᪕᪖᪗᪘᪙᭐᭑᭒᭓᭔᭕᭖᭗᭘᭙᮰᮱᮲᮳᮴᮵᮶᮷᮸᮹᱀᱁᱂᱃᱄᱅᱆᱇᱈᱉᱐᱑᱒᱓᱔᱕᱖᱗᱘᱙꘠꘡꘢꘣꘤꘥꘦꘧꘨꘩꣐꣑꣒꣓꣔꣕꣖꣗꣘꣙꤀꤁꤂꤃꤄꤅꤆꤇꤈꤉꧐꧑꧒꧓꧔꧕꧖꧗꧘꧙꧰꧱꧲꧳꧴꧵꧶꧷꧸꧹꩐꩑꩒꩓꩔꩕꩖꩗꩘꩙꯰꯱꯲꯳꯴꯵꯶꯷꯸꯹０１２３４５６７８９𐒠𐒡𐒢𐒣𐒤𐒥𐒦𐒧𐒨𐒩𐴰𐴱𐴲𐴳𐴴𐴵𐴶𐴷𐴸𐴹𑁦𑁧𑁨𑁩𑁪𑁫𑁬𑁭𑁮𑁯𑃰𑃱𑃲𑃳𑃴𑃵𑃶𑃷𑃸𑃹𑄶𑄷𑄸𑄹𑄺𑄻𑄼𑄽𑄾𑄿𑇐𑇑𑇒𑇓𑇔𑇕𑇖𑇗𑇘𑇙𑋰𑋱𑋲𑋳𑋴𑋵𑋶𑋷𑋸𑋹𑑐𑑑𑑒𑑓𑑔𑑕𑑖𑑗𑑘𑑙𑓐𑓑𑓒𑓓𑓔𑓕𑓖𑓗𑓘𑓙𑙐𑙑𑙒𑙓𑙔𑙕𑙖𑙗𑙘𑙙𑛀𑛁𑛂𑛃𑛄𑛅𑛆𑛇𑛈𑛉𑜰𑜱𑜲𑜳𑜴𑜵𑜶𑜷𑜸𑜹𑣠𑣡𑣢𑣣𑣤𑣥𑣦𑣧𑣨𑣩𑥐𑥑𑥒𑥓𑥔𑥕𑥖𑥗𑥘𑥙𑱐𑱑𑱒𑱓𑱔𑱕𑱖𑱗𑱘𑱙𑵐𑵑𑵒𑵓𑵔𑵕𑵖𑵗𑵘𑵙𑶠𑶡𑶢𑶣𑶤𑶥𑶦𑶧𑶨𑶩𑽐𑽑𑽒𑽓𑽔𑽕𑽖𑽗𑽘𑽙𖩠𖩡𖩢𖩣𖩤𖩥𖩦𖩧𖩨𖩩𖫀𖫁𖫂𖫃𖫄𖫅𖫆𖫇𖫈𖫉𖭐𖭑𖭒𖭓𖭔𖭕𖭖𖭗𖭘𖭙𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗𝟘𝟙𝟚𝟛𝟜𝟝𝟞𝟟𝟠𝟡𝟢𝟣𝟤𝟥𝟦𝟧𝟨𝟩𝟪𝟫𝟬𝟭𝟮𝟯𝟰𝟱𝟲𝟳𝟴𝟵𝟶𝟷𝟸𝟹𝟺𝟻𝟼𝟽𝟾𝟿𞅀𞅁𞅂𞅃𞅄𞅅𞅆𞅇𞅈𞅉𞋰𞋱𞋲𞋳𞋴𞋵𞋶𞋷𞋸𞋹𞓰𞓱𞓲𞓳𞓴𞓵𞓶𞓷𞓸𞓹𞥐𞥑𞥒𞥓𞥔𞥕𞥖𞥗𞥘𞥙🯰🯱🯲🯳🯴🯵🯶🯷🯸🯹',  -- noqa: LT05
        repeat('0123456789', 67)
    )
end;

-- cpr_core_regex: a CPR number alone (privacy.CPR_CORE_RE2: cpr_regex without the
-- groups around it), for a whole value to match.
create or replace macro landing.cpr_core_regex() as
'(?:(?:(?:0[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?[1-9]|[12][\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?[0-9])[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?(?:0[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?[1-9]|1[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?[0-2])|3[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?0[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?(?:0[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?[13-9]|1[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?[0-2])|3[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?1[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?(?:0[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?[13578]|1[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?[02]))[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?[0-9][\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?[0-9](?:(?:[\t\n\r\x{20}\x{A0}\x{AD}\x{1680}\x{2000}-\x{200D}\x{202F}\x{205F}\x{2060}\x{3000}\x{FEFF}]{0,3}[\x{2D}\x{2E}\x{2F}\x{2010}-\x{2014}\x{2212}\x{FE63}\x{FF0D}-\x{FF0F}]{1,2}[\t\n\r\x{20}\x{A0}\x{AD}\x{1680}\x{2000}-\x{200D}\x{202F}\x{205F}\x{2060}\x{3000}\x{FEFF}]{0,3}|[\t\n\r\x{20}\x{A0}\x{AD}\x{1680}\x{2000}-\x{200D}\x{202F}\x{205F}\x{2060}\x{3000}\x{FEFF}]{1,3})[0-9](?:\r\n|\r|\n|[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}])?[0-9](?:\r\n|[\t\n\r\x{20}\x{A0}\x{AD}\x{1680}\x{2000}-\x{200D}\x{202F}\x{205F}\x{2060}\x{3000}\x{FEFF}])?[0-9](?:\r\n|\r|\n|[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}])?[0-9]|[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?[0-9](?:\r\n|\r|\n|[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}])?[0-9](?:\r\n|\r|\n|[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}])?[0-9](?:\r\n|\r|\n|[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}])?[0-9])|(?:(?:0[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?[1-9]|[12][\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?[0-9])(?:[\x{2D}\x{2E}\x{2F}\x{FF0D}-\x{FF0F}]|[\t\n\r\x{20}\x{A0}\x{AD}\x{1680}\x{2000}-\x{200D}\x{202F}\x{205F}\x{2060}\x{3000}\x{FEFF}])(?:0[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?[1-9]|1[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?[0-2])|3[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?0(?:[\x{2D}\x{2E}\x{2F}\x{FF0D}-\x{FF0F}]|[\t\n\r\x{20}\x{A0}\x{AD}\x{1680}\x{2000}-\x{200D}\x{202F}\x{205F}\x{2060}\x{3000}\x{FEFF}])(?:0[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?[13-9]|1[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?[0-2])|3[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?1(?:[\x{2D}\x{2E}\x{2F}\x{FF0D}-\x{FF0F}]|[\t\n\r\x{20}\x{A0}\x{AD}\x{1680}\x{2000}-\x{200D}\x{202F}\x{205F}\x{2060}\x{3000}\x{FEFF}])(?:0[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?[13578]|1[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?[02]))(?:[\x{2D}\x{2E}\x{2F}\x{FF0D}-\x{FF0F}]|[\t\n\r\x{20}\x{A0}\x{AD}\x{1680}\x{2000}-\x{200D}\x{202F}\x{205F}\x{2060}\x{3000}\x{FEFF}])(?:[0-9][\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?[0-9](?:[\t\n\r\x{20}\x{A0}\x{AD}\x{1680}\x{2000}-\x{200D}\x{202F}\x{205F}\x{2060}\x{3000}\x{FEFF}]{0,3}[\x{2D}\x{2E}\x{2F}\x{2010}-\x{2014}\x{2212}\x{FE63}\x{FF0D}-\x{FF0F}]{1,2}[\t\n\r\x{20}\x{A0}\x{AD}\x{1680}\x{2000}-\x{200D}\x{202F}\x{205F}\x{2060}\x{3000}\x{FEFF}]{0,3}|[\t\n\r\x{20}\x{A0}\x{AD}\x{1680}\x{2000}-\x{200D}\x{202F}\x{205F}\x{2060}\x{3000}\x{FEFF}]{1,3})|(?:1[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?[89]|2[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?0)[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?[0-9][\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]?[0-9][\t\n\r\x{20}\x{A0}\x{AD}\x{1680}\x{2000}-\x{200D}\x{202F}\x{205F}\x{2060}\x{3000}\x{FEFF}]{0,3}[\x{2D}\x{2E}\x{2F}\x{2010}-\x{2014}\x{2212}\x{FE63}\x{FF0D}-\x{FF0F}]{1,2}[\t\n\r\x{20}\x{A0}\x{AD}\x{1680}\x{2000}-\x{200D}\x{202F}\x{205F}\x{2060}\x{3000}\x{FEFF}]{0,3})[0-9](?:\r\n|\r|\n|[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}])?[0-9](?:\r\n|[\t\n\r\x{20}\x{A0}\x{AD}\x{1680}\x{2000}-\x{200D}\x{202F}\x{205F}\x{2060}\x{3000}\x{FEFF}])?[0-9](?:\r\n|\r|\n|[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}])?[0-9])';  -- noqa: LT05

-- cpr_digits: the ten ASCII digits of a text that is one CPR number and nothing else (in
-- any of the spellings cpr_regex knows, in the digits of any script, blanks around
-- ignored; dd.mm.yyyy-xxxx without the century), else null. Used for id columns a
-- source declares as CPR numbers (id_kind: cpr), so every spelling gives one pseudonym.
create or replace macro landing.cpr_digits(s) as
case
    when
        strlen(trim(s)) >= 10
        and regexp_full_match(landing.ascii_digits(trim(s)), landing.cpr_core_regex())
        then regexp_replace(
            regexp_replace(landing.ascii_digits(trim(s)), '[^0-9]', '', 'g'),
            '^([0-9]{4})[0-9]{2}([0-9]{6})$', '\1\2'
        )
end;

-- mask_all: t with every CPR number (ASCII digits) masked. Replacing runs twice (see
-- cpr_regex).
create or replace macro landing.mask_all(t) as
regexp_replace(
    regexp_replace(t, landing.cpr_regex(), '\1[CPR]\2', 'g'),
    landing.cpr_regex(), '\1[CPR]\2', 'g'
);

-- mask_found: s, in which landing.cpr_or_other_digit found something, with every CPR
-- number masked: s is read with ASCII digits (ascii_t; an ASCII s as it is); a text
-- with a CPR number in it comes back so, masked; one with digits of another script
-- and no CPR number is kept as received (as privacy.mask_cpr). The lambda binds ascii_t
-- once, so each pattern is written (and compiled when the query is planned) once.
create or replace macro landing.mask_found(s) as
list_transform(
    [landing.ascii_digits(s)],
    ascii_t -> case
        when regexp_matches(ascii_t, landing.cpr_regex())
            then landing.mask_all(ascii_t)
        else s
    end
)[1];

-- A value that is one of our own pseudonyms (P- and 16 hex characters: a hash, not a
-- number anyone was given) is left as it is, though about 6 in 10 000 hold ten digits
-- that read as a CPR number: masking them would quarantine a derived id or a CPR id
-- column's citizen as 'cpr_in_id'. The test comes after the search, so it costs
-- nothing on the values without a match. Kept in step with privacy.PSEUDONYM_PATTERN.
-- The one search every value of ten bytes or more gets is cpr_or_other_digit: most
-- values fail it at once, as they failed cpr_regex alone. A value of exactly ten
-- bytes skips the search unless it is ten ASCII digits or holds a character outside
-- ASCII: a CPR number has ten digits, so in ten ASCII bytes it is the whole value,
-- and a digit of another script is more than one byte. That spares the search to
-- every date written dd-mm-yyyy or yyyy-mm-dd (a million per million measurement
-- records: 0.03 s of the read).
create or replace macro landing.mask_cpr(s) as
case
    when
        strlen(s) >= 10
        and (
            strlen(s) > 10
            or strlen(s) <> length(s)
            or s glob '[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]'
        )
        and regexp_matches(s, landing.cpr_or_other_digit())
        and not regexp_full_match(s, 'P-[0-9a-f]{16}')
        then landing.mask_found(s)
    else s
end;

-- Number of masked CPR numbers in a landed text.
create or replace macro landing.count_cpr(s) as
case
    when contains(s, '[CPR]') then (length(s) - length(replace(s, '[CPR]', ''))) // 5
    else 0
end;
