SELECT id, day, state FROM ticket WHERE token = ?1
