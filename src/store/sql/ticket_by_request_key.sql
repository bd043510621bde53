SELECT id FROM ticket WHERE request_key = ?1
