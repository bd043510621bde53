UPDATE ticket SET state = ?2, print_outcome = coalesce(?3, print_outcome), counter = coalesce(?4, counter)
WHERE id = ?1
