DELETE FROM id_card WHERE day < ?1
