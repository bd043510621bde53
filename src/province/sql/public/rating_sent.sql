-- The rating given on the province's page for a ticket: level, reasons, complaint (none once delivered),
-- first given (ms), delivered.
SELECT level, reasons, complaint, rated_ms, delivered FROM rating_sent WHERE hall = $1 AND token = $2
