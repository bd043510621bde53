-- A ticket by its public token (the QR's `/t/{token}`): its hall and its newest row.
SELECT hall, id, day, service, state, priority, arrived_ms, body
  FROM ticket_now
 WHERE token = $1
 ORDER BY seq DESC
 LIMIT 1
