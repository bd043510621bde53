-- The published version of a procedure is superseded (by a newer one, or retired when none follows).
UPDATE province_procedure SET id = nextval('province_procedure_id_seq'), superseded_at = $2
 WHERE code = $1 AND superseded_at IS NULL
