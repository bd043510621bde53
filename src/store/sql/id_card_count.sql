SELECT count(*) FROM id_card
