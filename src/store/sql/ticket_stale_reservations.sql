SELECT id FROM ticket WHERE state = 'reserved' AND arrived_ms < ?1 ORDER BY id
