DELETE FROM session WHERE staff_id = ?1 AND token_hash <> ?2
