-- People called before a waiting ticket, as the rule orders them roughly: a priority ticket waits for
-- earlier priority tickets; a normal ticket for earlier tickets and every waiting priority ticket.
-- ?3 ticket id, ?4 whether it is a priority ticket, ?5 its arrival.
SELECT count(*) FROM ticket
WHERE day = ?1 AND state = 'waiting' AND coalesce(now_service, service) = ?2 AND id <> ?3
  AND CASE WHEN ?4 THEN priority IS NOT NULL AND (arrived_ms, id) < (?5, ?3)
           ELSE (arrived_ms, id) < (?5, ?3) OR priority IS NOT NULL END
