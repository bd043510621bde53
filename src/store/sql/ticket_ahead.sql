-- People called before a waiting ticket, as the rule orders them roughly: a priority ticket waits for
-- earlier priority tickets; a normal ticket for every waiting priority ticket and for earlier normal ones,
-- a booked ticket's place being its window's start (ticket_line_head_booked.sql).
-- ?3 ticket id, ?4 whether it is a priority ticket, ?5 its arrival.
SELECT count(*) FROM ticket t LEFT JOIN booking b ON b.ticket_id = t.id
WHERE t.day = ?1 AND t.state = 'waiting' AND coalesce(t.now_service, t.service) = ?2 AND t.id <> ?3
  AND CASE WHEN ?4 THEN t.priority IS NOT NULL AND (t.arrived_ms, t.id) < (?5, ?3)
           ELSE (coalesce(b.starts_ms, t.arrived_ms), t.id)
                < (coalesce((SELECT starts_ms FROM booking WHERE ticket_id = ?3), ?5), ?3)
                OR t.priority IS NOT NULL END
