-- People called before a waiting ticket, by the hall's own rule (the hall's ticket_ahead.sql): a priority
-- ticket waits for earlier priority tickets; a normal ticket for earlier tickets and every waiting priority
-- ticket. $1 hall, $2 day, $3 service, $4 ticket id, $5 whether it is a priority ticket, $6 its arrival.
SELECT count(*)
  FROM ticket_now
 WHERE hall = $1 AND day = $2 AND service = $3 AND state = 'waiting' AND id <> $4
   AND CASE WHEN $5 THEN priority AND (arrived_ms, id) < ($6, $4)
            ELSE (arrived_ms, id) < ($6, $4) OR priority END
