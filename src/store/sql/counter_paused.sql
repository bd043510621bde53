SELECT counter FROM counter_state WHERE paused = 1
