-- What the hall pushed of its bookings after row $3 of history $2: checked in (with the ticket's number)
-- or expired. The hall's word is the last one, even over a cancellation it had not yet pulled.
UPDATE booking b
   SET state = r.body ->> 'state', ticket = r.body ->> 'ticket', changed_ms = r.at_ms,
       rev = nextval('booking_rev')
  FROM hall_row r
 WHERE r.hall = $1 AND r.epoch = $2 AND r.seq > $3 AND r.kind = 'booking'
   AND b.hall = $1 AND b.id = (r.body ->> 'id')::BIGINT AND b.state IS DISTINCT FROM r.body ->> 'state'
