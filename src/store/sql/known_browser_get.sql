SELECT principal FROM known_browser WHERE token_hash = ?1
