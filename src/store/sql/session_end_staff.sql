DELETE FROM session WHERE staff_id = ?1
