DELETE FROM session WHERE counter = ?1
