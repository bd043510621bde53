DELETE FROM tablet_code WHERE counter = ?1
