INSERT INTO id_card (ticket_id, day, id_number, birth, name, taken_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
ON CONFLICT (ticket_id) DO NOTHING
