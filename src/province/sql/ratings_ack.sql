-- A hall has what it pulled up to $2: those are delivered, and their complaints' words erased here.
UPDATE rating_sent SET delivered = true, complaint = NULL WHERE hall = $1 AND id <= $2 AND NOT delivered
