-- A rating given on the province's page, or a change of it: pulled (again) by its hall under a new id.
-- $1 hall, $2 token, $3 level, $4 reasons, $5 complaint, $6 now (ms).
INSERT INTO rating_sent (hall, token, level, reasons, complaint, rated_ms, sent_ms)
VALUES ($1, $2, $3, $4, $5, $6, $6)
ON CONFLICT (hall, token) DO UPDATE
   SET id = nextval('rating_sent_id_seq'), level = EXCLUDED.level, reasons = EXCLUDED.reasons,
       complaint = EXCLUDED.complaint, sent_ms = EXCLUDED.sent_ms, delivered = false
