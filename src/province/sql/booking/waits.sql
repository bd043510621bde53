-- Waits (ms) of the called tickets of halls $1 for days $2 to $3, and whether each came from a booking (its
-- hall pushed the booking checked in with the ticket's number): a booked ticket waits from its window's
-- start (the hall's local time, UTC+7) or its arrival, whichever is later.
SELECT t.hall, b.id IS NOT NULL,
       (t.body ->> 'called_ms')::BIGINT
       - greatest(t.arrived_ms,
                  coalesce(((extract(epoch FROM b.day::TIMESTAMP) - 7 * 3600 + b.starts_min * 60) * 1000)::BIGINT,
                           t.arrived_ms))
  FROM ticket_now t
  LEFT JOIN booking b ON b.hall = t.hall AND b.day = t.day::DATE AND b.state = 'checked_in'
                     AND b.ticket = t.body ->> 'number'
 WHERE t.hall = ANY($1) AND t.day BETWEEN $2 AND $3 AND t.body ->> 'called_ms' IS NOT NULL
