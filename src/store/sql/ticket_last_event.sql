SELECT max(at_ms) FROM queue_event
