DELETE FROM id_card WHERE ticket_id NOT IN (SELECT id FROM ticket WHERE state = 'serving')
