-- Each hall's health as its pushes tell it: when it last pushed (a hub with nothing new still calls every
-- few minutes), its newest row and when it was written, the printers and the backup as last reported (of
-- two rows of the same millisecond, the later one).
SELECT h.id, h.name,
       (SELECT max(e.last_push) FROM hall_epoch e WHERE e.hall = h.id),
       (SELECT r.at_ms FROM hall_row r
         WHERE r.hall = h.id
           AND r.epoch = (SELECT e.epoch FROM hall_epoch e WHERE e.hall = h.id ORDER BY e.first_seen DESC LIMIT 1)
         ORDER BY r.seq DESC LIMIT 1),
       (SELECT r.body FROM hall_row r WHERE r.hall = h.id AND r.kind = 'printer_health'
         ORDER BY r.at_ms DESC, r.seq DESC LIMIT 1),
       (SELECT r.body FROM hall_row r WHERE r.hall = h.id AND r.kind = 'backup'
         ORDER BY r.at_ms DESC, r.seq DESC LIMIT 1),
       (SELECT count(*) FROM hall_epoch e WHERE e.hall = h.id)
  FROM hall h
 WHERE h.id = ANY($1)
 ORDER BY h.id
