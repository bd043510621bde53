-- Tickets taken today in a service, voided ones included: asked only when the service has a daily cap.
SELECT count(*) FROM ticket WHERE day = ?1 AND service = ?2
