-- Who finished a ticket: the counter and staff member of its last `done` event.
SELECT counter, staff_id FROM queue_event WHERE ticket_id = ?1 AND kind = 'done' ORDER BY id DESC LIMIT 1
