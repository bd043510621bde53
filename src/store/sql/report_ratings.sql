-- Ratings given in the period, and the ratings of dossiers resolved in it (the 766 rate looks at those
-- whenever they were given); the second column says whether it was given in the period.
SELECT r.level, r.rated_ms >= ?1 AND r.rated_ms < ?2, r.reasons, r.complaint IS NOT NULL, r.dossier_id, r.service,
       r.counter, s.username
FROM rating r
LEFT JOIN staff s ON s.id = r.staff_id
WHERE (r.rated_ms >= ?1 AND r.rated_ms < ?2)
   OR r.dossier_id IN (SELECT dossier_id FROM dossier_event WHERE status IN (9, 10) AND at_ms >= ?1 AND at_ms < ?2)
