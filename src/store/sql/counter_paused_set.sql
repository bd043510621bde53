INSERT INTO counter_state (counter, paused) VALUES (?1, ?2)
ON CONFLICT (counter) DO UPDATE SET paused = excluded.paused
