-- Codes that begin with one agency and date (or year): the next sequence follows the highest of them.
SELECT code FROM dossier WHERE code >= ?1 AND code < ?2
