DELETE FROM known_browser WHERE used_ms < ?1
