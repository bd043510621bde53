SELECT pin_hash FROM counter_pin WHERE counter = ?1
