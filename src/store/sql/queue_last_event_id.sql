SELECT coalesce(max(id), 0) FROM queue_event
