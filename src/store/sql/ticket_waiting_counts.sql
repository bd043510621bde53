SELECT coalesce(now_service, service), count(*) FROM ticket WHERE day = ?1 AND state = 'waiting' GROUP BY 1
