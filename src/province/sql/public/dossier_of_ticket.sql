-- The dossier received under a hall's ticket, if any.
SELECT body FROM dossier_now WHERE hall = $1 AND ticket_id = $2 ORDER BY seq DESC LIMIT 1
