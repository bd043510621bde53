UPDATE ticket
SET state = ?2, counter = ?3, now_service = ?4, called_ms = ?5, started_ms = ?6, finished_ms = ?7, recalls = ?8,
    print_outcome = ?9
WHERE id = ?1
