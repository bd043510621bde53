-- Makes a hall's public pages' tables again from its line (a restored hall; migration 0004).
SELECT public_rebuild($1)
