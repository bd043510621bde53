SELECT max(seq), count(*) FROM ticket WHERE day = ?1 AND service = ?2
