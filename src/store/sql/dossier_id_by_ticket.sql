SELECT id FROM dossier WHERE ticket_id = ?1 ORDER BY id DESC LIMIT 1
