INSERT INTO counter_pin (counter, pin_hash, set_ms) VALUES (?1, ?2, ?3)
ON CONFLICT (counter) DO UPDATE SET pin_hash = excluded.pin_hash, set_ms = excluded.set_ms
