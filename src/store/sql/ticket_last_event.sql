SELECT at_ms FROM queue_event ORDER BY id DESC LIMIT 1
