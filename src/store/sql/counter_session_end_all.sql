DELETE FROM counter_session WHERE counter = ?1
